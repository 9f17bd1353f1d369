"""Posting and reading requests (design 4.2). A series is expanded into occurrences over a bounded
horizon and each occurrence is checked on its own; one that cannot be covered is reported."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.guards import require_circle_permission
from slivers.accounts.models import CirclePermission, Worker
from slivers.audit.service import record
from slivers.clock import LONDON, Clock, ensure_utc
from slivers.errors import InvalidInput, NotFound
from slivers.market.candidates.schemas import ProblemRead
from slivers.market.candidates.service import rank_slot
from slivers.market.candidates.slot import Slot
from slivers.market.models import Booking, CareRequest, RequestOccurrence
from slivers.market.requests.schemas import (
    COVERAGE_COUNT_LIMIT,
    CoverageRead,
    OccurrenceRead,
    RequestCreate,
    RequestRead,
)
from slivers.market.rules.intervals import clock_change_note, london_date
from slivers.market.rules.invariants import SEATED_STATES
from slivers.market.rules.places import place_of, task_types_checked
from slivers.market.rules.series import (
    Occurrence,
    SkippedOccurrence,
    WeeklySeries,
    expand,
    validate_series,
    validate_slot,
)

# How far ahead a series is expanded; it also stops at 52 occurrences. Longer needs are re-posted.
SERIES_HORIZON = timedelta(days=366)


def normalise_requirements(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Strings compare case-insensitively with workers' attributes, which are stored lower-case."""

    def norm(value: Any) -> Any:
        if isinstance(value, str):
            return value.strip().lower()
        if isinstance(value, list):
            return sorted({norm(item) for item in value})
        return value

    return {key.strip().lower(): norm(value) for key, value in raw.items()}


