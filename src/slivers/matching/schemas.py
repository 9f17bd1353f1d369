from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

MAX_HORIZON = timedelta(days=28)
District = Annotated[str, Meta(min_length=2, max_length=4, pattern=r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]?$")]


class MatchingRunCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    organisation_id: uuid.UUID
    horizon_start: datetime
    horizon_end: datetime
    districts: Annotated[list[District], Meta(max_length=50)] = msgspec.field(default_factory=list)
    mode: Literal["fill", "min_workers", "min_faces"] = "fill"
    time_limit_s: Annotated[int, Meta(ge=1, le=300)] = 30

    def __post_init__(self) -> None:
        if self.horizon_start.tzinfo is None or self.horizon_end.tzinfo is None:
            raise ValueError("horizon_start and horizon_end need a time zone, such as Z")
        if self.horizon_end <= self.horizon_start:
            raise ValueError("horizon_end must be after horizon_start")
        if self.horizon_end - self.horizon_start > MAX_HORIZON:
            raise ValueError("the horizon can be at most 28 days")


class MatchingRunRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    organisation_id: uuid.UUID
    status: str
    mode: str
    horizon_start: datetime
    horizon_end: datetime
    districts: list[str]
    time_limit_s: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    summary: dict[str, Any]
    assignments: dict[str, list[str]]
    unfilled: dict[str, Any]
    error: str
    applied_at: datetime | None
    offers_made: int
