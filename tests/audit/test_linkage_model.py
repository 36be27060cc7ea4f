"""The duplicate matcher's parts: EM recovers known parameters, each clerical error lands in its own level,
reviewers' answers override the model, and the estimated precision follows the truth."""

from datetime import date

import numpy as np
import pyarrow as pa
import pytest

from kawal.engine.audit import duplicates as d
from kawal.engine.audit import fellegi_sunter as fs
from kawal.engine.sql import connect


def simulate(rng, m, u, lam, pairs):
    """Pattern counts drawn from a two-class model with independent fields."""
    is_match = rng.random(pairs) < lam
    codes = np.column_stack(
        [
            np.where(is_match, rng.choice(len(mf), pairs, p=mf), rng.choice(len(uf), pairs, p=uf))
            for mf, uf in zip(m, u, strict=True)
        ]
    )
    patterns, counts = np.unique(codes, axis=0, return_counts=True)
    return patterns, counts


def test_em_recovers_the_parameters_it_was_drawn_from():
    rng = np.random.default_rng(3)
    m = [np.array([0.9, 0.07, 0.03]), np.array([0.95, 0.05]), np.array([0.8, 0.15, 0.05]), np.array([0.97, 0.03])]
    u = [np.array([0.01, 0.04, 0.95]), np.array([0.1, 0.9]), np.array([0.05, 0.15, 0.8]), np.array([0.5, 0.5])]
    patterns, counts = simulate(rng, m, u, 0.1, 200_000)
    levels = tuple(tuple(f"l{i}" for i in range(len(x))) for x in m)
    model = fs.estimate(("a", "b", "c", "d"), levels, patterns, counts)
    assert model.lam == pytest.approx(0.1, abs=0.01)
    for estimated, true in zip(model.m, m, strict=True):
        assert np.abs(estimated - true).max() < 0.02
    for estimated, true in zip(model.u, u, strict=True):
        assert np.abs(estimated - true).max() < 0.02


def test_known_pairs_stay_in_their_class():
    patterns = np.array([[0, 0], [1, 1], [0, 1]])
    counts = np.array([10.0, 1000.0, 5.0])
    known = np.array([[0.0, 0.0], [0.0, 0.0], [5.0, 0.0]])  # reviewers said all five [0, 1] pairs are one person
    levels = (("same", "other"), ("same", "other"))
    with_answers = fs.estimate(("x", "y"), levels, patterns, counts, known)
    without = fs.estimate(("x", "y"), levels, patterns, counts)
    assert with_answers.m[1][1] > without.m[1][1]


ROWS = [
    # (nama, tanggal_lahir, sex, nik, place, kel, rw, rt)
    ("AHMAD FAUZI", "1980-03-04", "L", "3671010403800001", "TANGERANG", "3671011001", 1, 1),
    ("FAUZI AHMAD", "1980-03-04", "L", None, "TANGERANG", "3671011001", 1, 1),  # words reversed
    ("AHMAD FAUZI", "1980-04-03", "L", None, "TANGERANG", "3671011002", 2, 1),  # day and month swapped
    ("AHMAD FAUZI", "1980-03-05", "P", None, "TANGGERANG", "3671021001", 1, 1),  # one day off, sex wrong
    ("AHMAD FAUZI", "1981-03-04", "L", "3671010403800002", "TANGERANG", "3671011001", 1, 2),  # year off
    ("AHMAD F", "1980-03-04", "L", "3671010403801001", "TANGERANG", "3671011001", 1, 1),  # initial; NIK serial
    ("AHMAD FAUZI HASAN", "1980-03-04", "L", "3671010403800001", "TANGERANG", "3671011001", 1, 1),  # word more
    ("ACHMAD FAUZY", "1980-03-04", "L", "3671010403800011", "JAKARTA", "3671011001", 1, 1),  # phonetic
    ("AHMAD FAUZI", "1980-07-01", "L", "3672010403800001", "KAB. TANGERANG", "3671011001", 1, 1),  # placeholder
    ("FAUZI", "1980-03-04", "L", None, "TANGERANG", "3671011001", 1, 1),  # one word of the name only
    ("FAUZY AHMAD HASAN", "1980-03-04", "L", None, "TANGERANG", "3671011001", 1, 1),  # moved, mistyped, a word more
]


