"""The matching solver: greedy hint, CP-SAT in lexicographic stages, top-up, explanations.

Strict priority between objective levels is kept by weight scaling with proven bounds: consecutive
levels share one CP-SAT solve, each weighted above the whole range of the levels below it, as long as
the combined range stays under 2**40 (so the LP's floating point keeps every level exact). When it
would not, the next level starts a new sequential stage, solved with the earlier stage's combined
objective fixed at least at its value. Either way a better value on an earlier level always wins.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from slivers.scheduling.conflicts import find_conflicts
from slivers.scheduling.cpsat_model import AssignmentModel
from slivers.scheduling.decompose import solve_decomposed
from slivers.scheduling.finish import finish
from slivers.scheduling.greedy import Plan, greedy_plan
from slivers.scheduling.lp_bound import filled_priority_bound
from slivers.scheduling.min_workers import fewest_workers, greedy_at_bound
from slivers.scheduling.model import Instance
from slivers.scheduling.objectives import Level, levels_for
from slivers.scheduling.prepare import Prepared, prepare
from slivers.scheduling.search import Optimised, cp_solver, plan_key, read_plan, reserve_seconds, stop_latency
from slivers.scheduling.settings import Mode, Settings
from slivers.scheduling.solution import Solution

STAGE_RANGE_LIMIT = 2**40
LARGE_FILL_PAIRS = 20_000
# The first stage holds the most important level: it gets most of the time left.
FIRST_STAGE_SHARE = 0.85


@dataclass(frozen=True, slots=True)
class _Stage:
    levels: list[int]  # indices into the level list
    weights: list[int]


def plan_stages(levels: list[Level], first_alone: bool = False) -> list[_Stage]:
    """Group levels into weighted stages; `first_alone` gives the first level a stage of its own."""
    stages: list[list[int]] = [[]]
    product = 1
    for i, level in enumerate(levels):
        size = level.high - level.low + 1
        if stages[-1] and (product * size > STAGE_RANGE_LIMIT or (first_alone and i == 1)):
            stages.append([])
            product = 1
        stages[-1].append(i)
        product *= size
    result = []
    for members in stages:
        weights = [1] * len(members)
        for j in range(len(members) - 2, -1, -1):
            below = levels[members[j + 1]]
            weights[j] = weights[j + 1] * (below.high - below.low + 1)
        result.append(_Stage(members, weights))
    return result


class Solver:
    def __init__(self, instance: Instance, settings: Settings | None = None) -> None:
        self.instance = instance
        self.settings = settings or Settings()

    def solve(self) -> Solution:
        """The whole run (preparation, model building, search, bound, top-up, explanations) keeps
        within `time_limit_s`: the search gets what is left after building, less a reserve for the
        work after it, sized from how long the greedy took (the top-up is another greedy pass)."""
        started = time.perf_counter()
        end = started + self.settings.time_limit_s
        prepared = prepare(self.instance)
        if self.settings.mode is Mode.FILL and prepared.n_pairs > self.settings.decompose_above_pairs:
            return solve_decomposed(Solver, self.settings, prepared, started)
        greedy_started = time.perf_counter()
        greedy = greedy_plan(prepared, self.settings.mode)
        reserve = reserve_seconds(self.settings, time.perf_counter() - greedy_started)
        if prepared.n_pairs == 0:
            return finish(prepared, self.settings.mode, greedy, greedy, None, started)
        plan, levels, bounds = self.optimise(prepared, greedy, end - reserve)
        return finish(prepared, self.settings.mode, plan, greedy, (levels, bounds), started)

    def optimise(
        self, prepared: Prepared, greedy: Plan, deadline: float, hint: Plan | None = None
    ) -> Optimised:
        """Build the model and search until `deadline`; the best of greedy, `hint` and CP-SAT, with
        each level's bound."""
        if self.settings.mode is Mode.MIN_WORKERS and hint is None:
            done = greedy_at_bound(prepared, greedy)
            if done is not None:
                return done  # nothing to search for: skip building the model
        model = self._build_model(prepared)
        levels = self._objective_levels(model)
        if hint is not None:
            usable = set(zip(prepared.p_request.tolist(), prepared.p_worker.tolist(), strict=True))
            hint = {r: item for r, item in hint.items() if all((r, w) in usable for w in item[0])}
        start = greedy if hint is None or plan_key(levels, greedy) >= plan_key(levels, hint) else hint
        if self.settings.mode is Mode.MIN_WORKERS:
            found = fewest_workers(self.settings, model, levels, start, deadline)
            if found is not None:
                return found
            # no plan filling everything turned up: the plain lexicographic stages from here
        plan, bounds = self._solve_stages(model, levels, start, deadline)
        left = deadline - time.perf_counter()
        # building GLOP's rows in Python costs about 60 us a pair under load: only when it fits
        lp_fits = left > 0.5 + 6e-5 * prepared.n_pairs
        if self.settings.mode is Mode.FILL and bounds[0] > levels[0].evaluate(plan) and lp_fits:
            # GLOP holds every clique from the start, where CP-SAT's bound may not have caught up yet.
            lp = filled_priority_bound(prepared, model.conflicts, left)
            if lp is not None:
                bounds[0] = max(levels[0].evaluate(plan), min(bounds[0], lp))
        return plan, levels, bounds

    def _build_model(self, prepared: Prepared) -> AssignmentModel:
        model = AssignmentModel(prepared, find_conflicts(prepared))
        model.add_constraints()
        return model

    def _objective_levels(self, model: AssignmentModel) -> list[Level]:
        return levels_for(self.settings.mode, model)

    def _solve_stages(
        self, model: AssignmentModel, levels: list[Level], greedy: Plan, deadline: float
    ) -> tuple[Plan, list[int]]:
        plan = greedy
        bounds = [level.high for level in levels]
        # Filling requests is what matters most in fill mode: solve it on the smallest model first.
        stages = plan_stages(levels, first_alone=self.settings.mode is Mode.FILL)
        for number, stage in enumerate(stages):
            left = deadline - time.perf_counter()
            if left <= 0.01:
                break
            objective = sum(w * levels[i].expr() for w, i in zip(stage.weights, stage.levels, strict=True))
            model.model.maximize(objective)
            model.hint_plan(plan)
            # the budget counts from here: building a stage's objective (faces, fairness) takes time too
            left = deadline - time.perf_counter() - stop_latency(model.prepared.n_pairs)
            if left <= (0.01 if number == 0 else stop_latency(model.prepared.n_pairs)):
                break  # a later stage too short to load the model in: keep what we have
            budget = left if number == len(stages) - 1 else left * FIRST_STAGE_SHARE
            solver = cp_solver(self.settings, budget)
            if self.settings.mode is Mode.FILL and model.prepared.n_pairs > LARGE_FILL_PAIRS:
                # Measured on L: presolve alone ate the first stage; without it CP-SAT closes most of the gap.
                solver.parameters.cp_model_presolve = False
            status = solver.solve(model.model)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                found = read_plan(model, solver)
                if plan_key(levels, found) >= plan_key(levels, plan):
                    plan = found
            if status == cp_model.MODEL_INVALID:
                raise RuntimeError(f"CP-SAT rejected the model: {model.model.validate()}")
            values = [levels[i].evaluate(plan) for i in stage.levels]
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                self._record_bounds(
                    levels, stage, values, math.floor(solver.best_objective_bound + 1e-6), bounds
                )
            model.model.add(objective >= sum(w * v for w, v in zip(stage.weights, values, strict=True)))
        return plan, bounds

    @staticmethod
    def _record_bounds(
        levels: list[Level], stage: _Stage, values: list[int], bound: int, out: list[int]
    ) -> None:
        """Each level's bound, for solutions equal to ours on the earlier levels of the stage."""
        for k, i in enumerate(stage.levels):
            earlier = sum(w * v for w, v in zip(stage.weights[:k], values[:k], strict=True))
            later = sum(
                w * levels[j].low for w, j in zip(stage.weights[k + 1 :], stage.levels[k + 1 :], strict=True)
            )
            level_bound = (bound - earlier - later) // stage.weights[k]
            out[i] = max(values[k], min(levels[i].high, level_bound))


def solve(instance: Instance, settings: Settings | None = None) -> Solution:
    return Solver(instance, settings).solve()
