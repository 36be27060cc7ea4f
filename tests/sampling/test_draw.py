import hashlib
import random

import pyarrow as pa
import pytest

from kawal.engine.sampling.draw import DrawError, draw, public_seed, write
from kawal.engine.sql import connect
from tests.sampling.population import records

LIST_SHA = hashlib.sha256(b"the list file").hexdigest()


@pytest.fixture(scope="module")
def population():
    return records()[0]


def _draw(table, phrase="Rapat pleno 12 Agustus 2024", threads=2, **kwargs):
    con = connect(threads=threads)
    con.register("pop", table)
    return draw("pop", LIST_SHA, phrase, con=con, **{"total": 300, **kwargs})


def test_same_phrase_and_list_give_byte_identical_files(population, tmp_path):
    first = write(_draw(population), tmp_path / "a", "Rapat pleno 12 Agustus 2024", LIST_SHA, "dpt.csv")
    # Another run: one thread, the rows shuffled, spacing in the phrase changed: the very same bytes.
    order = list(range(population.num_rows))
    random.Random(5).shuffle(order)
    shuffled = population.take(pa.array(order))
    again = _draw(shuffled, "  Rapat pleno 12  Agustus 2024", threads=1)
    second = write(again, tmp_path / "b", "  Rapat pleno 12  Agustus 2024", LIST_SHA, "dpt.csv")
    for one, other in zip(first, second, strict=True):
        assert one.read_bytes() == other.read_bytes()


def test_anyone_can_recompute_the_sample_with_a_few_lines_of_python(population):
    result = _draw(population, by="kecamatan", total=200)
    seed = public_seed("Rapat pleno 12 Agustus 2024", LIST_SHA, "record")
    expected = []
    rows = population.select(["id", "kode_kelurahan"]).to_pylist()
    for kecamatan, wanted in sorted((k, v["n"]) for k, v in result.strata.items()):
        ids = [r["id"] for r in rows if r["kode_kelurahan"][:6] == kecamatan]
        ids.sort(key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())
        expected += ids[:wanted]
    assert result.rows.column("unit").to_pylist() == expected


def test_another_phrase_or_another_list_gives_another_sample(population):
    base = set(_draw(population).rows.column("unit").to_pylist())
    assert len(base & set(_draw(population, "frasa lain").rows.column("unit").to_pylist())) < 60
    con = connect()
    con.register("pop", population)
    other_list = draw("pop", LIST_SHA[::-1], "Rapat pleno 12 Agustus 2024", total=300, con=con)
    assert base != set(other_list.rows.column("unit").to_pylist())


def test_allocation_is_proportional_to_the_strata(population):
    strata = _draw(population, total=600).strata
    assert {k: v["n"] for k, v in strata.items()} == {"367101": 250, "367102": 150, "367103": 125, "367104": 75}


def test_rt_clusters_are_drawn_with_their_voters(population):
    result = _draw(population, unit="rt", by="kecamatan", total=20)
    assert all(u.count("/") == 2 for u in result.rows.column("unit").to_pylist())
    assert sum(v["voters"] for v in result.strata.values()) == population.num_rows


def test_an_empty_phrase_is_refused(population):
    with pytest.raises(DrawError):
        _draw(population, "   ")
