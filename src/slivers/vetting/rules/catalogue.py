"""The credential catalogue, task types and which credentials a home visit requires (design 3.1, 3.2).

Everything here is plain, immutable data. The defaults are the seeded catalogue; coordinators' edits,
stored in the database later, build a different `RequirementsPolicy` with `dataclasses.replace` or the
constructor, and the pure eligibility rules take whichever policy they are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from slivers.geo import Nation


class TaskType(StrEnum):
    COMPANIONSHIP = "companionship"
    ESCORT = "escort"
    DOMESTIC = "domestic"
    MEAL_PREPARATION = "meal_preparation"
    PERSONAL_CARE = "personal_care"
    MEDICATION_PROMPT = "medication_prompt"
    MOVING_HANDLING = "moving_handling"


TASK_TYPE_LABELS: Mapping[TaskType, str] = MappingProxyType(
    {
        TaskType.COMPANIONSHIP: "Companionship (sitting, a carer's break)",
        TaskType.ESCORT: "Escort (shopping, appointments, outings)",
        TaskType.DOMESTIC: "Light housework",
        TaskType.MEAL_PREPARATION: "Preparing meals",
        TaskType.PERSONAL_CARE: "Personal care",
        TaskType.MEDICATION_PROMPT: "Prompting to take medication",
        TaskType.MOVING_HANDLING: "Moving and handling, including hoists",
    }
)


class WorkerKind(StrEnum):
    PAID = "paid"
    VOLUNTEER = "volunteer"


class ValidityKind(StrEnum):
    NONE = "none"  # valid until revoked
    YEARS = "years"  # a fixed number of years from the issue date
    UNTIL_END_DATE = "until_end_date"  # until the date on the document (e.g. time-limited right to work)
    AS_DBS_CERTIFICATE = "as_dbs_certificate"  # barred-list checks live and die with their certificate


@dataclass(frozen=True, slots=True)
class Validity:
    kind: ValidityKind
    years: int = 0

    def __post_init__(self) -> None:
        if (self.kind is ValidityKind.YEARS) != (self.years > 0):
            raise ValueError("a validity in years needs a positive number of years, and only then")


NO_EXPIRY = Validity(ValidityKind.NONE)
UNTIL_END_DATE = Validity(ValidityKind.UNTIL_END_DATE)
AS_DBS_CERTIFICATE = Validity(ValidityKind.AS_DBS_CERTIFICATE)


def years(n: int) -> Validity:
    return Validity(ValidityKind.YEARS, n)


@dataclass(frozen=True, slots=True)
class CredentialType:
    code: str
    title: str
    validity: Validity
    is_criminal_record_check: bool = False
    # The enhanced DBS may stay valid past its years while its holder is on the DBS Update Service.
    extended_by_update_service: bool = False
    paid_only: bool = False
    self_employed_only: bool = False
    required_count: int = 1
    # What a service user may see for a criminal-record check ("Enhanced DBS"); nothing else of it is public.
    public_label: str | None = None


DEFAULT_CREDENTIAL_TYPES: tuple[CredentialType, ...] = (
    CredentialType("id_check", "Identity checked (document seen)", NO_EXPIRY),
    CredentialType("right_to_work", "Right to work in the UK", UNTIL_END_DATE, paid_only=True),
    CredentialType("reference", "A satisfactory reference", NO_EXPIRY, required_count=2),
    CredentialType(
        "dbs_enhanced",
        "Enhanced DBS check (England and Wales)",
        years(3),
        is_criminal_record_check=True,
        extended_by_update_service=True,
        public_label="Enhanced DBS",
    ),
    CredentialType("dbs_barred_adults", "Adults' barred list checked", AS_DBS_CERTIFICATE),
    CredentialType("dbs_barred_children", "Children's barred list checked", AS_DBS_CERTIFICATE),
    CredentialType(
        "pvg_adults",
        "PVG scheme membership for protected adults (Scotland)",
        years(5),
        is_criminal_record_check=True,
        public_label="PVG scheme (protected adults)",
    ),
    CredentialType("care_certificate", "Care Certificate completed", NO_EXPIRY),
    CredentialType("safeguarding_adults", "Safeguarding adults training", years(1)),
    CredentialType("moving_handling", "Moving and handling of people, competence assessed", years(1)),
    CredentialType("medication", "Medication training, competence assessed", years(1)),
    CredentialType("first_aid", "Basic life support and first aid", years(1)),
    CredentialType("food_hygiene", "Food hygiene level 2", years(3)),
    CredentialType("infection_control", "Infection prevention and control", years(3)),
    CredentialType("confidentiality", "Confidentiality and data protection", years(3)),
    CredentialType("lone_working", "Lone working", years(3)),
    CredentialType("public_liability", "Public liability insurance", years(1), self_employed_only=True),
)

# Profile attributes used as hard requirements; they never expire, and may be verified too.
SKILLS_WITHOUT_EXPIRY: Mapping[str, str] = MappingProxyType(
    {
        "bsl": "British Sign Language",
        "dementia_awareness": "Dementia awareness",
        "driving_licence": "Full UK driving licence",
        "language": "Speaks a named language",
    }
)


@dataclass(frozen=True, slots=True)
class Requirement:
    code: str
    count: int = 1


@dataclass(frozen=True, slots=True)
class NationRules:
    criminal_record_check: str
    # Credentials this nation's check stands in for (Scotland's PVG covers the DBS barred lists).
    replaces: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RequirementsPolicy:
    """Which credentials a home visit needs. Immutable; `required_for` answers are cached per shape."""

    credential_types: tuple[CredentialType, ...]
    every_visit: tuple[str, ...]
    nations: Mapping[Nation, NationRules]
    paid_workers: tuple[str, ...]
    self_employed_workers: tuple[str, ...]
    per_task: Mapping[TaskType, tuple[str, ...]]
    child_in_household: tuple[str, ...]
    update_service_check_months: int = 12
    _types_by_code: Mapping[str, CredentialType] = field(init=False, repr=False, compare=False)
    _validity_rules: Mapping[str, tuple[int, bool]] = field(init=False, repr=False, compare=False)
    _cache: dict[tuple[object, ...], tuple[Requirement, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        by_code = {t.code: t for t in self.credential_types}
        if len(by_code) != len(self.credential_types):
            raise ValueError("credential type codes must be unique")
        named = [
            *self.every_visit,
            *self.paid_workers,
            *self.self_employed_workers,
            *self.child_in_household,
            *(code for codes in self.per_task.values() for code in codes),
            *(rules.criminal_record_check for rules in self.nations.values()),
        ]
        unknown = sorted({code for code in named if code not in by_code})
        if unknown:
            raise ValueError(f"the requirements name unknown credential types: {', '.join(unknown)}")
        missing_tasks = [task for task in TaskType if task not in self.per_task]
        if missing_tasks:
            raise ValueError(f"no requirements given for task types: {', '.join(missing_tasks)}")
        object.__setattr__(self, "nations", MappingProxyType(dict(self.nations)))
        object.__setattr__(self, "per_task", MappingProxyType(dict(self.per_task)))
        object.__setattr__(self, "_types_by_code", MappingProxyType(by_code))
        object.__setattr__(self, "_validity_rules", MappingProxyType(_validity_rules(by_code)))

    def credential_type(self, code: str) -> CredentialType:
        return self._types_by_code[code]

    def validity_rule(self, code: str) -> tuple[int, bool]:
        """(months of validity from issue, 0 for none; whether the DBS Update Service can extend it)."""
        return self._validity_rules[code]

    def required_for(
        self,
        task_types: Iterable[TaskType | str],
        nation: Nation,
        worker_kind: WorkerKind | str,
        household_has_child: bool,
        *,
        self_employed: bool = False,
    ) -> list[Requirement]:
        """The credentials (and how many of each) a worker needs for a visit, in a stable order."""
        tasks = frozenset(_task_type(task) for task in task_types)
        return list(
            self.requirements(tasks, nation, WorkerKind(worker_kind), household_has_child, self_employed)
        )

    def requirements(
        self,
        tasks: frozenset[TaskType],
        nation: Nation,
        worker_kind: WorkerKind,
        household_has_child: bool,
        self_employed: bool,
    ) -> tuple[Requirement, ...]:
        """`required_for` without the argument parsing, for callers that check thousands of workers."""
        key = (tasks, nation, worker_kind, household_has_child, self_employed)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._compute(
                tasks, nation, worker_kind, household_has_child, self_employed
            )
        return cached

    def _compute(
        self,
        tasks: frozenset[TaskType],
        nation: Nation,
        worker_kind: WorkerKind,
        household_has_child: bool,
        self_employed: bool,
    ) -> tuple[Requirement, ...]:
        rules = self.nations[nation]
        codes: list[str] = [*self.every_visit, rules.criminal_record_check]
        if worker_kind is WorkerKind.PAID:
            codes += self.paid_workers
        if self_employed:
            codes += self.self_employed_workers
        for task in TaskType:  # enum order, so the answer does not depend on the caller's order
            if task in tasks:
                codes += self.per_task[task]
        if household_has_child:
            codes += self.child_in_household
        seen: dict[str, None] = {}
        for code in codes:
            if code not in rules.replaces:
                seen.setdefault(code)
        return tuple(Requirement(code, self._types_by_code[code].required_count) for code in seen)


def _validity_rules(types: Mapping[str, CredentialType]) -> dict[str, tuple[int, bool]]:
    dbs = types.get("dbs_enhanced")
    dbs_months = 12 * dbs.validity.years if dbs is not None else 0
    rules: dict[str, tuple[int, bool]] = {}
    for code, ctype in types.items():
        kind = ctype.validity.kind
        if kind is ValidityKind.AS_DBS_CERTIFICATE:
            rules[code] = (dbs_months, True)
        else:
            months = 12 * ctype.validity.years if kind is ValidityKind.YEARS else 0
            rules[code] = (months, ctype.extended_by_update_service)
    return rules


def _task_type(value: TaskType | str) -> TaskType:
    try:
        return TaskType(value)
    except ValueError:
        raise ValueError(f"unknown task type {value!r}") from None


_BARRED_ADULTS = ("dbs_barred_adults",)

DEFAULT_POLICY = RequirementsPolicy(
    credential_types=DEFAULT_CREDENTIAL_TYPES,
    every_visit=("id_check", "reference", "confidentiality", "lone_working", "safeguarding_adults"),
    nations={
        Nation.ENGLAND: NationRules("dbs_enhanced"),
        Nation.WALES: NationRules("dbs_enhanced"),
        Nation.SCOTLAND: NationRules(
            "pvg_adults", replaces=frozenset({"dbs_barred_adults", "dbs_barred_children"})
        ),
    },
    paid_workers=("right_to_work",),
    self_employed_workers=("public_liability",),
    per_task={
        TaskType.COMPANIONSHIP: (),
        TaskType.ESCORT: (),
        TaskType.DOMESTIC: (),
        TaskType.MEAL_PREPARATION: ("food_hygiene",),
        TaskType.PERSONAL_CARE: (*_BARRED_ADULTS, "care_certificate", "infection_control"),
        TaskType.MEDICATION_PROMPT: ("medication", *_BARRED_ADULTS),
        TaskType.MOVING_HANDLING: ("moving_handling", *_BARRED_ADULTS),
    },
    child_in_household=("dbs_barred_children",),
)
