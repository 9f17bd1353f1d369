"""Shares a Connect worker earned before their account could receive transfers, paid once it can.

When a card booking is approved (or late-cancelled) while the self-employed worker's Connect account
is not enabled yet, the sweep captures the card but cannot transfer, and the share stays in the
worker's payable account for the bank run. Once the account is enabled (`account.updated`, or the
reconciliation re-reading it), a share that is still owed is transferred instead.

The decision is taken per worker in one short transaction under the worker's payout lock, the same
lock the payout run takes, and only *reserves* the transfer: a `PaymentAction` (`action="transfer"`,
key = the transfer key the settlement would have used, `booking:{id}:approve:transfer`). The
provider-actions sweep makes the call after commit, with no transaction open, and books it in the
ledger as a payout under that same key. While the action is pending (or failed) the payout run holds
the share back; so whichever of the two takes the lock first, the share leaves once:

- a share is transferred only if no bank payout (`payout:{worker}:{n}`) was posted at or after its
  settlement: a later run paid it, or will (the rule errs towards the bank, never towards twice);
- the shares reserved never exceed the worker's payable balance less what is held back for Connect,
  so the ledger's payable account cannot go below zero whatever the history;
- a share whose settlement was reversed is not owed and is never transferred.

A decision not to transfer is recorded as a `skipped` action with its reason, so the share is not
looked at again. A reserved transfer whose account is no longer enabled when the sweep gets to it is
`cancelled` (the share goes back to the bank run) and may be reserved again later under the same rules.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from slivers.accounts.models import Worker
from slivers.clock import Clock
from slivers.payments.ledger.worker_payouts import held_back_for_connect, last_bank_payout_at, lock_worker
from slivers.payments.models import (
    BookingCharge,
    LedgerPostingRow,
    LedgerTransactionRow,
    PaymentAction,
    WorkerPayoutAccount,
)
from slivers.payments.rules import ledger

TRANSFER = "transfer"
SKIPPED = "skipped"
CANCELLED = "cancelled"
PAID_BY_BANK = "paid by the bank run"
NOT_OWED = "settlement reversed"


def transfer_key(settlement_key: str) -> str:
    """`booking:{id}:approve` -> `booking:{id}:approve:transfer`: the key the sweep would have used."""
    return f"{settlement_key}:transfer"


@dataclass(frozen=True, slots=True)
class UntransferredShare:
    settlement_key: str  # `booking:{id}:approve` or `booking:{id}:cancel`: the ledger's and the action's
    booking_id: uuid.UUID
    share_pence: int
    settled_at: datetime
    reversed: bool = False


@dataclass(frozen=True, slots=True)
class LateTransferPlan:
    transfer: list[UntransferredShare]
    skip: list[tuple[UntransferredShare, str]]  # with the reason


def plan_late_transfers(
    shares: list[UntransferredShare],
    *,
    payable_pence: int,
    held_back_pence: int,
    last_bank_payout: datetime | None,
) -> LateTransferPlan:
    """Which untransferred shares to transfer now (newest first, while the unpaid balance covers them),
    and which never to (paid by a bank run since, or no longer owed). The rest wait for a later look."""
    room = payable_pence - held_back_pence
    transfer: list[UntransferredShare] = []
    skip: list[tuple[UntransferredShare, str]] = []
    for share in sorted(shares, key=lambda s: (s.settled_at, s.settlement_key), reverse=True):
        if share.reversed:
            skip.append((share, NOT_OWED))
        elif last_bank_payout is not None and share.settled_at <= last_bank_payout:
            skip.append((share, PAID_BY_BANK))
        elif 0 < share.share_pence <= room:
            transfer.append(share)
            room -= share.share_pence
    return LateTransferPlan(transfer, skip)


async def enabled_connect_account(session: AsyncSession, worker_id: uuid.UUID) -> str | None:
    """The worker's Connect account, if they are self-employed and Stripe lets it receive payouts."""
    account: str | None = await session.scalar(
        select(WorkerPayoutAccount.stripe_account_id)
        .join(Worker, Worker.id == WorkerPayoutAccount.worker_id)
        .where(
            WorkerPayoutAccount.worker_id == worker_id,
            WorkerPayoutAccount.payouts_enabled.is_(True),
            Worker.self_employed.is_(True),
            Worker.kind == "paid",
        )
    )
    return account


