"""Request and response structures for bookings and their transitions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import Meta


class Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class BookingCreate(Strict):
    """Offer one occurrence of a request to a worker (confirmed at once if they take instant bookings)."""

    request_id: uuid.UUID
    worker_id: uuid.UUID
    occurrence_id: uuid.UUID | None = None  # the first future occurrence when omitted


class BookingCancel(Strict):
    reason: Annotated[str, Meta(max_length=2000)] = ""


class BookingCheckOut(Strict):
    visit_notes: Annotated[str, Meta(max_length=5000)] = ""


class BookingDispute(Strict):
    reason: Annotated[str, Meta(min_length=1, max_length=2000)]


class BookingResolve(Strict):
    outcome: Annotated[str, Meta(pattern="^(approve|cancel)$")]
    reason: Annotated[str, Meta(min_length=1, max_length=2000)]


class BookingRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    request_id: uuid.UUID
    occurrence_id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    worker_id: uuid.UUID
    worker_first_name: str
    status: str
    start: datetime
    end: datetime
    minutes: int  # real elapsed time, which is what is charged and paid
    clock_change: str | None  # why `minutes` differs from the London clock times, on a change day
    postcode: str
    rate_pence_per_hour: int | None
    respond_by: datetime | None
    is_cover: bool
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    actual_minutes: int | None
    late_fee_pence: int
    ended_by: str | None
    ended_reason: str
    my_roles: list[str]
    # Shown to the worker only once the booking is confirmed (design 2).
    address: str | None = None
    support_notes: str | None = None
