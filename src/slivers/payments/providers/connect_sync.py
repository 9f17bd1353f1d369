"""Keeping our record of workers' Connect accounts right, and paying what became payable by transfer.

`account.updated` is only a hint: the webhook re-reads the Account and stores what Stripe says now.
A lost webhook must not leave a worker unable to be paid, so the reconciliation sweep also re-reads
accounts: every account not yet enabled (at most every run), and every other one once a day (Stripe
can switch payouts off again when it needs details). Whenever an account is stored as enabled, the
shares the worker earned before it was are reserved for transfer (`late_transfers`), in the same
transaction; the sweep then looks again for shares whose card action finished after that.

Stripe is called outside any database transaction; reads and writes are short units of work.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.payments.models import WorkerPayoutAccount
from slivers.payments.providers.late_transfers import (
    reserve_late_transfers,
    workers_with_untransferred_shares,
)
from slivers.payments.providers.stripe_access import read_account, stripe_gateway
from slivers.payments.providers.stripe_gateway import ConnectAccountState
from slivers.wiring import Wiring

# An enabled account is re-read this often even without news from Stripe.
ENABLED_REFRESH = timedelta(days=1)
# Accounts re-read per reconciliation run, the longest unread first.
ACCOUNT_BATCH = 100


async def apply_account(session: AsyncSession, clock: Clock, state: ConnectAccountState) -> bool:
    """Store Stripe's current view of a connected account; False if it is not one of ours. An enabled
    account gets the transfers it is owed reserved in the same transaction."""
    row = await session.scalar(
        select(WorkerPayoutAccount).where(WorkerPayoutAccount.stripe_account_id == state.id)
    )
    if row is None:
        return False
    row.charges_enabled = state.charges_enabled
    row.payouts_enabled = state.payouts_enabled
    row.details_submitted = state.details_submitted
    row.synced_at = clock.now()
    if row.payouts_enabled:
        await session.flush()
        await reserve_late_transfers(session, clock, row.worker_id)
    return True


def _flags(row: WorkerPayoutAccount | ConnectAccountState) -> tuple[bool, bool, bool]:
    return row.charges_enabled, row.payouts_enabled, row.details_submitted


async def reconcile_accounts(wiring: Wiring) -> int:
    """Re-read the accounts due (not enabled, or not read for a day) from Stripe; returns how many
    changed. Stripe is called between short units of work, never inside one."""
    gateway = stripe_gateway(wiring)
    if gateway is None:
        return 0
    stale = wiring.clock.now() - ENABLED_REFRESH
    async with wiring.unit_of_work() as session:
        due = (
            await session.scalars(
                select(WorkerPayoutAccount.stripe_account_id)
                .where(
                    or_(
                        WorkerPayoutAccount.payouts_enabled.is_(False),
                        WorkerPayoutAccount.synced_at.is_(None),
                        WorkerPayoutAccount.synced_at < stale,
                    )
                )
                .order_by(WorkerPayoutAccount.synced_at.is_not(None), WorkerPayoutAccount.synced_at)
                .limit(ACCOUNT_BATCH)
            )
        ).all()
    changed = 0
    for account_id in due:
        state = await read_account(gateway, account_id)
        if state is None:
            continue
        async with wiring.unit_of_work() as session:
            row = await session.scalar(
                select(WorkerPayoutAccount).where(WorkerPayoutAccount.stripe_account_id == account_id)
            )
            before = _flags(row) if row is not None else None
            await apply_account(session, wiring.clock, state)
            changed += before is not None and before != _flags(state)
    return changed


async def reserve_owed_transfers(wiring: Wiring) -> int:
    """For every enabled worker with a card share neither transferred nor decided (say its card action
    finished just after the account was enabled), reserve what is owed: one short unit of work each."""
    if stripe_gateway(wiring) is None:
        return 0
    async with wiring.unit_of_work() as session:
        workers: list[uuid.UUID] = await workers_with_untransferred_shares(session)
    reserved = 0
    for worker_id in workers:
        async with wiring.unit_of_work() as session:
            reserved += await reserve_late_transfers(session, wiring.clock, worker_id)
    return reserved
