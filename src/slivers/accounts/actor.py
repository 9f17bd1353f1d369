"""Who is making this request: resolved from a Bearer token or the session cookie."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import ApiToken, OrganisationMember, User, UserSession
from slivers.accounts.tokens import digest
from slivers.clock import Clock
from slivers.errors import NotAuthenticated
from slivers.identity import SESSION_COOKIE, Actor

__all__ = ["SESSION_COOKIE", "Actor", "resolve_actor"]


async def resolve_actor(
    session: AsyncSession, clock: Clock, *, authorization: str | None, session_cookie: str | None
) -> Actor | None:
    """A Bearer token wins over a cookie; an invalid or expired credential is treated as none."""
    now = clock.now()
    user: User | None = None
    via = "session"
    if authorization:
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise NotAuthenticated(
                "Use 'Authorization: Bearer <token>'.", field="authorization", rule="scheme"
            )
        token = (
            await session.execute(select(ApiToken).where(ApiToken.token_hash == digest(credential.strip())))
        ).scalar_one_or_none()
        if token is None or token.revoked_at is not None or (token.expires_at and token.expires_at <= now):
            raise NotAuthenticated(
                "This API token is not valid: it may have expired or been revoked.",
                field="authorization",
                rule="invalid_token",
            )
        token.last_used_at = now
        user = await session.get(User, token.user_id)
        via = "token"
    elif session_cookie:
        row = (
            await session.execute(select(UserSession).where(UserSession.token_hash == digest(session_cookie)))
        ).scalar_one_or_none()
        if row is not None and row.expires_at > now:
            user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    memberships = (
        await session.execute(select(OrganisationMember).where(OrganisationMember.user_id == user.id))
    ).scalars()
    roles: dict[uuid.UUID, set[str]] = {}
    for membership in memberships:
        roles.setdefault(membership.organisation_id, set()).add(membership.role)
    return Actor(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        account_type=user.account_type,
        via=via,
        org_roles={org: frozenset(r) for org, r in roles.items()},
    )
