"""A partial level never weighs more than exact agreement on the pair's (commoner) value."""

import numpy as np

from kawal.engine.audit import duplicates as d
from kawal.engine.sql import connect


def _weights(level: int, name_n: int) -> tuple[float, float]:
    name = d.COMPARISONS[d.FIELDS.index("name")]
    exact = d._exact_value_weight(0.9, "name", 1_000_000)
    weights = np.full(len(name.levels), 16.0)  # a partial level random pairs almost never show
    sql = d._level_weights(name, weights, exact)
    con = connect()
    con.execute("CREATE TABLE p AS SELECT ?::TINYINT AS l_name, ?::BIGINT AS name_n", [level, name_n])
    got, exact_weight = con.execute(f"SELECT {sql}, {exact} FROM p").fetchone()
    con.close()
    return got, exact_weight


def test_a_near_match_of_a_common_name_weighs_no_more_than_the_name_itself():
    phonetic = d.NAME_LEVELS.index("phonetic")
    got, exact = _weights(phonetic, 20_000)  # SITI-like: 2% of the list
    assert exact < 16.0 and got == exact


def test_a_near_match_of_a_rare_name_keeps_its_own_weight():
    got, exact = _weights(d.NAME_LEVELS.index("typo"), 2)
    assert exact > 16.0 and got == 16.0
