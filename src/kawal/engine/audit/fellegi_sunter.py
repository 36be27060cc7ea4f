"""Fellegi–Sunter weights learned from the list itself, by expectation maximisation over comparison patterns.

Every candidate pair is reduced to a *pattern*: one level per compared field (name exact, name in another word
order, birth date with day and month swapped, ...; ``-1`` where a field is missing on either row). A list of a
million rows has a few million candidate pairs but only a few thousand distinct patterns, so EM runs on the
pattern counts, in numpy, in milliseconds (the approach of fastLink, Enamorado, Fifield and Imai 2019).

The model is the usual two-class mixture with fields independent within each class:

    P(pattern) = λ · Π m_f(level_f) + (1 − λ) · Π u_f(level_f)

where ``m`` is the distribution of levels among pairs that are one person, ``u`` among pairs of two people, and
``λ`` the share of candidate pairs that are one person. Nothing is assumed about any particular list: the start
values only say that the first level of each field (full agreement) is likelier for one person.

Reviewers' answers (same person / different people) enter as pairs whose class is known: they count in the M or
U step with weight one, whatever the E step says, so a handful of answers steadies m where a field is rare.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_ITERATIONS = 200
TOLERANCE = 1e-7
PRIOR_PAIRS = 20.0  # weight of the prior on m, in pairs: a small list leans on it, a city's list barely
PRIOR_FIRST = 0.85  # prior: one person's two rows agree fully on a field 85% of the time ...
PRIOR_LAST = 0.02  # ... and disagree altogether 2% of the time; the partial levels share the rest

START_LAMBDA = 0.05


@dataclass(frozen=True)
class Model:
    """Estimated parameters: ``m[f][level]``, ``u[f][level]`` and the prior share ``lam`` of matching pairs."""

    fields: tuple[str, ...]
    levels: tuple[tuple[str, ...], ...]
    m: tuple[np.ndarray, ...]
    u: tuple[np.ndarray, ...]
    lam: float
    iterations: int

    def weights(self) -> tuple[np.ndarray, ...]:
        """log2 Bayes factor of each level of each field."""
        return tuple(np.log2(m / u) for m, u in zip(self.m, self.u, strict=True))

    def prior_bits(self) -> float:
        return float(np.log2(self.lam / (1 - self.lam)))

    def as_dict(self) -> dict[str, object]:
        return {
            "lambda": round(self.lam, 6),
            "iterations": self.iterations,
            "fields": {
                field: {
                    level: {"m": round(float(m[i]), 6), "u": round(float(u[i]), 6), "weight": round(float(w[i]), 2)}
                    for i, level in enumerate(levels)
                }
                for field, levels, m, u, w in zip(self.fields, self.levels, self.m, self.u, self.weights(), strict=True)
            },
        }


@dataclass(frozen=True)
class Tie:
    """m of ``level`` is ``ratio`` times m of ``source``: a level one person's rows reach only by a known share of
    the slips that make another (a mistyped serial that lands one number off), where EM alone would credit it
    with the different people who show it far more often (twins, whose serials are consecutive)."""

    level: int
    source: int
    ratio: float

    def apply(self, m: np.ndarray) -> np.ndarray:
        tied = m.copy()
        tied[self.level] = 0.0
        tied *= 1.0 / tied.sum()  # the other levels keep their proportions, scaled by 1 - share:
        share = self.ratio * tied[self.source] / (1.0 + self.ratio * tied[self.source])  # share = ratio × source
        tied *= 1.0 - share
        tied[self.level] = share
        return tied


def prior_m(k: int) -> np.ndarray:
    """A generic prior for m over ``k`` levels ordered from full agreement to none; nothing list-specific."""
    if k == 2:
        return np.array([1 - PRIOR_LAST, PRIOR_LAST])
    m = np.full(k, (1 - PRIOR_FIRST - PRIOR_LAST) / (k - 2))
    m[0], m[-1] = PRIOR_FIRST, PRIOR_LAST
    return m


def _start(levels: tuple[tuple[str, ...], ...], codes: np.ndarray, counts: np.ndarray) -> tuple[list, list]:
    """m starts at the prior; u at what the pairs show, since most pairs are two people."""
    m_start, u_start = [], []
    for f, names in enumerate(levels):
        k = len(names)
        seen = np.bincount(codes[:, f][codes[:, f] >= 0], weights=counts[codes[:, f] >= 0], minlength=k)
        u_start.append((seen + 1) / (seen.sum() + k))
        m_start.append(prior_m(k))
    return m_start, u_start


def _log_likelihoods(
    codes: np.ndarray, m: list, u: list, group: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """log m and log u of each pattern; with ``group``, u of each field is one row of levels per group."""
    log_m = np.zeros(len(codes))
    log_u = np.zeros(len(codes))
    for f in range(codes.shape[1]):
        present = codes[:, f] >= 0
        level = codes[present, f]
        log_m[present] += np.log(m[f][level])
        log_u[present] += np.log(u[f][level] if group is None else u[f][group[present], level])
    return log_m, log_u


def _posterior(
    codes: np.ndarray, m: list, u: list, lam: float | np.ndarray, group: np.ndarray | None = None
) -> np.ndarray:
    """P(one person | pattern); ``lam`` is one prior share, or one per pattern (u per group, see above)."""
    log_m, log_u = _log_likelihoods(codes, m, u, group)
    log_odds = np.log(lam) - np.log1p(-lam) + log_m - log_u
    return 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))


def _maximise(codes: np.ndarray, weight: np.ndarray, f: int, prior: np.ndarray) -> np.ndarray:
    """The level shares of one field with a Dirichlet prior (``prior`` in pseudo-pairs): a level no pair of a
    class has shown yet is rare for that class, not impossible, so it cannot veto all other evidence."""
    present = codes[:, f] >= 0
    totals = np.bincount(codes[present, f], weights=weight[present], minlength=len(prior)) + prior
    return totals / totals.sum()


def estimate(
    fields: tuple[str, ...],
    levels: tuple[tuple[str, ...], ...],
    codes: np.ndarray,
    counts: np.ndarray,
    known_match: np.ndarray | None = None,
    held_m: dict[int, np.ndarray] | None = None,
    priors: dict[int, np.ndarray] | None = None,
    groups: np.ndarray | None = None,
    tied: dict[int, Tie] | None = None,
) -> Model:
    """EM over distinct patterns.

    ``codes`` is patterns × fields (level index, -1 missing), ``counts`` how many candidate pairs show each pattern.
    ``known_match`` (optional, per pattern) holds how many of those pairs reviewers called one person (``>= 0``)
    and, as a second column, how many they called two people; those pairs are fixed in their class.
    ``held_m`` (field index → m) are fields whose m is known already and held, not re-estimated. ``priors``
    (field index → m) replace the generic prior (and start) of a field whose agreement lies elsewhere than its
    first level. ``groups`` (optional, per pattern) splits the pairs into groups with their own share of one-person
    pairs and their own u (m, how one person's two rows differ, stays shared): pairs that share a rare name are far
    likelier one person than pairs that share a common one, and blocking proposes them differently (a rare name
    whatever the birth date, a common one only with most of it), so two people differ differently in each group.
    Pooled, the common names' many look-alikes would bury the rare names' evidence. The model's ``lam`` and ``u``
    are then over all pairs. ``tied`` (field index → :class:`Tie`) fixes the m of a level to a share of another's.
    """
    held = held_m or {}
    prior = {f: priors[f] if priors and f in priors else prior_m(len(names)) for f, names in enumerate(levels)}
    codes = np.asarray(codes, dtype=np.int64).reshape(len(counts), len(fields))
    counts = np.asarray(counts, dtype=np.float64)
    known = np.zeros((len(counts), 2)) if known_match is None else np.asarray(known_match, dtype=np.float64)
    free = np.maximum(counts - known.sum(axis=1), 0)
    m, u = _start(levels, codes, counts)
    m = [held.get(f, prior[f]) for f in range(len(m))]
    group = np.zeros(len(counts), dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
    lam = np.full(len(counts), START_LAMBDA)
    iterations = 0
    if counts.sum() <= 0:  # no pairs to learn from (a tiny list): the prior stands
        return Model(fields, levels, tuple(m), tuple(u), START_LAMBDA, 0)
    u = [np.tile(start, (int(group.max()) + 1, 1)) for start in u]
    as_other = counts
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007 (the count is reported)
        p = _posterior(codes, m, u, lam, group)
        as_match = free * p + known[:, 0]
        as_other = free * (1 - p) + known[:, 1]
        new_lam = _group_shares(group, as_match, counts)
        new_m = [
            held[f] if f in held else _maximise(codes, as_match, f, PRIOR_PAIRS * prior[f]) for f in range(len(levels))
        ]
        new_m = [tied[f].apply(m_f) if tied and f in tied and f not in held else m_f for f, m_f in enumerate(new_m)]
        new_u = [_maximise_by_group(codes, as_other, f, group, len(names)) for f, names in enumerate(levels)]
        change = max(
            float(np.abs(new_lam - lam).max()),
            *(np.abs(a - b).max() for a, b in zip(new_m + new_u, m + u, strict=True)),
        )
        m, u, lam = new_m, new_u, new_lam
        if change < TOLERANCE:
            break
    overall = float(np.clip((lam * counts).sum() / counts.sum(), 1e-9, 1 - 1e-9))
    pooled = [_maximise(codes, as_other, f, np.ones(len(names))) for f, names in enumerate(levels)]
    return Model(fields, levels, tuple(m), tuple(pooled), overall, iterations)


def _maximise_by_group(codes: np.ndarray, weight: np.ndarray, f: int, group: np.ndarray, k: int) -> np.ndarray:
    """:func:`_maximise` of u within each group (groups × levels), each with a flat prior of one pair per level."""
    present = codes[:, f] >= 0
    cells = group[present] * k + codes[present, f]
    groups = int(group.max()) + 1
    totals = np.bincount(cells, weights=weight[present], minlength=groups * k).reshape(groups, k) + 1.0
    return totals / totals.sum(axis=1, keepdims=True)


def _group_shares(group: np.ndarray, as_match: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each pattern's group's share of one-person pairs."""
    matches = np.bincount(group, weights=as_match)
    totals = np.bincount(group, weights=counts)
    shares = np.clip(matches / np.maximum(totals, 1e-12), 1e-9, 1 - 1e-9)
    return shares[group]


def estimate_u(
    model: Model,
    codes: np.ndarray,
    counts: np.ndarray,
    known: np.ndarray | None = None,
    fixed: tuple[str, ...] = (),
    start_lam: float = START_LAMBDA,
) -> Model:
    """EM for u and λ alone, with m held at ``model``'s: for a stratum of pairs whose non-matches are unlike random
    pairs (relatives, neighbours). m says how one person's two rows differ, which does not depend on the stratum;
    holding it fixed also keeps EM from taking some other split of the stratum for the two classes.
    Fields in ``fixed`` are the same for every pair of the stratum: their u is set equal to m (no evidence).
    The starting u and ``start_lam`` (what the overall model expects of the stratum), each worth
    :data:`PRIOR_PAIRS` pairs, are the prior: a small stratum keeps close to them."""
    codes = np.asarray(codes, dtype=np.int64).reshape(len(counts), len(model.fields))
    counts = np.asarray(counts, dtype=np.float64)
    known = np.zeros((len(counts), 2)) if known is None else np.asarray(known, dtype=np.float64)
    free = np.maximum(counts - known.sum(axis=1), 0)
    m = list(model.m)
    u = list(model.u)
    lam = start_lam
    iterations = 0
    if counts.sum() <= 0:
        return Model(model.fields, model.levels, tuple(m), tuple(u), lam, 0)
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007 (the count is reported)
        p = _posterior(codes, m, u, lam)
        as_match = free * p + known[:, 0]
        as_other = free * (1 - p) + known[:, 1]
        new_lam = (as_match.sum() + PRIOR_PAIRS * start_lam) / (counts.sum() + PRIOR_PAIRS)
        new_lam = float(np.clip(new_lam, 1e-9, 1 - 1e-9))
        new_u = [
            m[f] if field in fixed else _maximise(codes, as_other, f, PRIOR_PAIRS * model.u[f])
            for f, field in enumerate(model.fields)
        ]
        change = max(abs(new_lam - lam), *(np.abs(a - b).max() for a, b in zip(new_u, u, strict=True)))
        u, lam = new_u, new_lam
        if change < TOLERANCE:
            break
    return Model(model.fields, model.levels, tuple(m), tuple(u), lam, iterations)
