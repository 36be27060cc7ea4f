"""Reviewers' answers about PEMILIH_GANDA pairs, and what the audit job does with them.

After an audit the job stores the pairs of every duplicate person (``duplicate_pairs.parquet``) and the keyed
identity of each row in them (the engine's ``record_key_sql`` over the snapshot, in DuckDB). Coordinators and KPU
staff answer per pair: one person, two people, or unsure. The next audit of any list of the same KPU office gets
the latest answer about each pair as a label: "same" is always linked, "different" never, both inform m.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import connection, transaction

from kawal.engine import DUPLICATE_LEVEL_WORDS, duplicate_pairs, record_keys, wilson_interval
from kawal.web.voters.models import AuditRun, DuplicateAnswer, DuplicatePair, Voter

BATCH = 5000
PAIRS_FILE = "duplicate_pairs.parquet"
# Pairs the audit did not link but finds at least as likely one person as two, ranked (cluster KANDIDAT-<rank>):
# on a published list, where it links only the likeliest, these are the ones coordinators check in the field.
CANDIDATES_FILE = "duplicate_candidates.parquet"
CANDIDATE_PREFIX = "KANDIDAT-"


def store_pairs(run: AuditRun, out: Path, ids: dict[str, int]) -> int:
    """The audit's pairs inside duplicate people and its ranked unlinked candidates, as ``DuplicatePair`` rows of
    ``run``; returns how many."""
    return sum(_store_pairs_of(run, out / name, ids) for name in (PAIRS_FILE, CANDIDATES_FILE))


def _store_pairs_of(run: AuditRun, path: Path, ids: dict[str, int]) -> int:
    if not path.exists():
        return 0
    stored = 0
    for rows in duplicate_pairs(path, BATCH):
        pairs = [
            DuplicatePair(
                audit=run,
                cluster=r["cluster"],
                voter_a_id=ids[r["record_id_a"]],
                voter_b_id=ids[r["record_id_b"]],
                probability=r["probability"],
                detail=r["detail"] or "",
            )
            for r in rows
            if r["record_id_a"] in ids and r["record_id_b"] in ids
        ]
        with transaction.atomic():
            DuplicatePair.unscoped.bulk_create(pairs, batch_size=BATCH)
        stored += len(pairs)
    return stored


def store_keys(voters_path: Path, out: Path, ids: dict[str, int], secret: str) -> int:
    """Each row in a duplicate person gets its record key, computed by DuckDB over the snapshot exactly as the
    engine computes it when it matches labels; the rest of the list is not touched. Returns how many."""
    return sum(_store_keys_of(voters_path, out / name, ids, secret) for name in (PAIRS_FILE, CANDIDATES_FILE))


def _store_keys_of(voters_path: Path, pairs: Path, ids: dict[str, int], secret: str) -> int:
    if not pairs.exists():
        return 0
    update = (
        f"UPDATE {connection.ops.quote_name(Voter._meta.db_table)} SET {connection.ops.quote_name('record_key')} = %s "
        f"WHERE {connection.ops.quote_name('id')} = %s"
    )
    done = 0
    for rows in record_keys(voters_path, pairs, secret, BATCH):
        values = [(r["record_key"], ids[r["record_id"]]) for r in rows if r["record_id"] in ids]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(update, values)
        done += len(values)
    return done


# Every phrase the engine's explanation uses, in either language, to its (Indonesian, English) pair.
_PHRASES = {text: pair for words in DUPLICATE_LEVEL_WORDS.values() for pair in words.values() for text in pair}
_PHRASE = re.compile("|".join(re.escape(text) for text in sorted(_PHRASES, key=len, reverse=True)))


def explain(detail: str, english: bool = False) -> list[str]:
    """The field-by-field part of a pair's explanation as plain phrases, without the weights in bits."""
    fields = detail.split("): ", 1)[-1]
    return [_PHRASES[m.group(0)][1 if english else 0] for m in _PHRASE.finditer(fields)]


@dataclass(frozen=True)
class Latest:
    answer: str
    at: datetime
    user_id: int


def ordered_keys(key_a: str, key_b: str) -> tuple[str, str]:
    return (key_a, key_b) if key_a < key_b else (key_b, key_a)


