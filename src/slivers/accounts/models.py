"""Users, organisations, persons supported and their circles of support, sign-in sessions and tokens."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slivers.db.base import AppendOnlyBase, Base, DateTimeUTC, JsonB


class AccountType(StrEnum):
    SERVICE_USER = "service_user"  # "I need help"
    CARER = "carer"  # "I look after someone"
    WORKER = "worker"  # "I want to work"
    VOLUNTEER = "volunteer"  # "I want to volunteer"
    STAFF = "staff"  # coordinators and funder officers, made by an operator or an organisation


class OrganisationKind(StrEnum):
    COUNCIL = "council"
    CHARITY = "charity"
    AGENCY = "agency"


class OrgRole(StrEnum):
    COORDINATOR = "coordinator"
    FUNDER = "funder"


class CirclePermission(StrEnum):
    VIEW = "view"
    REQUEST = "request"
    APPROVE = "approve"
    MANAGE = "manage"


class User(Base):
    __tablename__ = "users"
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(200))
    account_type: Mapped[str] = mapped_column(String(20))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Organisation(Base):
    __tablename__ = "organisations"
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))


class OrganisationMember(Base):
    __tablename__ = "organisation_members"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id", "role"),)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))


class Person(Base):
    """A person supported. A record, not necessarily a login."""

    __tablename__ = "persons"
    display_name: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), unique=True, nullable=True)
    home_postcode: Mapped[str] = mapped_column(String(8))
    address: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[str] = mapped_column(Text, default="")
    support_notes: Mapped[str] = mapped_column(Text, default="")
    household_has_child: Mapped[bool] = mapped_column(Boolean, default=False)
    hard_requirements: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    preferences: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    funder_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), nullable=True)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class CircleMember(Base):
    __tablename__ = "circle_members"
    __table_args__ = (UniqueConstraint("person_id", "user_id"),)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    can_view: Mapped[bool] = mapped_column(Boolean, default=True)
    can_request: Mapped[bool] = mapped_column(Boolean, default=False)
    can_approve: Mapped[bool] = mapped_column(Boolean, default=False)
    can_manage: Mapped[bool] = mapped_column(Boolean, default=False)

    def permissions(self) -> set[CirclePermission]:
        granted = {
            CirclePermission.VIEW: self.can_view,
            CirclePermission.REQUEST: self.can_request,
            CirclePermission.APPROVE: self.can_approve,
            CirclePermission.MANAGE: self.can_manage,
        }
        return {perm for perm, on in granted.items() if on}


class CircleInvitation(Base):
    __tablename__ = "circle_invitations"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    permissions: Mapped[list[str]] = mapped_column(JsonB, default=list)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    accepted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class Worker(Base):
    """A paid worker's or volunteer's profile: who they are to the market and to vetting."""

    __tablename__ = "workers"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # paid | volunteer
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | active | suspended
    status_reason: Mapped[str] = mapped_column(Text, default="")
    first_name: Mapped[str] = mapped_column(String(100))
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), nullable=True)
    employer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), nullable=True)
    self_employed: Mapped[bool] = mapped_column(Boolean, default=False)
    home_postcode: Mapped[str | None] = mapped_column(String(8), nullable=True)
    max_travel_km: Mapped[int] = mapped_column(Integer, default=8)
    task_types: Mapped[list[str]] = mapped_column(JsonB, default=list)
    hourly_rate_pence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    min_notice_minutes: Mapped[int] = mapped_column(Integer, default=120)
    min_visit_minutes: Mapped[int] = mapped_column(Integer, default=60)
    max_visit_minutes: Mapped[int] = mapped_column(Integer, default=240)
    max_minutes_per_day: Mapped[int] = mapped_column(Integer, default=480)
    max_minutes_per_week: Mapped[int] = mapped_column(Integer, default=2400)
    instant_book: Mapped[bool] = mapped_column(Boolean, default=False)
    attributes: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    last_supervision_on: Mapped[dt.date | None] = mapped_column(nullable=True)


class UserSession(Base):
    """A signed-in browser. The cookie holds a random token; we keep only its SHA-256."""

    __tablename__ = "user_sessions"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class LoginAttempt(AppendOnlyBase):
    """Failed sign-ins, for throttling per account and per address. Purged after a day."""

    __tablename__ = "login_attempts"
    email_hash: Mapped[str] = mapped_column(String(64), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
