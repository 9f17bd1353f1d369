from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slivers.geo import Nation
from slivers.vetting.rules.catalogue import DEFAULT_POLICY, TaskType, WorkerKind
from slivers.vetting.rules.eligibility import (
    CredentialStatus,
    VettingSubject,
    VisitCheck,
    WorkerStatus,
    credential_valid_until,
    eligible,
)

Build = Any  # the conftest's Builders namespace

START = datetime(2026, 7, 14, 12, 0, tzinfo=UTC)
END = datetime(2026, 7, 14, 15, 0, tzinfo=UTC)


def check(
    worker: object, tasks: object = ("companionship",), nation: Nation = Nation.ENGLAND, **kw: Any
) -> Any:
    start = kw.pop("start", START)
    end = kw.pop("end", END)
    child = kw.pop("household_has_child", False)
    return eligible(worker, tasks, nation, start, end, child, **kw)  # type: ignore[arg-type]


# Every (task, nation, worker kind, child at home, required credential), straight from the policy.
REQUIRED_CASES = [
    pytest.param(
        task, nation, kind, child, req.code, id=f"{task}-{nation}-{kind}-child{int(child)}-{req.code}"
    )
    for task in TaskType
    for nation in Nation
    for kind in WorkerKind
    for child in (False, True)
    for req in DEFAULT_POLICY.required_for([task], nation, kind, child)
]


@pytest.mark.parametrize(("task", "nation", "kind", "child", "code"), REQUIRED_CASES)
def test_a_worker_missing_one_required_credential_is_refused_naming_it(
    build: Build, task: TaskType, nation: Nation, kind: WorkerKind, child: bool, code: str
) -> None:
    worker = build.without(build.subject(kind=kind), code)
    result = check(worker, [task], nation, household_has_child=child)
    assert not result.ok
    assert result.failure_keys == (f"missing:{code}",)
    assert DEFAULT_POLICY.credential_type(code).title in result.failures[0].message


@pytest.mark.parametrize("nation", list(Nation))
@pytest.mark.parametrize("task", list(TaskType))
@pytest.mark.parametrize("kind", list(WorkerKind))
def test_a_fully_credentialed_worker_is_eligible_for_every_task(
    build: Build, task: TaskType, nation: Nation, kind: WorkerKind
) -> None:
    result = check(build.subject(kind=kind), [task], nation, household_has_child=True)
    assert result.ok, result.failure_keys
    assert result.failures == ()
    assert result.overrides_used == frozenset()


def test_one_of_two_references_is_not_enough(build: Build) -> None:
    worker = build.with_record(build.subject(), build.record("reference"))
    result = check(worker)
    assert result.failure_keys == ("not_verified:reference",)
    assert "2 verified needed, 1 verified" in result.failures[0].message


@pytest.mark.parametrize(
    "status", [CredentialStatus.SUBMITTED, CredentialStatus.REJECTED, CredentialStatus.REVOKED]
)
def test_only_verified_credentials_count(build: Build, status: CredentialStatus) -> None:
    worker = build.with_record(build.subject(), build.record("lone_working", status=status))
    result = check(worker)
    assert result.failure_keys == ("not_verified:lone_working",)
    assert status.value in result.failures[0].message


def test_a_credential_marked_lapsed_is_reported_as_lapsed(build: Build) -> None:
    worker = build.with_record(build.subject(), build.record("lone_working", status=CredentialStatus.LAPSED))
    assert check(worker).failure_keys == ("lapses_before_visit:lone_working",)


def test_a_credential_lapsing_before_the_visit_ends_fails_that_visit_but_not_an_earlier_one(
    build: Build,
) -> None:
    # Valid today (1 June 2026) and to the end of 14 July 2026 in London.
    worker = build.with_record(build.subject(), build.record("food_hygiene", expires_on=date(2026, 7, 14)))
    late = check(worker, ["meal_preparation"], start=START + timedelta(days=1), end=END + timedelta(days=1))
    assert late.failure_keys == ("lapses_before_visit:food_hygiene",)
    assert "14 July 2026" in late.failures[0].message
    assert check(worker, ["meal_preparation"]).ok


