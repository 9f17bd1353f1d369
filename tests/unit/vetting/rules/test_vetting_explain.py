from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from slivers.geo import Nation
from slivers.vetting.rules.eligibility import CredentialStatus, WorkerStatus, eligible
from slivers.vetting.rules.explain import VettedSummary, explain, vetted_summary

Build = Any
START = datetime(2026, 7, 14, 12, 0, tzinfo=UTC)
END = datetime(2026, 7, 14, 15, 0, tzinfo=UTC)
CERTIFICATE = "001234567890"


def test_an_eligible_worker_is_explained_in_one_line(build: Build) -> None:
    result = eligible(build.subject(), ["escort"], Nation.ENGLAND, START, END, False)
    assert explain(result) == ["Meets every vetting requirement for this visit."]


def test_failures_and_overrides_are_explained_in_plain_english(build: Build) -> None:
    worker = build.without(build.without(build.subject(), "food_hygiene"), "medication")
    result = eligible(
        worker,
        ["meal_preparation", "medication_prompt"],
        Nation.ENGLAND,
        START,
        END,
        False,
        overrides={"food_hygiene"},
    )
    assert explain(result) == [
        "No record of: Medication training, competence assessed.",
        "Booked with a coordinator's override for: Food hygiene level 2.",
    ]


def test_the_public_summary_says_vetted_the_level_and_the_date_only(build: Build) -> None:
    summary = vetted_summary(build.subject(), date(2026, 6, 1))
    assert summary == VettedSummary("vetted", "Enhanced DBS", build.issued)
    assert set(asdict(summary)) == {"status", "check_level", "issued_on"}


def test_the_public_summary_never_contains_the_certificate_number(build: Build) -> None:
    summary = vetted_summary(build.subject(), date(2026, 6, 1))
    assert summary is not None
    for text in (repr(summary), str(summary), str(asdict(summary))):
        assert CERTIFICATE not in text
        assert "barred" not in text.lower()


def test_a_scottish_worker_is_shown_as_pvg_checked(build: Build) -> None:
    worker = build.without(build.subject(), "dbs_enhanced")
    summary = vetted_summary(worker, date(2026, 6, 1))
    assert summary is not None
    assert summary.check_level == "PVG scheme (protected adults)"


def test_no_summary_without_a_valid_verified_check_or_for_a_suspended_worker(build: Build) -> None:
    today = date(2026, 6, 1)
    unchecked = build.without(build.without(build.subject(), "dbs_enhanced"), "pvg_adults")
    assert vetted_summary(unchecked, today) is None
    old = build.with_record(unchecked, build.record("dbs_enhanced", issued_on=date(2023, 5, 31)))
    assert vetted_summary(old, today) is None
    submitted = build.with_record(unchecked, build.record("dbs_enhanced", status=CredentialStatus.SUBMITTED))
    assert vetted_summary(submitted, today) is None
    assert vetted_summary(build.subject(status=WorkerStatus.SUSPENDED), today) is None
