from datetime import UTC, datetime, timedelta

import pytest

from slivers.clock import FrozenClock
from slivers.payments.rules.budgets import WouldOverspend, budget_view, check_available
from slivers.payments.rules.in_memory_ledger import AlreadyReversed, InMemoryLedger
from slivers.payments.rules.ledger import (
    PAYMENT_CLEARING,
    PLATFORM_FEES,
    AccountKind,
    AccountRef,
    FeeSide,
    Posting,
    Transaction,
    TransactionKind,
    UnbalancedTransaction,
    balances,
    budget_account,
    charge_for,
    charge_late_cancellation,
    expense_claim_paid,
    fund_org_expenses,
    funder_account,
    hold_for_booking,
    holds_account,
    payout,
    release_hold,
    reverse,
    settle_booking,
    split_charge,
    top_up,
    worker_account,
)

START = datetime(2026, 5, 1, 9, tzinfo=UTC)
BUDGET, FUNDER, WORKER = "b1", "council", "w1"


def test_transaction_refuses_unbalanced_short_and_zero() -> None:
    a, b = budget_account(BUDGET), funder_account(FUNDER)
    with pytest.raises(UnbalancedTransaction, match="sum to 1"):
        Transaction("k", TransactionKind.TOP_UP, (Posting(a, 101), Posting(b, -100)))
    with pytest.raises(UnbalancedTransaction, match="at least two"):
        Transaction("k", TransactionKind.TOP_UP, (Posting(a, 1),))
    with pytest.raises(UnbalancedTransaction, match="zero posting"):
        Posting(a, 0)
    with pytest.raises(UnbalancedTransaction, match="idempotency key"):
        Transaction("", TransactionKind.TOP_UP, (Posting(a, 1), Posting(b, -1)))


def test_house_keys() -> None:
    assert hold_for_booking(7, BUDGET, 100).idempotency_key == "booking:7:confirm"
    assert settle_booking(7, BUDGET, WORKER, 100, 100, 0).idempotency_key == "booking:7:approve"
    assert release_hold(7, BUDGET, 100).idempotency_key == "booking:7:cancel"
    assert charge_late_cancellation(7, BUDGET, WORKER, 100, 50, 0).idempotency_key == "booking:7:cancel"
    assert expense_claim_paid(3, "org", "v", 10).idempotency_key == "expense:3:paid"


def test_split_charge_provider_and_buyer_side() -> None:
    # 10% of £25.03 is 250.3p -> 250p.
    assert split_charge(2503, 1000) == (2503, 2253, 250)
    assert split_charge(2503, 1000, FeeSide.BUYER) == (2753, 2503, 250)
    assert charge_for(2503, 1000, FeeSide.BUYER) == 2753
    assert charge_for(2503, 1000) == 2503


def test_settle_for_less_than_held_returns_the_rest() -> None:
    t = settle_booking("bk", BUDGET, WORKER, held=3000, actual_cost=2500, fee_bps=1000)
    assert t.amount_for(holds_account(BUDGET)) == -3000
    assert t.amount_for(worker_account(WORKER)) == 2250
    assert t.amount_for(PLATFORM_FEES) == 250
    assert t.amount_for(budget_account(BUDGET)) == 500


def test_settle_for_more_than_held_takes_the_difference_from_the_budget() -> None:
    t = settle_booking(
        "bk", BUDGET, WORKER, held=2000, actual_cost=2500, fee_bps=1000, fee_side=FeeSide.BUYER
    )
    assert t.amount_for(worker_account(WORKER)) == 2500
    assert t.amount_for(PLATFORM_FEES) == 250
    assert t.amount_for(budget_account(BUDGET)) == -750


def test_settle_exactly_the_hold_has_no_budget_posting() -> None:
    t = settle_booking("bk", BUDGET, WORKER, held=2500, actual_cost=2500, fee_bps=0)
    assert {p.account for p in t.postings} == {holds_account(BUDGET), worker_account(WORKER)}


