"""Walking the action log's hash chain in ``seq`` order, naming exactly where it breaks.

Each entry's hash covers its own ``seq``, so an entry moved to another place no longer matches its hash there, but
does at the place it was written: that place is searched near the new one (``MOVED_WITHIN``), and the entry is
reported as moved, not as edited. Links are checked between entries by the place they were written at, so the
entries around a swap are not reported as well: a swap of seq 2 and 3 gives exactly two problems, one per entry.
Memory stays bounded whatever the log's length: only the last ``RECENT`` hashes are kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Set
from typing import cast

from kawal.web.actionlog.models import GENESIS, ActionLog

MOVED_WITHIN = 64  # how far from its place a moved entry is looked for (each try is one SHA-256)
RECENT = 4096  # hashes kept for links to entries seen earlier
MAX_PROBLEMS = 50


def written_seq(entry: ActionLog) -> int | None:
    """The ``seq`` under which the entry's stored hash verifies: its own, a nearby one (it was moved), or None (its
    content was edited)."""
    if entry.compute_hash() == entry.entry_hash:
        return entry.seq
    here = cast(int, entry.seq)  # the walk reads only entries in the chain: seq is set
    try:
        for distance in range(1, MOVED_WITHIN + 1):
            for place in (here - distance, here + distance):
                entry.seq = place
                if place >= 1 and entry.compute_hash() == entry.entry_hash:
                    return place
    finally:
        entry.seq = here
    return None


class Walk:
    """One pass over the chain. ``watch``: places whose hash the checkpoints need."""

    def __init__(self, watch: Set[int] = frozenset()) -> None:
        self.problems: list[str] = []
        self.checked = 0
        self.expected_seq = 1
        self.highest = 0  # the highest place any entry was written at
        self.gaps: list[tuple[int, int]] = []  # places missing, as ranges [first, last]
        self.recent: OrderedDict[int, str] = OrderedDict()  # written place -> hash
        self.waiting: dict[int, list[tuple[int, str]]] = {}  # predecessor's place -> (seq, prev_hash) of its follower
        self.watch: Set[int] = watch
        self.seen: dict[int, str] = {}

    def report(self, problem: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def step(self, entry: ActionLog) -> None:
        seq = cast(int, entry.seq)  # the walk reads only entries in the chain: seq is set
        if seq != self.expected_seq:
            self.report(f"seq {self.expected_seq}: hilang (berikutnya {seq}) / missing (next is {seq})")
            self.gaps.append((self.expected_seq, seq - 1))
        place = written_seq(entry)
        if place is None:
            self.report(f"seq {seq}: isi diubah / content edited")
            place = seq
        elif place != seq:
            self.report(
                f"seq {seq}: entri ini ditulis sebagai seq {place}, urutan diubah / "
                f"this entry was written as seq {place}: reordered"
            )
        self._link(seq, place, entry.prev_hash)
        self._remember(place, entry.entry_hash)
        self.expected_seq, self.checked = seq + 1, self.checked + 1

    def _link(self, seq: int, place: int, prev_hash: str) -> None:
        before = place - 1
        if before == 0:
            self._match(seq, prev_hash, GENESIS)
        elif before in self.recent:
            self._match(seq, prev_hash, self.recent[before])
        elif any(first <= before <= last for first, last in self.gaps):
            self.report(f"seq {seq}: prev_hash tidak cocok, pendahulunya hilang / prev_hash: its predecessor is gone")
        elif before > self.highest:  # the predecessor was moved further down: checked when it comes
            self.waiting.setdefault(before, []).append((seq, prev_hash))
        else:
            self.report(f"seq {seq}: prev_hash tidak dapat dicocokkan / prev_hash cannot be matched")

    def _match(self, seq: int, prev_hash: str, expected: str) -> None:
        if prev_hash != expected:
            self.report(
                f"seq {seq}: prev_hash tidak cocok, entri sebelumnya diubah atau diganti / "
                "prev_hash does not match: the entry before it was changed or replaced"
            )

    def _remember(self, place: int, entry_hash: str) -> None:
        self.recent[place] = entry_hash
        if len(self.recent) > RECENT:
            self.recent.popitem(last=False)
        self.highest = max(self.highest, place)
        if place in self.watch:
            self.seen[place] = entry_hash
        for seq, prev_hash in self.waiting.pop(place, []):
            self._match(seq, prev_hash, entry_hash)

    def finish(self) -> list[str]:
        """The problems, with links whose predecessor never came."""
        for _place, followers in sorted(self.waiting.items()):
            for seq, _prev in followers:
                self.report(
                    f"seq {seq}: prev_hash tidak cocok, pendahulunya hilang / prev_hash: its predecessor is gone"
                )
        self.waiting.clear()
        return self.problems
