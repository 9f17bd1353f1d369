"""The matching services for a request: the one set of providers the API controller and the pages share."""

from __future__ import annotations

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.matching.listing import MatchingListing
from slivers.matching.service import MatchingService


def provide_matching(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> MatchingService:
    return MatchingService(db_session, clock)


def provide_matching_listing(db_session: NamedDependency[AsyncSession]) -> MatchingListing:
    return MatchingListing(db_session)
