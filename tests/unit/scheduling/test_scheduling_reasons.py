"""Unfilled requests come back with the right reason; empty and infeasible instances are clean."""

from __future__ import annotations

from slivers.scheduling import (
    Candidate,
    FixedBooking,
    Instance,
    Mode,
    Request,
    Settings,
    Status,
    UnfilledReason,
    Worker,
    solve,
    validate,
)

HOME = (51.9017, -0.2019)
FAST = Settings(time_limit_s=2.0)


def _request(id: str, start: int, end: int, **extra: object) -> Request:
    return Request(id=id, start=start, end=end, person_id=f"person-{id}", location=HOME, **extra)  # type: ignore[arg-type]


def test_empty_instance_is_optimal_and_empty() -> None:
    for mode in Mode:
        solution = solve(Instance((), (), ()), Settings(mode=mode, time_limit_s=1.0))

        assert solution.assignments == {}
        assert solution.unfilled == {}
        assert solution.status is Status.OPTIMAL
        assert solution.gap == 0.0


def test_request_without_candidates_has_no_eligible_worker() -> None:
    instance = Instance((_request("r1", 0, 60),), (Worker("w1", HOME),), ())

    solution = solve(instance, FAST)

    assert solution.unfilled["r1"].reason is UnfilledReason.NO_ELIGIBLE_WORKER
    assert validate(instance, solution) == []


def test_overlapping_requests_name_the_one_that_keeps_the_worker_busy() -> None:
    requests = (_request("r1", 0, 120, priority=3), _request("r2", 60, 180))
    instance = Instance(requests, (Worker("w1", HOME),), (Candidate("r1", "w1"), Candidate("r2", "w1")))

    solution = solve(instance, FAST)

    assert solution.assignments == {"r1": ("w1",)}
    assert solution.unfilled["r2"].reason is UnfilledReason.ELIGIBLE_WORKERS_BUSY
    assert solution.unfilled["r2"].conflicts == ("r1",)


def test_fixed_booking_blocks_the_worker_including_travel() -> None:
    far = (51.75, -0.34)  # St Albans, well over 10 minutes from Stevenage
    booking = FixedBooking("b1", "w1", 0, 60, far)
    instance = Instance(
        (_request("r1", 65, 120),), (Worker("w1", HOME),), (Candidate("r1", "w1"),), (booking,)
    )

    solution = solve(instance, FAST)

    assert solution.unfilled["r1"].reason is UnfilledReason.ELIGIBLE_WORKERS_BUSY
    assert solution.unfilled["r1"].conflicts == ("b1",)


def test_cap_reached_is_reported_with_the_capped_worker() -> None:
    worker = Worker("w1", HOME, daily_cap_minutes=90)
    requests = (_request("r1", 0, 60, priority=2), _request("r2", 300, 360))
    instance = Instance(requests, (worker,), (Candidate("r1", "w1"), Candidate("r2", "w1")))

    solution = solve(instance, FAST)

    assert solution.assignments == {"r1": ("w1",)}
    assert solution.unfilled["r2"].reason is UnfilledReason.CAPS_REACHED
    assert solution.unfilled["r2"].capped_workers == ("w1",)


def test_double_handed_visit_is_filled_by_two_or_not_at_all() -> None:
    workers = (Worker("w1", HOME), Worker("w2", HOME))
    lone = Instance((_request("r1", 0, 60, workers_needed=2),), workers[:1], (Candidate("r1", "w1"),))
    pair = Instance(
        (_request("r1", 0, 60, workers_needed=2),), workers, (Candidate("r1", "w1"), Candidate("r1", "w2"))
    )

    assert solve(lone, FAST).assignments == {}
    assert sorted(solve(pair, FAST).assignments["r1"]) == ["w1", "w2"]


def test_start_window_moves_the_visit_after_a_booking() -> None:
    booking = FixedBooking("b1", "w1", 0, 60, HOME)
    request = _request("r1", 30, 90, latest_start=120)
    instance = Instance((request,), (Worker("w1", HOME),), (Candidate("r1", "w1"),), (booking,))

    solution = solve(instance, FAST)

    assert solution.assignments == {"r1": ("w1",)}
    assert solution.starts["r1"] >= 60 + 10  # after the booking and the minimum travel buffer
    assert validate(instance, solution) == []


def test_continuity_and_volunteers_first_win_at_level_two() -> None:
    workers = (Worker("paid", HOME), Worker("volunteer", HOME, is_volunteer=True), Worker("known", HOME))
    requests = (
        _request("companionship", 0, 60, volunteers_first=True),
        _request("care", 600, 660, preferred_workers=frozenset({"known"})),
    )
    candidates = (
        Candidate("companionship", "paid", score=9),
        Candidate("companionship", "volunteer", score=0),
        Candidate("care", "paid", score=9),
        Candidate("care", "known", score=0),
    )
    solution = solve(Instance(requests, workers, candidates), FAST)

    assert solution.assignments == {"companionship": ("volunteer",), "care": ("known",)}


def test_infeasible_everything_busy_instance_returns_reasons_not_errors() -> None:
    requests = tuple(_request(f"r{i}", 0, 60) for i in range(3))
    instance = Instance(requests, (Worker("w1", HOME),), tuple(Candidate(r.id, "w1") for r in requests))

    solution = solve(instance, Settings(mode=Mode.MIN_WORKERS, time_limit_s=1.0))

    assert solution.filled_count == 1
    assert {u.reason for u in solution.unfilled.values()} == {UnfilledReason.ELIGIBLE_WORKERS_BUSY}
    assert validate(instance, solution) == []
