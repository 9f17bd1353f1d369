from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slivers.clock import LONDON
from slivers.geo import Nation
from slivers.vetting.rules.catalogue import WorkerKind
from slivers.vetting.rules.eligibility import VettingSubject, WorkerStatus, eligible, lapse_instant
from slivers.vetting.rules.expiry import (
    DeadlineNotices,
    credential_expiry_notices,
    evidence_delete_by,
    evidence_due_for_deletion,
    supervision_notices,
)

VALID_UNTIL = date(2026, 9, 30)  # lapses at 00:00 London (BST) on 1 October = 23:00 UTC on 30 September
LAPSES_AT = datetime(2026, 9, 30, 23, 0, tzinfo=UTC)
US = timedelta(microseconds=1)


def reached_at(days_before: int) -> datetime:
    """The first London instant of the day `days_before` days before the lapse day."""
    day = date(2026, 10, 1) - timedelta(days=days_before)
    return datetime.combine(day, datetime.min.time(), tzinfo=LONDON).astimezone(UTC)


def sweep(now: datetime, handled: set[int]) -> DeadlineNotices:
    """What the job does: ask, then record what it sent and skipped."""
    notices = credential_expiry_notices(VALID_UNTIL, now, handled)
    if notices.send is not None:
        handled.add(notices.send)
    handled |= notices.skip
    return notices


def test_the_warning_thresholds_fall_on_london_midnights() -> None:
    assert reached_at(60) == datetime(2026, 8, 1, 23, 0, tzinfo=UTC)
    assert lapse_instant(VALID_UNTIL) == LAPSES_AT


def test_thresholds_crossed_one_at_a_time_give_exactly_one_warning_each() -> None:
    handled: set[int] = set()
    sent = []
    for threshold in (60, 30, 7):
        assert sweep(reached_at(threshold) - US, handled).send is None
        first = sweep(reached_at(threshold), handled)
        assert first == DeadlineNotices(send=threshold)
        sent.append(first.send)
        assert sweep(reached_at(threshold) + timedelta(hours=1), handled).nothing_to_do
    assert sent == [60, 30, 7]


def test_daily_sweeps_over_a_credentials_life_warn_three_times_then_lapse() -> None:
    handled: set[int] = set()
    sends = []
    lapsed_at = None
    now = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
    while now < datetime(2026, 10, 10, tzinfo=UTC):
        notices = sweep(now, handled)
        if notices.send is not None:
            sends.append(notices.send)
        if notices.passed and lapsed_at is None:
            lapsed_at = now
        now += timedelta(days=1)
    assert sends == [60, 30, 7]
    assert lapsed_at == datetime(2026, 10, 1, 3, 0, tzinfo=UTC)


def test_a_process_down_across_60_and_30_sends_only_the_30_day_warning_once() -> None:
    handled: set[int] = set()
    back_up = reached_at(30) + timedelta(days=2)
    assert sweep(back_up, handled) == DeadlineNotices(send=30, skip=frozenset({60}))
    assert handled == {60, 30}
    assert sweep(back_up + timedelta(minutes=5), handled).nothing_to_do
    assert sweep(reached_at(7), handled) == DeadlineNotices(send=7)


def test_a_process_down_until_after_the_lapse_sends_no_warning_and_reports_the_lapse() -> None:
    notices = credential_expiry_notices(VALID_UNTIL, LAPSES_AT + timedelta(days=3), set())
    assert notices == DeadlineNotices(send=None, skip=frozenset({60, 30, 7}), passed=True)
    again = credential_expiry_notices(VALID_UNTIL, LAPSES_AT + timedelta(days=4), {60, 30, 7})
    assert again == DeadlineNotices(passed=True)


def test_the_lapse_is_detected_exactly_at_the_expiry_instant() -> None:
    assert not credential_expiry_notices(VALID_UNTIL, LAPSES_AT - US, {60, 30, 7}).passed
    assert credential_expiry_notices(VALID_UNTIL, LAPSES_AT, {60, 30, 7}).passed


@pytest.mark.parametrize(
    ("valid_until", "lapses_at"),
    [
        # GMT: 28 March 2026 ends at midnight GMT; clocks go forward at 01:00 UTC on 29 March.
        (date(2026, 3, 28), datetime(2026, 3, 29, 0, 0, tzinfo=UTC)),
        # The first BST day: 29 March ends at midnight BST, 23:00 UTC.
        (date(2026, 3, 29), datetime(2026, 3, 29, 23, 0, tzinfo=UTC)),
        # The last BST day: 24 October ends at midnight BST; clocks go back at 01:00 UTC on 25 October.
        (date(2026, 10, 24), datetime(2026, 10, 24, 23, 0, tzinfo=UTC)),
        # The day the clocks go back is 25 hours long and ends at midnight GMT.
        (date(2026, 10, 25), datetime(2026, 10, 26, 0, 0, tzinfo=UTC)),
        (date(2026, 12, 31), datetime(2027, 1, 1, 0, 0, tzinfo=UTC)),
    ],
)
def test_an_expiry_date_means_the_end_of_that_day_in_london(valid_until: date, lapses_at: datetime) -> None:
    assert lapse_instant(valid_until) == lapses_at
    assert not credential_expiry_notices(valid_until, lapses_at - US, {60, 30, 7}).passed
    assert credential_expiry_notices(valid_until, lapses_at, {60, 30, 7}).passed


