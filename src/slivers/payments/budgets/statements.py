"""Budget statements for a council's direct-payment review, as CSV or a printable page.

Built from the ledger and the figures stored with each booking, and checked against the ledger to
the penny before it is served.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Person, Worker
from slivers.clock import Clock, to_london
from slivers.payments.budgets.access import load_budget, require_budget_reader
from slivers.payments.budgets.service import check_period, london_midnight
from slivers.payments.ledger.database import DbLedger
from slivers.payments.models import BookingCharge, Budget
from slivers.payments.rules import ledger
from slivers.payments.rules.money import format_gbp
from slivers.payments.rules.statements import (
    Statement,
    VisitDetails,
    check_matches_ledger,
    printable_rows,
    statement_from_ledger,
    to_csv,
)

# Our templates first, then the site's, so the statement extends the site's `base.html`.
_templates = Environment(
    loader=ChoiceLoader(
        [
            FileSystemLoader(Path(__file__).parent / "templates"),
            FileSystemLoader(Path(__file__).parents[2] / "web" / "templates"),
        ]
    ),
    autoescape=select_autoescape(["html"]),
)


class StatementService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def build(
        self, actor: Actor, budget_id: uuid.UUID, period_from: date | None, period_to: date | None
    ) -> tuple[Budget, Statement]:
        budget = await load_budget(self.session, budget_id)
        await require_budget_reader(self.session, actor, budget)
        start, end = check_period(period_from, period_to, self.clock.now())
        posted = await DbLedger(self.session, self.clock).touching(
            [ledger.budget_account(budget.id), ledger.holds_account(budget.id)]
        )
        statement = statement_from_ledger(
            posted,
            budget.id,
            await self._visits(budget.id),
            period_start=london_midnight(start),
            period_end=london_midnight(end),
        )
        check_matches_ledger(statement, posted, budget.id)
        return budget, statement

    async def _visits(self, budget_id: uuid.UUID) -> dict[str, VisitDetails]:
        charges = (
            await self.session.scalars(
                select(BookingCharge).where(
                    BookingCharge.budget_id == budget_id, BookingCharge.cost_pence.is_not(None)
                )
            )
        ).all()
        worker_ids = {c.worker_id for c in charges}
        names: dict[uuid.UUID, str] = {}
        if worker_ids:
            workers = await self.session.scalars(
                select(Worker).where(or_(Worker.id.in_(worker_ids), Worker.user_id.in_(worker_ids)))
            )
            for worker in workers:
                names[worker.id] = names[worker.user_id] = worker.first_name
        return {
            str(c.booking_id): VisitDetails(
                worker_first_name=names.get(c.worker_id, "Worker"),
                minutes=c.actual_minutes or 0,
                rate_pence_per_hour=c.rate_pence_per_hour,
                cost_pence=c.cost_pence or 0,
            )
            for c in charges
            if c.status == "settled"
        }

    async def csv(
        self, actor: Actor, budget_id: uuid.UUID, period_from: date | None, period_to: date | None
    ) -> str:
        return to_csv((await self.build(actor, budget_id, period_from, period_to))[1])

    async def html(
        self,
        actor: Actor,
        budget_id: uuid.UUID,
        period_from: date | None,
        period_to: date | None,
        layout: dict[str, Any] | None = None,
    ) -> str:
        """`layout`: what the site's base template shows (actor, nav, csrf_token_value, current_path)."""
        budget, statement = await self.build(actor, budget_id, period_from, period_to)
        person = await self.session.get(Person, budget.person_id)
        return _templates.get_template("statement.html").render(
            **(layout or {}),
            budget=budget,
            person_name=person.display_name if person else "",
            statement=statement,
            rows=printable_rows(statement),
            gbp=format_gbp,
            london=to_london,
        )
