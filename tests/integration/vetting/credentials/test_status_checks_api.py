"""DBS Update Service status checks through the API: a clear check extends the certificate and its
barred-list records (bringing a lapsed one back), a change withdraws them and tells the market."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from litestar import Litestar
from sqlalchemy import func, select

from slivers.audit.models import AuditEvent
from slivers.clock import FrozenClock
from slivers.jobs.registry import run_once
from slivers.vetting.jobs import CREDENTIAL_EXPIRY
from slivers.vetting.models import Credential
from tests.integration.conftest import ApiClient, StaffFactory, assert_problem
from tests.integration.vetting.conftest import DBS_NUMBER, Kit

OLD_ISSUE = date(2022, 10, 1)  # over four years before the frozen clock (25 November 2026)


async def lapsed_certificate(kit: Kit, worker: ApiClient) -> tuple[str, str]:
    """An enhanced DBS issued in 2022 and the adults' barred-list record checked on it (a factory:
    written straight to the database), lapsed by the expiry sweep. Returns their ids."""
    ids = []
    async with kit.app.state.wiring.unit_of_work() as session:
        for code in ("dbs_enhanced", "dbs_barred_adults"):
            row = Credential(
                worker_id=uuid.UUID(worker.user["worker_id"]),
                type_code=code,
                status="verified",
                issued_on=OLD_ISSUE,
                valid_until=date(2025, 10, 1),
                certificate_number=DBS_NUMBER,
                level="enhanced" if code == "dbs_enhanced" else None,
                barred_adults_checked=True,
                on_update_service=True,
                submitted_at=datetime(2022, 10, 5, tzinfo=UTC),
                decided_at=datetime(2022, 10, 6, tzinfo=UTC),
                decision_reason="",
            )
            session.add(row)
            await session.flush()
            ids.append(str(row.id))
    assert await run_once(kit.app.state.wiring, CREDENTIAL_EXPIRY) == 2
    return ids[0], ids[1]


async def check(client: ApiClient, credential_id: str, **body: Any) -> Any:
    return await client.post(f"/api/v1/credentials/{credential_id}/status-checks", json=body)


async def test_a_clear_check_brings_a_four_year_old_dbs_and_its_barred_list_back_until_it_lapses_again(
    kit: Kit, app: Litestar, clock: FrozenClock, lost: list[Any]
) -> None:
    worker = await kit.worker()
    dbs, barred = await lapsed_certificate(kit, worker)
    response = await check(kit.coordinator, dbs, checked_on="2026-11-20")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["credential"]["status"], body["credential"]["valid_until"]) == ("verified", "2027-11-20")
    assert [(r["id"], r["status"], r["valid_until"]) for r in body["same_certificate"]] == [
        (barred, "verified", "2027-11-20")
    ]
    async with app.state.wiring.unit_of_work() as session:
        audited = await session.scalar(
            select(func.count()).where(AuditEvent.action == "credential.status_check_recorded")
        )
    assert audited == 2
    assert_problem(await check(kit.coordinator, dbs, checked_on="2026-11-01"), 400, rule="not_latest")
    assert_problem(await check(kit.coordinator, dbs, checked_on="2026-11-26"), 400, rule="not_future")
    clock.set(datetime(2027, 11, 21, 0, 0, tzinfo=UTC))  # the new deadline gets its own lapse
    assert await run_once(app.state.wiring, CREDENTIAL_EXPIRY) == 2
    assert [reason for _, reason, _ in lost] == ["credential_lapsed"] * 4


async def test_a_changed_result_revokes_the_certificate_and_reopens_bookings(
    kit: Kit,
    lost: list[Any],
) -> None:
    worker = await kit.worker()
    dbs = await kit.holds(
        worker, "dbs_enhanced", on_update_service=True, update_service_checked_on="2026-10-01"
    )
    path_body = {"checked_on": "2026-11-24", "result": "changed"}
    assert_problem(await check(kit.coordinator, dbs["id"], **path_body), 400, field="reason")
    response = await check(
        kit.coordinator, dbs["id"], **path_body, reason="The status check shows new information"
    )
    assert response.status_code == 201, response.text
    assert response.json()["credential"]["status"] == "revoked"
    assert lost == [
        (uuid.UUID(worker.user["worker_id"]), "credential_revoked", kit.app.state.wiring.clock.now())
    ]
    [mine] = (await worker.get("/api/v1/workers/me/credentials")).json()
    assert mine["history"][-1]["action"] == "credential.revoked"


async def test_only_a_coordinator_of_the_workers_organisation_records_a_check(
    kit: Kit, org_staff: StaffFactory
) -> None:
    worker = await kit.worker()
    dbs = await kit.holds(worker, "dbs_enhanced")
    assert_problem(await check(worker, dbs["id"], checked_on="2026-11-20"), 403, rule="own_vetting")
    stranger = await org_staff("Another Charity", "charity")
    assert_problem(await check(stranger, dbs["id"], checked_on="2026-11-20"), 404)
    first_aid = await kit.holds(worker, "first_aid")
    assert_problem(
        await check(kit.coordinator, first_aid["id"], checked_on="2026-11-20"), 409, rule="no_update_service"
    )
