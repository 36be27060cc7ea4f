"""PEMILIH_GANDA: the same person on more than one row, whatever the NIK says.

Set-based record linkage in DuckDB, with weights learned from the list being audited:

1. **Normalise names** once per distinct name: titles and degrees dropped, punctuation and spacing folded, the
   Muhammad family and the pre-1972 spelling (DJ/TJ/OE) folded, doubled letters folded. Kept beside it: the words
   in sorted order (for names written in another order) and a phonetic key (KH/H, SY/S, Z/J, F/P/V, Y/I ...).
2. **Block**: candidate pairs share the birth date and either a name prefix, a name suffix, a whole word of the
   name or all its words in any order, or (for a short name) the name less one letter, or (within one RT)
   nothing else; within one RT, alike names with two of year, month and day; a rare word of the name with two of
   year, month and day; or share the NIK, or alike names and the NIK's region and birth date; or share the whole
   normalised name with the birth year, with the day and month, or (for a rare name) with nothing else. Sex is
   never a blocking key, since clerks get it wrong.
3. **Compare** each candidate on six fields, each with levels for what clerks actually get wrong (see
   :data:`COMPARISONS`): name, birth date (or age), sex, NIK, birthplace and household (family card or address).
4. **Estimate** how likely each level is for one person (m) and for two people (u), and the share of candidate
   pairs that are one person, by expectation maximisation on this list's own pairs
   (:mod:`kawal.engine.audit.fellegi_sunter`). Exact agreement on a name, a birth date or a birthplace is then
   adjusted for how common that value is (term frequency): two rows called SITI born 01-07-1970 say far less than
   two rows called MUHAMMAD RIZKI FAUZAN. Between two rows of one name the other fields weigh what they say among
   people of one name, measured on the list (:func:`_same_name_u`): two people of one name are mostly of one sex.
5. **Link** pairs whose estimated probability of being one person is at least 0.5 (or ``threshold``); connected
   components are people. Reviewers' answers override the model for the pairs they answered.

The estimated precision and recall come from the same probabilities: the expected share of linked pairs that are
one person, and the expected share of one-person candidate pairs that were linked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import duckdb
import numpy as np

from kawal.engine.audit import fellegi_sunter as fs
from kawal.engine.audit.places import build_place_keys
from kawal.engine.sql import literal, one, scalar

DEFAULT_PROBABILITY = 0.5
# On a list that hides the birth dates (published copies) a finding rests on weaker evidence (name, year or age,
# birthplace, address) and asks a PPS to strike a voter: kawal links the likeliest pairs down to where the mean
# estimated probability of the pairs it links would fall below this precision (never a pair under
# DEFAULT_PROBABILITY), and leaves the pairs below to the ranked review list (duplicate_candidates.csv, likeliest
# first). A promise about the findings as a whole, not about each pair: a fixed 0.95 per pair linked a third fewer
# one-person pairs for about the same precision.
HIDDEN_DATES_PRECISION = 0.98
# Published lists hide the day and month of birth. Rows without a whole birth date are blocked on the visible year
# (or the age) with a part of the name; a year is about 350 times less selective than a whole date, so a block
# bigger than this is left out (those names are so common at that age that a year says nothing).
MAX_YEAR_BLOCK = 40
# Where a list shows the year and no age, the year stands in for the age: only equality and a difference of one
# are ever compared, so any fixed year serves.
YEAR_AS_AGE = 2024
MAX_NAME_BLOCK = 5  # a name shared by more rows than this is too common to block on without any birth date part
MIN_TOKEN = 3  # words shorter than this (initials, BIN) are not blocked on
# Within one RT, rows whose names are at least this alike (Jaro-Winkler; a letter off in a name of five letters
# or more stays above it) are compared when two of year, month and day agree: a row keyed twice at one address with
# a slip in the name *and* one in the date shares no other key once the NIK and the family card are masked.
RT_NAME_SIMILARITY = 0.8
# A word carried by more than one row in 100 (MHD, SITI, NUR, DEWI ...) proposes nothing alone: two rows sharing
# it and a birth date are mostly two people, and one person's two rows still share the name's first or last
# letters, its sound, or a rarer word. On a city's list these words made half of all candidate pairs.
COMMON_WORD_SHARE = 0.01
COMMON_WORD_MIN_ROWS = 100  # a small list has no common words to speak of
# A word at most one row in 2,000 carries is rare enough that two rows sharing it and two of year, month and day
# (or the day and month swapped) make a small block: a row moved, with a slip in another word of the name and one
# in the date, is proposed by no other rule.
RARE_WORD_SHARE = 0.0005

TITLES = "H|HJ|HAJI|HAJJAH|DRS|DRA|DR|IR|PROF|KH|USTADZ|UST|RADEN|R|RA|TB|NY|TN|SDR|SDRI"
MUHAMMAD_FULL = "MUHAMMAD|MUHAMAD|MUHAMMED|MOHAMMAD|MOHAMAD|MOHAMMED|MOCHAMMAD|MOCHAMAD|MOCHAMED"
MUHAMMAD_SHORT = "MOCH|MOHD|MOH|MUH|MHD|MUHD|MD|M"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Letters Indonesians write interchangeably for one sound; applied after the spelling folds above. First the
# letter pairs, in order, then the single letters in one translate (Z→J, V and F→P, Q→K, Y→I, W→U): the same keys
# as replacing them one by one (checked on 2.8 M distinct names), in one pass instead of six.
PHONETIC: tuple[tuple[str, str], ...] = (
    ("KH", "H"),
    ("GH", "G"),
    ("DH", "D"),
    ("TH", "T"),
    ("SY", "S"),
    ("SH", "S"),
    ("DZ", "J"),
    ("PH", "F"),
    ("X", "KS"),
)
PHONETIC_LETTERS = ("ZVFQYW", "JPPKIU")


@dataclass(frozen=True)
class Comparison:
    """One compared field: its levels in order of preference, each an SQL condition on the pair (``_a``/``_b``)."""

    field: str
    missing: str
    levels: tuple[tuple[str, str], ...]

    def code_sql(self) -> str:
        cases = " ".join(f"WHEN {condition} THEN {i}" for i, (_, condition) in enumerate(self.levels))
        return f"CAST(CASE WHEN {self.missing} THEN -1 {cases} END AS TINYINT)"

    @property
    def column(self) -> str:
        """The pair table's column holding this field's level."""
        return f"l_{self.field}"

    @property
    def level_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.levels)


def _initials_agree(a: str, b: str) -> str:
    """Same number of words, each equal or one an initial of the other: AHMAD F RAHMAN ~ AHMAD FAUZI RAHMAN."""
    return f"""(len({a}) = len({b}) AND list_bool_and(list_transform(range(1, len({a}) + 1), lambda i:
        {a}[i] = {b}[i] OR (length({a}[i]) = 1 AND left({b}[i], 1) = {a}[i])
        OR (length({b}[i]) = 1 AND left({a}[i], 1) = {b}[i]))))"""


def _word_by_word(a: str, b: str) -> str:
    """Monge–Elkan similarity: each word of the shorter name against its likeliest word of the other (Jaro–Winkler),
    averaged. Word order and a word more do not lower it; a mistyped word lowers it a little: BUDI YULIANTO ~
    YULIANTO BUDK, AUFA BAHTIAR ~ AUPA BAHTIAR BIN IBRAHIM."""
    shorter = f"CASE WHEN len({a}) <= len({b}) THEN {a} ELSE {b} END"
    longer = f"CASE WHEN len({a}) <= len({b}) THEN {b} ELSE {a} END"
    return f"list_avg(list_transform({shorter}, lambda t: list_max(list_transform({longer}, lambda s: jaro_winkler_similarity(t, s)))))"


# A test that is false only where two names cannot be one edit apart, cheaper than the edit distance it guards:
# one edit (a letter changed, added, dropped, or two swapped) touches two neighbouring places at most, so two
# names of 7 letters or more that are one edit apart share their first 3 letters or their last 3.
_ONE_EDIT_POSSIBLE = "(least(length(name_a), length(name_b)) <= 6 OR left(name_a, 3) = left(name_b, 3) OR right(name_a, 3) = right(name_b, 3))"


# Two different names one edit apart (Damerau-Levenshtein 1: a letter changed, added, dropped, or two neighbours
# swapped), by the plain edit distance where it tells, at a third of the cost: 1 is one edit, more than 2 is more;
# only at 2, between names of one length, may it be two neighbours swapped.
_ONE_EDIT = """CASE levenshtein(name_a, name_b) WHEN 1 THEN true
    WHEN 2 THEN length(name_a) = length(name_b) AND damerau_levenshtein(name_a, name_b) = 1 ELSE false END"""


def _one_digit_or_swap(x: str, y: str, digits: int) -> str:
    """Two numbers of ``digits`` digits (zero-padded) that differ in at most one digit, or by two neighbouring digits
    swapped: what an edit distance of at most 1 between the padded texts means, as integer arithmetic."""

    def digit(v: str, i: int) -> str:  # the i-th digit from the left
        return f"({v} // {10 ** (digits - 1 - i)} % 10)"

    def same(i: int) -> str:
        return f"{digit(x, i)} = {digit(y, i)}"

    differing = " + ".join(f"({digit(x, i)} <> {digit(y, i)})::INT" for i in range(digits))
    swaps = [
        " AND ".join(
            [f"{digit(x, i)} = {digit(y, i + 1)}", f"{digit(x, i + 1)} = {digit(y, i)}"]
            + [same(j) for j in range(digits) if j not in (i, i + 1)]
        )
        for i in range(digits - 1)
    ]
    return f"({differing} <= 1 OR {' OR '.join(f'({s})' for s in swaps)})"


# Two dates of which one part at most differs (day, month or year), one digit mistyped or two neighbours swapped
# within that part: what an edit distance of 1 between the dates written DDMMYYYY means once two parts agree (a
# swap across two parts changes both). And the days that stand for "some time that year": 01-01, 01-07, 31-12.
# In arithmetic, not strftime(): formatting two dates per pair as text was a fifth of comparing a city's candidate
# pairs, for the same answers (checked on every date of twenty years against its one-digit changes and swaps).
_DMY_ONE_EDIT = " AND ".join(
    _one_digit_or_swap(f"{part}(dob_a)", f"{part}(dob_b)", digits)
    for part, digits in (("day", 2), ("month", 2), ("year", 4))
)
_PLACEHOLDER = "(day({d}) * 100 + month({d})) IN (101, 107, 3112)"

_NAME_JW = "CASE WHEN name_a <> name_b THEN jaro_winkler_similarity(name_a, name_b) END"
_NAME_ME = f"CASE WHEN name_jw < 0.92 AND (len(tokens_a) > 1 OR len(tokens_b) > 1) THEN {_word_by_word('tokens_a', 'tokens_b')} END"


def with_name_similarities(pairs: str) -> str:
    """``pairs`` (a query with each side's columns, ``name_a``, ``tokens_a`` ...) with the two columns the name
    levels read besides them: ``name_jw``, Jaro–Winkler of two names that differ, and ``name_me``, Monge–Elkan,
    the costliest comparison, once per pair and only where a level reads it ("words" and "one_word" come after
    "close", and need a name of two words or more). Computed in each level that read it, a pair that reached
    "one_word" paid for it twice; it is still about a quarter of comparing a city's candidate pairs."""
    return f"SELECT *, {_NAME_ME} AS name_me FROM (SELECT *, {_NAME_JW} AS name_jw FROM ({pairs}))"


COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        "name_a IS NULL OR name_b IS NULL",
        (
            ("exact", "name_a = name_b"),
            ("order", "sorted_a = sorted_b"),  # the same words in another order
            ("phonetic", "phon_a = phon_b"),  # written differently, sounds the same
            ("initials", f"(initial_a OR initial_b) AND {_initials_agree('tokens_a', 'tokens_b')}"),
            ("typo", f"abs(length(name_a) - length(name_b)) <= 1 AND {_ONE_EDIT_POSSIBLE} AND {_ONE_EDIT}"),
            (  # a word more or less, two words or more in common
                "subset",
                "len(tokens_a) <> len(tokens_b) AND least(len(tokens_a), len(tokens_b)) > 1 "
                "AND (list_has_all(tokens_a, tokens_b) OR list_has_all(tokens_b, tokens_a))",
            ),
            ("close", "name_jw >= 0.92"),
            # two slips: words moved and one mistyped
            ("words", "least(len(tokens_a), len(tokens_b)) > 1 AND name_me >= 0.92"),
            # A one-word name that is (nearly) one word of the other: SITI ~ SITI AMINAH. Random pairs show this
            # about fifty times as often as a word more or less on a longer name (one-word names are common), so
            # it is weaker evidence than "subset" and "words", which it was part of.
            ("one_word", "len(tokens_a) <> len(tokens_b) AND name_me >= 0.92"),
            ("similar", "name_jw >= 0.85"),
            ("other", "true"),
        ),
    ),
    Comparison(
        "dob",
        "(dob_a IS NULL OR dob_b IS NULL) AND (usia_a IS NULL OR usia_b IS NULL)",
        (
            ("exact", "dob_a = dob_b"),
            ("swap", "day(dob_a) = month(dob_b) AND month(dob_a) = day(dob_b) AND year(dob_a) = year(dob_b)"),
            ("day", "abs(date_diff('day', dob_a, dob_b)) = 1"),
            ("year", "month(dob_a) = month(dob_b) AND day(dob_a) = day(dob_b) AND abs(year(dob_a) - year(dob_b)) = 1"),
            (  # one digit mistyped or two swapped: then at least two of day, month and year still agree
                "digit",
                "(year(dob_a) = year(dob_b))::INT + (month(dob_a) = month(dob_b))::INT + (day(dob_a) = day(dob_b))::INT >= 2 "
                f"AND dob_a <> dob_b AND {_DMY_ONE_EDIT}",
            ),
            (
                "placeholder",
                f"year(dob_a) = year(dob_b) AND ({_PLACEHOLDER.format(d='dob_a')} OR {_PLACEHOLDER.format(d='dob_b')})",
            ),
            ("same_year", "year(dob_a) = year(dob_b)"),
            ("other", "dob_a IS NOT NULL AND dob_b IS NOT NULL"),
            # A list that hides the day but shows the month (**-03-1985): the same month at the same age, or
            # another month at about the same age (ages further apart are weighed as ages: a father and his son).
            ("month_same", "mob_a = mob_b AND usia_a = usia_b"),
            ("month_other", "mob_a <> mob_b AND abs(usia_a - usia_b) <= 1"),
            ("age", "usia_a = usia_b"),  # only the age is there to compare (published lists)
            ("age_near", "abs(usia_a - usia_b) = 1"),
            ("age_other", "true"),
        ),
    ),
    Comparison("sex", "sex_a IS NULL OR sex_b IS NULL", (("same", "sex_a = sex_b"), ("other", "true"))),
    Comparison(
        "nik",
        "nik_a IS NULL OR nik_b IS NULL",
        (
            ("same", "nik_a = nik_b"),
            # A mistyped digit outside the serial. The serial is left out: people born on one day in one
            # kecamatan get serials 0001, 0002 ..., so two of them (twins!) differ there by one digit anyway.
            (
                "typo",
                "right(nik_a, 4) = right(nik_b, 4) AND damerau_levenshtein(left(nik_a, 12), left(nik_b, 12)) <= 2",
            ),
            (  # registered together: one region, one birth date, consecutive serials (twins)
                "next",
                "left(nik_a, 12) = left(nik_b, 12) AND abs(TRY_CAST(right(nik_a, 4) AS INTEGER) - TRY_CAST(right(nik_b, 4) AS INTEGER)) = 1",
            ),
            (  # one digit of the serial mistyped
                "serial",
                "left(nik_a, 12) = left(nik_b, 12) AND damerau_levenshtein(right(nik_a, 4), right(nik_b, 4)) = 1",
            ),
            ("other", "true"),
        ),
    ),
    Comparison(
        "place",
        "place_a IS NULL OR place_b IS NULL",
        (
            ("exact", "place_a = place_b"),
            ("same_region", "place_key_a = place_key_b"),  # one kab/kota written two ways (see places.py)
            (
                "close",
                "contains(place_a, place_b) OR contains(place_b, place_a) OR jaro_winkler_similarity(place_a, place_b) >= 0.88 "
                "OR jaro_winkler_similarity(place_key_a, place_key_b) >= 0.88",
            ),
            ("other", "true"),
        ),
    ),
    Comparison(
        "area",
        "kel_a IS NULL OR kel_b IS NULL",
        (
            ("rt", "kel_a = kel_b AND rw_a = rw_b AND rt_a = rt_b"),
            ("kelurahan", "kel_a = kel_b"),
            ("other", "true"),
        ),
    ),
    # B, S or P: one person's two rows mostly agree, or show a marriage (or its end) between two registrations;
    # how often is the list's to say (EM). Two people agree about as often as the list's statuses repeat.
    Comparison("status", "status_a IS NULL OR status_b IS NULL", (("same", "status_a = status_b"), ("other", "true"))),
    # On a list as KPU publishes it the NIK shows its first 6 digits only: the kecamatan where it was issued. Two rows
    # in different kelurahan with the same region are one person copied more often than two people are (a move
    # keeps the NIK); in one kelurahan most people share it, and the area says that already, so it is not compared,
    # nor where both NIKs are whole (the NIK comparison covers them).
    Comparison(
        "region",
        "region_a IS NULL OR region_b IS NULL OR kel_a = kel_b OR (nik_a IS NOT NULL AND nik_b IS NOT NULL)",
        (("same", "region_a = region_b"), ("other", "true")),
    ),
    # Two rows on one family card (KK) in different RTs: a person's row keyed again, or left behind by a move,
    # keeps the card more often than two people do. Within one RT a shared card is the household, which the area
    # says already; between rows with one NIK it says nothing more (a NIK copied within a family comes with its
    # card). How much a shared card weighs is learned among the candidate pairs, not random ones (see KK).
    Comparison(
        "kk",
        "nkk_a IS NULL OR nkk_b IS NULL OR (kel_a = kel_b AND rw_a = rw_b AND rt_a = rt_b) OR coalesce(nik_a = nik_b, false)",
        (("same", "nkk_a = nkk_b"), ("other", "true")),
    ),
)
FIELDS = tuple(c.field for c in COMPARISONS)
DOB_LEVELS = COMPARISONS[FIELDS.index("dob")].level_names
NAME_LEVELS = COMPARISONS[FIELDS.index("name")].level_names
# Exact agreement is weighted by how common the value is: (field, its row count, the people column holding it, the
# share at most that a value is given before the list is counted). Each value's share is smoothed toward a prior
# share, worth PSEUDO_ROWS rows: the mean share of the values the list shows, 1 / (distinct values), as a symmetric
# Dirichlet prior over them would have it. On a small list, which shows few of the values there are, that mean is
# too high, and the fixed share caps it: a name seen twice among 300 rows is not a common name. Caps: a typical
# given name, one birthday of about 80 birth years, a typical birthplace, one NIK. A fixed 1 in 10,000 for names
# made a name that two rows of a city's list share look ten times commoner than it is: of the pairs with the same
# rare name and birthplace whose dates differed by a placeholder, half were left unlinked.
TF_FIELDS = {
    "name": ("name_n", "name_key", 1e-4),
    "dob": ("dob_n", "dob", 1 / 29_000),
    "place": ("place_n", "place", 0.05),
    "nik": ("nik_n", "nik", 1e-8),
}
PSEUDO_ROWS = 100_000
PRIOR_DUPLICATE_SHARE = 0.01  # before looking: about 1 row in 100 is a second registration ...
PRIOR_ROWS = 1_000  # ... held as firmly as if 1,000 rows had shown it


