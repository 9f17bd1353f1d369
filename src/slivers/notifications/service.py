"""Enqueue messages into the outbox (idempotently) and send what is due."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import String, Uuid, column, select, table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.db.engine import dialect_name
from slivers.gateways.channels import Mailer, SmsSender
from slivers.hooks import Templates
from slivers.notifications.models import OutboxMessage
from slivers.notifications.templates import render

MAX_ATTEMPTS = 5
# The recipients' addresses, read from the accounts' users table by name (the outbox's foreign key
# names it too), so notifications sits below accounts, which enqueues circle invitations.
_users = table("users", column("id", Uuid()), column("email", String()))


async def enqueue(
    session: AsyncSession,
    clock: Clock,
    *,
    recipient_id: uuid.UUID | None,
    template: str,
    data: dict[str, Any],
    dedupe_key: str,
    channels: tuple[str, ...] = ("in_app", "email"),
    send_after: dt.datetime | None = None,
    recipient_email: str | None = None,
) -> int:
    """Add one message per channel; a repeated dedupe key adds nothing. Returns how many were added."""
    insert = pg_insert if dialect_name(session) == "postgresql" else sqlite_insert
    added = 0
    for channel in channels:
        statement = (
            insert(OutboxMessage)
            .values(
                id=uuid.uuid4(),
                recipient_id=recipient_id,
                recipient_email=recipient_email,
                channel=channel,
                template=template,
                data=data,
                dedupe_key=f"{dedupe_key}:{channel}",
                send_after=send_after or clock.now(),
                attempts=0,
                last_error="",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
        result = await session.execute(statement)
        added += int(getattr(result, "rowcount", 0) or 0)
    return added


async def send_due(
    session: AsyncSession,
    clock: Clock,
    mailer: Mailer | None,
    sms: SmsSender | None,
    templates: Templates,
    *,
    limit: int = 200,
) -> int:
    """Deliver due messages, worded from `templates` (every domain's: `Hooks.notification_templates`).
    In-app messages are delivered by being stored; they are marked sent."""
    now = clock.now()
    rows = (
        await session.execute(
            select(OutboxMessage, _users.c.email)
            .outerjoin(_users, _users.c.id == OutboxMessage.recipient_id)
            .where(OutboxMessage.sent_at.is_(None))
            .where(OutboxMessage.send_after <= now)
            .where(OutboxMessage.attempts < MAX_ATTEMPTS)
            .order_by(OutboxMessage.send_after)
            .limit(limit)
        )
    ).all()
    sent = 0
    for message, user_email in rows:
        email = user_email or message.recipient_email or ""
        try:
            subject, body = render(templates, message.template, message.data)
            if message.channel == "email" and mailer is not None and email:
                mailer.send(email, subject, body)
            elif message.channel == "sms" and sms is not None:
                phone = str(message.data.get("phone", ""))
                if phone:
                    sms.send(phone, body)
            message.sent_at = now
            sent += 1
        except Exception as error:  # a channel failing must not stop the sweep; retried later
            message.attempts += 1
            message.last_error = type(error).__name__
    return sent
