"""A coordinator's "book anyway" override (design 3.3) at confirmation: it excuses the one credential it
names for exactly one booking, is spent by that booking and audited, and never excuses suspension, a
pending status or overdue supervision."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import delete, select

from slivers.accounts.models import Worker
from slivers.audit.models import AuditEvent
from slivers.vetting.models import Credential
from tests.integration.conftest import ApiClient, assert_problem
from tests.integration.market.conftest import Market

MISSING = "safeguarding_adults"
REASON = "Training is booked for next week; the family knows and agrees."


async def _without_credential(market: Market, worker: ApiClient) -> uuid.UUID:
    worker_id = uuid.UUID(worker.user["worker_id"])
    async with market.app.state.wiring.unit_of_work() as session:
        await session.execute(
            delete(Credential).where(Credential.worker_id == worker_id, Credential.type_code == MISSING)
        )
    return worker_id


async def _grant(market: Market, worker_id: uuid.UUID, **body: Any) -> dict[str, Any]:
    coordinator = await market.coordinator()
    granted = await coordinator.post(
        f"/api/v1/workers/{worker_id}/overrides", json={"credential_code": MISSING, "reason": REASON} | body
    )
    assert granted.status_code == 201, granted.text
    result: dict[str, Any] = granted.json()
    return result


async def _overrides(market: Market, worker_id: uuid.UUID) -> list[dict[str, Any]]:
    listed = await (await market.coordinator()).get(f"/api/v1/workers/{worker_id}/overrides")
    assert listed.status_code == 200, listed.text
    result: list[dict[str, Any]] = listed.json()
    return result


async def test_an_override_lets_exactly_one_booking_through(market: Market) -> None:
    worker = await market.worker(instant_book=True)
    worker_id = await _without_credential(market, worker)
    carer, person = await market.carer()
    first = await market.request(carer, person)
    body = {"request_id": first["id"], "worker_id": str(worker_id)}
    assert_problem(
        await carer.post("/api/v1/bookings", json=body), 409, field="worker_id", rule="not_eligible"
    )
    other = await market.request(carer, person, start="2026-12-05T10:00:00Z", end="2026-12-05T11:00:00Z")
    await _grant(market, worker_id, request_id=other["id"])  # for another request: no help here
    assert_problem(
        await carer.post("/api/v1/bookings", json=body), 409, field="worker_id", rule="not_eligible"
    )
    override = await _grant(market, worker_id)

    booking = await market.book(carer, first, worker)

    assert booking["status"] == "confirmed"
    used = {o["id"]: o["used_by_booking_id"] for o in await _overrides(market, worker_id)}
    assert used[override["id"]] == booking["id"]
    async with market.app.state.wiring.unit_of_work() as session:
        audited = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "eligibility.override_used"))
        ).all()
    assert [event.data["booking_id"] for event in audited] == [booking["id"]]
    second = await market.request(carer, person, start="2026-12-03T10:00:00Z", end="2026-12-03T12:00:00Z")
    refused = await carer.post(
        "/api/v1/bookings", json={"request_id": second["id"], "worker_id": str(worker_id)}
    )
    assert_problem(refused, 409, field="worker_id", rule="not_eligible")
    assert "vetting:" in refused.json()["detail"]


async def test_an_override_never_excuses_suspension_pending_status_or_overdue_supervision(
    market: Market,
) -> None:
    volunteer = await market.worker("volunteer", instant_book=True)
    worker_id = await _without_credential(market, volunteer)
    override = await _grant(market, worker_id)
    carer, person = await market.carer()
    request = await market.request(carer, person, budget_id=None)
    body = {"request_id": request["id"], "worker_id": str(worker_id)}
    supervised, overdue = dt.date(2026, 11, 1), dt.date(2026, 1, 1)
    for status, last_supervision in (("suspended", supervised), ("pending", supervised), ("active", overdue)):
        async with market.app.state.wiring.unit_of_work() as session:
            row = await session.get(Worker, worker_id)
            assert row is not None
            row.status, row.last_supervision_on = status, last_supervision
        response = await carer.post("/api/v1/bookings", json=body)
        assert_problem(response, 409, field="worker_id", rule="not_eligible")
    assert [o["used_by_booking_id"] for o in await _overrides(market, worker_id)] == [None]
    async with market.app.state.wiring.unit_of_work() as session:
        row = await session.get(Worker, worker_id)
        assert row is not None
        row.last_supervision_on = supervised
    booking = await market.book(carer, request, volunteer)  # standing restored: the override now serves
    assert booking["status"] == "confirmed"
    assert [o["used_by_booking_id"] for o in await _overrides(market, worker_id)] == [booking["id"]]
    assert override["credential_code"] == MISSING
