"""A pure double-entry ledger: accounts, postings and balanced transactions, one builder per money flow.

Sign convention: a posting's amount is **positive for a debit** (value flows *into* the account) and
**negative for a credit** (value flows *out*). Every account is a pot of money earmarked for something,
so every account carries a positive (debit) balance except `funder_source`, which goes negative by the
total funders have put in. A budget's *available* amount is the plain balance of its `budget` account;
money committed to confirmed visits sits in a separate `budget_holds` account, so "available never
negative" is a property of one balance, and "balance" in the budget view is budget + holds.

Transactions are immutable; a correction is a `reverse()` with its own key. Nothing is updated or deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeAlias
from uuid import UUID

from slivers.payments.rules.money import BASIS_POINTS, fee_pence

OwnerId: TypeAlias = UUID | str | int

PLATFORM_OWNER = "platform"


class AccountKind(StrEnum):
    FUNDER_SOURCE = "funder_source"  # owner: the funder (a council, or the self-funder themself)
    BUDGET = "budget"  # owner: the budget; its balance is what is available to spend
    BUDGET_HOLDS = "budget_holds"  # owner: the budget; money committed to confirmed visits
    WORKER_PAYABLE = "worker_payable"  # owner: the worker; earned, not yet paid out
    PLATFORM_FEES = "platform_fees"  # owner: PLATFORM_OWNER
    PAYMENT_CLEARING = "payment_clearing"  # owner: PLATFORM_OWNER; paid out, on its way to a bank
    VOLUNTEER_EXPENSES = "volunteer_expenses"  # owner: the volunteer; approved expenses due to them
    ORG_EXPENSES_BUDGET = "org_expenses_budget"  # owner: the organisation paying volunteers' expenses


@dataclass(frozen=True, slots=True)
class AccountRef:
    kind: AccountKind
    owner_id: str

    def __post_init__(self) -> None:
        if not self.owner_id:
            raise ValueError("an account needs an owner id")

    @classmethod
    def of(cls, kind: AccountKind, owner: OwnerId) -> AccountRef:
        # UUIDs and ints become strings so one account has one identity, however the id arrived.
        return cls(AccountKind(kind), str(owner))

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.owner_id}"


class TransactionKind(StrEnum):
    TOP_UP = "top_up"
    HOLD = "hold"
    SETTLEMENT = "settlement"
    HOLD_RELEASE = "hold_release"
    LATE_CANCELLATION = "late_cancellation"
    PAYOUT = "payout"
    EXPENSE_CLAIM = "expense_claim"
    REVERSAL = "reversal"


class FeeSide(StrEnum):
    PROVIDER = "provider"  # the worker's share carries the fee; the budget pays the cost
    BUYER = "buyer"  # the budget pays cost + fee; the worker receives the whole cost


class UnbalancedTransaction(ValueError):
    """A transaction that would create or destroy money, or is otherwise malformed."""


@dataclass(frozen=True, slots=True)
class Posting:
    account: AccountRef
    amount_pence: int  # positive = debit = into the account

    def __post_init__(self) -> None:
        if isinstance(self.amount_pence, bool) or not isinstance(self.amount_pence, int):
            raise UnbalancedTransaction("a posting amount must be whole pence")
        if self.amount_pence == 0:
            raise UnbalancedTransaction(f"zero posting to {self.account}")


@dataclass(frozen=True, slots=True)
class Transaction:
    idempotency_key: str
    kind: TransactionKind
    postings: tuple[Posting, ...]
    memo: str = ""
    booking_id: str | None = None
    budget_id: str | None = None
    reverses_key: str | None = None  # set on reversals: the key of the transaction undone

    def __post_init__(self) -> None:
        if not self.idempotency_key:
            raise UnbalancedTransaction("a transaction needs an idempotency key")
        if len(self.postings) < 2:
            raise UnbalancedTransaction(f"{self.idempotency_key}: needs at least two postings")
        total = sum(p.amount_pence for p in self.postings)
        if total != 0:
            raise UnbalancedTransaction(f"{self.idempotency_key}: postings sum to {total}, not 0")

    def amount_for(self, account: AccountRef) -> int:
        return sum(p.amount_pence for p in self.postings if p.account == account)


@dataclass(frozen=True, slots=True)
class PostedTransaction:
    """A transaction as stored: the database (or the in-memory ledger) stamps when it was posted."""

    transaction: Transaction
    posted_at: datetime  # UTC


def _postings(*pairs: tuple[AccountRef, int]) -> tuple[Posting, ...]:
    """Postings from (account, amount) pairs, merging repeats and dropping zeros."""
    merged: dict[AccountRef, int] = {}
    for account, amount in pairs:
        merged[account] = merged.get(account, 0) + amount
    return tuple(Posting(a, amount) for a, amount in merged.items() if amount != 0)


def _positive(name: str, amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"{name} must be a positive number of pence, got {amount!r}")


def budget_account(budget: OwnerId) -> AccountRef:
    return AccountRef.of(AccountKind.BUDGET, budget)


def holds_account(budget: OwnerId) -> AccountRef:
    return AccountRef.of(AccountKind.BUDGET_HOLDS, budget)


def worker_account(worker: OwnerId) -> AccountRef:
    return AccountRef.of(AccountKind.WORKER_PAYABLE, worker)


def funder_account(funder: OwnerId) -> AccountRef:
    return AccountRef.of(AccountKind.FUNDER_SOURCE, funder)


PLATFORM_FEES = AccountRef.of(AccountKind.PLATFORM_FEES, PLATFORM_OWNER)
PAYMENT_CLEARING = AccountRef.of(AccountKind.PAYMENT_CLEARING, PLATFORM_OWNER)


def booking_key(booking: OwnerId, action: str) -> str:
    """The house idempotency key for a business action on a booking, e.g. `booking:42:approve`."""
    return f"booking:{booking}:{action}"


def charge_for(cost: int, fee_bps: int, fee_side: FeeSide = FeeSide.PROVIDER) -> int:
    """What the budget pays for a visit costing `cost`: the cost, plus the fee when the buyer carries it.

    Hold this amount at confirmation so settlement normally comes entirely out of the hold.
    """
    return cost + (fee_pence(cost, fee_bps) if fee_side is FeeSide.BUYER else 0)


def split_charge(cost: int, fee_bps: int, fee_side: FeeSide = FeeSide.PROVIDER) -> tuple[int, int, int]:
    """(budget pays, worker receives, platform fee) for a cost, with fee = round_half_up(cost x bps / 10,000).

    Provider side (default): budget pays cost; worker gets cost - fee; platform gets fee.
    Buyer side: budget pays cost + fee; worker gets cost; platform gets fee.
    Either way budget pays = worker + fee, so the transaction balances by construction.
    """
    if not 0 <= fee_bps <= BASIS_POINTS:
        raise ValueError(f"fee of {fee_bps} basis points is outside 0..{BASIS_POINTS}")
    fee = fee_pence(cost, fee_bps)
    if fee_side is FeeSide.BUYER:
        return cost + fee, cost, fee
    return cost, cost - fee, fee


def top_up(budget: OwnerId, funder: OwnerId, amount: int, key: str, memo: str = "Top-up") -> Transaction:
    """Funder to budget. The caller gives the key (e.g. `topup:{request id}`): a budget has many top-ups."""
    _positive("amount", amount)
    return Transaction(
        key,
        TransactionKind.TOP_UP,
        _postings((budget_account(budget), amount), (funder_account(funder), -amount)),
        memo,
        budget_id=str(budget),
    )


def hold_for_booking(
    booking: OwnerId, budget: OwnerId, amount: int, *, key: str | None = None
) -> Transaction:
    """Confirm: move the booking's charge from available to held. Check availability first."""
    _positive("amount", amount)
    return Transaction(
        key or booking_key(booking, "confirm"),
        TransactionKind.HOLD,
        _postings((holds_account(budget), amount), (budget_account(budget), -amount)),
        "Held for a confirmed visit",
        booking_id=str(booking),
        budget_id=str(budget),
    )


