"""Reading volunteer expense claims: a volunteer's own claims, and the claims waiting for a decision
in the organisations a coordinator coordinates. `expense_service` submits and decides; this only lists.

Authorisation is on the objects: a volunteer sees claims they made; a coordinator sees a claim only
when its organisation is one they coordinate (asking for another organisation is a 404, so its
existence is not confirmed)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import OrgRole, User, Worker
from slivers.errors import Forbidden, NotFound
from slivers.payments.expenses.schemas import ExpenseItemRead
from slivers.payments.models import ExpenseClaimRow

MAX_LISTED = 100


class Claimant(msgspec.Struct, frozen=True, kw_only=True):
    """The volunteer who may claim, and the organisation their claims go to (None until they choose)."""

    worker_id: uuid.UUID
    organisation_id: uuid.UUID | None


class ClaimListed(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    volunteer_user_id: uuid.UUID
    volunteer_name: str
    organisation_id: uuid.UUID
    status: str
    total_pence: int
    items: list[ExpenseItemRead]
    rejection_reason: str | None
    submitted_at: datetime
    decided_at: datetime | None


def _listed(row: ExpenseClaimRow, name: str) -> ClaimListed:
    return ClaimListed(
        id=row.id,
        volunteer_user_id=row.volunteer_user_id,
        volunteer_name=name,
        organisation_id=row.organisation_id,
        status=row.status,
        total_pence=row.total_pence,
        items=[msgspec.convert(item, ExpenseItemRead) for item in row.items],
        rejection_reason=row.rejection_reason,
        submitted_at=row.created_at,
        decided_at=row.decided_at,
    )


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LISTED))


class ExpenseListing:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claimant(self, actor: Actor) -> Claimant:
        """The actor as a volunteer who may claim expenses; 403 for anyone else."""
        worker = await self.session.scalar(select(Worker).where(Worker.user_id == actor.user_id))
        if worker is None or worker.kind != "volunteer":
            raise Forbidden(
                "Expenses are for volunteers. Paid workers are paid for their time.", rule="not_volunteer"
            )
        return Claimant(worker_id=worker.id, organisation_id=worker.organisation_id)

    async def mine(self, actor: Actor, *, limit: int = 30) -> list[ClaimListed]:
        """The volunteer's own claims, newest first."""
        await self.claimant(actor)
        rows = await self.session.execute(
            select(ExpenseClaimRow, User.display_name)
            .join(User, User.id == ExpenseClaimRow.volunteer_user_id)
            .where(ExpenseClaimRow.volunteer_user_id == actor.user_id)
            .order_by(ExpenseClaimRow.created_at.desc(), ExpenseClaimRow.id.desc())
            .limit(_limit(limit))
        )
        return [_listed(row, name) for row, name in rows.tuples()]

    async def waiting(
        self,
        actor: Actor,
        *,
        organisation_ids: Collection[uuid.UUID] | None = None,
        limit: int = MAX_LISTED,
    ) -> list[ClaimListed]:
        """Claims waiting for a decision in the organisations the actor coordinates (or those of them
        asked for), oldest first."""
        mine = actor.orgs_with_role(OrgRole.COORDINATOR.value)
        if not mine:
            raise Forbidden("Only a coordinator can decide expense claims.", rule="needs_coordinator")
        if organisation_ids is not None:
            for organisation_id in organisation_ids:
                if organisation_id not in mine:
                    raise NotFound(
                        "We cannot find that organisation.", field="organisation_id", rule="not_found"
                    )
            mine = set(organisation_ids)
        rows = await self.session.execute(
            select(ExpenseClaimRow, User.display_name)
            .join(User, User.id == ExpenseClaimRow.volunteer_user_id)
            .where(ExpenseClaimRow.organisation_id.in_(mine), ExpenseClaimRow.status == "submitted")
            .order_by(ExpenseClaimRow.created_at, ExpenseClaimRow.id)
            .limit(_limit(limit))
        )
        listed = []
        for row, name in rows.tuples():
            if actor.has_org_role(row.organisation_id, OrgRole.COORDINATOR.value):  # on the object too
                listed.append(_listed(row, name))
        return listed
