"""Which pairs of (request, worker) pairs cannot both be chosen.

Fixed-time visits of one worker form an interval graph, so their overlaps are captured exactly by the
maximal cliques at start points (a sweep). Each visit is stretched by the smallest travel time there is,
which folds most travel clashes into the cliques; the remaining clashes (the gap is at least the
smallest travel time but shorter than the travel between these two places) become pairwise constraints.
Visits with a flexible start are compared one by one with everything their window can reach.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from slivers.scheduling.prepare import Prepared
from slivers.scheduling.travel import IntArray

_START, _END = 1, 0  # ends sort before starts at the same minute: intervals are half-open


@dataclass(frozen=True, slots=True)
class Conflicts:
    cliques: list[list[int]]
    travel_pairs: IntArray  # shape (n, 2): pair indices that cannot both be chosen
    flexible_pairs: list[tuple[int, int]]  # at least one side has a start window: needs an order choice
    flexible_bookings: list[tuple[int, int]]  # (pair with a start window, booking index)


def find_conflicts(prepared: Prepared) -> Conflicts:
    fixed = np.flatnonzero(~prepared.r_flexible[prepared.p_request])
    return Conflicts(
        cliques=_overlap_cliques(prepared, fixed),
        travel_pairs=_travel_pairs(prepared, fixed),
        flexible_pairs=_flexible_pairs(prepared),
        flexible_bookings=_flexible_bookings(prepared),
    )


def _overlap_cliques(prepared: Prepared, fixed: IntArray) -> list[list[int]]:
    if len(fixed) == 0:
        return []
    r = prepared.p_request[fixed]
    starts = prepared.r_start[r]
    ends = starts + prepared.r_duration[r] + prepared.travel.lower
    workers = prepared.p_worker[fixed]
    times = np.concatenate([starts, ends])
    kinds = np.concatenate([np.full(len(fixed), _START), np.full(len(fixed), _END)])
    owners = np.concatenate([workers, workers])
    pairs = np.concatenate([fixed, fixed])
    order = np.lexsort((kinds, times, owners))

    cliques: list[list[int]] = []
    active: set[int] = set()
    grown = False
    # A clique is maximal exactly when the first end follows a run of starts.
    for kind, pair in zip(kinds[order].tolist(), pairs[order].tolist(), strict=True):
        if kind == _START:
            active.add(pair)
            grown = True
        else:
            if grown and len(active) > 1:
                cliques.append(sorted(active))
            grown = False
            active.discard(pair)
    return cliques


def _travel_pairs(prepared: Prepared, fixed: IntArray) -> IntArray:
    travel = prepared.travel
    if len(fixed) == 0 or travel.upper <= travel.lower:
        return np.zeros((0, 2), dtype=np.int64)
    r = prepared.p_request[fixed]
    starts = prepared.r_start[r]
    ends = starts + prepared.r_duration[r]
    workers = prepared.p_worker[fixed]
    span = int(max(starts.max(initial=0), ends.max(initial=0))) + travel.upper + 2
    order = np.lexsort((starts, workers))
    keys = workers[order] * span + starts[order]
    # Later visits j of the same worker that start in [end_i + least travel, end_i + most travel).
    base = workers * span + ends
    low = np.searchsorted(keys, base + travel.lower, side="left")
    high = np.searchsorted(keys, base + travel.upper, side="left")
    counts = high - low
    total = int(counts.sum())
    if total == 0:
        return np.zeros((0, 2), dtype=np.int64)
    first = np.repeat(np.arange(len(fixed)), counts)
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    second = order[np.repeat(low, counts) + (np.arange(total) - offsets)]
    gap = starts[second] - ends[first]
    needed = travel.many(prepared.r_place[r[first]], prepared.r_place[r[second]])
    clash = gap < needed
    return np.stack([fixed[first[clash]], fixed[second[clash]]], axis=1)


def _reach(prepared: Prepared, pair: int) -> tuple[int, int]:
    """The earliest start and latest end this pair's visit could have."""
    r = int(prepared.p_request[pair])
    return int(prepared.r_start[r]), int(prepared.r_last_start[r] + prepared.r_duration[r])


def _flexible_pairs(prepared: Prepared) -> list[tuple[int, int]]:
    flexible = np.flatnonzero(prepared.r_flexible[prepared.p_request])
    if len(flexible) == 0:
        return []
    by_worker: dict[int, list[int]] = defaultdict(list)
    for p, w in enumerate(prepared.p_worker.tolist()):
        by_worker[w].append(p)
    travel, place = prepared.travel, prepared.r_place
    found: list[tuple[int, int]] = []
    for f in flexible.tolist():
        f_start, f_end = _reach(prepared, f)
        f_place = int(place[prepared.p_request[f]])
        for g in by_worker[int(prepared.p_worker[f])]:
            if g == f or (prepared.r_flexible[prepared.p_request[g]] and g < f):
                continue  # a flexible-flexible pair is listed once
            g_start, g_end = _reach(prepared, g)
            if g_start >= f_end + travel.upper or f_start >= g_end + travel.upper:
                continue
            g_place = int(place[prepared.p_request[g]])
            if g_start < f_end + travel.get(f_place, g_place) and f_start < g_end + travel.get(
                g_place, f_place
            ):
                found.append((f, g))
    return found


def _flexible_bookings(prepared: Prepared) -> list[tuple[int, int]]:
    margin = prepared.travel.upper
    found: list[tuple[int, int]] = []
    for f in np.flatnonzero(prepared.r_flexible[prepared.p_request]).tolist():
        f_start, f_end = _reach(prepared, f)
        for b_start, b_end, _, b in prepared.bookings_of.get(int(prepared.p_worker[f]), []):
            if b_start < f_end + margin and f_start < b_end + margin:
                found.append((f, b))
    return found
