"""Realistic data for the fuzzed server, so operations with ids reach their handlers, not a 404.

Everything a person can do goes through the live server's API (sign-up, profiles, a person, a
request, a booking, an expense claim, API tokens); what only an operator or vetting does (organisation
membership, verified credentials, money in a budget) is written through the services and ORM, as the
other integration fixtures do. Dates are relative to the real clock the server runs on (shifted: see
tests/real_clock.py), so the data never expires.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from slivers.accounts.models import Worker
from slivers.accounts.org_service import OrganisationService
from slivers.clock import SystemClock
from slivers.db.engine import create_engine, create_session_maker
from slivers.payments.ledger.database import DbLedger
from slivers.payments.models import Budget
from slivers.payments.rules import ledger
from tests.integration.market.conftest import add_credentials, profile_body
from tests.real_clock import real_now

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


@dataclass
class Account:
    """A signed-in user of the live server: their bearer token and what /me says about them."""

    email: str
    token: str
    me: dict[str, Any]
    ids: dict[str, str] = field(default_factory=dict)  # path parameter name -> an id this account may use


@dataclass
class Seeded:
    accounts: dict[str, Account]


@asynccontextmanager
async def _unit_of_work(database_url: str) -> AsyncIterator[Any]:
    """One committed transaction on a short-lived engine (the server keeps its own)."""
    engine = create_engine(database_url)
    try:
        async with create_session_maker(engine)() as session, session.begin():
            yield session
    finally:
        await engine.dispose()


class _Browser:
    """An httpx client with a session cookie that echoes the CSRF cookie, as our pages do."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=30)

    def call(self, method: str, url: str, *, expect: int, **kwargs: Any) -> Any:
        if "slivers_csrf" not in self.client.cookies:
            self.client.get("/health")
        headers = {"x-csrf-token": self.client.cookies.get("slivers_csrf", "")}
        response = self.client.request(method, url, headers=headers, **kwargs)
        assert response.status_code == expect, (method, url, response.status_code, response.text)
        return response.json() if response.content else None

    def close(self) -> None:
        self.client.close()


def _sign_up(base_url: str, account_type: str, name: str) -> tuple[_Browser, str, dict[str, Any]]:
    browser = _Browser(base_url)
    email = f"fuzz{next(_numbers)}-{uuid.uuid4().hex[:8]}@example.org"
    me = browser.call(
        "POST",
        "/api/v1/auth/register",
        expect=201,
        json={"email": email, "password": PASSWORD, "display_name": name, "account_type": account_type},
    )
    return browser, email, me


def _token(browser: _Browser) -> str:
    created = browser.call("POST", "/api/v1/auth/tokens", expect=201, json={"name": "schemathesis"})
    return str(created["token"])


async def _operator_steps(database_url: str, coordinator: str, funder: str, worker_id: str) -> dict[str, str]:
    """Organisations and their staff, a vetted worker: what the CLI and vetting do, not the API."""
    clock = SystemClock()
    now = clock.now()
    async with _unit_of_work(database_url) as session:
        orgs = OrganisationService(session, clock)
        tag = uuid.uuid4().hex[:6]  # each role is seeded afresh on the same server
        charity = await orgs.create(f"Stevenage Crossroads {tag}", "charity")
        council = await orgs.create(f"Hertfordshire County Council {tag}", "council")
        await orgs.add_member(charity, coordinator, "coordinator", actor_id=None)
        await orgs.add_member(council, funder, "funder", actor_id=None)
        worker = await session.get(Worker, uuid.UUID(worker_id))
        assert worker is not None
        worker.status = "active"
        worker.organisation_id = charity.id
        worker.last_supervision_on = (now - dt.timedelta(days=20)).date()
        add_credentials(session, worker.id, now, issued_on=(now - dt.timedelta(days=120)).date())
        return {"charity": str(charity.id), "council": str(council.id)}


async def _fund(
    database_url: str, person_id: str, carer_id: str, council_id: str, funder_id: str
) -> dict[str, str]:
    """A self-funded budget and a council direct payment for the person, topped up in the ledger."""
    async with _unit_of_work(database_url) as session:
        own = Budget(
            person_id=uuid.UUID(person_id),
            kind="self_funded",
            name="Own money",
            funder_org_id=None,
            created_by_id=uuid.UUID(carer_id),
        )
        council = Budget(
            person_id=uuid.UUID(person_id),
            kind="direct_payment",
            name="Direct payment",
            funder_org_id=uuid.UUID(council_id),
            created_by_id=uuid.UUID(funder_id),
        )
        session.add_all([own, council])
        await session.flush()
        books = DbLedger(session, SystemClock())
        await books.post(ledger.top_up(own.id, own.funder_owner, 1_000_000, f"topup:fuzz:{own.id}"))
        await books.post(ledger.top_up(council.id, council.funder_owner, 500_000, f"topup:fuzz:{council.id}"))
        return {"own": str(own.id), "council": str(council.id)}


