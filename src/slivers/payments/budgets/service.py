"""Budgets: create, list, view, top up. Balances always come from the ledger, never from a column.

A budget's "usual rate" is the person's `usual_rate_pence_per_hour` preference when set, otherwise
the rate of their most recent funded booking; without either, hours remaining is not shown.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.guards import circle_membership
from slivers.accounts.models import CirclePermission, Organisation, OrganisationKind, OrgRole, Person
from slivers.audit.service import record
from slivers.clock import LONDON, Clock, to_london
from slivers.errors import Forbidden, InvalidInput, NotFound
from slivers.payments.budgets.access import (
    is_funder_officer,
    load_budget,
    require_budget_reader,
    require_budget_top_up,
)
from slivers.payments.budgets.schemas import BudgetCreate, BudgetRead, TopUpCreate, TopUpRead
from slivers.payments.ledger.database import DbLedger
from slivers.payments.models import BookingCharge, Budget
from slivers.payments.rules import ledger
from slivers.payments.rules.budgets import budget_view


def london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


def default_period(now: datetime) -> tuple[date, date]:
    """The current calendar month in Europe/London: [first day, first day of next month)."""
    today = to_london(now).date()
    first = today.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def check_period(period_from: date | None, period_to: date | None, now: datetime) -> tuple[date, date]:
    start, end = default_period(now)
    start, end = period_from or start, period_to or end
    if end <= start:
        raise InvalidInput("The period must end after it starts", field="to", rule="period_order")
    if (end - start).days > 366 * 5:
        raise InvalidInput("Ask for at most five years at a time", field="to", rule="period_too_long")
    return start, end


class BudgetService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self.ledger = DbLedger(session, clock)

    async def create(self, actor: Actor, person_id: uuid.UUID, data: BudgetCreate) -> BudgetRead:
        person = await self.session.get(Person, person_id)
        member = await circle_membership(self.session, person_id, actor.user_id) if person else None
        if data.kind == "self_funded":
            if data.funder_org_id is not None:
                raise InvalidInput("A self-funded budget has no council funder", field="funder_org_id")
            if person is None or member is None:
                raise NotFound("We cannot find that person.", field="person_id", rule="not_found")
            if CirclePermission.MANAGE not in member.permissions():
                raise Forbidden(
                    "Setting up a self-funded budget needs 'manage' in the circle.", rule="needs_manage"
                )
        else:
            await self._check_funder(actor, person, data.funder_org_id)
        assert person is not None
        budget = Budget(
            person_id=person.id,
            kind=data.kind,
            name=data.name.strip(),
            funder_org_id=data.funder_org_id,
            created_by_id=actor.user_id,
        )
        self.session.add(budget)
        await self.session.flush()
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="budget.created",
            subject_type="budget",
            subject_id=budget.id,
            data={"kind": data.kind, "person_id": str(person.id)},
        )
        return await self.read_model(budget)

    async def _check_funder(
        self, actor: Actor, person: Person | None, funder_org_id: uuid.UUID | None
    ) -> None:
        if funder_org_id is None:
            raise InvalidInput("Say which council funds this budget", field="funder_org_id", rule="required")
        if not actor.has_org_role(funder_org_id, OrgRole.FUNDER.value):
            raise Forbidden(
                "Only a funder officer of that council can set up its budgets.", rule="not_funder"
            )
        org = await self.session.get(Organisation, funder_org_id)
        if org is None or org.kind != OrganisationKind.COUNCIL:
            raise InvalidInput("Only a council funds budgets", field="funder_org_id", rule="not_council")
        if person is None:
            raise NotFound("We cannot find that person.", field="person_id", rule="not_found")
        if person.funder_id is not None and person.funder_id != funder_org_id:
            raise Forbidden("This person is funded by another council.", rule="other_funder")

    async def list_for_person(self, actor: Actor, person_id: uuid.UUID) -> list[BudgetRead]:
        member = await circle_membership(self.session, person_id, actor.user_id)
        budgets = (
            await self.session.scalars(
                select(Budget).where(Budget.person_id == person_id).order_by(Budget.created_at)
            )
        ).all()
        if member is None or CirclePermission.VIEW not in member.permissions():
            budgets = [b for b in budgets if is_funder_officer(actor, b)]
            if not budgets:
                raise NotFound("We cannot find that person.", field="person_id", rule="not_found")
        return [await self.read_model(b) for b in budgets]

    async def get(
        self,
        actor: Actor,
        budget_id: uuid.UUID,
        period_from: date | None = None,
        period_to: date | None = None,
    ) -> BudgetRead:
        budget = await load_budget(self.session, budget_id)
        await require_budget_reader(self.session, actor, budget)
        return await self.read_model(budget, period_from, period_to)

    async def top_up(self, actor: Actor, budget_id: uuid.UUID, data: TopUpCreate) -> TopUpRead:
        budget = await load_budget(self.session, budget_id, lock=True)
        await require_budget_top_up(self.session, actor, budget)
        key = f"topup:{budget.id}:{data.reference}"
        transaction = ledger.top_up(budget.id, budget.funder_owner, data.amount_pence, key, memo=data.memo)
        posted = await self.ledger.post(transaction)
        if posted.transaction != transaction:
            raise InvalidInput(
                "That reference was already used for a different top-up",
                field="reference",
                rule="reference_reused",
            )
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="budget.topped_up",
            subject_type="budget",
            subject_id=budget.id,
            data={"amount_pence": data.amount_pence, "key": key},
        )
        return TopUpRead(
            key=key,
            amount_pence=data.amount_pence,
            posted_at=posted.posted_at,
            budget=await self.read_model(budget),
        )

    async def usual_rate(self, person_id: uuid.UUID) -> int | None:
        person = await self.session.get(Person, person_id)
        preferred = (person.preferences or {}).get("usual_rate_pence_per_hour") if person else None
        if isinstance(preferred, int) and not isinstance(preferred, bool) and preferred > 0:
            return preferred
        rate: int | None = await self.session.scalar(
            select(BookingCharge.rate_pence_per_hour)
            .where(BookingCharge.person_id == person_id)
            .order_by(BookingCharge.starts_at.desc())
            .limit(1)
        )
        return rate

    async def read_model(
        self, budget: Budget, period_from: date | None = None, period_to: date | None = None
    ) -> BudgetRead:
        start, end = check_period(period_from, period_to, self.clock.now())
        posted = await self.ledger.touching(
            [ledger.budget_account(budget.id), ledger.holds_account(budget.id)]
        )
        rate = await self.usual_rate(budget.person_id)
        view = budget_view(
            posted,
            budget.id,
            period_start=london_midnight(start),
            period_end=london_midnight(end),
            rate_pence_per_hour=rate,
        )
        return BudgetRead(
            id=budget.id,
            person_id=budget.person_id,
            kind=budget.kind,
            name=budget.name,
            funder_org_id=budget.funder_org_id,
            balance_pence=view.balance_pence,
            committed_pence=view.committed_pence,
            available_pence=view.available_pence,
            spent_in_period_pence=view.spent_in_period_pence,
            period_from=start,
            period_to=end,
            usual_rate_pence_per_hour=rate,
            hours_remaining=view.hours_remaining,
        )
