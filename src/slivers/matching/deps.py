"""The matching service for a request: the one provider the API controller and the pages share."""

from __future__ import annotations

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.matching.service import MatchingService


def provide_matching(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> MatchingService:
    return MatchingService(db_session, clock)
