"""Sweeps for volunteers' supervision and for evidence files (design 3.3, 7). Both are idempotent:
supervision notices are unique per volunteer, deadline and kind; evidence is deleted once.

A request whose transaction fails after its evidence file was written leaves a file no credential
refers to. The evidence sweep deletes such orphans once they are over an hour old, so a file whose
upload is still in flight (written, its row not yet committed) is never taken."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Worker
from slivers.audit.service import record
from slivers.clock import to_london
from slivers.jobs.base import JobContext
from slivers.vetting.credentials.evidence import delete_evidence, evidence_store
from slivers.vetting.credentials.uploads import EvidenceStore
from slivers.vetting.models import Credential, SupervisionNotice
from slivers.vetting.notify import tell_worker_and_coordinators
from slivers.vetting.rules.expiry import (
    SUPERVISION_WARNING_DAYS,
    evidence_due_for_deletion,
    supervision_notices,
)

OVERDUE = "overdue"
ORPHAN_GRACE = timedelta(hours=1)  # far longer than any upload request takes
_CHUNK = 500


async def sweep_supervision(ctx: JobContext) -> int:
    """Warn volunteers and their coordinators before supervision falls due, and once when it is overdue."""
    session, clock = ctx.session, ctx.clock
    interval = ctx.wiring.settings.supervision_days
    now = clock.now()
    soon = to_london(now).date() - timedelta(days=interval - max(SUPERVISION_WARNING_DAYS) - 1)
    volunteers = list(
        await session.scalars(
            select(Worker).where(
                Worker.kind == "volunteer",
                Worker.status == "active",
                or_(Worker.last_supervision_on.is_(None), Worker.last_supervision_on <= soon),
            )
        )
    )
    handled: dict[tuple[object, str], set[str]] = defaultdict(set)
    if volunteers:
        for notice in await session.scalars(
            select(SupervisionNotice).where(SupervisionNotice.worker_id.in_([w.id for w in volunteers]))
        ):
            handled[notice.worker_id, notice.deadline].add(notice.kind)
    changed = 0
    for worker in volunteers:
        last = worker.last_supervision_on
        due_on = last + timedelta(days=interval) if last else None
        deadline = due_on.isoformat() if due_on else "never"
        kinds = handled[worker.id, deadline]
        thresholds = {int(kind.split(":")[1]) for kind in kinds if kind.startswith("warn:")}
        due = supervision_notices(last, now, thresholds, interval_days=interval)
        overdue = due.passed and OVERDUE not in kinds
        if not (due.skip or due.send is not None or overdue):
            continue
        changed += 1
        for threshold in sorted(due.skip):
            session.add(
                SupervisionNotice(
                    worker_id=worker.id,
                    deadline=deadline,
                    kind=f"warn:{threshold}",
                    outcome="skipped",
                    at=now,
                )
            )
        key = f"vetting:supervision:{worker.id}:{deadline}"
        if due.send is not None:
            session.add(
                SupervisionNotice(
                    worker_id=worker.id, deadline=deadline, kind=f"warn:{due.send}", outcome="sent", at=now
                )
            )
            assert due_on is not None
            await tell_worker_and_coordinators(
                session,
                clock,
                worker,
                "vetting_supervision_due",
                {"due_on": f"{due_on.day} {due_on:%B %Y}"},
                f"{key}:warn:{due.send}",
            )
        if overdue:
            session.add(
                SupervisionNotice(
                    worker_id=worker.id, deadline=deadline, kind=OVERDUE, outcome="sent", at=now
                )
            )
            await tell_worker_and_coordinators(
                session, clock, worker, "vetting_supervision_overdue", {}, f"{key}:{OVERDUE}"
            )
        await session.flush()
    return changed


async def sweep_evidence(ctx: JobContext) -> int:
    """Delete evidence files once their credential is decided, and in any case after the retention period."""
    session, clock = ctx.session, ctx.clock
    retention = ctx.wiring.settings.evidence_retention_days
    now = clock.now()
    rows = await session.scalars(
        select(Credential)
        .where(
            Credential.evidence_key.is_not(None),
            or_(
                Credential.decided_at.is_not(None),
                Credential.evidence_uploaded_at <= now - timedelta(days=retention),
            ),
        )
        .with_for_update()
    )
    store = evidence_store(ctx.wiring.settings)
    changed = 0
    for credential in rows:
        uploaded = credential.evidence_uploaded_at or credential.submitted_at
        if not evidence_due_for_deletion(uploaded, credential.decided_at, now, retention):
            continue
        reason = "credential decided" if credential.decided_at is not None else "retention period ended"
        await delete_evidence(session, clock, store, credential, actor_id=None, reason=reason)
        changed += 1
    return changed + await _delete_orphans(session, store, ctx)


async def _delete_orphans(session: AsyncSession, store: EvidenceStore, ctx: JobContext) -> int:
    """Delete files over an hour old that no credential row refers to; audited as a count only."""
    candidates = store.keys_written_before(ctx.clock.now() - ORPHAN_GRACE)
    referenced: set[str] = set()
    for start in range(0, len(candidates), _CHUNK):
        chunk: Sequence[str] = candidates[start : start + _CHUNK]
        referenced.update(
            key
            for key in await session.scalars(
                select(Credential.evidence_key).where(Credential.evidence_key.in_(chunk))
            )
            if key is not None
        )
    orphans = [key for key in candidates if key not in referenced]
    for key in orphans:
        store.delete(key)
    if orphans:
        await record(
            session,
            ctx.clock,
            actor_id=None,
            action="evidence.orphans_deleted",
            subject_type="evidence",
            subject_id=None,
            reason="no credential refers to them",
            data={"count": len(orphans)},
        )
    return len(orphans)
