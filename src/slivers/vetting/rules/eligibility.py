"""Is this worker vetted for this visit? Pure rules over plain data (design 3.3).

Credential dates are calendar dates in Europe/London: a credential "valid until D" is valid to the end of
D in London and lapses at the first instant of the next London day. A credential counts for a visit only if
it is verified and still valid at the visit's end. Candidate search checks thousands of workers against one
visit, so it should build a `VisitCheck` once and call `check` per worker; `eligible` is the one-off form.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType

from slivers.clock import LONDON, ensure_utc
from slivers.geo import Nation
from slivers.vetting.rules.catalogue import (
    DEFAULT_POLICY,
    Requirement,
    RequirementsPolicy,
    TaskType,
    WorkerKind,
)

DEFAULT_SUPERVISION_INTERVAL_DAYS = 91  # "every 3 months", configurable per organisation


class CredentialStatus(StrEnum):
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"
    LAPSED = "lapsed"
    REVOKED = "revoked"


class WorkerStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"


@dataclass(frozen=True, slots=True)
class CredentialRecord:
    """One credential a worker holds. The DBS/PVG fields are what the DBS code of practice lets us keep.

    `expires_on`, when set, is the date the coordinator recorded (a permission's end date, a certificate's
    stated expiry) and replaces the catalogue's default validity. Barred-list records carry the fields of
    the DBS certificate they were checked on, so they follow that certificate's validity.
    `update_service_checked_on` is the date of the last *clear* Update Service status check; a check that
    shows a change must lead to the credential being revoked, not to a date here.
    """

    id: str
    type_code: str
    status: CredentialStatus
    issued_on: date
    expires_on: date | None = None
    certificate_number: str | None = None
    level: str | None = None
    barred_adults_checked: bool = False
    barred_children_checked: bool = False
    on_update_service: bool = False
    update_service_checked_on: date | None = None

    def __post_init__(self) -> None:
        # The rules compare enum members by identity; accept the plain strings a database row holds.
        object.__setattr__(self, "status", CredentialStatus(self.status))


@dataclass(frozen=True, slots=True)
class VettingSubject:
    worker_id: str
    kind: WorkerKind
    status: WorkerStatus
    credentials: tuple[CredentialRecord, ...] = ()
    last_supervision_on: date | None = None
    self_employed: bool = False
    credentials_by_code: Mapping[str, tuple[CredentialRecord, ...]] = field(
        init=False, repr=False, compare=False
    )
    _verified_until: tuple[RequirementsPolicy, Mapping[str, tuple[date, ...]]] | None = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", WorkerKind(self.kind))
        object.__setattr__(self, "status", WorkerStatus(self.status))
        by_code: dict[str, list[CredentialRecord]] = {}
        for record in self.credentials:
            by_code.setdefault(record.type_code, []).append(record)
        object.__setattr__(self, "credentials", tuple(self.credentials))
        object.__setattr__(
            self, "credentials_by_code", MappingProxyType({k: tuple(v) for k, v in by_code.items()})
        )
        object.__setattr__(self, "_verified_until", None)

    def verified_until(self, policy: RequirementsPolicy) -> Mapping[str, tuple[date, ...]]:
        """Per credential code, the valid-until dates of the verified records, latest first (`date.max`
        for no expiry). Computed once per policy, so checking one worker against many visits (a series,
        a matching run) costs a few lookups per requirement."""
        cached = self._verified_until
        if cached is not None and cached[0] is policy:
            return cached[1]
        untils: dict[str, list[date]] = {}
        for record in self.credentials:
            if record.status is CredentialStatus.VERIFIED:
                until = credential_valid_until(record, policy)
                untils.setdefault(record.type_code, []).append(date.max if until is None else until)
        summary = MappingProxyType({code: tuple(sorted(v, reverse=True)) for code, v in untils.items()})
        object.__setattr__(self, "_verified_until", (policy, summary))
        return summary


@dataclass(frozen=True, slots=True)
class Failure:
    """A failed rule: `rule` ("missing", "lapses_before_visit", "not_verified", "worker_suspended",
    "worker_pending", "supervision_overdue") and, for credential rules, the credential code."""

    rule: str
    credential: str | None = None
    message: str = ""

    @property
    def key(self) -> str:
        """`rule:credential`, e.g. `missing:dbs_enhanced`, or just the rule for worker-level rules."""
        return self.rule if self.credential is None else f"{self.rule}:{self.credential}"


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    failures: tuple[Failure, ...] = ()
    # Credential codes a coordinator's override turned from a failure into a recorded pass.
    overrides_used: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failure_keys(self) -> tuple[str, ...]:
        return tuple(failure.key for failure in self.failures)


_ELIGIBLE = EligibilityResult()


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (29 February + 1 year = 28 February)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    try:
        return day.replace(year=year, month=month_index + 1)
    except ValueError:
        return date(year, month_index + 1, monthrange(year, month_index + 1)[1])


def london_day_start(day: date) -> datetime:
    """The first instant (as aware UTC) of `day` in Europe/London."""
    return ensure_utc(datetime.combine(day, time(0), tzinfo=LONDON))


def lapse_instant(valid_until: date) -> datetime:
    """When a credential valid until `valid_until` stops being valid: the next London midnight."""
    return london_day_start(valid_until + timedelta(days=1))


def last_london_day(end: datetime) -> date:
    """The London date of the last instant of an interval ending at `end` (a visit to midnight ends the day
    before), so "valid at the end" is one date comparison: `last_london_day(end) <= valid_until`."""
    return (ensure_utc(end) - timedelta(microseconds=1)).astimezone(LONDON).date()


def credential_valid_until(
    record: CredentialRecord, policy: RequirementsPolicy = DEFAULT_POLICY
) -> date | None:
    """The last London date on which `record` is valid, whatever its status; None means no expiry."""
    months, extended = policy.validity_rule(record.type_code)
    base = record.expires_on
    if base is None:
        if not months:
            return None
        base = add_months(record.issued_on, months)
    checked_on = record.update_service_checked_on
    if extended and record.on_update_service and checked_on is not None:
        return max(base, add_months(checked_on, policy.update_service_check_months))
    return base


class VisitCheck:
    """Everything about one visit that does not depend on the worker, computed once."""

    __slots__ = ("_last_day", "_overrides", "_policy", "_requirements", "_start_day", "_supervised_since")

    def __init__(
        self,
        task_types: Iterable[TaskType | str],
        nation: Nation,
        start: datetime,
        end: datetime,
        household_has_child: bool,
        *,
        policy: RequirementsPolicy = DEFAULT_POLICY,
        supervision_interval_days: int = DEFAULT_SUPERVISION_INTERVAL_DAYS,
        overrides: Iterable[str] = frozenset(),
    ) -> None:
        start, end = ensure_utc(start), ensure_utc(end)
        if end <= start:
            raise ValueError("a visit must end after it starts")
        tasks = frozenset(TaskType(task) for task in task_types)
        self._policy = policy
        self._overrides = frozenset(overrides)
        self._last_day = last_london_day(end)
        self._start_day = start.astimezone(LONDON).date()
        self._supervised_since = self._start_day - timedelta(days=supervision_interval_days)
        self._requirements: dict[tuple[WorkerKind, bool], tuple[tuple[str, int], ...]] = {
            (kind, self_employed): tuple(
                (r.code, r.count)
                for r in policy.requirements(tasks, nation, kind, household_has_child, self_employed)
            )
            for kind in WorkerKind
            for self_employed in (False, True)
        }

    @property
    def codes(self) -> frozenset[str]:
        """Every credential code this check may ask of some worker: `check` reads no other records."""
        return frozenset(code for pairs in self._requirements.values() for code, _ in pairs)

    def requirements_for(self, subject: VettingSubject) -> list[Requirement]:
        pairs = self._requirements[subject.kind, subject.self_employed]
        return [Requirement(code, count) for code, count in pairs]

    def check(self, subject: VettingSubject) -> EligibilityResult:
        failures: list[Failure] | None = None
        overridden: set[str] | None = None
        if subject.status is not WorkerStatus.ACTIVE:
            failures = [_worker_status_failure(subject.status)]
        if subject.kind is WorkerKind.VOLUNTEER and (
            subject.last_supervision_on is None or subject.last_supervision_on < self._supervised_since
        ):
            failures = failures or []
            failures.append(_supervision_failure(subject.last_supervision_on))
        verified_until = subject.verified_until(self._policy)
        last_day = self._last_day
        for code, count in self._requirements[subject.kind, subject.self_employed]:
            untils = verified_until.get(code)
            # The count-th latest expiry decides whether enough of them are still valid at the end.
            if untils is not None and len(untils) >= count and untils[count - 1] >= last_day:
                continue
            if code in self._overrides:
                overridden = overridden or set()
                overridden.add(code)
                continue
            failures = failures or []
            failures.append(_credential_failure(code, count, subject, self._policy, last_day))
        if failures is None and overridden is None:
            return _ELIGIBLE
        return EligibilityResult(tuple(failures or ()), frozenset(overridden or ()))


def eligible(
    subject: VettingSubject,
    task_types: Iterable[TaskType | str],
    nation: Nation,
    start: datetime,
    end: datetime,
    household_has_child: bool,
    *,
    policy: RequirementsPolicy = DEFAULT_POLICY,
    supervision_interval_days: int = DEFAULT_SUPERVISION_INTERVAL_DAYS,
    overrides: Iterable[str] = frozenset(),
) -> EligibilityResult:
    """Whether `subject` may do this visit, naming every failed rule. For many workers use `VisitCheck`."""
    visit = VisitCheck(
        task_types,
        nation,
        start,
        end,
        household_has_child,
        policy=policy,
        supervision_interval_days=supervision_interval_days,
        overrides=overrides,
    )
    return visit.check(subject)


def _worker_status_failure(status: WorkerStatus) -> Failure:
    if status is WorkerStatus.SUSPENDED:
        return Failure("worker_suspended", None, "This worker is suspended by a coordinator.")
    return Failure("worker_pending", None, "This worker has not been approved by a coordinator yet.")


def _supervision_failure(last: date | None) -> Failure:
    if last is None:
        return Failure("supervision_overdue", None, "This volunteer has not had a supervision meeting yet.")
    return Failure(
        "supervision_overdue",
        None,
        f"This volunteer's last supervision was on {_day(last)}; a new one is due before this visit.",
    )


def _credential_failure(
    code: str, count: int, subject: VettingSubject, policy: RequirementsPolicy, last_day: date
) -> Failure:
    records = subject.credentials_by_code.get(code, ())
    title = policy.credential_type(code).title
    if not records:
        return Failure("missing", code, f"No record of: {title}.")
    verified = [r for r in records if r.status is CredentialStatus.VERIFIED]
    marked_lapsed = [r for r in records if r.status is CredentialStatus.LAPSED]
    # Enough of them would count if they were still valid at the visit's end: say when they lapse.
    expired = marked_lapsed + [
        r for r in verified if (until := credential_valid_until(r, policy)) is not None and until < last_day
    ]
    if expired and len(verified) + len(marked_lapsed) >= count:
        until = max(credential_valid_until(r, policy) or last_day for r in expired)
        return Failure(
            "lapses_before_visit", code, f"{title}: valid only until {_day(until)}, before this visit ends."
        )
    if count > 1:
        return Failure(
            "not_verified",
            code,
            f"{title}: {count} verified needed, {len(verified)} verified so far.",
        )
    statuses = sorted({r.status.value for r in records})
    return Failure("not_verified", code, f"{title}: not verified (status: {', '.join(statuses)}).")


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
