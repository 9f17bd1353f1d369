"""On small instances CP-SAT's objective equals a brute-force optimum, and its bound is honest."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from slivers.scheduling import Instance, Mode, Settings, Status, solve
from tests.unit.scheduling.factories import brute_force, small_instances

FEW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _levels(instance: Instance, mode: Mode) -> tuple[int, int, Status]:
    solution = solve(instance, Settings(mode=mode, time_limit_s=5.0))
    filled = next(level for level in solution.levels if level.name == "filled_priority")
    second = solution.levels[1] if len(solution.levels) > 1 else filled
    assert filled.value <= filled.bound
    return filled.value, second.value, solution.status


@FEW
@given(instance=small_instances(max_requests=10, flexible=False))
def test_fill_mode_fills_as_much_priority_as_brute_force(instance: Instance) -> None:
    best_filled, _ = brute_force(instance, "min_workers")
    solution = solve(instance, Settings(mode=Mode.FILL, time_limit_s=5.0))

    assert solution.objective == best_filled
    assert solution.bound == best_filled  # proved: the bound meets the optimum


@FEW
@given(instance=small_instances(max_requests=10, flexible=False))
def test_min_workers_matches_brute_force(instance: Instance) -> None:
    best_filled, best_workers = brute_force(instance, "min_workers")
    filled, workers, status = _levels(instance, Mode.MIN_WORKERS)

    assert status is Status.OPTIMAL
    assert (filled, -workers) == (best_filled, best_workers)


@FEW
@given(instance=small_instances(max_requests=10, flexible=False))
def test_min_faces_matches_brute_force(instance: Instance) -> None:
    best_filled, best_faces = brute_force(instance, "min_faces")
    filled, faces, status = _levels(instance, Mode.MIN_FACES)

    assert status is Status.OPTIMAL
    assert (filled, -faces) == (best_filled, best_faces)
