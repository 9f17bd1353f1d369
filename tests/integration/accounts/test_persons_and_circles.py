"""Persons supported and circles of support: object-level authorisation and audited changes."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from slivers.audit.models import AuditEvent
from slivers.notifications.models import OutboxMessage
from tests.integration.conftest import ApiClient, Factory, assert_problem

PERSON = {
    "display_name": "Grace",
    "home_postcode": "sg1 2ab",
    "address": "12 Example Road, Stevenage",
    "needs": "Uses a wheelchair; needs help with lunch",
    "support_notes": "Key safe code is given on confirmation",
}


async def make_person(client: ApiClient, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/persons", json={**PERSON, **overrides})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def invite_and_accept(
    owner: ApiClient, member: ApiClient, person_id: str, permissions: list[str], mailer: Any
) -> dict[str, Any]:
    invite = await owner.post(
        f"/api/v1/persons/{person_id}/circle",
        json={"email": member.user["email"], "permissions": permissions},
    )
    assert invite.status_code == 201, invite.text
    token = await invitation_token(owner, invite.json()["id"])
    accepted = await member.post("/api/v1/invitations/accept", json={"token": token})
    assert accepted.status_code == 200, accepted.text
    return dict(accepted.json())


async def invitation_token(client: ApiClient, invitation_id: str) -> str:
    """The code the invitee was sent, read from the outbox as their inbox would show it."""
    app = client._transport.app  # type: ignore[attr-defined]
    async with app.state.wiring.unit_of_work() as session:
        message = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"invitation:{invitation_id}:%"))
        )
    assert message is not None
    return str(message.data["token"])


async def test_carer_adds_a_person_and_holds_every_permission(user: Factory) -> None:
    carer = await user("carer")
    person = await make_person(carer)
    assert person["home_postcode"] == "SG1 2AB"
    assert person["my_permissions"] == ["approve", "manage", "request", "view"]
    listed = (await carer.get("/api/v1/persons")).json()
    assert [p["id"] for p in listed] == [person["id"]]


async def test_a_stranger_cannot_read_change_or_see_the_circle(user: Factory) -> None:
    carer, stranger = await user("carer"), await user("carer")
    person = await make_person(carer)
    pid = person["id"]
    assert_problem(await stranger.get(f"/api/v1/persons/{pid}"), 404)
    assert_problem(await stranger.patch(f"/api/v1/persons/{pid}", json={"needs": "x"}), 404)
    assert_problem(await stranger.get(f"/api/v1/persons/{pid}/circle"), 404)
    assert_problem(
        await stranger.post(
            f"/api/v1/persons/{pid}/circle", json={"email": stranger.user["email"], "permissions": ["manage"]}
        ),
        404,
    )
    members = (await carer.get(f"/api/v1/persons/{pid}/circle")).json()["members"]
    assert_problem(await stranger.delete(f"/api/v1/persons/{pid}/circle/{members[0]['id']}"), 404)
    assert (await stranger.get("/api/v1/persons")).json() == []
    # and nothing changed
    assert (await carer.get(f"/api/v1/persons/{pid}")).json()["needs"] == PERSON["needs"]


async def test_a_signed_out_visitor_gets_401(user: Factory, anonymous: Any) -> None:
    carer = await user("carer")
    person = await make_person(carer)
    assert_problem(await anonymous().get(f"/api/v1/persons/{person['id']}"), 401)


async def test_invited_member_gets_only_the_permissions_given(user: Factory, mailer: Any) -> None:
    carer, sister = await user("carer"), await user("carer", name="Sister")
    person = await make_person(carer)
    pid = person["id"]
    joined = await invite_and_accept(carer, sister, pid, ["request"], mailer)
    assert joined["permissions"] == ["request", "view"]
    assert (await sister.get(f"/api/v1/persons/{pid}")).status_code == 200
    assert_problem(
        await sister.patch(f"/api/v1/persons/{pid}", json={"needs": "changed"}), 403, rule="needs_manage"
    )
    assert_problem(
        await sister.post(
            f"/api/v1/persons/{pid}/circle", json={"email": "x@example.org", "permissions": ["view"]}
        ),
        403,
    )


async def test_an_invitation_code_works_only_for_the_invited_email(user: Factory, mailer: Any) -> None:
    carer, invited, other = await user("carer"), await user("carer"), await user("carer")
    person = await make_person(carer)
    invite = await carer.post(
        f"/api/v1/persons/{person['id']}/circle",
        json={"email": invited.user["email"], "permissions": ["view"]},
    )
    token = await invitation_token(carer, invite.json()["id"])
    assert_problem(
        await other.post("/api/v1/invitations/accept", json={"token": token}), 404, rule="invalid_invitation"
    )
    assert (await invited.post("/api/v1/invitations/accept", json={"token": token})).status_code == 200
    assert_problem(await invited.post("/api/v1/invitations/accept", json={"token": token}), 409)


async def test_the_person_with_a_login_cannot_be_removed_and_can_remove_anyone(
    user: Factory, mailer: Any
) -> None:
    grace, son = await user("service_user", name="Grace Hill"), await user("carer", name="Son")
    person = await make_person(grace, is_me=True)
    pid = person["id"]
    await invite_and_accept(grace, son, pid, ["manage", "request"], mailer)
    circle = (await grace.get(f"/api/v1/persons/{pid}/circle")).json()["members"]
    me = next(m for m in circle if m["is_person"])
    son_member = next(m for m in circle if not m["is_person"])
    assert_problem(await son.delete(f"/api/v1/persons/{pid}/circle/{me['id']}"), 403, rule="person_stays")
    assert_problem(
        await son.patch(f"/api/v1/persons/{pid}/circle/{me['id']}", json={"permissions": ["view"]}), 403
    )
    assert (await grace.delete(f"/api/v1/persons/{pid}/circle/{son_member['id']}")).status_code == 204
    assert_problem(await son.get(f"/api/v1/persons/{pid}"), 404)


async def test_every_circle_change_is_audited_without_personal_details(
    user: Factory, mailer: Any, app: Any
) -> None:
    carer, friend = await user("carer"), await user("carer")
    person = await make_person(carer)
    await invite_and_accept(carer, friend, person["id"], ["view"], mailer)
    async with app.state.wiring.unit_of_work() as session:
        actions = [
            e.action for e in await session.scalars(select(AuditEvent).order_by(AuditEvent.at, AuditEvent.id))
        ]
        blobs = " ".join(str(e.data) + e.reason for e in await session.scalars(select(AuditEvent)))
    assert {"person.created", "circle.invited", "circle.joined"} <= set(actions)
    assert PERSON["address"] not in blobs
    assert PERSON["needs"] not in blobs


async def test_the_audit_log_refuses_updates_and_deletes_in_the_database(user: Factory, app: Any) -> None:
    await make_person(await user("carer"))
    async with app.state.wiring.unit_of_work() as session:
        before = await session.scalar(select(func.count()).select_from(AuditEvent))
    assert before == 2  # the registration and the new person
    for statement in ("UPDATE audit_events SET reason = 'x'", "DELETE FROM audit_events"):
        async with app.state.wiring.session_maker() as session:
            with pytest.raises(DBAPIError, match="append-only"):
                await session.execute(text(statement))
            await session.rollback()
    async with app.state.wiring.unit_of_work() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEvent)) == before


async def test_a_worker_who_supports_the_person_cannot_hold_approve_or_manage(
    app: Litestar, user: Factory, mailer: Any
) -> None:
    from dataclasses import replace

    carer, worker = await user("carer"), await user("worker")
    person = await make_person(carer)

    async def works_for_everyone(_session: Any, user_id: Any, _person_id: Any) -> bool:
        return str(user_id) == worker.user["id"]

    wiring = app.state.wiring
    before = wiring.hooks
    wiring.hooks = replace(before, worker_relation_checks=(works_for_everyone,))
    try:
        invite = await carer.post(
            f"/api/v1/persons/{person['id']}/circle",
            json={"email": worker.user["email"], "permissions": ["approve"]},
        )
        token = await invitation_token(carer, invite.json()["id"])
        assert_problem(
            await worker.post("/api/v1/invitations/accept", json={"token": token}),
            403,
            rule="worker_conflict_of_interest",
        )
        joined = await invite_and_accept(carer, worker, person["id"], ["view"], mailer)
        assert_problem(
            await carer.patch(
                f"/api/v1/persons/{person['id']}/circle/{joined['id']}", json={"permissions": ["manage"]}
            ),
            403,
            rule="worker_conflict_of_interest",
        )
    finally:
        wiring.hooks = before


async def test_changing_preferences_keeps_keys_it_does_not_mention(user: Factory) -> None:
    carer = await user("carer")
    person = await make_person(
        carer, preferences={"usual_rate_pence_per_hour": 1500, "reserve_worker_ids": ["a"]}
    )
    changed = await carer.patch(
        f"/api/v1/persons/{person['id']}", json={"preferences": {"usual_rate_pence_per_hour": 1600}}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["preferences"] == {"usual_rate_pence_per_hour": 1600, "reserve_worker_ids": ["a"]}
