"""The PEMILIH_GANDA finding: which row each duplicate row is most likely the same person as, and why.

The detail names the other row, the estimated probability that the two are one person, and each compared field
with its level and its weight in bits, so a reviewer sees what agreed and how strongly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kawal.engine.audit.duplicates import COMPARISONS, Comparison
from kawal.engine.sql import message
from kawal.i18n import language

if TYPE_CHECKING:
    from kawal.engine.audit.checks import Context

LEVEL_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "name": {
        "exact": ("nama sama", "same name"),
        "order": ("nama sama, urutan kata lain", "same name, words in another order"),
        "phonetic": ("nama sama bunyinya", "name sounds the same"),
        "initials": ("nama sama dengan inisial", "same name with initials"),
        "typo": ("nama beda satu huruf", "name differs by one letter"),
        "subset": ("nama dengan kata lebih/kurang", "name with a word more or less"),
        "close": ("nama sangat mirip", "very similar name"),
        "words": ("nama mirip kata demi kata", "similar name word by word"),
        "one_word": ("nama satu kata, ada di nama yang lain", "a one-word name found in the other name"),
        "similar": ("nama mirip", "similar name"),
        "other": ("nama berbeda", "different name"),
    },
    "dob": {
        "exact": ("tanggal lahir sama", "same birth date"),
        "swap": ("tanggal dan bulan lahir tertukar", "birth day and month swapped"),
        "day": ("tanggal lahir beda sehari", "birth date one day apart"),
        "year": ("tahun lahir beda setahun", "birth year one apart"),
        "digit": ("tanggal lahir beda satu angka", "birth date differs in one digit"),
        "placeholder": ("tanggal lahir pengganti, tahun sama", "placeholder birth date, same year"),
        "same_year": ("tahun lahir sama", "same birth year"),
        "other": ("tanggal lahir berbeda", "different birth date"),
        "month_same": ("bulan lahir dan usia sama", "same birth month and age"),
        "month_other": ("bulan lahir berbeda", "different birth month"),
        "age": ("usia sama", "same age"),
        "age_near": ("usia beda setahun", "age one year apart"),
        "age_other": ("usia berbeda", "different age"),
    },
    "sex": {"same": ("jenis kelamin sama", "same sex"), "other": ("jenis kelamin berbeda", "different sex")},
    "nik": {
        "same": ("NIK sama", "same NIK"),
        "typo": ("NIK beda satu-dua angka", "NIK differs in one or two digits"),
        "next": ("NIK berurutan (nomor urut beda satu)", "NIK serials one apart"),
        "serial": ("nomor urut NIK beda satu angka", "NIK serial differs in one digit"),
        "other": ("NIK berbeda", "different NIK"),
    },
    "place": {
        "exact": ("tempat lahir sama", "same birthplace"),
        "same_region": (
            "tempat lahir di kabupaten/kota yang sama tetapi ditulis lain",
            "same kab/kota of birth written another way",
        ),
        "close": ("tempat lahir mirip", "similar birthplace"),
        "other": ("tempat lahir berbeda", "different birthplace"),
    },
    "area": {
        "rt": ("RT sama", "same RT"),
        "kelurahan": ("kelurahan sama", "same kelurahan"),
        "other": ("kelurahan berbeda", "different kelurahan"),
    },
    "status": {
        "same": ("status kawin sama", "same marital status"),
        "other": ("status kawin berbeda", "different marital status"),
    },
    "region": {
        "same": ("NIK dari kecamatan yang sama", "NIK issued in the same kecamatan"),
        "other": ("NIK dari kecamatan lain", "NIK issued in another kecamatan"),
    },
    "kk": {
        "same": ("NKK sama, RT lain", "same family card, another RT"),
        "other": ("NKK berbeda", "different family card"),
    },
}
SAME_PERSON = (
    "diduga orang yang sama dengan baris {other} (peluang {p}%): {fields}",
    "likely the same person as row {other} (probability {p}%): {fields}",
)


def _field_text(comparison: Comparison) -> str:
    words = LEVEL_WORDS[comparison.field]
    level = comparison.column
    cases = " ".join(f"WHEN {i} THEN {message(words[name])}" for i, name in enumerate(comparison.level_names))
    weight = f"printf(' (%+.1f)', w_{comparison.field})"
    if language() == "id":  # the detail is text for people: +12,9 in Indonesian
        weight = f"replace({weight}, '.', ',')"
    weight = f"coalesce({weight}, '')"  # NULL: the field the session holds fixed
    return f"CASE WHEN {level} >= 0 THEN (CASE {level} {cases} END) || {weight} END"


def detail_sql() -> str:
    """The finding's detail, as SQL over a row of ``pairs`` joined with ``other_id``."""
    fields = ", ".join(_field_text(c) for c in COMPARISONS)
    return message(
        SAME_PERSON,
        other="other_id",
        p="CASE WHEN probability >= 0.995 THEN '>99' ELSE printf('%.0f', 100 * probability) END",
        fields=f"concat_ws(', ', {fields})",
    )


def pemilih_ganda(threshold: float) -> Callable[[Context], str]:
    """Each row of a linked person, with the row it most probably duplicates and why."""

    def sql(ctx: Context) -> str:
        return f"""
            WITH best AS (
                SELECT rid, first(other ORDER BY probability DESC, other) AS other FROM (
                    SELECT a AS rid, b AS other, probability FROM pairs WHERE probability >= {float(threshold)}
                    UNION ALL SELECT b, a, probability FROM pairs WHERE probability >= {float(threshold)}
                ) GROUP BY rid
            ), explained AS (
                SELECT best.rid, o.record_id AS other_id, p.*
                FROM best JOIN pairs p ON (p.a = least(best.rid, best.other) AND p.b = greatest(best.rid, best.other))
                JOIN v o ON o.rid = best.other
            )
            SELECT v.rid, 'ORANG-' || r.record_id, v.kode_kelurahan, v.tps, {detail_sql()}
            FROM clusters c JOIN v USING (rid) JOIN v r ON r.rid = c.cluster_rid JOIN explained e ON e.rid = c.rid"""

    return sql
