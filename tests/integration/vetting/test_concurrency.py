"""Races on both databases (design 3.3, house rule 8): two coordinators deciding one credential at
once, and two expiry sweeps running at the same moment. SQLite serialises the write transactions
(BEGIN IMMEDIATE); PostgreSQL relies on the services' row locks and the unique notice keys."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from litestar import Litestar
from sqlalchemy import func, select

from slivers.audit.models import AuditEvent
from slivers.clock import FrozenClock
from slivers.jobs.registry import run_once
from slivers.notifications.models import OutboxMessage
from slivers.vetting.jobs import CREDENTIAL_EXPIRY
from slivers.vetting.models import CredentialNotice
from tests.integration.conftest import StaffFactory
from tests.integration.vetting.conftest import Kit
from tests.integration.vetting.test_sweeps import AT_60, ISSUED, LAPSE


async def count(app: Litestar, statement: Any) -> int:
    async with app.state.wiring.unit_of_work() as session:
        return int(await session.scalar(statement) or 0)


async def test_two_coordinators_deciding_at_once_one_wins_the_other_gets_409(
    kit: Kit, app: Litestar, org_staff: StaffFactory
) -> None:
    other = await org_staff("Stevenage Crossroads", "charity")
    worker = await kit.worker()
    credential = await kit.submit(worker, "first_aid")
    path = f"/api/v1/credentials/{credential['id']}"
    verified, rejected = await asyncio.gather(
        kit.coordinator.post(f"{path}/verify", json={}),
        other.post(f"{path}/reject", json={"reason": "Not the worker's certificate"}),
    )
    assert sorted([verified.status_code, rejected.status_code]) == [200, 409], (verified.text, rejected.text)
    decisions = select(func.count()).where(
        AuditEvent.action.in_(["credential.verified", "credential.rejected"]),
        AuditEvent.subject_id == uuid.UUID(credential["id"]),
    )
    assert await count(app, decisions) == 1


async def test_two_expiry_sweeps_at_the_same_moment_send_each_warning_once(
    kit: Kit, app: Litestar, clock: FrozenClock, lost: list[Any]
) -> None:
    credentials = []
    for _ in range(3):
        worker = await kit.worker()
        credentials.append(await kit.holds(worker, "first_aid", issued_on=ISSUED))
    wiring = app.state.wiring
    for at in (AT_60, LAPSE):
        clock.set(at)
        first, second = await asyncio.gather(
            run_once(wiring, CREDENTIAL_EXPIRY), run_once(wiring, CREDENTIAL_EXPIRY)
        )
        assert first + second == len(credentials)
    for template in ("vetting_credential_expiring", "vetting_credential_lapsed"):
        sent = select(func.count()).where(
            OutboxMessage.template == template, OutboxMessage.channel == "in_app"
        )
        assert await count(app, sent) == 2 * len(credentials)  # the worker and their coordinator
    sent_notices = select(func.count()).where(CredentialNotice.outcome == "sent")
    assert await count(app, sent_notices) == len(credentials)  # warn:60; 30 and 7 were skipped at the lapse
    lapsed = select(func.count()).where(AuditEvent.action == "credential.lapsed")
    assert await count(app, lapsed) == len(credentials)
    assert len(lost) == len(credentials)
