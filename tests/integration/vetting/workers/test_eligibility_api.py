"""The eligibility explanation through the API: missing credentials, credentials lapsing before the
visit ends, Scotland against England, and the DBS Update Service."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import ApiClient, Factory, StaffFactory, assert_problem
from tests.integration.vetting.conftest import Kit, visit_query

SCOTTISH_ONLY = ("pvg_adults",)
ENGLISH_CHECKS = ("dbs_enhanced", "dbs_barred_adults", "dbs_barred_children")


async def eligibility(client: ApiClient, worker: ApiClient, **query: Any) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/workers/{worker.user['worker_id']}/eligibility", params=visit_query(**query)
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.mark.parametrize(
    ("task", "missing"),
    [
        ("meal_preparation", "food_hygiene"),
        ("personal_care", "care_certificate"),
        ("medication_prompt", "medication"),
        ("moving_handling", "dbs_barred_adults"),
        ("companionship", "lone_working"),
    ],
)
async def test_a_task_type_needs_its_credentials(kit: Kit, task: str, missing: str) -> None:
    worker = await kit.worker()
    await kit.fully_vetted(worker, skip=(missing,))
    result = await eligibility(kit.coordinator, worker, task_types=task)
    assert result["eligible"] is False
    assert [(f["rule"], f["credential"]) for f in result["failures"]] == [("missing", missing)]
    assert missing in {r["code"] for r in result["requirements"]}
    assert result["explanation"][0].startswith("No record of:")
    if task != "companionship":
        assert (await eligibility(worker, worker, task_types="companionship"))["eligible"] is True


async def test_a_credential_lapsing_before_the_visit_ends_fails_it(kit: Kit) -> None:
    worker = await kit.worker()
    await kit.fully_vetted(worker, skip=("safeguarding_adults",))
    await kit.holds(worker, "safeguarding_adults", issued_on="2025-12-10")  # valid until 10 December 2026
    same_day = await eligibility(worker, worker, start="2026-12-10T20:00:00Z", end="2026-12-10T23:59:00Z")
    assert same_day["eligible"] is True
    over_midnight = await eligibility(
        worker, worker, start="2026-12-10T22:00:00Z", end="2026-12-11T01:00:00Z"
    )
    assert over_midnight["eligible"] is False
    [failure] = over_midnight["failures"]
    assert (failure["rule"], failure["credential"]) == ("lapses_before_visit", "safeguarding_adults")
    assert "10 December 2026" in failure["message"]


async def test_scotland_needs_pvg_and_england_needs_dbs(kit: Kit) -> None:
    english = await kit.worker()
    await kit.fully_vetted(english, skip=SCOTTISH_ONLY)
    scottish = await kit.worker()
    await kit.fully_vetted(scottish, skip=ENGLISH_CHECKS)
    edinburgh = {"postcode": "EH1 1AA", "task_types": "personal_care"}
    stevenage = {"postcode": "SG1 1AA", "task_types": "personal_care"}
    result = await eligibility(kit.coordinator, english, **edinburgh)
    assert result["nation"] == "scotland"
    assert [f["credential"] for f in result["failures"]] == ["pvg_adults"]
    assert (await eligibility(kit.coordinator, english, **stevenage))["eligible"] is True
    # PVG stands in for the DBS barred lists in Scotland, and only there.
    assert (await eligibility(kit.coordinator, scottish, **edinburgh))["eligible"] is True
    in_england = await eligibility(kit.coordinator, scottish, **stevenage)
    assert [f["credential"] for f in in_england["failures"]] == ["dbs_enhanced", "dbs_barred_adults"]


async def test_the_update_service_keeps_an_old_dbs_valid(kit: Kit) -> None:
    worker = await kit.worker()
    await kit.fully_vetted(worker, skip=ENGLISH_CHECKS)
    old = {"issued_on": "2022-06-01"}  # three years ran out on 1 June 2025
    stale = await kit.submit(worker, "dbs_enhanced", **old)
    assert_problem(
        await kit.coordinator.post(f"/api/v1/credentials/{stale['id']}/verify", json={}),
        409,
        rule="already_expired",
    )
    kept = await kit.holds(
        worker, "dbs_enhanced", **old, on_update_service=True, update_service_checked_on="2026-10-01"
    )
    assert kept["valid_until"] == "2027-10-01"  # twelve months from the last clear status check
    assert (await eligibility(worker, worker))["eligible"] is True
    later = await eligibility(worker, worker, start="2027-10-02T10:00:00Z", end="2027-10-02T12:00:00Z")
    assert "lapses_before_visit:dbs_enhanced" in [f"{f['rule']}:{f['credential']}" for f in later["failures"]]


async def test_only_the_worker_and_their_coordinators_see_the_explanation(
    kit: Kit, user: Factory, org_staff: StaffFactory
) -> None:
    worker = await kit.worker()
    path = f"/api/v1/workers/{worker.user['worker_id']}/eligibility"
    for stranger in (await user("carer"), await kit.worker(), await org_staff("Luton Care Agency", "agency")):
        assert_problem(await stranger.get(path, params=visit_query()), 404)
    assert_problem(
        await worker.get(path, params=visit_query(task_types="gardening")),
        400,
        field="task_types",
        rule="unknown_task_type",
    )
    assert_problem(await worker.get(path, params=visit_query(postcode="BT1 1AA")), 400, field="postcode")
    assert_problem(await worker.get(path, params=visit_query(end="2026-12-02T09:00:00Z")), 400, field="end")
