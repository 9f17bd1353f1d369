"""What a budget looks like to the people spending it (design 5), computed from ledger transactions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from slivers.clock import ensure_utc
from slivers.errors import Conflict
from slivers.payments.rules.ledger import (
    AccountKind,
    AccountRef,
    OwnerId,
    PostedTransaction,
    Transaction,
    budget_account,
    holds_account,
)
from slivers.payments.rules.money import format_gbp

# Postings to these are not spending: money coming in from a funder, or moving inside the budget.
_NOT_SPENDING = frozenset({AccountKind.FUNDER_SOURCE})


class WouldOverspend(Conflict):
    """Refused: the amount is more than the budget has available."""

    def __init__(self, shortfall_pence: int) -> None:
        super().__init__(
            f"This would overspend the budget by {format_gbp(shortfall_pence)}", rule="would_overspend"
        )
        self.shortfall_pence = shortfall_pence


@dataclass(frozen=True, slots=True)
class BudgetView:
    budget_id: str
    available_pence: int  # the plain balance of the budget account
    committed_pence: int  # the balance of the holds account: confirmed visits not yet settled
    spent_in_period_pence: int  # settled visits, late fees and expenses, net of reversals
    hours_remaining: int | None  # whole hours of `available` at the given rate; None without a rate

    @property
    def balance_pence(self) -> int:
        """Money in the budget: available plus committed."""
        return self.available_pence + self.committed_pence


def spent_pence(posted: PostedTransaction, owned: frozenset[AccountRef]) -> int:
    """How much of one transaction was spending from the budget whose accounts are `owned`.

    Spending is value the budget's accounts lost to anything other than a funder: worker pay,
    platform fees, volunteer expenses. A top-up or its reversal is not spending; a hold moves money
    inside the budget; the reversal of a settlement counts as negative spending.
    """
    transaction = posted.transaction
    if not any(p.account in owned for p in transaction.postings):
        return 0
    return sum(
        p.amount_pence
        for p in transaction.postings
        if p.account not in owned and p.account.kind not in _NOT_SPENDING
    )


def budget_view(
    transactions: Iterable[PostedTransaction],
    budget: OwnerId,
    *,
    period_start: datetime,
    period_end: datetime,
    rate_pence_per_hour: int | None = None,
) -> BudgetView:
    """The view of one budget; spending counts transactions posted in [period_start, period_end).

    `transactions` must include every transaction touching the budget's accounts, since balances
    are all-time; extra transactions are ignored.
    """
    return _view(
        transactions,
        str(budget),
        budget_account(budget),
        frozenset({holds_account(budget)}),
        ensure_utc(period_start),
        ensure_utc(period_end),
        rate_pence_per_hour,
    )


def org_expenses_view(
    transactions: Iterable[PostedTransaction], org: OwnerId, *, period_start: datetime, period_end: datetime
) -> BudgetView:
    """The view of an organisation's volunteer-expenses budget (it has no holds)."""
    account = AccountRef.of(AccountKind.ORG_EXPENSES_BUDGET, org)
    return _view(
        transactions, str(org), account, frozenset(), ensure_utc(period_start), ensure_utc(period_end), None
    )


def _view(
    transactions: Iterable[PostedTransaction],
    owner: str,
    available_account: AccountRef,
    held_accounts: frozenset[AccountRef],
    start: datetime,
    end: datetime,
    rate_pence_per_hour: int | None,
) -> BudgetView:
    owned = held_accounts | {available_account}
    available = committed = spent = 0
    for posted in transactions:
        available += posted.transaction.amount_for(available_account)
        committed += sum(posted.transaction.amount_for(a) for a in held_accounts)
        if start <= posted.posted_at < end:
            spent += spent_pence(posted, owned)
    hours = max(available, 0) // rate_pence_per_hour if rate_pence_per_hour else None
    return BudgetView(owner, available, committed, spent, hours)


def required_available(transaction: Transaction, budget: OwnerId) -> int:
    """How much of the budget's available money a transaction takes (0 if it adds or takes none).

    Check this before posting anything that takes from the budget account, reversals included: undoing
    a settlement takes back the change it returned, which may have been committed since.
    """
    return max(0, -transaction.amount_for(budget_account(budget)))


def check_available(view: BudgetView, amount_pence: int) -> None:
    """Refuse to commit or spend more than is available, naming the shortfall."""
    if amount_pence > view.available_pence:
        raise WouldOverspend(amount_pence - view.available_pence)
