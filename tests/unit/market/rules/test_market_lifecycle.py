from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from slivers.market.rules.lifecycle import (
    BookingSnapshot,
    BookingState,
    IllegalTransition,
    NotAllowed,
    PartyRole,
    Transition,
    actual_minutes,
    apply,
    cost_pence,
)
from slivers.market.rules.reliability import StrikeKind

S, T, R = BookingState, Transition, PartyRole
START = datetime(2026, 6, 10, 10, tzinfo=UTC)
END = START + timedelta(hours=3)
RESPOND_BY = START - timedelta(hours=2)

# Design 4.4, written out independently of the module: (state, transition) -> (new state, roles).
EXPECTED = {
    (S.PROPOSED, T.ACCEPT): (S.CONFIRMED, {R.WORKER}),
    (S.PROPOSED, T.DECLINE): (S.DECLINED, {R.WORKER}),
    (S.PROPOSED, T.EXPIRE): (S.EXPIRED, {R.SYSTEM}),
    (S.PROPOSED, T.CONFIRM_INSTANT): (S.CONFIRMED, {R.BOOKER, R.SYSTEM}),
    (S.PROPOSED, T.CANCEL): (S.CANCELLED, {R.BOOKER, R.COORDINATOR}),
    (S.CONFIRMED, T.CANCEL): (S.CANCELLED, {R.BOOKER, R.WORKER, R.COORDINATOR, R.SYSTEM}),
    (S.CONFIRMED, T.CHECK_IN): (S.IN_PROGRESS, {R.WORKER}),
    (S.CONFIRMED, T.MARK_NO_SHOW): (S.NO_SHOW, {R.SYSTEM, R.COORDINATOR}),
    (S.IN_PROGRESS, T.CHECK_OUT): (S.COMPLETED, {R.WORKER}),
    (S.COMPLETED, T.APPROVE): (S.APPROVED, {R.APPROVER}),
    (S.COMPLETED, T.AUTO_APPROVE): (S.APPROVED, {R.SYSTEM}),
    (S.COMPLETED, T.DISPUTE): (S.DISPUTED, {R.APPROVER}),
    (S.DISPUTED, T.RESOLVE_APPROVE): (S.APPROVED, {R.COORDINATOR}),
    (S.DISPUTED, T.RESOLVE_CANCEL): (S.CANCELLED, {R.COORDINATOR}),
}
# A moment at which each transition's time guard is satisfied.
GOOD_TIME = {
    T.ACCEPT: START - timedelta(hours=3),
    T.DECLINE: START - timedelta(hours=3),
    T.EXPIRE: RESPOND_BY,
    T.CONFIRM_INSTANT: START - timedelta(hours=3),
    T.CANCEL: START - timedelta(hours=3),
    T.CHECK_IN: START - timedelta(minutes=30),
    T.MARK_NO_SHOW: START + timedelta(minutes=15),
    T.CHECK_OUT: END,
    T.APPROVE: END + timedelta(hours=1),
    T.AUTO_APPROVE: END + timedelta(hours=48),
    T.DISPUTE: END + timedelta(hours=47, minutes=59),
    T.RESOLVE_APPROVE: END + timedelta(days=5),
    T.RESOLVE_CANCEL: END + timedelta(days=5),
}


