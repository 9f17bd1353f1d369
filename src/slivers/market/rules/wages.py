"""The National Living Wage as a dated table (design 4.1): paid rates must meet the rate in force
on the visit date, the Europe/London calendar date on which the visit starts."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime

from slivers.market.rules.intervals import london_date

# (in force from, pence per hour), oldest first. Add a row each April when the new rate is announced.
NATIONAL_LIVING_WAGE: tuple[tuple[date, int], ...] = (
    (date(2025, 4, 1), 1221),
    (date(2026, 4, 1), 1271),
)


class NoWageOnRecord(LookupError):
    """The table does not reach back to the date asked about."""


def minimum_hourly_rate_pence(on: date) -> int:
    """The National Living Wage in pence per hour in force on a calendar date."""
    index = bisect_right(NATIONAL_LIVING_WAGE, on, key=lambda row: row[0]) - 1
    if index < 0:
        raise NoWageOnRecord(f"no National Living Wage on record for {on.isoformat()}")
    return NATIONAL_LIVING_WAGE[index][1]


def minimum_rate_for_visit(visit_start: datetime) -> int:
    """The rate for a visit, by its London date: 23:30 UTC on 31 March 2026 is 1 April in London."""
    return minimum_hourly_rate_pence(london_date(visit_start))


def meets_living_wage(rate_pence_per_hour: int, visit_start: datetime) -> bool:
    return rate_pence_per_hour >= minimum_rate_for_visit(visit_start)