@dataclass
class Linkage:
    """What the linkage estimated and decided, for ``summary.json`` and the report."""

    model: Estimates
    threshold: float
    threshold_how: str
    candidate_pairs: int
    linked_pairs: int
    people_on_several_rows: int
    expected_matching_pairs: float
    estimated_precision: float
    estimated_recall: float
    labelled_pairs: int = 0
    estimated_unproposed_pairs: float | None = 0.0  # None: not estimable (too few pairs share a NIK or a rare name)
    compared_pairs: int | None = None  # fewer than candidate_pairs where a sample stood for some (_weak_stride)

    def as_dict(self) -> dict[str, object]:
        return {
            "method": "Fellegi-Sunter, m/u and lambda by EM on this list's candidate pairs, term-frequency adjusted",
            "probability_threshold": self.threshold,
            "threshold_how": self.threshold_how,
            "candidate_pairs": self.candidate_pairs,
            "compared_pairs": self.candidate_pairs if self.compared_pairs is None else self.compared_pairs,
            "linked_pairs": self.linked_pairs,
            "people_on_several_rows": self.people_on_several_rows,
            "estimated_people_on_several_rows": round(self.expected_matching_pairs, 1),
            "estimated_precision": round(self.estimated_precision, 4),
            "estimated_recall": round(self.estimated_recall, 4),
            "estimated_unproposed_pairs": (
                None if self.estimated_unproposed_pairs is None else round(self.estimated_unproposed_pairs, 1)
            ),
            "estimated_how": (
                "precision: mean match probability of linked pairs; recall: sum of the probabilities of linked pairs "
                "over the sum for all candidate pairs plus the one-person pairs no blocking rule proposed, estimated "
                "from the pairs sharing a NIK (that rule proposes them whatever else differs): the share of them no "
                "other rule proposed is taken as the share missed among the pairs that do not share a NIK. Where "
                "too few pairs share a NIK (a published list hides it) and the birth dates are hidden, the same is "
                "done with the pairs of one rare name, which one rule proposes whatever their birth years: the share "
                "of them whose years differ is taken as the share missed among the pairs of other names; one-person "
                "pairs of one year whose names share no key are not counted, so on such a list recall is a rough "
                "guide that may be well over the truth. Where neither can be estimated, estimated_unproposed_pairs is "
                "null and recall is among the proposed pairs only. Where compared_pairs "
                "is below candidate_pairs (a published list), the pairs proposed across kelurahan by the first or last "
                "letters of the name or one of its words with the birth year were compared by a sample, each compared "
                "pair counting for as many as it stands for"
            ),
            "labelled_pairs": self.labelled_pairs,
            "model": self.model.as_dict(),
        }


# --- names ---------------------------------------------------------------------------------------------------


# Each step of the name rules is (guard, rewrite) over ``t``: the rewrite changes nothing where the guard is false,
# so a query may skip it there. Most names need few of the steps (no punctuation, no doubled letter), and the
# regular expressions were most of the linkage's time on a city's list; a guard is a cheap byte test.
Step = tuple[str | None, str]
_DOUBLES = "|".join(letter + letter for letter in LETTERS)


def _fold_doubles() -> Step:
    """RE2 has no back-references, so each doubled letter is folded on its own."""
    folded = "t"
    for letter in LETTERS:
        folded = f"replace({folded}, '{letter}{letter}', '{letter}')"
    return f"regexp_matches(t, '{_DOUBLES}')", folded


def _replacing(pairs: tuple[tuple[str, str], ...]) -> Step:
    """The replacements in order, skipped where none of the old texts occurs (then none can arise either): on a
    city's 883,000 names, 8,000 hold a pre-1972 spelling and 150,000 a letter pair of PHONETIC, and the chain of
    replace() calls over every name took 0.3 s."""
    text = "t"
    for old, new in pairs:
        text = f"replace({text}, '{old}', '{new}')"
    olds = sorted({old for old, _ in pairs})
    guard = (
        f"regexp_matches(t, '[{''.join(olds)}]')"
        if all(len(o) == 1 for o in olds)
        else f"regexp_matches(t, '{'|'.join(olds)}')"
    )
    return guard, text


