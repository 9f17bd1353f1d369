"""The note that explains a visit's real length on a clock-change day, and the words it is made of."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from slivers.market.rules.intervals import clock_change_note, duration_words, london_occurrence


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "note"),
    [
        (  # 01:30-02:30 London on the autumn change day: two real hours
            utc(2027, 10, 31, 0, 30),
            utc(2027, 10, 31, 2, 30),
            "This visit is 2 hours long because the clocks go back at 2am on 31 October.",
        ),
        (  # an overnight sit, 22:00-08:00, across the autumn change: eleven hours
            utc(2026, 10, 24, 21, 0),
            utc(2026, 10, 25, 8, 0),
            "This visit is 11 hours long because the clocks go back at 2am on 25 October.",
        ),
        (  # 00:30-03:00 London on the spring change day: an hour and a half
            utc(2027, 3, 28, 0, 30),
            utc(2027, 3, 28, 2, 0),
            "This visit is 1 hour 30 minutes long because the clocks go forward at 1am on 28 March.",
        ),
    ],
)
def test_a_visit_across_a_clock_change_says_how_long_it_really_is(
    start: datetime, end: datetime, note: str
) -> None:
    assert clock_change_note(start, end) == note


def test_the_autumn_wall_clock_hour_is_two_real_hours() -> None:
    visit = london_occurrence(date(2027, 10, 31), time(1, 30), time(2, 30))
    assert visit is not None
    assert visit.minutes == 120
    assert clock_change_note(visit.start, visit.end) is not None


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (utc(2027, 10, 24, 0, 30), utc(2027, 10, 24, 1, 30)),  # a week before: BST throughout
        (utc(2027, 11, 7, 1, 30), utc(2027, 11, 7, 2, 30)),  # a week after: GMT throughout
        (utc(2027, 10, 31, 3, 0), utc(2027, 10, 31, 5, 0)),  # the change day, after the change
    ],
)
def test_other_visits_have_no_note(start: datetime, end: datetime) -> None:
    assert clock_change_note(start, end) is None


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (120, "2 hours"),
        (60, "1 hour"),
        (90, "1 hour 30 minutes"),
        (45, "45 minutes"),
        (1, "1 minute"),
        (0, "0 minutes"),
    ],
)
def test_duration_words(minutes: int, words: str) -> None:
    assert duration_words(minutes) == words
