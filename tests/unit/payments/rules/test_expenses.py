from __future__ import annotations

import pytest

from slivers.errors import Conflict, Forbidden, InvalidInput
from slivers.payments.rules.expenses import (
    ClaimStatus,
    Decider,
    approve_claim,
    mileage_pence,
    reject_claim,
    submit_claim,
)

COORDINATOR = Decider("coord", frozenset({"org1"}))


@pytest.mark.parametrize(
    ("miles", "pence"),
    [("10", 450), ("12.5", 563), ("0.1", 5), ("0.3", 14), ("1.1", 50), ("0", 0), ("100.0", 4500)],
)
def test_mileage_at_45p_a_mile_half_up(miles: str, pence: int) -> None:
    # 12.5 x 45 = 562.5 -> 563; 0.1 x 45 = 4.5 -> 5; 0.3 x 45 = 13.5 -> 14; 1.1 x 45 = 49.5 -> 50
    assert mileage_pence(miles) == pence


@pytest.mark.parametrize("miles", ["12.55", "-1", "1e2", "", "12.", ".5", "01.5", "ten"])
def test_mileage_is_strict(miles: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        mileage_pence(miles)
    assert caught.value.field == "miles"


def claim_data(**extra: object) -> dict[str, object]:
    return {
        "items": [
            {"kind": "mileage", "description": "To Mrs B and back", "miles": "12.5"},
            {"kind": "other", "description": "Parking", "amount_pence": 350, "receipt_ref": "ev_123"},
        ],
        **extra,
    }


def test_a_claim_totals_mileage_and_receipts() -> None:
    claim = submit_claim("c1", "vol", "org1", claim_data())
    assert claim.total_pence == 563 + 350
    assert claim.status is ClaimStatus.SUBMITTED


@pytest.mark.parametrize("field", ["hours", "minutes", "Time", "duration", "hourly_rate"])
def test_a_claim_can_never_contain_time(field: str) -> None:
    with pytest.raises(InvalidInput, match="never time") as caught:
        submit_claim("c1", "vol", "org1", claim_data(**{field: 3}))
    assert caught.value.field == field


def test_an_item_claiming_time_is_refused_naming_the_field() -> None:
    data = {"items": [{"kind": "other", "description": "Sitting", "hours": 2, "amount_pence": 2000}]}
    with pytest.raises(InvalidInput) as caught:
        submit_claim("c1", "vol", "org1", data)
    assert caught.value.field == "items[0].hours"


def test_other_items_need_a_receipt() -> None:
    data = {"items": [{"kind": "other", "description": "Bus fare", "amount_pence": 420}]}
    with pytest.raises(InvalidInput) as caught:
        submit_claim("c1", "vol", "org1", data)
    assert caught.value.field == "items[0].receipt_ref"


def test_coordinator_approves_or_rejects_once() -> None:
    claim = submit_claim("c1", "vol", "org1", claim_data())
    approved = approve_claim(claim, COORDINATOR)
    assert (approved.status, approved.decided_by) == (ClaimStatus.APPROVED, "coord")
    with pytest.raises(Conflict):
        reject_claim(approved, COORDINATOR, "changed my mind")
    rejected = reject_claim(claim, COORDINATOR, "No receipt for parking")
    assert rejected.status is ClaimStatus.REJECTED


def test_nobody_approves_their_own_claim_even_a_coordinator() -> None:
    claim = submit_claim("c1", "coord", "org1", claim_data())
    with pytest.raises(Forbidden) as caught:
        approve_claim(claim, COORDINATOR)
    assert caught.value.rule == "self_approval"


def test_only_a_coordinator_of_the_claims_organisation_decides() -> None:
    claim = submit_claim("c1", "vol", "org1", claim_data())
    with pytest.raises(Forbidden):
        approve_claim(claim, Decider("other", frozenset({"org2"})))
    with pytest.raises(Forbidden):
        approve_claim(claim, Decider("friend", frozenset()))