def rows_table(con):
    con = con
    table = pa.table(
        {
            "rid": pa.array(range(1, len(ROWS) + 1), pa.int64()),
            "nama": [r[0] for r in ROWS],
            "tanggal_lahir": pa.array([date.fromisoformat(r[1]) for r in ROWS]),
            "usia": pa.array([None] * len(ROWS), pa.int16()),
            "jenis_kelamin": [r[2] for r in ROWS],
            "nik_d": [r[3] for r in ROWS],
            "nik_full": [r[3] is not None for r in ROWS],
            "nkk_d": pa.array([None] * len(ROWS), pa.string()),
            "nkk_full": [False] * len(ROWS),
            "tempat_lahir": [r[4] for r in ROWS],
            "kode_kelurahan": [r[5] for r in ROWS],
            "rw": [r[6] for r in ROWS],
            "rt": [r[7] for r in ROWS],
            "sudah_tms": [False] * len(ROWS),
        }
    )
    con.register("v_in", table)
    con.execute("CREATE TABLE v AS SELECT *, nik_d AS nik, tanggal_lahir AS tgl FROM v_in")
    return con


@pytest.fixture
def pairs():
    con = rows_table(connect())
    d.build_names(con)
    d.build_people(con)
    con.execute("CREATE TABLE candidates AS SELECT a.rid AS a, b.rid AS b FROM v a JOIN v b ON a.rid < b.rid")
    d.compare(con)
    names = {c.field: c.level_names for c in d.COMPARISONS}
    rows = con.execute(f"SELECT a, b, {', '.join(c.column for c in d.COMPARISONS)} FROM pairs").fetchall()
    return {
        (a, b): {f: (names[f][lv] if lv >= 0 else None) for f, lv in zip(d.FIELDS, levels, strict=True)}
        for a, b, *levels in rows
    }


@pytest.mark.parametrize(
    ("other", "field", "level"),
    [
        (2, "name", "order"),
        (3, "dob", "swap"),
        (4, "dob", "day"),
        (4, "sex", "other"),
        (4, "place", "close"),
        (5, "dob", "year"),
        (6, "name", "initials"),
        (7, "name", "subset"),
        (10, "name", "one_word"),
        (11, "name", "words"),
        (7, "nik", "same"),
        (8, "name", "phonetic"),
        (9, "dob", "placeholder"),
        (9, "nik", "typo"),
        (9, "place", "exact"),  # KAB. TANGERANG is TANGERANG
        (2, "area", "rt"),
        (5, "area", "kelurahan"),
        (4, "area", "other"),
    ],
)
def test_each_clerical_error_has_its_level(pairs, other, field, level):
    assert pairs[(1, other)][field] == level


def test_serials_one_number_or_one_digit_apart_have_their_own_levels(pairs):
    """Twins born the same day in one kecamatan get serials 0001 and 0002 ("next"): that is no evidence of one
    person. A serial with one digit changed otherwise (0001, 1001) is a slip of its own ("serial")."""
    assert pairs[(1, 5)]["nik"] == "next"
    assert pairs[(1, 6)]["nik"] == "serial"
    assert pairs[(1, 2)]["nik"] is None  # hidden or missing numbers are not compared


def linked(con):
    return {tuple(r) for r in con.execute("SELECT a, b FROM pairs WHERE probability >= 0.5").fetchall()}


def key(con, rid):
    return con.execute(f"SELECT {d.record_key_sql()} FROM v WHERE rid = {rid}").fetchall()[0][0]


def test_reviewers_answers_override_the_model():
    con = rows_table(connect())
    before = d.link(con)
    assert (1, 7) in linked(con)  # same NIK, a word more: linked by the model
    assert (1, 8) not in linked(con)
    answers = [(key(con, 1), key(con, 7), False), (key(con, 8), key(con, 1), True)]
    con = rows_table(connect())
    after = d.link(con, labels=answers)
    assert (1, 7) not in linked(con) and (1, 8) in linked(con)
    assert after.labelled_pairs == 2 and before.labelled_pairs == 0
    con = rows_table(connect())
    d.link(con, labels=[*answers, (key(con, 7), key(con, 1), True)])  # the latest answer about a pair wins
    assert (1, 7) in linked(con)


