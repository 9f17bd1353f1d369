"""HTTP for volunteer expenses: receipts, claims, decisions and the organisation's expenses budget."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from slivers.accounts.actor import Actor
from slivers.payments.expenses.schemas import (
    ExpenseClaimCreate,
    ExpenseClaimRead,
    ExpenseReject,
    OrgExpensesRead,
    OrgExpensesTopUp,
    ReceiptRead,
)
from slivers.payments.expenses.service import ExpenseService


class ExpenseController(Controller):
    path = "/api/v1"
    tags = ["expenses"]

    @post("/expenses/receipts", operation_id="uploadReceipt", status_code=HTTP_201_CREATED)
    async def upload_receipt(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        expenses: NamedDependency[ExpenseService],
    ) -> ReceiptRead:
        """Upload a receipt (PDF, JPEG or PNG, at most 5 MB) as the raw request body."""
        return await expenses.upload_receipt(actor, await request.body())

    @post("/expense-claims", operation_id="submitExpenseClaim", status_code=HTTP_201_CREATED)
    async def submit(
        self,
        data: JSONBody[ExpenseClaimCreate],
        actor: NamedDependency[Actor],
        expenses: NamedDependency[ExpenseService],
    ) -> ExpenseClaimRead:
        """A volunteer claims mileage (45p a mile) and receipted costs; never time."""
        return await expenses.submit(actor, data)

    @post("/expense-claims/{claim_id:uuid}/approve", operation_id="approveExpenseClaim", status_code=200)
    async def approve(
        self,
        claim_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        expenses: NamedDependency[ExpenseService],
    ) -> ExpenseClaimRead:
        """A coordinator of the volunteer's organisation approves; it is paid from the expenses budget."""
        return await expenses.approve(actor, claim_id)

    @post("/expense-claims/{claim_id:uuid}/reject", operation_id="rejectExpenseClaim", status_code=200)
    async def reject(
        self,
        claim_id: FromPath[uuid.UUID],
        data: JSONBody[ExpenseReject],
        actor: NamedDependency[Actor],
        expenses: NamedDependency[ExpenseService],
    ) -> ExpenseClaimRead:
        """A coordinator rejects a claim, saying why."""
        return await expenses.reject(actor, claim_id, data.reason)

    @post(
        "/organisations/{organisation_id:uuid}/expenses-budget/top-ups",
        operation_id="topUpOrganisationExpenses",
        status_code=HTTP_201_CREATED,
    )
    async def top_up(
        self,
        organisation_id: FromPath[uuid.UUID],
        data: JSONBody[OrgExpensesTopUp],
        actor: NamedDependency[Actor],
        expenses: NamedDependency[ExpenseService],
    ) -> OrgExpensesRead:
        """A coordinator adds money to the organisation's volunteer-expenses budget."""
        return await expenses.top_up_org(actor, organisation_id, data)

    @get("/organisations/{organisation_id:uuid}/expenses-budget", operation_id="getOrganisationExpenses")
    async def view(
        self,
        organisation_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        expenses: NamedDependency[ExpenseService],
    ) -> OrgExpensesRead:
        """The organisation's expenses budget: available and spent this month."""
        return await expenses.org_view(actor, organisation_id)
