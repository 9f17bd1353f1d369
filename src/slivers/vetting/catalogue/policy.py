"""Each organisation's catalogue: the seeded `DEFAULT_POLICY` unless its coordinators edited it.

The market calls `policy_for` when it judges a booking, so an edit applies from then on and bookings
already made are not re-judged. Validity edits reach only credentials decided after them too, since a
credential's `valid_until` is fixed when it is verified.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.vetting.models import VettingPolicy
from slivers.vetting.rules.catalogue import DEFAULT_POLICY, RequirementsPolicy, TaskType, ValidityKind, years

_LISTS = ("every_visit", "paid_workers", "self_employed_workers", "child_in_household")
_built: dict[tuple[uuid.UUID, int], RequirementsPolicy] = {}
_MAX_CACHED = 1000


class PolicyDocumentError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def policy_version_of(organisation_id: Any) -> Any:
    """SQL: the version of the policy in force for `organisation_id` (a column or parameter), NULL for
    the default catalogue; give it to `policy_at` to skip `policy_for`'s own query."""
    return (
        select(VettingPolicy.version)
        .where(VettingPolicy.organisation_id == organisation_id)
        .scalar_subquery()
    )


@cache
def _version_statement() -> Select[tuple[int | None]]:
    # Built once; the document is read only when this version is not built yet.
    return select(policy_version_of(bindparam("organisation_id")))


async def policy_for(session: AsyncSession, organisation_id: uuid.UUID | None) -> RequirementsPolicy:
    """The catalogue in force for workers vetted by `organisation_id` (the default for none)."""
    if organisation_id is None:
        return DEFAULT_POLICY
    version = await session.scalar(_version_statement(), {"organisation_id": organisation_id})
    return await policy_at(session, organisation_id, version)


async def policy_at(
    session: AsyncSession, organisation_id: uuid.UUID | None, version: int | None
) -> RequirementsPolicy:
    """The catalogue of `organisation_id` at `version`, read in this transaction (`policy_version_of`);
    None means the organisation keeps the default catalogue."""
    if organisation_id is None or version is None:
        return DEFAULT_POLICY
    policy = _built.get((organisation_id, version))
    if policy is None:
        row = (
            await session.execute(
                select(VettingPolicy.version, VettingPolicy.document).where(
                    VettingPolicy.organisation_id == organisation_id
                )
            )
        ).one_or_none()
        if row is None:
            return DEFAULT_POLICY
        key = (organisation_id, row.version)
        policy = policy_from_document(row.document)
        if len(_built) >= _MAX_CACHED:
            _built.clear()
        _built[key] = policy  # a version never changes, so a cached policy is never stale
    return policy


def policy_from_document(document: dict[str, Any]) -> RequirementsPolicy:
    """Build a policy from a stored document, starting from the defaults. Raises PolicyDocumentError."""
    changes: dict[str, Any] = {}
    for name in _LISTS:
        if name in document:
            changes[name] = tuple(_unique(document[name]))
    if "per_task" in document:
        per_task = dict(DEFAULT_POLICY.per_task)
        for task, codes in document["per_task"].items():
            per_task[TaskType(task)] = tuple(_unique(codes))
        changes["per_task"] = per_task
    validity: dict[str, int] = document.get("validity_years") or {}
    if validity:
        types = []
        for ctype in DEFAULT_POLICY.credential_types:
            if ctype.code in validity:
                if ctype.validity.kind is not ValidityKind.YEARS:
                    raise PolicyDocumentError(
                        f"The validity of {ctype.title} is not a number of years, so it cannot be changed.",
                        field="validity_years",
                    )
                ctype = replace(ctype, validity=years(int(validity[ctype.code])))
            types.append(ctype)
        unknown = sorted(set(validity) - {t.code for t in types})
        if unknown:
            raise PolicyDocumentError(f"Unknown credential types: {', '.join(unknown)}.", "validity_years")
        changes["credential_types"] = tuple(types)
    try:
        return replace(DEFAULT_POLICY, **changes)
    except ValueError as error:
        raise PolicyDocumentError(str(error), field="catalogue") from None


def document_of(policy: RequirementsPolicy) -> dict[str, Any]:
    """The editable part of a policy, as stored."""
    return {
        "every_visit": list(policy.every_visit),
        "paid_workers": list(policy.paid_workers),
        "self_employed_workers": list(policy.self_employed_workers),
        "per_task": {task.value: list(codes) for task, codes in policy.per_task.items()},
        "child_in_household": list(policy.child_in_household),
        "validity_years": {
            t.code: t.validity.years for t in policy.credential_types if t.validity.kind is ValidityKind.YEARS
        },
    }


def _unique(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))
