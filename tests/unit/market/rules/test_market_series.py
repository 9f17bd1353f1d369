from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from slivers.clock import LONDON
from slivers.market.rules.intervals import clock_words, spring_forward
from slivers.market.rules.overlap import BookedVisit
from slivers.market.rules.series import (
    Occurrence,
    SkippedOccurrence,
    SlotError,
    WeeklySeries,
    check_occurrences,
    expand,
    occurrences,
    validate_series,
    validate_slot,
)

SUNDAY = 6
HOME = (51.9, -0.2)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("from_date", "change_day"),
    [
        (date(2026, 3, 1), date(2026, 3, 29)),
        (date(2026, 10, 4), date(2026, 10, 25)),
        (date(2027, 3, 7), date(2027, 3, 28)),
        (date(2027, 10, 10), date(2027, 10, 31)),
    ],
)
def test_weekly_series_across_the_last_sunday_is_at_local_time_every_week(
    from_date: date, change_day: date
) -> None:
    series = WeeklySeries(frozenset({SUNDAY}), time(10), time(12, 30), from_date, max_occurrences=8)

    found = occurrences(series)

    assert len(found) == 8
    assert change_day in [o.local_date for o in found]
    for index, occurrence in enumerate(found):
        local_start = occurrence.start.astimezone(LONDON)
        assert occurrence.index == index
        assert local_start.date() == occurrence.local_date
        assert local_start.weekday() == SUNDAY
        assert local_start.time() == time(10)
        assert occurrence.end.astimezone(LONDON).time() == time(12, 30)
        assert occurrence.end - occurrence.start == timedelta(hours=2, minutes=30)
    before = [o for o in found if o.local_date < change_day]
    after = [o for o in found if o.local_date >= change_day]
    assert {o.start.astimezone(LONDON).utcoffset() for o in before} != {
        o.start.astimezone(LONDON).utcoffset() for o in after
    }


def test_march_2026_occurrences_in_utc() -> None:
    series = WeeklySeries(frozenset({SUNDAY}), time(10), time(12), date(2026, 3, 22), max_occurrences=2)

    assert [(o.start, o.end) for o in occurrences(series)] == [
        (utc(2026, 3, 22, 10), utc(2026, 3, 22, 12)),  # GMT
        (utc(2026, 3, 29, 9), utc(2026, 3, 29, 11)),  # BST from 01:00 UTC that morning
    ]


def test_series_stops_at_until_date_cap_or_horizon() -> None:
    weekly = WeeklySeries(frozenset({0}), time(9), time(10), date(2026, 1, 5))

    assert len(occurrences(weekly)) == 52
    assert len(occurrences(WeeklySeries(frozenset({0, 3}), time(9), time(10), date(2026, 1, 5)))) == 52
    until = WeeklySeries(frozenset({0}), time(9), time(10), date(2026, 1, 5), until_date=date(2026, 1, 19))
    assert [o.local_date for o in occurrences(until)] == [
        date(2026, 1, 5),
        date(2026, 1, 12),
        date(2026, 1, 19),
    ]
    assert len(occurrences(weekly, horizon_end=date(2026, 1, 31))) == 4


def test_each_occurrence_is_checked_separately() -> None:
    series = WeeklySeries(frozenset({SUNDAY}), time(10), time(12), date(2026, 3, 15), max_occurrences=4)
    found = occurrences(series)
    # The worker already has a visit on the BST Sunday, 29 March, 11:00-13:00 local (10:00-12:00 UTC).
    clash = BookedVisit(utc(2026, 3, 29, 10), utc(2026, 3, 29, 12), HOME, booking_id="b1")
    # And one at 12:00 UTC on 22 March, GMT, which is exactly the end of that occurrence: a 10-minute
    # buffer is needed, so it also clashes.
    touching = BookedVisit(utc(2026, 3, 22, 12), utc(2026, 3, 22, 13), HOME, booking_id="b2")

    reports = check_occurrences(found, [clash, touching], HOME, NOW)

    assert [r.occurrence.local_date for r in reports] == [
        date(2026, 3, 15),
        date(2026, 3, 22),
        date(2026, 3, 29),
        date(2026, 4, 5),
    ]
    assert [r.ok for r in reports] == [True, False, False, True]
    assert [c.existing.booking_id for c in reports[1].conflicts] == ["b2"]
    assert [c.existing.booking_id for c in reports[2].conflicts] == ["b1"]


