"""Why each unfilled request stays open (design 6): nobody eligible, everyone eligible busy, or caps."""

from __future__ import annotations

from collections import defaultdict

from slivers.scheduling.greedy import Plan
from slivers.scheduling.prepare import Prepared
from slivers.scheduling.solution import Unfilled, UnfilledReason
from slivers.scheduling.timeline import Timelines


def explain_unfilled(prepared: Prepared, plan: Plan) -> dict[str, Unfilled]:
    instance = prepared.instance
    timelines = Timelines.with_bookings(prepared)
    for r, (workers, start) in plan.items():
        for w in workers:
            timelines.place(w, r, start)
    worker_index = {worker.id: w for w, worker in enumerate(instance.workers)}
    candidates: dict[str, list[int]] = defaultdict(list)
    for c in instance.candidates:
        candidates[c.request_id].append(worker_index[c.worker_id])

    reasons: dict[str, Unfilled] = {}
    for r, request in enumerate(instance.requests):
        if r in plan:
            continue
        conflicts: set[str] = set()
        capped: list[str] = []
        free = eligible = 0
        for w in candidates[request.id]:
            starts = timelines.candidate_starts([w], r)
            available = [s for s in starts if instance.workers[w].is_available(s, s + request.duration)]
            if not available:
                continue  # not available at this time: not eligible for this slot
            eligible += 1
            clashes = [
                timelines.clashes(w, s, s + request.duration, int(prepared.r_place[r])) for s in available
            ]
            if any(not found for found in clashes):
                if timelines.within_caps(w, r):
                    free += 1
                else:
                    capped.append(instance.workers[w].id)
            else:
                conflicts.update(label for found in clashes for label in found)
        if eligible == 0:
            reason = UnfilledReason.NO_ELIGIBLE_WORKER
        elif capped and free < request.workers_needed:
            reason = UnfilledReason.CAPS_REACHED
        else:
            reason = UnfilledReason.ELIGIBLE_WORKERS_BUSY
        reasons[request.id] = Unfilled(request.id, reason, tuple(sorted(conflicts)), tuple(sorted(capped)))
    return reasons
