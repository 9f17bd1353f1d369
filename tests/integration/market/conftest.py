"""Market fixtures: a coordinator's organisation, vetted workers with a profile and availability, and
carers with a person to book for. Vetting state is written straight to the database (as a factory),
since vetting's own API has its own tests; everything the market does goes through the API."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy import select

from slivers.accounts.models import Worker
from slivers.clock import FrozenClock
from slivers.payments.ledger.database import DbLedger
from slivers.payments.models import Budget
from slivers.payments.rules import ledger
from slivers.vetting.models import Credential
from slivers.vetting.rules.catalogue import DEFAULT_POLICY
from tests.integration.conftest import ApiClient, Factory, StaffFactory

ISSUED = dt.date(2026, 6, 1)
DBS_NUMBER = "001234567890"
# A week after the frozen clock (Wednesday 25 November 2026, 12:00 UTC), in GMT.
VISIT_START = "2026-12-02T10:00:00Z"
VISIT_END = "2026-12-02T12:00:00Z"


def profile_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "home_postcode": "SG1 1AA",
        "max_travel_km": 15,
        "task_types": ["companionship", "personal_care", "domestic"],
        "hourly_rate_pence": 1400,
        "min_notice_minutes": 120,
        "min_visit_minutes": 30,
        "max_visit_minutes": 480,
        "max_minutes_per_day": 600,
        "max_minutes_per_week": 2400,
        "instant_book": False,
        "languages": ["english"],
    }
    return body | changes


def add_credentials(
    session: Any, worker_id: uuid.UUID, now: dt.datetime, *, issued_on: dt.date = ISSUED
) -> None:
    """Every credential of the catalogue, verified, issued on 1 June 2026 unless `issued_on` says.

    A test on the real clock passes a date relative to it: a fixed one lapses as the years go by."""
    for ctype in DEFAULT_POLICY.credential_types:
        for _ in range(ctype.required_count):
            session.add(
                Credential(
                    worker_id=worker_id,
                    type_code=ctype.code,
                    status="verified",
                    issued_on=issued_on,
                    submitted_at=now,
                    decided_at=now,
                    certificate_number=DBS_NUMBER,
                    level="enhanced",
                    barred_adults_checked=True,
                    barred_children_checked=True,
                )
            )


async def vet_directly(
    app: Litestar, worker_id: str, organisation_id: str, *, status: str = "active"
) -> None:
    """Every credential of the catalogue verified, the worker active in the organisation."""
    wiring = app.state.wiring
    async with wiring.unit_of_work() as session:
        worker = await session.get(Worker, uuid.UUID(worker_id))
        assert worker is not None
        worker.status = status
        worker.organisation_id = uuid.UUID(organisation_id)
        worker.last_supervision_on = dt.date(2026, 11, 1)
        add_credentials(session, worker.id, wiring.clock.now())


@dataclass
class Market:
    app: Litestar
    user: Factory
    org_staff: StaffFactory
    clock: FrozenClock
    _coordinator: ApiClient | None = None
    organisation_id: str = ""
    budgets: dict[str, str] = field(default_factory=dict)  # person id -> a self-funded budget

    async def coordinator(self) -> ApiClient:
        if self._coordinator is None:
            self._coordinator = await self.org_staff("Stevenage Crossroads", "charity")
            self.organisation_id = self._coordinator.user["organisations"][0]["id"]
        return self._coordinator

    async def worker(
        self, account_type: str = "worker", *, vetted: bool = True, availability: bool = True, **profile: Any
    ) -> ApiClient:
        """A worker with a profile (see `profile_body`), vetted and free every day 07:00-22:00."""
        await self.coordinator()
        client = await self.user(account_type)
        if account_type == "volunteer":
            profile.setdefault("hourly_rate_pence", None)
        saved = await client.put("/api/v1/workers/me", json=profile_body(**profile))
        assert saved.status_code == 200, saved.text
        if vetted:
            await vet_directly(self.app, client.user["worker_id"], self.organisation_id)
        if availability:
            posted = await client.post(
                "/api/v1/workers/me/availability",
                json={
                    "kind": "weekly",
                    "weekdays": [0, 1, 2, 3, 4, 5, 6],
                    "start_time": "07:00:00",
                    "end_time": "22:00:00",
                    "from_date": "2026-11-01",
                },
            )
            assert posted.status_code == 201, posted.text
        return client

    async def carer(self, **person: Any) -> tuple[ApiClient, str]:
        """A carer and the person they look after (in Stevenage)."""
        client = await self.user("carer")
        body = {
            "display_name": "Grace",
            "home_postcode": "SG1 2AB",
            "address": "12 Example Road, Stevenage",
            "support_notes": "Key safe code 1234",
        } | person
        response = await client.post("/api/v1/persons", json=body)
        assert response.status_code == 201, response.text
        person_id = str(response.json()["id"])
        self.budgets[person_id] = str(await self.fund(person_id, client.user["id"], 1_000_000))
        return client, person_id

    async def fund(self, person_id: str, created_by: str, pence: int) -> uuid.UUID:
        """A self-funded budget for the person, topped up straight in the ledger."""
        wiring = self.app.state.wiring
        async with wiring.unit_of_work() as session:
            budget = Budget(
                person_id=uuid.UUID(person_id),
                kind="self_funded",
                name="Own money",
                funder_org_id=None,
                created_by_id=uuid.UUID(created_by),
            )
            session.add(budget)
            await session.flush()
            await DbLedger(session, wiring.clock).post(
                ledger.top_up(budget.id, budget.funder_owner, pence, f"topup:seed:{budget.id}")
            )
            return budget.id

    async def request(self, carer: ApiClient, person_id: str, **changes: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "person_id": person_id,
            "task_types": ["companionship"],
            "start": VISIT_START,
            "end": VISIT_END,
            "budget_id": self.budgets.get(person_id),
        } | changes
        response = await carer.post("/api/v1/requests", json=body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def book(
        self, carer: ApiClient, request: dict[str, Any], worker: ApiClient, **changes: Any
    ) -> dict[str, Any]:
        response = await carer.post(
            "/api/v1/bookings",
            json={"request_id": request["id"], "worker_id": worker.user["worker_id"]} | changes,
        )
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def worker_row(self, worker: ApiClient) -> Worker:
        async with self.app.state.wiring.unit_of_work() as session:
            row = await session.scalar(select(Worker).where(Worker.id == uuid.UUID(worker.user["worker_id"])))
            assert row is not None
            return row


@pytest.fixture
async def market(app: Litestar, user: Factory, org_staff: StaffFactory, clock: FrozenClock) -> Market:
    return Market(app=app, user=user, org_staff=org_staff, clock=clock)
