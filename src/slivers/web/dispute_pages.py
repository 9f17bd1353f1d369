"""Disputed timesheets on the coordinator's desk: the list for the coordinator's organisations, and
settling one (approve it, so the worker is paid, or cancel it) with a reason both sides see. The
market's desk service lists and reads them for this coordinator; the booking service makes the move and
checks that this coordinator may."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from slivers.accounts.actor import Actor
from slivers.clock import Clock, to_london
from slivers.errors import DomainError, Forbidden, NotFound
from slivers.http.forms import Form, read_form
from slivers.http.rendering import redirect, render
from slivers.market.booking.service import BookingService
from slivers.market.deps import provide_bookings, provide_desk
from slivers.market.desk.service import DeskService
from slivers.market.rules.lifecycle import Transition
from slivers.web.desk_pages import require_coordinator
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


class DisputePages(Controller):
    path = "/desk/disputes"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {
        "bookings": Provide(provide_bookings, sync_to_thread=False),
        "desk": Provide(provide_desk, sync_to_thread=False),
    }

    @get("/", operation_id="pageDisputes")
    async def disputes(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        desk: NamedDependency[DeskService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Timesheets in dispute, waiting for a coordinator to settle them."""
        require_coordinator(actor)
        today = to_london(clock.now()).date()
        rows = await desk.disputes(actor)
        return render(
            request,
            "desk/disputes.html",
            actor=actor,
            context={"rows": [{"d": d, "when": when_words(d.start, d.end, today)} for d in rows]},
        )

    async def _page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        desk: DeskService,
        clock: Clock,
        booking_id: uuid.UUID,
        *,
        form: Form | None = None,
        status: int = 200,
    ) -> Response[Any]:
        dispute = await desk.dispute(actor, booking_id)
        settle = form or Form(fields=SETTLE_FIELDS)
        settle.anchors["outcome"] = "outcome"
        rate = dispute.rate_pence_per_hour
        return render(
            request,
            "desk/dispute.html",
            actor=actor,
            form=settle,
            status=status,
            context={
                "d": dispute,
                "when": when_words(dispute.start, dispute.end, to_london(clock.now()).date()),
                "minutes": minutes_words(dispute.actual_minutes)
                if dispute.actual_minutes is not None
                else None,
                "rate": pounds(rate) if rate else None,
                "checked_in": moment_words(dispute.checked_in_at) if dispute.checked_in_at else None,
                "checked_out": moment_words(dispute.checked_out_at) if dispute.checked_out_at else None,
                "outcomes": OUTCOMES if rate else VOLUNTEER_OUTCOMES,
            },
        )

    @get("/{booking_id:uuid}", operation_id="pageDispute")
    async def dispute(
        self,
        request: Request[Any, Any, Any],
        booking_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        desk: NamedDependency[DeskService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """One disputed timesheet: the visit, the times, what is said to be wrong, and how to settle it."""
        require_coordinator(actor)
        return await self._page(request, actor, desk, clock, booking_id)

    @post("/{booking_id:uuid}", operation_id="pageSettleDispute")
    async def settle(
        self,
        request: Request[Any, Any, Any],
        booking_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        bookings: NamedDependency[BookingService],
        desk: NamedDependency[DeskService],
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
        return await self._page(request, actor, desk, clock, booking_id, form=form, status=400)
