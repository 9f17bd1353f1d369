"""Volunteer expenses through the API: claimed, decided by a coordinator, paid from the org's budget."""

from __future__ import annotations

import uuid

from litestar import Litestar
from sqlalchemy import select

from slivers.accounts.models import Worker
from slivers.payments.rules import ledger
from tests.integration.conftest import Factory, StaffFactory, assert_problem
from tests.integration.payments.budgets.test_booking_hooks import balances

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"IEND\xaeB`\x82"


async def test_a_volunteer_claims_mileage_and_a_receipt_and_a_coordinator_pays_it(
    app: Litestar, user: Factory, org_staff: StaffFactory
) -> None:
    coordinator = await org_staff("Crossroads Herts", "charity", "coordinator")
    org_id = coordinator.user["organisations"][0]["id"]
    volunteer = await user("volunteer")
    async with app.state.wiring.unit_of_work() as session:  # as vetting does when the charity takes them on
        worker = await session.scalar(select(Worker).where(Worker.user_id == uuid.UUID(volunteer.user["id"])))
        assert worker is not None
        worker.organisation_id = uuid.UUID(org_id)
    receipt = await volunteer.post("/api/v1/expenses/receipts", content=PNG)
    assert receipt.status_code == 201, receipt.text
    items = [
        {"kind": "mileage", "description": "To Ada's and back", "miles": "12.5"},
        {"kind": "other", "description": "Parking", "amount_pence": 350, "receipt_id": receipt.json()["id"]},
    ]
    claim = await volunteer.post("/api/v1/expense-claims", json={"organisation_id": org_id, "items": items})
    assert claim.status_code == 201, claim.text
    assert claim.json()["total_pence"] == 563 + 350
    claim_id = claim.json()["id"]

    timed = {"organisation_id": org_id, "items": [{**items[0], "hours": 2}]}
    assert_problem(await volunteer.post("/api/v1/expense-claims", json=timed), 400)
    assert_problem(
        await volunteer.post(f"/api/v1/expense-claims/{claim_id}/approve"), 403, rule="self_approval"
    )
    assert_problem(
        await coordinator.post(f"/api/v1/expense-claims/{claim_id}/approve"), 409, rule="would_overspend"
    )

    top_up = {"amount_pence": 5000, "reference": "2026-q4"}
    url = f"/api/v1/organisations/{org_id}/expenses-budget"
    assert (await coordinator.post(f"{url}/top-ups", json=top_up)).status_code == 201
    approved = await coordinator.post(f"/api/v1/expense-claims/{claim_id}/approve")
    assert approved.json()["status"] == "approved", approved.text
    assert_problem(
        await coordinator.post(f"/api/v1/expense-claims/{claim_id}/approve"), 409, rule="claim_decided"
    )
    assert (await coordinator.get(url)).json()["available_pence"] == 5000 - 913
    due = ledger.AccountRef.of(ledger.AccountKind.VOLUNTEER_EXPENSES, volunteer.user["id"])
    assert await balances(app, due, ledger.worker_account(volunteer.user["id"])) == [913, 0]
    stranger = await user("carer")
    assert_problem(await stranger.get(url), 404)
