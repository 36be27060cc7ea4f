from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kawal.engine.nik import mask, parse_nik, parse_nkk, resolve_century, valid_prefixes


def checks(result):
    return sorted({p.check for p in result.problems})


def reasons(result):
    return sorted(p.reason for p in result.problems)


def test_valid_male_nik_derives_sex_and_birth_date():
    r = parse_nik("3671010403650018")
    assert r.valid and r.sex == "L" and r.birth_date == date(1965, 3, 4)


def test_women_have_forty_added_to_the_day():
    r = parse_nik("3671015011900032")
    assert r.valid and r.sex == "P" and r.birth_date == date(1990, 11, 10)


def test_century_resolved_against_election_day():
    assert parse_nik("3671010101050001").birth_date == date(2005, 1, 1)
    assert parse_nik("3671010101300001").birth_date == date(1930, 1, 1)
    assert resolve_century(24, 11, 28) == date(1924, 11, 28)  # the day after the election: not yet born in 2024
    assert resolve_century(24, 11, 27) == date(2024, 11, 27)
    assert resolve_century(0, 2, 29) == date(2000, 2, 29)


@pytest.mark.parametrize(
    ("nik", "reason"),
    [
        ("367101040365001", "length"),
        ("36710104036500181", "length"),
        ("36710104O3650018", "characters"),
        ("3671010403650000", "serial"),
        ("", "empty"),
        ("3.67101E+15", "scientific"),
        ("3,67101E+15", "scientific"),
        ("3671010403650018.0", "dot_zero"),
    ],
)
def test_format_problems(nik, reason):
    r = parse_nik(nik)
    assert reason in reasons(r)
    assert checks(r) == ["NIK_FORMAT"]
    assert r.explain()


@pytest.mark.parametrize(
    "nik",
    [
        "3671013203650018",
        "3671010013650018",
        "3671017203650018",
        "3671013102650018",
        "3671017102650018",
        "3671012902010018",
    ],
)
def test_impossible_dates(nik):
    assert checks(parse_nik(nik)) == ["NIK_TANGGAL"]


def test_leap_day_of_a_leap_year_is_fine():
    assert parse_nik("3671012902000018").valid
    assert parse_nik("3671016902040018").birth_date == date(2004, 2, 29)


def test_unknown_region_prefix():
    r = parse_nik("3671990403650018")
    assert checks(r) == ["NIK_WILAYAH"]
    assert "367199" in r.explain()


def test_prefixes_that_left_the_current_list_stay_valid():
    assert "920101" in valid_prefixes()  # Kab. Sorong's old code, 96.01 since 2025
    assert parse_nik("9201010101900001").valid
    assert parse_nik("9601010101900001").valid or "960101" not in valid_prefixes()


def test_masked_numbers_check_only_visible_digits():
    assert parse_nik("367101**********").valid
    assert parse_nik("3671XXXXXXXX0018").valid
    assert parse_nik("**********650018").valid
    assert parse_nik("3671014*03650018").sex == "P"
    assert checks(parse_nik("367199**********")) == ["NIK_WILAYAH"]
    assert checks(parse_nik("36**99**********")) == ["NIK_WILAYAH"]
    assert checks(parse_nik("3671013*13******")) == ["NIK_TANGGAL"]
    assert parse_nik("367101**********").masked


def test_excel_trailing_zero_is_suspect_only_in_a_float_column():
    assert parse_nik("3671010403650010").valid
    r = parse_nik("3671010403650010", float_column=True)
    assert reasons(r) == ["trailing_zero"] and r.excel_damage


def test_nkk_checks_shape_and_prefix_only():
    assert parse_nkk("3671011707100024").valid
    assert parse_nkk("3671019999990000").valid  # no birth date or serial rule for a family card
    assert checks(parse_nkk("3699011707100024")) == ["NIK_WILAYAH"]
    assert "NKK" in parse_nkk("12345").explain()


def test_explanations_follow_the_language():
    from kawal.i18n import set_language

    set_language("en")
    assert "digits, not 16" in parse_nik("123").explain()


def test_mask():
    assert mask("3671010403650018") == "367101**********"
    assert mask("3671010403650018", 6, 2) == "367101********18"
    assert mask(None) == ""


prefixes = st.sampled_from(sorted(valid_prefixes()))
birthdays = st.dates(min_value=date(1925, 1, 1), max_value=date(2024, 11, 27))


@given(prefixes, birthdays, st.booleans(), st.integers(1, 9999))
def test_any_well_formed_nik_round_trips(prefix, born, female, serial):
    day = born.day + (40 if female else 0)
    nik = f"{prefix}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    r = parse_nik(nik)
    assert r.valid, r.explain()
    assert r.sex == ("P" if female else "L")
    assert (r.birth_date.day, r.birth_date.month, r.birth_date.year % 100) == (born.day, born.month, born.year % 100)


@given(prefixes, birthdays, st.sets(st.integers(0, 15)))
def test_masking_never_makes_a_valid_nik_invalid(prefix, born, hidden):
    nik = f"{prefix}{born.day:02d}{born.month:02d}{born.year % 100:02d}0001"
    masked = "".join("*" if i in hidden else c for i, c in enumerate(nik))
    assert parse_nik(masked).valid


@given(st.text(max_size=30))
def test_parser_never_crashes(text):
    r = parse_nik(text)
    assert r.valid == (not r.problems)
