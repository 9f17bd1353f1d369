from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from slivers.geo import Nation
from slivers.market.rules.candidates import (
    CandidateSearch,
    RequestSnapshot,
    RuleFailure,
    WorkerKind,
    WorkerSnapshot,
    WorkerStatus,
    find_candidates,
)
from slivers.market.rules.intervals import Interval
from slivers.market.rules.overlap import BookedVisit

VISIT = (52.0, -0.2)
START = datetime(2026, 6, 10, 10, tzinfo=UTC)
END = START + timedelta(hours=2)
NOW = START - timedelta(hours=24)


def km_north(km: float) -> tuple[float, float]:
    return (VISIT[0] + km / 111.195, VISIT[1])


def request(**changes: object) -> RequestSnapshot:
    base = RequestSnapshot(
        id="r1",
        person_id="p1",
        task_types=frozenset({"companionship"}),
        location=VISIT,
        nation=Nation.ENGLAND,
        start=START,
        end=END,
        hard_requirements={"language": "polish", "non_smoker": True},
        max_rate_pence=2000,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def worker(**changes: object) -> WorkerSnapshot:
    """A worker who passes every rule for `request()`."""
    base = WorkerSnapshot(
        id="w1",
        first_name="Sam",
        kind=WorkerKind.PAID,
        status=WorkerStatus.ACTIVE,
        is_paused=False,
        task_types=frozenset({"companionship", "domestic"}),
        home=km_north(3),
        max_travel_km=10,
        hourly_rate_pence=1500,
        min_notice_minutes=60,
        min_visit_minutes=30,
        max_visit_minutes=240,
        max_minutes_per_day=480,
        max_minutes_per_week=2400,
        attributes={"language": frozenset({"english", "polish"}), "non_smoker": True, "gender": "female"},
        availability=[Interval(START - timedelta(hours=1), END + timedelta(hours=5))],
        # An earlier visit at the same place, leaving exactly the 10-minute buffer.
        bookings=[BookedVisit(START - timedelta(hours=2), START - timedelta(minutes=10), VISIT)],
        booked_minutes_day=110,
        booked_minutes_week=600,
        reliability=0.9,
        rating=4.5,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def no_vetting_failures(_: WorkerSnapshot) -> Sequence[str]:
    return []


def search(
    req: RequestSnapshot | None = None,
    vetting: Callable[[WorkerSnapshot], Sequence[str]] = no_vetting_failures,
) -> CandidateSearch:
    return CandidateSearch(req or request(), vetting, NOW)


def test_the_base_worker_passes_every_rule() -> None:
    found = search().rank([worker()])

    assert [c.worker.id for c in found] == ["w1"]
    assert search().why_not(worker()) == []


BREAK_ONE_RULE: list[tuple[str, dict[str, object], dict[str, object], list[str]]] = [
    ("inactive", {"status": WorkerStatus.INACTIVE}, {}, []),
    ("suspended", {"status": WorkerStatus.SUSPENDED}, {}, []),
    ("paused", {"is_paused": True}, {}, []),
    ("task_types", {"task_types": frozenset({"domestic"})}, {}, []),
    ("vetting:dbs_enhanced", {}, {}, ["dbs_enhanced"]),
    (
        "availability",
        {"availability": [Interval(START - timedelta(hours=1), END - timedelta(minutes=1))]},
        {},
        [],
    ),
    (
        "overlap_with_travel",
        {"bookings": [BookedVisit(START - timedelta(hours=2), START - timedelta(minutes=9), VISIT)]},
        {},
        [],
    ),
    ("distance", {"max_travel_km": 2.9}, {}, []),
    ("daily_cap", {"booked_minutes_day": 361}, {}, []),
    ("weekly_cap", {"booked_minutes_week": 2281}, {}, []),
    ("min_notice", {"min_notice_minutes": 24 * 60 + 1}, {}, []),
    ("visit_length", {"max_visit_minutes": 119}, {}, []),
    ("visit_length", {"min_visit_minutes": 121}, {}, []),
    (
        "hard_requirement:language",
        {"attributes": {"language": frozenset({"english"}), "non_smoker": True}},
        {},
        [],
    ),
    ("hard_requirement:gender", {}, {"hard_requirements": {"gender": "male"}}, []),
    ("hard_requirement:non_smoker", {"attributes": {"language": frozenset({"polish"})}}, {}, []),
    ("blocked", {}, {"blocked_worker_ids": frozenset({"w1"})}, []),
    ("rate_above_max", {"hourly_rate_pence": 2001}, {}, []),
    ("rate_above_max", {}, {"is_paid": False}, []),
    ("below_living_wage", {"hourly_rate_pence": 1270}, {}, []),
    ("below_living_wage", {"hourly_rate_pence": None}, {}, []),
]


@pytest.mark.parametrize(
    ("rule", "worker_changes", "request_changes", "vetting_codes"),
    BREAK_ONE_RULE,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(BREAK_ONE_RULE)],
)
def test_breaking_one_rule_removes_the_worker_and_names_exactly_that_rule(
    rule: str, worker_changes: dict[str, object], request_changes: dict[str, object], vetting_codes: list[str]
) -> None:
    broken = worker(**worker_changes)
    candidate_search = search(request(**request_changes), lambda _: vetting_codes)

    assert candidate_search.rank([broken]) == []
    assert not candidate_search.passes(broken)
    failures = candidate_search.why_not(broken)
    assert [f.rule for f in failures] == [rule]
    assert all(isinstance(f, RuleFailure) and f.detail for f in failures)


def test_every_rule_of_the_brief_is_covered_above() -> None:
    covered = {case[0].split(":")[0] for case in BREAK_ONE_RULE}
    assert covered == {
        "inactive", "suspended", "paused", "task_types", "vetting", "availability", "overlap_with_travel",
        "distance", "daily_cap", "weekly_cap", "min_notice", "visit_length", "hard_requirement", "blocked",
        "rate_above_max", "below_living_wage",
    }  # fmt: skip


def test_boundaries_that_still_pass() -> None:
    edge = worker(
        max_travel_km=3.01,
        booked_minutes_day=360,
        booked_minutes_week=2280,
        min_notice_minutes=24 * 60,
        min_visit_minutes=120,
        max_visit_minutes=120,
        hourly_rate_pence=2000,
        availability=[Interval(START, END)],
    )
    assert search().why_not(edge) == []
    assert search().why_not(worker(hourly_rate_pence=1271)) == []


def test_volunteers_skip_rate_rules_and_can_take_unpaid_requests() -> None:
    volunteer = worker(kind=WorkerKind.VOLUNTEER, hourly_rate_pence=None)

    assert search(request(is_paid=False, max_rate_pence=None)).why_not(volunteer) == []


def test_why_not_names_every_failing_rule_in_check_order() -> None:
    broken = worker(status=WorkerStatus.SUSPENDED, max_travel_km=1, attributes={})

    failures = search(vetting=lambda _: ["dbs_enhanced", "reference"]).why_not(broken)

    assert [f.rule for f in failures] == [
        "suspended",
        "hard_requirement:language",
        "hard_requirement:non_smoker",
        "distance",
        "vetting:dbs_enhanced",
        "vetting:reference",
    ]


def test_ranking_order_preferred_then_seen_before_then_reliability_rating_distance_rate() -> None:
    workers = [
        worker(id="cheaper_far", home=km_north(6), reliability=0.8, rating=4.0, hourly_rate_pence=1300),
        worker(id="dearer_far", home=km_north(6), reliability=0.8, rating=4.0, hourly_rate_pence=1400),
        worker(id="near", home=km_north(4), reliability=0.8, rating=4.0),
        worker(id="unrated", reliability=0.8, rating=None),
        worker(id="rated_higher", reliability=0.8, rating=4.9),
        worker(id="reliable", reliability=0.99, rating=1.0, home=km_north(9)),
        worker(id="seen_before", seen_before=True, reliability=0.1),
        worker(id="preferred", reliability=0.1, rating=None),
        worker(id="preferred_and_seen", seen_before=True, reliability=0.1),
    ]
    req = request(preferred_worker_ids=frozenset({"preferred", "preferred_and_seen"}))

    ranked = find_candidates(req, workers, no_vetting_failures, NOW)

    assert [c.worker.id for c in ranked] == [
        "preferred_and_seen",
        "preferred",
        "seen_before",
        "reliable",
        "rated_higher",
        "near",
        "cheaper_far",
        "dearer_far",
        "unrated",
    ]
    assert [c.rank for c in ranked] == list(range(1, 10))
    top_reasons = [r.code for r in ranked[0].reasons]
    assert top_reasons[:2] == ["preferred", "seen_before"]
    assert ranked[5].distance_km == pytest.approx(4.0, abs=0.01)
    assert {"reliability", "rating", "distance_km", "rate"} <= {r.code for r in ranked[5].reasons}


def test_volunteers_first_when_the_request_asks() -> None:
    paid_preferred = worker(id="paid", reliability=1.0)
    volunteer = worker(id="vol", kind=WorkerKind.VOLUNTEER, hourly_rate_pence=None, reliability=0.5)
    req = request(preferred_worker_ids=frozenset({"paid"}))

    assert [c.worker.id for c in search(req).rank([paid_preferred, volunteer])] == ["paid", "vol"]
    volunteers_first = search(replace(req, volunteers_first=True)).rank([paid_preferred, volunteer])
    assert [c.worker.id for c in volunteers_first] == ["vol", "paid"]
    assert volunteers_first[0].reasons[0].code == "volunteer"


def test_filter_keeps_only_passing_workers_among_many() -> None:
    workers = [worker(id=i, is_paused=i % 3 == 0, max_travel_km=10 if i % 2 else 1) for i in range(30)]

    ranked = search().rank(workers)

    assert sorted(c.worker.id for c in ranked) == [i for i in range(30) if i % 3 and i % 2]
    assert all(search().passes(c.worker) for c in ranked)


def test_limit_keeps_the_best_few() -> None:
    workers = [worker(id=i, reliability=i / 10) for i in range(10)]

    assert [c.worker.id for c in search().rank(workers, limit=3)] == [9, 8, 7]


def test_order_judges_only_profile_rules_and_sorts_as_rank_does() -> None:
    # Detail rules broken (no availability, a clash, caps reached, task types or a requirement not
    # met, vetting failing) do not take a worker out of `order`; the others (paused, distance) do.
    detail_broken: dict[int, dict[str, object]] = {
        0: {"availability": []},
        1: {"bookings": [BookedVisit(START, END, VISIT)]},
        2: {"booked_minutes_day": 480},
        3: {"booked_minutes_week": 2400},
        8: {"task_types": frozenset({"domestic"})},
        9: {"attributes": {}},
    }
    workers = [
        worker(
            id=i,
            reliability=(i % 7) / 7,
            is_paused=i == 5,
            max_travel_km=1 if i == 6 else 10,
            **detail_broken.get(i, {}),
        )
        for i in range(12)
    ]
    failing_vetting = search(vetting=lambda w: ["dbs_enhanced"] if w.id == 7 else [])

    ordered = failing_vetting.order(workers)

    assert {w.id for w in ordered} == set(range(12)) - {5, 6}
    ranked = [c.worker.id for c in failing_vetting.rank(workers)]
    assert set(ranked) == set(range(12)) - {0, 1, 2, 3, 5, 6, 7, 8, 9}
    assert [w.id for w in ordered if w.id in set(ranked)] == ranked  # the same order as rank


@pytest.mark.parametrize("batch", [1, 2, 3, 5, 20])
def test_rank_over_runs_of_order_equals_rank_over_everyone(batch: int) -> None:
    """What `rank_slot` relies on: judging the dearer rules run by run, in `order`, loses nobody and
    keeps rank's order, ties included (equal reliabilities here)."""
    workers = [
        worker(
            id=i,
            reliability=(i * 5 % 11) // 3 / 4,
            seen_before=i % 4 == 0,
            availability=[] if i % 3 == 0 else worker().availability,
        )
        for i in range(20)
    ]
    everyone = search().rank(workers)
    ordered = search().order(workers)

    in_runs = [c for at in range(0, len(ordered), batch) for c in search().rank(ordered[at : at + batch])]

    assert [c.worker.id for c in in_runs] == [c.worker.id for c in everyone]
    assert [c.worker.id for c in everyone] != sorted(c.worker.id for c in everyone)  # rank reorders
    assert len(everyone) == len([i for i in range(20) if i % 3])
