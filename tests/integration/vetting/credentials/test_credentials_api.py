"""Submitting, verifying and rejecting credentials through the API, and who may do what."""

from __future__ import annotations

from slivers.accounts.org_service import OrganisationService
from tests.integration.conftest import Factory, StaffFactory, assert_problem
from tests.integration.vetting.conftest import DBS_NUMBER, Kit, credential_body


async def test_a_worker_submits_and_a_coordinator_verifies_with_history(kit: Kit) -> None:
    worker = await kit.worker()
    submitted = await kit.submit(
        worker, "dbs_enhanced", on_update_service=True, update_service_checked_on="2026-10-01"
    )
    assert submitted["status"] == "submitted"
    queue = (await kit.coordinator.get("/api/v1/vetting/queue")).json()
    assert [item["credential"]["id"] for item in queue] == [submitted["id"]]
    assert queue[0]["credential"]["certificate_number"] == DBS_NUMBER
    verified = await kit.verify(submitted["id"], note="Seen the certificate")
    assert verified["status"] == "verified"
    assert verified["valid_until"] == "2029-06-01"  # three years from issue
    assert (await kit.coordinator.get("/api/v1/vetting/queue")).json() == []
    [mine] = (await worker.get("/api/v1/workers/me/credentials")).json()
    assert mine["status"] == "verified"
    assert [h["action"] for h in mine["history"]] == ["credential.submitted", "credential.verified"]
    assert mine["history"][1]["reason"] == "Seen the certificate"


async def test_rejection_needs_a_reason_and_is_shown_to_the_worker(kit: Kit) -> None:
    worker = await kit.worker()
    submitted = await kit.submit(worker, "first_aid")
    path = f"/api/v1/credentials/{submitted['id']}/reject"
    assert_problem(await kit.coordinator.post(path, json={}), 400, rule="validation")
    assert_problem(await kit.coordinator.post(path, json={"reason": ""}), 400)
    rejected = await kit.coordinator.post(path, json={"reason": "The certificate is for someone else"})
    assert rejected.status_code == 200, rejected.text
    [mine] = (await worker.get("/api/v1/workers/me/credentials")).json()
    assert mine["status"] == "rejected"
    assert mine["history"][-1] == {
        **mine["history"][-1],
        "action": "credential.rejected",
        "reason": "The certificate is for someone else",
    }
    assert_problem(
        await kit.coordinator.post(f"/api/v1/credentials/{submitted['id']}/verify", json={}),
        409,
        rule="not_submitted",
    )


async def test_a_worker_cannot_verify_their_own_credential_even_as_a_coordinator(
    kit: Kit, app: object
) -> None:
    worker = await kit.worker()
    submitted = await kit.submit(worker, "first_aid")
    assert_problem(
        await worker.post(f"/api/v1/credentials/{submitted['id']}/verify", json={}), 403, rule="own_vetting"
    )
    wiring = app.state.wiring  # type: ignore[attr-defined]
    async with wiring.unit_of_work() as session:
        orgs = OrganisationService(session, wiring.clock)
        await orgs.add_member(
            await orgs.by_name("Stevenage Crossroads"), worker.user["email"], "coordinator", actor_id=None
        )
    assert_problem(
        await worker.post(f"/api/v1/credentials/{submitted['id']}/verify", json={}), 403, rule="own_vetting"
    )
    assert (await worker.get("/api/v1/vetting/queue")).json() == []
    [mine] = (await worker.get("/api/v1/workers/me/credentials")).json()
    assert mine["status"] == "submitted"


async def test_a_coordinator_of_another_organisation_cannot_verify_or_see(
    kit: Kit, org_staff: StaffFactory
) -> None:
    worker = await kit.worker()
    submitted = await kit.submit(worker, "dbs_enhanced")
    outsider = await org_staff("Luton Care Agency", "agency")
    assert_problem(await outsider.post(f"/api/v1/credentials/{submitted['id']}/verify", json={}), 404)
    assert_problem(
        await outsider.post(f"/api/v1/credentials/{submitted['id']}/reject", json={"reason": "not ours"}), 404
    )
    assert_problem(await outsider.get(f"/api/v1/workers/{worker.user['worker_id']}/credentials"), 404)
    assert (await outsider.get("/api/v1/vetting/queue")).json() == []
    assert_problem(
        await outsider.post(
            f"/api/v1/workers/{worker.user['worker_id']}/suspend", json={"reason": "because"}
        ),
        404,
    )


async def test_a_service_user_never_sees_a_dbs_number(kit: Kit, user: Factory) -> None:
    worker = await kit.worker()
    await kit.holds(worker, "dbs_enhanced")
    service_user = await user("service_user")
    worker_id = worker.user["worker_id"]
    assert_problem(await service_user.get(f"/api/v1/workers/{worker_id}/credentials"), 404)
    assert_problem(await service_user.get(f"/api/v1/workers/{worker_id}/vetting"), 404)
    vetted = await service_user.get(f"/api/v1/workers/{worker_id}/vetted")
    assert vetted.status_code == 200, vetted.text
    assert vetted.json() == {
        "worker_id": worker_id,
        "vetted": True,
        "check_level": "Enhanced DBS",
        "issued_on": "2026-06-01",
    }
    assert DBS_NUMBER not in vetted.text
    for path in (f"/api/v1/workers/{worker_id}/eligibility", "/api/v1/workers/me/credentials"):
        response = await service_user.get(
            path,
            params={
                "task_types": "companionship",
                "postcode": "SG1 1AA",
                "start": "2026-12-02T10:00:00Z",
                "end": "2026-12-02T12:00:00Z",
            },
        )
        assert response.status_code == 404
        assert DBS_NUMBER not in response.text


async def test_submissions_are_checked_against_the_catalogue(kit: Kit) -> None:
    worker = await kit.worker()
    post = worker.post
    cases = [
        (credential_body("no_such_thing"), "type_code", "unknown_type"),
        (credential_body("dbs_enhanced", certificate_number=None), "certificate_number", "required"),
        (credential_body("dbs_enhanced", level=None), "level", "required"),
        (credential_body("first_aid", level="enhanced"), "level", "not_applicable"),
        (credential_body("first_aid", on_update_service=True), "on_update_service", "not_applicable"),
        (credential_body("first_aid", issued_on="2027-01-01"), "issued_on", "not_future"),
        (
            credential_body("right_to_work", expires_on="2026-01-01", issued_on="2025-01-01"),
            "expires_on",
            "expired",
        ),
        (credential_body("first_aid", expires_on="2026-05-01"), "expires_on", "after_issue"),
        (
            credential_body("dbs_enhanced", update_service_checked_on="2026-10-01"),
            "update_service_checked_on",
            "needs_update_service",
        ),
    ]
    for body, field, rule in cases:
        assert_problem(await post("/api/v1/workers/me/credentials", json=body), 400, field=field, rule=rule)
    assert_problem(
        await post("/api/v1/workers/me/credentials", json={**credential_body("first_aid"), "x": 1}), 400
    )
    assert (await worker.get("/api/v1/workers/me/credentials")).json() == []


async def test_someone_without_a_worker_profile_cannot_submit(user: Factory) -> None:
    carer = await user("carer")
    assert_problem(
        await carer.post("/api/v1/workers/me/credentials", json=credential_body("first_aid")),
        404,
        rule="no_worker_profile",
    )
