"""An upper bound on the priority-weighted requests that can be filled: the LP relaxation (GLOP).

CP-SAT's own bound closes slowly on large instances because the clique rows enter its LP as cuts; this
relaxation holds every clique, travel pair, cap and workers-needed row from the start and solves in about
a second for L. Dropping the start-window constraints only loosens it, so the bound stays valid.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.linear_solver import pywraplp

from slivers.scheduling.conflicts import Conflicts
from slivers.scheduling.prepare import Prepared


def filled_priority_bound(prepared: Prepared, conflicts: Conflicts, time_limit_s: float) -> int | None:
    """The LP bound rounded down, or None when GLOP does not finish in time."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None or prepared.n_pairs == 0:
        return None
    solver.SetTimeLimit(max(1, int(time_limit_s * 1000)))
    infinity = solver.infinity()
    x = [solver.NumVar(0.0, 1.0, "") for _ in range(prepared.n_pairs)]
    objective = solver.Objective()
    pairs_of = prepared.pairs_of_request()
    for r, pairs in enumerate(pairs_of):
        if len(pairs) < prepared.r_needed[r]:
            continue
        filled = solver.NumVar(0.0, 1.0, "")
        objective.SetCoefficient(filled, float(prepared.r_priority[r]))
        row = solver.Constraint(0.0, 0.0)
        row.SetCoefficient(filled, -float(prepared.r_needed[r]))
        for p in pairs:
            row.SetCoefficient(x[p], 1.0)
    objective.SetMaximization()
    for clique in conflicts.cliques:
        row = solver.Constraint(-infinity, 1.0)
        for p in clique:
            row.SetCoefficient(x[p], 1.0)
    for a, b in conflicts.travel_pairs.tolist():
        row = solver.Constraint(-infinity, 1.0)
        row.SetCoefficient(x[a], 1.0)
        row.SetCoefficient(x[b], 1.0)
    for left, period in ((prepared.daily_left, prepared.r_day), (prepared.weekly_left, prepared.r_week)):
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        for p, (w, r) in enumerate(zip(prepared.p_worker.tolist(), prepared.p_request.tolist(), strict=True)):
            if (w, int(period[r])) in left:
                groups[w, int(period[r])].append(p)
        for key, pairs in groups.items():
            row = solver.Constraint(-infinity, float(left[key]))
            for p in pairs:
                row.SetCoefficient(x[p], float(prepared.r_duration[prepared.p_request[p]]))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value: float = objective.Value()
    return math.floor(value + 1e-6)
