"""Object-level authorisation: small, named checks against the actor's relation to the object.

A person who is not in the circle at all gets 404 (we do not confirm that the record exists);
a circle member without the permission gets 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import CircleMember, CirclePermission, Person
from slivers.errors import Forbidden, NotFound

PERMISSION_WORDS = {
    CirclePermission.VIEW: "see this person's details",
    CirclePermission.REQUEST: "ask for help or book for this person",
    CirclePermission.APPROVE: "approve timesheets or spending for this person",
    CirclePermission.MANAGE: "change who is in this person's circle",
}

# Checks that say whether a user works (or has worked) for a person. The market registers one;
# a worker who does may never hold `approve` or `manage` in that person's circle (design 2).
WorkerRelationCheck = Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[bool]]
worker_relation_checks: list[WorkerRelationCheck] = []


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


async def works_for(session: AsyncSession, user_id: uuid.UUID, person_id: uuid.UUID) -> bool:
    for check in worker_relation_checks:
        if await check(session, user_id, person_id):
            return True
    return False
