from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slivers.market.rules.reliability import Strike, StrikeKind, is_paused, strike_points

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)
LATE = StrikeKind.LATE_CANCELLATION
NO_SHOW = StrikeKind.NO_SHOW


def days_ago(days: float, kind: StrikeKind = LATE) -> Strike:
    return Strike(NOW - timedelta(days=days), kind)


def test_points_per_kind() -> None:
    assert strike_points([days_ago(1), days_ago(2, NO_SHOW)], NOW) == 3


def test_three_points_in_thirty_days_pause() -> None:
    assert not is_paused([days_ago(1), days_ago(2)], NOW)
    assert is_paused([days_ago(1), days_ago(2), days_ago(29)], NOW)
    assert is_paused([days_ago(1), days_ago(3, NO_SHOW)], NOW)


def test_strikes_spread_over_more_than_thirty_days_do_not_pause() -> None:
    assert not is_paused([days_ago(1), days_ago(20), days_ago(40)], NOW)
    assert strike_points([days_ago(30)], NOW) == 0  # exactly 30 days old has lapsed


def test_pause_lasts_until_a_review_not_just_until_the_strikes_age() -> None:
    old_burst = [days_ago(50), days_ago(45, NO_SHOW)]

    assert strike_points(old_burst, NOW) == 0
    assert is_paused(old_burst, NOW)
    assert not is_paused(old_burst, NOW, reviewed_at=NOW - timedelta(days=44))


def test_a_review_clears_the_strikes_before_it_only() -> None:
    strikes = [days_ago(10), days_ago(9), days_ago(8)]
    review = NOW - timedelta(days=8)

    assert not is_paused(strikes, NOW, reviewed_at=review)
    assert is_paused([*strikes, days_ago(2), days_ago(1, NO_SHOW)], NOW, reviewed_at=review)
    assert strike_points([*strikes, days_ago(2)], NOW, reviewed_at=review) == 1


def test_future_strikes_do_not_count() -> None:
    assert not is_paused([days_ago(-1, NO_SHOW), days_ago(1)], NOW)
