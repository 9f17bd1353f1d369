"""Pages through the test client: HTML errors on page routes, forms with CSRF fields, flash messages,
service errors on their fields, and circle management without a browser."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.integration.conftest import PASSWORD, ApiClient, Factory, assert_problem

NO_HEADER = {"x-csrf-token": ""}  # make the client send the token as a form field, as a browser form does


async def form_token(client: ApiClient) -> str:
    await client._prime_csrf()
    return str(client.cookies["slivers_csrf"])


async def post_form(client: ApiClient, path: str, data: dict[str, str | list[str]]) -> object:
    return await client.post(path, data={**data, "_csrf_token": await form_token(client)}, headers=NO_HEADER)


async def test_signed_out_pages_and_sign_in_redirect(anonymous: Callable[[], ApiClient]) -> None:
    client = anonymous()
    for path in ("/", "/sign-up", "/sign-in", "/about"):
        page = await client.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html")
        assert '<html lang="en-GB">' in page.text
        assert 'href="#main"' in page.text
    redirect = await client.get("/people")
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/sign-in?next=/people"


async def test_unknown_pages_are_html_and_the_api_keeps_problems(anonymous: Callable[[], ApiClient]) -> None:
    client = anonymous()
    page = await client.get("/nowhere")
    assert page.status_code == 404
    assert "Page not found" in page.text
    assert_problem(await client.get("/api/v1/nowhere"), 404)
    assert_problem(await client.get("/api/v1/me"), 401, rule="signed_out")


async def test_a_form_without_its_csrf_field_is_refused_with_a_page(
    anonymous: Callable[[], ApiClient],
) -> None:
    client = anonymous()
    await client._prime_csrf()
    refused = await client.post(
        "/sign-in", data={"email": "a@example.org", "password": "x"}, headers=NO_HEADER
    )
    assert refused.status_code == 403
    assert "This form has expired" in refused.text
    assert_problem(await client.post("/api/v1/persons", json={}, headers=NO_HEADER), 403, rule="csrf")


async def test_sign_up_form_signs_in_and_flashes_once(anonymous: Callable[[], ApiClient]) -> None:
    client = anonymous()
    made = await post_form(
        client,
        "/sign-up",
        {
            "account_type": "carer",
            "display_name": "Asha",
            "email": "asha@example.org",
            "password": PASSWORD,
        },
    )
    assert made.status_code == 303  # type: ignore[attr-defined]
    assert made.headers["location"] == "/people/new"  # type: ignore[attr-defined]
    first = await client.get("/people/new")
    assert "Your account is ready" in first.text
    assert "Signed in as Asha" in first.text
    again = await client.get("/people/new")
    assert "Your account is ready" not in again.text


async def test_a_tampered_flash_cookie_is_ignored(anonymous: Callable[[], ApiClient]) -> None:
    client = anonymous()
    client.cookies.set("slivers_flash", "W3sidGV4dCI6ImV2aWwifV0=.0000")
    assert "evil" not in (await client.get("/")).text


async def test_sign_up_errors_show_on_their_fields(anonymous: Callable[[], ApiClient]) -> None:
    client = anonymous()
    page = await post_form(
        client,
        "/sign-up",
        {
            "account_type": "carer",
            "display_name": "Sam",
            "email": "not-an-email",
            "password": "short",
        },
    )
    text = page.text  # type: ignore[attr-defined]
    assert page.status_code == 400  # type: ignore[attr-defined]
    assert '<a href="#email">Enter a valid email address' in text
    assert 'id="email-error"' in text
    assert re.search(r'id="email"[^>]*aria-describedby="email-hint email-error"', text)
    assert 'value="not-an-email"' in text
    assert "short" not in text.split("</header>")[1]


async def test_a_service_error_lands_on_the_field(user: Factory) -> None:
    carer = await user("carer")
    page = await post_form(carer, "/people/new", {"display_name": "Ravi", "home_postcode": "ZZZZZZ"})
    assert page.status_code == 400  # type: ignore[attr-defined]
    assert 'id="home_postcode-error"' in page.text  # type: ignore[attr-defined]
    assert 'href="#home_postcode"' in page.text  # type: ignore[attr-defined]


async def test_circle_permissions_change_and_removal_through_pages(user: Factory) -> None:
    carer, friend = await user("carer"), await user("carer")
    person = (
        await carer.post("/api/v1/persons", json={"display_name": "Nadia", "home_postcode": "SG1 1AA"})
    ).json()
    circle_path = f"/people/{person['id']}/circle"
    invited = await post_form(
        carer, f"{circle_path}/invitations", {"email": friend.user["email"], "permissions": ["request"]}
    )
    assert invited.status_code == 303  # type: ignore[attr-defined]
    members = (await carer.get(f"/api/v1/persons/{person['id']}/circle")).json()
    assert members["pending_invitations"][0]["permissions"] == ["request", "view"]

    from sqlalchemy import select

    from slivers.notifications.models import OutboxMessage

    app = carer._transport.app  # type: ignore[attr-defined]
    async with app.state.wiring.unit_of_work() as session:
        message = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.template == "circle_invitation")
        )
        code = message.data["token"]
    joined = await post_form(friend, "/invitations/accept", {"token": code})
    assert joined.status_code == 303  # type: ignore[attr-defined]

    circle = (await carer.get(f"/api/v1/persons/{person['id']}/circle")).json()
    member = next(m for m in circle["members"] if m["user_id"] == friend.user["id"])
    refused = await post_form(
        friend, f"{circle_path}/{member['id']}/permissions", {"permissions": ["manage"]}
    )
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "may not change who is in this person" in refused.text  # type: ignore[attr-defined]

    changed = await post_form(
        carer, f"{circle_path}/{member['id']}/permissions", {"permissions": ["approve"]}
    )
    assert changed.status_code == 303  # type: ignore[attr-defined]
    circle = (await carer.get(f"/api/v1/persons/{person['id']}/circle")).json()
    member = next(m for m in circle["members"] if m["user_id"] == friend.user["id"])
    assert member["permissions"] == ["approve", "view"]

    confirm = await carer.get(f"{circle_path}/{member['id']}/remove")
    assert "Yes, remove" in confirm.text
    removed = await post_form(carer, f"{circle_path}/{member['id']}/remove", {})
    assert removed.status_code == 303  # type: ignore[attr-defined]
    assert (await friend.get(f"/people/{person['id']}")).status_code == 404