class RequestService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def create(self, actor: Actor, data: RequestCreate) -> RequestRead:
        person, _ = await require_circle_permission(
            self.session, actor, data.person_id, CirclePermission.REQUEST
        )
        now = self.clock.now()
        place = place_of(data.postcode or person.home_postcode, field="postcode")
        tasks = task_types_checked(data.task_types, field="task_types")
        await self._check_workers(data)
        if data.budget_id is not None:
            await self._check_budget(data.budget_id, person.id)
        slots, skipped = self._slots(data, now)
        request = CareRequest(
            person_id=person.id,
            created_by_id=actor.user_id,
            task_types=tasks,
            postcode=place.postcode,
            lat=place.lat,
            lon=place.lon,
            nation=place.nation.value,
            workers_needed=data.workers_needed,
            hard_requirements=normalise_requirements(
                person.hard_requirements if data.hard_requirements is None else data.hard_requirements
            ),
            preferred_worker_ids=[str(i) for i in dict.fromkeys(data.preferred_worker_ids)],
            blocked_worker_ids=[str(i) for i in dict.fromkeys(data.blocked_worker_ids)],
            max_rate_pence=data.max_rate_pence,
            budget_id=data.budget_id,
            volunteers_first=data.volunteers_first,
            series=None
            if data.series is None
            else {
                "weekdays": sorted(set(data.series.weekdays)),
                "start_time": data.series.start_time.isoformat(),
                "end_time": data.series.end_time.isoformat(),
                "from_date": data.series.from_date.isoformat(),
                "until_date": data.series.until_date.isoformat() if data.series.until_date else None,
            },
            notes=data.notes,
            status="open",
        )
        self.session.add(request)
        await self.session.flush()
        rows = [
            RequestOccurrence(
                request_id=request.id,
                position=index,
                start_at=start,
                end_at=end,
                workers_needed=data.workers_needed,
            )
            for index, (start, end) in enumerate(slots)
        ]
        self.session.add_all(rows)
        await self.session.flush()
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="request.created",
            subject_type="request",
            subject_id=request.id,
            data={"occurrences": len(rows)},
        )
        coverage = [await self._coverage(Slot(request, row, person), now) for row in rows]
        coverage.extend(_skipped_coverage(day) for day in skipped)
        coverage.sort(key=lambda report: report.start)
        read = await self.read(request)
        read.coverage = coverage
        return read

    def _slots(
        self, data: RequestCreate, now: datetime
    ) -> tuple[list[tuple[datetime, datetime]], list[SkippedOccurrence]]:
        """The occurrences to store, and the series' days whose visit a clock change takes away."""
        if data.series is None:
            assert data.start is not None
            assert data.end is not None
            errors = validate_slot(data.start, data.end, now)
            if errors:
                raise InvalidInput(
                    errors[0].message[0].upper() + errors[0].message[1:] + ".",
                    field=errors[0].field,
                    rule=errors[0].rule,
                )
            return [(ensure_utc(data.start), ensure_utc(data.end))], []
        series = WeeklySeries(
            frozenset(data.series.weekdays),
            data.series.start_time,
            data.series.end_time,
            data.series.from_date,
            data.series.until_date,
            data.series.max_occurrences,
        )
        errors = validate_series(series)
        if errors:
            raise InvalidInput(errors[0].message, field=f"series.{errors[0].field}", rule=errors[0].rule)
        expanded = [o for o in expand(series, london_date(now + SERIES_HORIZON)) if o.start >= now]
        found = [o for o in expanded if isinstance(o, Occurrence)]
        if not found:
            raise InvalidInput(
                "This series has no visits in the coming year.", field="series", rule="no_occurrences"
            )
        return [(o.start, o.end) for o in found], [o for o in expanded if isinstance(o, SkippedOccurrence)]

    async def _check_workers(self, data: RequestCreate) -> None:
        both = set(data.preferred_worker_ids) & set(data.blocked_worker_ids)
        if both:
            raise InvalidInput(
                "A worker cannot be both preferred and blocked.",
                field="blocked_worker_ids",
                rule="preferred_and_blocked",
            )
        for field, ids in (
            ("preferred_worker_ids", data.preferred_worker_ids),
            ("blocked_worker_ids", data.blocked_worker_ids),
        ):
            if ids:
                known = await self.session.scalar(
                    select(func.count(Worker.id)).where(Worker.id.in_(set(ids)))
                )
                if known != len(set(ids)):
                    raise InvalidInput(
                        "One of these workers does not exist.", field=field, rule="unknown_worker"
                    )

    async def _check_budget(self, budget_id: uuid.UUID, person_id: uuid.UUID) -> None:
        from slivers.payments.models import Budget

        owner = await self.session.scalar(select(Budget.person_id).where(Budget.id == budget_id))
        if owner != person_id:
            raise InvalidInput(
                "That budget is not one of this person's budgets.",
                field="budget_id",
                rule="not_persons_budget",
            )

    async def _coverage(self, slot: Slot, now: datetime) -> CoverageRead:
        occurrence = slot.occurrence
        problems = [
            ProblemRead(rule=error.rule, detail=error.message)
            for error in validate_slot(occurrence.start_at, occurrence.end_at, now)
        ]
        count = 0
        if not problems:
            # Counting stops at COVERAGE_COUNT_LIMIT: a series checks every occurrence (up to a year
            # of them) when it is posted, and "10 or more" says enough about an occurrence.
            limit = max(occurrence.workers_needed, COVERAGE_COUNT_LIMIT)
            candidates, _ = await rank_slot(self.session, slot, now, limit)
            count = len(candidates)
            if count < occurrence.workers_needed:
                problems.append(
                    ProblemRead(
                        rule="no_candidates",
                        detail=f"{count} eligible worker(s), {occurrence.workers_needed} needed at this time",
                    )
                )
        return CoverageRead(
            occurrence_id=occurrence.id,
            position=occurrence.position,
            local_date=london_date(occurrence.start_at),
            start=occurrence.start_at,
            coverable=not problems,
            candidates=count,
            problems=problems,
        )

    async def get(self, actor: Actor, request_id: uuid.UUID) -> RequestRead:
        request = await self.session.get(CareRequest, request_id)
        if request is None:
            raise NotFound("We cannot find that request.", field="request_id", rule="not_found")
        await require_circle_permission(self.session, actor, request.person_id, CirclePermission.VIEW)
        return await self.read(request)

    async def read(self, request: CareRequest) -> RequestRead:
        rows = (
            await self.session.scalars(
                select(RequestOccurrence)
                .where(RequestOccurrence.request_id == request.id)
                .order_by(RequestOccurrence.position)
            )
        ).all()
        booked = dict(
            (
                await self.session.execute(
                    select(Booking.occurrence_id, func.count(Booking.id))
                    .where(Booking.request_id == request.id, Booking.status.in_(SEATED_STATES))
                    .group_by(Booking.occurrence_id)
                )
            )
            .tuples()
            .all()
        )
        now = self.clock.now()
        return RequestRead(
            id=request.id,
            person_id=request.person_id,
            status=request.status,
            task_types=list(request.task_types),
            postcode=request.postcode,
            workers_needed=request.workers_needed,
            hard_requirements=dict(request.hard_requirements),
            preferred_worker_ids=[uuid.UUID(i) for i in request.preferred_worker_ids],
            blocked_worker_ids=[uuid.UUID(i) for i in request.blocked_worker_ids],
            max_rate_pence=request.max_rate_pence,
            budget_id=request.budget_id,
            volunteers_first=request.volunteers_first,
            occurrences=[_occurrence_read(row, booked.get(row.id, 0), now) for row in rows],
        )


def _skipped_coverage(skipped: SkippedOccurrence) -> CoverageRead:
    """A day of the series with no visit to store: reported among the others, uncoverable, saying why."""
    return CoverageRead(
        occurrence_id=None,
        position=None,
        local_date=skipped.local_date,
        start=skipped.start,
        coverable=False,
        candidates=0,
        problems=[ProblemRead(rule=skipped.error.rule, detail=skipped.error.message)],
    )


def _occurrence_read(row: RequestOccurrence, booked: int, now: datetime) -> OccurrenceRead:
    local = row.start_at.astimezone(LONDON)
    status = "filled" if booked >= row.workers_needed else ("past" if row.start_at <= now else "open")
    return OccurrenceRead(
        id=row.id,
        position=row.position,
        start=row.start_at,
        end=row.end_at,
        local_date=local.date(),
        local_start_time=local.time().replace(tzinfo=None),
        minutes=int((row.end_at - row.start_at) // timedelta(minutes=1)),
        clock_change=clock_change_note(row.start_at, row.end_at),
        workers_needed=row.workers_needed,
        workers_booked=booked,
        status=status,
        cover_needed=row.cover_needed_since is not None,
    )