def _untransferred() -> list[ColumnElement[bool]]:
    """Conditions on a done approve/cancel card action with a share, nothing transferred or decided."""
    reserved = aliased(PaymentAction)
    transferred = aliased(LedgerTransactionRow)
    return [
        PaymentAction.action.in_(["approve", "cancel"]),
        PaymentAction.status == "done",
        PaymentAction.worker_share_pence > 0,
        ~select(reserved.id)
        .where(reserved.key == PaymentAction.key + ":transfer", reserved.status != CANCELLED)
        .exists(),
        ~select(transferred.id)
        .where(transferred.idempotency_key == PaymentAction.key + ":transfer")
        .exists(),
    ]


async def untransferred_shares(session: AsyncSession, worker_id: uuid.UUID) -> list[UntransferredShare]:
    settlement, reversal = aliased(LedgerTransactionRow), aliased(LedgerTransactionRow)
    rows = await session.execute(
        select(
            PaymentAction.key,
            PaymentAction.booking_id,
            PaymentAction.worker_share_pence,
            settlement.posted_at,
            reversal.id,
        )
        .join(BookingCharge, BookingCharge.booking_id == PaymentAction.booking_id)
        .join(settlement, settlement.idempotency_key == PaymentAction.key)
        .outerjoin(reversal, reversal.reverses_key == PaymentAction.key)
        .where(BookingCharge.worker_id == worker_id, *_untransferred())
    )
    return [
        UntransferredShare(key, booking_id, share, posted_at, reversed=reversal_id is not None)
        for key, booking_id, share, posted_at, reversal_id in rows
    ]


async def workers_with_untransferred_shares(session: AsyncSession) -> list[uuid.UUID]:
    """Self-employed workers with an enabled account and a card share never transferred nor decided."""
    found = await session.scalars(
        select(BookingCharge.worker_id)
        .distinct()
        .join(PaymentAction, PaymentAction.booking_id == BookingCharge.booking_id)
        .join(
            WorkerPayoutAccount,
            and_(
                WorkerPayoutAccount.worker_id == BookingCharge.worker_id,
                WorkerPayoutAccount.payouts_enabled.is_(True),
            ),
        )
        .join(Worker, Worker.id == BookingCharge.worker_id)
        .where(Worker.self_employed.is_(True), Worker.kind == "paid", *_untransferred())
        .order_by(BookingCharge.worker_id)
    )
    return list(found)


async def _payable(session: AsyncSession, worker_id: uuid.UUID) -> int:
    account = ledger.worker_account(worker_id)
    total = await session.scalar(
        select(func.coalesce(func.sum(LedgerPostingRow.amount_pence), 0)).where(
            LedgerPostingRow.account_kind == account.kind.value,
            LedgerPostingRow.account_owner == account.owner_id,
        )
    )
    return int(total or 0)


async def _decide(
    session: AsyncSession, clock: Clock, share: UntransferredShare, status: str, reason: str
) -> None:
    """Record the decision on the share: a transfer owed (pending) or none (skipped, with the reason)."""
    key = transfer_key(share.settlement_key)
    action = await session.scalar(select(PaymentAction).where(PaymentAction.key == key))
    if action is None:
        action = PaymentAction(key=key, booking_id=share.booking_id, action=TRANSFER)
        session.add(action)
    action.status, action.attempts, action.due_at = status, 0, clock.now()
    action.amount_pence, action.worker_share_pence = 0, share.share_pence
    action.last_error, action.result = "", [{"reason": reason}] if reason else []


async def reserve_late_transfers(session: AsyncSession, clock: Clock, worker_id: uuid.UUID) -> int:
    """Reserve the transfers owed to a worker whose account is enabled (in the caller's transaction,
    under the worker's payout lock); returns how many. The sweep makes them after commit."""
    if await enabled_connect_account(session, worker_id) is None:
        return 0
    if not await untransferred_shares(session, worker_id):
        return 0  # nothing to decide: no need to wait for the payout run's lock
    await lock_worker(session, worker_id)
    shares = await untransferred_shares(session, worker_id)  # again, now that nothing moves them
    plan = plan_late_transfers(
        shares,
        payable_pence=await _payable(session, worker_id),
        held_back_pence=await held_back_for_connect(session, worker_id),
        last_bank_payout=await last_bank_payout_at(session, worker_id),
    )
    for share in plan.transfer:
        await _decide(session, clock, share, "pending", "")
    for share, reason in plan.skip:
        await _decide(session, clock, share, SKIPPED, reason)
    await session.flush()
    return len(plan.transfer)
