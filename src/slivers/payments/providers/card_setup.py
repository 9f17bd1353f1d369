"""Saving a self-funder's card (Stripe provider): a Customer and an off-session SetupIntent for the
budget, whose client secret Stripe.js confirms in the browser. The card is ours to charge only once
`setup_intent.succeeded` arrives (verified, re-read from Stripe): then the customer and payment
method are stored on the budget.

Keys: `budget:{id}:customer` for the Customer, `budget:{id}:card-setup:{London date}` for the
SetupIntent, so a double-click or a retry the same day returns the same intent.
"""

from __future__ import annotations

import uuid

import anyio.to_thread
import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.clock import Clock, to_london
from slivers.errors import InvalidInput, NotFound
from slivers.payments.budgets.access import load_budget, require_budget_top_up
from slivers.payments.models import Budget
from slivers.payments.providers.stripe_access import stripe_gateway
from slivers.payments.providers.stripe_gateway import SetupState
from slivers.wiring import Wiring


class CardSetupRead(msgspec.Struct, kw_only=True):
    budget_id: uuid.UUID
    setup_intent_id: str
    client_secret: str  # for Stripe.js: confirmCardSetup in the browser


async def _budget_to_set_up(wiring: Wiring, actor: Actor, budget_id: uuid.UUID) -> str | None:
    """Authorise in one short unit of work; the budget's customer, if a card was saved before."""
    async with wiring.unit_of_work() as session:
        budget = await load_budget(session, budget_id)
        await require_budget_top_up(session, actor, budget)
        if budget.funder_org_id is not None:
            raise InvalidInput(
                "Only a self-funded budget pays by card.", field="budget_id", rule="not_self_funded"
            )
        return budget.stripe_customer_id


async def start_card_setup(wiring: Wiring, clock: Clock, actor: Actor, budget_id: uuid.UUID) -> CardSetupRead:
    """For a circle member with `manage` on a self-funded budget.

    The caller must have ended any transaction it holds: the budget is read and the actor authorised
    in a short unit of work of our own, and Stripe is called after it has ended (on SQLite every
    transaction holds the write lock). Nothing is written: the keys make the calls idempotent, and
    the card is stored only when `setup_intent.succeeded` arrives.
    """
    customer = await _budget_to_set_up(wiring, actor, budget_id)
    gateway = stripe_gateway(wiring)
    if gateway is None:
        raise NotFound("Card payments are not set up on this server.", rule="stripe_not_configured")
    key = f"budget:{budget_id}"
    if customer is None:
        customer = await anyio.to_thread.run_sync(
            lambda: gateway.create_customer(budget_id=str(budget_id), key=f"{key}:customer")
        )
    day = to_london(clock.now()).date().isoformat()
    setup = await anyio.to_thread.run_sync(
        lambda: gateway.setup_card(budget_id=str(budget_id), customer=customer, key=f"{key}:card-setup:{day}")
    )
    assert setup.client_secret is not None
    return CardSetupRead(budget_id=budget_id, setup_intent_id=setup.id, client_secret=setup.client_secret)


async def apply_setup(session: AsyncSession, setup: SetupState) -> bool:
    """Store a succeeded SetupIntent's customer and card on its budget; False if it is not ours."""
    if setup.status != "succeeded" or not setup.budget_id or not setup.customer or not setup.payment_method:
        return False
    try:
        budget = await session.get(Budget, uuid.UUID(setup.budget_id))
    except ValueError:
        return False
    if budget is None or budget.funder_org_id is not None:
        return False
    if budget.stripe_customer_id not in (None, setup.customer):
        return False  # another customer's card never lands on this budget
    budget.stripe_customer_id, budget.stripe_payment_method_id = setup.customer, setup.payment_method
    return True
