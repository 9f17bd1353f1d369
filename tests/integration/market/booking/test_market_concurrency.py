"""Design 4.5 #1 and #2 under a real race: a uvicorn server on 127.0.0.1 (two processes on
PostgreSQL), 50 clients confirming overlapping visits of one worker, and 50 filling one request.
Exactly one wins each race, the others get 409, and SQL finds no double booking afterwards."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text

from slivers.accounts.models import ApiToken, CircleMember, Organisation, Person, User, Worker
from slivers.accounts.tokens import digest
from slivers.assembly import build_wiring
from slivers.clock import SystemClock
from slivers.config import Settings
from slivers.market.models import (
    AvailabilityRule,
    Booking,
    CareRequest,
    RequestOccurrence,
    WorkerMarketProfile,
)
from slivers.market.rules.places import place_of, task_mask
from slivers.payments.ledger.database import DbLedger
from slivers.payments.models import Budget
from slivers.payments.rules import ledger
from slivers.wiring import Wiring
from tests.integration.market.conftest import add_credentials
from tests.live_server import free_port, wait_until_healthy
from tests.real_clock import real_now

CLIENTS = 50
ROOT = Path(__file__).resolve().parents[4]
SECRET = "concurrency-test-secret-" * 2


@pytest.fixture
def server(database: str, database_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = tmp_path / "server.log"
    env = os.environ | {
        "SLIVERS_DATABASE_URL": database_url,
        "SLIVERS_DATA_DIR": str(tmp_path / "data"),
        "SLIVERS_SECRET_KEY": SECRET,
        "PYTHONPATH": str(ROOT),
    }
    processes = "2" if database == "postgresql" else "1"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("serve_for_test.py")), str(port), processes],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, proc, log)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        print(log.read_text()[-5000:])  # shown by pytest only when the test fails


class Seed:
    """Users with API tokens, a funded person, workers and requests, written straight to the database."""

    def __init__(self, wiring: Wiring) -> None:
        self.wiring = wiring
        self.place = place_of("SG1 2AB", field="postcode")
        self.start = (real_now() + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)

    async def user(self, session: object, kind: str) -> tuple[uuid.UUID, str]:
        token = f"slv_{uuid.uuid4().hex}"
        user = User(
            email=f"{uuid.uuid4().hex}@example.org",
            password_hash="x",
            display_name="Race Test",
            account_type=kind,
        )
        session.add(user)  # type: ignore[attr-defined]
        await session.flush()  # type: ignore[attr-defined]
        session.add(ApiToken(user_id=user.id, name="race", prefix=token[:10], token_hash=digest(token)))  # type: ignore[attr-defined]
        return user.id, token

    async def person_with_bookers(self, count: int) -> tuple[uuid.UUID, uuid.UUID, list[str]]:
        async with self.wiring.unit_of_work() as session:
            owner, _ = await self.user(session, "carer")
            person = Person(display_name="Grace", home_postcode=self.place.postcode, created_by_id=owner)
            session.add(person)
            await session.flush()
            tokens = []
            for _ in range(count):
                booker, token = await self.user(session, "carer")
                session.add(
                    CircleMember(person_id=person.id, user_id=booker, can_view=True, can_request=True)
                )
                tokens.append(token)
            budget = Budget(person_id=person.id, kind="self_funded", name="Own", created_by_id=owner)
            session.add(budget)
            await session.flush()
            await DbLedger(session, self.wiring.clock).post(
                ledger.top_up(budget.id, person.id, 10_000_000, f"topup:race:{budget.id}")
            )
            return person.id, budget.id, tokens

    async def workers(self, count: int) -> list[uuid.UUID]:
        async with self.wiring.unit_of_work() as session:
            organisation = Organisation(name=f"Race {uuid.uuid4().hex[:8]}", kind="charity")
            session.add(organisation)
            await session.flush()
            ids = []
            for _ in range(count):
                user_id, _ = await self.user(session, "worker")
                worker = Worker(
                    user_id=user_id,
                    kind="paid",
                    status="active",
                    first_name="Sam",
                    organisation_id=organisation.id,
                    home_postcode="SG1 1AA",
                    max_travel_km=15,
                    task_types=["companionship"],
                    hourly_rate_pence=1500,
                    instant_book=True,
                    min_visit_minutes=30,
                    max_visit_minutes=480,
                    max_minutes_per_day=1440,
                    max_minutes_per_week=10080,
                    attributes={},
                )
                session.add(worker)
                await session.flush()
                session.add(
                    WorkerMarketProfile(
                        worker_id=worker.id,
                        home_lat=51.9,
                        home_lon=-0.2,
                        task_mask=task_mask(["companionship"]),
                    )
                )
                session.add(
                    AvailabilityRule(
                        worker_id=worker.id,
                        kind="window",
                        start_at=self.start - timedelta(days=1),
                        end_at=self.start + timedelta(days=2),
                    )
                )
                add_credentials(
                    session,
                    worker.id,
                    self.wiring.clock.now(),
                    issued_on=(self.wiring.clock.now() - timedelta(days=120)).date(),
                )
                ids.append(worker.id)
            return ids

    async def requests(self, person_id: uuid.UUID, budget_id: uuid.UUID, count: int) -> list[uuid.UUID]:
        """`count` requests whose visits all overlap (each starts a minute after the last)."""
        async with self.wiring.unit_of_work() as session:
            ids = []
            for index in range(count):
                request = CareRequest(
                    person_id=person_id,
                    created_by_id=(await session.get(Person, person_id)).created_by_id,  # type: ignore[union-attr]
                    task_types=["companionship"],
                    postcode=self.place.postcode,
                    lat=self.place.lat,
                    lon=self.place.lon,
                    nation="england",
                    workers_needed=1,
                    budget_id=budget_id,
                )
                session.add(request)
                await session.flush()
                start = self.start + timedelta(minutes=index)
                session.add(
                    RequestOccurrence(
                        request_id=request.id,
                        position=0,
                        start_at=start,
                        end_at=start + timedelta(hours=2),
                        workers_needed=1,
                    )
                )
                ids.append(request.id)
            return ids


async def _race(base: str, bodies: list[tuple[str, dict[str, str]]]) -> list[int]:
    clients = [
        httpx.AsyncClient(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"})
        for token, _ in bodies
    ]
    try:
        responses = await asyncio.gather(
            *(
                client.post("/api/v1/bookings", json=body)
                for client, (_, body) in zip(clients, bodies, strict=True)
            )
        )
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    assert all(r.status_code in (201, 409) for r in responses), [
        r.text for r in responses if r.status_code >= 500
    ]
    for response in responses:
        if response.status_code == 409:
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["detail"]
    return [r.status_code for r in responses]


async def test_fifty_clients_race_for_one_worker_and_for_one_request(
    server: str, database_url: str, tmp_path: Path
) -> None:
    wiring = build_wiring(
        Settings(database_url=database_url, data_dir=tmp_path, secret_key=SECRET), clock=SystemClock()
    )
    try:
        seed = Seed(wiring)
        person_id, budget_id, tokens = await seed.person_with_bookers(CLIENTS)
        (worker_id,) = await seed.workers(1)
        overlapping = await seed.requests(person_id, budget_id, CLIENTS)
        statuses = await _race(
            server,
            [
                (token, {"request_id": str(request_id), "worker_id": str(worker_id)})
                for token, request_id in zip(tokens, overlapping, strict=True)
            ],
        )
        assert (statuses.count(201), statuses.count(409)) == (1, CLIENTS - 1)

        workers = await seed.workers(CLIENTS)
        seed.start += timedelta(hours=6)
        (one_request,) = await seed.requests(person_id, budget_id, 1)
        statuses = await _race(
            server,
            [
                (token, {"request_id": str(one_request), "worker_id": str(worker)})
                for token, worker in zip(tokens, workers, strict=True)
            ],
        )
        assert (statuses.count(201), statuses.count(409)) == (1, CLIENTS - 1)

        async with wiring.unit_of_work() as session:
            overlaps = await session.scalar(
                text(
                    "SELECT count(*) FROM bookings a JOIN bookings b "
                    "ON a.worker_id = b.worker_id AND a.id < b.id "
                    "WHERE a.status IN ('confirmed', 'in_progress') "
                    "AND b.status IN ('confirmed', 'in_progress') "
                    "AND a.start_at < b.end_at AND b.start_at < a.end_at"
                )
            )
            assert overlaps == 0
            seated = await session.scalar(
                select(func.count(Booking.id)).where(
                    Booking.request_id == one_request, Booking.status == "confirmed"
                )
            )
            assert seated == 1
            confirmed = await session.scalar(
                select(func.count(Booking.id)).where(Booking.status == "confirmed")
            )
            assert confirmed == 2
    finally:
        await wiring.dispose()
