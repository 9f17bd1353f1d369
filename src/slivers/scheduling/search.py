"""What every stage of the search shares: the CP-SAT solver a stage runs, reading its plan back, how
plans compare, and the time kept in reserve. The solver, the decomposition and the fewest-workers
search each call these; none reaches into another's internals."""

from __future__ import annotations

from typing import Protocol

import numpy as np
from ortools.sat.python import cp_model

from slivers.scheduling.cpsat_model import AssignmentModel
from slivers.scheduling.greedy import Plan
from slivers.scheduling.model import Instance
from slivers.scheduling.objectives import Level
from slivers.scheduling.prepare import Prepared
from slivers.scheduling.settings import Settings

# CP-SAT stops its search (keeping the best found) rather than grow past this
MAX_MEMORY_MB = 1800

# A search's answer: the plan, the objective levels it was judged on, and each level's proven bound.
Optimised = tuple[Plan, list[Level], list[int]]


class Optimiser(Protocol):
    """Searches one prepared instance until a deadline (the solver; the decomposition asks one per part)."""

    def optimise(
        self, prepared: Prepared, greedy: Plan, deadline: float, hint: Plan | None = None
    ) -> Optimised: ...


class OptimiserFactory(Protocol):
    def __call__(self, instance: Instance, settings: Settings) -> Optimiser: ...


def cp_solver(settings: Settings, budget: float) -> cp_model.CpSolver:
    """A CP-SAT solver with the run's settings and `budget` seconds."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.01, budget)
    params.num_workers = settings.num_workers
    params.random_seed = settings.seed
    params.relative_gap_limit = settings.relative_gap
    params.log_search_progress = settings.log_search
    params.max_memory_in_mb = MAX_MEMORY_MB
    return solver


def read_plan(model: AssignmentModel, solver: cp_model.CpSolver) -> Plan:
    """The plan in the solver's last solution of `model`."""
    p = model.prepared
    values = np.asarray(solver.response_proto.solution, dtype=np.int64)
    chosen = np.flatnonzero(values[[var.index for var in model.x]] > 0)
    plan: Plan = {}
    for q in chosen.tolist():
        r, w = int(p.p_request[q]), int(p.p_worker[q])
        start = int(solver.value(model.starts[r])) if r in model.starts else int(p.r_start[r])
        workers, _ = plan.get(r, ((), start))
        plan[r] = ((*workers, w), start)
    return plan


def plan_key(levels: list[Level], plan: Plan) -> tuple[int, ...]:
    """A plan's values level by level: comparing keys compares plans lexicographically."""
    return tuple(level.evaluate(plan) for level in levels)


def reserve_seconds(settings: Settings, greedy_s: float) -> float:
    """Seconds kept back for the top-up and the explanations after the search."""
    return min(0.3 * settings.time_limit_s, 1.2 * greedy_s + 0.02 * settings.time_limit_s + 0.05)


def stop_latency(n_pairs: int) -> float:
    """Seconds CP-SAT may run past its time limit: it loads and copies the model before it looks at
    the clock (measured: about a second on L with the machine's load near 10)."""
    return 0.1 + 2.5e-5 * n_pairs