NAME_STEPS: tuple[Step, ...] = (
    (None, "upper(split_part(coalesce(t, ''), ',', 1))"),  # degrees usually follow a comma
    ("contains(t, '.')", "regexp_replace(t, '(\\s+[SMD]\\.\\s?[A-Z]{1,4}\\.?)+\\s*$', '')"),  # ... or a space: S.PD.
    ("t GLOB '*[!A-Z ]*' OR contains(t, '  ')", "regexp_replace(t, '[^A-Z]+', ' ', 'g')"),  # now one space apart
    (None, f"trim(regexp_replace(trim(t), '^(({TITLES})\\s+)+', ''))"),  # titles come first: H. HJ. DRS.
    (None, f"regexp_replace(t, '^({MUHAMMAD_FULL})', 'MHD ')"),  # also when run together: MUHAMMADRIFAI
    (None, f"regexp_replace(t, '^({MUHAMMAD_SHORT})\\b', 'MHD')"),
    (None, f"regexp_replace(t, '\\b({MUHAMMAD_FULL})\\b', 'MHD', 'g')"),
    ("contains(t, '  ')", "regexp_replace(t, '\\s+', ' ', 'g')"),  # MHD + a space left by the rules above
    (None, "trim(t)"),
    _replacing((("OE", "U"), ("DJ", "J"), ("TJ", "C"), ("SJ", "SY"), ("NJ", "NY"), ("CH", "KH"), ("PH", "F"))),
    _fold_doubles(),
)
PHONETIC_STEPS: tuple[Step, ...] = (
    _replacing(PHONETIC),
    # letter for letter; as replace() calls, not translate(), which took twice as long on a city's names (the new
    # letters are none of the old ones, so one after another is all at once)
    _replacing(tuple(zip(*PHONETIC_LETTERS, strict=True))),
    ("contains(t, 'H')", "regexp_replace(t, 'H\\b', '', 'g')"),  # a final H is not heard: FATIMAH ~ FATIMA
    (None, "replace(t, ' ', '')"),
    _fold_doubles(),
)


def _as_expression(column: str, steps: tuple[Step, ...]) -> str:
    """The steps as one expression over ``column``, every rewrite applied (a guard only saves time)."""
    text = column
    for _guard, rewrite in steps:
        text = re.sub(r"\bt\b", _verbatim(text), rewrite)  # ``t`` is the text so far
    return text


def _verbatim(text: str) -> Callable[[re.Match[str]], str]:
    """A replacement for ``re.sub`` that inserts ``text`` as written (a string would have its backslashes read)."""
    return lambda _match: text


def _as_query(source: str, column: str, steps: tuple[Step, ...], out: str) -> str:
    """``source`` with ``out``, the steps applied to ``column``, each step a projection over the one before, so
    that each guard and rewrite reads ``t`` once instead of repeating the text of every step before it."""
    query = f"SELECT *, {column} AS t FROM ({source})"
    for guard, rewrite in steps:
        step = rewrite if guard is None else f"CASE WHEN {guard} THEN {rewrite} ELSE t END"
        query = f"SELECT * REPLACE ({step} AS t) FROM ({query})"
    return f"SELECT * EXCLUDE (t), t AS {out} FROM ({query})"


# Where none of these occurs, every step of NAME_STEPS leaves a name as it is: nothing but capitals and single
# spaces inside, no title or form of MUHAMMAD, no pre-1972 spelling, no doubled letter. So are 557,000 of a city's
# 883,000 distinct names; one pass of this test spares them the eleven steps (0.5 s of a city's audit).
NAME_STEPS_NEEDED = "|".join(
    (
        "[^A-Z ]",
        "  ",
        "^ ",
        " $",
        f"^({TITLES}) ",
        f"^({MUHAMMAD_FULL})",
        f"^({MUHAMMAD_SHORT})\\b",
        f"\\b({MUHAMMAD_FULL})\\b",
        "OE|DJ|TJ|SJ|NJ|CH|PH",
        _DOUBLES,
    )
)


def normalised_name_sql(column: str) -> str:
    """A name with titles, degrees, spelling variants and doubled letters folded: what linkage compares."""
    return _as_expression(column, NAME_STEPS)


def build_names(con: duckdb.DuckDBPyConnection, table: str = "v") -> None:
    """``names``: each distinct name once, normalised, with its words, sorted words, phonetic key and ``name_n``,
    the number of rows whose name normalises to the same key."""
    distinct = f"SELECT nama, count(*) AS rows_with FROM {table} WHERE nama IS NOT NULL GROUP BY nama"
    stepped = _as_query("SELECT * FROM marked WHERE needs", "nama", NAME_STEPS, "name_norm")
    normalised = f"""WITH marked AS MATERIALIZED (
        SELECT *, regexp_matches(nama, '{NAME_STEPS_NEEDED}') AS needs FROM ({distinct}))
        SELECT nama, rows_with, name_norm FROM ({stepped})
        UNION ALL SELECT nama, rows_with, nama FROM marked WHERE NOT needs"""
    phonetic = _as_query("SELECT * FROM normalised WHERE name_norm <> ''", "name_norm", PHONETIC_STEPS, "phon_key")
    # name_n by a grouping joined back, not a window over the names: on a city's 883,000 names the window's
    # partitioning took 0.8 s of CPU, the grouping and join a fraction of it. A sum is 128 bits wide in DuckDB; as a
    # 64-bit count (so is place_n) a city's candidate pairs are compared 0.08 s sooner.
    con.execute(
        f"""
        CREATE OR REPLACE TABLE names AS
        WITH normalised AS MATERIALIZED ({normalised}),
        keyed AS MATERIALIZED (SELECT nama, rows_with, name_norm, replace(name_norm, ' ', '') AS name_key, phon_key
                               FROM ({phonetic})),
        counted AS (SELECT name_key, sum(rows_with)::BIGINT AS name_n FROM keyed GROUP BY name_key)
        SELECT k.nama, k.name_key, string_split(k.name_norm, ' ') AS tokens,
               regexp_matches(k.name_norm, '(^| )[A-Z]( |$)') AS has_initial,
               array_to_string(list_sort(string_split(k.name_norm, ' ')), '') AS sorted_key, k.phon_key, c.name_n
        FROM keyed k JOIN counted c USING (name_key)
        """
    )


# --- people and blocking -------------------------------------------------------------------------------------


