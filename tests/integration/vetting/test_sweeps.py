"""The vetting sweeps over a real database with a frozen clock: each warning once, one lapse, even when
run twice or after being down across the deadlines; supervision notices; evidence deletion."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Litestar
from sqlalchemy import func, select

from slivers.audit.models import AuditEvent
from slivers.clock import FrozenClock
from slivers.config import Settings
from slivers.jobs.registry import SweepJob, all_jobs, run_once
from slivers.notifications.models import OutboxMessage
from slivers.vetting.credentials.uploads import FileEvidenceStore
from slivers.vetting.jobs import CREDENTIAL_EXPIRY, EVIDENCE_CLEANUP, SUPERVISION_DUE
from slivers.vetting.models import Credential, CredentialNotice
from tests.integration.vetting.conftest import Kit

# A one-year training credential issued on 1 March 2026 is valid until 1 March 2027 and lapses at
# 00:00 London (GMT) on 2 March 2027. Its warnings fall due at 00:00 on 1 January, 31 January, 23 February.
ISSUED = "2026-03-01"
AT_60 = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)
AT_30 = datetime(2027, 1, 31, 0, 0, tzinfo=UTC)
AT_7 = datetime(2027, 2, 23, 0, 0, tzinfo=UTC)
LAPSE = datetime(2027, 3, 2, 0, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n%%EOF\n"


async def run_twice(app: Litestar, job: SweepJob) -> tuple[int, int]:
    wiring = app.state.wiring
    return await run_once(wiring, job), await run_once(wiring, job)


async def in_app_messages(app: Litestar, template: str) -> list[str]:
    async with app.state.wiring.unit_of_work() as session:
        rows = await session.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.template == template, OutboxMessage.channel == "in_app"
            )
        )
        return sorted(rows)


async def notices(app: Litestar, credential_id: str) -> dict[str, str]:
    async with app.state.wiring.unit_of_work() as session:
        rows = await session.scalars(
            select(CredentialNotice).where(CredentialNotice.credential_id == uuid.UUID(credential_id))
        )
        return {row.kind.partition("@")[0]: row.outcome for row in rows}


async def credential_row(app: Litestar, credential_id: str) -> Credential:
    """Read straight from the database: the moved clock has expired everyone's sign-in session."""
    async with app.state.wiring.unit_of_work() as session:
        row = await session.get(Credential, uuid.UUID(credential_id))
        assert row is not None
        return row


async def audit_reasons(app: Litestar, action: str) -> list[str]:
    async with app.state.wiring.unit_of_work() as session:
        return sorted(await session.scalars(select(AuditEvent.reason).where(AuditEvent.action == action)))


async def audit_count(app: Litestar, action: str) -> int:
    async with app.state.wiring.unit_of_work() as session:
        return int(await session.scalar(select(func.count()).where(AuditEvent.action == action)) or 0)


def test_the_vetting_jobs_are_registered_with_ids() -> None:
    ids = {job.id for job in all_jobs()}
    assert {"vetting.credential_expiry", "vetting.supervision_due", "vetting.evidence_cleanup"} <= ids


async def test_each_warning_once_and_one_lapse_when_run_twice_at_every_step(
    kit: Kit, app: Litestar, clock: FrozenClock, lost: list[Any]
) -> None:
    worker = await kit.worker()
    credential = await kit.holds(worker, "first_aid", issued_on=ISSUED)
    assert await run_twice(app, CREDENTIAL_EXPIRY) == (0, 0)
    for at in (AT_60, AT_30, AT_7, LAPSE):
        clock.set(at)
        assert await run_twice(app, CREDENTIAL_EXPIRY) == (1, 0)
    warnings = await in_app_messages(app, "vetting_credential_expiring")
    for days in (60, 30, 7):  # one to the worker, one to their coordinator
        assert len([key for key in warnings if f":warn:{days}:" in key]) == 2
    assert len(warnings) == 6
    assert len(await in_app_messages(app, "vetting_credential_lapsed")) == 2
    assert await notices(app, credential["id"]) == {
        "warn:60": "sent",
        "warn:30": "sent",
        "warn:7": "sent",
        "lapsed": "done",
    }
    assert lost == [(uuid.UUID(worker.user["worker_id"]), "credential_lapsed", LAPSE)]
    assert await audit_count(app, "credential.lapsed") == 1
    assert (await credential_row(app, credential["id"])).status == "lapsed"


async def test_down_across_the_expiry_moment_it_lapses_once_and_sends_no_stale_warnings(
    kit: Kit, app: Litestar, clock: FrozenClock, lost: list[Any]
) -> None:
    worker = await kit.worker()
    credential = await kit.holds(worker, "first_aid", issued_on=ISSUED)
    clock.set(datetime(2027, 3, 5, 9, 0, tzinfo=UTC))
    assert await run_twice(app, CREDENTIAL_EXPIRY) == (1, 0)
    assert await in_app_messages(app, "vetting_credential_expiring") == []
    assert len(await in_app_messages(app, "vetting_credential_lapsed")) == 2
    assert await notices(app, credential["id"]) == {
        "warn:60": "skipped",
        "warn:30": "skipped",
        "warn:7": "skipped",
        "lapsed": "done",
    }
    assert [reason for _, reason, since in lost if since == LAPSE] == ["credential_lapsed"]


