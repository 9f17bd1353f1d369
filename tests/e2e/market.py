"""Market test data through the JSON API (and the CLI for the organisation, as an operator would):
a coordinator, vetted workers who can really be booked, persons, budgets, and visits at a given stage.

Times follow the server's real clock (shifted for the suite: tests/real_clock.py) in Europe/London."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from slivers.vetting.rules.catalogue import DEFAULT_POLICY
from tests.e2e.accounts import add_person, api_user, unique_email
from tests.real_clock import real_now

ROOT = Path(__file__).resolve().parents[2]
LONDON = ZoneInfo("Europe/London")
ORGANISATION = "Stevenage Crossroads"
# Every API client made here, closed at the end of the session (unclosed sockets are test errors).
CLIENTS: list[httpx.Client] = []


def client_for(base_url: str, **kwargs: Any) -> httpx.Client:
    client = api_user(base_url, **kwargs)
    CLIENTS.append(client)
    return client


def london_now() -> datetime:
    """Now on the server's (shifted) real clock, in London."""
    return real_now().astimezone(LONDON)


def next_weekday(weekday: int) -> date:
    """The next such day after today (a week ahead when today is that day): 3 is Thursday."""
    today = london_now().date()
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def soon(minutes: int) -> datetime:
    """A whole five minutes at least `minutes` from now, in London time."""
    moment = london_now() + timedelta(minutes=minutes)
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=(-moment.minute) % 5 or 5)


def cli(server: dict[str, str], *args: str) -> str:
    env = {**os.environ, **server["env"]}  # type: ignore[dict-item]
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tests import real_clock; real_clock.install(); from slivers.cli import main; main()",
            *args,
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@dataclass
class Coordinator:
    email: str
    client: httpx.Client
    organisation_id: str


def make_coordinator(server: dict[str, Any]) -> Coordinator:
    email = unique_email("coordinator")
    # Not in CLIENTS: the coordinator lives for the whole session, and CLIENTS is emptied per module.
    client = api_user(server["base_url"], name="Cora Coordinator", email=email)
    cli(server, "org", "create", ORGANISATION, "--kind", "charity")
    cli(server, "org", "add-member", ORGANISATION, email, "--role", "coordinator")
    me = client.get("/api/v1/me").json()
    organisation_id = next(o["id"] for o in me["organisations"] if o["name"] == ORGANISATION)
    return Coordinator(email, client, organisation_id)


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.status_code} {response.text}"
    return response.json() if response.content else None


def credential_body(code: str, issued: date) -> dict[str, Any]:
    body: dict[str, Any] = {"type_code": code, "issued_on": issued.isoformat()}
    ctype = DEFAULT_POLICY.credential_type(code)
    if ctype.is_criminal_record_check or code.startswith("dbs_"):
        body |= {
            "certificate_number": "001234567890",
            "level": "pvg_scheme" if code.startswith("pvg") else "enhanced",
            "barred_adults_checked": True,
            "barred_children_checked": True,
        }
    return body


def submit_credentials(worker: httpx.Client, kind: str, *, only: tuple[str, ...] | None = None) -> list[str]:
    issued = london_now().date() - timedelta(days=120)
    ids = []
    for ctype in DEFAULT_POLICY.credential_types:
        if (ctype.paid_only and kind != "paid") or ctype.self_employed_only:
            continue
        if only is not None and ctype.code not in only:
            continue
        for _ in range(ctype.required_count):
            made = _ok(
                worker.post("/api/v1/workers/me/credentials", json=credential_body(ctype.code, issued)), 201
            )
            ids.append(made["id"])
    return ids


def new_worker(
    server: dict[str, Any], coordinator: Coordinator, name: str, kind: str = "volunteer"
) -> tuple[httpx.Client, str, str]:
    """A worker account that has chosen the coordinator's organisation: (client, email, worker id)."""
    email = unique_email(name.split()[0].lower())
    client = client_for(
        server["base_url"], name=name, email=email, account_type="worker" if kind == "paid" else "volunteer"
    )
    chosen = _ok(
        client.put("/api/v1/workers/me/organisation", json={"organisation_id": coordinator.organisation_id})
    )
    return client, email, str(chosen["worker_id"])


