"""Saving a self-funder's card calls Stripe with no database transaction open (house rule), and stays
idempotent: a double click or a retry the same day returns the same SetupIntent, the next day a new
one for the same customer."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from litestar import Litestar

from slivers.clock import FrozenClock
from slivers.payments.providers.fake_gateway import InMemoryStripeGateway
from slivers.payments.providers.stripe_gateway import SetupResult
from tests.integration.conftest import Factory, assert_problem
from tests.integration.payments.conftest import Household
from tests.integration.payments.providers.transaction_probe import open_transactions


class ProbingGateway(InMemoryStripeGateway):
    """The in-memory Stripe, noting at each call how many of our transactions were open."""

    def __init__(self, database_url: str) -> None:
        super().__init__()
        self.database_url = database_url
        self.open_during_calls: list[tuple[str, int]] = []

    def _probe(self, operation: str) -> None:
        self.open_during_calls.append((operation, open_transactions(self.database_url)))

    def create_customer(self, *, budget_id: str, key: str) -> str:
        self._probe("create_customer")
        return super().create_customer(budget_id=budget_id, key=key)

    def setup_card(self, *, budget_id: str, customer: str, key: str) -> SetupResult:
        self._probe("setup_card")
        return super().setup_card(budget_id=budget_id, customer=customer, key=key)


async def self_funded_budget(household: Household) -> uuid.UUID:
    created = await household.carer.post(
        f"/api/v1/persons/{household.person_id}/budgets", json={"kind": "self_funded", "name": "Own money"}
    )
    assert created.status_code == 201, created.text
    return uuid.UUID(created.json()["id"])


async def test_card_setup_calls_stripe_with_no_transaction_open_and_returns_one_intent_a_day(
    app: Litestar, household: Household, database_url: str, clock: FrozenClock
) -> None:
    gateway = ProbingGateway(database_url)
    app.state.wiring.stripe_gateway = gateway
    budget_id = await self_funded_budget(household)
    path = f"/api/v1/budgets/{budget_id}/card-setup"

    clicks = [await household.carer.post(path) for _ in range(2)]  # a double click
    clicks += await asyncio.gather(*(household.carer.post(path) for _ in range(3)))  # and a triple one
    assert all(c.status_code == 200 for c in clicks), [c.text for c in clicks]
    assert len({c.json()["setup_intent_id"] for c in clicks}) == 1
    # Only requests one after the other are probed: racing requests may see each other's short reads.
    probed = gateway.open_during_calls[:4]
    assert [operation for operation, _ in probed] == ["create_customer", "setup_card"] * 2
    assert {opened for _, opened in probed} == {0}, probed
    made = [c for c in gateway.calls if not c.replayed]
    assert [c.key for c in made] == [
        f"budget:{budget_id}:customer",
        f"budget:{budget_id}:card-setup:2026-11-25",
    ]

    clock.advance(timedelta(days=1))
    tomorrow = await household.carer.post(path)
    assert tomorrow.status_code == 200, tomorrow.text
    assert tomorrow.json()["setup_intent_id"] != clicks[0].json()["setup_intent_id"]
    setups = [c for c in gateway.calls if c.operation == "setup_card" and not c.replayed]
    assert [c.key[-10:] for c in setups] == ["2026-11-25", "2026-11-26"]
    assert len({dict(c.params)["customer"] for c in setups}) == 1  # the same customer
    assert {opened for _, opened in gateway.open_during_calls[-2:]} == {0}


async def test_card_setup_refuses_before_calling_stripe(
    app: Litestar, household: Household, database_url: str, user: Factory
) -> None:
    gateway = ProbingGateway(database_url)
    app.state.wiring.stripe_gateway = gateway
    budget_id = await self_funded_budget(household)
    path = f"/api/v1/budgets/{budget_id}/card-setup"
    assert_problem(await (await user("carer")).post(path), 404)  # a stranger
    assert_problem(await household.carer.post(f"/api/v1/budgets/{uuid.uuid4()}/card-setup"), 404)
    assert gateway.calls == []
    assert (await household.carer.post(path)).status_code == 200  # the circle can, afterwards
