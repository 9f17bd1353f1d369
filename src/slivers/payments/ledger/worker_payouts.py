"""What the ledger says of one worker's payouts: the lock that serialises what moves their payable,
the shares still to go by Connect transfer, and when their last bank-run payout was recorded. Read by
the ledger provider's payout run (payouts/) and by the Connect transfers (providers/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.db.engine import dialect_name
from slivers.payments.models import BookingCharge, LedgerTransactionRow, PaymentAction, WorkerPayoutAccount
from slivers.payments.rules import ledger

PAYOUT_PREFIX = "payout:"


def payout_key(worker_id: uuid.UUID, number: int) -> str:
    return f"{PAYOUT_PREFIX}{worker_id}:{number}"


async def lock_worker(session: AsyncSession, worker_id: uuid.UUID) -> None:
    """Serialise what moves a worker's payable (payout runs, Connect transfers) until commit."""
    if dialect_name(session) == "postgresql":
        lock_id = int.from_bytes(worker_id.bytes[:8], "big", signed=True)
        await session.execute(select(func.pg_advisory_xact_lock(lock_id)))


async def held_back_for_connect(session: AsyncSession, worker_id: uuid.UUID) -> int:
    """The worker's shares still to be paid by Connect transfer: held back from the bank run.

    That is the shares of card actions not yet done (an approve or late-fee cancel the sweep has yet to
    make, or a late transfer reserved when the account was enabled: see `late_transfers`). A share the
    sweep could not transfer (no enabled account) stays payable once its action is done and goes in a
    later run. An action that failed for good is held back only for a worker with a Connect account:
    its transfer may have happened, and a coordinator sorts it out."""
    has_account = await session.scalar(
        select(WorkerPayoutAccount.id).where(WorkerPayoutAccount.worker_id == worker_id)
    )
    statuses = ["pending", "failed"] if has_account else ["pending"]
    owed = await session.scalar(
        select(func.coalesce(func.sum(PaymentAction.worker_share_pence), 0))
        .join(BookingCharge, BookingCharge.booking_id == PaymentAction.booking_id)
        .where(
            BookingCharge.worker_id == worker_id,
            PaymentAction.action.in_(["approve", "cancel", "transfer"]),
            PaymentAction.status.in_(statuses),
        )
    )
    return int(owed or 0)


def bank_payouts(worker_id: uuid.UUID) -> list[ColumnElement[bool]]:
    """What picks out the worker's bank-run payouts (`payout:{worker}:{n}`) among ledger transactions."""
    return [
        LedgerTransactionRow.kind == ledger.TransactionKind.PAYOUT.value,
        LedgerTransactionRow.idempotency_key.startswith(payout_key(worker_id, 0)[:-1], autoescape=True),
    ]


async def last_bank_payout_at(session: AsyncSession, worker_id: uuid.UUID) -> datetime | None:
    """When the worker's last payout for the bank run (`payout:{worker}:{n}`) was recorded."""
    found: datetime | None = await session.scalar(
        select(func.max(LedgerTransactionRow.posted_at)).where(*bank_payouts(worker_id))
    )
    return found
