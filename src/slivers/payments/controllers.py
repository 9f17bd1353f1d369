"""HTTP controllers of this domain, listed in HANDLERS and mounted by slivers.routes."""

from __future__ import annotations

from typing import Any

from slivers.payments.budgets.controllers import BudgetController
from slivers.payments.card_controllers import card_setup
from slivers.payments.connect_controllers import PayoutAccountController
from slivers.payments.expenses.controllers import ExpenseController
from slivers.payments.payouts.controllers import PayoutController
from slivers.payments.webhook_controller import stripe_webhook

HANDLERS: list[Any] = [
    BudgetController,
    ExpenseController,
    PayoutController,
    PayoutAccountController,
    card_setup,
    stripe_webhook,
]
