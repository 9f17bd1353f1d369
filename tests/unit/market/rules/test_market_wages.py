from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from slivers.market.rules.wages import (
    NoWageOnRecord,
    meets_living_wage,
    minimum_hourly_rate_pence,
    minimum_rate_for_visit,
)


@pytest.mark.parametrize(
    ("on", "pence"),
    [
        (date(2025, 4, 1), 1221),
        (date(2026, 3, 31), 1221),
        (date(2026, 4, 1), 1271),
        (date(2030, 1, 1), 1271),
    ],
)
def test_dated_table(on: date, pence: int) -> None:
    assert minimum_hourly_rate_pence(on) == pence


def test_no_rate_before_the_table_starts() -> None:
    with pytest.raises(NoWageOnRecord):
        minimum_hourly_rate_pence(date(2025, 3, 31))


def test_1270_is_fine_on_31_march_2026_and_too_low_on_1_april() -> None:
    assert meets_living_wage(1270, datetime(2026, 3, 31, 12, tzinfo=UTC))
    assert not meets_living_wage(1270, datetime(2026, 4, 1, 12, tzinfo=UTC))
    assert meets_living_wage(1271, datetime(2026, 4, 1, 12, tzinfo=UTC))


def test_visit_date_is_the_london_date() -> None:
    # 23:30 UTC on 31 March 2026 is 00:30 BST on 1 April in London.
    just_after_midnight_in_london = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert minimum_rate_for_visit(just_after_midnight_in_london) == 1271
    assert not meets_living_wage(1270, just_after_midnight_in_london)
    # 22:59 UTC is still 23:59 BST on 31 March.
    assert meets_living_wage(1270, datetime(2026, 3, 31, 22, 59, tzinfo=UTC))