def test_past_occurrences_are_reported_not_dropped() -> None:
    series = WeeklySeries(frozenset({SUNDAY}), time(10), time(12), date(2026, 3, 15), max_occurrences=3)

    reports = check_occurrences(occurrences(series), [], HOME, now=utc(2026, 3, 25))

    assert [[e.rule for e in r.errors] for r in reports] == [["not_in_past"], ["not_in_past"], []]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (utc(2026, 2, 1, 10), utc(2026, 2, 1, 10, 15), []),
        (utc(2026, 2, 1, 10), utc(2026, 2, 1, 22), []),
        (utc(2026, 2, 1, 10), utc(2026, 2, 1, 10), [("end", "end_after_start")]),
        (utc(2026, 2, 1, 10), utc(2026, 2, 1, 9), [("end", "end_after_start")]),
        (utc(2026, 2, 1, 10), utc(2026, 2, 1, 10, 14), [("end", "min_length")]),
        (utc(2026, 2, 1, 10), utc(2026, 2, 1, 22, 1), [("end", "max_length")]),
        (utc(2025, 12, 31, 23), utc(2026, 1, 1, 1), [("start", "not_in_past")]),
        (datetime(2026, 2, 1, 10), utc(2026, 2, 1, 11), [("start", "timezone_required")]),
    ],
)
def test_validate_slot_names_field_and_rule(
    start: datetime, end: datetime, expected: list[tuple[str, str]]
) -> None:
    errors = validate_slot(start, end, NOW)

    assert [(e.field, e.rule) for e in errors] == expected
    assert all(isinstance(e, SlotError) and e.message for e in errors)


def test_validate_series_rules() -> None:
    good = WeeklySeries(frozenset({1}), time(9), time(10), date(2026, 1, 1))
    bad = WeeklySeries(frozenset(), time(9), time(9), date(2026, 1, 2), date(2026, 1, 1), max_occurrences=53)

    assert validate_series(good) == []
    assert [(e.field, e.rule) for e in validate_series(bad)] == [
        ("weekdays", "not_empty"),
        ("end_time", "end_after_start"),
        ("until_date", "until_after_from"),
        ("max_occurrences", "occurrence_range"),
    ]


def test_a_visit_the_spring_forward_gap_swallows_is_reported_with_the_reason() -> None:
    """01:30-02:30 on 29 March 2026: 01:30 does not exist and 02:30 BST is the same instant, so there is
    no visit that day. It is reported in its place, in plain words, and not counted as a visit."""
    series = WeeklySeries(frozenset({SUNDAY}), time(1, 30), time(2, 30), date(2026, 3, 22), max_occurrences=3)

    expanded = expand(series)

    assert [type(o).__name__ for o in expanded] == [
        "Occurrence",
        "SkippedOccurrence",
        "Occurrence",
        "Occurrence",
    ]
    skipped = expanded[1]
    assert isinstance(skipped, SkippedOccurrence)
    assert skipped.local_date == date(2026, 3, 29)
    assert skipped.start == utc(2026, 3, 29, 1, 30)
    assert skipped.error == SlotError(
        "series.start_time",
        "clock_change_gap",
        "The clocks go forward at 1am on 29 March, so 1:30am does not happen that day.",
    )
    assert [o.local_date for o in occurrences(series)] == [
        date(2026, 3, 22),
        date(2026, 4, 5),
        date(2026, 4, 12),
    ]
    assert [o.index for o in occurrences(series)] == [0, 1, 2]


@pytest.mark.parametrize(
    ("start", "end", "real_minutes"),
    [
        (time(1, 30), time(3, 0), 30),  # starts in the gap: from 02:30 BST, as the clock allows
        (time(0, 30), time(1, 30), 60),  # ends in the gap: one real hour
        (time(1, 15), time(1, 45), 30),  # wholly in the gap: half an hour, an hour later on the clock
    ],
)
def test_a_visit_the_gap_only_moves_still_happens(start: time, end: time, real_minutes: int) -> None:
    series = WeeklySeries(frozenset({SUNDAY}), start, end, date(2026, 3, 29), max_occurrences=1)

    (only,) = expand(series)

    assert isinstance(only, Occurrence)
    assert only.end - only.start == timedelta(minutes=real_minutes)


def test_the_spring_forward_gap_is_found_only_on_its_day() -> None:
    assert spring_forward(date(2026, 3, 29)) == (time(1), time(2))
    assert spring_forward(date(2027, 3, 28)) == (time(1), time(2))
    for day in (date(2026, 3, 28), date(2026, 3, 30), date(2026, 10, 25), date(2026, 6, 1)):
        assert spring_forward(day) is None


@pytest.mark.parametrize(
    ("at", "words"),
    [
        (time(1, 30), "1:30am"),
        (time(1), "1am"),
        (time(0, 5), "12:05am"),
        (time(12), "12pm"),
        (time(14, 45), "2:45pm"),
    ],
)
def test_clock_words(at: time, words: str) -> None:
    assert clock_words(at) == words
