"""The desk's reads over the market (unmet demand, disputed timesheets), on both databases: each
coordinator sees their own organisation's and nothing of another's."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from slivers.accounts.actor import Actor
from slivers.accounts.models import Person
from slivers.errors import Forbidden, InvalidInput, NotFound
from slivers.market.desk.service import DemandCell, DeskService
from tests.integration.conftest import ApiClient
from tests.integration.market.conftest import Market, profile_body, vet_directly

# The frozen clock is Wednesday 25 November 2026, 12:00 UTC (GMT).
NEXT_WEDNESDAY = dt.date(2026, 12, 2)


def actor_of(client: ApiClient) -> Actor:
    me = client.user
    roles: dict[uuid.UUID, set[str]] = {}
    for org in me["organisations"]:
        roles.setdefault(uuid.UUID(org["id"]), set()).add(org["role"])
    return Actor(
        uuid.UUID(me["id"]),
        me["email"],
        me["display_name"],
        me["account_type"],
        "session",
        {org: frozenset(r) for org, r in roles.items()},
    )


def org_id(client: ApiClient) -> uuid.UUID:
    return uuid.UUID(client.user["organisations"][0]["id"])


async def leeds_coordinator(market: Market) -> tuple[ApiClient, ApiClient]:
    """Another organisation, 250 km away, with a worker of its own in Leeds: (coordinator, worker)."""
    coordinator = await market.org_staff("Leeds Sitters", "charity")
    worker = await market.user("worker")
    saved = await worker.put("/api/v1/workers/me", json=profile_body(home_postcode="LS1 4AP"))
    assert saved.status_code == 200, saved.text
    await vet_directly(market.app, worker.user["worker_id"], str(org_id(coordinator)))
    return coordinator, worker


async def test_unmet_demand_is_the_open_seats_each_organisation_serves(market: Market) -> None:
    stevenage = await market.coordinator()
    await market.worker()  # home SG1 1AA, travels 15 km: Stevenage is in reach
    leeds, _ = await leeds_coordinator(market)
    carer, person_id = await market.carer()  # the person lives in SG1 2AB
    await market.request(carer, person_id)  # next Wednesday 10:00-12:00, nobody offered
    await market.request(
        carer, person_id, workers_needed=2, start="2026-12-03T10:00:00Z", end="2026-12-03T11:00:00Z"
    )
    await market.request(
        carer, person_id, start="2026-12-20T10:00:00Z", end="2026-12-20T11:00:00Z"
    )  # too far off
    taken = await market.request(carer, person_id, start="2026-12-04T10:00:00Z", end="2026-12-04T11:00:00Z")
    worker = await market.worker()
    booking = await market.book(carer, taken, worker)
    assert (await worker.post(f"/api/v1/bookings/{booking['id']}/accept", json={})).status_code == 200
    offered = await market.request(carer, person_id, start="2026-12-05T10:00:00Z", end="2026-12-05T11:00:00Z")
    await market.book(carer, offered, worker)  # offered, not yet accepted: still unfilled

    async with market.app.state.wiring.unit_of_work() as session:
        desk = DeskService(session, market.clock)
        seen = await desk.unmet_demand(actor_of(stevenage))
        assert seen == [
            DemandCell(day=NEXT_WEDNESDAY, district="SG1", unfilled=1),
            DemandCell(day=dt.date(2026, 12, 3), district="SG1", unfilled=2),
            DemandCell(day=dt.date(2026, 12, 5), district="SG1", unfilled=1),
        ]
        assert await desk.unmet_demand(actor_of(stevenage), days=28) == [
            *seen,
            DemandCell(day=dt.date(2026, 12, 20), district="SG1", unfilled=1),
        ]
        # Leeds's workers do not reach Stevenage, and Leeds funds nobody there.
        assert await desk.unmet_demand(actor_of(leeds)) == []
        with pytest.raises(NotFound):
            await desk.unmet_demand(actor_of(leeds), organisation_ids=[org_id(stevenage)])
        with pytest.raises(Forbidden):
            await desk.unmet_demand(actor_of(carer))
        with pytest.raises(InvalidInput):
            await desk.unmet_demand(actor_of(stevenage), days=29)


async def test_a_funded_persons_visits_are_on_the_funders_desk_wherever_they_are(market: Market) -> None:
    await market.coordinator()
    await market.worker()
    leeds, _ = await leeds_coordinator(market)
    carer, person_id = await market.carer()
    async with market.app.state.wiring.unit_of_work() as session:
        person = await session.get(Person, uuid.UUID(person_id))
        assert person is not None
        person.funder_id = org_id(leeds)
    await market.request(carer, person_id)

    async with market.app.state.wiring.unit_of_work() as session:
        cells = await DeskService(session, market.clock).unmet_demand(actor_of(leeds))
    assert cells == [DemandCell(day=NEXT_WEDNESDAY, district="SG1", unfilled=1)]


async def _disputed(market: Market, worker: ApiClient, start: str, end: str) -> dict[str, Any]:
    """A visit done and checked out, then disputed by the carer."""
    carer, person_id = await market.carer()
    request = await market.request(carer, person_id, start=start, end=end)
    booking = await market.book(carer, request, worker)
    for action, at in (("accept", None), ("check-in", start), ("check-out", end)):
        if at is not None:
            market.clock.set(dt.datetime.fromisoformat(at.replace("Z", "+00:00")))
        done = await worker.post(f"/api/v1/bookings/{booking['id']}/{action}", json={})
        assert done.status_code == 200, done.text
    disputed = await carer.post(
        f"/api/v1/bookings/{booking['id']}/dispute", json={"reason": "She left at 11."}
    )
    assert disputed.status_code == 200, disputed.text
    return booking


async def test_disputes_are_listed_for_the_workers_organisation_only(market: Market) -> None:
    stevenage = await market.coordinator()
    worker = await market.worker()
    leeds, leeds_worker = await leeds_coordinator(market)
    later = await _disputed(market, worker, "2026-11-26T14:00:00Z", "2026-11-26T15:00:00Z")
    market.clock.set(dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC))
    first = await _disputed(market, worker, "2026-11-26T10:00:00Z", "2026-11-26T12:00:00Z")

    async with market.app.state.wiring.unit_of_work() as session:
        desk = DeskService(session, market.clock)
        listed = await desk.disputes(actor_of(stevenage))
        assert [d.booking_id for d in listed] == [uuid.UUID(first["id"]), uuid.UUID(later["id"])]
        one = listed[0]
        assert one.reason == "She left at 11."
        assert one.worker_organisation_id == org_id(stevenage)
        assert one.actual_minutes == 120
        assert one.person_name == "Grace"
        assert one.rate_pence_per_hour == 1400
        assert await desk.dispute(actor_of(stevenage), one.booking_id) == one

        assert await desk.disputes(actor_of(leeds)) == []
        with pytest.raises(Forbidden):
            await desk.dispute(actor_of(leeds), one.booking_id)
        with pytest.raises(NotFound):
            await desk.disputes(actor_of(leeds), organisation_ids=[org_id(stevenage)])
        with pytest.raises(Forbidden):
            await desk.disputes(actor_of(worker))
        assert leeds_worker  # Leeds has a worker of its own; none of theirs is disputed

    stevenage_settles = await stevenage.post(
        f"/api/v1/bookings/{first['id']}/resolve", json={"outcome": "approve", "reason": "Both agree."}
    )
    assert stevenage_settles.status_code == 200, stevenage_settles.text
    async with market.app.state.wiring.unit_of_work() as session:
        desk = DeskService(session, market.clock)
        assert [d.booking_id for d in await desk.disputes(actor_of(stevenage))] == [uuid.UUID(later["id"])]
        with pytest.raises(NotFound):
            await desk.dispute(actor_of(stevenage), uuid.UUID(first["id"]))
