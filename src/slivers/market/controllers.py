"""HTTP controllers of this domain, listed in HANDLERS and mounted by slivers.routes."""

from __future__ import annotations

from typing import Any

from slivers.market.availability.controllers import AvailabilityController
from slivers.market.booking.controllers import BookingController
from slivers.market.cover.controllers import PersonReserveController
from slivers.market.feeds.controllers import CalendarFeedController
from slivers.market.requests.controllers import RequestController
from slivers.market.workers.controllers import WorkerController

HANDLERS: list[Any] = [
    WorkerController,
    AvailabilityController,
    RequestController,
    BookingController,
    CalendarFeedController,
    PersonReserveController,
]
