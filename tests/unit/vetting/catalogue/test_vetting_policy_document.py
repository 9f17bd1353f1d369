"""Organisations' stored catalogues become RequirementsPolicy objects; the worker-lost hook calls its
handlers. Pure: no database."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from slivers.clock import FrozenClock
from slivers.geo import Nation
from slivers.vetting import hooks
from slivers.vetting.catalogue.policy import PolicyDocumentError, document_of, policy_from_document
from slivers.vetting.rules.catalogue import DEFAULT_POLICY, TaskType, WorkerKind


def test_the_default_round_trips() -> None:
    assert policy_from_document(document_of(DEFAULT_POLICY)) == DEFAULT_POLICY
    assert policy_from_document({}) == DEFAULT_POLICY


def test_an_edit_changes_requirements_and_validity_but_not_the_nations() -> None:
    policy = policy_from_document(
        {"per_task": {"escort": ["first_aid", "first_aid"]}, "validity_years": {"first_aid": 2}}
    )
    codes = [
        r.code for r in policy.required_for([TaskType.ESCORT], Nation.SCOTLAND, WorkerKind.VOLUNTEER, False)
    ]
    assert codes[-1] == "first_aid"
    assert "pvg_adults" in codes
    assert policy.validity_rule("first_aid") == (24, False)
    assert policy.per_task[TaskType.MEAL_PREPARATION] == ("food_hygiene",)


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"every_visit": ["id_check", "juggling"]}, "catalogue"),
        ({"validity_years": {"id_check": 2}}, "validity_years"),
        ({"validity_years": {"dbs_barred_adults": 2}}, "validity_years"),
    ],
)
def test_bad_documents_are_refused(document: dict[str, Any], field: str) -> None:
    with pytest.raises(PolicyDocumentError) as refused:
        policy_from_document(document)
    assert refused.value.field == field


def test_worker_lost_calls_every_handler_and_sums_their_changes() -> None:
    calls: list[tuple[uuid.UUID, str, datetime]] = []

    async def reopen(session: Any, clock: Any, worker_id: uuid.UUID, reason: str, since: datetime) -> int:
        calls.append((worker_id, reason, since))
        return 2

    worker_id, since = uuid.uuid4(), datetime(2026, 12, 1, tzinfo=UTC)
    changed = asyncio.run(
        hooks.worker_lost(None, FrozenClock(since), [reopen, reopen], worker_id, "suspended", since)  # type: ignore[arg-type]
    )
    assert changed == 4
    assert calls == [(worker_id, "suspended", since)] * 2