async def test_down_across_two_thresholds_it_sends_only_the_latest(
    kit: Kit, app: Litestar, clock: FrozenClock
) -> None:
    worker = await kit.worker()
    credential = await kit.holds(worker, "first_aid", issued_on=ISSUED)
    clock.set(datetime(2027, 2, 10, 9, 0, tzinfo=UTC))
    assert await run_twice(app, CREDENTIAL_EXPIRY) == (1, 0)
    clock.set(AT_7)
    assert await run_twice(app, CREDENTIAL_EXPIRY) == (1, 0)
    assert await notices(app, credential["id"]) == {"warn:60": "skipped", "warn:30": "sent", "warn:7": "sent"}


async def test_a_renewed_credential_lapses_quietly(
    kit: Kit, app: Litestar, clock: FrozenClock, lost: list[Any]
) -> None:
    worker = await kit.worker()
    old = await kit.holds(worker, "first_aid", issued_on=ISSUED)
    await kit.holds(worker, "first_aid", issued_on="2026-11-01")
    clock.set(LAPSE)
    assert await run_twice(app, CREDENTIAL_EXPIRY) == (1, 0)
    assert await in_app_messages(app, "vetting_credential_expiring") == []
    assert await in_app_messages(app, "vetting_credential_lapsed") == []
    assert lost == []
    assert (await notices(app, old["id"]))["lapsed"] == "done"


async def test_supervision_warns_once_then_says_overdue_once(
    kit: Kit, app: Litestar, clock: FrozenClock
) -> None:
    volunteer = await kit.worker("volunteer")
    worker_id = volunteer.user["worker_id"]
    assert await run_twice(app, SUPERVISION_DUE) == (1, 0)  # never supervised: overdue at once
    assert len(await in_app_messages(app, "vetting_supervision_overdue")) == 2
    held = await kit.coordinator.post(
        f"/api/v1/workers/{worker_id}/supervision", json={"held_on": "2026-11-20"}
    )
    assert held.status_code == 201
    assert await run_twice(app, SUPERVISION_DUE) == (0, 0)
    clock.set(datetime(2027, 2, 6, 0, 0, tzinfo=UTC))  # 14 days before the end of 19 February
    assert await run_twice(app, SUPERVISION_DUE) == (1, 0)
    clock.set(datetime(2027, 2, 20, 0, 0, tzinfo=UTC))
    assert await run_twice(app, SUPERVISION_DUE) == (1, 0)
    assert len(await in_app_messages(app, "vetting_supervision_due")) == 2
    assert len(await in_app_messages(app, "vetting_supervision_overdue")) == 4


async def test_evidence_is_deleted_once_decided_and_in_any_case_after_six_months(
    kit: Kit, app: Litestar, clock: FrozenClock, settings: Settings
) -> None:
    worker = await kit.worker()
    decided = await kit.submit(worker, "dbs_enhanced")
    waiting = await kit.submit(worker, "first_aid")
    for credential in (decided, waiting):
        uploaded = await worker.post(
            f"/api/v1/credentials/{credential['id']}/evidence",
            files={"file": ("c.pdf", PDF, "application/pdf")},
        )
        assert uploaded.status_code == 201, uploaded.text
    assert await run_twice(app, EVIDENCE_CLEANUP) == (0, 0)
    await kit.verify(decided["id"])
    assert await run_twice(app, EVIDENCE_CLEANUP) == (1, 0)
    assert len(list(settings.evidence_dir.iterdir())) == 1
    clock.set(datetime(2027, 5, 28, 12, 0, tzinfo=UTC))  # 184 days after the upload
    assert await run_twice(app, EVIDENCE_CLEANUP) == (1, 0)
    assert list(settings.evidence_dir.iterdir()) == []
    assert (await credential_row(app, decided["id"])).evidence_key is None
    assert (await credential_row(app, decided["id"])).evidence_sha256  # the record of what was seen stays
    assert (await credential_row(app, waiting["id"])).evidence_deleted_at == clock.now()
    assert await audit_reasons(app, "credential.evidence_deleted") == [
        "credential decided",
        "retention period ended",
    ]


async def test_orphaned_evidence_files_over_an_hour_old_are_deleted_and_counted(
    kit: Kit, app: Litestar, clock: FrozenClock, settings: Settings
) -> None:
    worker = await kit.worker()
    credential = await kit.submit(worker, "first_aid")
    uploaded = await worker.post(
        f"/api/v1/credentials/{credential['id']}/evidence", files={"file": ("c.pdf", PDF, "application/pdf")}
    )
    assert uploaded.status_code == 201, uploaded.text
    store = FileEvidenceStore(settings.evidence_dir)
    orphan, in_flight = store.put(PDF), store.put(PDF)  # as if their requests' transactions failed
    kept = (await credential_row(app, credential["id"])).evidence_key
    assert kept is not None
    two_hours_ago = (clock.now() - timedelta(hours=2)).timestamp()
    for key in (orphan, kept):
        os.utime(store.path_of(key), (two_hours_ago, two_hours_ago))
    ten_minutes_ago = (clock.now() - timedelta(minutes=10)).timestamp()
    os.utime(store.path_of(in_flight), (ten_minutes_ago, ten_minutes_ago))
    assert await run_twice(app, EVIDENCE_CLEANUP) == (1, 0)
    assert sorted(p.name for p in settings.evidence_dir.iterdir()) == sorted([kept, in_flight])
    async with app.state.wiring.unit_of_work() as session:
        [event] = await session.scalars(
            select(AuditEvent).where(AuditEvent.action == "evidence.orphans_deleted")
        )
    assert event.data == {"count": 1}
