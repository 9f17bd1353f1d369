"""Reliability strikes (design 4.4): a late cancellation by the worker is one point, a no-show two;
three points within 30 days pause new bookings until a coordinator reviews the worker."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

PAUSE_AT_POINTS = 3
STRIKE_WINDOW = timedelta(days=30)


class StrikeKind(StrEnum):
    LATE_CANCELLATION = "late_cancellation"
    NO_SHOW = "no_show"


STRIKE_POINTS: dict[StrikeKind, int] = {StrikeKind.LATE_CANCELLATION: 1, StrikeKind.NO_SHOW: 2}


@dataclass(frozen=True, slots=True, order=True)
class Strike:
    at: datetime
    kind: StrikeKind

    @property
    def points(self) -> int:
        return STRIKE_POINTS[self.kind]


def strike_points(strikes: Iterable[Strike], now: datetime, reviewed_at: datetime | None = None) -> int:
    """Points that count now: within the last 30 days (a strike exactly 30 days old has lapsed),
    not in the future, and after the latest coordinator review (a review clears strikes at or
    before its own instant)."""
    window_start = now - STRIKE_WINDOW
    total = 0
    for strike in strikes:
        if strike.at <= window_start or strike.at > now:
            continue
        if reviewed_at is not None and strike.at <= reviewed_at:
            continue
        total += strike.points
    return total


def is_paused(strikes: Iterable[Strike], now: datetime, reviewed_at: datetime | None = None) -> bool:
    """Whether new bookings are paused: at some moment since the last review, the strikes of the
    30 days before it reached 3 points. The pause then lasts until a review, not just until the
    strikes age out, because design 4.4 asks for a person to look at the worker."""
    unreviewed = sorted(
        strike for strike in strikes if strike.at <= now and (reviewed_at is None or strike.at > reviewed_at)
    )
    window_points = 0
    oldest = 0
    for strike in unreviewed:
        window_points += strike.points
        while unreviewed[oldest].at <= strike.at - STRIKE_WINDOW:
            window_points -= unreviewed[oldest].points
            oldest += 1
        if window_points >= PAUSE_AT_POINTS:
            return True
    return False
