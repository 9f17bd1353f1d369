"""The database ledger keeps the in-memory ledger's rules: unique keys, single reversal, append-only."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from slivers.payments.ledger.database import DbLedger
from slivers.payments.rules import ledger
from slivers.payments.rules.in_memory_ledger import AlreadyReversed, InMemoryLedger

COUNCIL = uuid.uuid4()


async def test_a_repeated_key_returns_the_original_and_posts_nothing(app: Litestar) -> None:
    wiring = app.state.wiring
    budget = uuid.uuid4()
    async with wiring.unit_of_work() as session:
        db = DbLedger(session, wiring.clock)
        first = await db.post(ledger.top_up(budget, COUNCIL, 500, "topup:1"))
        again = await db.post(ledger.top_up(budget, COUNCIL, 900, "topup:1"))
        assert again.transaction == first.transaction
        await db.post(ledger.reverse(first.transaction, "topup:1:reverse"))
        with pytest.raises(AlreadyReversed):
            await db.post(ledger.reverse(first.transaction, "topup:1:reverse-again"))
    async with wiring.unit_of_work() as session:
        posted = await DbLedger(session, wiring.clock).touching([ledger.budget_account(budget)])
    assert [p.transaction.idempotency_key for p in posted] == ["topup:1", "topup:1:reverse"]


@pytest.mark.parametrize(
    "statement", ["UPDATE ledger_postings SET amount_pence = 1", "DELETE FROM ledger_postings"]
)
async def test_the_database_refuses_to_change_or_delete_ledger_rows(app: Litestar, statement: str) -> None:
    wiring = app.state.wiring
    async with wiring.unit_of_work() as session:
        await DbLedger(session, wiring.clock).post(ledger.top_up(uuid.uuid4(), COUNCIL, 500, "topup:x"))
    with pytest.raises(DBAPIError, match="append-only"):
        async with wiring.unit_of_work() as session:
            await session.execute(text(statement))


amounts = st.integers(min_value=1, max_value=5000)
actions = st.lists(
    st.tuples(st.sampled_from(["top_up", "hold", "release", "replay"]), amounts), min_size=1, max_size=8
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions)
async def test_the_database_ledger_agrees_with_the_in_memory_one(
    app: Litestar, steps: list[tuple[str, int]]
) -> None:
    wiring = app.state.wiring
    budget = uuid.uuid4()
    reference = InMemoryLedger(wiring.clock)
    keys: list[ledger.Transaction] = []
    async with wiring.unit_of_work() as session:
        db = DbLedger(session, wiring.clock)
        for n, (action, amount) in enumerate(steps):
            transaction: ledger.Transaction
            if action == "top_up":
                transaction = ledger.top_up(budget, COUNCIL, amount, f"{budget}:topup:{n}")
            elif action == "hold":
                transaction = ledger.hold_for_booking(uuid.uuid4(), budget, amount)
            elif action == "release" and keys:
                held = keys[-1]
                transaction = ledger.release_hold(
                    held.booking_id or "", budget, held.postings[0].amount_pence
                )
            elif keys:
                transaction = keys[0]
            else:
                continue
            if transaction.kind is ledger.TransactionKind.HOLD:
                keys.append(transaction)
            assert (await db.post(transaction)).transaction == reference.post(transaction).transaction
        posted = await db.touching([ledger.budget_account(budget), ledger.holds_account(budget)])
    stored = ledger.balances(p.transaction for p in posted)
    for account in (ledger.budget_account(budget), ledger.holds_account(budget)):
        assert stored.get(account, 0) == reference.balance(account)
    assert len(posted) == len(reference)
