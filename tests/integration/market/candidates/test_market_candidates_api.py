"""The candidates endpoint applies the rules of design 4.3 (one case per representative rule; the pure
filter has a test per rule in tests/unit/market), ranks preferred workers first with reasons, and a
coordinator can ask why a named worker is not a candidate."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import delete

from slivers.vetting.models import Credential
from tests.integration.conftest import ApiClient, assert_problem
from tests.integration.market.conftest import Market


async def _suspend(market: Market, worker: ApiClient) -> None:
    coordinator = await market.coordinator()
    response = await coordinator.post(
        f"/api/v1/workers/{worker.user['worker_id']}/suspend", json={"reason": "check"}
    )
    assert response.status_code == 200, response.text


async def _busy(market: Market, worker: ApiClient) -> None:
    carer, person = await market.carer(home_postcode="SG1 3AA")
    other = await market.request(carer, person, start="2026-12-02T09:00:00Z", end="2026-12-02T10:05:00Z")
    booking = await market.book(carer, other, worker)
    assert (await worker.post(f"/api/v1/bookings/{booking['id']}/accept")).status_code == 200


Setup = Callable[[Market, ApiClient], Awaitable[None]]


async def _nothing(market: Market, worker: ApiClient) -> None:
    return None


# (rule, worker profile changes, request changes, what happens to the worker before the search)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], Setup]] = [
    ("task_types", {"task_types": ["domestic"]}, {}, _nothing),
    ("distance", {"home_postcode": "MK9 1AA", "max_travel_km": 5}, {}, _nothing),
    ("visit_length", {"max_visit_minutes": 60}, {}, _nothing),
    (
        "min_notice",
        {"min_notice_minutes": 2880},
        {"start": "2026-11-26T10:00:00Z", "end": "2026-11-26T12:00:00Z"},
        _nothing,
    ),
    ("rate_above_max", {"hourly_rate_pence": 2000}, {"max_rate_pence": 1500}, _nothing),
    ("hard_requirement:languages", {}, {"hard_requirements": {"languages": "Polish"}}, _nothing),
    ("daily_cap", {"max_minutes_per_day": 100}, {}, _nothing),
    ("availability", {}, {"start": "2026-12-02T22:30:00Z", "end": "2026-12-02T23:30:00Z"}, _nothing),
    ("suspended", {}, {}, _suspend),
    ("overlap_with_travel", {}, {}, _busy),
]


@pytest.mark.parametrize(("rule", "profile", "request_changes", "setup"), CASES, ids=[c[0] for c in CASES])
async def test_the_endpoint_applies_each_rule(
    market: Market, rule: str, profile: dict[str, Any], request_changes: dict[str, Any], setup: Setup
) -> None:
    eligible = await market.worker()
    failing = await market.worker(**profile)
    await setup(market, failing)
    carer, person = await market.carer()
    request = await market.request(carer, person, **request_changes)
    listed = (await carer.get(f"/api/v1/requests/{request['id']}/candidates")).json()["candidates"]
    ids = [c["worker_id"] for c in listed]
    assert failing.user["worker_id"] not in ids
    if rule not in ("min_notice", "availability", "hard_requirement:languages"):
        assert eligible.user["worker_id"] in ids
    coordinator = await market.coordinator()
    why = await coordinator.get(
        f"/api/v1/requests/{request['id']}/candidates/{failing.user['worker_id']}/why-not"
    )
    assert why.status_code == 200, why.text
    assert rule in [f["rule"] for f in why.json()["failing_rules"]], why.json()


async def test_blocked_and_unvetted_workers_are_left_out_and_preferred_come_first(market: Market) -> None:
    near = await market.worker(home_postcode="SG1 2AB")
    far_preferred = await market.worker(home_postcode="SG4 0AA")
    blocked = await market.worker()
    unvetted = await market.worker(vetted=False)
    joined = await unvetted.put(
        "/api/v1/workers/me/organisation", json={"organisation_id": market.organisation_id}
    )
    assert joined.status_code == 200, joined.text
    carer, person = await market.carer()
    request = await market.request(
        carer,
        person,
        preferred_worker_ids=[far_preferred.user["worker_id"]],
        blocked_worker_ids=[blocked.user["worker_id"]],
    )
    listed = (await carer.get(f"/api/v1/requests/{request['id']}/candidates")).json()["candidates"]
    assert [c["worker_id"] for c in listed] == [far_preferred.user["worker_id"], near.user["worker_id"]]
    assert listed[0]["reasons"][0] == {"code": "preferred", "detail": "preferred by the person"}
    assert [r["code"] for r in listed[1]["reasons"]] == ["reliability", "distance_km", "rate"]
    coordinator = await market.coordinator()
    base = f"/api/v1/requests/{request['id']}/candidates"
    blocked_why = (await coordinator.get(f"{base}/{blocked.user['worker_id']}/why-not")).json()
    assert [f["rule"] for f in blocked_why["failing_rules"]] == ["blocked"]
    unvetted_why = (await coordinator.get(f"{base}/{unvetted.user['worker_id']}/why-not")).json()
    rules = [f["rule"] for f in unvetted_why["failing_rules"]]
    assert "inactive" in rules
    assert "vetting:missing:dbs_enhanced" in rules
    near_why = (await coordinator.get(f"{base}/{near.user['worker_id']}/why-not")).json()
    assert near_why == {
        "request_id": request["id"],
        "occurrence_id": request["occurrences"][0]["id"],
        "worker_id": near.user["worker_id"],
        "is_candidate": True,
        "failing_rules": [],
    }
    assert_problem(await carer.get(f"{base}/{near.user['worker_id']}/why-not"), 403, rule="needs_coordinator")


async def test_volunteers_first_and_unfunded_requests(market: Market) -> None:
    paid = await market.worker()
    volunteer = await market.worker("volunteer")
    carer, person = await market.carer()
    request = await market.request(carer, person, volunteers_first=True)
    listed = (await carer.get(f"/api/v1/requests/{request['id']}/candidates")).json()["candidates"]
    assert [c["worker_id"] for c in listed] == [volunteer.user["worker_id"], paid.user["worker_id"]]
    unfunded = await market.request(carer, person, budget_id=None)
    listed = (await carer.get(f"/api/v1/requests/{unfunded['id']}/candidates")).json()["candidates"]
    assert [c["worker_id"] for c in listed] == [volunteer.user["worker_id"]]


async def test_an_organisations_catalogue_edit_applies_to_its_workers_candidacy_at_once(
    market: Market,
) -> None:
    """Candidate search reads each organisation's policy version with its workers; an edit (a new
    version) is judged by from the next search on, and why-not names the credential."""
    worker = await market.worker()
    async with market.app.state.wiring.unit_of_work() as session:
        await session.execute(
            delete(Credential).where(
                Credential.worker_id == uuid.UUID(worker.user["worker_id"]),
                Credential.type_code == "first_aid",
            )
        )
    carer, person = await market.carer()
    request = await market.request(carer, person, task_types=["companionship"])
    search = f"/api/v1/requests/{request['id']}/candidates"
    assert [c["worker_id"] for c in (await carer.get(search)).json()["candidates"]] == [
        worker.user["worker_id"]
    ]

    coordinator = await market.coordinator()
    path = f"/api/v1/organisations/{market.organisation_id}/vetting-catalogue"
    current = (await coordinator.get(path)).json()
    keys = ("every_visit", "paid_workers", "self_employed_workers", "per_task", "child_in_household")
    body = {key: current[key] for key in keys} | {
        "per_task": {**current["per_task"], "companionship": ["first_aid"]},
        "reason": "First aid for every visit from now on",
    }
    edited = await coordinator.put(path, json=body)
    assert edited.status_code == 200, edited.text

    assert (await carer.get(search)).json()["candidates"] == []
    why = (await coordinator.get(f"{search}/{worker.user['worker_id']}/why-not")).json()
    assert [f["rule"] for f in why["failing_rules"]] == ["vetting:missing:first_aid"]
