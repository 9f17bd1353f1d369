"""The one place a booking's state is written. The state machine (`rules.lifecycle.apply`) decides
each move and what comes with it; `record_state` stores that on the row: the new state and the instants
and minutes the move fixes. Only a new offer is created in a state (`BookingState.PROPOSED`)."""

from __future__ import annotations

from datetime import datetime

from slivers.market.models import Booking
from slivers.market.rules.lifecycle import BookingState, TransitionResult


def record_state(booking: Booking, result: TransitionResult, now: datetime) -> None:
    """Store the outcome of one transition on `booking` (in the caller's transaction)."""
    booking.status = result.state.value
    if result.state is BookingState.CONFIRMED:
        booking.confirmed_at = now
    elif result.state is BookingState.APPROVED:
        booking.approved_at = now
    if result.checked_in_at is not None:
        booking.checked_in_at = result.checked_in_at
    if result.checked_out_at is not None:
        booking.checked_out_at = result.checked_out_at
        booking.actual_minutes = result.actual_minutes
