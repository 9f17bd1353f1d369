"""Vetting: the credential catalogue, eligibility for a visit, expiry sweeps and evidence uploads.

The modules re-exported here are pure (no database, no web framework); models and services wire them in.
"""

from slivers.vetting.credentials.uploads import (
    EvidenceStore,
    FileEvidenceStore,
    InMemoryEvidenceStore,
    StoredEvidence,
    UploadRejected,
    store_evidence,
)
from slivers.vetting.rules.catalogue import (
    DEFAULT_POLICY,
    TASK_TYPE_LABELS,
    CredentialType,
    Requirement,
    RequirementsPolicy,
    TaskType,
    WorkerKind,
)
from slivers.vetting.rules.eligibility import (
    CredentialRecord,
    CredentialStatus,
    EligibilityResult,
    Failure,
    VettingSubject,
    VisitCheck,
    WorkerStatus,
    credential_valid_until,
    eligible,
)
from slivers.vetting.rules.expiry import (
    DeadlineNotices,
    credential_expiry_notices,
    evidence_due_for_deletion,
    supervision_notices,
)
from slivers.vetting.rules.explain import VettedSummary, explain, vetted_summary

__all__ = [
    "DEFAULT_POLICY",
    "TASK_TYPE_LABELS",
    "CredentialRecord",
    "CredentialStatus",
    "CredentialType",
    "DeadlineNotices",
    "EligibilityResult",
    "EvidenceStore",
    "Failure",
    "FileEvidenceStore",
    "InMemoryEvidenceStore",
    "Requirement",
    "RequirementsPolicy",
    "StoredEvidence",
    "TaskType",
    "UploadRejected",
    "VettedSummary",
    "VettingSubject",
    "VisitCheck",
    "WorkerKind",
    "WorkerStatus",
    "credential_expiry_notices",
    "credential_valid_until",
    "eligible",
    "evidence_due_for_deletion",
    "explain",
    "store_evidence",
    "supervision_notices",
    "vetted_summary",
]
