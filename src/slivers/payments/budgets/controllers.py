"""HTTP for budgets, top-ups and statements: parse, call one service method, return."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from slivers.accounts.actor import Actor
from slivers.http.rendering import csrf_token_of, navigation_for
from slivers.payments.budgets.schemas import BudgetCreate, BudgetRead, TopUpCreate, TopUpRead
from slivers.payments.budgets.service import BudgetService
from slivers.payments.budgets.statements import StatementService

PeriodFrom = Annotated[date | None, QueryParameter(name="from", description="First day (Europe/London)")]
PeriodTo = Annotated[date | None, QueryParameter(name="to", description="Day after the last (exclusive)")]


class BudgetController(Controller):
    path = "/api/v1"
    tags = ["budgets"]

    @post("/persons/{person_id:uuid}/budgets", operation_id="createBudget", status_code=HTTP_201_CREATED)
    async def create(
        self,
        person_id: FromPath[uuid.UUID],
        data: JSONBody[BudgetCreate],
        actor: NamedDependency[Actor],
        budgets: NamedDependency[BudgetService],
    ) -> BudgetRead:
        """Set up a budget for a person: a council's funder officer, or the circle for self-funding."""
        return await budgets.create(actor, person_id, data)

    @get("/persons/{person_id:uuid}/budgets", operation_id="listBudgets")
    async def list_for_person(
        self,
        person_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        budgets: NamedDependency[BudgetService],
    ) -> list[BudgetRead]:
        """A person's budgets with balance, committed, available and this month's spending."""
        return await budgets.list_for_person(actor, person_id)

    @get("/budgets/{budget_id:uuid}", operation_id="getBudget")
    async def get_budget(
        self,
        budget_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        budgets: NamedDependency[BudgetService],
        period_from: PeriodFrom = None,
        period_to: PeriodTo = None,
    ) -> BudgetRead:
        """One budget's view; spending counts the period (default: this calendar month)."""
        return await budgets.get(actor, budget_id, period_from, period_to)

    @post("/budgets/{budget_id:uuid}/top-ups", operation_id="topUpBudget", status_code=HTTP_201_CREATED)
    async def top_up(
        self,
        budget_id: FromPath[uuid.UUID],
        data: JSONBody[TopUpCreate],
        actor: NamedDependency[Actor],
        budgets: NamedDependency[BudgetService],
    ) -> TopUpRead:
        """Add money from the funder; the same reference sent again adds nothing."""
        return await budgets.top_up(actor, budget_id, data)

    @get(
        "/budgets/{budget_id:uuid}/statement",
        operation_id="getBudgetStatement",
        responses={
            200: ResponseSpec(
                str,
                media_type="text/*",
                description="The statement as text/csv, or text/html with format=html.",
                generate_examples=False,
            )
        },
    )
    async def statement(
        self,
        request: Request[Any, Any, Any],
        budget_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        statements: NamedDependency[StatementService],
        period_from: PeriodFrom = None,
        period_to: PeriodTo = None,
        format: Annotated[Literal["csv", "html"], QueryParameter(name="format")] = "csv",
    ) -> Response[str]:
        """The period's visits, fees, top-ups and holds with running balances, as CSV or a printable page."""
        if format == "html":
            layout = {
                "actor": actor,
                "nav": navigation_for(actor),
                "current_path": request.url.path,
                "csrf_token_value": csrf_token_of(request),
            }
            page = await statements.html(actor, budget_id, period_from, period_to, layout)
            return Response(page, media_type="text/html")
        body = await statements.csv(actor, budget_id, period_from, period_to)
        return Response(
            body,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="budget-{budget_id}-statement.csv"'},
        )