def test_a_warning_threshold_across_the_clock_change_is_a_london_midnight() -> None:
    # Valid until 30 October (GMT): lapses 31 October; 7 days before is 24 October, still BST.
    week_before = datetime(2026, 10, 23, 23, 0, tzinfo=UTC)
    assert credential_expiry_notices(date(2026, 10, 30), week_before - US, {60, 30}).send is None
    assert credential_expiry_notices(date(2026, 10, 30), week_before, {60, 30}).send == 7


def test_a_credential_without_expiry_needs_nothing() -> None:
    assert credential_expiry_notices(None, LAPSES_AT, set()).nothing_to_do


@given(
    gaps=st.lists(st.integers(min_value=1, max_value=60 * 24 * 40), min_size=1, max_size=40),
)
def test_no_warning_is_ever_sent_twice_and_all_are_settled_by_the_lapse(gaps: list[int]) -> None:
    handled: set[int] = set()
    sent: list[int] = []
    now = datetime(2026, 7, 1, tzinfo=UTC)
    for gap in gaps:
        now += timedelta(minutes=gap)
        notices = sweep(now, handled)
        if notices.send is not None:
            sent.append(notices.send)
    final = sweep(LAPSES_AT, handled)
    assert final.passed
    assert final.send is None
    assert len(sent) == len(set(sent))
    assert sent == sorted(sent, reverse=True)
    assert handled == {60, 30, 7}


LAST_SUPERVISION = date(2026, 4, 1)  # due by the end of 1 July 2026 (91 days)
OVERDUE_AT = datetime(2026, 7, 1, 23, 0, tzinfo=UTC)  # 00:00 BST on 2 July


def test_supervision_warns_once_when_due_soon_then_becomes_overdue() -> None:
    due_soon_at = datetime(2026, 6, 17, 23, 0, tzinfo=UTC)  # 00:00 BST on 18 June, 14 days ahead
    assert supervision_notices(LAST_SUPERVISION, due_soon_at - US).nothing_to_do
    assert supervision_notices(LAST_SUPERVISION, due_soon_at) == DeadlineNotices(send=14)
    assert supervision_notices(LAST_SUPERVISION, due_soon_at, {14}).nothing_to_do
    assert not supervision_notices(LAST_SUPERVISION, OVERDUE_AT - US, {14}).passed
    assert supervision_notices(LAST_SUPERVISION, OVERDUE_AT, {14}).passed


def test_a_volunteer_never_supervised_is_overdue() -> None:
    assert supervision_notices(None, OVERDUE_AT).passed


@pytest.mark.parametrize("now", [OVERDUE_AT - US, OVERDUE_AT])
def test_supervision_overdue_agrees_with_eligibility(now: datetime) -> None:
    volunteer = VettingSubject("v-1", WorkerKind.VOLUNTEER, WorkerStatus.ACTIVE, (), LAST_SUPERVISION)
    result = eligible(volunteer, ["companionship"], Nation.ENGLAND, now, now + timedelta(hours=2), False)
    overdue_for_visit = "supervision_overdue" in result.failure_keys
    assert overdue_for_visit is supervision_notices(LAST_SUPERVISION, now, {14}).passed


UPLOADED = datetime(2026, 1, 10, 9, 30, tzinfo=UTC)


def test_evidence_is_deleted_once_the_credential_is_decided() -> None:
    decided = UPLOADED + timedelta(days=2)
    assert evidence_delete_by(UPLOADED, decided) == decided
    assert not evidence_due_for_deletion(UPLOADED, decided, decided - US)
    assert evidence_due_for_deletion(UPLOADED, decided, decided)


def test_undecided_evidence_is_deleted_within_183_days_of_upload() -> None:
    limit = UPLOADED + timedelta(days=183)
    assert evidence_delete_by(UPLOADED, None) == limit
    assert evidence_delete_by(UPLOADED, limit + timedelta(days=5)) == limit
    assert not evidence_due_for_deletion(UPLOADED, None, limit - US)
    assert evidence_due_for_deletion(UPLOADED, None, limit)
    assert evidence_delete_by(UPLOADED, None, retention_days=30) == UPLOADED + timedelta(days=30)
