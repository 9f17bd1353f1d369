"""Keeping our record of Stripe's objects right: webhook events stored once, objects re-read.

Events can arrive late, twice or out of order, so an event is only a hint: we re-read the object
from Stripe and store what it says now. The same re-read repairs our state in the reconciliation
sweep when a webhook was lost. Stripe is called outside any database transaction (the gateway is
synchronous and slow next to a row lock), through `anyio.to_thread`.
"""

from __future__ import annotations

from datetime import timedelta

import anyio.to_thread
import stripe
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from slivers.clock import Clock
from slivers.db.engine import dialect_name
from slivers.logs import get_logger
from slivers.payments.models import CardPayment, StripeEvent
from slivers.payments.stripe_gateway import (
    ConnectAccountState,
    IntentResult,
    SetupState,
    StripeClientGateway,
    StripeGateway,
    make_stripe_client,
)
from slivers.payments.webhooks import WebhookEvent
from slivers.wiring import Wiring

log = get_logger(__name__)
GATEWAY_KEY = "payments.stripe_gateway"
RECONCILE_WINDOW = timedelta(days=14)
_FINAL = frozenset({"succeeded", "canceled", "refunded"})


def stripe_gateway(wiring: Wiring) -> StripeGateway | None:
    """The wiring's Stripe gateway: an injected one (tests), else one built from the settings, else None."""
    found = wiring.extras.get(GATEWAY_KEY)
    if found is not None:
        return found  # type: ignore[return-value]
    settings = wiring.settings
    if settings.payment_provider != "stripe" or not settings.stripe_api_key:
        return None
    gateway = StripeClientGateway(
        make_stripe_client(settings.stripe_api_key, api_base=settings.stripe_api_base)
    )
    wiring.extras[GATEWAY_KEY] = gateway
    return gateway


async def read_intent(gateway: StripeGateway, intent_id: str) -> IntentResult | None:
    try:
        return await anyio.to_thread.run_sync(gateway.retrieve_intent, intent_id)
    except stripe.InvalidRequestError:
        return None  # not one of ours, or deleted in test mode


async def apply_intent(session: AsyncSession, clock: Clock, intent: IntentResult) -> bool:
    """Store Stripe's current view of a PaymentIntent on our card payment; False if it is not ours."""
    payment = await session.scalar(select(CardPayment).where(CardPayment.payment_intent_id == intent.id))
    if payment is None:
        return False
    # A refunded payment's intent stays `succeeded` on Stripe; keep our word for it.
    if not (payment.status == "refunded" and intent.status == "succeeded"):
        payment.status = intent.status
    payment.authorised_pence = intent.amount_pence if intent.status == "requires_capture" else 0
    payment.received_pence = intent.amount_received_pence
    payment.latest_charge = intent.latest_charge or payment.latest_charge
    payment.synced_at = clock.now()
    return True


async def store_event(session: AsyncSession, clock: Clock, event: WebhookEvent) -> StripeEvent | None:
    """Insert the event by its id; None if it was already stored (a redelivery: process nothing)."""
    insert = postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert
    inserted = await session.scalar(
        insert(StripeEvent)
        .values(
            id=uuid7(),
            event_id=event.id,
            type=event.type,
            object_id=event.object_id,
            account=event.account,
            created=event.created,
            received_at=clock.now(),
            outcome="",
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(StripeEvent.id)
    )
    if inserted is None:
        return None
    return await session.get(StripeEvent, inserted)


async def read_setup(gateway: StripeGateway, setup_intent_id: str) -> SetupState | None:
    try:
        return await anyio.to_thread.run_sync(gateway.retrieve_setup, setup_intent_id)
    except stripe.InvalidRequestError:
        return None


async def read_account(gateway: StripeGateway, account_id: str) -> ConnectAccountState | None:
    try:
        return await anyio.to_thread.run_sync(gateway.retrieve_account, account_id)
    except (stripe.InvalidRequestError, stripe.PermissionError):
        return None  # not one of ours (or no longer connected to us)


async def receive_event(wiring: Wiring, session: AsyncSession, clock: Clock, event: WebhookEvent) -> str:
    """Store and process one verified event, once. Returns what was done, for the response and logs."""
    from slivers.payments.card_setup import apply_setup
    from slivers.payments.connect_sync import apply_account

    intent = setup = account = None
    gateway = stripe_gateway(wiring)
    # Objects are re-read before any database work (no lock held during the call).
    if gateway is not None and event.object_id and event.type.startswith("payment_intent."):
        intent = await read_intent(gateway, event.object_id)
    if gateway is not None and event.object_id and event.type == "setup_intent.succeeded":
        setup = await read_setup(gateway, event.object_id)
    if gateway is not None and event.type == "account.updated" and (event.account or event.object_id):
        account = await read_account(gateway, event.account or event.object_id or "")
    stored = await store_event(session, clock, event)
    if stored is None:
        return "duplicate"
    if not event.is_subscribed:
        outcome = "ignored"
    elif intent is not None:
        outcome = "applied" if await apply_intent(session, clock, intent) else "not ours"
    elif setup is not None:
        outcome = "applied" if await apply_setup(session, setup) else "not ours"
    elif account is not None:
        outcome = "applied" if await apply_account(session, clock, account) else "not ours"
    else:
        outcome = "stored"
    stored.processed_at, stored.outcome = clock.now(), outcome
    log.info("stripe.event", event_type=event.type, outcome=outcome)
    return outcome


async def reconcile(wiring: Wiring) -> int:
    """Re-read every recent unfinished PaymentIntent from Stripe and repair our record of it."""
    gateway = stripe_gateway(wiring)
    if gateway is None:
        return 0
    since = wiring.clock.now() - RECONCILE_WINDOW
    async with wiring.unit_of_work() as session:
        ids = (
            await session.scalars(
                select(CardPayment.payment_intent_id).where(
                    CardPayment.payment_intent_id.is_not(None),
                    CardPayment.status.not_in(_FINAL) | (CardPayment.updated_at >= since),
                )
            )
        ).all()
    changed = 0
    for intent_id in ids:
        assert intent_id is not None
        intent = await read_intent(gateway, intent_id)
        if intent is None:
            continue
        async with wiring.unit_of_work() as session:
            payment = await session.scalar(
                select(CardPayment).where(CardPayment.payment_intent_id == intent_id)
            )
            before = (payment.status, payment.received_pence) if payment else None
            await apply_intent(session, wiring.clock, intent)
            changed += before != (intent.status, intent.amount_received_pence)
    return changed
