from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from slivers.db.base import AppendOnlyBase, DateTimeUTC, JsonB


class AuditEvent(AppendOnlyBase):
    """Never updated or deleted: no code path does, and the database refuses it (triggers)."""

    __tablename__ = "audit_events"
    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    # Facts about the change; never health details, addresses or criminal-record content.
    data: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
