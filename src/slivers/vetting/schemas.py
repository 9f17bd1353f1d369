"""Request and response structures for vetting. snake_case JSON, as in the rest of the API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from slivers.errors import InvalidInput

Code = Annotated[str, Meta(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]
Reason = Annotated[str, Meta(min_length=3, max_length=2000)]
CertificateNumber = Annotated[str, Meta(min_length=4, max_length=40, pattern=r"^[A-Za-z0-9 /-]+$")]
CheckLevel = Literal["basic", "standard", "enhanced", "pvg_scheme"]
TaskTypeName = Literal[
    "companionship",
    "escort",
    "domestic",
    "meal_preparation",
    "personal_care",
    "medication_prompt",
    "moving_handling",
]


class Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base for request bodies: unknown fields are refused, not ignored."""


class CredentialSubmit(Strict):
    type_code: Code
    issued_on: date
    expires_on: date | None = None
    certificate_number: CertificateNumber | None = None
    # DBS and PVG only: what the DBS code of practice lets us keep.
    level: CheckLevel | None = None
    barred_adults_checked: bool = False
    barred_children_checked: bool = False
    on_update_service: bool = False
    update_service_checked_on: date | None = None

    def __post_init__(self) -> None:
        if self.expires_on is not None and self.expires_on <= self.issued_on:
            raise InvalidInput(
                "The expiry date must be after the issue date.", field="expires_on", rule="after_issue"
            )
        checked = self.update_service_checked_on
        if checked is not None and not self.on_update_service:
            raise InvalidInput(
                "A status-check date needs an Update Service subscription.",
                field="update_service_checked_on",
                rule="needs_update_service",
            )
        if checked is not None and checked < self.issued_on:
            raise InvalidInput(
                "The status check cannot be before the certificate was issued.",
                field="update_service_checked_on",
                rule="after_issue",
            )


class HistoryEntry(msgspec.Struct, kw_only=True):
    at: datetime
    action: str
    reason: str


class CredentialRead(msgspec.Struct, kw_only=True):
    """For the worker themself and their organisation's coordinators; never for service users."""

    id: uuid.UUID
    worker_id: uuid.UUID
    type_code: str
    title: str
    status: str
    issued_on: date
    expires_on: date | None
    valid_until: date | None
    certificate_number: str | None
    level: str | None
    barred_adults_checked: bool
    barred_children_checked: bool
    on_update_service: bool
    update_service_checked_on: date | None
    submitted_at: datetime
    decided_at: datetime | None
    decision_reason: str
    has_evidence: bool
    evidence_sha256: str | None
    history: list[HistoryEntry] = msgspec.field(default_factory=list)


class QueueItem(msgspec.Struct, kw_only=True):
    worker_name: str
    organisation_id: uuid.UUID
    credential: CredentialRead


class Verify(Strict):
    # The date on the document where the catalogue's default validity does not apply (a time-limited
    # right to work); replaces the submitted one.
    expires_on: date | None = None
    note: Annotated[str, Meta(max_length=2000)] = ""


class Decision(Strict):
    reason: Reason


class StatusCheckCreate(Strict):
    """A DBS Update Service status check a coordinator has made: "clear" (no new information) or
    "changed" (the certificate is no longer current), with the date it was made."""

    checked_on: date
    result: Literal["clear", "changed"] = "clear"
    reason: Annotated[str, Meta(max_length=2000)] = ""

    def __post_init__(self) -> None:
        if self.result == "changed" and len(self.reason.strip()) < 3:
            raise InvalidInput(
                "Say why the credential is withdrawn (the check showed a change).",
                field="reason",
                rule="required",
            )


class StatusCheckRead(msgspec.Struct, kw_only=True):
    credential: CredentialRead
    # The barred-list records checked on the same certificate, which follow it.
    same_certificate: list[CredentialRead]


class EvidenceRead(msgspec.Struct, kw_only=True):
    credential_id: uuid.UUID
    content_type: str
    size: int
    sha256: str


class OrganisationChoice(Strict):
    organisation_id: uuid.UUID


class WorkerVettingRead(msgspec.Struct, kw_only=True):
    worker_id: uuid.UUID
    display_name: str
    kind: str
    status: str
    status_reason: str
    organisation_id: uuid.UUID | None
    last_supervision_on: date | None
    supervision_due_on: date | None


class Reinstate(Strict):
    reason: Annotated[str, Meta(max_length=2000)] = ""


class SupervisionCreate(Strict):
    held_on: date


class SupervisionRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    held_on: date
    recorded_at: datetime


class OverrideCreate(Strict):
    credential_code: Code
    reason: Annotated[str, Meta(min_length=10, max_length=2000)]
    # The request this override is for; none means the worker's next booking.
    request_id: uuid.UUID | None = None


class OverrideRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    worker_id: uuid.UUID
    credential_code: str
    request_id: uuid.UUID | None
    reason: str
    granted_at: datetime
    used_by_booking_id: uuid.UUID | None


class FailureRead(msgspec.Struct, kw_only=True):
    rule: str
    credential: str | None
    message: str


class RequirementRead(msgspec.Struct, kw_only=True):
    code: str
    count: int
    title: str


class EligibilityRead(msgspec.Struct, kw_only=True):
    worker_id: uuid.UUID
    eligible: bool
    nation: str
    requirements: list[RequirementRead]
    failures: list[FailureRead]
    overrides_used: list[str]
    explanation: list[str]


class VettedRead(msgspec.Struct, kw_only=True):
    """All a service user may see of a worker's criminal-record check."""

    worker_id: uuid.UUID
    vetted: bool
    check_level: str | None
    issued_on: date | None


class CredentialTypeRead(msgspec.Struct, kw_only=True):
    code: str
    title: str
    validity: str
    validity_years: int
    criminal_record_check: bool
    paid_only: bool
    self_employed_only: bool
    required_count: int


class NationRead(msgspec.Struct, kw_only=True):
    criminal_record_check: str
    replaces: list[str]


class CatalogueRead(msgspec.Struct, kw_only=True):
    organisation_id: uuid.UUID | None
    version: int  # 0 for the seeded catalogue
    credential_types: list[CredentialTypeRead]
    every_visit: list[str]
    paid_workers: list[str]
    self_employed_workers: list[str]
    per_task: dict[str, list[str]]
    child_in_household: list[str]
    nations: dict[str, NationRead]


class CatalogueEdit(Strict):
    """A whole catalogue for one organisation. The nations' criminal-record checks are the law's, not
    editable; validity can be changed only for credentials that last a number of years."""

    every_visit: Annotated[list[Code], Meta(max_length=40)]
    paid_workers: Annotated[list[Code], Meta(max_length=40)]
    self_employed_workers: Annotated[list[Code], Meta(max_length=40)]
    per_task: dict[TaskTypeName, Annotated[list[Code], Meta(max_length=40)]]
    child_in_household: Annotated[list[Code], Meta(max_length=40)]
    reason: Reason
    validity_years: dict[Code, Annotated[int, Meta(ge=1, le=10)]] = msgspec.field(default_factory=dict)
