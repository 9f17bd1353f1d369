"""What the expiry, supervision and evidence sweeps must do now. Pure: the jobs pass `now` and what the
database says was already done, and record what these functions return (design 3.3, 7).

The warning rule, for a deadline with thresholds of, say, 60, 30 and 7 days:

- a threshold of T days is *reached* at the first instant of the London day T days before the day the
  credential lapses (so the 7-day warning for a credential valid until 10 June is due from 00:00 London
  on 4 June, since it lapses at 00:00 on 11 June);
- of the reached thresholds not yet handled (sent or skipped), only the latest, the smallest T, is sent;
  the earlier ones are returned as `skip`, for the job to record as skipped, so a process that was down
  across the 60- and 30-day marks sends one warning (30) and never sends the 60-day one afterwards;
- once the deadline has passed, nothing is sent as a warning: `passed` is true (the credential has lapsed,
  the supervision is overdue) and every unhandled threshold is returned as `skip`.

Each call is idempotent once its answer is recorded: calling again with the updated `handled` set returns
nothing new until the next threshold is reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from slivers.clock import ensure_utc
from slivers.vetting.rules.eligibility import (
    DEFAULT_SUPERVISION_INTERVAL_DAYS,
    lapse_instant,
    london_day_start,
)

CREDENTIAL_WARNING_DAYS: tuple[int, ...] = (60, 30, 7)
SUPERVISION_WARNING_DAYS: tuple[int, ...] = (14,)
EVIDENCE_RETENTION_DAYS = 183  # "in any case within 6 months" of upload


@dataclass(frozen=True, slots=True)
class DeadlineNotices:
    send: int | None = None  # the threshold (days before the deadline) to send a warning for now
    skip: frozenset[int] = frozenset()  # thresholds to record as skipped, never to be sent
    passed: bool = False  # the deadline has passed: the credential lapsed, the supervision is overdue

    @property
    def nothing_to_do(self) -> bool:
        return self.send is None and not self.skip and not self.passed


_NOTHING = DeadlineNotices()


def deadline_notices(
    last_valid_day: date,
    now: datetime,
    handled: Iterable[int] = (),
    thresholds: Iterable[int] = CREDENTIAL_WARNING_DAYS,
) -> DeadlineNotices:
    """The notices due at `now` for something valid to the end of `last_valid_day` (London)."""
    now = ensure_utc(now)
    handled = frozenset(handled)
    pending = frozenset(thresholds) - handled
    if now >= lapse_instant(last_valid_day):
        return DeadlineNotices(None, pending, passed=True)
    lapse_day = last_valid_day + timedelta(days=1)
    reached = {t for t in thresholds if now >= london_day_start(lapse_day - timedelta(days=t))}
    if not reached:
        return _NOTHING
    latest = min(reached)
    send = None if latest in handled else latest
    return DeadlineNotices(send, frozenset(reached - handled - {latest}))


def credential_expiry_notices(
    valid_until: date | None,
    now: datetime,
    handled: Iterable[int] = (),
    thresholds: Iterable[int] = CREDENTIAL_WARNING_DAYS,
) -> DeadlineNotices:
    """Warnings and lapse for a credential valid until `valid_until` (see `credential_valid_until`)."""
    if valid_until is None:
        return _NOTHING
    return deadline_notices(valid_until, now, handled, thresholds)


def supervision_due_on(
    last_supervision_on: date, interval_days: int = DEFAULT_SUPERVISION_INTERVAL_DAYS
) -> date:
    """The last London date a volunteer may work before their next supervision must be held."""
    return last_supervision_on + timedelta(days=interval_days)


def supervision_notices(
    last_supervision_on: date | None,
    now: datetime,
    handled: Iterable[int] = (),
    *,
    interval_days: int = DEFAULT_SUPERVISION_INTERVAL_DAYS,
    thresholds: Iterable[int] = SUPERVISION_WARNING_DAYS,
) -> DeadlineNotices:
    """ "Supervision due soon" warnings, and `passed` once it is overdue (a volunteer never supervised is)."""
    if last_supervision_on is None:
        return DeadlineNotices(None, frozenset(thresholds) - frozenset(handled), passed=True)
    return deadline_notices(supervision_due_on(last_supervision_on, interval_days), now, handled, thresholds)


def evidence_delete_by(
    uploaded_at: datetime,
    decided_at: datetime | None,
    retention_days: int = EVIDENCE_RETENTION_DAYS,
) -> datetime:
    """When an evidence file must be gone: once the credential is decided, and never later than
    `retention_days` (elapsed days, 24 hours each) after upload."""
    latest = ensure_utc(uploaded_at) + timedelta(days=retention_days)
    return latest if decided_at is None else min(latest, ensure_utc(decided_at))


def evidence_due_for_deletion(
    uploaded_at: datetime,
    decided_at: datetime | None,
    now: datetime,
    retention_days: int = EVIDENCE_RETENTION_DAYS,
) -> bool:
    return ensure_utc(now) >= evidence_delete_by(uploaded_at, decided_at, retention_days)
