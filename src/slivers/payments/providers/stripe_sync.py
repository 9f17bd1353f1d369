"""Keeping our record of Stripe's objects right: webhook events stored once, objects re-read.

Events can arrive late, twice or out of order, so an event is only a hint: we re-read the object
from Stripe and store what it says now. The same re-read repairs our state in the reconciliation
sweep when a webhook was lost. Stripe is called outside any database transaction (the gateway is
synchronous and slow next to a row lock), through `anyio.to_thread`.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from slivers.clock import Clock
from slivers.db.engine import dialect_name
from slivers.logs import get_logger
from slivers.payments.models import CardPayment, StripeEvent
from slivers.payments.providers.card_setup import apply_setup
from slivers.payments.providers.connect_sync import apply_account
from slivers.payments.providers.stripe_access import read_account, read_intent, read_setup, stripe_gateway
from slivers.payments.providers.stripe_gateway import IntentResult
from slivers.payments.rules.webhook_signatures import WebhookEvent
from slivers.wiring import Wiring

log = get_logger(__name__)
RECONCILE_WINDOW = timedelta(days=14)
_FINAL = frozenset({"succeeded", "canceled", "refunded"})


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


async def receive_event(wiring: Wiring, session: AsyncSession, clock: Clock, event: WebhookEvent) -> str:
    """Store and process one verified event, once. Returns what was done, for the response and logs."""
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
