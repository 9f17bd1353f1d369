"""A person's approved reserve (design 4.4): workers the circle trusts to cover when the preferred ones
cannot, offered cover after the preferred workers and before the wider vetted pool. Kept on the
person's preferences (`reserve_worker_ids`), set by a circle member with `manage`."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any

import msgspec
from msgspec import Meta
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.guards import require_circle_permission
from slivers.accounts.models import CirclePermission, Worker
from slivers.audit.service import record
from slivers.clock import Clock
from slivers.errors import InvalidInput

RESERVE_KEY = "reserve_worker_ids"
MAX_RESERVE = 50


class ReserveUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The whole reserve, in the circle's order of preference (it replaces the one before)."""

    worker_ids: Annotated[list[uuid.UUID], Meta(max_length=MAX_RESERVE)]


class ReserveRead(msgspec.Struct, kw_only=True):
    person_id: uuid.UUID
    worker_ids: list[uuid.UUID]


def reserve_of(preferences: Mapping[str, Any] | None) -> list[uuid.UUID]:
    """The reserve kept on a person's preferences (ids that do not parse are ignored)."""
    found: list[uuid.UUID] = []
    for raw in (preferences or {}).get(RESERVE_KEY, ()) or ():
        try:
            found.append(uuid.UUID(str(raw)))
        except ValueError:
            continue
    return found


class ReserveService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def replace(self, actor: Actor, person_id: uuid.UUID, data: ReserveUpdate) -> ReserveRead:
        person, _ = await require_circle_permission(self.session, actor, person_id, CirclePermission.MANAGE)
        ids = list(dict.fromkeys(data.worker_ids))
        if ids:
            known = await self.session.scalar(select(func.count(Worker.id)).where(Worker.id.in_(ids)))
            if known != len(ids):
                raise InvalidInput(
                    "One of these workers does not exist.", field="worker_ids", rule="unknown_worker"
                )
        # A new dict, so the JSON column is seen as changed; other preferences are kept.
        person.preferences = {**(person.preferences or {}), RESERVE_KEY: [str(i) for i in ids]}
        await self.session.flush()
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="person.reserve_updated",
            subject_type="person",
            subject_id=person.id,
            data={"workers": len(ids)},
        )
        return ReserveRead(person_id=person.id, worker_ids=ids)
