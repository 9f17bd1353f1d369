"""HTTP controllers of this domain, listed in HANDLERS and mounted by slivers.routes."""

from __future__ import annotations

from typing import Any

from slivers.payments.budget_controllers import BudgetController

HANDLERS: list[Any] = [BudgetController]
