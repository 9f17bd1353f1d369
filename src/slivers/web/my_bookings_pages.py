"""My bookings (as a person's circle, or as the worker), one booking with what happens next, and the
actions each party may take: accept, decline, cancel (the charge said first), check in and out,
approve or dispute the timesheet. Which buttons show comes from the market's own transition table;
the booking service decides."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from slivers.accounts.actor import Actor
from slivers.clock import Clock, to_london
from slivers.errors import DomainError, NotFound
from slivers.http.forms import GENERAL, Form, read_form
from slivers.http.rendering import redirect, render
from slivers.market.booking.schemas import BookingRead
from slivers.market.booking.service import BookingService
from slivers.market.deps import provide_bookings
from slivers.market.rules.lifecycle import (
    EDGES,
    BookingSnapshot,
    BookingState,
    PartyRole,
    Transition,
    is_late_cancellation,
    late_cancellation_fee_pence,
)
from slivers.web.words import (
    STATUS_WORDS,
    WORKER_STATUS_WORDS,
    minutes_words,
    moment_words,
    pounds,
    when_words,
)

UPCOMING = frozenset({BookingState.PROPOSED, BookingState.CONFIRMED, BookingState.IN_PROGRESS})
ACTION_WORDS = {
    Transition.ACCEPT: "Accepted. The visit is confirmed.",
    Transition.DECLINE: "You said no to this visit.",
    Transition.CHECK_IN: "Checked in. Check out when you leave.",
    Transition.CHECK_OUT: "Checked out. The timesheet has gone for approval.",
    Transition.APPROVE: "Timesheet approved. The payment goes to the worker.",
}


@dataclass(frozen=True, slots=True)
class Move:
    """A move made with one button: its transition, and where the reader goes afterwards."""

    transition: Transition
    back_to: str | None = None  # the booking's own page when None


# The address's last part names the move (`POST /bookings/{id}/check-in`).
MOVES = {
    "accept": Move(Transition.ACCEPT),
    "decline": Move(Transition.DECLINE, back_to="/work"),
    "check-in": Move(Transition.CHECK_IN),
    "check-out": Move(Transition.CHECK_OUT),
    "approve": Move(Transition.APPROVE),
}
# Moves that ask first, on a page of their own, with a reason.
ASKED = ("cancel", "dispute")


def snapshot(booking: BookingRead) -> BookingSnapshot:
    return BookingSnapshot(
        state=BookingState(booking.status),
        start=booking.start,
        end=booking.end,
        respond_by=booking.respond_by,
        rate_pence_per_hour=booking.rate_pence_per_hour,
        checked_in_at=booking.checked_in_at,
        checked_out_at=booking.checked_out_at,
    )


def allowed_moves(booking: BookingRead) -> set[Transition]:
    """What this reader's roles may do from the booking's state, by the market's transition table."""
    roles = {PartyRole(role) for role in booking.my_roles}
    state = BookingState(booking.status)
    return {move for (source, move), (_, who) in EDGES.items() if source is state and roles & who}


def is_worker(booking: BookingRead) -> bool:
    return PartyRole.WORKER.value in booking.my_roles


def status_words(booking: BookingRead) -> str:
    words = WORKER_STATUS_WORDS if is_worker(booking) else STATUS_WORDS
    return words[BookingState(booking.status)]


def cancellation_terms(booking: BookingRead, now: Any) -> str:
    """What cancelling now costs this reader, in words, from the market's own rules."""
    shot = snapshot(booking)
    if booking.status == BookingState.PROPOSED:
        return "The worker has not accepted yet, so there is no charge."
    late = is_late_cancellation(shot, now)
    if is_worker(booking):
        if late:
            return "The visit is less than 24 hours away: cancelling now counts against your reliability."
        return "Cancelling now is free. The person's circle is told and we look for someone else."
    if not late:
        return "Cancelling now is free: the visit is more than 24 hours away."
    fee = late_cancellation_fee_pence(shot)
    if fee == 0:
        return "The visit is less than 24 hours away, but a volunteer's visit has no charge."
    return (
        f"The visit is less than 24 hours away, so the worker is paid a late-cancellation charge of "
        f"{pounds(fee)} from the budget."
    )


def booking_view(booking: BookingRead, today: date) -> dict[str, Any]:
    return {
        "b": booking,
        "when": when_words(booking.start, booking.end, today),
        "status": status_words(booking),
        "is_worker": is_worker(booking),
        "minutes": minutes_words(booking.actual_minutes) if booking.actual_minutes is not None else None,
    }


