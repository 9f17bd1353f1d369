"""Every solution, in every mode, passes the independent validator and beats or equals greedy."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from slivers.scheduling import Instance, Mode, Settings, Status, solve, validate
from tests.unit.scheduling.factories import small_instances

QUICK = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("mode", list(Mode))
@QUICK
@given(instance=small_instances())
def test_every_solution_is_valid_and_explained(mode: Mode, instance: Instance) -> None:
    solution = solve(instance, Settings(mode=mode, time_limit_s=2.0))

    assert validate(instance, solution) == []
    assert set(solution.assignments) | set(solution.unfilled) == {r.id for r in instance.requests}
    assert not set(solution.assignments) & set(solution.unfilled)
    for level in solution.levels:
        assert (level.value <= level.bound) if level.maximise else (level.value >= level.bound)


@pytest.mark.parametrize("mode", list(Mode))
@QUICK
@given(instance=small_instances())
def test_solver_is_never_worse_than_greedy(mode: Mode, instance: Instance) -> None:
    solution = solve(instance, Settings(mode=mode, time_limit_s=2.0))

    values = tuple(level.value if level.maximise else -level.value for level in solution.levels)
    greedy = tuple(
        value if level.maximise else -value
        for value, level in zip(solution.greedy_levels, solution.levels, strict=True)
    )
    assert values >= greedy
    if solution.status is Status.OPTIMAL:
        assert solution.gap == 0.0
