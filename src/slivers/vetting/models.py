"""Vetting records: credentials (with the DBS code of practice's fields), expiry notices sent,
supervision of volunteers, and one-booking overrides. Decisions and overrides are also audited."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slivers.db.base import AppendOnlyBase, Base, DateTimeUTC, JsonB


class Credential(Base):
    __tablename__ = "credentials"
    # By worker, or by worker and type at once (migration 0002c).
    __table_args__ = (Index("ix_credentials_worker_type", "worker_id", "type_code"),)
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"))
    type_code: Mapped[str] = mapped_column(String(40), index=True)
    # submitted | verified | rejected | lapsed | revoked
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Precomputed from the catalogue when decided, so sweeps and candidate search can filter in SQL.
    valid_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    certificate_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    level: Mapped[str | None] = mapped_column(String(40), nullable=True)
    barred_adults_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    barred_children_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    on_update_service: Mapped[bool] = mapped_column(Boolean, default=False)
    update_service_checked_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    # Evidence file: stored under a random key outside any served folder; deleted once decided.
    evidence_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    evidence_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    evidence_content_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    evidence_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    evidence_uploaded_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True
    )
    evidence_deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class CredentialNotice(AppendOnlyBase):
    """A warning threshold handled for a credential (sent or skipped), or its lapse. Unique, so the
    expiry sweep can run any number of times and still send each warning once."""

    __tablename__ = "credential_notices"
    __table_args__ = (UniqueConstraint("credential_id", "kind"),)
    credential_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("credentials.id", ondelete="CASCADE"))
    # warn:60 | warn:30 | warn:7 | lapsed, then "@" and the valid-until date it was for
    kind: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(10))  # sent | skipped | done
    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))


class SupervisionRecord(Base):
    __tablename__ = "supervision_records"
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class EligibilityOverride(Base):
    """A coordinator lets one booking go ahead despite a missing credential, with a written reason."""

    __tablename__ = "eligibility_overrides"
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    credential_code: Mapped[str] = mapped_column(String(40))
    request_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True, index=True)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    used_by_booking_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)


class VettingPolicy(Base):
    """An organisation's edited catalogue (which credentials each task type needs, validity in years).
    No row means the seeded catalogue in code (`DEFAULT_POLICY`). Edits are audited and read when a
    booking is made, so bookings already made are not re-judged by them."""

    __tablename__ = "vetting_policies"
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    document: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class SupervisionNotice(AppendOnlyBase):
    """A supervision warning or overdue notice handled for one volunteer and one due date; unique, so
    the supervision sweep tells each person once per deadline however often it runs."""

    __tablename__ = "supervision_notices"
    __table_args__ = (UniqueConstraint("worker_id", "deadline", "kind"),)
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"))
    deadline: Mapped[str] = mapped_column(String(10))  # the due date (ISO), or "never" if never supervised
    kind: Mapped[str] = mapped_column(String(20))  # warn:14 | overdue
    outcome: Mapped[str] = mapped_column(String(10))  # sent | skipped
    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
