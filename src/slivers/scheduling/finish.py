"""A plan becomes a `Solution`: topped up by the greedy, each level's value and bound, the status,
and why the rest is unfilled. The solver and the decomposition both end here."""

from __future__ import annotations

import time

from slivers.scheduling.explain import explain_unfilled
from slivers.scheduling.greedy import Plan, extend_plan
from slivers.scheduling.objectives import Level
from slivers.scheduling.prepare import Prepared
from slivers.scheduling.settings import Mode
from slivers.scheduling.solution import LevelResult, Solution, Status

HEADLINE_LEVEL = {Mode.FILL: 0, Mode.MIN_WORKERS: 1, Mode.MIN_FACES: 1}


def finish(
    prepared: Prepared,
    mode: Mode,
    plan: Plan,
    greedy: Plan,
    solved: tuple[list[Level], list[int]] | None,
    started: float,
) -> Solution:
    """`solved` is the levels and their bounds from the search; None when there was nothing to search."""
    topped = extend_plan(prepared, plan, mode)
    instance = prepared.instance
    results: list[LevelResult] = []
    greedy_values: list[int] = []
    if solved is not None:
        levels, bounds = solved
        for level, bound in zip(levels, bounds, strict=True):
            value = level.evaluate(topped)
            bound = max(bound, value)
            sign = 1 if level.maximise else -1
            results.append(LevelResult(level.name, sign * value, sign * bound, level.maximise))
            greedy_values.append(sign * level.evaluate(greedy))
    else:
        value = sum(int(prepared.r_priority[r]) for r in topped)
        results.append(LevelResult("filled_priority", value, value, True))
        greedy_values.append(sum(int(prepared.r_priority[r]) for r in greedy))
    headline_index = min(HEADLINE_LEVEL[mode], len(results) - 1)
    headline = results[headline_index]
    if all(level.value == level.bound for level in results):
        status = Status.OPTIMAL
    elif _same_plan(topped, greedy):
        status = Status.GREEDY
    else:
        status = Status.FEASIBLE
    return Solution(
        assignments={
            instance.requests[r].id: tuple(instance.workers[w].id for w in workers)
            for r, (workers, _) in sorted(topped.items())
        },
        starts={instance.requests[r].id: start for r, (_, start) in sorted(topped.items())},
        unfilled=explain_unfilled(prepared, topped),
        status=status,
        objective=headline.value,
        bound=headline.bound,
        gap=headline.gap,
        levels=tuple(results),
        greedy_objective=greedy_values[headline_index],
        greedy_levels=tuple(greedy_values),
        wall_time_s=time.perf_counter() - started,
    )


def _same_plan(a: Plan, b: Plan) -> bool:
    return {r: sorted(w) for r, (w, _) in a.items()} == {r: sorted(w) for r, (w, _) in b.items()}