def vetted_worker(
    server: dict[str, Any],
    coordinator: Coordinator,
    name: str,
    *,
    kind: str = "volunteer",
    free: tuple[datetime, datetime] | None = None,
    tasks: tuple[str, ...] = ("companionship", "escort", "domestic"),
    min_notice_minutes: int = 120,
) -> tuple[httpx.Client, str, str]:
    """Credentials submitted and verified by the coordinator, approved, supervised (volunteers), with a
    profile near SG1 and, if given, a free window."""
    client, email, worker_id = new_worker(server, coordinator, name, kind)
    for credential_id in submit_credentials(client, kind):
        _ok(coordinator.client.post(f"/api/v1/credentials/{credential_id}/verify", json={}))
    _ok(coordinator.client.post(f"/api/v1/workers/{worker_id}/approve"))
    if kind == "volunteer":
        held = london_now().date().isoformat()
        _ok(coordinator.client.post(f"/api/v1/workers/{worker_id}/supervision", json={"held_on": held}), 201)
    _ok(client.put("/api/v1/workers/me", json=profile_body(kind, tasks, min_notice_minutes)))
    if free is not None:
        add_free(client, *free)
    return client, email, worker_id


def profile_body(kind: str, tasks: tuple[str, ...], min_notice_minutes: int = 120) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "home_postcode": "SG1 2AA",
        "max_travel_km": 20,
        "task_types": list(tasks),
        "min_notice_minutes": min_notice_minutes,
        "min_visit_minutes": 30,
        "max_visit_minutes": 480,
        "instant_book": False,
    }
    if kind == "paid":
        profile["hourly_rate_pence"] = 1500
    return profile


def add_free(worker: httpx.Client, start: datetime, end: datetime) -> None:
    body = {"kind": "window", "start": start.isoformat(), "end": end.isoformat()}
    _ok(worker.post("/api/v1/workers/me/availability", json=body), 201)


def carer_with_person(
    server: dict[str, Any], name: str, person: str, **extra: Any
) -> tuple[httpx.Client, str, str]:
    email = unique_email(name.split()[0].lower())
    client = client_for(server["base_url"], name=name, email=email, **extra)
    return client, email, add_person(client, person, address="4 Orchard Road\nStevenage")


def self_funded_budget(carer: httpx.Client, person_id: str, pence: int) -> str:
    budget = _ok(
        carer.post(f"/api/v1/persons/{person_id}/budgets", json={"kind": "self_funded", "name": "Own money"}),
        201,
    )
    _ok(
        carer.post(
            f"/api/v1/budgets/{budget['id']}/top-ups",
            json={"amount_pence": pence, "reference": f"e2e-{budget['id'][:8]}"},
        ),
        201,
    )
    return str(budget["id"])


def offer(
    carer: httpx.Client,
    person_id: str,
    worker_id: str,
    start: datetime,
    end: datetime,
    *,
    budget_id: str | None = None,
    tasks: tuple[str, ...] = ("companionship",),
) -> str:
    """A request for the slot and an offer to the worker: the booking's id."""
    body: dict[str, Any] = {
        "person_id": person_id,
        "task_types": list(tasks),
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    if budget_id:
        body["budget_id"] = budget_id
    need = _ok(carer.post("/api/v1/requests", json=body), 201)
    booking = _ok(
        carer.post("/api/v1/bookings", json={"request_id": need["id"], "worker_id": worker_id}), 201
    )
    return str(booking["id"])


def act(
    client: httpx.Client, booking_id: str, action: str, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    result: dict[str, Any] = _ok(client.post(f"/api/v1/bookings/{booking_id}/{action}", json=body or {}))
    return result


def need(
    carer: httpx.Client,
    person_id: str,
    start: datetime,
    end: datetime,
    tasks: tuple[str, ...] = ("companionship",),
) -> str:
    """An open request for the slot, offered to nobody yet: the request's id."""
    body = {
        "person_id": person_id,
        "task_types": list(tasks),
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    return str(_ok(carer.post("/api/v1/requests", json=body), 201)["id"])


def run_sweep(server: dict[str, Any], job_id: str) -> int:
    """Run one scheduler sweep in this process against the server's database, as `slivers scheduler`
    would. In a thread of its own: Playwright's sync API keeps an event loop running in this one."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from slivers.assembly import build_wiring
    from slivers.config import Settings
    from slivers.jobs.registry import all_jobs, run_once

    env = server["env"]
    job = next(j for j in all_jobs() if j.id == job_id)

    async def sweep() -> int:
        settings = Settings(
            database_url=env["SLIVERS_DATABASE_URL"],
            data_dir=Path(env["SLIVERS_DATA_DIR"]),
            secret_key=env["SLIVERS_SECRET_KEY"],
        )
        wiring = build_wiring(settings)
        try:
            return await run_once(wiring, job)
        finally:
            await wiring.dispose()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, sweep()).result()


def saved_rows(server: dict[str, Any], sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """What the server saved, read from its SQLite file: journeys check the outcome, not only the page."""
    import sqlite3

    with sqlite3.connect(server["database"]) as connection:
        return list(connection.execute(sql, params).fetchall())