def test_validity_is_judged_at_the_visits_end_in_london_time(build: Build) -> None:
    # Valid until 14 July (BST): it lapses at 00:00 London on 15 July, which is 23:00 UTC on 14 July.
    worker = build.with_record(build.subject(), build.record("food_hygiene", expires_on=date(2026, 7, 14)))
    evening = datetime(2026, 7, 14, 21, 0, tzinfo=UTC)
    to_midnight = check(
        worker, ["meal_preparation"], start=evening, end=datetime(2026, 7, 14, 23, 0, tzinfo=UTC)
    )
    past_midnight = check(
        worker, ["meal_preparation"], start=evening, end=datetime(2026, 7, 14, 23, 1, tzinfo=UTC)
    )
    assert to_midnight.ok
    assert past_midnight.failure_keys == ("lapses_before_visit:food_hygiene",)


def test_the_same_worker_is_checked_against_pvg_in_scotland_and_dbs_in_england(build: Build) -> None:
    only_dbs = build.without(build.subject(), "pvg_adults")
    only_pvg = build.without(
        build.without(build.without(build.subject(), "dbs_enhanced"), "dbs_barred_adults"),
        "dbs_barred_children",
    )
    tasks = ["personal_care"]
    assert check(only_dbs, tasks, Nation.ENGLAND, household_has_child=True).ok
    assert check(only_dbs, tasks, Nation.SCOTLAND).failure_keys == ("missing:pvg_adults",)
    assert check(only_pvg, tasks, Nation.SCOTLAND, household_has_child=True).ok
    assert check(only_pvg, tasks, Nation.ENGLAND).failure_keys == (
        "missing:dbs_enhanced",
        "missing:dbs_barred_adults",
    )


def test_pvg_lasts_five_years(build: Build) -> None:
    pvg = build.record("pvg_adults", issued_on=date(2021, 7, 14))
    worker = build.with_record(build.subject(), pvg)
    assert credential_valid_until(pvg, DEFAULT_POLICY) == date(2026, 7, 14)
    assert check(worker, nation=Nation.SCOTLAND).ok
    later = check(
        worker, nation=Nation.SCOTLAND, start=START + timedelta(days=1), end=END + timedelta(days=1)
    )
    assert later.failure_keys == ("lapses_before_visit:pvg_adults",)


FOUR_YEARS_AGO = date(2022, 7, 1)


@pytest.mark.parametrize(
    ("on_update_service", "checked_on", "ok"),
    [
        pytest.param(True, date(2026, 5, 14), True, id="status-check-2-months-before-the-visit"),
        pytest.param(False, date(2026, 5, 14), False, id="checked-but-not-subscribed"),
        pytest.param(True, None, False, id="subscribed-never-checked"),
        pytest.param(True, date(2025, 6, 14), False, id="status-check-13-months-old"),
        pytest.param(True, date(2025, 7, 14), True, id="status-check-exactly-12-months-old"),
        pytest.param(True, date(2025, 7, 13), False, id="status-check-a-day-over-12-months-old"),
    ],
)
def test_an_old_enhanced_dbs_stays_valid_only_with_a_recent_update_service_check(
    build: Build, on_update_service: bool, checked_on: date | None, ok: bool
) -> None:
    dbs = {
        "issued_on": FOUR_YEARS_AGO,
        "on_update_service": on_update_service,
        "update_service_checked_on": checked_on,
    }
    worker = build.subject()
    for code in ("dbs_enhanced", "dbs_barred_adults"):
        worker = build.with_record(worker, build.record(code, **dbs))
    result = check(worker, ["personal_care"])
    assert result.ok is ok
    if not ok:
        assert result.failure_keys == (
            "lapses_before_visit:dbs_enhanced",
            "lapses_before_visit:dbs_barred_adults",
        )