def booking(state: BookingState = S.CONFIRMED, **changes: object) -> BookingSnapshot:
    base = BookingSnapshot(
        state=state,
        start=START,
        end=END,
        respond_by=RESPOND_BY,
        rate_pence_per_hour=1500,
        instant_book=True,
        checked_in_at=START,
        checked_out_at=END,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _expected_outcome(state: BookingState, transition: Transition, role: PartyRole) -> object:
    ever_allowed = set().union(*(roles for (_, t), (_, roles) in EXPECTED.items() if t is transition))
    if role not in ever_allowed:
        return NotAllowed
    if (state, transition) not in EXPECTED:
        return IllegalTransition
    target, roles = EXPECTED[(state, transition)]
    return target if role in roles else NotAllowed


@pytest.mark.parametrize("state", list(BookingState))
@pytest.mark.parametrize("transition", list(Transition))
@pytest.mark.parametrize("role", list(PartyRole))
def test_every_state_transition_and_role(
    state: BookingState, transition: Transition, role: PartyRole
) -> None:
    expected = _expected_outcome(state, transition, role)
    snapshot = booking(state)
    now = GOOD_TIME[transition]

    if isinstance(expected, BookingState):
        assert apply(snapshot, transition, role, now).state is expected
    else:
        assert isinstance(expected, type)
        with pytest.raises(expected) as raised:
            apply(snapshot, transition, role, now)
        assert raised.value.code
        assert raised.value.message


@pytest.mark.parametrize(
    ("transition", "state", "role", "too_soon_or_late", "code"),
    [
        (T.ACCEPT, S.PROPOSED, R.WORKER, RESPOND_BY, "respond_by_passed"),
        (T.EXPIRE, S.PROPOSED, R.SYSTEM, RESPOND_BY - timedelta(seconds=1), "respond_by_not_passed"),
        (T.CHECK_IN, S.CONFIRMED, R.WORKER, START - timedelta(minutes=31), "too_early"),
        (T.CHECK_IN, S.CONFIRMED, R.WORKER, END, "already_ended"),
        (T.MARK_NO_SHOW, S.CONFIRMED, R.SYSTEM, START + timedelta(minutes=14, seconds=59), "too_early"),
        (
            T.AUTO_APPROVE,
            S.COMPLETED,
            R.SYSTEM,
            END + timedelta(hours=47, minutes=59),
            "approval_window_open",
        ),
        (T.DISPUTE, S.COMPLETED, R.APPROVER, END + timedelta(hours=48), "approval_window_closed"),
        (T.CANCEL, S.CONFIRMED, R.WORKER, START, "already_started"),
        (T.CANCEL, S.CONFIRMED, R.BOOKER, END, "already_ended"),
    ],
)
def test_time_guards(
    transition: Transition, state: BookingState, role: PartyRole, too_soon_or_late: datetime, code: str
) -> None:
    with pytest.raises(IllegalTransition) as raised:
        apply(booking(state), transition, role, too_soon_or_late)
    assert raised.value.code == code


def test_confirm_instant_needs_instant_book() -> None:
    with pytest.raises(IllegalTransition, match="confirms bookings themself"):
        apply(booking(S.PROPOSED, instant_book=False), T.CONFIRM_INSTANT, R.BOOKER, GOOD_TIME[T.ACCEPT])


def test_no_show_at_fifteen_minutes_is_two_strikes_alerts_and_reopens() -> None:
    result = apply(booking(S.CONFIRMED), T.MARK_NO_SHOW, R.SYSTEM, START + timedelta(minutes=15))

    assert result.state is S.NO_SHOW
    assert result.strike is StrikeKind.NO_SHOW
    assert result.alert_circle
    assert result.reopen_request


def test_check_in_and_out_record_times_and_rounded_minutes() -> None:
    checked_in = apply(booking(S.CONFIRMED), T.CHECK_IN, R.WORKER, START - timedelta(minutes=3))
    assert checked_in.checked_in_at == START - timedelta(minutes=3)

    in_progress = booking(S.IN_PROGRESS, checked_in_at=checked_in.checked_in_at, checked_out_at=None)
    checked_out = apply(in_progress, T.CHECK_OUT, R.WORKER, START + timedelta(hours=2, minutes=54))
    assert checked_out.actual_minutes == 175  # 2 h 57 min rounds to 2 h 55


@pytest.mark.parametrize(
    ("elapsed", "minutes"),
    [
        (timedelta(0), 0),
        (timedelta(minutes=2, seconds=29), 0),
        (timedelta(minutes=2, seconds=30), 5),  # half-way rounds up
        (timedelta(minutes=62), 60),
        (timedelta(minutes=62, seconds=30), 65),
        (timedelta(minutes=67, seconds=29, microseconds=999999), 65),
        (timedelta(hours=3), 180),
    ],
)
def test_actual_minutes_rounding(elapsed: timedelta, minutes: int) -> None:
    assert actual_minutes(START, START + elapsed) == minutes


def test_check_out_before_check_in_is_refused() -> None:
    with pytest.raises(IllegalTransition, match="after checking in"):
        apply(booking(S.IN_PROGRESS, checked_in_at=None), T.CHECK_OUT, R.WORKER, END)


@pytest.mark.parametrize(
    ("before_start", "fee"),
    [
        (timedelta(hours=24, minutes=1), 0),
        (timedelta(hours=24), 0),  # exactly 24 hours before is still free
        (timedelta(hours=23, minutes=59), 3000),  # 3 h booked, capped at 2 h x 1500p
    ],
)
def test_booker_late_cancellation_fee_at_the_24_hour_boundary(before_start: timedelta, fee: int) -> None:
    result = apply(booking(S.CONFIRMED), T.CANCEL, R.BOOKER, START - before_start)

    assert result.state is S.CANCELLED
    assert result.late_cancellation_fee_pence == fee
    assert result.strike is None
    assert not result.reopen_request


def test_late_fee_for_a_short_visit_is_its_duration_at_the_rate_rounded_half_up() -> None:
    short = booking(S.CONFIRMED, end=START + timedelta(minutes=45), rate_pence_per_hour=1271)

    result = apply(short, T.CANCEL, R.BOOKER, START - timedelta(hours=1))

    assert result.late_cancellation_fee_pence == 953  # 1271 x 45 / 60 = 953.25


def test_no_late_fee_for_a_volunteer() -> None:
    volunteer = booking(S.CONFIRMED, rate_pence_per_hour=None)
    assert apply(volunteer, T.CANCEL, R.BOOKER, START - timedelta(hours=1)).late_cancellation_fee_pence == 0


@pytest.mark.parametrize(
    ("before_start", "strike"),
    [
        (timedelta(hours=24, minutes=1), None),
        (timedelta(hours=24), None),
        (timedelta(hours=23, minutes=59), StrikeKind.LATE_CANCELLATION),
    ],
)
def test_worker_cancellation_inside_24_hours_is_a_strike(
    before_start: timedelta, strike: StrikeKind | None
) -> None:
    result = apply(booking(S.CONFIRMED), T.CANCEL, R.WORKER, START - before_start)

    assert result.strike == strike
    assert result.late_cancellation_fee_pence == 0
    assert result.reopen_request


def test_withdrawing_a_proposal_is_free() -> None:
    result = apply(booking(S.PROPOSED), T.CANCEL, R.BOOKER, START - timedelta(minutes=5))
    assert (result.state, result.late_cancellation_fee_pence) == (S.CANCELLED, 0)


@pytest.mark.parametrize(
    ("rate", "minutes", "pence"),
    [
        (1271, 60, 1271),
        (1271, 45, 953),
        (1221, 90, 1832),
        (1, 30, 1),
        (1, 29, 0),
        (1500, 0, 0),
        (999, 10, 167),
    ],
)
def test_cost_pence_rounds_half_up(rate: int, minutes: int, pence: int) -> None:
    assert cost_pence(rate, minutes) == pence