def latest_answers(office_id: int, keys: Iterable[tuple[str, str]] | None = None) -> dict[tuple[str, str], Latest]:
    """The latest answer of the office about each pair (of ``keys`` when given). An office gives thousands of
    answers, not millions: they are read whole, which also keeps long key lists out of the SQL."""
    latest: dict[tuple[str, str], Latest] = {}
    fields = ("key_a", "key_b", "answer", "created_at", "answered_by_id")
    answers = DuplicateAnswer.unscoped.filter(office_id=office_id).order_by("created_at", "pk").values_list(*fields)
    for a, b, answer, at, user in answers.iterator():
        latest[(a, b)] = Latest(answer, at, user)
    if keys is not None:
        latest = {k: latest[k] for k in set(keys) if k in latest}
    return latest


def labels_for(office_id: int) -> list[tuple[str, str, bool]]:
    """The office's answers as the engine's labels: the latest answer about each pair, in the order they were
    given. A pair whose latest answer is "unsure" is left to the model: the reviewer withdrew a certainty."""
    latest = sorted(latest_answers(office_id).items(), key=lambda item: item[1].at)
    return [(a, b, found.answer == DuplicateAnswer.Answer.SAME) for (a, b), found in latest if found.answer != "unsure"]


CONFIDENCE_Z = 1.96  # a 95% interval


@dataclass(frozen=True)
class Precision:
    """One audit run's estimated precision beside what reviewers confirmed about its linked pairs."""

    run: AuditRun
    estimated: float | None
    linked: int
    labels_used: int
    same: int
    different: int
    unsure: int

    @property
    def answered(self) -> int:
        return self.same + self.different

    @property
    def confirmed(self) -> float | None:
        return self.same / self.answered if self.answered else None

    @property
    def confirmed_range(self) -> tuple[float, float] | None:
        """Where the share of one person among all the linked pairs lies, with 95% confidence (Wilson's interval),
        if the answered pairs are a fair draw of them: 1 answer of 1 says little, 300 of 300 a lot."""
        if not self.answered:
            return None
        return wilson_interval(self.same / self.answered, self.answered, CONFIDENCE_Z)

    @property
    def confirmed_range_percent(self) -> tuple[float, float] | None:
        """The range in percent to one decimal, widened outward: its low end rounded down, its high end up."""
        if self.confirmed_range is None:
            return None
        low, high = self.confirmed_range
        return _floor_percent(low), _ceil_percent(high)

    @property
    def confirmed_range_bar(self) -> tuple[float, float] | None:
        """Where the range starts on the bar and how wide it is, in percent of the bar."""
        if self.confirmed_range_percent is None:
            return None
        low, high = self.confirmed_range_percent
        return low, round(high - low, 1)

    @property
    def estimated_percent(self) -> float | None:
        return None if self.estimated is None else _floor_percent(float(self.estimated))

    @property
    def confirmed_percent(self) -> float | None:
        return None if self.confirmed is None else _floor_percent(self.confirmed)


def _floor_percent(share: float) -> float:
    """A share in percent to one decimal, rounded down: 0.9999 is shown as 99.9%, never as a perfect 100.0%."""
    return math.floor(1000 * share + 1e-9) / 10


def _ceil_percent(share: float) -> float:
    """A share in percent to one decimal, rounded up (the high end of a range, widened outward)."""
    return min(100.0, math.ceil(1000 * share - 1e-9) / 10)


def link_threshold(run: AuditRun) -> float:
    """The probability from which the run linked a pair (0.5 where an older run did not record it)."""
    return run.threshold if run.threshold is not None else 0.5


def answered_since(run: AuditRun, latest: dict[tuple[str, str], Latest]) -> dict[tuple[str, str], Latest]:
    """Of the office's latest answers, those given after ``run``: earlier ones were its labels (linked or unlinked
    by force) and test nothing."""
    return {key: found for key, found in latest.items() if found.at >= run.created_at}


def precision(run: AuditRun, latest: dict[tuple[str, str], Latest]) -> Precision:
    """``latest``: the office's latest answers. They count for a run when given after it: earlier ones were its
    labels (linked or unlinked by force) and test nothing."""
    stats = run.summary.get("duplicates", {}) if isinstance(run.summary, dict) else {}
    pairs = DuplicatePair.unscoped.filter(audit=run, probability__gte=link_threshold(run))
    keys = {
        ordered_keys(a, b)
        for a, b in pairs.values_list("voter_a__record_key", "voter_b__record_key").iterator()
        if a and b
    }
    since = answered_since(run, latest)
    counts = {"same": 0, "different": 0, "unsure": 0}
    for key in keys & since.keys():
        counts[since[key].answer] += 1
    return Precision(
        run=run,
        estimated=stats.get("estimated_precision"),
        linked=int(stats.get("linked_pairs", 0)),
        labels_used=int(stats.get("labelled_pairs", 0)),
        **counts,
    )
