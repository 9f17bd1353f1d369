"""Request and response structures for requests (needs)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated

import msgspec
from msgspec import Meta

from slivers.errors import InvalidInput
from slivers.market.candidates.schemas import ProblemRead
from slivers.market.rules.series import MAX_OCCURRENCES

RequirementValue = bool | str | list[str]


class Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class SeriesCreate(Strict):
    """Weekly local times in Europe/London; an end at or before the start runs overnight."""

    weekdays: Annotated[list[Annotated[int, Meta(ge=0, le=6)]], Meta(min_length=1, max_length=7)]
    start_time: time
    end_time: time
    from_date: date
    until_date: date | None = None
    max_occurrences: Annotated[int, Meta(ge=1, le=MAX_OCCURRENCES)] = MAX_OCCURRENCES


class RequestCreate(Strict):
    """One slot (`start` and `end`) or a weekly `series`, never both."""

    person_id: uuid.UUID
    task_types: Annotated[list[str], Meta(min_length=1, max_length=7)]
    start: datetime | None = None
    end: datetime | None = None
    series: SeriesCreate | None = None
    postcode: Annotated[str, Meta(min_length=2, max_length=10)] | None = None
    workers_needed: Annotated[int, Meta(ge=1, le=2)] = 1
    # None takes the person's own hard requirements.
    hard_requirements: Annotated[dict[str, RequirementValue], Meta(max_length=30)] | None = None
    preferred_worker_ids: Annotated[list[uuid.UUID], Meta(max_length=20)] = msgspec.field(
        default_factory=list
    )
    blocked_worker_ids: Annotated[list[uuid.UUID], Meta(max_length=100)] = msgspec.field(default_factory=list)
    max_rate_pence: Annotated[int, Meta(ge=1, le=100_000)] | None = None
    budget_id: uuid.UUID | None = None
    volunteers_first: bool = False
    notes: Annotated[str, Meta(max_length=2000)] = ""

    def __post_init__(self) -> None:
        one_off = self.start is not None or self.end is not None
        if one_off and self.series is not None:
            raise InvalidInput(
                "Give either a start and end or a series, not both.", field="series", rule="one_off_or_series"
            )
        if not one_off and self.series is None:
            raise InvalidInput("Give a start and an end, or a weekly series.", field="start", rule="required")
        if one_off and (self.start is None or self.end is None):
            raise InvalidInput(
                "Give both a start and an end.", field="end" if self.end is None else "start", rule="required"
            )


class OccurrenceRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    position: int
    start: datetime
    end: datetime
    local_date: date
    local_start_time: time
    minutes: int  # real elapsed time, which is what is charged and paid
    clock_change: str | None  # why `minutes` differs from the London clock times, on a change day
    workers_needed: int
    workers_booked: int
    status: str  # open | filled | past
    cover_needed: bool


COVERAGE_COUNT_LIMIT = 10


class CoverageRead(msgspec.Struct, kw_only=True):
    """Whether an occurrence can be covered now; an uncovered one says why. `candidates` counts the
    eligible workers up to COVERAGE_COUNT_LIMIT (or the workers needed, if more): 10 means "10 or more".
    A day of the series whose visit a clock change takes away (01:30-02:30 on the last Sunday of March)
    is reported too, with no occurrence id or position (there is no visit to book) and the reason."""

    occurrence_id: uuid.UUID | None
    position: int | None
    local_date: date  # the London date the visit starts on
    start: datetime
    coverable: bool
    candidates: int
    problems: list[ProblemRead]


class RequestRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    person_id: uuid.UUID
    status: str
    task_types: list[str]
    postcode: str
    workers_needed: int
    hard_requirements: dict[str, RequirementValue]
    preferred_worker_ids: list[uuid.UUID]
    blocked_worker_ids: list[uuid.UUID]
    max_rate_pence: int | None
    budget_id: uuid.UUID | None
    volunteers_first: bool
    occurrences: list[OccurrenceRead]
    # Present on creation: each occurrence checked separately, none dropped.
    coverage: list[CoverageRead] | None = None
