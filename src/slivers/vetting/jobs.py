"""Sweep jobs of this domain, registered in slivers.jobs.registry."""

from __future__ import annotations

from datetime import timedelta

from slivers.jobs.base import SweepJob
from slivers.vetting.expiry_sweep import sweep_credential_expiry
from slivers.vetting.oversight_sweeps import sweep_evidence, sweep_supervision

CREDENTIAL_EXPIRY = SweepJob(
    id="vetting.credential_expiry",
    description="Warn of credentials lapsing in 60, 30 and 7 days; lapse them at expiry, reopening bookings",
    every=timedelta(hours=1),
    run=sweep_credential_expiry,
)
SUPERVISION_DUE = SweepJob(
    id="vetting.supervision_due",
    description="Warn of volunteers' supervision falling due, and once when it is overdue",
    every=timedelta(hours=6),
    run=sweep_supervision,
)
EVIDENCE_CLEANUP = SweepJob(
    id="vetting.evidence_cleanup",
    description="Delete credential evidence once decided, and in any case after the retention period",
    every=timedelta(hours=1),
    run=sweep_evidence,
)

JOBS: list[SweepJob] = [CREDENTIAL_EXPIRY, SUPERVISION_DUE, EVIDENCE_CLEANUP]
