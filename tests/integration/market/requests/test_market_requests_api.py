"""Profiles, availability and requests over the API: bad input is a clear 4xx, a weekly series keeps
its London wall-clock time across both clock changes, and strangers are refused."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from slivers.market.requests.schemas import COVERAGE_COUNT_LIMIT
from tests.integration.conftest import assert_problem
from tests.integration.market.conftest import Market, profile_body

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"home_postcode": "BT1 1AA"}, "home_postcode", "outside_service_area"),
        ({"home_postcode": "XX99 9ZZ"}, "home_postcode", "unknown"),
        ({"task_types": ["juggling"]}, "task_types", "unknown_task_type"),
        ({"hourly_rate_pence": 1200}, "hourly_rate_pence", "below_living_wage"),
        ({"hourly_rate_pence": None}, "hourly_rate_pence", "required"),
        ({"min_visit_minutes": 300, "max_visit_minutes": 60}, "min_visit_minutes", "min_not_above_max"),
    ],
)
async def test_a_bad_profile_is_refused_naming_the_field(
    market: Market, changes: dict[str, object], field: str, rule: str
) -> None:
    worker = await market.user("worker")
    response = await worker.put("/api/v1/workers/me", json=profile_body(**changes))
    assert_problem(response, 400, field=field, rule=rule)


async def test_profile_public_summary_shows_vetting_but_not_the_postcode(market: Market) -> None:
    worker = await market.worker(gender="Female", languages=["Polish", "English"])
    mine = (await worker.get("/api/v1/workers/me")).json()
    assert mine["attributes"] == {"languages": ["english", "polish"], "gender": "female"}
    assert mine["reliability"] == {
        "points_last_30_days": 0,
        "paused": False,
        "reviewed_at": None,
        "strikes": [],
    }
    carer, _ = await market.carer()
    public = (await carer.get(f"/api/v1/workers/{worker.user['worker_id']}")).json()
    assert public["vetted"]["status"] == "vetted"
    assert "home_postcode" not in public
    volunteer = await market.user("volunteer")
    paid = await volunteer.put("/api/v1/workers/me", json=profile_body(hourly_rate_pence=1500))
    assert_problem(paid, 400, field="hourly_rate_pence", rule="volunteer_no_rate")


async def test_availability_rules_are_added_listed_and_deleted(market: Market) -> None:
    worker = await market.worker(availability=False)
    window = await worker.post(
        "/api/v1/workers/me/availability",
        json={"kind": "window", "start": "2026-11-27T13:00:00Z", "end": "2026-11-27T17:00:00Z"},
    )
    assert window.status_code == 201, window.text
    away = await worker.post(
        "/api/v1/workers/me/availability",
        json={"kind": "remove", "start": "2026-11-27T14:00:00Z", "end": "2026-11-27T15:00:00Z"},
    )
    assert away.status_code == 201
    listed = (await worker.get("/api/v1/workers/me/availability")).json()
    assert [r["kind"] for r in listed["rules"]] == ["window", "remove"]
    assert listed["next_14_days"] == [
        {"start": "2026-11-27T13:00:00Z", "end": "2026-11-27T14:00:00Z"},
        {"start": "2026-11-27T15:00:00Z", "end": "2026-11-27T17:00:00Z"},
    ]
    backwards = await worker.post(
        "/api/v1/workers/me/availability",
        json={"kind": "window", "start": "2026-11-27T17:00:00Z", "end": "2026-11-27T13:00:00Z"},
    )
    assert_problem(backwards, 400, field="end", rule="end_after_start")
    other = await market.worker(availability=False)
    assert (await other.delete(f"/api/v1/workers/me/availability/{window.json()['id']}")).status_code == 404
    assert (await worker.delete(f"/api/v1/workers/me/availability/{window.json()['id']}")).status_code == 204


@pytest.mark.parametrize(
    ("start", "end", "field", "rule"),
    [
        ("2026-12-02T12:00:00Z", "2026-12-02T10:00:00Z", "end", "end_after_start"),
        ("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z", "start", "not_in_past"),
        ("2026-12-02T10:00:00Z", "2026-12-02T10:00:00Z", "end", "end_after_start"),
        ("2026-12-02T10:00:00Z", "2026-12-03T11:00:00Z", "end", "max_length"),
    ],
)
async def test_a_bad_slot_is_refused(market: Market, start: str, end: str, field: str, rule: str) -> None:
    carer, person = await market.carer()
    response = await carer.post(
        "/api/v1/requests",
        json={"person_id": person, "task_types": ["companionship"], "start": start, "end": end},
    )
    assert_problem(response, 400, field=field, rule=rule)


async def test_unknown_tasks_and_postcodes_outside_the_area_are_refused(market: Market) -> None:
    carer, person = await market.carer()
    body = {
        "person_id": person,
        "task_types": ["companionship"],
        "start": "2026-12-02T10:00:00Z",
        "end": "2026-12-02T12:00:00Z",
    }
    assert_problem(
        await carer.post("/api/v1/requests", json=body | {"task_types": ["gardening"]}),
        400,
        field="task_types",
        rule="unknown_task_type",
    )
    assert_problem(
        await carer.post("/api/v1/requests", json=body | {"postcode": "JE2 3AB"}),
        400,
        field="postcode",
        rule="outside_service_area",
    )
    assert_problem(await carer.post("/api/v1/requests", json=body | {"surprise": 1}), 400)


async def test_a_weekly_series_keeps_london_time_across_both_clock_changes(market: Market) -> None:
    market.clock.set(datetime(2027, 3, 1, 12, 0, tzinfo=UTC))
    await market.worker()
    carer, person = await market.carer()
    request = await market.request(
        carer,
        person,
        start=None,
        end=None,
        series={
            "weekdays": [6],
            "start_time": "10:00:00",
            "end_time": "12:00:00",
            "from_date": "2027-03-14",
            "until_date": "2027-11-07",
        },
    )
    occurrences = request["occurrences"]
    assert len(occurrences) == 35
    assert occurrences[0]["local_date"] == "2027-03-14"
    assert occurrences[-1]["local_date"] == "2027-11-07"
    for occurrence in occurrences:  # each one on its own: Sunday 10:00 to 12:00 on the London clock
        start = datetime.fromisoformat(occurrence["start"]).astimezone(LONDON)
        end = datetime.fromisoformat(occurrence["end"]).astimezone(LONDON)
        assert (start.weekday(), start.hour, start.minute, end.hour) == (6, 10, 0, 12), occurrence
        summer = datetime(2027, 3, 28).date() <= start.date() < datetime(2027, 10, 31).date()
        assert datetime.fromisoformat(occurrence["start"]).hour == (9 if summer else 10)
    assert [c["position"] for c in request["coverage"]] == list(range(35))
    # The worker's one-year training (from June 2026) lapses on 1 June 2027: later Sundays are
    # reported as uncovered, each on its own, not dropped.
    coverable = [c["coverable"] for c in request["coverage"]]
    assert coverable == [o["local_date"] <= "2027-06-01" for o in occurrences]


async def test_a_series_reports_the_visit_the_spring_forward_gap_takes_away(market: Market) -> None:
    """Sundays 01:30-02:30: on 28 March 2027 the clocks jump from 1am to 2am, so that visit cannot
    happen. It is reported among the others, uncoverable, saying why; the series keeps four visits."""
    market.clock.set(datetime(2027, 3, 1, 12, 0, tzinfo=UTC))
    carer, person = await market.carer()
    request = await market.request(
        carer,
        person,
        start=None,
        end=None,
        series={
            "weekdays": [6],
            "start_time": "01:30:00",
            "end_time": "02:30:00",
            "from_date": "2027-03-14",
            "max_occurrences": 4,
        },
    )
    dates = ["2027-03-14", "2027-03-21", "2027-04-04", "2027-04-11"]
    assert [o["local_date"] for o in request["occurrences"]] == dates
    coverage = request["coverage"]
    assert [c["local_date"] for c in coverage] == [*dates[:2], "2027-03-28", *dates[2:]]
    skipped = coverage[2]
    assert skipped["occurrence_id"] is None
    assert skipped["position"] is None
    assert skipped["coverable"] is False
    assert skipped["problems"] == [
        {
            "rule": "clock_change_gap",
            "detail": "The clocks go forward at 1am on 28 March, so 1:30am does not happen that day.",
        }
    ]
    assert [c["position"] for c in coverage if c is not skipped] == [0, 1, 2, 3]
    assert all(c["occurrence_id"] for c in coverage if c is not skipped)
    stored = (await carer.get(f"/api/v1/requests/{request['id']}")).json()["occurrences"]
    assert [o["local_date"] for o in stored] == dates


async def test_a_series_reports_each_occurrence_that_cannot_be_covered(market: Market) -> None:
    worker = await market.worker(availability=False)
    posted = await worker.post(
        "/api/v1/workers/me/availability",
        json={
            "kind": "weekly",
            "weekdays": [2],
            "start_time": "09:00:00",
            "end_time": "13:00:00",
            "from_date": "2026-11-01",
        },
    )
    assert posted.status_code == 201
    carer, person = await market.carer()
    request = await market.request(
        carer,
        person,
        start=None,
        end=None,
        series={
            "weekdays": [2, 3],
            "start_time": "10:00:00",
            "end_time": "12:00:00",
            "from_date": "2026-12-02",
            "max_occurrences": 4,
        },
    )
    coverage = [(c["coverable"], [p["rule"] for p in c["problems"]]) for c in request["coverage"]]
    # Wednesdays can be covered; Thursdays cannot, and are reported rather than dropped.
    assert coverage == [(True, []), (False, ["no_candidates"]), (True, []), (False, ["no_candidates"])]


async def test_strangers_cannot_post_for_or_read_another_persons_request(market: Market) -> None:
    carer, person = await market.carer()
    request = await market.request(carer, person)
    stranger = await market.user("carer")
    assert_problem(await stranger.get(f"/api/v1/requests/{request['id']}"), 404)
    assert_problem(await stranger.get(f"/api/v1/requests/{request['id']}/candidates"), 404)
    body = {
        "person_id": person,
        "task_types": ["companionship"],
        "start": "2026-12-02T10:00:00Z",
        "end": "2026-12-02T12:00:00Z",
    }
    assert_problem(await stranger.post("/api/v1/requests", json=body), 404)


async def test_a_request_with_no_worker_in_the_database_is_reported_uncoverable(market: Market) -> None:
    """No worker exists at all (the empty pool once returned 500): the request is posted and each
    occurrence says it has no candidates; the candidate list is empty, with and without a limit."""
    carer, person = await market.carer()
    posted = await carer.post(
        "/api/v1/requests",
        json={
            "person_id": person,
            "task_types": ["companionship"],
            "start": "2026-12-02T10:00:00Z",
            "end": "2026-12-02T12:00:00Z",
            "budget_id": market.budgets[person],
        },
    )
    assert posted.status_code == 201, posted.text
    coverage = posted.json()["coverage"]
    assert [(c["coverable"], c["candidates"]) for c in coverage] == [(False, 0)]
    assert coverage[0]["problems"][0]["rule"] == "no_candidates"
    for query in ("", "?limit=1", "?limit=0"):
        listed = await carer.get(f"/api/v1/requests/{posted.json()['id']}/candidates{query}")
        assert listed.status_code in (200, 400), listed.text
        if listed.status_code == 200:
            assert listed.json()["candidates"] == []


async def test_a_series_counts_candidates_per_occurrence_up_to_the_limit(market: Market) -> None:
    """Posting a series judges every occurrence, so each count stops at COVERAGE_COUNT_LIMIT."""
    workers = [await market.worker() for _ in range(COVERAGE_COUNT_LIMIT + 1)]
    carer, person = await market.carer()
    series = {"weekdays": [2], "start_time": "10:00:00", "end_time": "12:00:00", "from_date": "2026-12-02"}
    request = await market.request(
        carer, person, start=None, end=None, series=series | {"until_date": "2026-12-16"}
    )
    assert [(c["coverable"], c["candidates"]) for c in request["coverage"]] == [
        (True, COVERAGE_COUNT_LIMIT)
    ] * 3

    for worker in workers[2:]:  # all but two step back from the 9th
        posted = await worker.post("/api/v1/workers/me/availability", json={"kind": "remove",
            "start": "2026-12-09T00:00:00Z", "end": "2026-12-10T00:00:00Z"})  # fmt: skip
        assert posted.status_code == 201, posted.text
    request = await market.request(
        carer, person, start=None, end=None, series=series | {"until_date": "2026-12-16"}
    )
    assert [c["candidates"] for c in request["coverage"]] == [COVERAGE_COUNT_LIMIT, 2, COVERAGE_COUNT_LIMIT]
