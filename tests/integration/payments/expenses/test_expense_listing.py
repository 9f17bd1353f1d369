"""Listing expense claims, on both databases: a volunteer sees their own, a coordinator sees the claims
waiting in their own organisations and never another organisation's."""

from __future__ import annotations

import uuid

import pytest

from slivers.errors import Forbidden, NotFound
from slivers.payments.expenses.listing import ExpenseListing
from tests.integration.conftest import ApiClient
from tests.integration.market.conftest import Market, market, vet_directly
from tests.integration.market.desk.test_desk_service import actor_of, org_id

__all__ = ["market"]


async def claim(volunteer: ApiClient, organisation_id: uuid.UUID, miles: str, what: str) -> str:
    response = await volunteer.post(
        "/api/v1/expense-claims",
        json={
            "organisation_id": str(organisation_id),
            "items": [{"kind": "mileage", "description": what, "miles": miles}],
        },
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_each_reader_sees_only_the_claims_they_may(market: Market) -> None:
    stevenage = await market.coordinator()
    volunteer = await market.worker("volunteer")
    first = await claim(volunteer, org_id(stevenage), "10", "To Tom's and back")
    second = await claim(volunteer, org_id(stevenage), "2.5", "To the shops with Tom")
    leeds = await market.org_staff("Leeds Sitters", "charity")
    leeds_volunteer = await market.user("volunteer")
    await vet_directly(market.app, leeds_volunteer.user["worker_id"], str(org_id(leeds)))
    theirs = await claim(leeds_volunteer, org_id(leeds), "4", "To Headingley")
    paid = await market.worker()

    async with market.app.state.wiring.unit_of_work() as session:
        listing = ExpenseListing(session)
        mine = await listing.mine(actor_of(volunteer))
        assert [c.id for c in mine] == [uuid.UUID(second), uuid.UUID(first)]  # newest first
        assert mine[1].total_pence == 450
        assert mine[1].items[0].miles == "10"
        assert mine[1].volunteer_name == volunteer.user["display_name"]
        assert (await listing.claimant(actor_of(volunteer))).organisation_id == org_id(stevenage)

        waiting = await listing.waiting(actor_of(stevenage))
        assert [c.id for c in waiting] == [uuid.UUID(first), uuid.UUID(second)]  # oldest first
        assert {c.organisation_id for c in waiting} == {org_id(stevenage)}
        assert [c.id for c in await listing.waiting(actor_of(leeds))] == [uuid.UUID(theirs)]
        with pytest.raises(NotFound):
            await listing.waiting(actor_of(leeds), organisation_ids=[org_id(stevenage)])
        assert [c.id for c in await listing.mine(actor_of(leeds_volunteer))] == [uuid.UUID(theirs)]

        with pytest.raises(Forbidden):
            await listing.mine(actor_of(paid))
        with pytest.raises(Forbidden):
            await listing.waiting(actor_of(volunteer))

    rejected = await stevenage.post(f"/api/v1/expense-claims/{first}/reject", json={"reason": "Which day?"})
    assert rejected.status_code == 200, rejected.text
    async with market.app.state.wiring.unit_of_work() as session:
        listing = ExpenseListing(session)
        assert [c.id for c in await listing.waiting(actor_of(stevenage))] == [uuid.UUID(second)]
        decided = (await listing.mine(actor_of(volunteer)))[1]
        assert (decided.status, decided.rejection_reason) == ("rejected", "Which day?")
        assert decided.decided_at is not None
