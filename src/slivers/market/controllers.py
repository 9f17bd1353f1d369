"""HTTP controllers of this domain, listed in HANDLERS and mounted by slivers.routes."""

from __future__ import annotations

from typing import Any

from slivers.market import hooks as _hooks  # noqa: F401  (registers the market's handlers)
from slivers.market.controllers_bookings import BookingController
from slivers.market.controllers_feeds import CalendarFeedController
from slivers.market.controllers_persons import PersonReserveController
from slivers.market.controllers_requests import RequestController
from slivers.market.controllers_workers import AvailabilityController, WorkerController

HANDLERS: list[Any] = [
    WorkerController,
    AvailabilityController,
    RequestController,
    BookingController,
    CalendarFeedController,
    PersonReserveController,
]
