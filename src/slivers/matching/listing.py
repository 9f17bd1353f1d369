"""What the coordinator's matching pages show beside a run: reads only, for the coordinator's own
organisations. The matching service queues and applies; this names the organisations, the recent runs,
and the visits and workers a run speaks of by id."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Organisation, Worker
from slivers.market.models import CareRequest, RequestOccurrence
from slivers.matching.models import MatchingRun


@dataclass(frozen=True, slots=True)
class VisitPlace:
    """When a visit is and its postcode district (the desk names nobody here)."""

    start: datetime
    end: datetime
    district: str


class MatchingListing:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def coordinated_organisations(self, actor: Actor) -> list[tuple[str, str]]:
        """(id, name) of the organisations where this person is a coordinator, by name."""
        ids = actor.orgs_with_role("coordinator")
        if not ids:
            return []
        rows = await self.session.execute(
            select(Organisation.id, Organisation.name)
            .where(Organisation.id.in_(ids))
            .order_by(Organisation.name)
        )
        return [(str(org_id), name) for org_id, name in rows.tuples()]

    async def recent_runs(self, actor: Actor, limit: int) -> list[MatchingRun]:
        """The latest runs of the organisations this person coordinates, newest first."""
        runs = await self.session.scalars(
            select(MatchingRun)
            .where(MatchingRun.organisation_id.in_(actor.orgs_with_role("coordinator")))
            .order_by(MatchingRun.created_at.desc())
            .limit(limit)
        )
        return list(runs)

    async def visits(self, keys: Iterable[str]) -> dict[str, VisitPlace]:
        """The occurrences a run names, by their id as the run keeps it."""
        ids = [uuid.UUID(key) for key in keys]
        if not ids:
            return {}
        rows = await self.session.execute(
            select(
                RequestOccurrence.id,
                RequestOccurrence.start_at,
                RequestOccurrence.end_at,
                CareRequest.postcode,
            )
            .join(CareRequest, CareRequest.id == RequestOccurrence.request_id)
            .where(RequestOccurrence.id.in_(ids))
        )
        return {
            str(key): VisitPlace(start, end, postcode.split(" ")[0])
            for key, start, end, postcode in rows.tuples()
        }

    async def worker_names(self, assignments: dict[str, list[str]]) -> dict[str, str]:
        """The first names of the workers a run assigns, by worker id."""
        ids = {uuid.UUID(w) for workers in assignments.values() for w in workers}
        if not ids:
            return {}
        rows = await self.session.execute(select(Worker.id, Worker.first_name).where(Worker.id.in_(ids)))
        return {str(key): name for key, name in rows.tuples()}
