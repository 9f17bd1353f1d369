"""Test data made through the JSON API (as another device would), so journeys start where they need to."""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

import httpx

PASSWORD = "correct horse battery staple"


def unique_email(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:10]}@example.org"


def api_user(
    base_url: str, *, name: str, account_type: str = "carer", email: str | None = None
) -> httpx.Client:
    """A signed-in API client; `.headers` carries the CSRF token as our pages' scripts would."""
    client = httpx.Client(base_url=base_url)
    response = client.post(
        "/api/v1/auth/register",
        json={
            "email": email or unique_email(name.split()[0].lower()),
            "password": PASSWORD,
            "display_name": name,
            "account_type": account_type,
        },
    )
    assert response.status_code == 201, response.text
    client.get("/health")
    client.headers["x-csrf-token"] = client.cookies["slivers_csrf"]
    return client


def add_person(client: httpx.Client, name: str, **extra: Any) -> str:
    response = client.post(
        "/api/v1/persons", json={"display_name": name, "home_postcode": "SG1 1AA", **extra}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def invitation_code(database: str, email: str) -> str:
    """The code from the invitation email, read from the outbox (the test's stand-in for a mailbox)."""
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT data FROM outbox_messages WHERE template = 'circle_invitation' AND (recipient_email = ? "
            "OR recipient_id = (SELECT id FROM users WHERE email = ?)) ORDER BY send_after DESC LIMIT 1",
            (email, email),
        ).fetchone()
    assert row is not None, f"no invitation email for {email}"
    return str(json.loads(row[0])["token"])
