"""The market's booking invariants (design 4.5), each decided here and nowhere else.

Candidate search (`rules.candidates.CandidateSearch`, through `candidates.snapshots`) and confirmation
(`booking.confirmation`) both call these, so a worker the search shows is one confirmation would book
and the other way round. The database constraint named beside each is the last line of defence: if
anything slips past the check (a race the row locks did not serialise, a row written another way), it
refuses the write and the request gets 409 with the message in `CONSTRAINT_MESSAGES` (handed to the
http layer through `slivers.hooks.Hooks.constraint_messages`).

1. No double booking: a worker never has two blocking bookings that overlap once the travel buffer
   between them is added (`double_booked`, over `rules.overlap`). Backstop: the PostgreSQL exclusion
   constraint `NO_OVERLAP_CONSTRAINT` (migration 0003) over the same `BLOCKING_STATES`, without the
   travel buffer (SQL cannot compute it); confirmation locks the worker's row so the buffer holds too.
2. A visit is never filled by more workers than it needs (`free_seat`). Backstop: the unique index
   `SEAT_INDEX` on (occurrence, seat) with the check constraint `SEAT_RANGE` (1 <= seat <= 2).
3. A worker has at most one open offer or booking per visit (`OPEN_STATES`). Backstop: the partial
   unique index `OPEN_OFFER_INDEX`.
6. Nobody is booked who was not eligible at the moment of confirmation: every rule of design 4.3,
   `CandidateSearch.why_not`, judged for the one worker under the lock (`candidates.eligibility`).
   The database cannot express these; the row locks and the rules above are what hold it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from slivers.geo.travel import LatLon
from slivers.market.rules.lifecycle import BookingState
from slivers.market.rules.overlap import BookedVisit, Conflict, conflicts, has_conflict

S = BookingState

# 1. The states in which a booking blocks the worker's time.
BLOCKING_STATES: tuple[BookingState, ...] = (S.CONFIRMED, S.IN_PROGRESS)
NO_DOUBLE_BOOKING = "overlap_with_travel"  # the rule's name in candidate search and why-not
NO_OVERLAP_CONSTRAINT = "ex_bookings_worker_no_overlap"

# 2. The states in which a booking holds one of the visit's seats (taken at confirmation, kept after).
SEATED_STATES: tuple[BookingState, ...] = (S.CONFIRMED, S.IN_PROGRESS, S.COMPLETED, S.APPROVED, S.DISPUTED)
MAX_WORKERS_PER_VISIT = 2
SEAT_INDEX = "uq_bookings_occurrence_seat"
SEAT_RANGE = "seat_range"

# 3. The states in which a booking is a worker's open offer or booking for a visit.
OPEN_STATES: tuple[BookingState, ...] = (S.PROPOSED, S.CONFIRMED, S.IN_PROGRESS)
OPEN_OFFER_INDEX = "uq_bookings_occurrence_worker_open"

CONSTRAINT_MESSAGES: dict[str, str] = {
    NO_OVERLAP_CONSTRAINT: "This worker is already booked at that time. Choose another time or worker.",
    SEAT_INDEX: "This visit already has all the workers it needs.",
    OPEN_OFFER_INDEX: "This worker already has an offer or a booking for this visit.",
}


def status_in_sql(states: Iterable[BookingState]) -> str:
    """The SQL predicate `status IN (...)` over `states`, as the database constraints spell it."""
    return "status IN (" + ", ".join(f"'{state.value}'" for state in states) + ")"


def double_booked(bookings: Iterable[BookedVisit], start: datetime, end: datetime, location: LatLon) -> bool:
    """Invariant 1: would a visit at `location` over [start, end) clash with one of the worker's
    blocking `bookings`, counting travel both ways?"""
    return has_conflict(bookings, start, end, location)


def clashes(
    bookings: Iterable[BookedVisit], start: datetime, end: datetime, location: LatLon
) -> list[Conflict]:
    """Invariant 1's clashes, each named, for explaining a refusal."""
    return conflicts(bookings, start, end, location)


def free_seat(taken: Collection[int], workers_needed: int) -> int | None:
    """Invariant 2: the lowest seat of a visit needing `workers_needed` not in `taken`, or None
    when every seat is taken."""
    if len(taken) >= workers_needed:
        return None
    return min(seat for seat in range(1, workers_needed + 1) if seat not in taken)
