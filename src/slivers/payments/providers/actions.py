"""Making the card calls the booking hooks recorded, after their transaction committed.

Each `PaymentAction` carries our idempotency key, so running one twice (a crash between Stripe's
answer and our commit, or two schedulers) makes Stripe replay its first answer and moves nothing.
The database is read and written in short transactions on either side of the call, never during it.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import timedelta

import anyio.to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import OrganisationMember, OrgRole, Worker
from slivers.logs import get_logger
from slivers.notifications.service import enqueue
from slivers.payments.ledger.database import DbLedger
from slivers.payments.ledger.worker_payouts import lock_worker
from slivers.payments.models import BookingCharge, Budget, CardPayment, PaymentAction, WorkerPayoutAccount
from slivers.payments.providers.late_transfers import CANCELLED, TRANSFER, enabled_connect_account
from slivers.payments.providers.payment_providers import (
    ActionKind,
    BookingPayment,
    CardOnFile,
    ProviderAction,
    StripeProvider,
    saved_card_charge_due_at,
)
from slivers.payments.providers.stripe_access import stripe_gateway
from slivers.payments.rules import ledger
from slivers.wiring import Wiring

log = get_logger(__name__)
MAX_ATTEMPTS = 5
BATCH = 50
# Stripe keeps idempotency keys for at least this long; a retry of an older action re-reads first.
KEY_MEMORY = timedelta(hours=24)


async def _booking_payment(
    wiring: Wiring, action_id: uuid.UUID
) -> tuple[PaymentAction, BookingPayment] | None:
    async with wiring.unit_of_work() as session:
        action = await session.get(PaymentAction, action_id)
        if action is None:
            return None
        charge = await session.scalar(
            select(BookingCharge).where(BookingCharge.booking_id == action.booking_id)
        )
        budget = await session.get(Budget, charge.budget_id) if charge is not None else None
        if charge is None or budget is None or budget.stripe_customer_id is None:
            return None
        card = await session.scalar(select(CardPayment).where(CardPayment.booking_id == charge.booking_id))
        # The action's first attempt was at or after `due_at`, so this never misses an expired key.
        expired = action.attempts > 0 and wiring.clock.now() - action.due_at >= KEY_MEMORY
        return action, BookingPayment(
            booking_id=str(charge.booking_id),
            worker_id=str(charge.worker_id),
            starts_at=charge.starts_at,
            amount_pence=charge.held_pence,
            card=CardOnFile(budget.stripe_customer_id, budget.stripe_payment_method_id),
            payment_intent_id=card.payment_intent_id if card else None,
            authorised_pence=card.authorised_pence if card else 0,
            latest_charge=card.latest_charge if card else None,
            worker_connect_account=await enabled_connect_account(session, charge.worker_id),
            keys_may_have_expired=expired,
            worker_payout_account=await session.scalar(
                select(WorkerPayoutAccount.stripe_account_id).where(
                    WorkerPayoutAccount.worker_id == charge.worker_id
                )
            ),
            retry=action.attempts > 0,
        )


def _call(provider: StripeProvider, action: PaymentAction, booking: BookingPayment) -> list[ProviderAction]:
    if action.action == "confirm":
        return provider.on_confirm(booking, action.key)
    if action.action == "charge":
        return provider.charge_saved_card(booking, action.key)
    if action.action == "approve":
        return provider.on_approve(booking, action.amount_pence, action.worker_share_pence, action.key)
    if action.action == TRANSFER:
        return provider.transfer_share(booking, action.worker_share_pence, action.key)
    return provider.on_cancel(booking, action.amount_pence, action.worker_share_pence, action.key)


async def _record(wiring: Wiring, action_id: uuid.UUID, results: list[ProviderAction]) -> None:
    async with wiring.unit_of_work() as session:
        action = await session.get(PaymentAction, action_id)
        assert action is not None
        card = await session.scalar(select(CardPayment).where(CardPayment.booking_id == action.booking_id))
        if card is None:
            card = CardPayment(booking_id=action.booking_id)
            session.add(card)
        for result in results:
            if result.kind in {ActionKind.AUTHORISED, ActionKind.CHARGED} and result.reference:
                card.payment_intent_id, card.status = result.reference, "requires_capture"
                card.authorised_pence = result.amount_pence
            elif result.kind is ActionKind.CARD_SAVED:
                card.setup_intent_id, card.status = result.reference, "card_saved"
                charge = await session.scalar(
                    select(BookingCharge).where(BookingCharge.booking_id == action.booking_id)
                )
                if charge is not None:
                    session.add(
                        PaymentAction(
                            key=f"booking:{action.booking_id}:charge",
                            booking_id=action.booking_id,
                            action="charge",
                            amount_pence=charge.held_pence,
                            due_at=saved_card_charge_due_at(charge.starts_at),
                        )
                    )
            elif result.kind is ActionKind.CAPTURED:
                card.status, card.received_pence = "succeeded", card.received_pence + result.amount_pence
            elif result.kind is ActionKind.CANCELLED:
                card.status, card.authorised_pence = "canceled", 0
            elif result.kind is ActionKind.REFUNDED:
                # Stripe's intent stays `succeeded`; what was given back is in the action's result.
                card.status = "refunded"
            elif result.kind is ActionKind.TRANSFERRED:
                await _paid_by_transfer(session, wiring, action, result)
        action.status, action.attempts = "done", action.attempts + 1
        action.result = [{k: str(v) for k, v in asdict(r).items() if v is not None} for r in results]


async def _paid_by_transfer(
    session: AsyncSession, wiring: Wiring, action: PaymentAction, result: ProviderAction
) -> None:
    """The worker's share left by Connect transfer: payable to clearing under the transfer's key, so the
    payout run (bank CSV) never pays it again. Under the worker's payout lock, as the payout run."""
    charge = await session.scalar(select(BookingCharge).where(BookingCharge.booking_id == action.booking_id))
    if charge is None or result.amount_pence <= 0:
        return
    await lock_worker(session, charge.worker_id)
    paid = ledger.payout(charge.worker_id, result.amount_pence, result.key)
    await DbLedger(session, wiring.clock).post(paid)


