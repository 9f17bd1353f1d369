"""HTTP controllers of this domain, listed in HANDLERS and mounted by slivers.routes: one router over
all of them that provides the payments services (`deps.API_DEPENDENCIES`) by name, so the use cases'
controllers do not import the root's deps module (which imports their services)."""

from __future__ import annotations

from typing import Any

from litestar import Router

from slivers.payments.budgets.controllers import BudgetController
from slivers.payments.deps import API_DEPENDENCIES
from slivers.payments.expenses.controllers import ExpenseController
from slivers.payments.payouts.controllers import PayoutController
from slivers.payments.providers.controllers import PayoutAccountController, card_setup, stripe_webhook

HANDLERS: list[Any] = [
    Router(
        path="/",
        route_handlers=[
            BudgetController,
            ExpenseController,
            PayoutController,
            PayoutAccountController,
            card_setup,
            stripe_webhook,
        ],
        dependencies=API_DEPENDENCIES,
    )
]