class BookingsPages(Controller):
    path = "/bookings"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {"bookings": Provide(provide_bookings, sync_to_thread=False)}

    @get("/", operation_id="pageMyBookings")
    async def mine(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        bookings: NamedDependency[BookingService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Upcoming and past visits, for the people I help and as a worker, with their status in words."""
        now = clock.now()
        today = to_london(now).date()
        every = await bookings.list_mine(actor, None, 200)
        upcoming = [booking_view(b, today) for b in every if b.status in UPCOMING and b.end > now]
        needs_me = [
            booking_view(b, today)
            for b in every
            if b.status == BookingState.COMPLETED and Transition.APPROVE in allowed_moves(b)
        ]
        past = [booking_view(b, today) for b in reversed(every) if not (b.status in UPCOMING and b.end > now)]
        return render(
            request,
            "bookings/list.html",
            actor=actor,
            context={"upcoming": upcoming, "past": past, "needs_me": needs_me},
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
        now = clock.now()
        moves = allowed_moves(booking)
        return render(
            request,
            "bookings/show.html",
            actor=actor,
            form=form,
            status=status,
            context={
                **booking_view(booking, to_london(now).date()),
                "moves": {move.value for move in moves},
                "respond_by": moment_words(booking.respond_by) if booking.respond_by else None,
                "cost": pounds(booking.rate_pence_per_hour) if booking.rate_pence_per_hour else None,
                "late_fee": pounds(booking.late_fee_pence) if booking.late_fee_pence else None,
                "checked_in": moment_words(booking.checked_in_at) if booking.checked_in_at else None,
                "checked_out": moment_words(booking.checked_out_at) if booking.checked_out_at else None,
            },
        )

    @get("/{booking_id:uuid}", operation_id="pageBooking")
    async def show(
        self,
        request: Request[Any, Any, Any],
        booking_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        bookings: NamedDependency[BookingService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """One booking: when, who, its status, what happens next and what I may do."""
        return await self._page(request, actor, bookings, clock, booking_id)

    async def _act(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        bookings: BookingService,
        clock: Clock,
        booking_id: uuid.UUID,
        move: Transition,
        message: str,
        *,
        reason: str = "",
        visit_notes: str = "",
        back_to: str | None = None,
    ) -> Response[Any]:
        try:
            await bookings.act(actor, booking_id, move, reason=reason, visit_notes=visit_notes)
        except DomainError as error:
            form = Form(fields=())
            form.add_error(GENERAL, error.detail)
            return await self._page(
                request, actor, bookings, clock, booking_id, form=form, status=error_status(error)
            )
        return redirect(request, back_to or f"/bookings/{booking_id}", message)

    @get("/{booking_id:uuid}/{move:str}", operation_id="pageBookingAsk")
    async def ask(
        self,
        request: Request[Any, Any, Any],
        booking_id: FromPath[uuid.UUID],
        move: FromPath[str],
        actor: NamedDependency[Actor],
        bookings: NamedDependency[BookingService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Ask first: cancel (saying what cancelling now costs) or dispute (saying what is wrong)."""
        if move not in ASKED:
            raise NotFound("No such page.")
        return await self._ask(request, actor, bookings, clock, booking_id, move)

    @post("/{booking_id:uuid}/{move:str}", operation_id="pageBookingMove")
    async def move(
        self,
        request: Request[Any, Any, Any],
        booking_id: FromPath[uuid.UUID],
        move: FromPath[str],
        actor: NamedDependency[Actor],
        bookings: NamedDependency[BookingService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Make a move: accept, decline, check in, check out (with notes), approve, cancel or dispute."""
        if move == "cancel":
            return await self._cancel(request, actor, bookings, clock, booking_id)
        if move == "dispute":
            return await self._dispute(request, actor, bookings, clock, booking_id)
        step = MOVES.get(move)
        if step is None:
            raise NotFound("No such action.")
        visit_notes = ""
        if step.transition is Transition.CHECK_OUT:
            form = await read_form(request, ("visit_notes",))
            if len(form.value("visit_notes")) > 5000:
                form.add_error(GENERAL, "Keep the visit notes under 5,000 characters.")
            if not form.ok:
                return await self._page(request, actor, bookings, clock, booking_id, form=form, status=400)
            visit_notes = form.value("visit_notes")
        return await self._act(
            request,
            actor,
            bookings,
            clock,
            booking_id,
            step.transition,
            ACTION_WORDS[step.transition],
            visit_notes=visit_notes,
            back_to=step.back_to,
        )

    async def _ask(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        bookings: BookingService,
        clock: Clock,
        booking_id: uuid.UUID,
        what: str,
        *,
        form: Form | None = None,
        status: int = 200,
    ) -> Response[Any]:
        booking = await bookings.read(actor, booking_id)
        now = clock.now()
        return render(
            request,
            f"bookings/{what}.html",
            actor=actor,
            form=form or Form(fields=("reason",)),
            status=status,
            context={
                **booking_view(booking, to_london(now).date()),
                "terms": cancellation_terms(booking, now) if what == "cancel" else None,
            },
        )

    async def _cancel(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        bookings: BookingService,
        clock: Clock,
        booking_id: uuid.UUID,
    ) -> Response[Any]:
        """Cancel, after being told the charge."""
        form = await read_form(request, ("reason",))
        if len(form.value("reason")) > 2000:
            form.add_error("reason", "Keep the reason under 2,000 characters.")
        if not form.ok:
            return await self._ask(
                request, actor, bookings, clock, booking_id, "cancel", form=form, status=400
            )
        try:
            done = await bookings.act(actor, booking_id, Transition.CANCEL, reason=form.value("reason"))
        except DomainError as error:
            form.add_domain_error(error)
            return await self._ask(
                request, actor, bookings, clock, booking_id, "cancel", form=form, status=error_status(error)
            )
        fee = f" A charge of {pounds(done.late_fee_pence)} applies." if done.late_fee_pence else ""
        return redirect(request, f"/bookings/{booking_id}", f"The visit is cancelled.{fee}")

    async def _dispute(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        bookings: BookingService,
        clock: Clock,
        booking_id: uuid.UUID,
    ) -> Response[Any]:
        """Dispute the timesheet, with a reason, for a coordinator to settle."""
        form = await read_form(request, ("reason",))
        form.require("reason", "Say what is wrong with the timesheet.")
        if len(form.value("reason")) > 2000:
            form.add_error("reason", "Keep the reason under 2,000 characters.")
        if form.ok:
            try:
                await bookings.act(actor, booking_id, Transition.DISPUTE, reason=form.value("reason"))
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect(
                    request, f"/bookings/{booking_id}", "Timesheet disputed. A coordinator will be in touch."
                )
        return await self._ask(request, actor, bookings, clock, booking_id, "dispute", form=form, status=400)


def error_status(error: DomainError) -> int:
    status = getattr(error, "status_code", None)
    return int(status) if isinstance(status, int) and status >= 400 else 400
