"""The booking lifecycle of design 4.4 as a pure state machine.

`apply` checks, in order: that the actor's role may ever make this transition (else `NotAllowed`,
403); that the transition leaves the booking's current state (else `IllegalTransition`, 409); that
this role may make it from this state (`NotAllowed`); and the time guards (`IllegalTransition`).
It returns the new state and the consequences (fee, strike, actual minutes, reopen, alert) for the
service to record; it stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from slivers.market.rules.reliability import StrikeKind

CHECK_IN_OPENS_BEFORE_START = timedelta(minutes=30)
NO_SHOW_AFTER_START = timedelta(minutes=15)
AUTO_APPROVE_AFTER_CHECK_OUT = timedelta(hours=48)
FREE_CANCELLATION_BEFORE_START = timedelta(hours=24)
LATE_FEE_MAX_MINUTES = 120
ROUND_ACTUAL_TO = timedelta(minutes=5)


class BookingState(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    APPROVED = "approved"
    DISPUTED = "disputed"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


# The states a booking ends in: its seat and the worker's time are free again.
ENDED_STATES = frozenset(
    {BookingState.CANCELLED, BookingState.DECLINED, BookingState.EXPIRED, BookingState.NO_SHOW}
)


class Transition(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    EXPIRE = "expire"
    CONFIRM_INSTANT = "confirm_instant"
    CANCEL = "cancel"
    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"
    APPROVE = "approve"
    AUTO_APPROVE = "auto_approve"
    DISPUTE = "dispute"
    RESOLVE_APPROVE = "resolve_approve"
    RESOLVE_CANCEL = "resolve_cancel"
    MARK_NO_SHOW = "mark_no_show"


class PartyRole(StrEnum):
    """The actor's relation to this booking, worked out by the service from the object."""

    WORKER = "worker"  # the booked worker
    BOOKER = "booker"  # a circle member with `request`
    APPROVER = "approver"  # a circle member with `approve` (the person themself holds both)
    COORDINATOR = "coordinator"  # a coordinator of the worker's organisation
    SYSTEM = "system"  # background jobs


S, T, R = BookingState, Transition, PartyRole

# (from state, transition) -> (to state, roles that may make it there). A proposal may be withdrawn
# by its booker or a coordinator (cancel from proposed, no fee); design 4.4 leaves that implicit.
EDGES: dict[tuple[BookingState, Transition], tuple[BookingState, frozenset[PartyRole]]] = {
    (S.PROPOSED, T.ACCEPT): (S.CONFIRMED, frozenset({R.WORKER})),
    (S.PROPOSED, T.DECLINE): (S.DECLINED, frozenset({R.WORKER})),
    (S.PROPOSED, T.EXPIRE): (S.EXPIRED, frozenset({R.SYSTEM})),
    (S.PROPOSED, T.CONFIRM_INSTANT): (S.CONFIRMED, frozenset({R.BOOKER, R.SYSTEM})),
    (S.PROPOSED, T.CANCEL): (S.CANCELLED, frozenset({R.BOOKER, R.COORDINATOR})),
    (S.CONFIRMED, T.CANCEL): (S.CANCELLED, frozenset({R.BOOKER, R.WORKER, R.COORDINATOR, R.SYSTEM})),
    (S.CONFIRMED, T.CHECK_IN): (S.IN_PROGRESS, frozenset({R.WORKER})),
    (S.CONFIRMED, T.MARK_NO_SHOW): (S.NO_SHOW, frozenset({R.SYSTEM, R.COORDINATOR})),
    (S.IN_PROGRESS, T.CHECK_OUT): (S.COMPLETED, frozenset({R.WORKER})),
    (S.COMPLETED, T.APPROVE): (S.APPROVED, frozenset({R.APPROVER})),
    (S.COMPLETED, T.AUTO_APPROVE): (S.APPROVED, frozenset({R.SYSTEM})),
    (S.COMPLETED, T.DISPUTE): (S.DISPUTED, frozenset({R.APPROVER})),
    (S.DISPUTED, T.RESOLVE_APPROVE): (S.APPROVED, frozenset({R.COORDINATOR})),
    (S.DISPUTED, T.RESOLVE_CANCEL): (S.CANCELLED, frozenset({R.COORDINATOR})),
}
ROLES_FOR: dict[Transition, frozenset[PartyRole]] = {
    transition: frozenset().union(*(roles for (_, t), (_, roles) in EDGES.items() if t is transition))
    for transition in Transition
}