def _charge_from_hold(
    booking: OwnerId, budget: OwnerId, worker: OwnerId, held: int, cost: int, fee_bps: int, fee_side: FeeSide
) -> tuple[Posting, ...]:
    # The whole hold leaves the holds account. What the visit did not use goes back to the budget;
    # if it cost more than was held, the budget account pays the difference (a negative posting).
    if held < 0 or cost < 0:
        raise ValueError("held and cost must not be negative")
    charge, to_worker, fee = split_charge(cost, fee_bps, fee_side)
    return _postings(
        (holds_account(budget), -held),
        (worker_account(worker), to_worker),
        (PLATFORM_FEES, fee),
        (budget_account(budget), held - charge),
    )


def settle_booking(
    booking: OwnerId,
    budget: OwnerId,
    worker: OwnerId,
    held: int,
    actual_cost: int,
    fee_bps: int,
    fee_side: FeeSide = FeeSide.PROVIDER,
    *,
    key: str | None = None,
) -> Transaction:
    """Approve: hold to worker payable and platform fee, the rest back to the budget.

    When actual cost (plus a buyer-side fee) exceeds the hold, the difference comes from the budget
    account: the caller must `check_available(view, charge - held)` first. `key` is only for
    re-settling after the first settlement was reversed (`booking:{id}:approve:2`).
    """
    return Transaction(
        key or booking_key(booking, "approve"),
        TransactionKind.SETTLEMENT,
        _charge_from_hold(booking, budget, worker, held, actual_cost, fee_bps, fee_side),
        "Visit approved",
        booking_id=str(booking),
        budget_id=str(budget),
    )