def build_people(con: duckdb.DuckDBPyConnection, table: str = "v") -> None:
    """``people``: the fields linkage uses, one row per voter row, with how common name, date, place and NIK are.

    Counts come from small tables (one row per date, place or shared NIK) made from the list's rows not struck as
    TMS, and the list is joined once, to small tables only.
    """
    columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()}
    year = "t.lahir_tahun" if "lahir_tahun" in columns else "year(t.tanggal_lahir)"  # a table made by hand
    status = "t.status_kawin" if "status_kawin" in columns else "NULL::VARCHAR"
    month = "t.lahir_bulan" if "lahir_bulan" in columns else "NULL::SMALLINT"
    con.execute(f"CREATE OR REPLACE TEMP VIEW listed AS SELECT * FROM {table} WHERE NOT sudah_tms")
    build_place_keys(con, "listed")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE place_counts AS
        SELECT place, sum(rows_with)::BIGINT AS place_n FROM place_keys WHERE place IS NOT NULL GROUP BY ALL;
        CREATE OR REPLACE TEMP TABLE dob_counts AS
        SELECT tanggal_lahir, count(*) AS dob_n FROM listed WHERE tanggal_lahir IS NOT NULL GROUP BY ALL;
        CREATE OR REPLACE TEMP TABLE shared_niks AS
        SELECT nik_d AS nik, count(*) AS nik_n FROM listed WHERE nik_full GROUP BY ALL HAVING count(*) > 1;
        CREATE OR REPLACE TABLE people AS
        SELECT t.rid, n.name_key, n.tokens, {_hashed("n.sorted_key")} AS sorted_key, {_hashed("n.phon_key")} AS phon_key,
               n.has_initial, n.name_n, t.tanggal_lahir AS dob,
               CASE WHEN t.tanggal_lahir IS NULL THEN coalesce(t.usia, {YEAR_AS_AGE} - {year}) ELSE t.usia END AS usia,
               {year} AS yob, CASE WHEN t.tanggal_lahir IS NULL THEN {month} END AS mob, t.jenis_kelamin AS sex,
               CASE WHEN t.nik_full THEN t.nik_d END AS nik,
               CASE WHEN t.nkk_full THEN TRY_CAST(t.nkk_d AS BIGINT) END AS nkk, t.kode_kelurahan AS kel, t.rw, t.rt,
               {status} AS status,
               CASE WHEN regexp_full_match(left(t.nik_d, 6), '[0-9]{{6}}') THEN left(t.nik_d, 6) END AS region,
               pl.place, pl.place_key, df.dob_n, pc.place_n,
               CASE WHEN t.nik_full THEN coalesce(sn.nik_n, 1) END AS nik_n
        FROM listed t JOIN names n ON n.nama = t.nama
        LEFT JOIN place_keys pl ON pl.tempat_lahir = t.tempat_lahir
        LEFT JOIN place_counts pc ON pc.place = pl.place
        LEFT JOIN dob_counts df ON df.tanggal_lahir = t.tanggal_lahir
        LEFT JOIN shared_niks sn ON sn.nik = t.nik_d AND t.nik_full;
        DROP VIEW listed; DROP TABLE place_keys; DROP TABLE place_counts; DROP TABLE dob_counts; DROP TABLE shared_niks;
        """
    )


def _hashed(column: str) -> str:
    """A text that is only ever compared whole (the sorted words, the sound) as a 64-bit hash, NULL kept: a pair's
    two rows move through the comparison's joins a fifth faster without them. Two different texts hashing alike
    (about one pair in 10^19) would only give one pair a level it lacks."""
    return f"CASE WHEN {column} IS NOT NULL THEN hash({column}) END"


def prefix_length(rows: int) -> int:
    """Letters of the name that blocking compares: more for bigger lists, so candidate pairs grow about linearly
    (people sharing a birth date grow with the list; each extra letter splits them about tenfold). A typo among
    the first letters is still caught by the last letters or by a whole word."""
    return 3 + (rows > 3_000_000) + (rows > 30_000_000)


def tail_length(rows: int) -> int:
    """Final letters of the name that blocking compares: two more than the first letters, since Indonesian names
    end alike (-WATI, -YANTI, -IYAH): on a city's list four final letters proposed a third of all candidate pairs,
    five half as many, for the same F1."""
    return prefix_length(rows) + 2


def build_candidates(con: duckdb.DuckDBPyConnection) -> None:
    """Candidate pairs (a < b) from the blocking rules; each pair once.

    A typo, a variant or a word moved changes at most one of: the name's first letters, its last letters, one of
    its words, unless the name is no longer than its first and last letters together: such a name is also blocked
    on each of its letters left out. Words moved keep the words themselves, in sorted order: a name whose words
    are all too common to block on, written in another order (DEWI LESTARI ~ LESTARI DEWI), shares no other key;
    nor does a name cut to one common word (SRI DEWI ~ DEWI), so within one RT two rows of one birth date are
    compared whatever their names (about one pair per RT; twins among them are weighed in their own stratum, see
    :func:`score`), and two rows with alike names (RT_NAME_SIMILARITY) when two of year, month and day agree: a
    slip in the name and another in the date change every other key once NIK and NKK are masked; elsewhere, a
    word of the name that at most one row in 2,000 carries (RARE_WORD_SHARE) with two of year, month and day and
    the third one slip off, or the day and month swapped.

    A wrong birth date keeps the name's sound (its phonetic key) and two of year, month and day with the third one
    slip off (see :func:`_one_slip`), or the day and month in another order, or the day before or after across a
    month's end; a placeholder date (01-01, 01-07, 31-12: "born some time that year") keeps only the year. A rare
    name is compared whatever the date within one kelurahan (a date copied from a relative's row), and across
    kelurahan only where a date is missing: across the city it proposed 265,000 pairs for 17 of one person on a
    list of 1.38 M. A shared NIK is compared always. A row keyed twice into one family card
    can carry several slips at once (a name typo, a wrong day, a new NIK): within one NKK, two rows are compared
    when two of year, month and day agree, or one of them and the sex, or their names are alike
    (RT_NAME_SIMILARITY) whatever the dates: a date copied from a relative's row shares no part with the right one
    (a card holds a few people, so this costs 0.1 s on a city's list; on the arsip profile, which copies dates so,
    F1 rose .9629 -> .9686 at 1.38 M and .9680 -> .9706 at 200 k, the other profiles within .0003).

    Two rows whose NIKs spell one region and birth date (a digit of the serial mistyped, or one NIK kept while
    the date column took a slip) with alike names are compared too: with a slip in the name and one in the date
    they share no other key.

    ``by_other`` says whether a rule that does not read the NIK proposed the pair: the shared-NIK rule proposes one
    person's two rows whatever their names and dates, so among them the share the other rules miss estimates
    how many one-person pairs no rule proposes (see :func:`unproposed_matches`). The NIK's region and date rule
    reads the NIK too: counted as another rule it proposed nearly every pair sharing a NIK, and the estimated
    recall on one list of 200,000 rose from .942 to .982 against .953 true.
    """
    rows = _row_count(con)
    n = prefix_length(rows)
    common = max(COMMON_WORD_MIN_ROWS, round(COMMON_WORD_SHARE * rows))
    con.execute(  # each row's words once (a name may repeat one), and how many rows carry each word
        f"""
        CREATE OR REPLACE TEMP TABLE row_words AS
        SELECT rid, dob, unnest({_EACH_WORD_ONCE}) AS word FROM people;
        CREATE OR REPLACE TEMP TABLE word_rows AS SELECT word, count(*) AS n FROM row_words GROUP BY word;
        CREATE OR REPLACE TEMP TABLE common_words AS SELECT word FROM word_rows WHERE n > {common}
        """
    )
    # A name that starts with a common word (MHD, SITI, NUR, SRI) says little by its first letters: its head runs on
    # into the next word (MHD RIZKI: MHDR; SITI AMINAH: SITIA). On a city's list of very common names the plain
    # head paired every MUHAMMAD born on one day: 2.7 of 5.8 M candidate pairs, and the audit went over 2 GiB.
    head = f"""CASE WHEN len(tokens) > 1 AND tokens[1] IN (SELECT word FROM common_words)
        THEN left(name_key, {n} + length(tokens[1]) - 2) ELSE left(name_key, {n}) END"""
    tail = f"right(name_key, {tail_length(rows)})"
    con.execute(  # narrow keys: the self-joins move a few columns and hashes, never the names' word lists
        f"""
        CREATE OR REPLACE TEMP TABLE keys AS
        SELECT rid, name_key, length(head) AS head_length, y, m, d, lo, hi, placeholder, dob, name_n, nkk, sex, kel,
               nik_n, {_joint_key("dob", "head")} AS k_head, {_joint_key("dob", tail)} AS k_tail,
               {_joint_key("dob", "sorted_key")} AS k_sorted, {_joint_key("phon_key", "y")} AS k_sound_y,
               {_joint_key("phon_key", "m", "d")} AS k_sound_md, {_joint_key("phon_key", "dob")} AS k_sound_dob,
               {_joint_key("phon_key", "dob + 1")} AS k_sound_next, {_joint_key("name_key")} AS k_name,
               {_joint_key("kel", "rw", "rt", "y")} AS k_rt_y, {_joint_key("kel", "rw", "rt", "m", "d")} AS k_rt_md,
               {_joint_key("left(nik, 12)")} AS k_nik_born, {_joint_key("nik")} AS k_nik
        FROM (SELECT rid, name_key, {head} AS head, year(dob) AS y, month(dob) AS m, day(dob) AS d,
                     least(day(dob), month(dob)) AS lo, greatest(day(dob), month(dob)) AS hi,
                     {_PLACEHOLDER.format(d="dob")} AS placeholder, dob, name_n, phon_key, sorted_key, nkk, sex, kel, rw,
                     rt, nik, nik_n
              FROM people);
        CREATE OR REPLACE TEMP TABLE words AS
        SELECT w.rid, {_joint_key("w.dob", "w.word")} AS k FROM row_words w JOIN word_rows USING (word)
        WHERE word_rows.n <= {common} AND length(w.word) >= {MIN_TOKEN} AND w.dob IS NOT NULL;
        CREATE OR REPLACE TEMP TABLE rare_words AS
        SELECT w.rid, k.y, k.m, k.d, {_joint_key("w.word", "k.y", "k.m")} AS k_ym,
               {_joint_key("w.word", "k.m", "k.d")} AS k_md, {_joint_key("w.word", "k.y", "k.d")} AS k_yd,
               {_joint_key("w.word", "k.y", "k.lo", "k.hi")} AS k_swap
        FROM row_words w JOIN word_rows USING (word) JOIN keys k USING (rid)
        WHERE word_rows.n <= {max(2, round(RARE_WORD_SHARE * rows))} AND length(w.word) >= {MIN_TOKEN}
          AND w.dob IS NOT NULL;
        DROP TABLE row_words; DROP TABLE word_rows
        """
    )
    pair = "x.rid AS a, y.rid AS b FROM keys x JOIN keys y ON x.rid < y.rid AND"
    same_parts = "((x.y = y.y)::INT + (x.m = y.m)::INT + (x.d = y.d)::INT)"
    # A name no longer than its head and tail together: one slip (a letter changed, added, dropped, or two letters
    # swapped) can change both, and its word may be too common to block on (AGUNG ~ AGNG, SIT ADE ~ SITI ADE). Two
    # names one slip apart share the name less one letter (or the shorter name whole): each such row is blocked
    # on every one of those, with the birth date.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE one_letter_less AS
        SELECT rid, {_joint_key("dob", "variant")} AS k FROM (
            SELECT rid, dob, unnest(list_append(list_transform(range(1, length(name_key) + 1),
                   lambda i: left(name_key, i - 1) || substr(name_key, i + 1)), name_key)) AS variant
            FROM keys WHERE dob IS NOT NULL AND length(name_key) <= head_length + {tail_length(rows)})"""
    )
    alike = f"jaro_winkler_similarity(x.name_key, y.name_key) >= {RT_NAME_SIMILARITY}"
    rare = "x.rid AS a, y.rid AS b FROM rare_words x JOIN rare_words y ON x.rid < y.rid AND"
    # two of year, month and day the same, the third the same or one slip off (see _one_slip)
    day_slip = f"x.y = y.y AND x.m = y.m AND {_one_slip('x.d', 'y.d')}"
    month_slip = f"x.y = y.y AND x.d = y.d AND {_one_slip('x.m', 'y.m')}"
    con.execute(
        f"""
        CREATE OR REPLACE TABLE candidates AS
        SELECT DISTINCT a, b, true AS by_other, 1 AS weight FROM (
            SELECT {pair} x.k_head = y.k_head
            UNION ALL SELECT {pair} x.k_tail = y.k_tail
            UNION ALL SELECT x.rid, y.rid FROM words x JOIN words y ON x.rid < y.rid AND x.k = y.k
            UNION ALL SELECT {pair} x.k_sound_y = y.k_sound_y AND ({day_slip} OR {month_slip}
                OR (x.lo = y.lo AND x.hi = y.hi) OR x.placeholder OR y.placeholder)
            UNION ALL SELECT {pair} x.k_sound_md = y.k_sound_md AND {_one_slip("x.y", "y.y", 4)}
            UNION ALL SELECT {pair} x.k_name = y.k_name AND x.name_n <= {MAX_NAME_BLOCK}
                AND (x.kel = y.kel OR x.dob IS NULL OR y.dob IS NULL)
            UNION ALL SELECT {pair} x.nkk = y.nkk AND ({same_parts} >= 2 - (x.sex = y.sex)::INT OR {alike})
        );
        -- in statements of their own: ten joins at once went over a tight memory cap (--memory)
        INSERT INTO candidates SELECT a, b, true, 1 FROM (
            SELECT {pair} x.k_sorted = y.k_sorted
            UNION SELECT {pair} x.k_rt_y = y.k_rt_y AND (x.dob = y.dob OR ({alike}
                AND (x.m = y.m OR x.d = y.d OR (x.lo = y.lo AND x.hi = y.hi) OR x.placeholder OR y.placeholder)))
            UNION SELECT {pair} x.k_rt_md = y.k_rt_md AND {alike}
            UNION SELECT x.rid, y.rid FROM one_letter_less x JOIN one_letter_less y ON x.rid < y.rid AND x.k = y.k
            UNION SELECT least(x.rid, y.rid), greatest(x.rid, y.rid) FROM keys x JOIN keys y
                ON y.k_sound_dob = x.k_sound_next
            EXCEPT SELECT a, b FROM candidates
        );
        INSERT INTO candidates SELECT a, b, true, 1 FROM (
            SELECT {rare} x.k_ym = y.k_ym AND {_one_slip("x.d", "y.d")}
            UNION SELECT {rare} x.k_md = y.k_md AND {_one_slip("x.y", "y.y", 4)}
            UNION SELECT {rare} x.k_yd = y.k_yd AND {_one_slip("x.m", "y.m")}
            UNION SELECT {rare} x.k_swap = y.k_swap
            EXCEPT SELECT a, b FROM candidates
        );
        INSERT INTO candidates SELECT a, b, false, 1 FROM (
            WITH shared AS (SELECT rid, k_nik FROM keys WHERE nik_n > 1)  -- a NIK on one row pairs with none
            SELECT x.rid AS a, y.rid AS b FROM shared x JOIN shared y ON x.rid < y.rid AND x.k_nik = y.k_nik
            UNION SELECT {pair} x.k_nik_born = y.k_nik_born AND {alike}
            EXCEPT SELECT a, b FROM candidates
        )
        """
    )
    con.execute(
        "DROP TABLE words; DROP TABLE rare_words; DROP TABLE keys; DROP TABLE common_words; DROP TABLE one_letter_less"
    )
    _add_year_candidates(con, n + 2)


# A name's words, each once (a name may repeat one: SITI SITI AMINAH), the first time it occurs: list_distinct()
# builds a hash set per name and took three quarters of listing a city's 3 M words by row (0.32 of 0.42 s).
_EACH_WORD_ONCE = "list_filter(tokens, lambda word, i: list_position(tokens, word) = i)"


def _joint_key(*columns: str) -> str:
    """One 64-bit hash of ``columns``, NULL where any of them is: a blocking rule joins on it instead of on the
    columns themselves, a fifth cheaper a join on a city's list. Two different values that hash alike (about one
    pair in 10^19) would only propose one pair more, which is compared like any other."""
    present = " AND ".join(f"({c}) IS NOT NULL" for c in columns)
    return f"CASE WHEN {present} THEN hash({', '.join(columns)}) END"


def _one_slip(x: str, y: str, digits: int = 2) -> str:
    """Two values of one date part (day, month or year) that are equal or one slip apart: one more or less (the
    day before, the year after), or one digit mistyped or two swapped (as written, 07 ~ 01, 1985 ~ 1958). The
    date levels credit nothing else (see COMPARISONS). Rules that let the third part take any value (with a rare
    name matched whatever the date across the city) proposed 774,709 more pairs on a city's list of 1.38 M, 6 of
    them one person.

    Written in digits, not as the edit distance of the two texts: the same test (checked on every pair of days and
    of years 1880-2030), four times faster for years and eight for days; a city's list of very common names tries
    it on 3.9 million pairs sharing a sound and two date parts."""
    return f"(abs({x} - {y}) <= 1 OR {_one_digit_or_swap(x, y, digits)})"