class LifecycleError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class IllegalTransition(LifecycleError):
    """Not possible from this state, or not now (maps to 409 Conflict)."""


class NotAllowed(LifecycleError):
    """This party may not do this (maps to 403 Forbidden)."""


@dataclass(frozen=True, slots=True)
class BookingSnapshot:
    """What the state machine needs of a booking. `rate_pence_per_hour` is None for volunteers."""

    state: BookingState
    start: datetime
    end: datetime
    respond_by: datetime | None = None
    rate_pence_per_hour: int | None = None
    instant_book: bool = False
    checked_in_at: datetime | None = None
    checked_out_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TransitionResult:
    state: BookingState
    checked_in_at: datetime | None = None
    checked_out_at: datetime | None = None
    actual_minutes: int | None = None
    late_cancellation_fee_pence: int = 0
    strike: StrikeKind | None = None
    reopen_request: bool = False  # the request goes back for cover (4.4 "cover")
    alert_circle: bool = False  # tell the circle at once (no-show)


def apply(
    booking: BookingSnapshot, transition: Transition, actor_role: PartyRole, now: datetime
) -> TransitionResult:
    if actor_role not in ROLES_FOR[transition]:
        raise NotAllowed("role_not_allowed", f"a {actor_role} may not {transition} a booking")
    edge = EDGES.get((booking.state, transition))
    if edge is None:
        raise IllegalTransition(
            f"not_from_{booking.state}", f"a booking that is {booking.state} cannot {transition}"
        )
    target, roles = edge
    if actor_role not in roles:
        raise NotAllowed(
            "role_not_allowed", f"a {actor_role} may not {transition} a booking that is {booking.state}"
        )
    return _GUARDS[transition](booking, target, actor_role, now)


def cost_pence(rate_pence_per_hour: int, minutes: int) -> int:
    """rate x minutes / 60, rounded half up to the penny (design 5), in integers so nothing drifts."""
    if rate_pence_per_hour < 0 or minutes < 0:
        raise ValueError("rate and minutes must not be negative")
    return (2 * rate_pence_per_hour * minutes + 60) // 120


