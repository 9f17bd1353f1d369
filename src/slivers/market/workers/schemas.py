"""Request and response structures for worker profiles and reliability (snake_case, as the whole API)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import Meta

from slivers.errors import InvalidInput

AttributeValue = bool | str | list[str]
Minutes = Annotated[int, Meta(ge=0, le=7 * 24 * 60)]
VisitMinutes = Annotated[int, Meta(ge=15, le=12 * 60)]


# How far a worker may say they travel; candidate search's bounding box assumes no more unless a
# row says otherwise (market.worker_snapshots).
MAX_TRAVEL_KM = 50


class Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base for every request body: unknown fields are refused, not ignored."""


class WorkerProfileUpdate(Strict):
    """The whole market profile, replaced at once (PUT)."""

    home_postcode: Annotated[str, Meta(min_length=2, max_length=10)]
    max_travel_km: Annotated[int, Meta(ge=1, le=MAX_TRAVEL_KM)]
    task_types: Annotated[list[str], Meta(min_length=1, max_length=7)]
    hourly_rate_pence: Annotated[int, Meta(ge=1, le=100_000)] | None = None
    min_notice_minutes: Minutes = 120
    min_visit_minutes: VisitMinutes = 60
    max_visit_minutes: VisitMinutes = 240
    max_minutes_per_day: Annotated[int, Meta(ge=15, le=24 * 60)] = 480
    max_minutes_per_week: Annotated[int, Meta(ge=15, le=7 * 24 * 60)] = 2400
    instant_book: bool = False
    languages: Annotated[list[Annotated[str, Meta(min_length=2, max_length=40)]], Meta(max_length=20)] = (
        msgspec.field(default_factory=list)
    )
    gender: Annotated[str, Meta(min_length=1, max_length=40)] | None = None
    # Other attributes used as hard requirements: bsl, non_smoker, pets_ok, driving_licence, ...
    attributes: Annotated[
        dict[Annotated[str, Meta(min_length=1, max_length=40)], AttributeValue], Meta(max_length=30)
    ] = msgspec.field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.min_visit_minutes > self.max_visit_minutes:
            raise InvalidInput(
                "The shortest visit must not be longer than the longest.",
                field="min_visit_minutes",
                rule="min_not_above_max",
            )
        if self.max_minutes_per_day > self.max_minutes_per_week:
            raise InvalidInput(
                "Hours a day must not be more than hours a week.",
                field="max_minutes_per_day",
                rule="day_not_above_week",
            )


class StrikeRead(msgspec.Struct, kw_only=True):
    at: datetime
    kind: str
    points: int
    reason: str


class ReliabilityRead(msgspec.Struct, kw_only=True):
    points_last_30_days: int
    paused: bool
    reviewed_at: datetime | None
    strikes: list[StrikeRead]


class WorkerProfileRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    first_name: str
    kind: str
    status: str
    home_postcode: str | None
    max_travel_km: int
    task_types: list[str]
    hourly_rate_pence: int | None
    min_notice_minutes: int
    min_visit_minutes: int
    max_visit_minutes: int
    max_minutes_per_day: int
    max_minutes_per_week: int
    instant_book: bool
    attributes: dict[str, AttributeValue]
    reliability: ReliabilityRead


class VettedRead(msgspec.Struct, kw_only=True):
    status: str
    check_level: str
    issued_on: date


class WorkerPublicRead(msgspec.Struct, kw_only=True):
    """What anyone signed in may see of a worker: no postcode, no credentials beyond "vetted"."""

    id: uuid.UUID
    first_name: str
    kind: str
    task_types: list[str]
    hourly_rate_pence: int | None
    instant_book: bool
    vetted: VettedRead | None


class ReliabilityReview(Strict):
    note: Annotated[str, Meta(min_length=1, max_length=2000)]