def _add_year_candidates(con: duckdb.DuckDBPyConnection, letters: int) -> None:
    """Candidate pairs among rows without a whole birth date (published lists): the same visible birth year, or
    the same age where no year shows, and one of: the same name, its words in any order, its sound, its first or
    last letters (with the sex), or one of its words; where the month shows, also one RT and one birth month.
    Blocks over MAX_YEAR_BLOCK rows are skipped. Rows with whole dates are left to the rules above, so a full list
    gets exactly the pairs it got before.

    The first or last letters and the single word are weak keys: across kelurahan they propose pairs of two people
    by the million, and are compared by a sample that stands for them all (see :func:`_weak_stride`)."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE partial AS
        SELECT rid, name_key, phon_key, sorted_key, sex, tokens, has_initial,
               array_to_string(list_transform(tokens, lambda t: left(t, 1)), '') AS initials, left(name_key, {letters}) AS head,
               right(name_key, {letters + 1}) AS tail, coalesce(CAST(yob AS VARCHAR), 'usia ' || usia) AS yk,
               CASE WHEN mob IS NOT NULL THEN yob::INTEGER * 100 + mob END AS ym, kel, rw, rt
        FROM people WHERE dob IS NULL AND (yob IS NOT NULL OR usia IS NOT NULL)
        """
    )
    # Where the month shows, one RT and one birth month is a small block whatever the names: a row keyed twice at
    # one address with a name slip that changes every name key (GATOT ~ GATO, FAYIMAH ~ FATIMAH) is found there.
    every_pair = ("name_key, yk", "sorted_key, yk", "phon_key, yk", "kel, rw, rt, ym")
    con.execute(  # each row's words once (a name may repeat one)
        f"""CREATE OR REPLACE TEMP TABLE partial_words AS
        SELECT * FROM (SELECT rid, yk, ym, kel, has_initial, initials, unnest({_EACH_WORD_ONCE}) AS word FROM partial)
        WHERE length(word) >= {MIN_TOKEN}"""
    )
    weak = {
        "head, sex, yk": "SELECT * FROM partial",
        "tail, sex, yk": "SELECT * FROM partial",
        "word, yk": "SELECT * FROM partial_words",
    }
    blocks = {key: f"weak_blocks_{i}" for i, key in enumerate(weak)}
    for key, query in weak.items():  # once, for the stride and for the pairs
        con.execute(f"CREATE OR REPLACE TEMP TABLE {blocks[key]} AS {_pairing_blocks(query, key)}")
    stride = _weak_stride(con, list(blocks.values()))
    whole = f"x.kel = y.kel OR x.ym = y.ym OR {_MAYBE_INITIALS} AS whole"
    selects = [f"SELECT a, b, 1 AS weight FROM ({_capped_pairs('SELECT * FROM partial', key)})" for key in every_pair]
    selects += [
        f"""SELECT a, b, CASE WHEN whole THEN 1 ELSE {stride} END AS weight
            FROM ({_capped_pairs(query, key, whole, blocks[key])})
            WHERE whole OR hash(a, b) % {stride} = 0"""
        for key, query in weak.items()
    ]
    con.execute(  # a pair any rule proposes whole stands for itself alone
        f"""INSERT INTO candidates
        SELECT g.a, g.b, true, g.weight
        FROM (SELECT a, b, min(weight) AS weight FROM ({" UNION ALL ".join(selects)}) GROUP BY a, b) g
        ANTI JOIN candidates c ON c.a = g.a AND c.b = g.b"""
    )
    con.execute(
        f"DROP TABLE partial; DROP TABLE partial_words; {' '.join(f'DROP TABLE {b};' for b in blocks.values())}"
    )


# Pairs of the weak keys to compare across kelurahan, per row of a published list (see _weak_stride).
WEAK_PAIRS_PER_ROW = 1
# Two rows ``x`` and ``y`` whose names may be one with a word written as its initial (AHMAD F RAHMAN ~ AHMAD FAUZI
# RAHMAN): the linkable pairs the weak keys propose across kelurahan on a published list are mostly these.
_MAYBE_INITIALS = "((x.has_initial OR y.has_initial) AND x.initials = y.initials)"