def actual_minutes(checked_in_at: datetime, checked_out_at: datetime) -> int:
    """Check-in to check-out, to the nearest 5 minutes; exactly half-way (2 min 30 s) rounds up."""
    step = ROUND_ACTUAL_TO // timedelta(microseconds=1)
    elapsed = (checked_out_at - checked_in_at) // timedelta(microseconds=1)
    return (elapsed + step // 2) // step * 5


def late_cancellation_fee_pence(booking: BookingSnapshot) -> int:
    """The booked duration, at most 2 hours, at the booked rate; nothing for a volunteer."""
    if booking.rate_pence_per_hour is None:
        return 0
    booked = int((booking.end - booking.start) // timedelta(minutes=1))
    return cost_pence(booking.rate_pence_per_hour, min(booked, LATE_FEE_MAX_MINUTES))


def is_late_cancellation(booking: BookingSnapshot, now: datetime) -> bool:
    """Free up to and including exactly 24 hours before the start."""
    return now > booking.start - FREE_CANCELLATION_BEFORE_START


def _accept(
    booking: BookingSnapshot, target: BookingState, role: PartyRole, now: datetime
) -> TransitionResult:
    if booking.respond_by is not None and now >= booking.respond_by:
        raise IllegalTransition("respond_by_passed", "the time to answer this offer has passed")
    if now >= booking.start:
        raise IllegalTransition("already_started", "the visit has already started")
    return TransitionResult(target)


def _decline(
    booking: BookingSnapshot, target: BookingState, role: PartyRole, now: datetime
) -> TransitionResult:
    return TransitionResult(target, reopen_request=True)


def _expire(
    booking: BookingSnapshot, target: BookingState, role: PartyRole, now: datetime
) -> TransitionResult:
    deadline = booking.respond_by if booking.respond_by is not None else booking.start
    if now < deadline:
        raise IllegalTransition("respond_by_not_passed", "the offer can still be answered")
    return TransitionResult(target, reopen_request=True)


def _confirm_instant(
    booking: BookingSnapshot, target: BookingState, role: PartyRole, now: datetime
) -> TransitionResult:
    if not booking.instant_book:
        raise IllegalTransition("instant_book_off", "this worker confirms bookings themself")
    if now >= booking.start:
        raise IllegalTransition("already_started", "the visit has already started")
    return TransitionResult(target)


def _cancel(
    booking: BookingSnapshot, target: BookingState, role: PartyRole, now: datetime
) -> TransitionResult:
    if booking.state is BookingState.PROPOSED:
        return TransitionResult(target)
    if role is PartyRole.WORKER:
        # After the start a worker who has not come is a no-show, not a late cancellation.
        if now >= booking.start:
            raise IllegalTransition("already_started", "the visit has started; it cannot be cancelled now")
        strike = StrikeKind.LATE_CANCELLATION if is_late_cancellation(booking, now) else None
        return TransitionResult(target, strike=strike, reopen_request=True)
    if now >= booking.end:
        raise IllegalTransition("already_ended", "the visit's time has passed")
    if role is PartyRole.BOOKER and is_late_cancellation(booking, now):
        return TransitionResult(target, late_cancellation_fee_pence=late_cancellation_fee_pence(booking))
    # A coordinator or the system cancels when the worker is lost (suspension, lapsed credential):
    # no fee to the person and no strike here; the cause is recorded elsewhere. The need remains.
    reopen = role in (PartyRole.COORDINATOR, PartyRole.SYSTEM)
    return TransitionResult(target, reopen_request=reopen)


def _check_in(
    booking: BookingSnapshot, target: BookingState, role: PartyRole, now: datetime
) -> TransitionResult:
    if now < booking.start - CHECK_IN_OPENS_BEFORE_START:
        raise IllegalTransition("too_early", "check-in opens 30 minutes before the start")
    if now >= booking.end:
        raise IllegalTransition("already_ended", "the visit's time has passed")
    return TransitionResult(target, checked_in_at=now)


def _check_out(
    booking: BookingSnapshot, target: BookingState, role: PartyRole, now: datetime
) -> TransitionResult:
    if booking.checked_in_at is None or now < booking.checked_in_at:
        raise IllegalTransition("not_checked_in", "check out after checking in")
    return TransitionResult(
        target,
        checked_in_at=booking.checked_in_at,
        checked_out_at=now,
        actual_minutes=actual_minutes(booking.checked_in_at, now),
    )


def _approve(
    booking: BookingSnapshot, target: BookingState, role: PartyRole, now: datetime
) -> TransitionResult:
    return TransitionResult(target)


def _auto_approve(
    booking: BookingSnapshot, target: BookingState, role: PartyRole, now: datetime
) -> TransitionResult:
    if booking.checked_out_at is None or now < booking.checked_out_at + AUTO_APPROVE_AFTER_CHECK_OUT:
        raise IllegalTransition("approval_window_open", "approval is automatic 48 hours after check-out")
    return TransitionResult(target)


def _dispute(
    booking: BookingSnapshot, target: BookingState, role: PartyRole, now: datetime
) -> TransitionResult:
    if booking.checked_out_at is not None and now >= booking.checked_out_at + AUTO_APPROVE_AFTER_CHECK_OUT:
        raise IllegalTransition("approval_window_closed", "disputes are raised within 48 hours of check-out")
    return TransitionResult(target)


def _resolve(
    booking: BookingSnapshot, target: BookingState, role: PartyRole, now: datetime
) -> TransitionResult:
    return TransitionResult(target)


def _mark_no_show(
    booking: BookingSnapshot, target: BookingState, role: PartyRole, now: datetime
) -> TransitionResult:
    if now < booking.start + NO_SHOW_AFTER_START:
        raise IllegalTransition("too_early", "a no-show is marked 15 minutes after the start")
    return TransitionResult(target, strike=StrikeKind.NO_SHOW, reopen_request=True, alert_circle=True)


_GUARDS = {
    Transition.ACCEPT: _accept,
    Transition.DECLINE: _decline,
    Transition.EXPIRE: _expire,
    Transition.CONFIRM_INSTANT: _confirm_instant,
    Transition.CANCEL: _cancel,
    Transition.CHECK_IN: _check_in,
    Transition.CHECK_OUT: _check_out,
    Transition.APPROVE: _approve,
    Transition.AUTO_APPROVE: _auto_approve,
    Transition.DISPUTE: _dispute,
    Transition.RESOLVE_APPROVE: _resolve,
    Transition.RESOLVE_CANCEL: _resolve,
    Transition.MARK_NO_SHOW: _mark_no_show,
}
