"""Which pairs of (request, worker) pairs cannot both be chosen.

Fixed-time visits of one worker form an interval graph, so their overlaps are captured exactly by the
maximal cliques at start points (a sweep). Each visit is stretched by the smallest travel time there is,
which folds most travel clashes into the cliques; the remaining clashes (the gap is at least the
smallest travel time but shorter than the travel between these two places) become pairwise constraints.
Visits with a flexible start go into one no-overlap constraint per worker, padded by travel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from slivers.scheduling.prepare import Prepared
from slivers.scheduling.travel import IntArray

_START, _END = 1, 0  # ends sort before starts at the same minute: intervals are half-open


@dataclass(frozen=True, slots=True)
class Conflicts:
    cliques: list[list[int]]
    travel_pairs: IntArray  # shape (n, 2): pair indices that cannot both be chosen
    # pairs with a start window -> minutes of padding on each side (see prepare.flexible_padding)
    flexible_padding: dict[int, int]


def find_conflicts(prepared: Prepared) -> Conflicts:
    fixed = np.flatnonzero(~prepared.r_flexible[prepared.p_request])
    return Conflicts(
        cliques=_overlap_cliques(prepared, fixed),
        travel_pairs=_travel_pairs(prepared, fixed),
        flexible_padding={
            q: prepared.padding(int(w), int(r))
            for q, (w, r) in enumerate(zip(prepared.p_worker, prepared.p_request, strict=True))
            if prepared.r_flexible[r]
        },
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
