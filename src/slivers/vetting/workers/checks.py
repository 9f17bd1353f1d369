"""Eligibility in words for a worker and a visit, and the public vetted summary (design 3.3).

`worker_eligibility` is what coordinators and the worker themself see; `vetted_for_public` is all a
service user may learn of a worker's criminal-record check.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Worker
from slivers.clock import Clock, to_london
from slivers.errors import InvalidInput, NotFound
from slivers.geo import PostcodeError, nation_of, parse_postcode
from slivers.vetting.access import worker_seen_by
from slivers.vetting.catalogue.policy import policy_for
from slivers.vetting.rules.catalogue import TaskType
from slivers.vetting.rules.eligibility import VisitCheck
from slivers.vetting.rules.explain import explain, vetted_summary
from slivers.vetting.schemas import EligibilityRead, FailureRead, RequirementRead, VettedRead
from slivers.vetting.workers.oversight import usable_overrides
from slivers.vetting.workers.subjects import load_subjects

MAX_VISIT_HOURS = 24


def parse_task_types(raw: str) -> list[TaskType]:
    names = [name.strip() for name in raw.split(",") if name.strip()]
    if not names:
        raise InvalidInput("Name at least one task type.", field="task_types", rule="required")
    try:
        return [TaskType(name) for name in names]
    except ValueError:
        known = ", ".join(t.value for t in TaskType)
        raise InvalidInput(
            f"Unknown task type. Use some of: {known}.", field="task_types", rule="unknown_task_type"
        ) from None


async def worker_eligibility(
    session: AsyncSession,
    actor: Actor,
    worker_id: uuid.UUID,
    *,
    task_types: str,
    postcode: str,
    start: datetime,
    end: datetime,
    household_has_child: bool,
    supervision_days: int,
    request_id: uuid.UUID | None = None,
) -> EligibilityRead:
    worker = await worker_seen_by(session, actor, worker_id)
    tasks = parse_task_types(task_types)
    try:
        nation = nation_of(parse_postcode(postcode))
    except PostcodeError as error:
        raise InvalidInput(str(error), field="postcode", rule=error.rule) from None
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput(
            "Give start and end with a time zone, such as 2026-12-01T10:00:00Z.",
            field="start",
            rule="timezone",
        )
    if end <= start:
        raise InvalidInput("The visit must end after it starts.", field="end", rule="after_start")
    if (end - start).total_seconds() > MAX_VISIT_HOURS * 3600:
        raise InvalidInput("A visit lasts at most 24 hours.", field="end", rule="too_long")
    policy = await policy_for(session, worker.organisation_id)
    overrides = await usable_overrides(session, worker.id, request_id)
    visit = VisitCheck(
        tasks,
        nation,
        start,
        end,
        household_has_child,
        policy=policy,
        supervision_interval_days=supervision_days,
        overrides=overrides,
    )
    subject = (await load_subjects(session, [worker.id]))[worker.id]
    result = visit.check(subject)
    return EligibilityRead(
        worker_id=worker.id,
        eligible=result.ok,
        nation=nation.value,
        requirements=[
            RequirementRead(code=r.code, count=r.count, title=policy.credential_type(r.code).title)
            for r in visit.requirements_for(subject)
        ],
        failures=[
            FailureRead(rule=f.rule, credential=f.credential, message=f.message) for f in result.failures
        ],
        overrides_used=sorted(result.overrides_used),
        explanation=explain(result, policy),
    )


async def vetted_for_public(session: AsyncSession, clock: Clock, worker_id: uuid.UUID) -> VettedRead:
    """ "Vetted", the check's level and its date: nothing else of a criminal-record check, ever."""
    worker = await session.get(Worker, worker_id)
    if worker is None:
        raise NotFound("We cannot find that worker.", field="worker_id", rule="not_found")
    subject = (await load_subjects(session, [worker.id]))[worker.id]
    policy = await policy_for(session, worker.organisation_id)
    summary = vetted_summary(subject, to_london(clock.now()).date(), policy)
    if summary is None:
        return VettedRead(worker_id=worker.id, vetted=False, check_level=None, issued_on=None)
    return VettedRead(
        worker_id=worker.id, vetted=True, check_level=summary.check_level, issued_on=summary.issued_on
    )
