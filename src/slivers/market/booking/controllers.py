"""HTTP for bookings: one operation per lifecycle transition."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from slivers.accounts.actor import Actor
from slivers.market.booking.schemas import (
    BookingCancel,
    BookingCheckOut,
    BookingCreate,
    BookingDispute,
    BookingRead,
    BookingResolve,
)
from slivers.market.booking.service import BookingService
from slivers.market.rules.lifecycle import Transition

Bookings = NamedDependency[BookingService]
BookingId = FromPath[uuid.UUID]


class BookingController(Controller):
    path = "/api/v1/bookings"
    tags = ["bookings"]

    @post("/", operation_id="createBooking", status_code=HTTP_201_CREATED)
    async def create(
        self, data: JSONBody[BookingCreate], actor: NamedDependency[Actor], bookings: Bookings
    ) -> BookingRead:
        """Offer a visit to a worker; confirmed at once if they take instant bookings."""
        return await bookings.create(actor, data)

    @get("/", operation_id="listMyBookings")
    async def list_mine(
        self,
        actor: NamedDependency[Actor],
        bookings: Bookings,
        status: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[BookingRead]:
        """Your bookings, as the worker or for people whose circle you are in, soonest first."""
        return await bookings.list_mine(actor, status, limit)

    @get("/{booking_id:uuid}", operation_id="getBooking")
    async def get_booking(
        self, booking_id: BookingId, actor: NamedDependency[Actor], bookings: Bookings
    ) -> BookingRead:
        """One booking; the worker sees the address and support notes once it is confirmed."""
        return await bookings.read(actor, booking_id)

    @post("/{booking_id:uuid}/accept", operation_id="acceptBooking", status_code=200)
    async def accept(
        self, booking_id: BookingId, actor: NamedDependency[Actor], bookings: Bookings
    ) -> BookingRead:
        """The worker accepts an offer; their time is blocked and the cost held."""
        return await bookings.act(actor, booking_id, Transition.ACCEPT)

    @post("/{booking_id:uuid}/decline", operation_id="declineBooking", status_code=200)
    async def decline(
        self, booking_id: BookingId, actor: NamedDependency[Actor], bookings: Bookings
    ) -> BookingRead:
        """The worker declines an offer."""
        return await bookings.act(actor, booking_id, Transition.DECLINE)

    @post("/{booking_id:uuid}/cancel", operation_id="cancelBooking", status_code=200)
    async def cancel(
        self,
        booking_id: BookingId,
        data: JSONBody[BookingCancel],
        actor: NamedDependency[Actor],
        bookings: Bookings,
    ) -> BookingRead:
        """Cancel: free up to 24 hours before; later, a fee (booker) or a strike (worker)."""
        return await bookings.act(actor, booking_id, Transition.CANCEL, reason=data.reason)

    @post("/{booking_id:uuid}/check-in", operation_id="checkInBooking", status_code=200)
    async def check_in(
        self, booking_id: BookingId, actor: NamedDependency[Actor], bookings: Bookings
    ) -> BookingRead:
        """The worker arrives (from 30 minutes before the start)."""
        return await bookings.act(actor, booking_id, Transition.CHECK_IN)

    @post("/{booking_id:uuid}/check-out", operation_id="checkOutBooking", status_code=200)
    async def check_out(
        self,
        booking_id: BookingId,
        data: JSONBody[BookingCheckOut],
        actor: NamedDependency[Actor],
        bookings: Bookings,
    ) -> BookingRead:
        """The worker leaves; actual minutes are rounded to 5."""
        return await bookings.act(actor, booking_id, Transition.CHECK_OUT, visit_notes=data.visit_notes)

    @post("/{booking_id:uuid}/approve", operation_id="approveBooking", status_code=200)
    async def approve(
        self, booking_id: BookingId, actor: NamedDependency[Actor], bookings: Bookings
    ) -> BookingRead:
        """A circle member with `approve` accepts the timesheet; the money moves."""
        return await bookings.act(actor, booking_id, Transition.APPROVE)

    @post("/{booking_id:uuid}/dispute", operation_id="disputeBooking", status_code=200)
    async def dispute(
        self,
        booking_id: BookingId,
        data: JSONBody[BookingDispute],
        actor: NamedDependency[Actor],
        bookings: Bookings,
    ) -> BookingRead:
        """Dispute the timesheet within 48 hours (needs `approve`); a coordinator resolves it."""
        return await bookings.act(actor, booking_id, Transition.DISPUTE, reason=data.reason)

    @post("/{booking_id:uuid}/resolve", operation_id="resolveBookingDispute", status_code=200)
    async def resolve(
        self,
        booking_id: BookingId,
        data: JSONBody[BookingResolve],
        actor: NamedDependency[Actor],
        bookings: Bookings,
    ) -> BookingRead:
        """A coordinator of the worker's organisation settles a dispute: approve or cancel."""
        move = Transition.RESOLVE_APPROVE if data.outcome == "approve" else Transition.RESOLVE_CANCEL
        return await bookings.act(actor, booking_id, move, reason=data.reason)

    @post("/{booking_id:uuid}/no-show", operation_id="markBookingNoShow", status_code=200)
    async def no_show(
        self, booking_id: BookingId, actor: NamedDependency[Actor], bookings: Bookings
    ) -> BookingRead:
        """A coordinator marks a no-show (15 minutes after the start); the jobs do it too."""
        return await bookings.act(actor, booking_id, Transition.MARK_NO_SHOW)
