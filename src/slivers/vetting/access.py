"""Who may see and decide what in vetting: small named checks on the object (design 2).

A coordinator's powers apply only to workers whose vetting organisation is theirs. Someone with no
relation to a worker gets 404, so a stranger cannot learn who is on Slivers; a worker acting on their
own vetting gets 403 with the reason.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import OrganisationMember, OrgRole, Worker
from slivers.errors import Forbidden, NotFound

COORDINATOR = OrgRole.COORDINATOR.value


async def own_worker(session: AsyncSession, actor: Actor) -> Worker:
    worker = await session.scalar(select(Worker).where(Worker.user_id == actor.user_id))
    if worker is None:
        raise NotFound("You have no worker or volunteer profile.", rule="no_worker_profile")
    return worker


def is_coordinator_of(actor: Actor, worker: Worker) -> bool:
    return actor.has_org_role(worker.organisation_id, COORDINATOR)


async def worker_seen_by(session: AsyncSession, actor: Actor, worker_id: uuid.UUID) -> Worker:
    """The worker, if `actor` is that worker or one of their organisation's coordinators."""
    worker = await session.get(Worker, worker_id)
    if worker is None or (worker.user_id != actor.user_id and not is_coordinator_of(actor, worker)):
        raise NotFound("We cannot find that worker.", field="worker_id", rule="not_found")
    return worker


async def worker_coordinated_by(session: AsyncSession, actor: Actor, worker_id: uuid.UUID) -> Worker:
    """The worker, if `actor` coordinates their organisation and is not the worker themself."""
    worker = await worker_seen_by(session, actor, worker_id)
    require_decider(actor, worker)
    return worker


def require_decider(actor: Actor, worker: Worker) -> None:
    """Vetting decisions are a coordinator's, and never about themself (even a coordinator who works)."""
    if worker.user_id == actor.user_id:
        raise Forbidden(
            "You cannot make vetting decisions about yourself. Ask another coordinator.", rule="own_vetting"
        )
    if not is_coordinator_of(actor, worker):
        raise NotFound("We cannot find that worker.", field="worker_id", rule="not_found")


async def coordinator_ids(session: AsyncSession, organisation_id: uuid.UUID | None) -> list[uuid.UUID]:
    if organisation_id is None:
        return []
    rows = await session.scalars(
        select(OrganisationMember.user_id).where(
            OrganisationMember.organisation_id == organisation_id, OrganisationMember.role == COORDINATOR
        )
    )
    return sorted(set(rows))
