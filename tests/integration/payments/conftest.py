"""Fixtures for payments: a person supported with a circle, a council funder, budgets and money."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from litestar import Litestar

from slivers.clock import FrozenClock
from slivers.payments.budgets.booking_hooks import BookingMoney, on_confirm
from slivers.payments.ledger.database import DbLedger
from slivers.payments.models import Budget
from slivers.payments.rules import ledger
from tests.integration.conftest import ApiClient, Factory, StaffFactory

COUNCIL = "Hertfordshire County Council"


@dataclass
class Household:
    carer: ApiClient  # created the person: every permission in the circle
    person_id: uuid.UUID
    funder: ApiClient  # a funder officer of the council
    council_id: uuid.UUID


@pytest.fixture
async def household(user: Factory, org_staff: StaffFactory) -> Household:
    carer = await user("carer")
    response = await carer.post("/api/v1/persons", json={"display_name": "Ada", "home_postcode": "SG1 2AB"})
    assert response.status_code == 201, response.text
    funder = await org_staff(COUNCIL, "council", "funder")
    council_id = uuid.UUID(funder.user["organisations"][0]["id"])
    return Household(carer, uuid.UUID(response.json()["id"]), funder, council_id)


BudgetMaker = Callable[..., Awaitable[uuid.UUID]]


@pytest.fixture
def funded_budget(app: Litestar, household: Household) -> BudgetMaker:
    """A council budget for the household's person, topped up with `pence` straight in the ledger."""

    async def make(pence: int, *, kind: str = "direct_payment") -> uuid.UUID:
        wiring = app.state.wiring
        async with wiring.unit_of_work() as session:
            budget = Budget(
                person_id=household.person_id,
                kind=kind,
                name="Direct payment",
                funder_org_id=household.council_id,
                created_by_id=uuid.UUID(household.funder.user["id"]),
            )
            session.add(budget)
            await session.flush()
            if pence:
                await DbLedger(session, wiring.clock).post(
                    ledger.top_up(budget.id, household.council_id, pence, f"topup:seed:{budget.id}")
                )
            return budget.id

    return make


async def confirmed_card_booking(
    app: Litestar, funded_budget: BudgetMaker, household: Household, worker_id: uuid.UUID | None = None
) -> BookingMoney:
    """A one-hour visit today at £15 an hour on a self-funder's saved card (customer `cus_ada`, card
    `pm_card`), confirmed; nothing has been sent to Stripe yet (the card sweep does that)."""
    wiring = app.state.wiring
    budget_id = await funded_budget(10_000, kind="self_funded")
    async with wiring.unit_of_work() as session:
        budget = await session.get(Budget, budget_id)
        assert budget is not None
        budget.stripe_customer_id, budget.stripe_payment_method_id = "cus_ada", "pm_card"
    money = BookingMoney(
        booking_id=uuid.uuid4(),
        budget_id=budget_id,
        person_id=household.person_id,
        worker_id=worker_id or uuid.uuid4(),
        worker_is_volunteer=False,
        rate_pence_per_hour=1500,
        booked_minutes=60,
        start=wiring.clock.now(),
    )
    async with wiring.unit_of_work() as session:
        await on_confirm(session, wiring.clock, money, settings=wiring.settings)
    return money


@pytest.fixture
def booking_money(household: Household, clock: FrozenClock) -> Callable[..., BookingMoney]:
    def make(
        budget_id: uuid.UUID | None,
        *,
        rate: int | None = 1500,
        minutes: int = 60,
        volunteer: bool = False,
        worker_id: uuid.UUID | None = None,
        starts_in: timedelta = timedelta(days=3),
    ) -> BookingMoney:
        return BookingMoney(
            booking_id=uuid.uuid4(),
            budget_id=budget_id,
            person_id=household.person_id,
            worker_id=worker_id or uuid.uuid4(),
            worker_is_volunteer=volunteer,
            rate_pence_per_hour=rate,
            booked_minutes=minutes,
            start=clock.now() + starts_in,
        )

    return make


@pytest.fixture
def join_circle(app: Litestar, household: Household) -> Callable[..., Awaitable[None]]:
    """Put a user in the household's circle with the given permissions (as an accepted invitation would)."""
    from slivers.accounts.models import CircleMember

    async def join(client: ApiClient, *permissions: str) -> None:
        async with app.state.wiring.unit_of_work() as session:
            session.add(
                CircleMember(
                    person_id=household.person_id,
                    user_id=uuid.UUID(client.user["id"]),
                    can_view=True,
                    can_request="request" in permissions,
                    can_approve="approve" in permissions,
                    can_manage="manage" in permissions,
                )
            )

    return join