def test_a_barred_list_check_follows_its_certificates_three_years(build: Build) -> None:
    barred = build.record("dbs_barred_children", issued_on=date(2024, 2, 29))
    assert credential_valid_until(barred, DEFAULT_POLICY) == date(2027, 2, 28)


def test_volunteers_need_no_right_to_work(build: Build) -> None:
    volunteer = build.without(build.subject(kind=WorkerKind.VOLUNTEER), "right_to_work")
    assert check(volunteer).ok
    paid = build.without(build.subject(kind=WorkerKind.PAID), "right_to_work")
    assert check(paid).failure_keys == ("missing:right_to_work",)


def test_a_time_limited_right_to_work_lapses_at_its_end_date(build: Build) -> None:
    worker = build.with_record(build.subject(), build.record("right_to_work", expires_on=date(2026, 7, 13)))
    assert check(worker).failure_keys == ("lapses_before_visit:right_to_work",)


@pytest.mark.parametrize(
    ("last_supervision_on", "ok"),
    [
        (date(2026, 4, 14), True),  # 91 days before the visit's London date
        (date(2026, 4, 13), False),  # 92 days
        (None, False),  # never supervised
    ],
)
def test_a_volunteer_with_overdue_supervision_is_blocked(
    build: Build, last_supervision_on: date | None, ok: bool
) -> None:
    volunteer = build.subject(kind=WorkerKind.VOLUNTEER, last_supervision_on=last_supervision_on)
    result = check(volunteer)
    assert result.ok is ok
    if not ok:
        assert result.failure_keys == ("supervision_overdue",)


def test_paid_workers_are_not_supervised_by_this_rule(build: Build) -> None:
    assert check(build.subject(kind=WorkerKind.PAID, last_supervision_on=None)).ok


def test_the_supervision_interval_is_configurable(build: Build) -> None:
    volunteer = build.subject(kind=WorkerKind.VOLUNTEER, last_supervision_on=date(2026, 6, 1))
    assert check(volunteer, supervision_interval_days=30).failure_keys == ("supervision_overdue",)


@pytest.mark.parametrize(
    ("status", "rule"),
    [(WorkerStatus.SUSPENDED, "worker_suspended"), (WorkerStatus.PENDING, "worker_pending")],
)
def test_suspended_and_pending_workers_are_ineligible_even_with_overrides(
    build: Build, status: WorkerStatus, rule: str
) -> None:
    result = check(build.subject(status=status), overrides={"dbs_enhanced"})
    assert result.failure_keys == (rule,)


def test_an_override_passes_only_the_named_credential_and_is_recorded(build: Build) -> None:
    worker = build.without(build.without(build.subject(), "food_hygiene"), "medication")
    tasks = ["meal_preparation", "medication_prompt"]
    result = check(worker, tasks, overrides={"food_hygiene", "first_aid"})
    assert result.failure_keys == ("missing:medication",)
    assert result.overrides_used == {"food_hygiene"}  # first_aid was not needed, so not used
    both = check(worker, tasks, overrides={"food_hygiene", "medication"})
    assert both.ok
    assert both.overrides_used == {"food_hygiene", "medication"}


def test_every_failure_is_reported_not_just_the_first(build: Build) -> None:
    worker = build.subject(
        kind=WorkerKind.VOLUNTEER, status=WorkerStatus.SUSPENDED, credentials=(), last_supervision_on=None
    )
    keys = check(worker).failure_keys
    assert keys[:2] == ("worker_suspended", "supervision_overdue")
    assert "missing:dbs_enhanced" in keys
    assert all(failure.message for failure in check(worker).failures)


