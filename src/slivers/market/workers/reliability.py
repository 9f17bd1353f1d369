"""Reliability strikes in the database: recorded once per booking, read by the worker (with the
reason), counted by candidate search, and cleared for new bookings by a coordinator's review."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Exists, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Worker
from slivers.audit.service import record
from slivers.clock import Clock
from slivers.errors import Forbidden, NotFound
from slivers.market.models import ReliabilityStrike, WorkerMarketProfile
from slivers.market.rules.reliability import (
    STRIKE_POINTS,
    STRIKE_WINDOW,
    Strike,
    StrikeKind,
    is_paused,
    strike_points,
)
from slivers.market.workers.schemas import ReliabilityRead, StrikeRead

# Strikes older than this cannot matter to a pause any more (a pause needs 3 points in 30 days).
_LOOKBACK = 2 * STRIKE_WINDOW


async def add_strike(
    session: AsyncSession,
    *,
    worker_id: uuid.UUID,
    booking_id: uuid.UUID,
    kind: StrikeKind,
    at: datetime,
    reason: str,
) -> None:
    existing = await session.scalar(
        select(ReliabilityStrike.id).where(
            ReliabilityStrike.booking_id == booking_id, ReliabilityStrike.kind == kind.value
        )
    )
    if existing is None:
        session.add(
            ReliabilityStrike(
                worker_id=worker_id, booking_id=booking_id, kind=kind.value, at=at, reason=reason
            )
        )


def strikes_counted_since(now: datetime) -> datetime:
    """The oldest strike `strikes_by_worker` loads (and reliability can count) at `now`."""
    return now - _LOOKBACK


def has_recent_strikes(worker_id: Any, since: Any) -> Exists:
    """SQL: the worker (a column) has strikes after `since` (`strikes_counted_since`, or a bound
    parameter for it); most workers have none, so their strikes need not be loaded."""
    return exists().where(ReliabilityStrike.worker_id == worker_id, ReliabilityStrike.at > since)


async def strikes_by_worker(
    session: AsyncSession, worker_ids: Iterable[uuid.UUID], now: datetime
) -> dict[uuid.UUID, list[Strike]]:
    found: dict[uuid.UUID, list[Strike]] = defaultdict(list)
    ids = list(worker_ids)
    if not ids:
        return found
    rows = await session.execute(
        select(ReliabilityStrike.worker_id, ReliabilityStrike.at, ReliabilityStrike.kind).where(
            ReliabilityStrike.worker_id.in_(ids), ReliabilityStrike.at > now - _LOOKBACK
        )
    )
    for worker_id, at, kind in rows:
        found[worker_id].append(Strike(at, StrikeKind(kind)))
    return found


async def reliability_of(session: AsyncSession, worker_id: uuid.UUID, now: datetime) -> ReliabilityRead:
    reviewed_at = await session.scalar(
        select(WorkerMarketProfile.reliability_reviewed_at).where(WorkerMarketProfile.worker_id == worker_id)
    )
    rows = (
        await session.scalars(
            select(ReliabilityStrike)
            .where(ReliabilityStrike.worker_id == worker_id, ReliabilityStrike.at > now - _LOOKBACK)
            .order_by(ReliabilityStrike.at.desc())
        )
    ).all()
    strikes = [Strike(row.at, StrikeKind(row.kind)) for row in rows]
    return ReliabilityRead(
        points_last_30_days=strike_points(strikes, now),
        paused=is_paused(strikes, now, reviewed_at),
        reviewed_at=reviewed_at,
        strikes=[
            StrikeRead(
                at=row.at, kind=row.kind, points=STRIKE_POINTS[StrikeKind(row.kind)], reason=row.reason
            )
            for row in rows
        ],
    )


def reliability_score(strikes: Iterable[Strike], now: datetime) -> float:
    """For ranking only: 1.0 with no recent strikes, less by a tenth per point in the last 60 days."""
    since = now - timedelta(days=60)
    points = sum(strike.points for strike in strikes if since < strike.at <= now)
    return max(0.0, 1.0 - 0.1 * points)


async def review(
    session: AsyncSession, clock: Clock, actor: Actor, worker_id: uuid.UUID, note: str
) -> ReliabilityRead:
    """A coordinator of the worker's organisation has looked at the strikes: new bookings resume."""
    worker = await session.get(Worker, worker_id)
    if worker is None:
        raise NotFound("We cannot find that worker.", field="worker_id", rule="not_found")
    if not actor.has_org_role(worker.organisation_id, "coordinator"):
        raise Forbidden(
            "Only a coordinator of this worker's organisation can review them.", rule="needs_coordinator"
        )
    profile = await session.scalar(
        select(WorkerMarketProfile).where(WorkerMarketProfile.worker_id == worker_id)
    )
    if profile is None:
        raise NotFound("This worker has not set up their profile yet.", field="worker_id", rule="no_profile")
    profile.reliability_reviewed_at = clock.now()
    profile.reliability_reviewed_by_id = actor.user_id
    await record(
        session,
        clock,
        actor_id=actor.user_id,
        action="worker.reliability_reviewed",
        subject_type="worker",
        subject_id=worker_id,
        reason=note,
    )
    return await reliability_of(session, worker_id, clock.now())
