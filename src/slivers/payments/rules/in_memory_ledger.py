"""An append-only ledger in memory, with the same rules a database-backed one must enforce.

For unit tests and as the reference for the database layer: the idempotency key is unique (a repeat
returns the original transaction and posts nothing), a transaction is reversed at most once, and
nothing is ever changed or removed.
"""

from __future__ import annotations

from collections.abc import Iterator

from slivers.clock import Clock
from slivers.payments.rules.ledger import AccountRef, PostedTransaction, Transaction, balances


class AlreadyReversed(ValueError):
    """A second reversal of one transaction (under a different key) would undo it twice."""


class UnknownTransaction(LookupError):
    pass


class InMemoryLedger:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._by_key: dict[str, PostedTransaction] = {}
        self._reversed_by: dict[str, str] = {}
        self._order: list[PostedTransaction] = []

    def post(self, transaction: Transaction) -> PostedTransaction:
        """Append a transaction; a repeated idempotency key returns the original and posts nothing."""
        existing = self._by_key.get(transaction.idempotency_key)
        if existing is not None:
            return existing
        if transaction.reverses_key is not None:
            if transaction.reverses_key not in self._by_key:
                raise UnknownTransaction(f"nothing posted under {transaction.reverses_key}")
            if transaction.reverses_key in self._reversed_by:
                raise AlreadyReversed(
                    f"{transaction.reverses_key} was already reversed by "
                    f"{self._reversed_by[transaction.reverses_key]}"
                )
            self._reversed_by[transaction.reverses_key] = transaction.idempotency_key
        posted = PostedTransaction(transaction, self._clock.now())
        self._by_key[transaction.idempotency_key] = posted
        self._order.append(posted)
        return posted

    def get(self, key: str) -> PostedTransaction | None:
        return self._by_key.get(key)

    def __iter__(self) -> Iterator[PostedTransaction]:
        return iter(tuple(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def balance(self, account: AccountRef) -> int:
        return balances(p.transaction for p in self._order).get(account, 0)
