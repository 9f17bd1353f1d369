"""The real clock, moved years ahead for the whole test run (the time-bomb check).

A test that reaches the real clock (`SystemClock`: the CLI, the scheduler, a real test server) with a
fixed calendar date works until that date passes, then fails on a clean clone with no change made.
The suite therefore never sees today's date through the real clock: `SystemClock.now()` answers
`SLIVERS_TEST_CLOCK_SHIFT_DAYS` days ahead (default about three years and a few days, so the weekday
moves too). A fixed date that would expire within that span fails today instead of some day.

Tests that need "now" for a real server compute it from `real_now()`, never from `datetime.now()`.
The shift is inherited by the test servers and CLI processes the suite starts (through the
environment) and installed there by `install()`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from slivers.clock import SystemClock

ENV = "SLIVERS_TEST_CLOCK_SHIFT_DAYS"
DEFAULT_SHIFT_DAYS = 1_113
_true_now = SystemClock.now


def shift() -> timedelta:
    return timedelta(days=int(os.environ.get(ENV, str(DEFAULT_SHIFT_DAYS))))


def real_now() -> datetime:
    """What the code under test takes for the real clock's now (UTC)."""
    return SystemClock().now()


def install() -> None:
    """Move `SystemClock` ahead in this process and in every process it starts."""
    os.environ.setdefault(ENV, str(DEFAULT_SHIFT_DAYS))
    ahead = shift()

    def shifted_now(self: SystemClock) -> datetime:
        return datetime.now(UTC) + ahead

    SystemClock.now = shifted_now  # type: ignore[method-assign]


def true_now() -> datetime:
    """The machine's own clock, for the check that the shift is in force."""
    return _true_now(SystemClock())
