"""The ledger in the database: the same rules as `InMemoryLedger`, enforced by unique keys and triggers.

Posting is `INSERT ... ON CONFLICT (idempotency_key) DO NOTHING`, then a read-back by key: a retried
or replayed action returns the original transaction and posts nothing. On PostgreSQL a concurrent
insert of the same key waits for the first to commit and then does nothing, so two racing requests
cannot both post. Only what a `Transaction` constructor accepted is inserted: balance is proven there.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from slivers.clock import Clock
from slivers.db.engine import dialect_name
from slivers.payments.models import LedgerPostingRow, LedgerTransactionRow
from slivers.payments.rules.in_memory_ledger import AlreadyReversed, UnknownTransaction
from slivers.payments.rules.ledger import (
    AccountKind,
    AccountRef,
    PostedTransaction,
    Posting,
    Transaction,
    TransactionKind,
)


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


class DbLedger:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def post(self, transaction: Transaction) -> PostedTransaction:
        """Append a transaction; a repeated idempotency key returns the original and posts nothing."""
        existing = await self.get(transaction.idempotency_key)
        if existing is not None:
            return existing
        if transaction.reverses_key is not None:
            await self._check_reversible(transaction.reverses_key)
        row_id = uuid7()  # time-ordered, so same-instant transactions keep their order
        posted_at = self._clock.now()
        insert = postgresql.insert if dialect_name(self._session) == "postgresql" else sqlite.insert
        statement = (
            insert(LedgerTransactionRow)
            .values(
                id=row_id,
                idempotency_key=transaction.idempotency_key,
                kind=transaction.kind.value,
                memo=transaction.memo,
                booking_id=_uuid_or_none(transaction.booking_id),
                budget_id=_uuid_or_none(transaction.budget_id),
                reverses_key=transaction.reverses_key,
                posted_at=posted_at,
            )
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(LedgerTransactionRow.id)
        )
        inserted = (await self._session.execute(statement)).scalar_one_or_none()
        if inserted is None:  # someone else posted this key between our read and our insert
            raced = await self.get(transaction.idempotency_key)
            assert raced is not None  # the conflicting row is committed, or we would still be waiting
            return raced
        self._session.add_all(
            LedgerPostingRow(
                transaction_id=row_id,
                account_kind=p.account.kind.value,
                account_owner=p.account.owner_id,
                amount_pence=p.amount_pence,
            )
            for p in transaction.postings
        )
        await self._session.flush()
        return PostedTransaction(transaction, posted_at)

    async def _check_reversible(self, key: str) -> None:
        if await self.get(key) is None:
            raise UnknownTransaction(f"nothing posted under {key}")
        reversal = await self._session.scalar(
            select(LedgerTransactionRow.idempotency_key).where(LedgerTransactionRow.reverses_key == key)
        )
        if reversal is not None:
            raise AlreadyReversed(f"{key} was already reversed by {reversal}")

    async def get(self, key: str) -> PostedTransaction | None:
        row = await self._session.scalar(
            select(LedgerTransactionRow).where(LedgerTransactionRow.idempotency_key == key)
        )
        if row is None:
            return None
        return (await self._load([row]))[0]

    async def touching(self, accounts: Sequence[AccountRef]) -> list[PostedTransaction]:
        """Every transaction with a posting to any of the accounts, oldest first, with all its postings."""
        if not accounts:
            return []
        matches = or_(
            *(
                and_(
                    LedgerPostingRow.account_kind == a.kind.value,
                    LedgerPostingRow.account_owner == a.owner_id,
                )
                for a in accounts
            )
        )
        ids = select(LedgerPostingRow.transaction_id).where(matches)
        rows = (
            await self._session.scalars(
                select(LedgerTransactionRow)
                .where(LedgerTransactionRow.id.in_(ids))
                .order_by(LedgerTransactionRow.posted_at, LedgerTransactionRow.id)
            )
        ).all()
        return await self._load(rows)

    async def for_booking(self, booking_id: uuid.UUID) -> list[PostedTransaction]:
        rows = (
            await self._session.scalars(
                select(LedgerTransactionRow)
                .where(LedgerTransactionRow.booking_id == booking_id)
                .order_by(LedgerTransactionRow.posted_at, LedgerTransactionRow.id)
            )
        ).all()
        return await self._load(rows)

    async def _load(self, rows: Sequence[LedgerTransactionRow]) -> list[PostedTransaction]:
        if not rows:
            return []
        postings: dict[uuid.UUID, list[Posting]] = {row.id: [] for row in rows}
        for chunk in _chunks([row.id for row in rows], 500):
            found = await self._session.scalars(
                select(LedgerPostingRow)
                .where(LedgerPostingRow.transaction_id.in_(chunk))
                .order_by(LedgerPostingRow.id)
            )
            for p in found:
                account = AccountRef.of(AccountKind(p.account_kind), p.account_owner)
                postings[p.transaction_id].append(Posting(account, p.amount_pence))
        return [
            PostedTransaction(
                Transaction(
                    row.idempotency_key,
                    TransactionKind(row.kind),
                    tuple(postings[row.id]),
                    row.memo,
                    booking_id=str(row.booking_id) if row.booking_id else None,
                    budget_id=str(row.budget_id) if row.budget_id else None,
                    reverses_key=row.reverses_key,
                ),
                row.posted_at,
            )
            for row in rows
        ]


def _chunks(items: list[uuid.UUID], size: int) -> list[list[uuid.UUID]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
