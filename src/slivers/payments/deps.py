"""The payments services for a request: the one set of providers the API controllers and the pages share."""

from __future__ import annotations

from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.config import Settings
from slivers.payments.budgets.service import BudgetService
from slivers.payments.budgets.statements import StatementService
from slivers.payments.expenses.listing import ExpenseListing
from slivers.payments.expenses.service import ExpenseService
from slivers.payments.payouts.service import PayoutService


def provide_budget_service(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> BudgetService:
    return BudgetService(db_session, clock)


def provide_statement_service(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> StatementService:
    return StatementService(db_session, clock)


def provide_payout_service(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> PayoutService:
    return PayoutService(db_session, clock)


def provide_expense_service(
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    settings: NamedDependency[Settings],
) -> ExpenseService:
    return ExpenseService(db_session, clock, settings.data_dir)


def provide_expense_listing(db_session: NamedDependency[AsyncSession]) -> ExpenseListing:
    return ExpenseListing(db_session)


API_DEPENDENCIES: dict[str, Provide] = {
    "budgets": Provide(provide_budget_service, sync_to_thread=False),
    "statements": Provide(provide_statement_service, sync_to_thread=False),
    "expenses": Provide(provide_expense_service, sync_to_thread=False),
    "payouts": Provide(provide_payout_service, sync_to_thread=False),
}
