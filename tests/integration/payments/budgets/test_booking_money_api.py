"""Money through the market's booking API: design 4.5 #3 under a real race, and who may spend.

Workers are made with the market tests' own helper (`Market.worker`: a profile and availability
through the API, credentials written as a vetting factory would), so these tests book exactly as a
carer's phone would.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from litestar import Litestar
from sqlalchemy import func, select

from slivers.accounts.models import ApiToken, CircleMember, User, Worker
from slivers.accounts.tokens import digest
from slivers.clock import FrozenClock
from slivers.payments.ledger.database import DbLedger
from slivers.payments.models import LedgerTransactionRow
from slivers.payments.rules import ledger
from tests.integration.conftest import ApiClient, Factory, StaffFactory, assert_problem
from tests.integration.market.conftest import VISIT_START, Market

CLIENTS = 50
AFFORDABLE = 10
RATE = 1400  # pence an hour: the market helper's default profile
VISIT_PENCE = 2 * RATE  # the helper's visit is two hours; the platform fee is on the worker's side


@pytest.fixture
def token_user(app: Litestar, anonymous: Callable[[], ApiClient]) -> Factory:
    """`user`, made straight in the database with an API token: the race needs 50 workers, and
    registering each through the API (a password hash apiece) would take most of the test's time."""

    async def make(account_type: str = "worker") -> ApiClient:
        token = f"slv_{uuid.uuid4().hex}"
        async with app.state.wiring.unit_of_work() as session:
            user = User(
                email=f"{uuid.uuid4().hex}@example.org",
                password_hash="!",  # no password: signs in with the token only
                display_name="Sam Race",
                account_type=account_type,
            )
            session.add(user)
            await session.flush()
            kind = {"worker": "paid", "volunteer": "volunteer"}.get(account_type)
            if kind is not None:
                session.add(Worker(user_id=user.id, kind=kind, first_name="Sam"))
            session.add(ApiToken(user_id=user.id, name="test", prefix=token[:10], token_hash=digest(token)))
        client = anonymous()
        client.headers["Authorization"] = f"Bearer {token}"
        client.user = (await client.get("/api/v1/me")).json()
        return client

    return make


@pytest.fixture
def market(app: Litestar, token_user: Factory, org_staff: StaffFactory, clock: FrozenClock) -> Market:
    return Market(app=app, user=token_user, org_staff=org_staff, clock=clock)


async def self_funded_person(carer: ApiClient, pence: int) -> tuple[str, str]:
    """A person in the carer's circle with a self-funded budget topped up through the API."""
    person = await carer.post("/api/v1/persons", json={"display_name": "Grace", "home_postcode": "SG1 2AB"})
    assert person.status_code == 201, person.text
    person_id = str(person.json()["id"])
    budget = await carer.post(
        f"/api/v1/persons/{person_id}/budgets", json={"kind": "self_funded", "name": "Own money"}
    )
    assert budget.status_code == 201, budget.text
    budget_id = str(budget.json()["id"])
    topped = await carer.post(
        f"/api/v1/budgets/{budget_id}/top-ups", json={"amount_pence": pence, "reference": "standing-order-1"}
    )
    assert topped.status_code == 201, topped.text
    return person_id, budget_id


async def ledger_balances(app: Litestar, budget_id: str) -> tuple[int, int, int]:
    """(available, held, number of holds) for the budget, straight from the ledger."""
    wiring = app.state.wiring
    budget = uuid.UUID(budget_id)
    async with wiring.unit_of_work() as session:
        posted = await DbLedger(session, wiring.clock).touching(
            [ledger.budget_account(budget), ledger.holds_account(budget)]
        )
        holds = await session.scalar(
            select(func.count(LedgerTransactionRow.id)).where(
                LedgerTransactionRow.budget_id == budget,
                LedgerTransactionRow.kind == ledger.TransactionKind.HOLD.value,
            )
        )
    totals = ledger.balances(p.transaction for p in posted)
    return (
        totals.get(ledger.budget_account(budget), 0),
        totals.get(ledger.holds_account(budget), 0),
        int(holds or 0),
    )


