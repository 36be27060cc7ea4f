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


def test_an_age_compared_where_the_date_is_hidden_is_not_capped_by_the_date():
    """A published list hides the birth date: the pair has no date to agree on exactly (its exact weight is that
    of a date nobody shows, next to nothing), and the same age is evidence of its own. Capped, a published list
    found half the people listed twice it found before."""
    m = tuple(d.fs.prior_m(len(c.levels)) for c in d.COMPARISONS)
    levels = tuple(c.level_names for c in d.COMPARISONS)
    dob = d.FIELDS.index("dob")
    m_dob = np.full(len(d.DOB_LEVELS), 1e-5)
    m_dob[d.DOB_LEVELS.index("age")] = 0.99
    u_dob = np.full(len(d.DOB_LEVELS), 0.1)
    u_dob[d.DOB_LEVELS.index("age")] = 0.015
    m = tuple(m_dob / m_dob.sum() if i == dob else x for i, x in enumerate(m))
    u = tuple(u_dob / u_dob.sum() if i == dob else np.full(len(x), 1 / len(x)) for i, x in enumerate(m))
    estimates = d.Estimates(d.fs.Model(d.FIELDS, levels, m, u, 1e-6, 1), np.full(5, 0.2), {})
    sql = d._field_weight(estimates, d.COMPARISONS[dob], 200_000)
    age = d.DOB_LEVELS.index("age")
    con = connect()
    got = con.execute(f"SELECT {sql} FROM (SELECT {age}::TINYINT AS l_dob, NULL::BIGINT AS dob_n)").fetchone()[0]
    con.close()
    assert got == np.log2(m[dob][age] / u[dob][age]) > 5
