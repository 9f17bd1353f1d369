"""The market's invariants in their one place (`rules.invariants`): the seat rule, the no-double-booking
rule as candidate search applies it, and the database backstops spelt with the same names and states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import slivers
from slivers.market.models import Booking
from slivers.market.rules.invariants import (
    BLOCKING_STATES,
    NO_DOUBLE_BOOKING,
    NO_OVERLAP_CONSTRAINT,
    OPEN_OFFER_INDEX,
    OPEN_STATES,
    SEAT_INDEX,
    SEATED_STATES,
    clashes,
    double_booked,
    free_seat,
    status_in_sql,
)
from slivers.market.rules.lifecycle import BookingState
from slivers.market.rules.overlap import BookedVisit

NINE = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
HOME = (51.90, -0.20)


@pytest.mark.parametrize(
    ("taken", "needed", "seat"),
    [(set(), 1, 1), ({1}, 1, None), (set(), 2, 1), ({1}, 2, 2), ({2}, 2, 1), ({1, 2}, 2, None)],
)
def test_the_lowest_free_seat_or_none_when_the_visit_is_full(
    taken: set[int], needed: int, seat: int | None
) -> None:
    assert free_seat(taken, needed) == seat


def test_double_booked_counts_the_travel_buffer_and_names_each_clash() -> None:
    booked = BookedVisit(NINE, NINE + timedelta(hours=1), HOME)
    back_to_back = NINE + timedelta(hours=1)
    assert double_booked([booked], back_to_back, back_to_back + timedelta(hours=1), HOME)
    assert len(clashes([booked], back_to_back, back_to_back + timedelta(hours=1), HOME)) == 1
    later = NINE + timedelta(hours=1, minutes=10)
    assert not double_booked([booked], later, later + timedelta(hours=1), HOME)
    assert clashes([booked], later, later + timedelta(hours=1), HOME) == []


def test_blocking_bookings_hold_seats_and_are_open() -> None:
    assert set(BLOCKING_STATES) <= set(SEATED_STATES)
    assert set(BLOCKING_STATES) <= set(OPEN_STATES)
    assert BookingState.PROPOSED not in SEATED_STATES
    assert NO_DOUBLE_BOOKING == "overlap_with_travel"  # the rule name the API has always given


def test_the_database_backstops_use_the_invariants_names_and_states() -> None:
    indexes = {index.name: index for index in Booking.__table__.indexes}
    assert SEAT_INDEX in indexes
    open_offer = indexes[OPEN_OFFER_INDEX]
    assert str(open_offer.dialect_options["postgresql"]["where"]) == status_in_sql(OPEN_STATES)
    assert str(open_offer.dialect_options["sqlite"]["where"]) == status_in_sql(OPEN_STATES)
    # The migration spells the exclusion constraint out (a migration is history, not imports).
    migration = Path(slivers.__file__).parent / "db" / "migrations" / "versions" / "0003_market.py"
    source = migration.read_text()
    assert f"ADD CONSTRAINT {NO_OVERLAP_CONSTRAINT} " in source
    assert f"WHERE ({status_in_sql(BLOCKING_STATES)})" in source
