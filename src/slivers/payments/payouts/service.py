"""Payouts for the `ledger` provider: what each paid worker has earned leaves their payable account
for payment clearing, and goes out as a CSV for the organisation's bank or payroll run.

Recording is idempotent however often it runs: each worker's payouts are numbered
(`payout:{worker}:{n}`, the next number after those already posted) and the amount is the payable
balance, read under a per-worker lock (a transaction-scoped advisory lock on PostgreSQL; SQLite's
BEGIN IMMEDIATE serialises writers), so a concurrent run waits and then finds nothing owed. The
ledger's unique key is the backstop: two runs that computed the same key post once.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import OrgRole, Worker
from slivers.clock import Clock
from slivers.errors import Forbidden
from slivers.payments.budgets.service import london_midnight
from slivers.payments.ledger.database import DbLedger
from slivers.payments.ledger.worker_payouts import (
    PAYOUT_PREFIX,
    bank_payouts,
    held_back_for_connect,
    lock_worker,
    payout_key,
)
from slivers.payments.models import LedgerTransactionRow
from slivers.payments.payouts.schemas import PayoutRead, PayoutRunRead
from slivers.payments.providers.payment_providers import LedgerProvider, PayoutDue
from slivers.payments.rules import ledger


def require_coordinator(actor: Actor, organisation_id: uuid.UUID) -> None:
    if not actor.has_org_role(organisation_id, OrgRole.COORDINATOR.value):
        raise Forbidden(
            "Only a coordinator of this organisation can run or see its payouts.", rule="not_coordinator"
        )


class PayoutService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self.ledger = DbLedger(session, clock)

    async def _paid_workers(self, organisation_id: uuid.UUID) -> list[Worker]:
        rows = await self.session.scalars(
            select(Worker)
            .where(Worker.organisation_id == organisation_id, Worker.kind == "paid")
            .order_by(Worker.id)
        )
        return list(rows)

    async def _next_number(self, worker_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            select(func.count(LedgerTransactionRow.id)).where(*bank_payouts(worker_id))
        )
        return int(count or 0) + 1

    async def record_due(self, actor: Actor, organisation_id: uuid.UUID) -> PayoutRunRead:
        """Move every paid worker's payable balance to clearing, once."""
        require_coordinator(actor, organisation_id)
        recorded: list[PayoutRead] = []
        for worker in await self._paid_workers(organisation_id):
            await lock_worker(self.session, worker.id)
            account = ledger.worker_account(worker.id)
            posted = await self.ledger.touching([account])
            owed = ledger.balances(p.transaction for p in posted).get(account, 0)
            owed -= await held_back_for_connect(self.session, worker.id)
            if owed <= 0:
                continue
            key = payout_key(worker.id, await self._next_number(worker.id))
            stored = await self.ledger.post(ledger.payout(worker.id, owed, key))
            recorded.append(self._read(worker, stored))
        return PayoutRunRead(organisation_id=organisation_id, recorded=recorded)

    def _read(self, worker: Worker, posted: ledger.PostedTransaction) -> PayoutRead:
        amount = sum(
            p.amount_pence for p in posted.transaction.postings if p.account == ledger.PAYMENT_CLEARING
        )
        return PayoutRead(
            reference=posted.transaction.idempotency_key,
            worker_id=worker.id,
            worker_name=worker.first_name,
            amount_pence=amount,
            recorded_at=posted.posted_at,
        )

    async def recorded(
        self, actor: Actor, organisation_id: uuid.UUID, period_from: date | None, period_to: date | None
    ) -> list[PayoutRead]:
        """Payouts recorded for the organisation's paid workers, oldest first (`to` exclusive)."""
        require_coordinator(actor, organisation_id)
        start: datetime | None = london_midnight(period_from) if period_from else None
        end: datetime | None = london_midnight(period_to) if period_to else None
        found: list[PayoutRead] = []
        for worker in await self._paid_workers(organisation_id):
            for posted in await self.ledger.touching([ledger.worker_account(worker.id)]):
                if posted.transaction.kind is not ledger.TransactionKind.PAYOUT:
                    continue
                if not posted.transaction.idempotency_key.startswith(PAYOUT_PREFIX):
                    continue  # paid by Connect transfer (`booking:{id}:...:transfer`): not for the bank
                if (start and posted.posted_at < start) or (end and posted.posted_at >= end):
                    continue
                found.append(self._read(worker, posted))
        return sorted(found, key=lambda p: (p.recorded_at, p.reference))

    async def csv(
        self, actor: Actor, organisation_id: uuid.UUID, period_from: date | None, period_to: date | None
    ) -> str:
        rows = await self.recorded(actor, organisation_id, period_from, period_to)
        return LedgerProvider.export_payouts_csv(
            [
                PayoutDue(r.reference, str(r.worker_id), r.worker_name, r.amount_pence, r.recorded_at)
                for r in rows
            ]
        )
