"""The greedy baseline (design 6): earliest start first, best-ranked free candidate.

It gives CP-SAT a complete hint, is the fallback when the solver finds nothing in time, and tops up a
solver's answer with any request that still fits (which can only improve it).
"""

from __future__ import annotations

import numpy as np

from slivers.scheduling.prepare import Prepared
from slivers.scheduling.settings import Mode
from slivers.scheduling.timeline import Timelines

# request index -> (worker indices, start minute)
Plan = dict[int, tuple[tuple[int, ...], int]]


def greedy_plan(prepared: Prepared, mode: Mode = Mode.FILL) -> Plan:
    return extend_plan(prepared, {}, mode)


def extend_plan(prepared: Prepared, plan: Plan, mode: Mode = Mode.FILL) -> Plan:
    """Place every request not in `plan` that still fits, earliest start first. In min_workers mode a
    worker already working is preferred; in min_faces mode one the person already meets."""
    timelines = Timelines.with_bookings(prepared)
    for r, (workers, start) in plan.items():
        for w in workers:
            timelines.place(w, r, start)
    result = dict(plan)
    working = {w for workers, _ in plan.values() for w in workers}
    met = {(int(prepared.r_person[r]), w) for r, (workers, _) in plan.items() for w in workers}
    pairs_of = prepared.pairs_of_request()
    order = np.lexsort((-prepared.r_priority, prepared.r_start))
    for r in order.tolist():
        if r in result or not pairs_of[r]:
            continue
        ranked = sorted(pairs_of[r], key=lambda p: _preference(prepared, p))
        candidates = [int(prepared.p_worker[p]) for p in ranked]
        if mode is Mode.MIN_WORKERS:
            candidates.sort(key=lambda w: w not in working)
        elif mode is Mode.MIN_FACES:
            person = int(prepared.r_person[r])
            candidates.sort(key=lambda w: (person, w) not in met)
        needed = int(prepared.r_needed[r])
        for start in timelines.candidate_starts(candidates, r):
            free = [w for w in candidates if timelines.within_caps(w, r) and timelines.is_free(w, r, start)]
            if len(free) >= needed:
                chosen = tuple(free[:needed])
                for w in chosen:
                    timelines.place(w, r, start)
                    working.add(w)
                    met.add((int(prepared.r_person[r]), w))
                result[r] = (chosen, start)
                break
    return result


def _preference(prepared: Prepared, pair: int) -> tuple[int, int, int]:
    """Continuity (or a volunteer for a volunteers-first request) first, then the caller's score,
    then the shorter journey."""
    favoured = bool(prepared.p_continuity[pair] or prepared.p_volunteer_match[pair])
    return (-int(favoured), -int(prepared.p_score[pair]), int(prepared.p_home_travel[pair]))
