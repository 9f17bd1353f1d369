"""The clock behind an interface, so expiry, reminders and BST/GMT changes are tested exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock for tests: stands still until moved."""

    def __init__(self, at: datetime) -> None:
        self._at = ensure_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = ensure_utc(at)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def ensure_utc(value: datetime) -> datetime:
    """A timezone-aware UTC instant; naive values are refused, since their meaning is a guess."""
    if value.tzinfo is None:
        raise ValueError("a naive datetime has no time zone; give an offset such as Z or +01:00")
    return value.astimezone(UTC)


def to_london(value: datetime) -> datetime:
    return ensure_utc(value).astimezone(LONDON)
