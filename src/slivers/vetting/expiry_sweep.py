"""The credential expiry sweep: warnings 60, 30 and 7 days ahead, then the lapse (design 3.3, 7).

What was done is in `credential_notices` (unique per credential and kind), so the sweep can run twice,
late or after a crash and still send each warning once and lapse each credential once. The rule for
missed thresholds is the pure core's (`credential_expiry_notices`): only the latest is sent.

A kind names the deadline it was for (`warn:30@2027-03-01`, `lapsed@2027-03-01`): a clear Update Service
status check moves a DBS certificate's `valid_until`, and the new deadline gets its own warnings and
lapse. Kinds without a deadline (written before checks could move one) count for any deadline.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select

from slivers.accounts.models import Worker
from slivers.audit.service import record
from slivers.clock import to_london
from slivers.jobs.base import JobContext
from slivers.vetting.catalogue.policy import policy_for
from slivers.vetting.hooks import worker_lost
from slivers.vetting.models import Credential, CredentialNotice
from slivers.vetting.notify import tell_worker_and_coordinators
from slivers.vetting.rules.eligibility import lapse_instant
from slivers.vetting.rules.expiry import CREDENTIAL_WARNING_DAYS, credential_expiry_notices

LAPSED = "lapsed"


async def sweep_credential_expiry(ctx: JobContext) -> int:
    session, clock = ctx.session, ctx.clock
    now = clock.now()
    horizon = to_london(now).date() + timedelta(days=max(CREDENTIAL_WARNING_DAYS) + 1)
    rows = (
        await session.execute(
            select(Credential, Worker)
            .join(Worker, Worker.id == Credential.worker_id)
            .where(
                Credential.status == "verified",
                Credential.valid_until.is_not(None),
                Credential.valid_until <= horizon,
            )
            .order_by(Credential.valid_until)
            .with_for_update(of=Credential)
        )
    ).all()
    handled: dict[uuid.UUID, set[str]] = defaultdict(set)
    if rows:
        for notice in await session.scalars(
            select(CredentialNotice).where(CredentialNotice.credential_id.in_([c.id for c, _ in rows]))
        ):
            handled[notice.credential_id].add(notice.kind)
    changed = 0
    for credential, worker in rows:
        assert credential.valid_until is not None
        deadline = credential.valid_until.isoformat()
        kinds = {
            kind for kind, _, at in (k.partition("@") for k in handled[credential.id]) if at in ("", deadline)
        }
        thresholds = {int(kind.split(":")[1]) for kind in kinds if kind.startswith("warn:")}
        due = credential_expiry_notices(credential.valid_until, now, thresholds)
        if due.nothing_to_do:
            continue
        changed += 1
        renewed = await _renewed(ctx, credential)
        for threshold in sorted(due.skip):
            session.add(
                CredentialNotice(
                    credential_id=credential.id,
                    kind=f"warn:{threshold}@{deadline}",
                    outcome="skipped",
                    at=now,
                )
            )
        title = (
            (await policy_for(session, worker.organisation_id)).credential_type(credential.type_code).title
        )
        facts = {"title": title, "valid_until": _day(credential.valid_until)}
        if due.send is not None:
            session.add(
                CredentialNotice(
                    credential_id=credential.id,
                    kind=f"warn:{due.send}@{deadline}",
                    outcome="skipped" if renewed else "sent",
                    at=now,
                )
            )
            if not renewed:
                await tell_worker_and_coordinators(
                    session,
                    clock,
                    worker,
                    "vetting_credential_expiring",
                    {**facts, "days": due.send},
                    f"vetting:credential:{credential.id}@{deadline}:warn:{due.send}",
                )
        if due.passed and LAPSED not in kinds:
            await _lapse(ctx, credential, worker, renewed, facts)
        await session.flush()
    return changed


async def _lapse(
    ctx: JobContext, credential: Credential, worker: Worker, renewed: bool, facts: dict[str, Any]
) -> None:
    assert credential.valid_until is not None
    session, clock = ctx.session, ctx.clock
    deadline = credential.valid_until.isoformat()
    credential.status = LAPSED
    session.add(
        CredentialNotice(
            credential_id=credential.id, kind=f"{LAPSED}@{deadline}", outcome="done", at=clock.now()
        )
    )
    await record(
        session,
        clock,
        actor_id=None,
        action="credential.lapsed",
        subject_type="credential",
        subject_id=credential.id,
        data={"type_code": credential.type_code, "worker_id": str(worker.id)},
    )
    if renewed:
        return  # a renewed one already covers the worker: nothing to tell, no booking to reopen
    await tell_worker_and_coordinators(
        session,
        clock,
        worker,
        "vetting_credential_lapsed",
        facts,
        f"vetting:credential:{credential.id}@{deadline}:lapsed",
    )
    await worker_lost(
        session,
        clock,
        ctx.wiring.hooks.worker_lost_handlers,
        worker.id,
        "credential_lapsed",
        lapse_instant(credential.valid_until),
    )


async def _renewed(ctx: JobContext, credential: Credential) -> bool:
    """Whether another verified credential of the same type lasts longer than this one."""
    assert credential.valid_until is not None
    other = await ctx.session.scalar(
        select(Credential.id)
        .where(
            Credential.worker_id == credential.worker_id,
            Credential.type_code == credential.type_code,
            Credential.id != credential.id,
            Credential.status == "verified",
            or_(Credential.valid_until.is_(None), Credential.valid_until > credential.valid_until),
        )
        .limit(1)
    )
    return other is not None


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
