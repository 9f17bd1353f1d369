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
from slivers.scheduling.prepare import BoolArray, Prepared
from slivers.scheduling.travel import IntArray

# (earliest start, latest start) of a visit, as a variable or a constant
Start = Any


class AssignmentModel:
    def __init__(self, prepared: Prepared, conflicts: Conflicts, variables: bool = True) -> None:
        """`variables=False` gives a shell for evaluating objective levels on plans, without a model."""
        self.prepared = prepared
        self.conflicts = conflicts
        self.model = cp_model.CpModel()
        model = self.model
        self.pairs_of = prepared.pairs_of_request()
        self.starts: dict[int, Any] = {}
        self.used: dict[int, Any] = {}  # worker -> works at all (min_workers mode builds it)
        if not variables:
            self.x: list[Any] = []
            self.filled: dict[int, Any] = {r: None for r, ps in enumerate(self.pairs_of) if ps}
            self.aux: list[tuple[Any, Callable[[Plan], int]]] = []
            return
        self.x = [model.new_bool_var("") for _ in range(prepared.n_pairs)]
        self.filled = {r: model.new_bool_var("") for r, ps in enumerate(self.pairs_of) if ps}
        for r in np.flatnonzero(prepared.r_flexible).tolist():
            if self.pairs_of[r]:
                self.starts[r] = model.new_int_var(
                    int(prepared.r_start[r]), int(prepared.r_last_start[r]), ""
                )
        # variables the objectives add, each with the value a plan implies, so hints stay complete
        self.aux = []

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
        for pair in np.flatnonzero(p.r_flexible[p.p_request]).tolist():
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
        possible travel, beside the worker's fixed visits and bookings that could meet a padded one.
        (Fixed visits among themselves are already kept apart by the cliques and travel pairs.)"""
        p = self.prepared
        padding = self.conflicts.flexible_padding
        if not padding:
            return
        flexible = np.fromiter(padding, dtype=np.int64)
        pads = np.fromiter(padding.values(), dtype=np.int64)
        f_request = p.p_request[flexible]
        # the span each padded start-window visit may cover, per worker
        low = p.r_start[f_request] - pads
        high = p.r_last_start[f_request] + p.r_duration[f_request] + pads
        f_worker = p.p_worker[flexible]
        fixed = np.flatnonzero(~p.r_flexible[p.p_request])
        near = _meets_any(
            p.p_worker[fixed],
            p.r_start[p.p_request[fixed]],
            p.r_start[p.p_request[fixed]] + p.r_duration[p.p_request[fixed]],
            f_worker,
            low,
            high,
        )
        intervals: dict[int, list[Any]] = defaultdict(list)
        for q, pad in padding.items():
            r = int(p.p_request[q])
            duration = int(p.r_duration[r])
            start = self.starts[r] - pad
            intervals[int(p.p_worker[q])].append(
                self.model.new_optional_interval_var(
                    start, duration + 2 * pad, start + duration + 2 * pad, self.x[q], ""
                )
            )
        for q in fixed[near].tolist():
            r = int(p.p_request[q])
            intervals[int(p.p_worker[q])].append(
                self.model.new_optional_fixed_size_interval_var(
                    int(p.r_start[r]), int(p.r_duration[r]), self.x[q], ""
                )
            )
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for w, a, b in zip(f_worker.tolist(), low.tolist(), high.tolist(), strict=True):
            spans[w].append((a, b))
        for w, items in p.bookings_of.items():
            for start, end, _, _ in items:
                if any(start < b and a < end for a, b in spans.get(w, ())):
                    intervals[w].append(self.model.new_fixed_size_interval_var(start, end - start, ""))
        for worker_intervals in intervals.values():
            if len(worker_intervals) > 1:
                self.model.add_no_overlap(worker_intervals)

    def _add_caps(self) -> None:
        p = self.prepared
        minutes = p.r_duration[p.p_request]
        for left, period in ((p.daily_left, p.r_day), (p.weekly_left, p.r_week)):
            if not left or p.n_pairs == 0:
                continue
            pair_period = period[p.p_request]
            span = int(pair_period.max()) + 1
            keys = p.p_worker * span + pair_period
            groups, inverse = np.unique(keys, return_inverse=True)
            inverse = inverse.reshape(-1)
            totals = np.bincount(inverse, weights=minutes, minlength=len(groups))
            order = np.argsort(inverse, kind="stable")
            bounds = np.searchsorted(inverse[order], np.arange(len(groups) + 1))
            for g, key in enumerate(groups.tolist()):
                cap = left.get((key // span, key % span))
                if cap is None or totals[g] <= cap:
                    continue
                pairs = order[bounds[g] : bounds[g + 1]].tolist()
                expr = cp_model.LinearExpr.weighted_sum(
                    [self.x[q] for q in pairs], [int(minutes[q]) for q in pairs]
                )
                self.model.add(expr <= cap)

    def hint_plan(self, plan: Plan) -> None:
        """A complete hint: every variable gets the value the plan implies (written straight into the
        proto: one add_hint call per variable costs seconds on XL)."""
        p = self.prepared
        chosen = np.zeros(p.n_pairs, dtype=np.bool_)
        if plan and p.n_pairs:
            pair_of = {
                (int(r), int(w)): q for q, (r, w) in enumerate(zip(p.p_request, p.p_worker, strict=True))
            }
            for r, (workers, _) in plan.items():
                for w in workers:
                    chosen[pair_of[r, w]] = True
        variables: list[int] = [var.index for var in self.x]
        values: list[int] = chosen.astype(np.int64).tolist()
        for r, var in self.filled.items():
            variables.append(var.index)
            values.append(int(r in plan))
        starts = {r: start for r, (_, start) in plan.items()}
        for r, var in self.starts.items():
            variables.append(var.index)
            values.append(starts.get(r, int(p.r_start[r])))
        for var, value_of in self.aux:
            variables.append(var.index)
            values.append(int(value_of(plan)))
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        hint = self.model.proto.solution_hint
        hint.vars.extend(variables)
        hint.values.extend(values)


def _meets_any(
    worker: IntArray, start: IntArray, end: IntArray, span_worker: IntArray, low: IntArray, high: IntArray
) -> BoolArray:
    """For each visit (worker, [start, end)), whether it meets any span (span_worker, [low, high))."""
    result = np.zeros(len(worker), dtype=np.bool_)
    if len(worker) == 0 or len(span_worker) == 0:
        return result
    order = np.argsort(worker, kind="stable")
    by_worker = worker[order]
    for w in np.unique(span_worker).tolist():
        mine = order[np.searchsorted(by_worker, w, "left") : np.searchsorted(by_worker, w, "right")]
        if len(mine) == 0:
            continue
        spans = span_worker == w
        hit = (start[mine, None] < high[None, spans]) & (low[None, spans] < end[mine, None])
        result[mine] = hit.any(axis=1)
    return result
