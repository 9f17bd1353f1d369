"""Database models of this domain (imported by slivers.metadata for Alembic and tests).

The invariants are decided in `rules.invariants`; the constraints here (named there) are their last
line of defence: a seat unique per occurrence, one open offer per worker and occurrence, and on
PostgreSQL the exclusion constraint of migration 0003 on a worker's blocking bookings.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from slivers.db.base import AppendOnlyBase, Base, DateTimeUTC, JsonB
from slivers.market.rules.invariants import (
    MAX_WORKERS_PER_VISIT,
    OPEN_OFFER_INDEX,
    OPEN_STATES,
    SEAT_INDEX,
    SEAT_RANGE,
    status_in_sql,
)


class WorkerMarketProfile(Base):
    """What the market derives from a worker's profile when it is saved, so candidate search can
    narrow in SQL: the home centroid, the task types as a bit mask, and how far they travel."""

    __tablename__ = "worker_market_profiles"
    # Candidate search's narrowing reads this index alone for its box, task and distance tests and for
    # what it selects of the profile (an index-only scan on PostgreSQL), and the longest reach from the
    # second (migration 0003c).
    __table_args__ = (
        Index(
            "ix_worker_market_profiles_search",
            "home_lat",
            "home_lon",
            "task_mask",
            "reach_km",
            "worker_id",
            "reliability_reviewed_at",
        ),
        Index("ix_worker_market_profiles_reach_km", "reach_km"),
    )
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), unique=True)
    home_lat: Mapped[float] = mapped_column(Float)
    home_lon: Mapped[float] = mapped_column(Float)
    task_mask: Mapped[int] = mapped_column(Integer, default=0)
    # A copy of workers.max_travel_km that database triggers keep (migration 0003c): never written here.
    reach_km: Mapped[int] = mapped_column(Integer, server_default="0")
    reliability_reviewed_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True
    )
    reliability_reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id"), nullable=True
    )


class AvailabilityRule(Base):
    """One availability rule of a worker (design 4.1). `kind`: window (UTC instants), weekly
    (London wall-clock minutes on weekdays, bit 0 = Monday), skip (one local date, of one pattern or
    all) or remove (UTC instants)."""

    __tablename__ = "availability_rules"
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    start_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    end_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    weekday_mask: Mapped[int | None] = mapped_column(Integer, nullable=True)
    start_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    overnight: Mapped[bool] = mapped_column(Boolean, default=False)
    from_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    until_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    skip_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    pattern_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)


class CareRequest(Base):
    """A need posted for a person (design 4.2); its slots are its occurrences."""

    __tablename__ = "care_requests"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    task_types: Mapped[list[str]] = mapped_column(JsonB, default=list)
    postcode: Mapped[str] = mapped_column(String(8))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    nation: Mapped[str] = mapped_column(String(20))
    workers_needed: Mapped[int] = mapped_column(Integer, default=1)
    hard_requirements: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    preferred_worker_ids: Mapped[list[str]] = mapped_column(JsonB, default=list)
    blocked_worker_ids: Mapped[list[str]] = mapped_column(JsonB, default=list)
    max_rate_pence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    budget_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True, index=True)
    volunteers_first: Mapped[bool] = mapped_column(Boolean, default=False)
    series: Mapped[dict[str, Any] | None] = mapped_column(JsonB, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | cancelled


class RequestOccurrence(Base):
    """One slot of a request. `cover_needed_since` is set when a confirmed booking is lost, and
    cleared when the seats are filled again; the cover sweep looks at it."""

    __tablename__ = "request_occurrences"
    __table_args__ = (
        UniqueConstraint("request_id", "position", name="uq_request_occurrences_position"),
        CheckConstraint("end_at > start_at", name="ends_after_start"),
    )
    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("care_requests.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    start_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    end_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    workers_needed: Mapped[int] = mapped_column(Integer, default=1)
    cover_needed_since: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("end_at > start_at", name="ends_after_start"),
        CheckConstraint(f"seat IS NULL OR (seat >= 1 AND seat <= {MAX_WORKERS_PER_VISIT})", name=SEAT_RANGE),
        Index(
            SEAT_INDEX,
            "occurrence_id",
            "seat",
            unique=True,
            sqlite_where=text("seat IS NOT NULL"),
            postgresql_where=text("seat IS NOT NULL"),
        ),
        Index(
            OPEN_OFFER_INDEX,
            "occurrence_id",
            "worker_id",
            unique=True,
            sqlite_where=text(status_in_sql(OPEN_STATES)),
            postgresql_where=text(status_in_sql(OPEN_STATES)),
        ),
        Index("ix_bookings_worker_start", "worker_id", "start_at"),
        # "Has this worker visited this person before?" for each candidate (migration 0003c).
        Index("ix_bookings_worker_person", "worker_id", "person_id", "status"),
    )
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_requests.id"), index=True)
    occurrence_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("request_occurrences.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workers.id"))
    booked_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    start_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    end_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    rate_pence_per_hour: Mapped[int | None] = mapped_column(Integer, nullable=True)
    worker_is_volunteer: Mapped[bool] = mapped_column(Boolean, default=False)
    instant_book: Mapped[bool] = mapped_column(Boolean, default=False)
    budget_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    respond_by: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    seat: Mapped[int | None] = mapped_column(Integer, nullable=True)
    is_cover: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    checked_out_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    actual_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    ended_by: Mapped[str | None] = mapped_column(String(20), nullable=True)  # the party role
    ended_reason: Mapped[str] = mapped_column(Text, default="")
    late_fee_pence: Mapped[int] = mapped_column(Integer, default=0)
    visit_notes: Mapped[str] = mapped_column(Text, default="")


class ReliabilityStrike(AppendOnlyBase):
    """A late cancellation (1 point) or a no-show (2), one per booking and kind, never changed."""

    __tablename__ = "reliability_strikes"
    __table_args__ = (UniqueConstraint("booking_id", "kind", name="uq_reliability_strikes_booking_kind"),)
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bookings.id"))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    reason: Mapped[str] = mapped_column(Text, default="")


class CalendarFeed(Base):
    """A secret iCalendar URL: of a worker's confirmed visits, or of a person's visits for one circle
    member. Only the token's SHA-256 is kept; revoking sets `revoked_at`."""

    __tablename__ = "calendar_feeds"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), nullable=True
    )
    person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), nullable=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
