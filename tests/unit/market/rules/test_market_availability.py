from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slivers.clock import LONDON
from slivers.market.rules.availability import (
    OneOffWindow,
    RemoveRange,
    SkipOccurrence,
    WeeklyPattern,
    covers,
    expand,
)
from slivers.market.rules.intervals import Interval, london_instant

SATURDAY = 5
SUNDAY = 6


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def saturday_mornings(**kwargs: object) -> WeeklyPattern:
    defaults: dict[str, object] = {
        "weekdays": frozenset({SATURDAY}),
        "start_time": time(9),
        "end_time": time(13),
        "from_date": date(2026, 1, 1),
    }
    defaults.update(kwargs)
    return WeeklyPattern(**defaults)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("horizon_start", "horizon_end"),
    [
        (utc(2026, 3, 21), utc(2026, 4, 6)),  # last Sunday of March 2026 is the 29th
        (utc(2026, 10, 17), utc(2026, 11, 2)),  # last Sunday of October 2026 is the 25th
        (utc(2027, 3, 20), utc(2027, 4, 5)),  # 28 March 2027
        (utc(2027, 10, 23), utc(2027, 11, 8)),  # 31 October 2027
    ],
)
def test_weekly_pattern_stays_at_local_wall_clock_time_across_dst(
    horizon_start: datetime, horizon_end: datetime
) -> None:
    intervals = expand([saturday_mornings()], [], [], horizon_start, horizon_end)

    offsets = set()
    for interval in intervals:
        local_start = interval.start.astimezone(LONDON)
        local_end = interval.end.astimezone(LONDON)
        assert local_start.weekday() == SATURDAY
        assert (local_start.time(), local_end.time()) == (time(9), time(13))
        assert interval.end - interval.start == timedelta(hours=4)
        offsets.add(local_start.utcoffset())
    assert len(intervals) >= 2
    assert offsets == {timedelta(0), timedelta(hours=1)}  # one GMT and one BST Saturday


def test_saturday_either_side_of_march_2026_change_in_utc() -> None:
    intervals = expand([saturday_mornings()], [], [], utc(2026, 3, 27), utc(2026, 4, 5))

    assert intervals == [
        Interval(utc(2026, 3, 28, 9), utc(2026, 3, 28, 13)),  # GMT
        Interval(utc(2026, 4, 4, 8), utc(2026, 4, 4, 12)),  # BST
    ]


def test_skip_occurrence_removes_exactly_that_date() -> None:
    pattern = saturday_mornings()
    horizon = (utc(2026, 5, 1), utc(2026, 5, 31))
    every = expand([pattern], [], [], *horizon)
    skipped = expand([pattern], [], [SkipOccurrence(date(2026, 5, 16))], *horizon)

    assert len(every) == 5
    assert [i for i in every if i not in skipped] == [Interval(utc(2026, 5, 16, 8), utc(2026, 5, 16, 12))]


def test_skip_occurrence_of_one_pattern_leaves_the_other() -> None:
    mornings = saturday_mornings(pattern_id="am")
    afternoons = saturday_mornings(start_time=time(15), end_time=time(17), pattern_id="pm")
    result = expand(
        [mornings, afternoons],
        [],
        [SkipOccurrence(date(2026, 5, 16), "am")],
        utc(2026, 5, 16),
        utc(2026, 5, 17),
    )

    assert result == [Interval(utc(2026, 5, 16, 14), utc(2026, 5, 16, 16))]


def test_remove_range_cuts_and_extra_window_adds() -> None:
    extra = OneOffWindow(utc(2026, 5, 17, 9), utc(2026, 5, 17, 11))
    away = RemoveRange(utc(2026, 5, 16, 9), utc(2026, 5, 16, 10))
    result = expand([saturday_mornings()], [], [extra, away], utc(2026, 5, 16), utc(2026, 5, 18))

    assert result == [
        Interval(utc(2026, 5, 16, 8), utc(2026, 5, 16, 9)),
        Interval(utc(2026, 5, 16, 10), utc(2026, 5, 16, 12)),
        Interval(utc(2026, 5, 17, 9), utc(2026, 5, 17, 11)),
    ]


def test_removal_wins_over_a_one_off_window() -> None:
    window = OneOffWindow(utc(2026, 5, 20, 9), utc(2026, 5, 20, 12))
    away = RemoveRange(utc(2026, 5, 20, 8), utc(2026, 5, 20, 13))

    assert expand([], [window], [away], utc(2026, 5, 1), utc(2026, 6, 1)) == []


def test_windows_are_merged_and_clipped_to_the_horizon() -> None:
    windows = [
        OneOffWindow(utc(2026, 5, 20, 9), utc(2026, 5, 20, 12)),
        OneOffWindow(utc(2026, 5, 20, 12), utc(2026, 5, 20, 14)),
        OneOffWindow(utc(2026, 5, 20, 13), utc(2026, 5, 20, 18)),
    ]

    assert expand([], windows, [], utc(2026, 5, 20, 10), utc(2026, 5, 20, 16)) == [
        Interval(utc(2026, 5, 20, 10), utc(2026, 5, 20, 16))
    ]


def test_until_date_is_inclusive_and_from_date_respected() -> None:
    pattern = saturday_mornings(from_date=date(2026, 5, 9), until_date=date(2026, 5, 23))
    result = expand([pattern], [], [], utc(2026, 5, 1), utc(2026, 6, 30))

    assert [i.start.date() for i in result] == [date(2026, 5, 9), date(2026, 5, 16), date(2026, 5, 23)]


