"""The CP-SAT model: one Boolean per usable (request, worker) pair and the hard constraints (design 6).

Objective terms live in objectives.py; this module only knows variables and constraints.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from slivers.scheduling.conflicts import Conflicts
from slivers.scheduling.greedy import Plan
from slivers.scheduling.prepare import Prepared

# (earliest start, latest start) of a visit, as a variable or a constant
Start = Any


class AssignmentModel:
    def __init__(self, prepared: Prepared, conflicts: Conflicts) -> None:
        self.prepared = prepared
        self.conflicts = conflicts
        self.model = cp_model.CpModel()
        model = self.model
        self.x = [model.new_bool_var("") for _ in range(prepared.n_pairs)]
        self.pairs_of = prepared.pairs_of_request()
        self.filled: dict[int, Any] = {r: model.new_bool_var("") for r, ps in enumerate(self.pairs_of) if ps}
        self.starts: dict[int, Any] = {}
        for r in np.flatnonzero(prepared.r_flexible).tolist():
            if self.pairs_of[r]:
                self.starts[r] = model.new_int_var(
                    int(prepared.r_start[r]), int(prepared.r_last_start[r]), ""
                )
        # variables the objectives add, each with the value a plan implies, so hints stay complete
        self.aux: list[tuple[Any, Callable[[Plan], int]]] = []

    def start_of(self, request: int) -> Start:
        return self.starts.get(request, int(self.prepared.r_start[request]))

    def add_constraints(self) -> None:
        self._add_workers_needed()
        self._add_overlaps()
        self._add_flexible_starts()
        self._add_caps()

    def _add_workers_needed(self) -> None:
        needed = self.prepared.r_needed
        for r, filled in self.filled.items():
            self.model.add(sum(self.x[p] for p in self.pairs_of[r]) == int(needed[r]) * filled)

    def _add_overlaps(self) -> None:
        for clique in self.conflicts.cliques:
            self.model.add_at_most_one(self.x[p] for p in clique)
        for a, b in self.conflicts.travel_pairs.tolist():
            self.model.add_bool_or([~self.x[a], ~self.x[b]])

    def _add_flexible_starts(self) -> None:
        p = self.prepared
        workers = p.instance.workers
        for pair in range(p.n_pairs):
            r = int(p.p_request[pair])
            window = workers[int(p.p_worker[pair])].availability
            if r in self.starts and window is not None:
                duration = int(p.r_duration[r])
                allowed = [[a, b - duration] for a, b in window if b - a >= duration]
                domain = cp_model.Domain.from_intervals(allowed)
                self.model.add_linear_expression_in_domain(self.starts[r], domain).only_enforce_if(
                    self.x[pair]
                )
        self._add_flexible_no_overlap()

    def _add_flexible_no_overlap(self) -> None:
        """One no-overlap per worker with start-window visits: those visits padded by their longest
        possible travel, beside the worker's fixed visits and bookings that same day."""
        p = self.prepared
        padding = self.conflicts.flexible_padding
        if not padding:
            return
        days_of: dict[int, set[int]] = defaultdict(set)
        for f in padding:
            day = int(p.r_day[p.p_request[f]])
            days_of[int(p.p_worker[f])].update((day - 1, day, day + 1))  # visits may cross midnight
        intervals: dict[int, list[Any]] = defaultdict(list)
        for q, (w, r) in enumerate(zip(p.p_worker.tolist(), p.p_request.tolist(), strict=True)):
            if int(p.r_day[r]) not in days_of.get(w, ()):
                continue
            duration = int(p.r_duration[r])
            if q in padding:
                pad = padding[q]
                start = self.starts[r] - pad
                interval = self.model.new_optional_interval_var(
                    start, duration + 2 * pad, start + duration + 2 * pad, self.x[q], ""
                )
            else:
                interval = self.model.new_optional_fixed_size_interval_var(
                    int(p.r_start[r]), duration, self.x[q], ""
                )
            intervals[w].append(interval)
        instance = p.instance
        for w, items in p.bookings_of.items():
            if w in intervals:
                for start, end, _, _ in items:
                    if instance.day_of(start) in days_of[w] or instance.day_of(end) in days_of[w]:
                        intervals[w].append(self.model.new_fixed_size_interval_var(start, end - start, ""))
        for worker_intervals in intervals.values():
            if len(worker_intervals) > 1:
                self.model.add_no_overlap(worker_intervals)

    def _add_caps(self) -> None:
        p = self.prepared
        for left, period in ((p.daily_left, p.r_day), (p.weekly_left, p.r_week)):
            if not left:
                continue
            groups: dict[tuple[int, int], list[int]] = defaultdict(list)
            for pair, (w, r) in enumerate(zip(p.p_worker.tolist(), p.p_request.tolist(), strict=True)):
                if (w, int(period[r])) in left:
                    groups[w, int(period[r])].append(pair)
            for key, pairs in groups.items():
                minutes = [int(p.r_duration[p.p_request[q]]) for q in pairs]
                if sum(minutes) > left[key]:
                    expr = cp_model.LinearExpr.weighted_sum([self.x[q] for q in pairs], minutes)
                    self.model.add(expr <= left[key])

    def hint_plan(self, plan: Plan) -> None:
        """A complete hint: every variable gets the value the plan implies."""
        p = self.prepared
        model = self.model
        model.clear_hints()  # type: ignore[no-untyped-call]
        chosen = {(r, w) for r, (workers, _) in plan.items() for w in workers}
        for pair, var in enumerate(self.x):
            model.add_hint(var, (int(p.p_request[pair]), int(p.p_worker[pair])) in chosen)
        for r, var in self.filled.items():
            model.add_hint(var, r in plan)
        starts = {r: start for r, (_, start) in plan.items()}
        for r, var in self.starts.items():
            model.add_hint(var, starts.get(r, int(p.r_start[r])))
        for var, value_of in self.aux:
            model.add_hint(var, value_of(plan))
