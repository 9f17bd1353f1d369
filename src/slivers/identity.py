"""Who is signed in: the value every layer above the foundation may hold, and the cookie that carries it.

Resolving it reads accounts' tables (`slivers.accounts.actor.resolve_actor`); the http layer, which sits
below accounts, calls that through `slivers.hooks.Hooks.resolve_actor`, so no arrow runs back up.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock

SESSION_COOKIE = "slivers_session"


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: uuid.UUID
    email: str
    display_name: str
    account_type: str
    via: str  # "session" | "token"
    org_roles: dict[uuid.UUID, frozenset[str]] = field(default_factory=dict)

    def has_org_role(self, organisation_id: uuid.UUID | None, role: str) -> bool:
        return organisation_id is not None and role in self.org_roles.get(organisation_id, frozenset())

    def orgs_with_role(self, role: str) -> set[uuid.UUID]:
        return {org for org, roles in self.org_roles.items() if role in roles}


class ActorResolver(Protocol):
    """(session, clock, Authorization header, session cookie) -> the signed-in actor, or None."""

    def __call__(
        self, session: AsyncSession, clock: Clock, *, authorization: str | None, session_cookie: str | None
    ) -> Awaitable[Actor | None]: ...
