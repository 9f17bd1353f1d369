"""Who may do what with a budget: small named checks on the actor's relation to the budget.

Someone with no relation to a budget gets 404 (we do not confirm it exists); someone who may see
it but not do this gets 403.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.guards import circle_membership
from slivers.accounts.models import CirclePermission, OrgRole
from slivers.errors import Forbidden, NotFound
from slivers.payments.models import Budget


def _not_found() -> NotFound:
    return NotFound("We cannot find that budget.", field="budget_id", rule="not_found")


async def load_budget(session: AsyncSession, budget_id: uuid.UUID, *, lock: bool = False) -> Budget:
    """The budget row; with `lock`, held FOR UPDATE on PostgreSQL so check-then-post is serialised
    per budget (SQLite's BEGIN IMMEDIATE already serialises every write transaction)."""
    statement = select(Budget).where(Budget.id == budget_id)
    if lock:
        statement = statement.with_for_update()
    budget = await session.scalar(statement)
    if budget is None:
        raise _not_found()
    return budget


def is_funder_officer(actor: Actor, budget: Budget) -> bool:
    return actor.has_org_role(budget.funder_org_id, OrgRole.FUNDER.value)


async def _permissions(session: AsyncSession, actor: Actor, budget: Budget) -> set[CirclePermission]:
    member = await circle_membership(session, budget.person_id, actor.user_id)
    return member.permissions() if member else set()


async def require_budget_reader(session: AsyncSession, actor: Actor, budget: Budget) -> None:
    """The circle (`view`) and the funder's officers read a budget and its statements; nobody else."""
    if is_funder_officer(actor, budget):
        return
    if CirclePermission.VIEW not in await _permissions(session, actor, budget):
        raise _not_found()


async def require_budget_top_up(session: AsyncSession, actor: Actor, budget: Budget) -> None:
    """A funder officer of the funding council; for a self-funded budget, a circle member with `manage`."""
    if is_funder_officer(actor, budget):
        return
    permissions = await _permissions(session, actor, budget)
    if budget.funder_org_id is None and CirclePermission.MANAGE in permissions:
        return
    if CirclePermission.VIEW not in permissions:
        raise _not_found()
    raise Forbidden("Only the budget's funder can add money to it.", rule="not_funder")


async def require_budget_spender(session: AsyncSession, actor: Actor, budget: Budget) -> None:
    """Spending from a budget (approving a timesheet paid from it) needs `approve` in the person's circle."""
    permissions = await _permissions(session, actor, budget)
    if CirclePermission.APPROVE in permissions:
        return
    if CirclePermission.VIEW not in permissions and not is_funder_officer(actor, budget):
        raise _not_found()
    raise Forbidden(
        "You may not approve spending from this budget: that needs 'approve' in the person's circle.",
        rule="needs_approve",
    )
