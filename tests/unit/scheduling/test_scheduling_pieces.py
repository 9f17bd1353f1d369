"""Travel, the generator, stage weights and instance checks."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from slivers.geo import travel_minutes
from slivers.scheduling import (
    Candidate,
    Instance,
    InstanceError,
    Mode,
    Request,
    Settings,
    Worker,
    solve,
    validate,
)
from slivers.scheduling.generator import SIZES, county_week
from slivers.scheduling.travel import GEO_TRAVEL, minutes


def test_vectorised_travel_agrees_with_the_geo_function() -> None:
    rng = random.Random(7)
    for _ in range(500):
        a = (rng.uniform(51.6, 52.2), rng.uniform(-0.8, 0.2))
        b = (rng.uniform(51.6, 52.2), rng.uniform(-0.8, 0.2))
        assert minutes(GEO_TRAVEL, a, b) == travel_minutes(a, b)


def test_generator_is_seeded_and_sized() -> None:
    first, again, other = county_week("S", seed=3), county_week("S", seed=3), county_week("S", seed=4)

    assert (len(first.requests), len(first.workers)) == SIZES["S"]
    assert first.requests == again.requests
    assert first.candidates == again.candidates
    assert first.requests != other.requests
    assert all(1 * 60 <= r.duration <= 4 * 60 for r in first.requests)


def test_synthetic_s_solves_validly_and_beats_or_equals_greedy() -> None:
    instance = county_week("S", seed=1)

    for mode in Mode:
        solution = solve(instance, Settings(mode=mode, time_limit_s=3.0))
        assert validate(instance, solution) == []
        if mode is Mode.FILL:
            assert solution.greedy_objective <= solution.objective <= solution.bound
        else:
            assert solution.bound <= solution.objective  # minimised: the bound is below


def test_validator_catches_an_overlap_and_a_foreign_worker() -> None:
    home = (51.9, -0.2)
    requests = (Request("r1", 0, 60, "p", home), Request("r2", 30, 90, "p", home))
    instance = Instance(
        requests, (Worker("w1", home), Worker("w2", home)), (Candidate("r1", "w1"), Candidate("r2", "w1"))
    )
    good = solve(instance, Settings(time_limit_s=1.0))
    bad = replace(good, assignments={"r1": ("w1",), "r2": ("w1",)}, unfilled={})
    (filled,) = good.assignments
    foreign = replace(good, assignments={filled: ("w2",)})

    assert validate(instance, good) == []
    assert {v.rule for v in validate(instance, bad)} == {"overlap"}
    assert "eligibility" in {v.rule for v in validate(instance, foreign)}


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: Request("r", 10, 10, "p", (0.0, 0.0)), "end must be after start"),
        (lambda: Request("r", 0, 10, "p", (0.0, 0.0), workers_needed=3), "workers_needed"),
        (
            lambda: Instance((Request("r", 0, 10, "p", (0.0, 0.0)),), (), (Candidate("r", "nobody"),)),
            "unknown worker",
        ),
    ],
)
def test_bad_instances_are_refused_with_the_field_named(build: object, words: str) -> None:
    with pytest.raises(InstanceError, match=words):
        build()  # type: ignore[operator]
