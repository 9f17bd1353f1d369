"""Decomposition of fill instances by day and component: valid plans, an honest summed bound, and the
same optimum as the monolithic model when each part is solved to the end."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from slivers.scheduling import Instance, Settings, Status, solve, validate
from slivers.scheduling.decompose import split_parts
from slivers.scheduling.generator import county_week
from slivers.scheduling.prepare import prepare
from tests.unit.scheduling.factories import small_instances

FEW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# every instance with at least one usable pair is decomposed
ALWAYS = 0


def test_parts_split_by_day_and_cover_every_request_with_a_usable_pair() -> None:
    instance = county_week("S", seed=2)
    prepared = prepare(instance)

    parts = split_parts(prepared, max_pairs=10**9)

    days = [{int(prepared.r_day[r]) for r in part.tolist()} for part in parts]
    assert all(len(d) == 1 for d in days)
    assert len({next(iter(d)) for d in days}) == len(parts)  # one part per day
    covered = sorted(r for part in parts for r in part.tolist())
    assert covered == sorted(set(prepared.p_request.tolist()))


def test_small_part_size_splits_days_between_components_that_share_no_worker() -> None:
    prepared = prepare(county_week("S", seed=2))

    parts = split_parts(prepared, max_pairs=1)

    by_worker_day: dict[tuple[int, int], int] = {}
    part_of = {r: i for i, part in enumerate(parts) for r in part.tolist()}
    for r, w in zip(prepared.p_request.tolist(), prepared.p_worker.tolist(), strict=True):
        key = (w, int(prepared.r_day[r]))
        assert by_worker_day.setdefault(key, part_of[r]) == part_of[r]


def test_decomposed_synthetic_week_is_valid_and_its_summed_bound_holds() -> None:
    instance = county_week("S", seed=1)

    decomposed = solve(instance, Settings(time_limit_s=4.0, decompose_above_pairs=ALWAYS))
    whole = solve(instance, Settings(time_limit_s=4.0))

    assert validate(instance, decomposed) == []
    assert decomposed.greedy_objective <= decomposed.objective <= decomposed.bound
    # the summed bound is a bound: no solution, however found, goes above it
    assert whole.objective <= decomposed.bound
    assert decomposed.wall_time_s <= 4.0 + 0.5


@FEW
@given(instance=small_instances(max_requests=10, flexible=False))
def test_decomposition_reaches_the_monolithic_optimum(instance: Instance) -> None:
    whole = solve(instance, Settings(time_limit_s=5.0))
    decomposed = solve(instance, Settings(time_limit_s=5.0, decompose_above_pairs=ALWAYS))

    assert validate(instance, decomposed) == []
    assert decomposed.objective <= decomposed.bound
    assert whole.objective <= decomposed.bound
    if whole.status is Status.OPTIMAL:
        assert decomposed.objective == whole.objective
