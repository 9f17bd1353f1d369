"""Journeys through the pages, each run with a mouse, with the keyboard only, and at 320 px wide."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.accounts import PASSWORD, add_person, api_user, invitation_code, unique_email
from tests.e2e.browser import Ui


def status_message(page: Page) -> str:
    return page.get_by_role("status").inner_text()


def sign_in(ui: Ui, email: str) -> None:
    ui.fill("Email address", email)
    ui.fill("Password", PASSWORD)
    ui.press("Sign in")


def test_carer_signs_up_adds_the_person_they_look_after_and_sees_them(ui: Ui, page: Page) -> None:
    ui.open("/")
    ui.check("home")
    if ui.keyboard:  # the first Tab lands on the skip link, which moves the focus to the main content
        ui.page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to main content")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()
    ui.follow("Create an account")
    ui.check("sign-up")
    ui.tick("I look after someone")
    ui.fill("Your name", "Asha Patel")
    ui.fill("Email address", unique_email("asha"))
    ui.fill("Create a password", PASSWORD)
    ui.press("Create account")

    assert page.url.endswith("/people/new")
    assert "Your account is ready" in status_message(page)
    ui.check("add-person")
    ui.fill("Name", "Ravi Patel")
    ui.fill("Postcode where they live", "not a postcode")
    ui.press("Add this person")
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_label("Postcode where they live", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_label("Name", exact=True)).to_have_value("Ravi Patel")
    ui.check("add-person-error")

    ui.fill("Postcode where they live", "SG1 1AA")
    ui.fill("Address", "12 High Street\nStevenage")
    ui.fill("What help is needed?", "Company while Asha goes out")
    ui.tick("A child lives in the household")
    ui.press("Add this person")

    assert page.url.endswith("/people")
    assert "Ravi Patel has been added." in status_message(page)
    expect(page.get_by_role("heading", name="Ravi Patel")).to_be_visible()
    ui.check("my-people")
    ui.follow("Ravi Patel")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ravi Patel")
    expect(page.get_by_text("12 High Street")).to_be_visible()
    ui.check("person")


def test_sign_up_errors_are_summarised_linked_and_keep_what_was_typed(ui: Ui, page: Page) -> None:
    ui.open("/sign-up")
    ui.press("Create account")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose what brings you to Slivers.")
    assert page.title().startswith("Error: ")
    ui.check("sign-up-empty")

    ui.tick("I look after someone")
    ui.fill("Your name", "Sam Jones")
    ui.fill("Email address", "sam.example.org")
    ui.fill("Create a password", "qwertyuiop")
    ui.press("Create account")
    expect(summary).to_contain_text("Enter a valid email address")
    expect(summary).to_contain_text("three or four random words")
    email = page.get_by_label("Email address", exact=True)
    expect(email).to_have_value("sam.example.org")
    expect(page.get_by_label("Your name", exact=True)).to_have_value("Sam Jones")
    expect(page.get_by_label("I look after someone", exact=True)).to_be_checked()
    expect(page.get_by_label("Create a password", exact=True)).to_have_value("")
    expect(email).to_have_attribute("aria-describedby", re.compile(r"\bemail-error\b"))
    expect(page.locator("#email-error")).to_contain_text("Enter a valid email address")
    expect(page.locator("#password-error")).to_contain_text("three or four random words")
    ui.check("sign-up-errors")

    link = summary.get_by_role("link", name=re.compile("Enter a valid email address"))
    if ui.keyboard:
        ui.tab_to(link)
        page.keyboard.press("Enter")
    else:
        link.click()
    expect(email).to_be_focused()


def test_sign_in_with_a_wrong_password_then_sign_in_and_out(
    ui: Ui, page: Page, server: dict[str, str]
) -> None:
    email = unique_email("lee")
    api_user(server["base_url"], name="Lee Carter", email=email).close()
    ui.open("/people")
    assert "/sign-in?next=/people" in page.url
    expect(page.get_by_text("Sign in to continue.")).to_be_visible()
    ui.check("sign-in-asked")
    ui.fill("Email address", email)
    ui.fill("Password", "not my password at all")
    ui.press("Sign in")
    expect(page.get_by_role("alert")).to_contain_text("The email or password is not right.")
    expect(page.get_by_label("Email address", exact=True)).to_have_value(email)
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    ui.check("sign-in-error")
    sign_in(ui, email)
    assert page.url.endswith("/people")
    expect(page.get_by_text("Signed in as Lee Carter")).to_be_visible()
    ui.check("signed-in")
    ui.press("Sign out")
    assert "You have signed out." in status_message(page)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")).to_be_visible()
    ui.check("signed-out")
    assert ui.open("/people") == 200
    assert "/sign-in" in page.url


def test_carer_invites_a_friend_who_accepts_with_the_code(ui: Ui, page: Page, server: dict[str, str]) -> None:
    carer_email, friend_email = unique_email("mo"), unique_email("kim")
    carer = api_user(server["base_url"], name="Mo Ahmed", email=carer_email)
    person_id = add_person(carer, "Nadia Ahmed")
    carer.close()
    api_user(server["base_url"], name="Kim Lee", email=friend_email, account_type="volunteer").close()

    ui.open("/sign-in")
    sign_in(ui, carer_email)
    ui.follow("My people")
    ui.follow("Nadia Ahmed")
    ui.follow("See and change Nadia Ahmed's circle")
    assert page.url.endswith(f"/people/{person_id}/circle")
    ui.check("circle")
    ui.press("Send invitation")
    expect(page.get_by_role("alert")).to_contain_text("Enter the email address of the person to invite.")
    ui.check("circle-invite-error")
    ui.fill("Their email address", friend_email)
    ui.tick("Ask for help or book for them", group="What else may they do?")
    ui.press("Send invitation")
    assert f"Invitation sent to {friend_email}" in status_message(page)
    expect(
        page.get_by_text("Will be able to see this person's details, ask for help or book")
    ).to_be_visible()
    ui.check("circle-invited")
    ui.press("Sign out")

    ui.open("/sign-in")
    sign_in(ui, friend_email)
    ui.follow("Invitations")
    ui.check("accept")
    ui.fill("Invitation code", "wrong-code-123456")
    ui.press("Accept invitation")
    expect(page.locator("#token-error")).to_contain_text("not valid for your account")
    ui.check("accept-error")
    ui.fill("Invitation code", invitation_code(server["database"], friend_email))
    ui.press("Accept invitation")
    assert "You have joined the circle" in status_message(page)
    expect(page.get_by_role("heading", name="Nadia Ahmed")).to_be_visible()
    ui.check("accepted")
    ui.follow("Nadia Ahmed")
    ui.follow("See Nadia Ahmed's circle")
    expect(page.get_by_role("heading", name="Kim Lee (you)")).to_be_visible()
    expect(page.get_by_role("button", name="Send invitation")).to_have_count(0)
    ui.check("circle-as-member")


def test_nobody_sees_a_person_whose_circle_they_are_not_in(
    ui: Ui, page: Page, server: dict[str, str]
) -> None:
    owner = api_user(server["base_url"], name="Pat Owner")
    person_id = add_person(owner, "Private Person", address="1 Secret Lane")
    owner.close()
    stranger_email = unique_email("stranger")
    api_user(server["base_url"], name="Sol Stranger", email=stranger_email).close()
    ui.open("/sign-in")
    sign_in(ui, stranger_email)
    assert ui.open(f"/people/{person_id}") == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("1 Secret Lane")).to_have_count(0)
    ui.check("not-found")
    assert ui.open(f"/people/{person_id}/circle") == 404
