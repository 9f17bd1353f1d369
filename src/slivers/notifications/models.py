"""The notification outbox: the database is the queue; a sweep sends what is due."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from slivers.db.base import Base, DateTimeUTC, JsonB


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    recipient_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=True
    )
    # For people who have no account yet (an invitation to a circle): their email address.
    recipient_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    channel: Mapped[str] = mapped_column(String(10))  # in_app | email | sms
    template: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    # Makes enqueueing idempotent: a sweep that runs twice enqueues each message once.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    send_after: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True, index=True)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
