"""The extension points a lower domain offers and a higher one fills, as typed fields.

Accounts must refuse `approve`/`manage` to a worker who works for the person, but bookings belong
to the market above it; vetting must tell the market when a worker may no longer work; notifications
send every domain's wording; the http layer words the database constraints the domains own, and asks
accounts who is signed in. None of them imports the domain above: `slivers.assembly.domain_hooks`
fills one `Hooks` per process, explicitly, `Wiring.build` requires it, and services take the fields
they call. Nothing registers itself on import, so every process (web, scheduler, CLI) has them all.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.identity import ActorResolver

# (session, user_id, person_id) -> whether the user works (or has worked) for the person (design 2).
WorkerRelationCheck = Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[bool]]
# (session, clock, worker_id, reason, since) -> how many bookings the handler changed (design 3.3).
# `reason` is "suspended", "credential_lapsed" or "credential_revoked"; `since` is when it took effect.
WorkerLostHandler = Callable[[AsyncSession, Clock, uuid.UUID, str, datetime], Awaitable[int]]
# template name -> (subject, body), bodies with `str.format` fields from the message data.
Templates = Mapping[str, tuple[str, str]]
# database constraint name -> what a person is told when a write breaks it (the 409's detail).
ConstraintMessages = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Hooks:
    worker_relation_checks: tuple[WorkerRelationCheck, ...]
    worker_lost_handlers: tuple[WorkerLostHandler, ...]
    notification_templates: Templates
    # The invariants the database enforces as the last line of defence, in the domain that owns them
    # (market.rules.invariants); the http layer's integrity-error handler only looks them up.
    constraint_messages: ConstraintMessages
    # Who is signed in, read from accounts' sessions and tokens for the http layer below it.
    resolve_actor: ActorResolver
