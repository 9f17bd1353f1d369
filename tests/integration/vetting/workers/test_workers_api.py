"""A worker's standing through the API: approval, suspension (which tells the market through the
worker-lost hook), supervision of volunteers, and one-booking overrides, all audited."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.audit.models import AuditEvent
from slivers.clock import Clock
from tests.integration.conftest import StaffFactory, assert_problem
from tests.integration.vetting.conftest import Kit, visit_query

Calls = list[tuple[uuid.UUID, str, datetime]]


@pytest.fixture
def lost(app: Litestar) -> Iterator[Calls]:
    """A fake market handler on the worker-lost hook, recording each call."""
    calls: Calls = []

    async def handler(
        session: AsyncSession, clock: Clock, worker_id: uuid.UUID, reason: str, since: datetime
    ) -> int:
        calls.append((worker_id, reason, since))
        return 1

    wiring = app.state.wiring
    before = wiring.hooks
    wiring.hooks = replace(before, worker_lost_handlers=(*before.worker_lost_handlers, handler))
    yield calls
    wiring.hooks = before


async def audit_actions(app: Litestar, subject_id: str) -> list[tuple[str, str]]:
    async with app.state.wiring.unit_of_work() as session:
        rows = await session.scalars(
            select(AuditEvent).where(AuditEvent.subject_id == uuid.UUID(subject_id)).order_by(AuditEvent.at)
        )
        return [(row.action, row.reason) for row in rows]


async def test_a_pending_worker_is_approved_then_suspended_and_reinstated(
    kit: Kit, lost: Calls, app: Litestar, clock: Any
) -> None:
    worker = await kit.worker(approve=False)
    worker_id = worker.user["worker_id"]
    await kit.fully_vetted(worker)
    check = f"/api/v1/workers/{worker_id}/eligibility"
    assert [f["rule"] for f in (await worker.get(check, params=visit_query())).json()["failures"]] == [
        "worker_pending"
    ]
    pending = (await kit.coordinator.get("/api/v1/vetting/workers", params={"status": "pending"})).json()
    assert [w["worker_id"] for w in pending] == [worker_id]
    assert_problem(await worker.post(f"/api/v1/workers/{worker_id}/approve"), 403, rule="own_vetting")
    assert (await kit.coordinator.post(f"/api/v1/workers/{worker_id}/approve")).json()["status"] == "active"
    assert (await worker.get(check, params=visit_query())).json()["eligible"] is True

    assert_problem(await kit.coordinator.post(f"/api/v1/workers/{worker_id}/suspend", json={}), 400)
    suspended = await kit.coordinator.post(
        f"/api/v1/workers/{worker_id}/suspend", json={"reason": "Complaint under investigation"}
    )
    assert suspended.json()["status"] == "suspended", suspended.text
    assert lost == [(uuid.UUID(worker_id), "suspended", clock.now())]
    result = (await worker.get(check, params=visit_query())).json()
    assert [f["rule"] for f in result["failures"]] == ["worker_suspended"]
    view = (await worker.get(f"/api/v1/workers/{worker_id}/vetting")).json()
    assert view["status_reason"] == "Complaint under investigation"

    reinstated = await kit.coordinator.post(
        f"/api/v1/workers/{worker_id}/reinstate", json={"reason": "Cleared"}
    )
    assert reinstated.json()["status"] == "active"
    assert (await worker.get(check, params=visit_query())).json()["eligible"] is True
    assert await audit_actions(app, worker_id) == [
        ("worker.organisation_chosen", ""),
        ("worker.approved", ""),
        ("worker.suspended", "Complaint under investigation"),
        ("worker.reinstated", "Cleared"),
    ]


async def test_a_suspended_worker_cannot_slip_away_to_another_organisation(
    kit: Kit, org_staff: StaffFactory
) -> None:
    worker = await kit.worker()
    await kit.coordinator.post(
        f"/api/v1/workers/{worker.user['worker_id']}/suspend", json={"reason": "Checks"}
    )
    elsewhere = (await org_staff("Luton Care Agency", "agency")).user["organisations"][0]["id"]
    assert_problem(
        await worker.put("/api/v1/workers/me/organisation", json={"organisation_id": elsewhere}),
        409,
        rule="suspended",
    )
    assert_problem(
        await worker.put("/api/v1/workers/me/organisation", json={"organisation_id": str(uuid.uuid4())}), 404
    )


async def test_revoking_a_credential_tells_the_market(kit: Kit, lost: Calls, app: Litestar) -> None:
    worker = await kit.worker()
    credential = await kit.holds(worker, "dbs_enhanced")
    path = f"/api/v1/credentials/{credential['id']}/revoke"
    assert_problem(await worker.post(path, json={"reason": "mine"}), 403, rule="own_vetting")
    response = await kit.coordinator.post(path, json={"reason": "Update Service shows a change"})
    assert response.json()["status"] == "revoked", response.text
    assert [(w, r) for w, r, _ in lost] == [(uuid.UUID(worker.user["worker_id"]), "credential_revoked")]
    actions = await audit_actions(app, credential["id"])
    assert actions[-1] == ("credential.revoked", "Update Service shows a change")


async def test_a_volunteer_needs_supervision_every_three_months(kit: Kit) -> None:
    volunteer = await kit.worker("volunteer")
    worker_id = volunteer.user["worker_id"]
    await kit.fully_vetted(volunteer)
    check = f"/api/v1/workers/{worker_id}/eligibility"
    assert [f["rule"] for f in (await volunteer.get(check, params=visit_query())).json()["failures"]] == [
        "supervision_overdue"
    ]
    supervision = f"/api/v1/workers/{worker_id}/supervision"
    assert_problem(
        await kit.coordinator.post(supervision, json={"held_on": "2026-12-01"}), 400, rule="not_future"
    )
    assert_problem(await volunteer.post(supervision, json={"held_on": "2026-11-20"}), 403, rule="own_vetting")
    assert (await kit.coordinator.post(supervision, json={"held_on": "2026-08-01"})).status_code == 201
    # 1 August + 91 days is 31 October: overdue for a visit on 2 December.
    assert (await volunteer.get(check, params=visit_query())).json()["eligible"] is False
    assert (await kit.coordinator.post(supervision, json={"held_on": "2026-11-20"})).status_code == 201
    assert (await volunteer.get(check, params=visit_query())).json()["eligible"] is True
    held = [r["held_on"] for r in (await volunteer.get(supervision)).json()]
    assert held == ["2026-11-20", "2026-08-01"]
    assert (await volunteer.get(f"/api/v1/workers/{worker_id}/vetting")).json()[
        "supervision_due_on"
    ] == "2027-02-19"
    paid = await kit.worker()
    assert_problem(
        await kit.coordinator.post(
            f"/api/v1/workers/{paid.user['worker_id']}/supervision", json={"held_on": "2026-11-20"}
        ),
        409,
        rule="not_volunteer",
    )


async def test_an_override_lets_one_booking_through_with_a_written_reason(kit: Kit, app: Litestar) -> None:
    worker = await kit.worker()
    worker_id = worker.user["worker_id"]
    await kit.fully_vetted(worker, skip=("food_hygiene",))
    check = f"/api/v1/workers/{worker_id}/eligibility"
    meal = visit_query(task_types="meal_preparation")
    assert (await kit.coordinator.get(check, params=meal)).json()["eligible"] is False
    overrides = f"/api/v1/workers/{worker_id}/overrides"
    assert_problem(
        await kit.coordinator.post(overrides, json={"credential_code": "food_hygiene", "reason": "ok"}), 400
    )
    assert_problem(
        await kit.coordinator.post(
            overrides, json={"credential_code": "dbs_enhanced", "reason": "Starts before the check is back"}
        ),
        400,
        rule="not_overridable",
    )
    assert_problem(
        await worker.post(
            overrides, json={"credential_code": "food_hygiene", "reason": "I have done the course really"}
        ),
        403,
        rule="own_vetting",
    )
    granted = await kit.coordinator.post(
        overrides, json={"credential_code": "food_hygiene", "reason": "Course booked; sandwiches only"}
    )
    assert granted.status_code == 201, granted.text
    result = (await kit.coordinator.get(check, params=meal)).json()
    assert result["eligible"] is True
    assert result["overrides_used"] == ["food_hygiene"]
    assert result["explanation"] == ["Booked with a coordinator's override for: Food hygiene level 2."]
    assert await audit_actions(app, worker_id) == [
        ("worker.organisation_chosen", ""),
        ("worker.approved", ""),
        ("eligibility.override_granted", "Course booked; sandwiches only"),
    ]
