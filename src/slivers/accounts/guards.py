"""Object-level authorisation: small, named checks against the actor's relation to the object.

A person who is not in the circle at all gets 404 (we do not confirm that the record exists);
a circle member without the permission gets 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import CircleMember, CirclePermission, Person
from slivers.errors import Forbidden, NotFound
from slivers.hooks import WorkerRelationCheck

PERMISSION_WORDS = {
    CirclePermission.VIEW: "see this person's details",
    CirclePermission.REQUEST: "ask for help or book for this person",
    CirclePermission.APPROVE: "approve timesheets or spending for this person",
    CirclePermission.MANAGE: "change who is in this person's circle",
}


async def circle_membership(
    session: AsyncSession, person_id: uuid.UUID, user_id: uuid.UUID
) -> CircleMember | None:
    member: CircleMember | None = await session.scalar(
        select(CircleMember).where(CircleMember.person_id == person_id, CircleMember.user_id == user_id)
    )
    return member


async def require_circle_permission(
    session: AsyncSession, actor: Actor, person_id: uuid.UUID, permission: CirclePermission
) -> tuple[Person, CircleMember]:
    person = await session.get(Person, person_id)
    member = await circle_membership(session, person_id, actor.user_id) if person else None
    if person is None or member is None:
        raise NotFound("We cannot find that person.", field="person_id", rule="not_found")
    if permission not in member.permissions():
        raise Forbidden(
            f"You are in this person's circle but may not {PERMISSION_WORDS[permission]}.",
            rule=f"needs_{permission.value}",
        )
    return person, member


async def works_for(
    session: AsyncSession, checks: Sequence[WorkerRelationCheck], user_id: uuid.UUID, person_id: uuid.UUID
) -> bool:
    """Whether any check (the market's bookings: `Hooks.worker_relation_checks`) says the user works for
    the person; such a worker may never hold `approve` or `manage` in that person's circle (design 2)."""
    for check in checks:
        if await check(session, user_id, person_id):
            return True
    return False
