"""One occurrence of a request, with the request and the person, as candidate search and booking take it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Person
from slivers.errors import InvalidInput, NotFound
from slivers.geo import Nation
from slivers.market.models import CareRequest, RequestOccurrence
from slivers.market.rules.candidates import RequestSnapshot


@dataclass(frozen=True, slots=True)
class Slot:
    request: CareRequest
    occurrence: RequestOccurrence
    person: Person

    def snapshot(self) -> RequestSnapshot:
        request = self.request
        return RequestSnapshot(
            id=self.occurrence.id,
            person_id=request.person_id,
            task_types=frozenset(request.task_types),
            location=(request.lat, request.lon),
            nation=Nation(request.nation),
            start=self.occurrence.start_at,
            end=self.occurrence.end_at,
            workers_needed=self.occurrence.workers_needed,
            hard_requirements=dict(request.hard_requirements),
            preferred_worker_ids=frozenset(uuid.UUID(i) for i in request.preferred_worker_ids),
            blocked_worker_ids=frozenset(uuid.UUID(i) for i in request.blocked_worker_ids),
            max_rate_pence=request.max_rate_pence,
            volunteers_first=request.volunteers_first,
            household_has_child=self.person.household_has_child,
            is_paid=request.budget_id is not None,
        )


async def load_slot(
    session: AsyncSession, request_id: uuid.UUID, occurrence_id: uuid.UUID | None, now: datetime
) -> Slot:
    request = await session.get(CareRequest, request_id)
    if request is None:
        raise NotFound("We cannot find that request.", field="request_id", rule="not_found")
    query = select(RequestOccurrence).where(RequestOccurrence.request_id == request_id)
    if occurrence_id is not None:
        query = query.where(RequestOccurrence.id == occurrence_id)
    else:
        query = query.where(RequestOccurrence.start_at > now)
    occurrence = await session.scalar(query.order_by(RequestOccurrence.position).limit(1))
    if occurrence is None:
        if occurrence_id is not None:
            raise NotFound("That request has no such occurrence.", field="occurrence_id", rule="not_found")
        raise InvalidInput(
            "Every visit of this request has already started.", field="request_id", rule="all_past"
        )
    person = await session.get(Person, request.person_id)
    assert person is not None
    return Slot(request, occurrence, person)
