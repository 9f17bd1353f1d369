"""The no-double-booking invariant (design 4.5 #1) as a pure check: two visits of one worker must not
overlap once the travel time between their places is added, in whichever order they fall.

Every existing visit is checked pairwise against the new one, not just its neighbours: that is what
the database's exclusion constraint can express, and with the triangle inequality of straight-line
travel it refuses nothing a worker could really do. The 10-minute minimum buffer applies even between
two visits at the same place (`slivers.geo.travel_minutes` has no zero case).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from slivers.geo import travel_minutes
from slivers.geo.travel import MIN_BUFFER_MINUTES, LatLon

_MIN_BUFFER = timedelta(minutes=MIN_BUFFER_MINUTES)


@dataclass(frozen=True, slots=True)
class BookedVisit:
    """A confirmed or in-progress booking of the worker, where it takes place."""

    start: datetime
    end: datetime
    location: LatLon
    booking_id: Hashable | None = None


class ConflictKind(StrEnum):
    OVERLAP = "overlap"
    TRAVEL_FROM_PREVIOUS = "travel_from_previous"  # the existing visit ends too soon before the new one
    TRAVEL_TO_NEXT = "travel_to_next"  # the existing visit starts too soon after the new one


@dataclass(frozen=True, slots=True)
class Conflict:
    existing: BookedVisit
    kind: ConflictKind
    gap_minutes: float  # time between the two visits; 0 when they overlap
    travel_minutes: int  # time needed between them; 0 when they overlap


def conflicts(
    existing_bookings: Iterable[BookedVisit], new_start: datetime, new_end: datetime, new_location: LatLon
) -> list[Conflict]:
    """Every existing visit that the new one collides with, counting travel both ways."""
    found: list[Conflict] = []
    for existing in existing_bookings:
        conflict = _conflict(existing, new_start, new_end, new_location)
        if conflict is not None:
            found.append(conflict)
    return found


def has_conflict(
    existing_bookings: Iterable[BookedVisit], new_start: datetime, new_end: datetime, new_location: LatLon
) -> bool:
    """`conflicts(...) != []`, stopping at the first one and allocating nothing on the way."""
    for existing in existing_bookings:
        if existing.end <= new_start:
            gap = new_start - existing.end
            # Under the minimum buffer no distance can help, so skip the trigonometry.
            if gap < _MIN_BUFFER or gap < timedelta(minutes=travel_minutes(existing.location, new_location)):
                return True
        elif existing.start >= new_end:
            gap = existing.start - new_end
            if gap < _MIN_BUFFER or gap < timedelta(minutes=travel_minutes(new_location, existing.location)):
                return True
        else:
            return True
    return False


def _conflict(
    existing: BookedVisit, new_start: datetime, new_end: datetime, new_location: LatLon
) -> Conflict | None:
    if existing.end <= new_start:
        gap = new_start - existing.end
        kind = ConflictKind.TRAVEL_FROM_PREVIOUS
        origin, destination = existing.location, new_location
    elif existing.start >= new_end:
        gap = existing.start - new_end
        kind = ConflictKind.TRAVEL_TO_NEXT
        origin, destination = new_location, existing.location
    else:
        return Conflict(existing, ConflictKind.OVERLAP, 0.0, 0)
    needed = travel_minutes(origin, destination)
    if gap >= timedelta(minutes=needed):
        return None
    return Conflict(existing, kind, gap.total_seconds() / 60.0, needed)