def _weak_stride(con: duckdb.DuckDBPyConnection, blocks: list[str]) -> int:
    """One in how many pairs that only the weak keys propose (first or last letters, one word, with the birth
    year) is compared across kelurahan; each compared one weighs that many in the estimates.

    On a city's list as KPU publishes it these keys proposed 15.1 of the 15.9 million candidate pairs across
    kelurahan, and 43 of them were linked (41 one person): comparing them all was most of the audit's 63 s.
    They matter to the estimates, not to the links: they are most of the pairs of two people that share a year and
    part of a name, and without them EM took a shared RT for one person (recall on one list of 200,000 fell from .73
    to .20). So about WEAK_PAIRS_PER_ROW such pairs per row are compared, drawn by a hash of the pair (whichever
    key proposed it), and weigh as many as each stands for. Within one kelurahan, where one person's two rows on a
    published list mostly are, every pair is compared. 1 where the keys propose no more pairs than that.

    ``blocks`` are the weak keys' tables of :func:`_pairing_blocks`."""
    sizes = " UNION ALL ".join(f"SELECT n FROM {table}" for table in blocks)
    pairs = scalar(con, f"SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM ({sizes})")
    rows = scalar(con, "SELECT count(*) FROM partial")
    return max(1, int(int(pairs) // max(1, WEAK_PAIRS_PER_ROW * rows)))


def _pairing_blocks(query: str, key: str) -> str:
    """The values of ``key`` that two to MAX_YEAR_BLOCK rows of ``query`` share, with ``n``, their number of rows.
    Counted by grouping: a window over the rows took three times as long."""
    return f"SELECT {key}, count(*) AS n FROM ({query}) GROUP BY ALL HAVING count(*) BETWEEN 2 AND {MAX_YEAR_BLOCK}"


def _capped_pairs(query: str, key: str, extra: str = "", blocks: str | None = None) -> str:
    """Pairs (a < b) of rows of ``query`` that agree on ``key``, from blocks of at most MAX_YEAR_BLOCK rows, with
    the ``extra`` columns (of ``x`` and ``y``). ``blocks`` is a table of :func:`_pairing_blocks` already made."""
    keys = [k.strip() for k in key.split(",")]
    on = " AND ".join(f"x.{k} = y.{k}" for k in keys)
    blocks = blocks or f"({_pairing_blocks(query, key)})"
    blocked = f"SELECT q.* FROM ({query}) q SEMI JOIN {blocks} k ON {' AND '.join(f'q.{k} = k.{k}' for k in keys)}"
    return f"""WITH blocked AS MATERIALIZED ({blocked})
        SELECT x.rid AS a, y.rid AS b{", " + extra if extra else ""}
        FROM blocked x JOIN blocked y ON x.rid < y.rid AND {on}"""


def _row_count(con: duckdb.DuckDBPyConnection) -> int:
    return max(1, scalar(con, "SELECT count(*) FROM people"))


# --- comparison, estimation, scoring -------------------------------------------------------------------------

PAIR_COLUMNS = (
    "name_key AS name",
    "tokens",
    "sorted_key AS sorted",
    "phon_key AS phon",
    "has_initial AS initial",
    "dob",
    "usia",
    "mob",
    "sex",
    "nik",
    "place",
    "place_key",
    "kel",
    "rw",
    "rt",
    "status",
    "region",
    "nkk",
    "name_n",
    "dob_n",
    "place_n",
    "nik_n",
)
U_SAMPLE = 300_000  # random pairs that measure how often two different people agree at each level
MIN_STRATUM_PAIRS = 200
# Strata scored apart (see :func:`score`): pairs born on the same day in the same RT, and on lists that hide the
# day (published lists) pairs of the same age in the same RT. Their non-matches are twins and siblings.
HOUSEHOLD_STRATA: tuple[tuple[str, dict[str, int]], ...] = (
    ("same_date_same_rt", {"dob": 0, "area": 0}),
    ("same_age_same_rt", {"dob": DOB_LEVELS.index("age"), "area": 0}),
    ("same_month_same_rt", {"dob": DOB_LEVELS.index("month_same"), "area": 0}),
)


def _stratum_sql(levels: dict[str, int]) -> str:
    return " AND ".join(f"l_{field} = {level}" for field, level in levels.items())


# the same birth date or, on lists that hide the day, the same month and age, or the same age
DOB_AGREES = ("exact", "month_same", "age")
# (EM session: the field its pairs all agree on, and which it therefore cannot estimate). On a list that shows
# only the age, pairs of the same age are mostly relatives and neighbours, not one person twice: the date session
# there takes only the pairs whose names are at least similar, or EM takes "same RT" for "same person" (twins and
# siblings sharing a surname). A name that is not even similar is then weighed by the prior alone: rare for one
# person's two rows.
SAME_AGE_OTHER_NAME = (
    f"l_dob IN ({DOB_LEVELS.index('month_same')}, {DOB_LEVELS.index('age')}) AND l_name = {NAME_LEVELS.index('other')}"
)
SESSIONS = (
    (
        "dob",
        f"l_dob IN ({', '.join(str(DOB_LEVELS.index(level)) for level in DOB_AGREES)}) AND NOT ({SAME_AGE_OTHER_NAME})",
    ),
    ("name", "l_name = 0"),
)


def _side(alias: str, suffix: str) -> str:
    return ", ".join(f"{alias}.{c.split(' AS ')[0]} AS {c.split(' AS ')[-1]}_{suffix}" for c in PAIR_COLUMNS)


def compare(con: duckdb.DuckDBPyConnection, source: str = "candidates", target: str = "pairs") -> None:
    """``target``: every pair of ``source`` with its level code per field (``-1`` where a field is missing), and
    its ``weight``: how many candidate pairs it stands for (1 but for a sample, see :func:`_weak_stride`)."""
    codes = ", ".join(f"{c.code_sql()} AS {c.column}" for c in COMPARISONS)
    columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    by_other = ", by_other" if "by_other" in columns else ""
    weight = "c.weight" if "weight" in columns else "1"
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {target} AS
        WITH joined AS (
            SELECT c.a, c.b{by_other.replace(", ", ", c.")}, {weight} AS weight, {_side("x", "a")}, {_side("y", "b")}
            FROM {source} c JOIN people x ON x.rid = c.a JOIN people y ON y.rid = c.b
        )
        SELECT a, b{by_other}, weight, {codes}, greatest(name_n_a, name_n_b) AS name_n, greatest(dob_n_a, dob_n_b) AS dob_n,
               greatest(place_n_a, place_n_b) AS place_n, greatest(nik_n_a, nik_n_b) AS nik_n
        FROM ({with_name_similarities("SELECT * FROM joined")})
        """
    )


def _levels() -> tuple[tuple[str, ...], ...]:
    return tuple(c.level_names for c in COMPARISONS)


def _patterns(
    con: duckdb.DuckDBPyConnection, where: str, labels: str | None, group: str = "0"
) -> tuple[np.ndarray, ...]:
    """Distinct level patterns (and ``group``) of the pairs ``where`` holds, with their counts, reviewers' answers
    and group."""
    known = "count(*) FILTER (l.same), count(*) FILTER (NOT l.same)" if labels else "0, 0"
    source = f"pairs p LEFT JOIN {labels} l ON l.a = p.a AND l.b = p.b" if labels else "pairs p"
    rows = con.execute(
        f"SELECT {', '.join('p.' + c.column for c in COMPARISONS)}, {group} AS g, sum(p.weight), {known} FROM {source} "
        f"WHERE {where} GROUP BY ALL"
    ).fetchall()
    table = np.array(rows, dtype=np.float64).reshape(len(rows), len(COMPARISONS) + 4)
    fields = len(COMPARISONS)
    return table[:, :fields].astype(np.int64), table[:, -3], table[:, -2:], table[:, fields].astype(np.int64)


# The name session's pairs share their name; how many rows carry it sets how likely such a pair is one person:
# groups of name frequency, by order of magnitude (2; 3-9; 10-99; 100 or more rows).
NAME_FREQUENCY_GROUP = "CASE WHEN p.name_n <= 2 THEN 0 WHEN p.name_n < 10 THEN 1 WHEN p.name_n < 100 THEN 2 ELSE 3 END"


def _level_shares(
    con: duckdb.DuckDBPyConnection, table: str, comparison: Comparison, weight: str = "1.0"
) -> np.ndarray:
    """The field's level distribution among the pairs of ``table``, each pair counted ``weight`` times; never 0:
    an unseen level is merely rare."""
    k = len(comparison.levels)
    column = comparison.column
    counts = dict(con.execute(f"SELECT {column}, sum({weight}) FROM {table} WHERE {column} >= 0 GROUP BY 1").fetchall())
    seen = np.array([float(counts.get(i, 0) or 0) for i in range(k)], dtype=np.float64)
    return (seen + 0.5) / (seen.sum() + 0.5 * k)


def _random_pair_u(con: duckdb.DuckDBPyConnection) -> list[np.ndarray]:
    """u per level: how often two rows drawn at random (nearly always two people) show it. Deterministic draw.

    Row ids run to the highest one, past rows struck as TMS, rejected or nameless, which are not in ``people``: ids are
    drawn over that whole range (every row can be drawn, the last kelurahan's too), and as many more as the gaps
    will leave out, so that about U_SAMPLE pairs remain."""
    rows, top = one(con, "SELECT count(*), coalesce(max(rid), 1) FROM people")
    draws = round(U_SAMPLE * min((top / max(rows, 1)) ** 2, 4.0))
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE u_source AS
            SELECT (1 + hash(2 * i) % {top})::BIGINT AS a, (1 + hash(2 * i + 1) % {top})::BIGINT AS b FROM range({draws}) t(i)"""
    )
    compare(con, "(SELECT * FROM u_source WHERE a <> b)", "u_pairs")
    u = [_level_shares(con, "u_pairs", comparison) for comparison in COMPARISONS]
    con.execute("DROP TABLE u_pairs; DROP TABLE u_source")
    return u


def _draw_within(con: duckdb.DuckDBPyConnection, group: str, drawn: str, where: str) -> None:
    """``u_source(a, b)``: each row ``where`` holds, of every ``stride``-th value of ``drawn``, paired at random with
    another row of its ``group`` (deterministic). Whole values are drawn, not rows, so that only their rows are
    numbered: on a city's list, numbering every row by date took most of the 1.2 s the NIK's u took."""
    stride = max(1, _row_count(con) // U_SAMPLE)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE u_source AS
        WITH g AS (
            SELECT rid, k, row_number() OVER (PARTITION BY k ORDER BY hash(rid)) - 1 AS pos,
                   count(*) OVER (PARTITION BY k) AS size
            FROM (SELECT *, {group} AS k FROM people)
            WHERE {where} AND hash({drawn}) % {stride} = 0
        )
        SELECT least(x.rid, y.rid) AS a, greatest(x.rid, y.rid) AS b
        FROM g x JOIN g y ON y.k = x.k AND y.pos = (x.pos + 1 + (hash(x.rid) % (x.size - 1)::UBIGINT)::BIGINT) % x.size
        WHERE x.size > 1"""
    )


# Fields whose u is measured again among two people who share a name (see _same_name_u): all but the name itself
# and the NIK (two people's NIKs coincide no more often for sharing a name; the same-date u covers the rest).
SAME_NAME_FIELDS = ("dob", "sex", "place", "area", "status", "region", "kk")
# Only a level that at least 1 in 100 pairs of two people show, of one name or of any, is measured among people of
# one name: one person's two rows that the model scores low count there as two people, and a few hundred of them
# among 100,000 drawn pairs swamp a rare level. They made the same birth date look 130 times commoner between two
# people of one name than between any two, and recall on one list of 200,000 fell by .05; one RT (1 pair in 1,000
# of any two people) would be measured as unreliably.
SAME_NAME_MIN_U = 0.01


def _same_name_u(con: duckdb.DuckDBPyConnection, estimates: Estimates) -> tuple[np.ndarray, ...] | None:
    """u per field among two different people who share a name, drawn from the list: each row of a name several
    rows carry, paired with another row of that name.

    Names are given to boys or to girls, and may follow fashions, places and families. Weighed as if name and the
    rest were independent, a shared name and a shared sex counted twice for one thing: on kawal's generator's list
    as KPU publishes it (birth year only), pairs of one name (on 3-20 rows) and one age in different kelurahan were
    given .77-.84 by the model (those it linked) and were one person in .45-.47 of cases; weighed with u measured
    among people of one name, the pairs it links there are given .89 and are one person in .79-.82 of cases. So
    between two rows of one name each level of the other fields weighs log2(m / u) with u measured among pairs of
    one name.

    A drawn pair that is also a candidate pair counts as two people only by its probability of being two under the
    model's own u. Once: measured again with the new u, the one-person pairs it scores lower count more as two
    people, which lowers them further (a loop that cost one list of 200,000 a recall of .05). Levels rarer than
    SAME_NAME_MIN_U keep the model's u. None where too few rows share a name to measure anything.
    """
    _draw_within(con, "name_key", "name_key", "name_key IS NOT NULL")
    if scalar(con, "SELECT count(*) FROM u_source") < MIN_STRATUM_PAIRS:
        con.execute("DROP TABLE u_source")
        return None
    compare(con, "u_source", "u_pairs")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE u_weighted AS
        SELECT s.* EXCLUDE (probability), CASE WHEN p.a IS NULL THEN 1.0 ELSE 1.0 - s.probability END AS two_people
        FROM ({_scored(estimates, _row_count(con), "u_pairs")}) s
        LEFT JOIN (SELECT a, b FROM pairs) p ON p.a = s.a AND p.b = s.b"""
    )
    u = tuple(
        _level_shares(con, "u_weighted", c, "two_people") if c.field in SAME_NAME_FIELDS else estimates.model.u[f]
        for f, c in enumerate(COMPARISONS)
    )
    con.execute("DROP TABLE u_weighted; DROP TABLE u_pairs; DROP TABLE u_source")
    return u


def _same_date_nik_u(con: duckdb.DuckDBPyConnection, session: fs.Model, within: str = "") -> np.ndarray:
    """u of the NIK levels for two different people born on the same day (and, with ``within``, sharing that
    column too: the kelurahan, whose people were mostly registered in one kecamatan and so share a NIK region).

    A NIK spells out the birth date, and serials restart at 0001 for every date and kecamatan, so people born on one
    day often share a serial and have region codes a digit apart: what looks like a typo among random pairs is a
    coincidence among same-day pairs. Each row of a drawn birth date is paired with another row of its group (see
    :func:`_draw_within`).

    Unlike two rows drawn from the whole list, two rows of one birth date are quite often one person (on a list of
    200,000 about one drawn pair in 400), and such a pair nearly always shares its NIK: counted as two people, it
    would make a shared NIK look ten times commoner among different people than it is. So a drawn pair that is
    also a candidate pair counts as two people only by its probability of being two, under ``session`` (the model
    of the candidate pairs born on one day).
    """
    _draw_within(con, f"({within}, dob)" if within else "dob", "dob", "dob IS NOT NULL AND nik IS NOT NULL")
    nik = COMPARISONS[FIELDS.index("nik")]
    weights = session.weights()
    bits = " + ".join(f"coalesce({_level_weights(c, weights[i])}, 0.0)" for i, c in enumerate(COMPARISONS))
    two_people = f"1.0 - 1.0 / (1.0 + pow(2.0, -least(greatest({session.prior_bits()!r} + {bits}, -1000), 1000)))"
    con.execute(  # the NIK's level alone, and how likely the pair is two people
        f"""CREATE OR REPLACE TEMP TABLE u_pairs AS
        SELECT {nik.code_sql()} AS {nik.column}, CASE WHEN p.a IS NULL THEN 1.0 ELSE {two_people} END AS two_people
        FROM (SELECT s.a, s.b, x.nik AS nik_a, y.nik AS nik_b
              FROM u_source s JOIN people x ON x.rid = s.a JOIN people y ON y.rid = s.b) s
        LEFT JOIN pairs p ON p.a = s.a AND p.b = s.b"""
    )
    u = _level_shares(con, "u_pairs", nik, "two_people")
    con.execute("DROP TABLE u_pairs; DROP TABLE u_source")
    return u


@dataclass(frozen=True)
class Estimates:
    """The model, and u of the NIK levels for pairs born on the same day (see :func:`_same_date_nik_u`)."""

    model: fs.Model
    nik_u_same_date: np.ndarray
    household: dict[str, fs.Model]  # per stratum of HOUSEHOLD_STRATA with enough pairs: twins live there
    nik_u_same_date_kel: np.ndarray | None = None  # the same, for pairs living in one kelurahan
    value_shares: dict[str, float] | None = None  # prior share of a value per field of TF_FIELDS (see _value_shares)
    same_name_u: tuple[np.ndarray, ...] | None = None  # u per field among two people of one name (see _same_name_u)

    def same_name_bits(self, field: int) -> np.ndarray:
        """How many bits each level of ``field`` weighs less between two rows of one name than between any two (less
        than 0: more): the log of how much more often two people who share a name show it; 0 for a level too rare
        to measure (SAME_NAME_MIN_U)."""
        if self.same_name_u is None:
            return np.zeros(len(self.model.u[field]))
        measured, anyone = self.same_name_u[field], self.model.u[field]
        return np.where(np.minimum(measured, anyone) >= SAME_NAME_MIN_U, np.log2(measured / anyone), 0.0)

    def same_date_nik_weights(self, same_kelurahan: bool = False) -> np.ndarray:
        u = (
            self.nik_u_same_date_kel
            if same_kelurahan and self.nik_u_same_date_kel is not None
            else self.nik_u_same_date
        )
        return np.log2(self.model.m[FIELDS.index("nik")] / u)

    def as_dict(self) -> dict[str, object]:
        levels = COMPARISONS[FIELDS.index("nik")].level_names
        u = dict(zip(levels, np.round(self.nik_u_same_date, 6).tolist(), strict=True))
        kel = None if self.nik_u_same_date_kel is None else np.round(self.nik_u_same_date_kel, 6).tolist()
        return {
            **self.model.as_dict(),
            "prior_value_share": self.value_shares,
            "nik_u_same_birth_date": u,
            "nik_u_same_birth_date_same_kelurahan": None if kel is None else dict(zip(levels, kel, strict=True)),
            "u_same_name": None
            if self.same_name_u is None
            else {
                c.field: dict(zip(c.level_names, np.round(u, 6).tolist(), strict=True))
                for c, u in zip(COMPARISONS, self.same_name_u, strict=True)
                if c.field in SAME_NAME_FIELDS
            },
            **{
                name: self.household[name].as_dict() if name in self.household else None for name, _ in HOUSEHOLD_STRATA
            },
        }


def estimate(con: duckdb.DuckDBPyConnection, labels: str | None = None) -> Estimates:
    """m by EM in two sessions, u from random pairs (the family card's from the date session, see KK), and the
    prior from the number of people estimated twice.

    Each session takes the candidate pairs that agree on one field (the same birth date; the same name), so that
    within it the two classes differ only in the other fields; it cannot estimate the field it agrees on, which
    the other session does. Exact agreement on name, date and place is weighted per value when scoring, and
    between two rows of one name the other fields against u measured among people of one name (see
    :func:`_same_name_u`).
    """
    levels = _levels()
    codes, counts, known, _ = _patterns(con, SESSIONS[0][1], labels)
    by_dob = fs.estimate(FIELDS, levels, codes, counts, known, tied={FIELDS.index("nik"): NEXT_SERIAL}, priors=KK_PRIOR)
    # The name session estimates the date's m alone: the other fields' m are the date session's, held. Left free,
    # EM may take another split of the same-name pairs for the two classes (a father and his son of the same
    # name, at one address, look like one person on every field but the date).
    held = {f: by_dob.m[f] for f, field in enumerate(FIELDS) if field != "dob"}
    codes, counts, known, groups = _patterns(con, SESSIONS[1][1], labels, NAME_FREQUENCY_GROUP)
    prior = _age_prior(codes, counts)
    by_name = fs.estimate(FIELDS, levels, codes, counts, known, held_m=held, priors=prior, groups=groups)
    m = [by_name.m[i] if field == "dob" else by_dob.m[i] for i, field in enumerate(FIELDS)]
    u = _random_pair_u(con)
    u[KK] = by_dob.u[KK]
    rows = _row_count(con)
    dob_pairs = scalar(con, f"SELECT coalesce(sum(weight), 0) FROM pairs WHERE {SESSIONS[0][1]}")
    agree = sum(m[FIELDS.index("dob")][DOB_LEVELS.index(level)] for level in DOB_AGREES)
    matches = by_dob.lam * dob_pairs / max(agree, 1e-3)  # one-person pairs with the same date, scaled to all
    matches = (matches + PRIOR_DUPLICATE_SHARE * PRIOR_ROWS) / (rows + PRIOR_ROWS) * rows
    lam = min(max(matches / max(rows * (rows - 1) / 2, 1), 1e-12), 0.5)
    model = fs.Model(FIELDS, levels, tuple(m), tuple(u), lam, by_dob.iterations + by_name.iterations)
    household = {}
    for name, stratum in HOUSEHOLD_STRATA:
        codes, counts, known, _ = _patterns(con, _stratum_sql(stratum), labels)
        if counts.sum() >= MIN_STRATUM_PAIRS:  # fewer pairs cannot show how relatives differ: the overall model stands
            share = _expected_share(model, stratum)
            household[name] = fs.estimate_u(model, codes, counts, known, ("dob", "area"), share)
    same_date, same_kel = _same_date_nik_u(con, by_dob), _same_date_nik_u(con, by_dob, "kel")
    estimates = Estimates(model, same_date, household, same_kel, _value_shares(con))
    return replace(estimates, same_name_u=_same_name_u(con, estimates))


def _value_shares(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The prior share of one value per field of TF_FIELDS: one over the distinct values the list shows, at most
    the field's cap. The counts are HyperLogLog estimates (a few percent off, the same every run): a prior needs no
    more, and counting exactly took 0.25 s on a city's list, the estimate 0.04 s."""
    columns = [column for _, column, _ in TF_FIELDS.values()]
    counts = con.execute(f"SELECT {', '.join(f'approx_count_distinct({c})' for c in columns)} FROM people").fetchall()[
        0
    ]
    return {
        field: min(cap, 1.0 / max(int(n), 1)) for (field, (_, _, cap)), n in zip(TF_FIELDS.items(), counts, strict=True)
    }


NIK_LEVELS = COMPARISONS[FIELDS.index("nik")].level_names
# One digit of a serial mistyped lands one number off in 1 case of 18 (the last digit, to one of its two
# neighbours of nine others): what one person's two rows show as "next" is that share of what they show as
# "serial". Twins show "next" always, and EM left free would take them for one person.
NEXT_SERIAL = fs.Tie(NIK_LEVELS.index("next"), NIK_LEVELS.index("serial"), 1 / 17)


# what a list that hides the day compares: the month and the age
AGE_LEVELS = tuple(DOB_LEVELS.index(level) for level in ("month_same", "month_other", "age", "age_near", "age_other"))

# The family card's u is how often two *different* people among the candidate pairs born on one day share a card
# across RTs (the date session's u), not among random pairs. Two people on one card are relatives, who look alike
# on name and date far more often than random pairs do: random pairs almost never share a card, and on a list
# whose families span RTs their u made a shared card near proof and linked relatives (F1 on one list of 200,000
# fell from .965 to .959). The date session's u lets the list say how common such families are. Its m starts
# even: whether a moved or re-keyed row keeps its card is the list's to say, and a small list that shows no such
# pairs gives the card no weight either way.
KK = FIELDS.index("kk")
KK_PRIOR = {KK: np.array([0.5, 0.5])}


def _age_prior(codes: np.ndarray, counts: np.ndarray) -> dict[int, np.ndarray] | None:
    """On a list that shows ages, not dates (most of the name session's pairs compare ages), the date's prior puts
    agreement on "same age" as the generic prior puts it on the first level: left on whole dates, a small list's
    EM starts from "same age says nothing" and never leaves it."""
    f = FIELDS.index("dob")
    column = np.asarray(codes, dtype=np.int64).reshape(len(counts), len(FIELDS))[:, f]
    compared = counts[column >= 0].sum()
    if compared <= 0 or counts[np.isin(column, AGE_LEVELS)].sum() < compared / 2:
        return None
    prior = np.full(len(DOB_LEVELS), 1e-3)
    ages = [DOB_LEVELS.index(level) for level in ("age", "age_near", "age_other")]
    prior[ages] = fs.prior_m(len(ages))
    # a month shown agrees as an age does, or disagrees as ages far apart do
    prior[DOB_LEVELS.index("month_same")] = prior[DOB_LEVELS.index("age")]
    prior[DOB_LEVELS.index("month_other")] = prior[DOB_LEVELS.index("age_other")]
    return {f: prior / prior.sum()}


def _expected_share(model: fs.Model, levels: dict[str, int]) -> float:
    """The share of one-person pairs the overall model expects among pairs showing ``levels``."""
    bits = model.prior_bits() + sum(model.weights()[FIELDS.index(f)][level] for f, level in levels.items())
    return float(1.0 / (1.0 + 2.0 ** -np.clip(bits, -60, 60)))


def _exact_value_weight(m_exact: float, field: str, rows: int, prior_share: float | None = None) -> str:
    """log2(m / p_v) for agreeing on value v: two people share it with probability p_v², one person has it with
    probability p_v, so the Bayes factor is m / p_v. p_v is the value's share of the other rows, smoothed toward
    ``prior_share`` (default: the field's cap in TF_FIELDS) so that a small list does not read a rare value seen
    twice as a common one."""
    count, _, cap = TF_FIELDS[field]
    prior = cap if prior_share is None else prior_share
    share = f"(greatest({count} - 1, 0) + {PSEUDO_ROWS * prior!r}::DOUBLE) / ({rows} + {PSEUDO_ROWS})"
    return f"log2({m_exact!r}::DOUBLE / ({share}))"


def _level_weights(
    comparison: Comparison, weights: np.ndarray, exact_sql: str | None = None, uncapped: tuple[int, ...] = ()
) -> str:
    """A CASE over the field's level. With ``exact_sql`` (the weight of exact agreement on the pair's value) no
    partial level weighs more than that: two rows that nearly agree (RIZKI, RIZKA) are not better evidence than two
    that agree exactly on the commoner of their values, however rarely random pairs show the partial level. Levels
    in ``uncapped`` compare something else than the value (an age where the date is hidden) and keep their weight."""
    if not exact_sql:
        cases = " ".join(f"WHEN {i} THEN {float(w)!r}::DOUBLE" for i, w in enumerate(weights))
        return f"CASE {comparison.column} {cases} ELSE 0.0 END"
    partial = " ".join(
        f"WHEN {i} THEN {float(w)!r}::DOUBLE"
        if i in uncapped
        else f"WHEN {i} THEN least({float(w)!r}::DOUBLE, {exact_sql})"
        for i, w in enumerate(weights)
        if i
    )
    return f"CASE {comparison.column} WHEN 0 THEN {exact_sql} {partial} ELSE 0.0 END"


# Birth dates that agree or nearly (a digit or two apart): their NIKs' date digits agree or nearly too, so two
# people born in one kecamatan with the same serial (0001 is the commonest) have NIKs a digit or two apart. Among
# random pairs that is a sure sign of one NIK mistyped; among these pairs it is a coincidence to expect, as among
# pairs born on the same day (see :func:`_same_date_nik_u`).
NEAR_DATES = ("exact", "swap", "day", "year", "digit")


def _field_weight(estimates: Estimates, comparison: Comparison, rows: int) -> str:
    """The field's weight per level (exact agreement per value); the NIK's given the birth dates agree or not."""
    model, i = estimates.model, FIELDS.index(comparison.field)
    exact = None
    if comparison.field in TF_FIELDS:
        prior = (estimates.value_shares or {}).get(comparison.field)
        exact = _exact_value_weight(float(model.m[i][0]), comparison.field, rows, prior)
    # An age compared where a date is hidden is no partial agreement on the date: the date's exact weight (of a
    # date the pair does not show) does not cap it.
    uncapped = AGE_LEVELS if comparison.field == "dob" else ()
    weight = _level_weights(comparison, model.weights()[i], exact, uncapped)
    if comparison.field in SAME_NAME_FIELDS and estimates.same_name_u is not None:
        less = _level_weights(comparison, estimates.same_name_bits(i))
        return f"CASE WHEN l_name = {NAME_LEVELS.index('exact')} THEN ({weight}) - ({less}) ELSE {weight} END"
    if comparison.field != "nik":
        return weight
    same_date = _level_weights(comparison, estimates.same_date_nik_weights())
    same_kel = _level_weights(comparison, estimates.same_date_nik_weights(same_kelurahan=True))
    near = ", ".join(str(DOB_LEVELS.index(level)) for level in NEAR_DATES)
    area = COMPARISONS[FIELDS.index("area")]
    one_kel = ", ".join(str(area.level_names.index(level)) for level in ("rt", "kelurahan"))
    return (
        f"CASE WHEN {COMPARISONS[FIELDS.index('dob')].column} IN ({near}) THEN "
        f"CASE WHEN {area.column} IN ({one_kel}) THEN {same_kel} ELSE {same_date} END ELSE {weight} END"
    )


def _household_weights(household: fs.Model) -> dict[str, str]:
    """Weights for pairs born on the same day in the same RT, against the u of that stratum; the two fields that
    define it give no weight (NULL, so the explanation names them without one)."""
    weights = {}
    for comparison, field_weights in zip(COMPARISONS, household.weights(), strict=True):
        fixed = comparison.field in ("dob", "area")
        weights[comparison.field] = "NULL::DOUBLE" if fixed else _level_weights(comparison, field_weights)
    return weights


def score(con: duckdb.DuckDBPyConnection, estimates: Estimates, labels: str | None = None) -> None:
    """Add ``w_<field>`` (bits), ``score`` (total bits with the prior) and ``probability`` to ``pairs``.

    Pairs born on the same day (or, on a list that hides the day, of the same age) in the same RT are scored
    within their stratum (m as everywhere, u and the prior estimated on the stratum): there, two different people
    are mostly twins or siblings, who share a household, a birthplace and often a surname, and only the name and
    the NIK tell them apart."""
    con.execute(f"CREATE OR REPLACE TABLE pairs AS {_scored(estimates, _row_count(con), 'pairs', labels)}")


def _scored(estimates: Estimates, rows: int, source: str, labels: str | None = None) -> str:
    """The query: ``source`` (pairs with their levels) with ``w_<field>``, ``score`` and ``probability``."""
    model = estimates.model
    strata = [
        (_stratum_sql(levels), estimates.household[name])
        for name, levels in HOUSEHOLD_STRATA
        if name in estimates.household
    ]
    parts = []
    for c in COMPARISONS:
        cases = " ".join(f"WHEN {where} THEN {_household_weights(m)[c.field]}" for where, m in strata)
        overall = _field_weight(estimates, c, rows)
        parts.append(f"CASE {cases} ELSE {overall} END AS w_{c.field}" if cases else f"{overall} AS w_{c.field}")
    cases = " ".join(f"WHEN {where} THEN {m.prior_bits()!r}::DOUBLE" for where, m in strata)
    prior = f"{model.prior_bits()!r}::DOUBLE"
    prior = f"CASE {cases} ELSE {prior} END" if cases else prior
    total = " + ".join(f"coalesce(w_{f}, 0.0)" for f in FIELDS)
    probability = "1.0 / (1.0 + pow(2.0, -least(greatest(score, -1000), 1000)))"
    if labels:
        probability = f"CASE WHEN l.same THEN 1.0 WHEN NOT l.same THEN 0.0 ELSE {probability} END"
    join = f"LEFT JOIN {labels} l ON l.a = s.a AND l.b = s.b" if labels else ""
    return f"""
        WITH weighted AS (SELECT *, {", ".join(parts)} FROM {source}),
        s AS (SELECT *, {prior} + {total} AS score FROM weighted)
        SELECT s.*, {probability} AS probability FROM s {join}
        """


def cluster(con: duckdb.DuckDBPyConnection, threshold: float) -> int:
    """``clusters(rid, cluster_rid)``: connected components of the pairs at or above the probability threshold."""
    con.execute(f"CREATE OR REPLACE TABLE edges AS SELECT a, b FROM pairs WHERE probability >= {float(threshold)}")
    con.execute(
        """
        CREATE OR REPLACE TABLE clusters AS
        SELECT rid, rid AS cluster_rid FROM (SELECT a AS rid FROM edges UNION SELECT b FROM edges)
        """
    )
    for _ in range(64):  # label propagation: each round every node takes the smallest label among its neighbours
        con.execute(
            """
            CREATE OR REPLACE TABLE next_clusters AS
            SELECT c.rid, least(c.cluster_rid, coalesce(min(n.cluster_rid), c.cluster_rid)) AS cluster_rid
            FROM clusters c
            LEFT JOIN (SELECT a AS rid, b AS other FROM edges UNION ALL SELECT b, a FROM edges) e ON e.rid = c.rid
            LEFT JOIN clusters n ON n.rid = e.other
            GROUP BY c.rid, c.cluster_rid
            """
        )
        changed = scalar(
            con, "SELECT count(*) FROM next_clusters n JOIN clusters c USING (rid) WHERE n.cluster_rid <> c.cluster_rid"
        )
        con.execute("DROP TABLE clusters; ALTER TABLE next_clusters RENAME TO clusters")
        if not changed:
            break
    return scalar(con, "SELECT count(DISTINCT cluster_rid) FROM clusters")


def _summarise(
    con: duckdb.DuckDBPyConnection,
    model: Estimates,
    threshold: tuple[float, str],
    people: int,
    labels: str | None,
    unproposed: float | None,
) -> Linkage:
    cut, how = threshold
    candidates, compared, linked, expected, linked_p = con.execute(
        f"""SELECT coalesce(sum(weight), 0), count(*), count(*) FILTER (probability >= {float(cut)}),
                   coalesce(sum(probability * weight), 0),
                   coalesce(sum(probability) FILTER (probability >= {float(cut)}), 0) FROM pairs"""
    ).fetchall()[0]
    labelled = scalar(con, f"SELECT count(*) FROM {labels}") if labels else 0
    return Linkage(
        model=model,
        threshold=cut,
        threshold_how=how,
        candidate_pairs=candidates,
        compared_pairs=compared,
        linked_pairs=linked,
        people_on_several_rows=people,
        expected_matching_pairs=expected,
        estimated_precision=linked_p / linked if linked else 1.0,
        estimated_recall=linked_p / (expected + (unproposed or 0.0)) if expected else 1.0,
        labelled_pairs=labelled,
        estimated_unproposed_pairs=unproposed,
    )


# Fewer one-person pairs than this proposed by the recapturing rule (a shared NIK; on a published list, a rare name)
# cannot show what the other rules miss.
MIN_RECAPTURED_MATCHES = 30


def unproposed_matches(con: duckdb.DuckDBPyConnection) -> float | None:
    """The expected number of one-person pairs no blocking rule proposed (capture–recapture on the NIK rule).

    The shared-NIK rule proposes one person's two rows however their names and dates differ; whether a NIK was kept
    has little to do with how the name and the date were keyed. So among the pairs that share a NIK, the expected
    share of one-person pairs that no other rule proposed, q, is the share the other rules miss among one-person
    pairs that do not share a NIK, and those number (proposed ones) × q / (1 − q) more than were proposed. None
    (not known, which is not none missed) where too few pairs share a NIK (a published list hides NIKs).
    """
    nik_same = f"{COMPARISONS[FIELDS.index('nik')].column} = {NIK_LEVELS.index('same')}"
    shared, missed, others = con.execute(
        f"""SELECT coalesce(sum(probability * weight) FILTER ({nik_same}), 0),
                  coalesce(sum(probability * weight) FILTER ({nik_same} AND NOT by_other), 0),
                  coalesce(sum(probability * weight) FILTER (NOT ({nik_same}) OR {nik_same} IS NULL), 0)
           FROM pairs"""
    ).fetchall()[0]
    return _recaptured(shared, missed, others)


def _recaptured(shared: float, missed: float, others: float) -> float | None:
    """Capture–recapture: one rule proposed ``shared`` expected one-person pairs whatever else differs, ``missed``
    of them no other rule would have; so the other rules miss the same share, q, of the one-person pairs that rule
    cannot propose, of which they proposed ``others``: ``others`` × q / (1 − q) were never proposed. None where
    too few pairs were recaptured to tell (MIN_RECAPTURED_MATCHES)."""
    if shared < MIN_RECAPTURED_MATCHES:
        return None
    q = min(missed / shared, 0.5)
    return float(others * q / (1 - q))


def unproposed_by_year(con: duckdb.DuckDBPyConnection) -> float | None:
    """On a list that hides the birth dates (as KPU publishes it): the expected number of one-person pairs no
    blocking rule proposed because their birth years differ (capture–recapture on the same-name rule).

    Every rule there but one needs the two rows' birth years (or ages) to agree; the one proposes a rare name's
    rows whatever their years. So among the pairs of one rare name, the expected share of one-person pairs whose
    years differ (or are missing), q, is taken as the share among one-person pairs of other names, which no rule
    proposes then: those number (proposed ones of other names) × q / (1 − q). A year copied from a relative or
    mistyped has little to do with how the name was keyed. One-person pairs of one year that share no part of
    the name are not counted: nothing on such a list shows how many there are. None where fewer than
    MIN_RECAPTURED_MATCHES one-person pairs share a rare name. Needs ``people`` (the birth years) and scored
    ``pairs``.
    """
    same_name = f"p.l_name = {NAME_LEVELS.index('exact')} AND p.name_n <= {MAX_NAME_BLOCK}"
    same_year = "coalesce(x.yob = y.yob, x.yob IS NULL AND y.yob IS NULL AND x.usia = y.usia, false)"
    shared, missed = con.execute(
        f"""SELECT coalesce(sum(p.probability * p.weight), 0),
                   coalesce(sum(p.probability * p.weight) FILTER (NOT {same_year}), 0)
            FROM pairs p JOIN people x ON x.rid = p.a JOIN people y ON y.rid = p.b WHERE {same_name}"""
    ).fetchall()[0]
    others = scalar(con, f"SELECT coalesce(sum(probability * weight), 0) FROM pairs p WHERE NOT ({same_name})")
    return _recaptured(shared, missed, others)


def record_key_sql(table: str = "v", secret: str = "") -> str:
    """A row's identity across lists and stages, for reviewers' answers: NIK, name and birth date as printed,
    hashed with ``secret`` so that a stored key cannot be reversed by guessing the few NIKs a name and date allow."""
    return (
        f"md5(concat_ws('|', {literal(secret)}, coalesce({table}.nik, ''), upper(trim(coalesce({table}.nama, ''))), "
        f"coalesce(CAST({table}.tanggal_lahir AS VARCHAR), '')))"
    )


def register_labels(
    con: duckdb.DuckDBPyConnection, labels: list[tuple[str, str, bool]] | None, secret: str = ""
) -> str | None:
    """Table ``labels(a, b, same)`` of reviewed pairs by ``rid`` (a < b) from ``(key_a, key_b, same)`` answers.

    Keys are :func:`record_key_sql`; the latest answer about a pair wins (the list is in the order given).
    """
    if not labels:
        return None
    con.execute("CREATE OR REPLACE TEMP TABLE label_in (ord INTEGER, key_a VARCHAR, key_b VARCHAR, same BOOLEAN)")
    con.executemany(
        "INSERT INTO label_in VALUES (?, ?, ?, ?)", [(i, a, b, bool(s)) for i, (a, b, s) in enumerate(labels)]
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE labels AS
        WITH keyed AS (SELECT rid, {record_key_sql("v", secret)} AS k FROM v),
        mapped AS (
            SELECT least(x.rid, y.rid) AS a, greatest(x.rid, y.rid) AS b, l.same, l.ord
            FROM label_in l JOIN keyed x ON x.k = l.key_a JOIN keyed y ON y.k = l.key_b WHERE x.rid <> y.rid
        )
        SELECT a, b, arg_max(same, ord) AS same FROM mapped GROUP BY a, b
        """
    )
    return "labels"


def hides_dates(con: duckdb.DuckDBPyConnection, table: str = "v") -> bool:
    """Whether fewer than half the rows of ``table`` show a whole birth date (a list as KPU publishes it)."""
    whole = con.execute(f"SELECT avg((tanggal_lahir IS NOT NULL)::INT) FROM {table}").fetchone()
    shown = whole[0] if whole and whole[0] is not None else 1.0
    return shown < 0.5


def precision_threshold(con: duckdb.DuckDBPyConnection, precision: float) -> float:
    """The lowest probability (at least DEFAULT_PROBABILITY) down to which the scored pairs, likeliest first, keep
    a mean probability of at least ``precision``: linking there keeps the estimated precision at ``precision``.
    Pairs of one probability (one pattern of levels) are taken or left together, since linking is at or over a
    probability (the window's default frame takes a row's ties with it). 1.0 where not even the likeliest pairs
    reach it (only pairs a reviewer confirmed are linked then)."""
    row = con.execute(
        f"""WITH ranked AS (
                SELECT probability, avg(probability) OVER (ORDER BY probability DESC) AS mean_to_here
                FROM pairs WHERE probability >= {DEFAULT_PROBABILITY}),
            cut AS (SELECT min(probability) AS p FROM ranked WHERE mean_to_here >= {float(precision)})
            SELECT (SELECT p FROM cut), (SELECT max(probability) FROM pairs WHERE probability < (SELECT p FROM cut))"""
    ).fetchone()
    cut, below = row if row else (None, None)
    return 1.0 if cut is None else _printable(float(cut), None if below is None else float(below))


def _printable(cut: float, below: float | None) -> float:
    """A threshold that links the same pairs as ``cut`` (every probability above ``below``, the next one down)
    with four decimals where the gap allows, so that the report prints it as it is applied."""
    rounded = math.floor(cut * 10_000) / 10_000
    return rounded if below is None or rounded > below else cut


def _threshold(con: duckdb.DuckDBPyConnection, given: float | None, hidden_dates: bool) -> tuple[float, str]:
    """The probability at which pairs are linked, and how it was set (for summary.json)."""
    if given is not None:
        return given, "given (--threshold)"
    if not hidden_dates:
        return DEFAULT_PROBABILITY, f"default: probability >= {DEFAULT_PROBABILITY}"
    cut = precision_threshold(con, HIDDEN_DATES_PRECISION)
    return cut, (
        f"birth dates hidden: the likeliest pairs down to an estimated precision of {HIDDEN_DATES_PRECISION} "
        f"(never below probability {DEFAULT_PROBABILITY})"
    )


def link(
    con: duckdb.DuckDBPyConnection,
    threshold: float | None = None,
    labels: list[tuple[str, str, bool]] | None = None,
    key_secret: str = "",
) -> Linkage:
    """Run the whole linkage over table ``v``.

    ``threshold`` is the probability at which pairs are linked; by default 0.5, or on a list that hides the birth
    dates the one that keeps the estimated precision at HIDDEN_DATES_PRECISION (see :func:`precision_threshold`).
    ``labels`` are reviewers' answers ``(key_a, key_b, same)`` (keys from :func:`record_key_sql`): a pair called one
    person is always linked, a pair called two people never, and both steady the estimates.
    """
    hidden_dates = hides_dates(con)
    build_names(con)
    build_people(con)
    con.execute("DROP TABLE names")  # each step's input is dropped once used: a city's list fits in 2 GiB
    build_candidates(con)
    labels_table = register_labels(con, labels, key_secret)
    if labels_table:  # a confirmed pair is compared even where no blocking rule would propose it
        con.execute(
            "INSERT INTO candidates SELECT a, b, true, 1 FROM (SELECT a, b FROM labels WHERE same EXCEPT SELECT a, b FROM candidates)"
        )
    compare(con)
    con.execute("DROP TABLE candidates")
    model = estimate(con, labels_table)
    score(con, model, labels_table)
    unproposed = unproposed_matches(con)
    if unproposed is None and hidden_dates:
        unproposed = unproposed_by_year(con)
    con.execute("DROP TABLE people")
    cut = _threshold(con, threshold, hidden_dates)
    people = cluster(con, cut[0])
    return _summarise(con, model, cut, people, labels_table, unproposed)
