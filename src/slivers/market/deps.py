"""The market services for a request: the one set of providers the API controllers and the pages share."""

from __future__ import annotations

from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.config import Settings
from slivers.market.availability.service import AvailabilityService
from slivers.market.booking.service import BookingService
from slivers.market.candidates.service import CandidateService
from slivers.market.cover.reserve import ReserveService
from slivers.market.desk.service import DeskService
from slivers.market.feeds.service import FeedService
from slivers.market.requests.service import RequestService
from slivers.market.workers.service import ProfileService


def provide_bookings(
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    settings: NamedDependency[Settings],
) -> BookingService:
    return BookingService(db_session, clock, settings)


def provide_requests(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> RequestService:
    return RequestService(db_session, clock)


def provide_candidates(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> CandidateService:
    return CandidateService(db_session, clock)


def provide_profiles(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> ProfileService:
    return ProfileService(db_session, clock)


def provide_availability(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> AvailabilityService:
    return AvailabilityService(db_session, clock)


def provide_feeds(db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]) -> FeedService:
    return FeedService(db_session, clock)


def provide_reserve(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> ReserveService:
    return ReserveService(db_session, clock)


def provide_desk(db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]) -> DeskService:
    return DeskService(db_session, clock)


# The services the market's API controllers take, by the names their handlers use. Mounted once
# over all of them (market/controllers.py), so no controller imports this module: deps sits above
# the use-case subpackages and nothing below imports it back.
API_DEPENDENCIES: dict[str, Provide] = {
    "availability": Provide(provide_availability, sync_to_thread=False),
    "bookings": Provide(provide_bookings, sync_to_thread=False),
    "candidates": Provide(provide_candidates, sync_to_thread=False),
    "feeds": Provide(provide_feeds, sync_to_thread=False),
    "profiles": Provide(provide_profiles, sync_to_thread=False),
    "requests": Provide(provide_requests, sync_to_thread=False),
    "reserve": Provide(provide_reserve, sync_to_thread=False),
}