async def test_fifty_clients_confirming_on_a_budget_that_affords_ten_through_the_api(
    app: Litestar, market: Market, user: Factory, anonymous: Callable[[], ApiClient]
) -> None:
    carer = await user("carer")
    person_id, budget_id = await self_funded_person(carer, AFFORDABLE * VISIT_PENCE)
    # One request, a visit a day for 50 days, posted while only one worker exists, so checking each
    # occurrence's coverage on creation is quick. (The market's request API answers 500 when no
    # worker at all exists yet: reported to the market.)
    workers = [await market.worker(instant_book=True)]
    series = {
        "weekdays": list(range(7)),
        "start_time": "10:00:00",
        "end_time": "12:00:00",
        "from_date": "2026-12-02",
        "max_occurrences": CLIENTS,
    }
    request = await market.request(carer, person_id, budget_id=budget_id, start=None, end=None, series=series)
    occurrences = [o["id"] for o in request["occurrences"]]
    assert len(occurrences) == CLIENTS
    workers += [await market.worker(instant_book=True) for _ in range(CLIENTS - 1)]
    clients = []
    for _ in range(CLIENTS):  # one client each, as 50 phones signed in to the same account would be
        client = anonymous()
        client.cookies = carer.cookies
        clients.append(client)
    responses = await asyncio.gather(
        *(
            client.post(
                "/api/v1/bookings",
                json={
                    "request_id": request["id"],
                    "occurrence_id": occurrence,
                    "worker_id": worker.user["worker_id"],
                },
            )
            for client, occurrence, worker in zip(clients, occurrences, workers, strict=True)
        )
    )

    won = [r for r in responses if r.status_code == 201]
    lost = [r for r in responses if r.status_code != 201]
    assert len(won) == AFFORDABLE, [r.text for r in lost if r.status_code != 409][:3]
    assert all(r.json()["status"] == "confirmed" for r in won)
    assert len(lost) == CLIENTS - AFFORDABLE
    for response in lost:
        body = assert_problem(response, 409, rule="would_overspend")
        assert body["detail"] == f"This would overspend the budget by £{VISIT_PENCE / 100:.2f}"

    available, held, holds = await ledger_balances(app, budget_id)
    assert (available, held, holds) == (0, AFFORDABLE * VISIT_PENCE, AFFORDABLE)
    view = (await carer.get(f"/api/v1/budgets/{budget_id}")).json()
    assert (view["available_pence"], view["committed_pence"]) == (0, AFFORDABLE * VISIT_PENCE)
    mine = (await carer.get("/api/v1/bookings", params={"status": "confirmed", "limit": 100})).json()
    assert len(mine) == AFFORDABLE


async def test_only_a_circle_member_with_approve_can_approve_a_timesheet_and_spend(
    app: Litestar, market: Market, user: Factory, clock: FrozenClock
) -> None:
    carer = await user("carer")  # created the person: every permission
    person_id, budget_id = await self_funded_person(carer, 10 * VISIT_PENCE)
    helper = await user("carer")  # a relative who may book and view, but not spend
    async with app.state.wiring.unit_of_work() as session:
        session.add(
            CircleMember(
                person_id=uuid.UUID(person_id),
                user_id=uuid.UUID(helper.user["id"]),
                can_view=True,
                can_request=True,
            )
        )
    worker = await market.worker(instant_book=True)
    booking = await market.book(helper, await market.request(helper, person_id, budget_id=budget_id), worker)
    assert booking["status"] == "confirmed"
    booking_path = f"/api/v1/bookings/{booking['id']}"
    clock.set(datetime.fromisoformat(VISIT_START))
    assert (await worker.post(f"{booking_path}/check-in")).status_code == 200
    clock.advance(timedelta(hours=2))
    assert (await worker.post(f"{booking_path}/check-out", json={})).status_code == 200
    before = await ledger_balances(app, budget_id)
    assert before == (9 * VISIT_PENCE, VISIT_PENCE, 1)

    refused = await helper.post(f"{booking_path}/approve")
    assert_problem(refused, 403)
    stranger = await user("carer")
    assert (await stranger.post(f"{booking_path}/approve")).status_code in (403, 404)
    assert await ledger_balances(app, budget_id) == before
    wiring = app.state.wiring
    async with wiring.unit_of_work() as session:
        settled = await DbLedger(session, wiring.clock).get(f"booking:{booking['id']}:approve")
    assert settled is None

    approved = await carer.post(f"{booking_path}/approve")
    assert approved.status_code == 200, approved.text
    assert await ledger_balances(app, budget_id) == (10 * VISIT_PENCE - VISIT_PENCE, 0, 1)
