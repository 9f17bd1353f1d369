"""A person's budgets: balance, committed, available, hours remaining, and the statement to download
or print. The payments services decide who may read them (the circle with `view`, the funder)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from slivers.accounts.actor import Actor
from slivers.accounts.deps import provide_person_service
from slivers.accounts.person_service import PersonService
from slivers.http.rendering import render
from slivers.payments.budgets.service import BudgetService
from slivers.payments.budgets.statements import StatementService
from slivers.payments.deps import provide_budget_service, provide_statement_service
from slivers.web.words import day_words, pounds

KIND_WORDS = {
    "direct_payment": "Direct payment from the council",
    "carers_break": "Carer's break grant",
    "self_funded": "Paid for privately",
}


class BudgetPages(Controller):
    tags = ["pages"]
    include_in_schema = False
    dependencies = {
        "persons": Provide(provide_person_service, sync_to_thread=False),
        "budgets": Provide(provide_budget_service, sync_to_thread=False),
        "statements": Provide(provide_statement_service, sync_to_thread=False),
    }

    @get("/people/{person_id:uuid}/budgets", operation_id="pageBudgets")
    async def budgets_page(
        self,
        request: Request[Any, Any, Any],
        person_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
        budgets: NamedDependency[BudgetService],
    ) -> Response[Any]:
        """Each budget: balance, committed, available, hours remaining, and its statement."""
        person = await persons.get(actor, person_id)
        found = await budgets.list_for_person(actor, person_id)
        return render(
            request,
            "budget/list.html",
            actor=actor,
            context={
                "person": person,
                "budgets": [
                    {
                        "b": b,
                        "kind": KIND_WORDS.get(b.kind, b.kind),
                        "balance": pounds(b.balance_pence),
                        "committed": pounds(b.committed_pence),
                        "available": pounds(b.available_pence),
                        "spent": pounds(b.spent_in_period_pence),
                        "period": f"{day_words(b.period_from)} to the day before {day_words(b.period_to)}",
                        "rate": pounds(b.usual_rate_pence_per_hour) if b.usual_rate_pence_per_hour else None,
                    }
                    for b in found
                ],
            },
        )

    @get("/budgets/{budget_id:uuid}/statement.csv", operation_id="pageStatementCsv")
    async def statement_csv(
        self,
        budget_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        statements: NamedDependency[StatementService],
    ) -> Response[str]:
        """This month's statement as a spreadsheet (CSV)."""
        body = await statements.csv(actor, budget_id, None, None)
        return Response(
            body,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="budget-{budget_id}-statement.csv"'},
        )

    @get("/budgets/{budget_id:uuid}/statement", operation_id="pageStatementPrint")
    async def statement_print(
        self,
        budget_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        statements: NamedDependency[StatementService],
    ) -> Response[str]:
        """This month's statement as a printable page (the payments service draws it)."""
        page = await statements.html(actor, budget_id, None, None)
        return Response(page, media_type="text/html")