def seed(base_url: str, database_url: str) -> Seeded:
    carer, carer_email, carer_me = _sign_up(base_url, "carer", "Carol Carer")
    worker, worker_email, worker_me = _sign_up(base_url, "worker", "Sam Worker")
    coordinator, coordinator_email, _ = _sign_up(base_url, "carer", "Cora Coordinator")
    funder, funder_email, _ = _sign_up(base_url, "carer", "Fin Funder")
    browsers = [carer, worker, coordinator, funder]
    try:
        worker.call("PUT", "/api/v1/workers/me", expect=200, json=profile_body(instant_book=False))
        today = real_now().date()
        worker.call(
            "POST",
            "/api/v1/workers/me/availability",
            expect=201,
            json={
                "kind": "weekly",
                "weekdays": [0, 1, 2, 3, 4, 5, 6],
                "start_time": "07:00:00",
                "end_time": "22:00:00",
                "from_date": (today - dt.timedelta(days=7)).isoformat(),
            },
        )
        orgs = asyncio.run(
            _operator_steps(database_url, coordinator_email, funder_email, str(worker_me["worker_id"]))
        )
        person = carer.call(
            "POST",
            "/api/v1/persons",
            expect=201,
            json={
                "display_name": "Grace",
                "home_postcode": "SG1 2AB",
                "address": "12 Example Road, Stevenage",
                "support_notes": "Key safe code 1234",
            },
        )
        funder_me = funder.call("GET", "/api/v1/me", expect=200)
        budgets = asyncio.run(
            _fund(database_url, str(person["id"]), str(carer_me["id"]), orgs["council"], str(funder_me["id"]))
        )
        visit = (real_now() + dt.timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
        request = carer.call(
            "POST",
            "/api/v1/requests",
            expect=201,
            json={
                "person_id": person["id"],
                "task_types": ["companionship"],
                "start": visit.isoformat(),
                "end": (visit + dt.timedelta(hours=2)).isoformat(),
                "budget_id": budgets["own"],
            },
        )
        booking = carer.call(
            "POST",
            "/api/v1/bookings",
            expect=201,
            json={"request_id": request["id"], "worker_id": worker_me["worker_id"]},
        )
        credentials = worker.call("GET", "/api/v1/workers/me/credentials", expect=200)
        credential_id = str(credentials[0]["id"])
        availability = worker.call("GET", "/api/v1/workers/me/availability", expect=200)
        spare_token = worker.call("POST", "/api/v1/auth/tokens", expect=201, json={"name": "spare"})
        accounts = {
            "carer": Account(
                carer_email,
                _token(carer),
                carer_me,
                {
                    "person_id": str(person["id"]),
                    "budget_id": budgets["own"],
                    "request_id": str(request["id"]),
                    "booking_id": str(booking["id"]),
                    "worker_id": str(worker_me["worker_id"]),
                },
            ),
            "worker": Account(
                worker_email,
                _token(worker),
                worker_me,
                {
                    "worker_id": str(worker_me["worker_id"]),
                    "booking_id": str(booking["id"]),
                    "credential_id": credential_id,
                    "rule_id": str(availability["rules"][0]["id"]),
                    "token_id": str(spare_token["id"]),
                    "organisation_id": orgs["charity"],
                },
            ),
            "coordinator": Account(
                coordinator_email,
                _token(coordinator),
                coordinator.call("GET", "/api/v1/me", expect=200),
                {
                    "organisation_id": orgs["charity"],
                    "worker_id": str(worker_me["worker_id"]),
                    "credential_id": credential_id,
                    "booking_id": str(booking["id"]),
                    "request_id": str(request["id"]),
                },
            ),
            "funder": Account(
                funder_email,
                _token(funder),
                funder_me,
                {
                    "organisation_id": orgs["council"],
                    "budget_id": budgets["council"],
                    "person_id": str(person["id"]),
                },
            ),
        }
        return Seeded(accounts)
    finally:
        for browser in browsers:
            browser.close()
