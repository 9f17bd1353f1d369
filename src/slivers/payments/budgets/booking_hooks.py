"""The money side of booking transitions. The market calls these inside the same transaction as the
transition, so the booking and its money commit or roll back together.

- `on_confirm`: locks the budget, checks what is available and holds the estimated charge
  (`booking:{id}:confirm`); raises `WouldOverspend` (409) when it would overspend.
- `on_approve`: settles the actual cost from the hold (`booking:{id}:approve`): worker payable,
  platform fee, the rest back to the budget.
- `on_cancel`: releases the hold, or charges the late-cancellation fee (`booking:{id}:cancel`).
- `on_dispute`: the hold stays until the dispute is resolved by `on_approve` or `on_cancel`.

Every hook is idempotent: a retried or replayed transition posts nothing new. A booking without a
budget touches no money, and a volunteer is never paid for time. Card payments (Stripe provider)
are recorded here as `PaymentAction`s and made after commit by the `payments.provider_actions` sweep.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.config import Settings
from slivers.errors import Conflict, InvalidInput
from slivers.payments.budgets.access import load_budget
from slivers.payments.ledger.database import DbLedger
from slivers.payments.models import BookingCharge, Budget, PaymentAction
from slivers.payments.rules import ledger
from slivers.payments.rules.budgets import budget_view, check_available, required_available
from slivers.payments.rules.ledger import FeeSide, booking_key
from slivers.payments.rules.money import cost_pence

# Used when the caller passes no settings: the defaults of `Settings`.
_DEFAULTS = Settings(database_url="", data_dir=Path(), secret_key="")


@dataclass(frozen=True, slots=True)
class BookingMoney:
    booking_id: uuid.UUID
    budget_id: uuid.UUID | None
    person_id: uuid.UUID
    worker_id: uuid.UUID
    worker_is_volunteer: bool
    rate_pence_per_hour: int | None
    booked_minutes: int
    start: datetime


def _moves_money(money: BookingMoney) -> bool:
    return money.budget_id is not None and not money.worker_is_volunteer


async def _check(db: DbLedger, budget_id: uuid.UUID, transaction: ledger.Transaction, clock: Clock) -> None:
    needed = required_available(transaction, budget_id)
    if needed > 0:
        posted = await db.touching([ledger.budget_account(budget_id), ledger.holds_account(budget_id)])
        now = clock.now()
        check_available(budget_view(posted, budget_id, period_start=now, period_end=now), needed)


async def _charge_row(session: AsyncSession, booking_id: uuid.UUID) -> BookingCharge | None:
    row: BookingCharge | None = await session.scalar(
        select(BookingCharge).where(BookingCharge.booking_id == booking_id)
    )
    return row


async def _record_action(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    budget: Budget,
    key: str,
    booking_id: uuid.UUID,
    action: str,
    amount: int = 0,
    worker_share: int = 0,
) -> None:
    """Owe the card provider a call, made after commit (only self-funders with a card on Stripe)."""
    if settings.payment_provider != "stripe" or budget.stripe_customer_id is None:
        return
    exists = await session.scalar(select(PaymentAction.id).where(PaymentAction.key == key))
    if exists is None:
        session.add(
            PaymentAction(
                key=key,
                booking_id=booking_id,
                action=action,
                amount_pence=amount,
                worker_share_pence=worker_share,
                due_at=clock.now(),
            )
        )


async def on_confirm(
    session: AsyncSession, clock: Clock, money: BookingMoney, *, settings: Settings | None = None
) -> None:
    """Hold the estimated cost on the budget. Raises WouldOverspend (409) if it would overspend."""
    if not _moves_money(money):
        return
    assert money.budget_id is not None
    settings = settings or _DEFAULTS
    if money.rate_pence_per_hour is None:
        raise InvalidInput("A paid booking needs the worker's hourly rate", field="rate_pence_per_hour")
    budget = await load_budget(session, money.budget_id, lock=True)
    if budget.person_id != money.person_id:
        raise InvalidInput("That budget belongs to someone else", field="budget_id", rule="wrong_budget")
    db = DbLedger(session, clock)
    key = booking_key(money.booking_id, "confirm")
    if await db.get(key) is not None:
        return  # already confirmed: a retry moves nothing
    cost = cost_pence(money.rate_pence_per_hour, money.booked_minutes)
    charge = ledger.charge_for(cost, settings.platform_fee_bps, FeeSide.PROVIDER)
    if charge == 0:
        return
    hold = ledger.hold_for_booking(money.booking_id, budget.id, charge)
    await _check(db, budget.id, hold, clock)
    await db.post(hold)
    session.add(
        BookingCharge(
            booking_id=money.booking_id,
            budget_id=budget.id,
            person_id=money.person_id,
            worker_id=money.worker_id,
            starts_at=money.start,
            rate_pence_per_hour=money.rate_pence_per_hour,
            booked_minutes=money.booked_minutes,
            fee_bps=settings.platform_fee_bps,
            fee_side=FeeSide.PROVIDER.value,
            held_pence=charge,
            status="held",
        )
    )
    await _record_action(session, clock, settings, budget, key, money.booking_id, "confirm", charge)
    await session.flush()


async def _held(session: AsyncSession, money: BookingMoney) -> tuple[Budget, BookingCharge] | None:
    if not _moves_money(money):
        return None
    assert money.budget_id is not None
    budget = await load_budget(session, money.budget_id, lock=True)
    charge = await _charge_row(session, money.booking_id)
    return (budget, charge) if charge is not None else None


async def on_cancel(
    session: AsyncSession,
    clock: Clock,
    money: BookingMoney,
    late_fee_pence: int,
    *,
    settings: Settings | None = None,
) -> None:
    """Release the hold, or charge the late-cancellation fee to the budget and release the rest."""
    found = await _held(session, money)
    if found is None:
        return  # nothing was held: nothing to release
    budget, charge = found
    db = DbLedger(session, clock)
    key = booking_key(money.booking_id, "cancel")
    if await db.get(key) is not None:
        return
    if await db.get(booking_key(money.booking_id, "approve")) is not None:
        raise Conflict("This visit was already approved and paid; it cannot be cancelled", rule="settled")
    side = FeeSide(charge.fee_side)
    transaction: ledger.Transaction
    if late_fee_pence > 0:
        transaction = ledger.charge_late_cancellation(
            money.booking_id,
            budget.id,
            money.worker_id,
            charge.held_pence,
            late_fee_pence,
            charge.fee_bps,
            side,
        )
        charge.status, charge.cost_pence = "late_fee", late_fee_pence
    else:
        transaction = ledger.release_hold(money.booking_id, budget.id, charge.held_pence)
        charge.status = "released"
    await _check(db, budget.id, transaction, clock)
    await db.post(transaction)
    paid, share, _fee = ledger.split_charge(late_fee_pence, charge.fee_bps, side)
    await _record_action(
        session,
        clock,
        settings or _DEFAULTS,
        budget,
        key,
        money.booking_id,
        "cancel",
        paid if late_fee_pence else 0,
        share if late_fee_pence else 0,
    )
    await session.flush()


async def on_approve(
    session: AsyncSession,
    clock: Clock,
    money: BookingMoney,
    actual_minutes: int,
    *,
    settings: Settings | None = None,
) -> None:
    """Settle: actual cost to the worker payable and the platform fee; release the rest of the hold."""
    found = await _held(session, money)
    if found is None:
        return
    budget, charge = found
    db = DbLedger(session, clock)
    key = booking_key(money.booking_id, "approve")
    if await db.get(key) is not None:
        return
    if await db.get(booking_key(money.booking_id, "cancel")) is not None:
        raise Conflict("This visit was cancelled; there is nothing to approve", rule="cancelled")
    side = FeeSide(charge.fee_side)
    cost = cost_pence(charge.rate_pence_per_hour, actual_minutes)
    transaction = ledger.settle_booking(
        money.booking_id, budget.id, money.worker_id, charge.held_pence, cost, charge.fee_bps, side
    )
    await _check(db, budget.id, transaction, clock)
    await db.post(transaction)
    charge.status, charge.actual_minutes, charge.cost_pence = "settled", actual_minutes, cost
    paid, share, _fee = ledger.split_charge(cost, charge.fee_bps, side)
    await _record_action(
        session, clock, settings or _DEFAULTS, budget, key, money.booking_id, "approve", paid, share
    )
    await session.flush()


async def on_dispute(session: AsyncSession, clock: Clock, money: BookingMoney) -> None:
    """A disputed timesheet keeps its hold until `on_approve` or `on_cancel` resolves it."""
    found = await _held(session, money)
    if found is not None and found[1].status == "held":
        found[1].status = "disputed"
        await session.flush()