def test_a_visit_check_built_once_gives_the_same_answers(build: Build) -> None:
    visit = VisitCheck(["personal_care"], Nation.ENGLAND, START, END, False)
    workers = [build.subject(), build.without(build.subject(), "care_certificate")]
    for worker in workers:
        assert visit.check(worker) == check(worker, ["personal_care"])


def test_plain_strings_from_a_database_row_are_understood(build: Build) -> None:
    records = [build.record(r.type_code, status="verified", id=r.id) for r in build.every_credential()]
    worker = VettingSubject("w-2", "volunteer", "active", tuple(records), date(2026, 6, 1))  # type: ignore[arg-type]
    assert worker.kind is WorkerKind.VOLUNTEER
    assert check(worker, ["personal_care"]).ok
    with pytest.raises(ValueError, match="approved"):
        VettingSubject("w-3", "paid", "approved")  # type: ignore[arg-type]


def test_visits_must_be_aware_and_end_after_they_start(build: Build) -> None:
    with pytest.raises(ValueError, match="end after"):
        check(build.subject(), start=END, end=START)
    with pytest.raises(ValueError, match="naive"):
        check(build.subject(), end=datetime(2026, 7, 14, 15, 0))


@given(
    expiry_offsets=st.lists(st.integers(min_value=-5, max_value=60), min_size=5, max_size=5),
    end_hours=st.integers(min_value=1, max_value=60 * 24),
    earlier_hours=st.integers(min_value=1, max_value=60 * 24),
)
def test_eligibility_is_monotone_in_the_visit_end(
    build: Build, expiry_offsets: list[int], end_hours: int, earlier_hours: int
) -> None:
    # Any worker eligible for a visit ending at t is eligible for the same visit ending earlier.
    worker = build.subject()
    codes = ["food_hygiene", "safeguarding_adults", "dbs_enhanced", "right_to_work", "lone_working"]
    for code, offset in zip(codes, expiry_offsets, strict=True):
        worker = build.with_record(
            worker, build.record(code, expires_on=START.date() + timedelta(days=offset))
        )
    end = START + timedelta(hours=end_hours)
    earlier_end = START + timedelta(hours=min(earlier_hours, end_hours))
    if check(worker, ["meal_preparation"], end=end).ok:
        assert check(worker, ["meal_preparation"], end=earlier_end).ok


@given(
    tasks=st.sets(st.sampled_from(list(TaskType)), min_size=1, max_size=3),
    nation=st.sampled_from(list(Nation)),
    kind=st.sampled_from(list(WorkerKind)),
    child=st.booleans(),
    self_employed=st.booleans(),
    dropped=st.sets(st.sampled_from([c.code for c in DEFAULT_POLICY.credential_types]), max_size=4),
    lapsing=st.sets(st.sampled_from([c.code for c in DEFAULT_POLICY.credential_types]), max_size=3),
)
def test_a_visit_check_reads_only_the_credentials_of_its_codes(
    build: Build,
    tasks: set[TaskType],
    nation: Nation,
    kind: WorkerKind,
    child: bool,
    self_employed: bool,
    dropped: set[str],
    lapsing: set[str],
) -> None:
    # Candidate search loads only `VisitCheck.codes`' credentials: the answer must not change.
    worker = build.subject(kind=kind, self_employed=self_employed)
    for code in dropped:
        worker = build.without(worker, code)
    for code in lapsing:
        worker = build.with_record(build.without(worker, code), build.record(code, expires_on=START.date()))
    visit = VisitCheck(tasks, nation, START, END, child)
    required = {r.code for k in WorkerKind for s in (False, True) for r in
                DEFAULT_POLICY.requirements(frozenset(tasks), nation, k, child, s)}  # fmt: skip
    only_codes = VettingSubject(
        worker.worker_id,
        worker.kind,
        worker.status,
        tuple(r for r in worker.credentials if r.type_code in visit.codes),
        worker.last_supervision_on,
        worker.self_employed,
    )

    assert visit.codes == required
    assert visit.check(only_codes) == visit.check(worker)
