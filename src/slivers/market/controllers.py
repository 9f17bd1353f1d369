"""HTTP controllers of this domain, listed in HANDLERS and mounted by slivers.routes: one router over
all of them that provides the market's services (`deps.API_DEPENDENCIES`) by name."""

from __future__ import annotations

from typing import Any

from litestar import Router

from slivers.market.availability.controllers import AvailabilityController
from slivers.market.booking.controllers import BookingController
from slivers.market.cover.controllers import PersonReserveController
from slivers.market.deps import API_DEPENDENCIES
from slivers.market.feeds.controllers import CalendarFeedController
from slivers.market.requests.controllers import RequestController
from slivers.market.workers.controllers import WorkerController

HANDLERS: list[Any] = [
    Router(
        path="/",
        route_handlers=[
            WorkerController,
            AvailabilityController,
            RequestController,
            BookingController,
            CalendarFeedController,
            PersonReserveController,
        ],
        dependencies=API_DEPENDENCIES,
    )
]
