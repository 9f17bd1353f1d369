"""The fewest workers once everything that can be filled is (SMPTSP and `Mode.MIN_WORKERS`).

The usual strong approach: the most visits running at one moment is a lower bound (LB) on the workers
needed, and a solution at LB has a rigid structure that CP-SAT can use: every used worker does exactly
one visit of each moment where LB visits run. Those equalities are enforced by a Boolean "at most LB
workers" (its negation forces LB + 1 or more), so one model both searches at LB with the strong
constraints and still accepts any cover above it while minimising. Workers with the same
qualifications are interchangeable and are used in index order (symmetry breaking). "Fill every
fillable request" is a Boolean whose domain is fixed while searching, so when no cover is found the
same model goes on to the plain lexicographic stages.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from slivers.scheduling.conflicts import Conflicts
from slivers.scheduling.cpsat_model import AssignmentModel
from slivers.scheduling.greedy import Plan
from slivers.scheduling.objectives import Level, levels_for
from slivers.scheduling.prepare import Prepared
from slivers.scheduling.search import Optimised, cp_solver, read_plan, stop_latency
from slivers.scheduling.settings import Mode, Settings

# share of the time left for the number of workers; the rest for the later levels (travel)
SEARCH_SHARE = 0.9
QUICK_RESTARTS = ("quick_restart", "quick_restart_no_lp")
ATTEMPT_SHARE = 0.75
# tight cliques beyond this many add little but model size
MAX_TIGHT_CLIQUES = 200


def fewest_workers(
    settings: Settings, model: AssignmentModel, levels: list[Level], start: Plan, deadline: float
) -> Optimised | None:
    """The plan, levels and bounds; None when no plan filling every fillable request was found (then
    the caller optimises the levels in order from `start`)."""
    p = model.prepared
    fillable = [r for r, filled in model.filled.items() if len(model.pairs_of[r]) >= p.r_needed[r]]
    tight, lower = _tight_moments(
        p.r_start, p.r_duration, p.r_needed, [r for r in fillable if not p.r_flexible[r]]
    )
    if levels[0].evaluate(start) == levels[0].high and -levels[1].evaluate(start) == lower:
        # the greedy already covers everything with as few workers as the bound: nothing to search
        bounds = [level.high for level in levels]
        bounds[1] = -lower
        levels[1].expr()
        model.model.add(sum(model.used.values()) <= lower)
        for r, filled in model.filled.items():
            model.model.add(filled == int(r in start))
        return _LaterLevels(settings, model, levels, start, bounds, deadline).solve()
    levels[1].expr()  # builds model.used and the per-worker cliques tied to it
    used = model.used
    cover = model.model.new_bool_var("")  # fill every fillable request (fixed true while searching)
    at_lower = model.model.new_bool_var("")  # the solution uses no more than `lower` workers
    total = sum(used.values())
    model.model.add(total <= lower).only_enforce_if(at_lower)
    model.model.add(total >= lower + 1).only_enforce_if(~at_lower)
    for r in fillable:
        model.model.add(model.filled[r] == 1).only_enforce_if(cover)
    model.model.add(total >= lower).only_enforce_if(cover)  # so a cover at the bound is proved at once
    pairs_of_worker: dict[int, dict[int, int]] = defaultdict(dict)
    for q, (r, w) in enumerate(zip(p.p_request.tolist(), p.p_worker.tolist(), strict=True)):
        pairs_of_worker[w][r] = q
    for moment in tight[:MAX_TIGHT_CLIQUES]:
        # at most `lower` workers for `lower` places to fill now: each worker used does exactly one
        for w, var in used.items():
            mine = [pairs_of_worker[w][r] for r in moment if r in pairs_of_worker[w]]
            expr = sum(model.x[q] for q in mine) if mine else 0
            model.model.add(expr == var).only_enforce_if([cover, at_lower])
    _break_symmetry(model)

    def covers(plan: Plan) -> bool:
        return levels[0].evaluate(plan) == levels[0].high

    plan = start
    proved = lower
    left = deadline - time.perf_counter() - stop_latency(p.n_pairs)
    if left > 0.05:
        _set_domain(model, cover, 1, 1)
        model.model.minimize(total)
        model.hint_plan(plan)
        model.model.add_hint(at_lower, covers(plan) and -levels[1].evaluate(plan) <= lower)
        model.model.add_hint(cover, 1)
        cp = cp_solver(settings, left * SEARCH_SHARE)
        if settings.num_workers <= len(QUICK_RESTARTS):
            # Measured on the SMPTSP files: the default two-worker portfolio (LP-heavy, for the bound)
            # stalls 2-6 workers above LB, while quick restarts hit LB in seconds (data_45, data_62);
            # the bound needs no search here, it is the max overlap.
            cp.parameters.subsolvers.extend(QUICK_RESTARTS[: settings.num_workers])
        status = cp.solve(model.model)
        if status == cp_model.INFEASIBLE:
            _set_domain(model, cover, 0, 0)
            return None
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = read_plan(model, cp)
            if covers(found) and (
                not covers(plan) or -levels[1].evaluate(found) <= -levels[1].evaluate(plan)
            ):
                plan = found
            proved = max(lower, math.ceil(cp.best_objective_bound - 1e-6))
    if not covers(plan):
        _set_domain(model, cover, 0, 0)
        return None
    best = -levels[1].evaluate(plan)
    bounds = [level.high for level in levels]
    bounds[1] = -min(proved, best)
    for r, filled in model.filled.items():
        model.model.add(filled == int(r in plan))
    # the lower levels with the number of workers held
    model.model.add(sum(used.values()) <= best)
    rest = _LaterLevels(settings, model, levels, plan, bounds, deadline)
    return rest.solve()


def greedy_at_bound(prepared: Prepared, greedy: Plan) -> Optimised | None:
    """The greedy plan with its bounds when it is provably optimal on every level (it fills every
    fillable request with as few workers as the max-overlap bound, the later levels at their best)."""
    shell = AssignmentModel(prepared, Conflicts([], np.zeros((0, 2), dtype=np.int64), {}), variables=False)
    levels = levels_for(Mode.MIN_WORKERS, shell)
    fillable = [r for r in shell.filled if len(shell.pairs_of[r]) >= prepared.r_needed[r]]
    _, lower = _tight_moments(
        prepared.r_start,
        prepared.r_duration,
        prepared.r_needed,
        [r for r in fillable if not prepared.r_flexible[r]],
    )
    values = [level.evaluate(greedy) for level in levels]
    if (
        values[0] != levels[0].high
        or -values[1] != lower
        or any(v != lv.high for v, lv in zip(values[2:], levels[2:], strict=True))
    ):
        return None
    return greedy, levels, values


def _tight_moments(
    starts: Any, durations: Any, needed: Any, requests: list[int]
) -> tuple[list[list[int]], int]:
    """The sets of visits running at the moments where the most places must be filled at once
    (half-open intervals: a visit ending at t and one starting at t do not meet), and that number."""
    events = sorted(
        [(int(starts[r] + durations[r]), 0, r) for r in requests] + [(int(starts[r]), 1, r) for r in requests]
    )
    active: set[int] = set()
    load = best = 0
    moments: list[list[int]] = []
    grown = False
    for _, kind, r in events:
        if kind == 1:
            active.add(r)
            load += int(needed[r])
            grown = True
            continue
        if grown:
            if load > best:
                best, moments = load, []
            if load == best:
                moments.append(sorted(active))
        grown = False
        active.discard(r)
        load -= int(needed[r])
    return moments, best


def _break_symmetry(model: AssignmentModel) -> None:
    """Workers alike in everything the model sees are interchangeable: use them in index order."""
    p = model.prepared
    booked = set(p.bookings_of) if p.bookings_of else set()
    offers: dict[int, list[tuple[int, int, bool, bool, int]]] = defaultdict(list)
    for q, (r, w) in enumerate(zip(p.p_request.tolist(), p.p_worker.tolist(), strict=True)):
        offers[w].append(
            (
                r,
                int(p.p_score[q]),
                bool(p.p_continuity[q]),
                bool(p.p_volunteer_match[q]),
                int(p.p_home_travel[q]),
            )
        )
    classes: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for w, items in offers.items():
        if w in booked or w not in model.used:
            continue
        worker = p.instance.workers[w]
        key = (
            tuple(sorted(items)),
            worker.availability,
            worker.daily_cap_minutes,
            worker.weekly_cap_minutes,
            worker.is_volunteer,
            worker.wants_hours,
            int(p.w_place[w]),
        )
        classes[key].append(w)
    for members in classes.values():
        for a, b in itertools.pairwise(members):
            model.model.add_implication(model.used[b], model.used[a])


def _set_domain(model: AssignmentModel, var: Any, low: int, high: int) -> None:
    domain = model.model.proto.variables[var.index].domain
    domain.clear()
    domain.extend([low, high])


class _LaterLevels:
    """Levels after the workers used (travel), maximised with the earlier ones held."""

    def __init__(
        self,
        settings: Settings,
        model: AssignmentModel,
        levels: list[Level],
        plan: Plan,
        bounds: list[int],
        deadline: float,
    ) -> None:
        self.settings, self.model, self.levels = settings, model, levels
        self.plan, self.bounds, self.deadline = plan, bounds, deadline

    def solve(self) -> Optimised:
        model, levels, plan, bounds = self.model, self.levels, self.plan, self.bounds
        for i in range(2, len(levels)):
            left = self.deadline - time.perf_counter() - stop_latency(self.model.prepared.n_pairs)
            if left < stop_latency(self.model.prepared.n_pairs):
                break
            if levels[i].evaluate(plan) == levels[i].high:
                continue  # at its bound already (no travel at all, say)
            if not model.used:
                break  # the workers used are not held in the model: leave the later levels as they are
            objective = levels[i].expr()
            model.model.maximize(objective)
            model.hint_plan(plan)
            cp = cp_solver(self.settings, left if i == len(levels) - 1 else left * ATTEMPT_SHARE)
            status = cp.solve(model.model)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                found = read_plan(model, cp)
                if [lv.evaluate(found) for lv in levels[: i + 1]] >= [
                    lv.evaluate(plan) for lv in levels[: i + 1]
                ]:
                    plan = found
                bounds[i] = max(
                    levels[i].evaluate(plan), min(levels[i].high, math.floor(cp.best_objective_bound + 1e-6))
                )
            model.model.add(objective >= levels[i].evaluate(plan))
        for i, level in enumerate(levels):
            bounds[i] = max(bounds[i], level.evaluate(plan))
        return plan, levels, bounds
