"""Disputed timesheets on the coordinator's desk: the list for the coordinator's organisations, and
settling one (approve it, so the worker is paid, or cancel it) with a reason both sides see. The
booking service makes the move and checks that this coordinator may."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Worker
from slivers.clock import Clock, to_london
from slivers.errors import DomainError, Forbidden, NotFound
from slivers.market.booking_service import BookingService
from slivers.market.lifecycle import Transition
from slivers.market.models import Booking
from slivers.web.booking_pages import provide_booking_service
from slivers.web.desk_pages import require_coordinator
from slivers.web.forms import Form, read_form
from slivers.web.rendering import redirect, render
from slivers.web.words import minutes_words, moment_words, pounds, when_words

SETTLE_FIELDS = ("outcome", "reason")
OUTCOMES = [
    ("approve", "Approve the timesheet", "The worker is paid for the time on it, from the budget."),
    (
        "cancel",
        "Cancel the visit",
        "The worker is not paid for it, and the money held goes back to the budget.",
    ),
]
VOLUNTEER_OUTCOMES = [
    ("approve", "Approve the timesheet", "The visit counts as done. A volunteer's visit has no charge."),
    ("cancel", "Cancel the visit", "The visit is recorded as cancelled."),
]
MOVES = {"approve": Transition.RESOLVE_APPROVE, "cancel": Transition.RESOLVE_CANCEL}


async def disputed_ids(session: AsyncSession, actor: Actor) -> list[uuid.UUID]:
    """Disputed bookings whose worker my organisations vet, oldest visit first. A read-only list: the
    market has no such query yet."""
    rows = await session.scalars(
        select(Booking.id)
        .join(Worker, Worker.id == Booking.worker_id)
        .where(Booking.status == "disputed", Worker.organisation_id.in_(actor.orgs_with_role("coordinator")))
        .order_by(Booking.start_at)
        .limit(100)
    )
    return list(rows)


class DisputePages(Controller):
    path = "/desk/disputes"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {"bookings": Provide(provide_booking_service, sync_to_thread=False)}

    @get("/", operation_id="pageDisputes")
    async def disputes(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        bookings: NamedDependency[BookingService],
        db_session: NamedDependency[AsyncSession],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Timesheets in dispute, waiting for a coordinator to settle them."""
        require_coordinator(actor)
        today = to_london(clock.now()).date()
        rows = [
            await bookings.read(actor, booking_id) for booking_id in await disputed_ids(db_session, actor)
        ]
        return render(
            request,
            "desk/disputes.html",
            actor=actor,
            context={"rows": [{"b": b, "when": when_words(b.start, b.end, today)} for b in rows]},
        )

    async def _page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        bookings: BookingService,
        clock: Clock,
        booking_id: uuid.UUID,
        *,
        form: Form | None = None,
        status: int = 200,
    ) -> Response[Any]:
        booking = await bookings.read(actor, booking_id)
        if "coordinator" not in booking.my_roles:
            raise Forbidden(
                "Only a coordinator of the worker's organisation can settle this.", rule="not_a_party"
            )
        if booking.status != "disputed":
            raise NotFound("That timesheet is not in dispute.", rule="not_disputed")
        settle = form or Form(fields=SETTLE_FIELDS)
        settle.anchors["outcome"] = "outcome"
        return render(
            request,
            "desk/dispute.html",
            actor=actor,
            form=settle,
            status=status,
            context={
                "b": booking,
                "when": when_words(booking.start, booking.end, to_london(clock.now()).date()),
                "minutes": minutes_words(booking.actual_minutes)
                if booking.actual_minutes is not None
                else None,
                "rate": pounds(booking.rate_pence_per_hour) if booking.rate_pence_per_hour else None,
                "checked_in": moment_words(booking.checked_in_at) if booking.checked_in_at else None,
                "checked_out": moment_words(booking.checked_out_at) if booking.checked_out_at else None,
                "outcomes": OUTCOMES if booking.rate_pence_per_hour else VOLUNTEER_OUTCOMES,
            },
        )

    @get("/{booking_id:uuid}", operation_id="pageDispute")
    async def dispute(
        self,
        request: Request[Any, Any, Any],
        booking_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        bookings: NamedDependency[BookingService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """One disputed timesheet: the visit, the times, what is said to be wrong, and how to settle it."""
        require_coordinator(actor)
        return await self._page(request, actor, bookings, clock, booking_id)

    @post("/{booking_id:uuid}", operation_id="pageSettleDispute")
    async def settle(
        self,
        request: Request[Any, Any, Any],
        booking_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        bookings: NamedDependency[BookingService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Settle: approve or cancel, with a reason."""
        require_coordinator(actor)
        form = await read_form(request, SETTLE_FIELDS)
        form.anchors["outcome"] = "outcome"
        outcome = form.value("outcome")
        if outcome not in MOVES:
            form.add_error("outcome", "Choose whether to approve the timesheet or cancel the visit.")
        form.require("reason", "Say why you settled it this way.")
        if len(form.value("reason")) > 2000:
            form.add_error("reason", "Keep the reason to 2,000 characters or fewer.")
        if form.ok:
            try:
                done = await bookings.act(actor, booking_id, MOVES[outcome], reason=form.value("reason"))
            except DomainError as error:
                if isinstance(error, NotFound | Forbidden):
                    raise
                form.add_domain_error(error)
            else:
                said = (
                    "approved: the worker is paid" if outcome == "approve" else "cancelled: nothing is paid"
                )
                return redirect(
                    request, "/desk/disputes", f"Settled. {done.worker_first_name}'s timesheet is {said}."
                )
        return await self._page(request, actor, bookings, clock, booking_id, form=form, status=400)
