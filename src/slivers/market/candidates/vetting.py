"""Vetting as the market asks it: per worker's organisation policy, one `VisitCheck` per visit."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.geo import Nation
from slivers.market.rules.candidates import WorkerSnapshot
from slivers.vetting.catalogue.policy import policy_at, policy_for
from slivers.vetting.rules.catalogue import RequirementsPolicy
from slivers.vetting.rules.eligibility import (
    EligibilityResult,
    VettingSubject,
    VisitCheck,
)
from slivers.vetting.workers.subjects import WorkerFields, load_subjects


class VettingJudge:
    """The callback `CandidateSearch` calls last for each worker that passes everything else; it also
    says which of a worker's usable overrides (credential codes) turned a failure into a pass."""

    def __init__(
        self,
        subjects: dict[uuid.UUID, VettingSubject],
        worker_orgs: dict[uuid.UUID, uuid.UUID | None],
        checks: dict[tuple[uuid.UUID | None, frozenset[str]], VisitCheck],
        overrides: Mapping[uuid.UUID, frozenset[str]],
    ) -> None:
        self._subjects = subjects
        self._worker_orgs = worker_orgs
        self._checks = checks
        self._overrides = overrides

    def result(self, worker_id: uuid.UUID) -> EligibilityResult | None:
        subject = self._subjects.get(worker_id)
        if subject is None:
            return None
        codes = self._overrides.get(worker_id, frozenset())
        return self._checks[self._worker_orgs[worker_id], codes].check(subject)

    def __call__(self, worker: WorkerSnapshot) -> Sequence[str]:
        worker_id = worker.id
        assert isinstance(worker_id, uuid.UUID)
        result = self.result(worker_id)
        return ("no_vetting_record",) if result is None else result.failure_keys

    def overrides_used(self, worker_id: uuid.UUID) -> frozenset[str]:
        result = self.result(worker_id)
        return frozenset() if result is None else result.overrides_used


async def vetting_failures_for(
    session: AsyncSession,
    worker_orgs: dict[uuid.UUID, uuid.UUID | None],
    *,
    task_types: Sequence[str],
    nation: Nation,
    start: datetime,
    end: datetime,
    household_has_child: bool,
    overrides: Mapping[uuid.UUID, frozenset[str]] | None = None,
    known: Mapping[uuid.UUID, WorkerFields] | None = None,
    policies: dict[uuid.UUID | None, RequirementsPolicy] | None = None,
    policy_versions: Mapping[uuid.UUID | None, int | None] | None = None,
) -> VettingJudge:
    """Vetting for the workers of `worker_orgs`, each judged by their organisation's policy. `overrides`
    are coordinators' usable overrides (credential codes) per worker: a credential they name is passed
    and reported by `overrides_used`; worker-level rules (suspension, pending, supervision) never are.
    `known` workers' own fields are not read again, nor the policy versions in `policy_versions` (read
    in this transaction); `policies` keeps organisations' policies between calls in one transaction.
    Only the credentials some check can ask for are loaded."""
    overrides = overrides or {}
    policies = {} if policies is None else policies
    versions = policy_versions or {}
    for organisation_id in set(worker_orgs.values()) - policies.keys():
        policies[organisation_id] = (
            await policy_at(session, organisation_id, versions[organisation_id])
            if organisation_id in versions
            else await policy_for(session, organisation_id)
        )
    checks: dict[tuple[uuid.UUID | None, frozenset[str]], VisitCheck] = {}
    for worker_id, organisation_id in worker_orgs.items():
        key = (organisation_id, overrides.get(worker_id, frozenset()))
        if key not in checks:
            checks[key] = VisitCheck(
                task_types,
                nation,
                start,
                end,
                household_has_child,
                policy=policies[organisation_id],
                overrides=key[1],
            )
    codes = frozenset().union(*(check.codes for check in checks.values()))
    subjects = await load_subjects(session, list(worker_orgs), known, codes=codes)
    return VettingJudge(subjects, worker_orgs, checks, overrides)