def test_late_cancellation_pays_the_fee_and_returns_the_rest() -> None:
    t = charge_late_cancellation("bk", BUDGET, WORKER, held=5000, fee=2542, fee_bps=500)
    assert t.kind is TransactionKind.LATE_CANCELLATION
    assert t.amount_for(worker_account(WORKER)) == 2542 - 127
    assert t.amount_for(PLATFORM_FEES) == 127
    assert t.amount_for(budget_account(BUDGET)) == 5000 - 2542


def test_reverse_undoes_exactly_and_points_back() -> None:
    original = settle_booking("bk", BUDGET, WORKER, 3000, 2500, 1000)
    undone = reverse(original, "booking:bk:approve:reverse")
    assert undone.reverses_key == "booking:bk:approve"
    assert balances([original, undone]) == dict.fromkeys(balances([original]), 0)


def test_payouts_and_volunteer_expenses() -> None:
    org = AccountRef.of(AccountKind.ORG_EXPENSES_BUDGET, "org")
    ts = [
        fund_org_expenses("org", FUNDER, 10_000, "org:topup:1"),
        expense_claim_paid("c1", "org", "vol", 1350),
        payout("vol", 1350, "payout:run1:vol", volunteer=True),
        payout(WORKER, 10, "payout:run1:w1"),
    ]
    b = balances(ts)
    assert b[org] == 8650
    assert b[AccountRef.of(AccountKind.VOLUNTEER_EXPENSES, "vol")] == 0
    assert b[PAYMENT_CLEARING] == 1360


def test_budget_view_and_overspend_message() -> None:
    clock = FrozenClock(START)
    ledger = InMemoryLedger(clock)
    ledger.post(top_up(BUDGET, FUNDER, 10_000, "topup:1"))
    ledger.post(hold_for_booking("bk1", BUDGET, 3000))
    clock.advance(timedelta(days=2))
    ledger.post(settle_booking("bk1", BUDGET, WORKER, 3000, 2542, 1000))
    ledger.post(hold_for_booking("bk2", BUDGET, 6000))
    view = budget_view(
        ledger,
        BUDGET,
        period_start=START + timedelta(days=1),
        period_end=START + timedelta(days=3),
        rate_pence_per_hour=1271,
    )
    assert view.available_pence == 10_000 - 2542 - 6000
    assert view.committed_pence == 6000
    assert view.balance_pence == 10_000 - 2542
    assert view.spent_in_period_pence == 2542
    assert view.hours_remaining == 1458 // 1271
    check_available(view, 1458)
    with pytest.raises(WouldOverspend, match=r"^This would overspend the budget by £0\.01$") as caught:
        check_available(view, 1459)
    assert caught.value.shortfall_pence == 1
    assert caught.value.status_code == 409


def test_in_memory_ledger_replays_duplicate_keys_and_reverses_once() -> None:
    ledger = InMemoryLedger(FrozenClock(START))
    first = ledger.post(top_up(BUDGET, FUNDER, 100, "topup:1"))
    assert ledger.post(top_up(BUDGET, FUNDER, 999, "topup:1")) is first
    ledger.post(hold_for_booking("x", BUDGET, 50))
    assert ledger.post(release_hold("x", BUDGET, 50)).transaction.kind is TransactionKind.HOLD_RELEASE
    # A late fee after a free cancellation is the same business action: nothing new is posted.
    assert ledger.post(charge_late_cancellation("x", BUDGET, WORKER, 50, 50, 0)).transaction.kind is (
        TransactionKind.HOLD_RELEASE
    )
    ledger.post(reverse(first.transaction, "topup:1:reverse"))
    with pytest.raises(AlreadyReversed):
        ledger.post(reverse(first.transaction, "topup:1:reverse-again"))
    assert len(ledger) == 4
    assert ledger.balance(budget_account(BUDGET)) == 0
