"""Vetting fixtures: an organisation with a coordinator, workers who joined it, and credentials
submitted and verified through the API as people would."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.vetting.models import Credential
from slivers.vetting.rules.catalogue import DEFAULT_POLICY
from slivers.vetting.rules.eligibility import credential_valid_until
from slivers.vetting.workers.subjects import record_from_row
from tests.integration.conftest import ApiClient, Factory, StaffFactory

ISSUED = "2026-06-01"  # the clock stands at 2026-11-25; one-year training is valid until 1 June 2027
DBS_NUMBER = "001234567890"


def credential_body(code: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"type_code": code, "issued_on": ISSUED}
    if code == "dbs_enhanced":
        body |= {
            "certificate_number": DBS_NUMBER,
            "level": "enhanced",
            "barred_adults_checked": True,
            "barred_children_checked": True,
        }
    elif code == "pvg_adults":
        body |= {"certificate_number": "PVG-1234-5678", "level": "pvg_scheme"}
    elif code == "dbs_barred_adults":
        body |= {"certificate_number": DBS_NUMBER, "barred_adults_checked": True}
    elif code == "dbs_barred_children":
        body |= {"certificate_number": DBS_NUMBER, "barred_children_checked": True}
    return body | changes


@dataclass
class Kit:
    coordinator: ApiClient
    organisation_id: str
    user: Factory
    app: Litestar

    async def worker(self, account_type: str = "worker", *, approve: bool = True) -> ApiClient:
        """A worker (or volunteer) who chose this organisation and, by default, was approved."""
        client = await self.user(account_type)
        chosen = await client.put(
            "/api/v1/workers/me/organisation", json={"organisation_id": self.organisation_id}
        )
        assert chosen.status_code == 200, chosen.text
        if approve:
            approved = await self.coordinator.post(f"/api/v1/workers/{client.user['worker_id']}/approve")
            assert approved.status_code == 200, approved.text
        return client

    async def submit(self, worker: ApiClient, code: str, **changes: Any) -> dict[str, Any]:
        response = await worker.post("/api/v1/workers/me/credentials", json=credential_body(code, **changes))
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def verify(self, credential_id: str, **body: Any) -> dict[str, Any]:
        response = await self.coordinator.post(f"/api/v1/credentials/{credential_id}/verify", json=body)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    async def holds(self, worker: ApiClient, code: str, **changes: Any) -> dict[str, Any]:
        """Submit and verify one credential."""
        return await self.verify((await self.submit(worker, code, **changes))["id"])

    async def fully_vetted(self, worker: ApiClient, *, skip: tuple[str, ...] = ()) -> None:
        """Every credential of the catalogue (both nations' checks) verified, less `skip`. A factory: it
        writes the rows directly, since submission and verification are tested through the API."""
        wiring = self.app.state.wiring
        now = wiring.clock.now()
        async with wiring.unit_of_work() as session:
            for ctype in DEFAULT_POLICY.credential_types:
                if ctype.code in skip:
                    continue
                body = credential_body(ctype.code)
                for _ in range(ctype.required_count):
                    row = Credential(
                        worker_id=uuid.UUID(worker.user["worker_id"]),
                        type_code=ctype.code,
                        status="verified",
                        issued_on=date.fromisoformat(body["issued_on"]),
                        submitted_at=now,
                        decided_at=now,
                        decided_by_id=uuid.UUID(self.coordinator.user["id"]),
                        decision_reason="",
                        certificate_number=body.get("certificate_number"),
                        level=body.get("level"),
                        barred_adults_checked=body.get("barred_adults_checked", False),
                        barred_children_checked=body.get("barred_children_checked", False),
                        on_update_service=False,
                    )
                    row.valid_until = credential_valid_until(record_from_row(row))
                    session.add(row)


@pytest.fixture
async def kit(org_staff: StaffFactory, user: Factory, app: Litestar) -> Kit:
    coordinator = await org_staff("Stevenage Crossroads", "charity")
    return Kit(
        coordinator=coordinator,
        organisation_id=coordinator.user["organisations"][0]["id"],
        user=user,
        app=app,
    )


def visit_query(**changes: Any) -> dict[str, Any]:
    """A two-hour companionship visit in Stevenage (England) a week from the frozen clock."""
    return {
        "task_types": "companionship",
        "postcode": "SG1 1AA",
        "start": "2026-12-02T10:00:00Z",
        "end": "2026-12-02T12:00:00Z",
    } | changes


@pytest.fixture
def lost(app: Litestar) -> Iterator[list[tuple[uuid.UUID, str, datetime]]]:
    calls: list[tuple[uuid.UUID, str, datetime]] = []

    async def handler(
        session: AsyncSession, clock: Clock, worker_id: uuid.UUID, reason: str, since: datetime
    ) -> int:
        calls.append((worker_id, reason, since))
        return 0

    wiring = app.state.wiring
    before = wiring.hooks
    wiring.hooks = replace(before, worker_lost_handlers=(*before.worker_lost_handlers, handler))
    yield calls
    wiring.hooks = before
