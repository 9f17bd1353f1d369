from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from slivers.db.base import Base, DateTimeUTC, JsonB


class MatchingRun(Base):
    """One optimiser run for a coordinator's organisation: queued by the API or CLI, solved by the
    scheduler, then applied (turned into offers) on request."""

    __tablename__ = "matching_runs"
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    status: Mapped[str] = mapped_column(
        String(10), default="queued", index=True
    )  # queued|running|done|failed
    mode: Mapped[str] = mapped_column(String(20), default="fill")
    horizon_start: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    horizon_end: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    districts: Mapped[list[str]] = mapped_column(JsonB, default=list)
    time_limit_s: Mapped[int] = mapped_column(Integer, default=30)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    summary: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    # occurrence id -> worker ids; occurrence id -> {"reason": ..., "conflicts": [...]}
    assignments: Mapped[dict[str, list[str]]] = mapped_column(JsonB, default=dict)
    unfilled: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    applied_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    offers_made: Mapped[int] = mapped_column(Integer, default=0)