def release_hold(booking: OwnerId, budget: OwnerId, held: int, *, key: str | None = None) -> Transaction:
    """Free cancellation: the whole hold goes back to the budget."""
    _positive("held", held)
    return Transaction(
        key or booking_key(booking, "cancel"),
        TransactionKind.HOLD_RELEASE,
        _postings((budget_account(budget), held), (holds_account(budget), -held)),
        "Visit cancelled; hold released",
        booking_id=str(booking),
        budget_id=str(budget),
    )


def charge_late_cancellation(
    booking: OwnerId,
    budget: OwnerId,
    worker: OwnerId,
    held: int,
    fee: int,
    fee_bps: int,
    fee_side: FeeSide = FeeSide.PROVIDER,
    *,
    key: str | None = None,
) -> Transaction:
    """Late cancellation: the late fee is settled like a visit costing `fee`; the rest of the hold returns.

    Shares the `booking:{id}:cancel` key with `release_hold`, so a booking is cancelled at most once.
    """
    _positive("fee", fee)
    return Transaction(
        key or booking_key(booking, "cancel"),
        TransactionKind.LATE_CANCELLATION,
        _charge_from_hold(booking, budget, worker, held, fee, fee_bps, fee_side),
        "Late cancellation fee",
        booking_id=str(booking),
        budget_id=str(budget),
    )


def payout(worker: OwnerId, amount: int, key: str, *, volunteer: bool = False) -> Transaction:
    """Worker payable (or a volunteer's expenses due) to payment clearing: the money left for the bank."""
    _positive("amount", amount)
    due = AccountRef.of(AccountKind.VOLUNTEER_EXPENSES, worker) if volunteer else worker_account(worker)
    return Transaction(
        key,
        TransactionKind.PAYOUT,
        _postings((PAYMENT_CLEARING, amount), (due, -amount)),
        "Paid out",
    )


def fund_org_expenses(org: OwnerId, funder: OwnerId, amount: int, key: str) -> Transaction:
    """Funder to an organisation's volunteer-expenses budget."""
    _positive("amount", amount)
    return Transaction(
        key,
        TransactionKind.TOP_UP,
        _postings(
            (AccountRef.of(AccountKind.ORG_EXPENSES_BUDGET, org), amount), (funder_account(funder), -amount)
        ),
        "Expenses budget top-up",
    )


def expense_claim_paid(claim: OwnerId, org: OwnerId, volunteer: OwnerId, amount: int) -> Transaction:
    """An approved volunteer expense claim: the organisation's expenses budget to expenses due."""
    _positive("amount", amount)
    return Transaction(
        f"expense:{claim}:paid",
        TransactionKind.EXPENSE_CLAIM,
        _postings(
            (AccountRef.of(AccountKind.VOLUNTEER_EXPENSES, volunteer), amount),
            (AccountRef.of(AccountKind.ORG_EXPENSES_BUDGET, org), -amount),
        ),
        "Volunteer expenses",
    )


def reverse(transaction: Transaction, key: str, memo: str = "") -> Transaction:
    """The exact opposite of a transaction, under its own key: the only way to correct the ledger.

    Reversing a settlement puts the hold back as it was; the corrected flow is then posted under a
    numbered key (`booking:{id}:approve:2`, or the booking's cancel key) via the builders' `key=`.
    """
    return Transaction(
        key,
        TransactionKind.REVERSAL,
        tuple(Posting(p.account, -p.amount_pence) for p in transaction.postings),
        memo or f"Reversal of {transaction.idempotency_key}",
        booking_id=transaction.booking_id,
        budget_id=transaction.budget_id,
        reverses_key=transaction.idempotency_key,
    )


def balances(transactions: Iterable[Transaction]) -> dict[AccountRef, int]:
    """Every account's balance (debits positive) over the given transactions."""
    totals: dict[AccountRef, int] = {}
    for transaction in transactions:
        for posting in transaction.postings:
            totals[posting.account] = totals.get(posting.account, 0) + posting.amount_pence
    return totals
