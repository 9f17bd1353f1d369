"""Coordinators edit their organisation's catalogue: audited, their own organisation only, and applied
to judgements made from then on."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from sqlalchemy import select

from slivers.audit.models import AuditEvent
from tests.integration.conftest import Factory, StaffFactory, assert_problem
from tests.integration.vetting.conftest import Kit, visit_query


def edit_of(catalogue: dict[str, Any], **changes: Any) -> dict[str, Any]:
    keys = ("every_visit", "paid_workers", "self_employed_workers", "per_task", "child_in_household")
    body = {key: catalogue[key] for key in keys}
    body["reason"] = "Local policy agreed at the board"
    return body | changes


async def test_the_seeded_catalogue_is_nation_aware(user: Factory) -> None:
    carer = await user("carer")
    catalogue = (await carer.get("/api/v1/vetting/catalogue")).json()
    assert catalogue["version"] == 0
    assert len(catalogue["credential_types"]) == 17
    assert catalogue["per_task"]["personal_care"] == [
        "dbs_barred_adults",
        "care_certificate",
        "infection_control",
    ]
    assert catalogue["nations"]["scotland"] == {
        "criminal_record_check": "pvg_adults",
        "replaces": ["dbs_barred_adults", "dbs_barred_children"],
    }
    assert catalogue["nations"]["england"]["criminal_record_check"] == "dbs_enhanced"


async def test_a_coordinator_edits_their_catalogue_and_it_applies_from_then_on(
    kit: Kit, app: Litestar, org_staff: StaffFactory
) -> None:
    worker = await kit.worker()
    await kit.fully_vetted(worker, skip=("first_aid",))
    check = f"/api/v1/workers/{worker.user['worker_id']}/eligibility"
    assert (await worker.get(check, params=visit_query())).json()["eligible"] is True
    path = f"/api/v1/organisations/{kit.organisation_id}/vetting-catalogue"
    current = (await kit.coordinator.get(path)).json()
    body = edit_of(
        current,
        per_task={**current["per_task"], "companionship": ["first_aid"]},
        validity_years={"first_aid": 2},
    )
    assert_problem(await worker.put(path, json=body), 403, rule="coordinator_only")
    assert_problem(await (await org_staff("Luton Care Agency", "agency")).put(path, json=body), 403)
    edited = await kit.coordinator.put(path, json=body)
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 1
    assert edited.json()["per_task"]["companionship"] == ["first_aid"]
    result = (await worker.get(check, params=visit_query())).json()
    assert [(f["rule"], f["credential"]) for f in result["failures"]] == [("missing", "first_aid")]
    assert (await kit.holds(worker, "first_aid"))["valid_until"] == "2028-06-01"  # two years now
    async with app.state.wiring.unit_of_work() as session:
        [event] = await session.scalars(select(AuditEvent).where(AuditEvent.action == "catalogue.edited"))
    assert event.subject_id == uuid.UUID(kit.organisation_id)
    assert event.reason == "Local policy agreed at the board"
    assert event.data["before"]["per_task"]["companionship"] == []
    assert event.data["after"]["per_task"]["companionship"] == ["first_aid"]


async def test_catalogue_edits_are_checked(kit: Kit) -> None:
    path = f"/api/v1/organisations/{kit.organisation_id}/vetting-catalogue"
    current = (await kit.coordinator.get(path)).json()
    assert_problem(
        await kit.coordinator.put(path, json=edit_of(current, every_visit=["id_check", "juggling"])),
        400,
        field="catalogue",
    )
    assert_problem(
        await kit.coordinator.put(path, json=edit_of(current, validity_years={"id_check": 2})),
        400,
        field="validity_years",
    )
    assert_problem(
        await kit.coordinator.put(path, json=edit_of(current, validity_years={"first_aid": 50})), 400
    )
    assert_problem(await kit.coordinator.put(path, json=edit_of(current, reason="")), 400)
    assert (await kit.coordinator.get(path)).json()["version"] == 0
    assert_problem(await kit.coordinator.get(f"/api/v1/organisations/{uuid.uuid4()}/vetting-catalogue"), 404)