def test_no_pairs_at_all_leaves_the_prior():
    levels = (("same", "other"),)
    model = fs.estimate(("x",), levels, np.zeros((0, 1)), np.zeros(0))
    assert model.iterations == 0 and np.isfinite(model.weights()[0]).all()


def test_a_stratum_learns_its_own_u_with_m_held():
    """Among twins, names are 'similar' far more often than among random pairs: the stratum's u must show it."""
    rng = np.random.default_rng(5)
    m = [np.array([0.9, 0.08, 0.02]), np.array([0.97, 0.03])]
    u_random = [np.array([0.001, 0.01, 0.989]), np.array([0.5, 0.5])]
    u_twins = [np.array([0.001, 0.6, 0.399]), np.array([0.5, 0.5])]
    patterns, counts = simulate(rng, m, u_twins, 0.3, 50_000)
    levels = (("exact", "similar", "other"), ("same", "other"))
    overall = fs.Model(("name", "sex"), levels, tuple(m), tuple(u_random), 1e-6, 0)
    stratum = fs.estimate_u(overall, patterns, counts, start_lam=0.01)
    assert stratum.lam == pytest.approx(0.3, abs=0.02)
    assert stratum.u[0][1] == pytest.approx(0.6, abs=0.03)
    assert stratum.weights()[0][1] < overall.weights()[0][1] - 4  # 'similar' says far less among twins


def test_the_phonetic_letters_change_all_at_once():
    """The letter step is replace() calls one after another: a new letter that is also an old one (J -> Y beside
    Z -> J) would be changed twice."""
    letters = next(step for _, step in d.PHONETIC_STEPS if "'Z', 'J'" in step)
    old, new = d.PHONETIC_LETTERS
    got = connect().execute(f"SELECT {d._as_expression(repr(old), ((None, letters),))}").fetchone()[0]
    assert got == new


TRICKY_NAMES = [
    "MUHAMMADRIFAI",
    "H. AHMAD DAHLAN, S.PD.",
    "Siti Aminah",
    " BUDI",
    "BUDI ",
    "BUDI  SANTOSO",
    "M RIZKI",
    "MHD RIZKI",
    "MOCH. NUR",
    "ANDI MUHAMMAD",
    "HJ SITI",
    "H",
    "HAJI",
    "DJOKO TJAHJONO",
    "ALLAH DITTA",
    "NUR'AINI",
    "SRI DEWI",
    "AGUNG",
    "MUHAMMAD",
]


@pytest.mark.parametrize("profile", ["kawal", "campuran"])
def test_names_skipped_by_the_quick_test_are_those_every_step_leaves_alone(tmp_path, profile):
    """build_names runs the name steps only where NAME_STEPS_NEEDED matches: every name it skips, the steps would
    have left as it was, so each name comes out as the steps applied to it one by one make it."""
    from kawal.synth.generator import generate
    from kawal.synth.profiles import generate_profile

    if profile == "kawal":
        generate(2000, seed=7, out=tmp_path)
    else:
        generate_profile(profile, 2000, 7, tmp_path)
    con = connect()
    con.execute(f"CREATE TABLE listed AS SELECT nama FROM read_csv('{tmp_path / 'dpt.csv'}', all_varchar = true)")
    con.executemany("INSERT INTO listed VALUES (?)", [[name] for name in TRICKY_NAMES])
    d.build_names(con, "listed")
    rows = con.execute(
        f"""SELECT count(*), count(*) FILTER (NOT regexp_matches(n.nama, '{d.NAME_STEPS_NEEDED}')),
                   count(*) FILTER (array_to_string(n.tokens, ' ') IS DISTINCT FROM nullif({d.normalised_name_sql("n.nama")}, ''))
            FROM names n"""
    ).fetchone()
    names, skipped, different = rows
    assert names > 1000 and 0 < skipped < names  # both ways are taken
    assert different == 0
