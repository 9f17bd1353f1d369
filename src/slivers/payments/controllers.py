"""HTTP controllers of this domain, listed in HANDLERS and mounted by slivers.routes."""

from __future__ import annotations

from typing import Any

from slivers.payments.budgets.controllers import BudgetController
from slivers.payments.expenses.controllers import ExpenseController
from slivers.payments.payouts.controllers import PayoutController
from slivers.payments.providers.controllers import PayoutAccountController, card_setup, stripe_webhook

HANDLERS: list[Any] = [
    BudgetController,
    ExpenseController,
    PayoutController,
    PayoutAccountController,
    card_setup,
    stripe_webhook,
]
