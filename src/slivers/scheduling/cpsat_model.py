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
        # order choices for visits with a start window: (pair, other pair or None, booking or None) -> bool
        self.orders: dict[tuple[int, int, str], Any] = {}
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
        for f, g in self.conflicts.flexible_pairs:
            rg = int(p.p_request[g])
            if rg in self.starts:
                self._add_order(
                    f, self.starts[rg], int(p.r_duration[rg]), int(p.r_place[rg]), self.x[g], (f, g, "")
                )
            else:
                end = int(p.r_start[rg] + p.r_duration[rg])
                self._keep_clear(f, int(p.r_start[rg]), end, int(p.r_place[rg]), [self.x[f], self.x[g]])
        for f, b in self.conflicts.flexible_bookings:
            start, end, place, _ = next(item for item in p.bookings_of[int(p.p_worker[f])] if item[3] == b)
            self._keep_clear(f, start, end, place, [self.x[f]])

    def _keep_clear(self, f: int, start: int, end: int, place: int, enforce: list[Any]) -> None:
        """A visit with a start window keeps clear of a fixed one: its start avoids one stretch."""
        p = self.prepared
        r = int(p.p_request[f])
        duration, own_place = int(p.r_duration[r]), int(p.r_place[r])
        latest_before = start - duration - p.travel.get(own_place, place)
        earliest_after = end + p.travel.get(place, own_place)
        low, high = int(p.r_start[r]), int(p.r_last_start[r])
        allowed = [[low, min(high, latest_before)], [max(low, earliest_after), high]]
        allowed = [[a, b] for a, b in allowed if a <= b]
        if not allowed:
            self.model.add_bool_or([~literal for literal in enforce])
        elif allowed != [[low, high]]:
            domain = cp_model.Domain.from_intervals(allowed)
            self.model.add_linear_expression_in_domain(self.starts[r], domain).only_enforce_if(enforce)

    def _add_order(
        self,
        f: int,
        other_start: Start,
        other_length: int,
        other_place: int,
        other_x: Any,
        key: tuple[int, int, str],
    ) -> None:
        p = self.prepared
        rf = int(p.p_request[f])
        f_start, f_length, f_place = self.start_of(rf), int(p.r_duration[rf]), int(p.r_place[rf])
        before = self.model.new_bool_var("")
        self.orders[key] = before
        both = [self.x[f]] if other_x is None else [self.x[f], other_x]
        there, back = p.travel.get(f_place, other_place), p.travel.get(other_place, f_place)
        self.model.add(f_start + f_length + there <= other_start).only_enforce_if([before, *both])
        self.model.add(other_start + other_length + back <= f_start).only_enforce_if([~before, *both])

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
        bookings = {b.id: b.start for b in p.instance.bookings}
        for (f, g, booking), var in self.orders.items():
            rf = int(p.p_request[f])
            f_start = starts.get(rf, int(p.r_start[rf]))
            if booking:
                other = bookings[booking]
            else:
                rg = int(p.p_request[g])
                other = starts.get(rg, int(p.r_start[rg]))
            model.add_hint(var, f_start <= other)
        for var, value_of in self.aux:
            model.add_hint(var, value_of(plan))
