"""Decomposition of large `fill` instances by day and component (design 6).

Requests interact only through a worker they share: on one day through overlaps, travel and daily
caps, across days only through weekly caps (and a late visit running into the next morning). So
the requests are split into parts, one per day (a day too big for one model is split further between
components that share no worker), and solved part by part:

1. Each part alone, without the other parts' visits: a relaxation of the whole problem restricted to
   that part, so the sum of the parts' bounds on filled priority is a valid bound for the whole week
   (and usually far tighter than the LP, because each small model is solved to optimality).
2. The parts' plans joined; where a worker's weekly cap (or a midnight clash) is broken, the
   lowest-priority visits of that worker are dropped, then the greedy tops up.
3. Repair (large neighbourhood search by day): each part again, worst gap first, with every other
   part's visits fixed as bookings, so caps and clashes across days hold exactly; a part's new plan
   is kept only when it is at least as good, level by level.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np

from slivers.scheduling.conflicts import Conflicts
from slivers.scheduling.cpsat_model import AssignmentModel
from slivers.scheduling.finish import finish
from slivers.scheduling.greedy import Plan, extend_plan, greedy_plan
from slivers.scheduling.model import Candidate, FixedBooking, Instance
from slivers.scheduling.objectives import levels_for
from slivers.scheduling.prepare import Prepared, prepare
from slivers.scheduling.search import OptimiserFactory, plan_key, reserve_seconds
from slivers.scheduling.settings import Settings
from slivers.scheduling.solution import Solution
from slivers.scheduling.timeline import Timelines
from slivers.scheduling.travel import IntArray

# share of the search time for the first pass (each part alone); the rest goes to the repair pass
FIRST_PASS_SHARE = 0.85
# bookings standing in for another part's visits carry ids no caller can use
PLACEHOLDER = "\x00part:"


def split_parts(prepared: Prepared, max_pairs: int) -> list[IntArray]:
    """Request indices per part: all of a day's requests with usable pairs, or when that day has more
    than `max_pairs` pairs, its components (no shared worker) packed into parts under that size."""
    p = prepared
    if p.n_pairs == 0:
        return []
    parent = list(range(p.n_requests))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    day = p.r_day[p.p_request]
    order = np.lexsort((p.p_request, day, p.p_worker))
    keys = np.stack([p.p_worker[order], day[order]], axis=1)
    same = np.all(keys[1:] == keys[:-1], axis=1)
    requests = p.p_request[order]
    for a, b in zip(requests[:-1][same].tolist(), requests[1:][same].tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    pairs_per_request = np.bincount(p.p_request, minlength=p.n_requests)
    components: dict[int, list[int]] = defaultdict(list)
    for r in np.flatnonzero(pairs_per_request).tolist():
        components[find(r)].append(r)
    by_day: dict[int, list[list[int]]] = defaultdict(list)
    for members in components.values():
        by_day[int(p.r_day[members[0]])].append(members)
    parts: list[IntArray] = []
    for d in sorted(by_day):
        bins: list[list[int]] = [[]]
        size = 0
        for members in sorted(by_day[d], key=lambda m: -int(pairs_per_request[m].sum())):
            weight = int(pairs_per_request[members].sum())
            if bins[-1] and size + weight > max_pairs:
                bins.append([])
                size = 0
            bins[-1].extend(members)
            size += weight
        parts.extend(np.array(sorted(members), dtype=np.int64) for members in bins if members)
    return parts


class _Decomposed:
    def __init__(
        self, optimiser_for: OptimiserFactory, settings: Settings, prepared: Prepared, started: float
    ) -> None:
        self.optimiser_for = optimiser_for
        self.settings = settings
        self.p = prepared
        self.instance = prepared.instance
        self.started = started
        self.end = started + self.settings.time_limit_s
        self.r_index = {r.id: i for i, r in enumerate(self.instance.requests)}
        self.w_index = {w.id: i for i, w in enumerate(self.instance.workers)}
        self.bookings_by_worker: dict[int, list[FixedBooking]] = defaultdict(list)
        for b in self.instance.bookings:
            self.bookings_by_worker[self.w_index[b.worker_id]].append(b)
        self.pairs_of = prepared.pairs_of_request()

    def sub_instance(self, part: IntArray, plan: Plan) -> Instance:
        """The part's requests with their usable pairs; the workers' own bookings and, as bookings,
        the visits `plan` gives them outside the part in the same weeks or the neighbouring days."""
        p, instance = self.p, self.instance
        part_set = set(part.tolist())
        pairs = [q for r in part.tolist() for q in self.pairs_of[r]]
        workers = sorted({int(p.p_worker[q]) for q in pairs})
        candidates = tuple(
            Candidate(
                instance.requests[int(p.p_request[q])].id,
                instance.workers[int(p.p_worker[q])].id,
                int(p.p_score[q]),
                bool(p.p_continuity[q]),
            )
            for q in pairs
        )
        days = {int(p.r_day[r]) for r in part.tolist()}
        weeks = {int(p.r_week[r]) for r in part.tolist()}
        near = days | {d - 1 for d in days} | {d + 1 for d in days}
        bookings: list[FixedBooking] = []
        for w in workers:
            bookings.extend(self.bookings_by_worker.get(w, ()))
        wanted = set(workers)
        for r, (assigned, start) in plan.items():
            if r in part_set or not (int(p.r_week[r]) in weeks or int(p.r_day[r]) in near):
                continue
            request = instance.requests[r]
            for w in assigned:
                if w in wanted:
                    worker_id = instance.workers[w].id
                    bookings.append(
                        FixedBooking(
                            f"{PLACEHOLDER}{request.id}:{worker_id}",
                            worker_id,
                            start,
                            start + request.duration,
                            request.location,
                            request.person_id,
                        )
                    )
        return Instance(
            tuple(instance.requests[r] for r in part.tolist()),
            tuple(instance.workers[w] for w in workers),
            candidates,
            tuple(bookings),
            instance.travel,
            instance.day_offset,
        )

    def solve_part(self, part: IntArray, plan: Plan, deadline: float, hint: Plan | None) -> tuple[Plan, int]:
        """The part's best plan (global indices) and its bound on filled priority."""
        sub = self.sub_instance(part, plan)
        settings = Settings(
            mode=self.settings.mode,
            time_limit_s=max(0.01, deadline - time.perf_counter()),
            relative_gap=self.settings.relative_gap,
            num_workers=self.settings.num_workers,
            seed=self.settings.seed,
            decompose_above_pairs=1 << 62,
            log_search=self.settings.log_search,
        )
        sub_solver = self.optimiser_for(sub, settings)
        prepared = prepare(sub)
        greedy = greedy_plan(prepared, settings.mode)
        sub_r = {r.id: i for i, r in enumerate(sub.requests)}
        sub_w = {w.id: i for i, w in enumerate(sub.workers)}
        sub_hint: Plan | None = None
        if hint is not None:
            sub_hint = {
                sub_r[self.instance.requests[r].id]: (
                    tuple(sub_w[self.instance.workers[w].id] for w in assigned),
                    start,
                )
                for r, (assigned, start) in hint.items()
            }
        if prepared.n_pairs == 0:
            return {}, 0
        found, _, bounds = sub_solver.optimise(prepared, greedy, deadline, sub_hint)
        result: Plan = {
            self.r_index[sub.requests[r].id]: (
                tuple(self.w_index[sub.workers[w].id] for w in assigned),
                start,
            )
            for r, (assigned, start) in found.items()
        }
        return result, bounds[0]

    def join(self, plan: Plan) -> Plan:
        """Keep the parts' visits that still fit together (highest priority first), then top up."""
        p = self.p
        timelines = Timelines.with_bookings(p)
        kept: Plan = {}
        for r in sorted(plan, key=lambda r: (-int(p.r_priority[r]), int(p.r_start[r]))):
            assigned, start = plan[r]
            if all(timelines.within_caps(w, r) and timelines.is_free(w, r, start) for w in assigned):
                for w in assigned:
                    timelines.place(w, r, start)
                kept[r] = plan[r]
        return extend_plan(p, kept, self.settings.mode)

    def run(self) -> Solution:
        p = self.p
        greedy_started = time.perf_counter()
        greedy = greedy_plan(p, self.settings.mode)
        reserve = reserve_seconds(self.settings, time.perf_counter() - greedy_started)
        search_end = self.end - reserve
        parts = split_parts(p, self.settings.decompose_above_pairs)
        weights = [sum(len(self.pairs_of[r]) for r in part.tolist()) for part in parts]
        first_end = time.perf_counter() + (search_end - time.perf_counter()) * FIRST_PASS_SHARE

        joined: Plan = {}
        part_bounds: list[int] = []
        for i, part in enumerate(parts):
            share = weights[i] / max(1, sum(weights[i:]))
            deadline = time.perf_counter() + max(0.0, first_end - time.perf_counter()) * share
            found, bound = self.solve_part(part, {}, deadline, None)
            joined.update(found)
            part_bounds.append(bound)
        plan = self.join(joined)
        levels = levels_for(self.settings.mode, _shell(p))
        if plan_key(levels, greedy) > plan_key(levels, plan):
            plan = greedy

        # repair: each part with the rest fixed, largest shortfall against its bound first
        def shortfall(i: int) -> int:
            return part_bounds[i] - sum(int(p.r_priority[r]) for r in parts[i].tolist() if r in plan)

        order = sorted(range(len(parts)), key=lambda i: -shortfall(i))
        for n, i in enumerate(order):
            left = search_end - time.perf_counter()
            if left < 0.2:
                break
            mine = {r: plan[r] for r in parts[i].tolist() if r in plan}
            deadline = time.perf_counter() + left / (len(order) - n)
            found, _ = self.solve_part(parts[i], plan, deadline, mine)
            others = {r: v for r, v in plan.items() if r not in set(parts[i].tolist())}
            candidate = {**others, **found}
            if plan_key(levels, candidate) >= plan_key(levels, plan):
                plan = candidate

        bound = sum(part_bounds)
        bounds = [level.high for level in levels]
        bounds[0] = max(levels[0].evaluate(plan), min(bounds[0], bound))
        return finish(p, self.settings.mode, plan, greedy, (levels, bounds), self.started)


def _shell(prepared: Prepared) -> AssignmentModel:
    """Levels to evaluate plans with, without building a CP-SAT model of the whole instance."""
    return AssignmentModel(prepared, Conflicts([], np.zeros((0, 2), dtype=np.int64), {}), variables=False)


def solve_decomposed(
    optimiser_for: OptimiserFactory, settings: Settings, prepared: Prepared, started: float
) -> Solution:
    """Solve a large `fill` instance part by part; `optimiser_for` gives the search for each part."""
    return _Decomposed(optimiser_for, settings, prepared, started).run()