def test_spring_forward_gap_start_is_moved_forward_by_the_gap() -> None:
    # 01:30 does not exist in London on 29 March 2026; it becomes 02:30 BST (01:30 UTC).
    pattern = WeeklyPattern(frozenset({SUNDAY}), time(1, 30), time(4), date(2026, 3, 1))
    result = expand([pattern], [], [], utc(2026, 3, 29), utc(2026, 3, 30))

    assert result == [Interval(utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 3))]
    assert result[0].start.astimezone(LONDON).time() == time(2, 30)


def test_autumn_ambiguous_time_takes_the_first_occurrence() -> None:
    # 01:30 happens twice on 25 October 2026; the first is 01:30 BST, 00:30 UTC.
    pattern = WeeklyPattern(frozenset({SUNDAY}), time(1, 30), time(3), date(2026, 10, 1))
    result = expand([pattern], [], [], utc(2026, 10, 25), utc(2026, 10, 26))

    assert result == [Interval(utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 3))]
    assert result[0].end - result[0].start == timedelta(hours=2, minutes=30)


def test_london_instant_gap_and_fold() -> None:
    assert london_instant(date(2026, 3, 29), time(1, 0)) == utc(2026, 3, 29, 1)  # 02:00 BST
    assert london_instant(date(2026, 3, 29), time(2, 0)) == utc(2026, 3, 29, 1)
    assert london_instant(date(2026, 10, 25), time(1, 0)) == utc(2026, 10, 25, 0)


def test_overnight_pattern_runs_into_the_next_day_and_reaches_into_the_horizon() -> None:
    pattern = WeeklyPattern(frozenset({SATURDAY}), time(22), time(7), date(2026, 1, 1))
    result = expand([pattern], [], [], utc(2026, 1, 4), utc(2026, 1, 5))  # Sunday 4 January (GMT)

    assert result == [Interval(utc(2026, 1, 4), utc(2026, 1, 4, 7))]


def test_pattern_rejects_bad_weekdays_and_dates() -> None:
    with pytest.raises(ValueError, match="weekdays"):
        WeeklyPattern(frozenset({7}), time(9), time(10), date(2026, 1, 1))
    with pytest.raises(ValueError, match="until"):
        WeeklyPattern(frozenset({1}), time(9), time(10), date(2026, 1, 2), date(2026, 1, 1))


def test_covers_needs_one_interval_holding_the_whole_slot() -> None:
    intervals = [
        Interval(utc(2026, 5, 20, 9), utc(2026, 5, 20, 12)),
        Interval(utc(2026, 5, 20, 13), utc(2026, 5, 20, 17)),
    ]

    assert covers(intervals, utc(2026, 5, 20, 9), utc(2026, 5, 20, 12))
    assert covers(intervals, utc(2026, 5, 20, 14), utc(2026, 5, 20, 15))
    assert not covers(intervals, utc(2026, 5, 20, 11), utc(2026, 5, 20, 14))
    assert not covers(intervals, utc(2026, 5, 20, 8), utc(2026, 5, 20, 10))
    assert not covers(intervals, utc(2026, 5, 20, 17), utc(2026, 5, 20, 18))
    assert not covers([], utc(2026, 5, 20, 9), utc(2026, 5, 20, 10))


BASE = utc(2026, 1, 1)
instants = st.integers(min_value=0, max_value=60 * 24 * 800).map(lambda m: BASE + timedelta(minutes=m))
spans = st.tuples(instants, st.integers(min_value=1, max_value=60 * 30)).map(
    lambda p: (p[0], p[0] + timedelta(minutes=p[1]))
)
local_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
patterns = st.builds(
    lambda weekdays, times, from_date, until_date: WeeklyPattern(weekdays, *times, from_date, until_date),
    st.frozensets(st.integers(0, 6), min_size=1),
    st.tuples(local_times, local_times).filter(lambda pair: pair[0] != pair[1]),
    st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    st.none() | st.dates(date(2028, 1, 1), date(2028, 12, 31)),
)
exceptions = st.one_of(
    spans.map(lambda s: OneOffWindow(*s)),
    spans.map(lambda s: RemoveRange(*s)),
    st.dates(date(2026, 1, 1), date(2028, 3, 1)).map(SkipOccurrence),
)


@settings(max_examples=150, deadline=None)
@given(
    patterns=st.lists(patterns, max_size=3),
    windows=st.lists(spans.map(lambda s: OneOffWindow(*s)), max_size=5),
    exceptions=st.lists(exceptions, max_size=6),
    horizon=st.tuples(instants, st.integers(min_value=1, max_value=60 * 24 * 60)).map(
        lambda p: (p[0], p[0] + timedelta(minutes=p[1]))
    ),
)
def test_expand_is_sorted_disjoint_and_inside_the_horizon(
    patterns: list[WeeklyPattern],
    windows: list[OneOffWindow],
    exceptions: list[OneOffWindow | RemoveRange | SkipOccurrence],
    horizon: tuple[datetime, datetime],
) -> None:
    start, end = horizon
    result = expand(patterns, windows, exceptions, start, end)

    for interval in result:
        assert start <= interval.start < interval.end <= end
    for earlier, later in pairwise(result):
        assert earlier.end < later.start
    for removal in (e for e in exceptions if isinstance(e, RemoveRange)):
        assert all(i.end <= removal.start or i.start >= removal.end for i in result)
