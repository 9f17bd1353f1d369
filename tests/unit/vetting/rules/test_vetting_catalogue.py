from dataclasses import FrozenInstanceError, replace

import pytest

from slivers.geo import Nation
from slivers.vetting.rules.catalogue import (
    DEFAULT_POLICY,
    TASK_TYPE_LABELS,
    Requirement,
    TaskType,
    ValidityKind,
    WorkerKind,
)

EVERY_VISIT = {"id_check", "reference", "confidentiality", "lone_working", "safeguarding_adults"}


def codes(requirements: list[Requirement]) -> set[str]:
    return {r.code for r in requirements}


def test_a_paid_companion_in_england_needs_the_base_set_dbs_and_right_to_work() -> None:
    required = DEFAULT_POLICY.required_for(["companionship"], Nation.ENGLAND, "paid", False)
    assert codes(required) == EVERY_VISIT | {"dbs_enhanced", "right_to_work"}
    assert Requirement("reference", 2) in required


def test_volunteers_need_no_right_to_work() -> None:
    required = DEFAULT_POLICY.required_for([TaskType.ESCORT], Nation.WALES, WorkerKind.VOLUNTEER, False)
    assert codes(required) == EVERY_VISIT | {"dbs_enhanced"}


@pytest.mark.parametrize(
    ("task", "adds"),
    [
        (TaskType.DOMESTIC, set()),
        (TaskType.MEAL_PREPARATION, {"food_hygiene"}),
        (TaskType.PERSONAL_CARE, {"dbs_barred_adults", "care_certificate", "infection_control"}),
        (TaskType.MEDICATION_PROMPT, {"medication", "dbs_barred_adults"}),
        (TaskType.MOVING_HANDLING, {"moving_handling", "dbs_barred_adults"}),
    ],
)
def test_task_types_add_their_credentials_in_england(task: TaskType, adds: set[str]) -> None:
    required = DEFAULT_POLICY.required_for([task], Nation.ENGLAND, WorkerKind.VOLUNTEER, False)
    assert codes(required) == EVERY_VISIT | {"dbs_enhanced"} | adds


def test_scotland_needs_pvg_which_stands_in_for_the_dbs_checks() -> None:
    required = DEFAULT_POLICY.required_for(
        [TaskType.PERSONAL_CARE, TaskType.MOVING_HANDLING], Nation.SCOTLAND, WorkerKind.PAID, True
    )
    assert "pvg_adults" in codes(required)
    assert not codes(required) & {"dbs_enhanced", "dbs_barred_adults", "dbs_barred_children"}
    assert {"care_certificate", "moving_handling", "right_to_work"} <= codes(required)


def test_a_child_in_the_household_adds_the_childrens_barred_list_in_england() -> None:
    required = DEFAULT_POLICY.required_for(["domestic"], Nation.ENGLAND, "volunteer", True)
    assert "dbs_barred_children" in codes(required)


def test_self_employed_workers_need_public_liability_insurance() -> None:
    required = DEFAULT_POLICY.required_for(["escort"], Nation.ENGLAND, "paid", False, self_employed=True)
    assert "public_liability" in codes(required)


def test_the_answer_has_no_duplicates_and_does_not_depend_on_task_order() -> None:
    tasks = [TaskType.MEDICATION_PROMPT, TaskType.PERSONAL_CARE, TaskType.MOVING_HANDLING]
    first = DEFAULT_POLICY.required_for(tasks, Nation.ENGLAND, "paid", True)
    second = DEFAULT_POLICY.required_for(reversed(tasks), Nation.ENGLAND, "paid", True)
    assert first == second
    assert len(codes(first)) == len(first)


def test_an_unknown_task_type_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="gardening"):
        DEFAULT_POLICY.required_for(["gardening"], Nation.ENGLAND, "paid", False)


def test_the_policy_is_immutable_and_an_edit_builds_a_new_one() -> None:
    with pytest.raises(FrozenInstanceError):
        DEFAULT_POLICY.every_visit = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        DEFAULT_POLICY.per_task[TaskType.DOMESTIC] = ("first_aid",)  # type: ignore[index]
    edited = replace(DEFAULT_POLICY, per_task={**DEFAULT_POLICY.per_task, TaskType.DOMESTIC: ("first_aid",)})
    assert "first_aid" in codes(edited.required_for(["domestic"], Nation.ENGLAND, "paid", False))
    assert "first_aid" not in codes(DEFAULT_POLICY.required_for(["domestic"], Nation.ENGLAND, "paid", False))


def test_a_policy_naming_an_unknown_credential_is_refused() -> None:
    with pytest.raises(ValueError, match="no_such_course"):
        replace(DEFAULT_POLICY, every_visit=("id_check", "no_such_course"))


def test_the_catalogue_describes_every_credential_and_task_in_plain_english() -> None:
    assert set(TASK_TYPE_LABELS) == set(TaskType)
    kinds = {t.code: t.validity.kind for t in DEFAULT_POLICY.credential_types}
    assert kinds["dbs_barred_adults"] is ValidityKind.AS_DBS_CERTIFICATE
    assert kinds["right_to_work"] is ValidityKind.UNTIL_END_DATE
    assert kinds["reference"] is ValidityKind.NONE
    assert DEFAULT_POLICY.credential_type("pvg_adults").validity.years == 5
    assert DEFAULT_POLICY.credential_type("right_to_work").paid_only
    assert DEFAULT_POLICY.credential_type("public_liability").self_employed_only
    checks = {t.code for t in DEFAULT_POLICY.credential_types if t.is_criminal_record_check}
    assert checks == {"dbs_enhanced", "pvg_adults"}
