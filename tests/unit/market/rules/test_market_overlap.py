from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slivers.geo import haversine_km
from slivers.market.rules.overlap import BookedVisit, ConflictKind, conflicts, has_conflict

HOME = (52.0, -0.2)
TWENTY_KM_NORTH = (52.0 + 20 / 111.195, -0.2)
NINE = datetime(2026, 6, 10, 9, tzinfo=UTC)


def test_the_two_places_are_twenty_km_apart() -> None:
    assert haversine_km(HOME, TWENTY_KM_NORTH) == pytest.approx(20.0, abs=0.01)


def test_twenty_km_with_ten_minutes_between_conflicts() -> None:
    first = BookedVisit(NINE, NINE + timedelta(hours=1), HOME)
    new_start = first.end + timedelta(minutes=10)

    found = conflicts([first], new_start, new_start + timedelta(hours=1), TWENTY_KM_NORTH)

    assert [(c.kind, c.gap_minutes) for c in found] == [(ConflictKind.TRAVEL_FROM_PREVIOUS, 10.0)]
    assert found[0].travel_minutes in (52, 53)  # 20 km x 1.3 at 30 km/h, rounded up


def test_twenty_km_with_ninety_minutes_between_does_not_conflict() -> None:
    first = BookedVisit(NINE, NINE + timedelta(hours=1), HOME)
    new_start = first.end + timedelta(minutes=90)

    assert conflicts([first], new_start, new_start + timedelta(hours=1), TWENTY_KM_NORTH) == []


def test_travel_to_the_next_visit_counts_too() -> None:
    later = BookedVisit(NINE + timedelta(hours=2), NINE + timedelta(hours=3), TWENTY_KM_NORTH)

    found = conflicts([later], NINE, NINE + timedelta(hours=1, minutes=30), HOME)

    assert [c.kind for c in found] == [ConflictKind.TRAVEL_TO_NEXT]


def test_overlap_and_minimum_buffer_at_the_same_place() -> None:
    booked = BookedVisit(NINE, NINE + timedelta(hours=2), HOME)

    assert [
        c.kind for c in conflicts([booked], NINE + timedelta(hours=1), NINE + timedelta(hours=3), HOME)
    ] == [ConflictKind.OVERLAP]
    back_to_back = NINE + timedelta(hours=2)
    assert has_conflict([booked], back_to_back, back_to_back + timedelta(hours=1), HOME)
    after_buffer = back_to_back + timedelta(minutes=10)
    assert not has_conflict([booked], after_buffer, after_buffer + timedelta(hours=1), HOME)


def test_only_the_clashing_visits_are_reported() -> None:
    clash = BookedVisit(NINE, NINE + timedelta(hours=1), HOME, booking_id=1)
    far_later = BookedVisit(NINE + timedelta(hours=8), NINE + timedelta(hours=9), HOME, booking_id=2)

    found = conflicts([clash, far_later], NINE + timedelta(minutes=30), NINE + timedelta(hours=2), HOME)

    assert [c.existing.booking_id for c in found] == [1]


places = st.tuples(st.floats(50.0, 58.0), st.floats(-5.0, 1.5))
visits = st.builds(
    lambda start, minutes, place: BookedVisit(
        NINE + timedelta(minutes=start), NINE + timedelta(minutes=start + minutes), place
    ),
    st.integers(0, 24 * 60),
    st.integers(15, 12 * 60),
    places,
)


@settings(max_examples=300, deadline=None)
@given(a=visits, b=visits)
def test_conflicts_is_symmetric(a: BookedVisit, b: BookedVisit) -> None:
    a_against_b = conflicts([b], a.start, a.end, a.location)
    b_against_a = conflicts([a], b.start, b.end, b.location)

    assert bool(a_against_b) == bool(b_against_a)
    assert bool(a_against_b) == has_conflict([b], a.start, a.end, a.location)
