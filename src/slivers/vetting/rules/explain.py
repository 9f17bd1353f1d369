"""Vetting in words: why a worker is or is not eligible (for coordinators and the worker themself), and
the only part of vetting a service user may see (design 3.3: "vetted", the check level and the date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from slivers.vetting.rules.catalogue import DEFAULT_POLICY, RequirementsPolicy
from slivers.vetting.rules.eligibility import (
    CredentialStatus,
    EligibilityResult,
    VettingSubject,
    WorkerStatus,
    credential_valid_until,
)


def explain(result: EligibilityResult, policy: RequirementsPolicy = DEFAULT_POLICY) -> list[str]:
    """Short plain-English lines, one per failed rule and one per override used."""
    if result.ok and not result.overrides_used:
        return ["Meets every vetting requirement for this visit."]
    lines = [failure.message for failure in result.failures]
    for code in sorted(result.overrides_used):
        title = policy.credential_type(code).title
        lines.append(f"Booked with a coordinator's override for: {title}.")
    return lines


@dataclass(frozen=True, slots=True)
class VettedSummary:
    """Everything a service user may learn of a worker's criminal-record check. Add nothing to it."""

    status: Literal["vetted"]
    check_level: str
    issued_on: date


def vetted_summary(
    subject: VettingSubject, today: date, policy: RequirementsPolicy = DEFAULT_POLICY
) -> VettedSummary | None:
    """The newest verified criminal-record check valid `today` (London), for an active worker; else None."""
    if subject.status is not WorkerStatus.ACTIVE:
        return None
    best: VettedSummary | None = None
    for record in subject.credentials:
        if record.status is not CredentialStatus.VERIFIED:
            continue
        ctype = policy.credential_type(record.type_code)
        if not ctype.is_criminal_record_check:
            continue
        until = credential_valid_until(record, policy)
        if until is not None and until < today:
            continue
        if best is None or record.issued_on > best.issued_on:
            best = VettedSummary("vetted", ctype.public_label or ctype.title, record.issued_on)
    return best