async def _cancelled(wiring: Wiring, action_id: uuid.UUID) -> None:
    """A late transfer never tried, whose account can no longer receive one: not held back from the bank
    run any more (`late_transfers` may reserve it again once the account is enabled and the share is
    still owed). One already tried may have reached Stripe: it is retried (it looks for the transfer
    first) and, failing for good, stays held back for a coordinator, as any failed card action."""
    async with wiring.unit_of_work() as session:
        action = await session.get(PaymentAction, action_id)
        if action is not None and action.status == "pending":
            action.status, action.last_error = CANCELLED, "The worker's payout account is not enabled."


async def _failed(wiring: Wiring, action_id: uuid.UUID, error: Exception) -> None:
    async with wiring.unit_of_work() as session:
        action = await session.get(PaymentAction, action_id)
        assert action is not None
        action.attempts += 1
        action.last_error = f"{type(error).__name__}: {error}"[:500]
        if action.attempts >= MAX_ATTEMPTS:
            action.status = "failed"  # the ledger already holds the truth; a coordinator is told
            await _tell_coordinators(session, wiring, action)


async def _tell_coordinators(session: AsyncSession, wiring: Wiring, action: PaymentAction) -> None:
    """Message the coordinators of the worker's organisation (once per action, by its key)."""
    charge = await session.scalar(select(BookingCharge).where(BookingCharge.booking_id == action.booking_id))
    worker = await session.get(Worker, charge.worker_id) if charge is not None else None
    if worker is None or worker.organisation_id is None:
        return
    coordinators = await session.scalars(
        select(OrganisationMember.user_id).where(
            OrganisationMember.organisation_id == worker.organisation_id,
            OrganisationMember.role == OrgRole.COORDINATOR.value,
        )
    )
    for user_id in coordinators:
        await enqueue(
            session,
            wiring.clock,
            recipient_id=user_id,
            template="payments_provider_action_failed",
            data={
                "action": action.action,
                "booking_id": str(action.booking_id),
                "attempts": action.attempts,
                "error": action.last_error.split(":")[0],  # the error's type, not Stripe's text
            },
            dedupe_key=f"{action.key}:failed:{user_id}",
        )


async def run_due_actions(wiring: Wiring) -> int:
    gateway = stripe_gateway(wiring)
    if gateway is None:
        return 0
    provider = StripeProvider(gateway, wiring.clock)
    async with wiring.unit_of_work() as session:
        due = (
            await session.scalars(
                select(PaymentAction.id)
                .where(PaymentAction.status == "pending", PaymentAction.due_at <= wiring.clock.now())
                .order_by(PaymentAction.due_at)
                .limit(BATCH)
            )
        ).all()
    done = 0
    for action_id in due:
        loaded = await _booking_payment(wiring, action_id)
        if loaded is None:
            continue
        action, booking = loaded
        if action.action == TRANSFER and booking.worker_connect_account is None and not booking.retry:
            await _cancelled(wiring, action_id)  # no longer enabled: the share goes to the bank run
            continue
        try:
            results = await anyio.to_thread.run_sync(_call, provider, action, booking)
        except Exception as error:
            log.warning("payments.provider_action_failed", key=action.key, error_type=type(error).__name__)
            await _failed(wiring, action_id, error)
            continue
        await _record(wiring, action_id, results)
        done += 1
    return done
