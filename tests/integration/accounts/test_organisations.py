from __future__ import annotations

from tests.integration.conftest import Factory, StaffFactory, assert_problem


async def test_a_coordinator_adds_staff_only_to_their_own_organisation(
    org_staff: StaffFactory, user: Factory
) -> None:
    coordinator = await org_staff("Stevenage Crossroads", "charity")
    other_org = await org_staff("Luton Care Agency", "agency")
    newcomer = await user("carer")
    org_id = coordinator.user["organisations"][0]["id"]
    added = await coordinator.post(
        f"/api/v1/organisations/{org_id}/members",
        json={"email": newcomer.user["email"], "role": "coordinator"},
    )
    assert added.status_code == 201, added.text
    assert (await newcomer.get("/api/v1/me")).json()["organisations"][0]["name"] == "Stevenage Crossroads"
    assert_problem(
        await other_org.post(
            f"/api/v1/organisations/{org_id}/members",
            json={"email": newcomer.user["email"], "role": "coordinator"},
        ),
        404,
    )
    assert_problem(
        await newcomer.post(
            f"/api/v1/organisations/{org_id}/members",
            json={"email": other_org.user["email"], "role": "funder"},
        ),
        400,
        rule="funder_needs_council",
    )


async def test_a_member_without_coordinator_role_cannot_add_staff(
    org_staff: StaffFactory, user: Factory
) -> None:
    funder = await org_staff("Hertfordshire County Council", "council", role="funder")
    org_id = funder.user["organisations"][0]["id"]
    assert_problem(
        await funder.post(
            f"/api/v1/organisations/{org_id}/members",
            json={"email": funder.user["email"], "role": "coordinator"},
        ),
        403,
    )
    members = (await funder.get(f"/api/v1/organisations/{org_id}/members")).json()
    assert [m["role"] for m in members] == ["funder"]
