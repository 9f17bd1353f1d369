"""Availability rules as the API takes them: a tagged union on `kind`."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated

import msgspec
from msgspec import Meta

from slivers.errors import InvalidInput

Weekday = Annotated[int, Meta(ge=0, le=6)]


class _Rule(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, tag_field="kind"):
    pass


def _check_instants(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput(
            "Give times with a time zone offset, such as Z or +01:00.",
            field="start",
            rule="timezone_required",
        )
    if end <= start:
        raise InvalidInput("The end must be after the start.", field="end", rule="end_after_start")


class WindowCreate(_Rule, tag="window"):
    """A one-off window ("free Tuesday 1pm to 5pm", "extra Saturday morning")."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _check_instants(self.start, self.end)


class WeeklyCreate(_Rule, tag="weekly"):
    """Weekly local hours in Europe/London; an end at or before the start runs overnight."""

    weekdays: Annotated[list[Weekday], Meta(min_length=1, max_length=7)]
    start_time: time
    end_time: time
    from_date: date
    until_date: date | None = None

    def __post_init__(self) -> None:
        if self.start_time.tzinfo is not None or self.end_time.tzinfo is not None:
            raise InvalidInput(
                "Give local London times without an offset.", field="start_time", rule="local_time"
            )
        if self.start_time == self.end_time:
            raise InvalidInput(
                "The end time must differ from the start time.", field="end_time", rule="end_after_start"
            )
        if self.until_date is not None and self.until_date < self.from_date:
            raise InvalidInput(
                "The until date is before the from date.", field="until_date", rule="until_after_from"
            )


class SkipCreate(_Rule, tag="skip"):
    """ "Not this Tuesday": no availability from a weekly pattern (or from all) on a local date."""

    on: date
    pattern_id: uuid.UUID | None = None


class RemoveCreate(_Rule, tag="remove"):
    """Away between two instants, whatever else says so."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _check_instants(self.start, self.end)


AvailabilityCreate = WindowCreate | WeeklyCreate | SkipCreate | RemoveCreate


class IntervalRead(msgspec.Struct, kw_only=True):
    start: datetime
    end: datetime


class AvailabilityRuleRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    kind: str
    start: datetime | None = None
    end: datetime | None = None
    weekdays: list[int] | None = None
    start_time: time | None = None
    end_time: time | None = None
    from_date: date | None = None
    until_date: date | None = None
    on: date | None = None
    pattern_id: uuid.UUID | None = None


class AvailabilityRead(msgspec.Struct, kw_only=True):
    rules: list[AvailabilityRuleRead]
    # The rules expanded over the next 14 days, as UTC instants (shown in London time by clients).
    next_14_days: list[IntervalRead]
