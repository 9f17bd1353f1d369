"""Matching runs for coordinators: queue, read, and apply (turn assignments into offers)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Worker
from slivers.audit.service import record
from slivers.clock import Clock
from slivers.errors import Conflict, DomainError, Forbidden, NotFound
from slivers.market.booking.service import BookingService
from slivers.market.models import CareRequest, RequestOccurrence
from slivers.matching.models import MatchingRun
from slivers.matching.schemas import MatchingRunCreate, MatchingRunRead


def run_read(run: MatchingRun) -> MatchingRunRead:
    return MatchingRunRead(
        id=run.id,
        organisation_id=run.organisation_id,
        status=run.status,
        mode=run.mode,
        horizon_start=run.horizon_start,
        horizon_end=run.horizon_end,
        districts=run.districts,
        time_limit_s=run.time_limit_s,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        summary=run.summary,
        assignments=run.assignments,
        unfilled=run.unfilled,
        error=run.error,
        applied_at=run.applied_at,
        offers_made=run.offers_made,
    )


class MatchingService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def queue(self, actor: Actor | None, data: MatchingRunCreate) -> MatchingRun:
        if actor is not None and not actor.has_org_role(data.organisation_id, "coordinator"):
            raise Forbidden(
                "Only a coordinator of this organisation can run matching for it.",
                field="organisation_id",
                rule="needs_coordinator",
            )
        run = MatchingRun(
            organisation_id=data.organisation_id,
            requested_by_id=actor.user_id if actor else None,
            status="queued",
            mode=data.mode,
            horizon_start=data.horizon_start,
            horizon_end=data.horizon_end,
            districts=sorted({d.upper() for d in data.districts}),
            time_limit_s=data.time_limit_s,
        )
        self.session.add(run)
        await self.session.flush()
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id if actor else None,
            action="matching.queued",
            subject_type="matching_run",
            subject_id=run.id,
            data={"mode": data.mode},
        )
        return run

    async def visible(self, actor: Actor, run_id: uuid.UUID) -> MatchingRun:
        run = await self.session.get(MatchingRun, run_id)
        if run is None or not actor.has_org_role(run.organisation_id, "coordinator"):
            raise NotFound("We cannot find that matching run.", field="run_id", rule="not_found")
        return run

    async def apply(self, actor: Actor | None, run: MatchingRun) -> MatchingRun:
        """Send an offer for every assignment. Whatever changed since the solve (a seat filled, a worker
        booked elsewhere or no longer eligible) is skipped: the market re-checks every rule on accept."""
        if run.status != "done":
            raise Conflict("This run has not finished yet.", rule="not_finished")
        if run.applied_at is not None:
            raise Conflict("The offers from this run were already sent.", rule="already_applied")
        now = self.clock.now()
        bookings = BookingService(self.session, self.clock)
        made = 0
        for occurrence_key, worker_keys in run.assignments.items():
            occurrence = await self.session.get(RequestOccurrence, uuid.UUID(occurrence_key))
            request = await self.session.get(CareRequest, occurrence.request_id) if occurrence else None
            if occurrence is None or request is None or request.status != "open":
                continue
            for worker_key in worker_keys:
                worker = await self.session.get(Worker, uuid.UUID(worker_key))
                if worker is None:
                    continue
                try:
                    async with self.session.begin_nested():
                        await bookings.propose(
                            request.created_by_id, request.id, occurrence.id, worker, now, is_cover=False
                        )
                    made += 1
                except DomainError:
                    continue
        run.applied_at = now
        run.offers_made = made
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id if actor else None,
            action="matching.applied",
            subject_type="matching_run",
            subject_id=run.id,
            data={"offers": made},
        )
        return run
