"""Volunteer expense claims (design 5): out-of-pocket costs only, never time, so volunteers stay volunteers.

Mileage is paid at 45p a mile; anything else needs a receipt. A coordinator of the volunteer's
organisation approves or rejects; nobody approves their own claim.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from slivers.errors import Conflict, Forbidden, InvalidInput
from slivers.payments.rules.money import divide_half_up

MILEAGE_RATE_PENCE_PER_MILE = 45
# Anything that smells of paying for time. A claim naming one of these is refused outright.
TIME_FIELDS = frozenset(
    {"hours", "minutes", "time", "duration", "hourly_rate", "rate_per_hour", "time_spent"}
)
_MILES = re.compile(r"(0|[1-9][0-9]{0,4})(?:\.([0-9]))?")


class ItemKind(StrEnum):
    MILEAGE = "mileage"
    OTHER = "other"


class ClaimStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


def mileage_pence(miles: str) -> int:
    """Miles as a decimal string with at most one decimal place ("12.5"), at 45p a mile, half up."""
    match = _MILES.fullmatch(miles)
    if match is None:
        raise InvalidInput(f"{miles!r} is not a distance in miles such as 12.5", field="miles")
    tenths = int(match[1]) * 10 + int(match[2] or "0")
    return divide_half_up(tenths * MILEAGE_RATE_PENCE_PER_MILE, 10)


@dataclass(frozen=True, slots=True)
class ExpenseItem:
    kind: ItemKind
    description: str
    amount_pence: int
    miles: str | None = None
    receipt_ref: str | None = None


def expense_item(data: Mapping[str, object]) -> ExpenseItem:
    """One item from submitted data, refusing anything that claims time; errors name the field."""
    for name in data:
        if name.lower() in TIME_FIELDS:
            raise InvalidInput("Volunteers claim expenses, never time; remove this field", field=name)
    description = str(data.get("description") or "").strip()
    if not description:
        raise InvalidInput("Say what the expense was for", field="description")
    kind = data.get("kind")
    if kind == ItemKind.MILEAGE:
        miles = data.get("miles")
        if not isinstance(miles, str):
            raise InvalidInput("Give the miles as a number such as 12.5", field="miles")
        return ExpenseItem(ItemKind.MILEAGE, description, mileage_pence(miles), miles=miles)
    if kind == ItemKind.OTHER:
        receipt = str(data.get("receipt_ref") or "").strip()
        if not receipt:
            raise InvalidInput("Attach a receipt for this expense", field="receipt_ref")
        amount = data.get("amount_pence")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise InvalidInput("Give the amount in pence, more than zero", field="amount_pence")
        return ExpenseItem(ItemKind.OTHER, description, amount, receipt_ref=receipt)
    raise InvalidInput("An expense is either mileage or other", field="kind")


@dataclass(frozen=True, slots=True)
class ExpenseClaim:
    claim_id: str
    volunteer_id: str  # the person claiming (their user id)
    org_id: str  # the organisation whose expenses budget pays
    items: tuple[ExpenseItem, ...]
    status: ClaimStatus = ClaimStatus.SUBMITTED
    decided_by: str | None = None
    rejection_reason: str | None = None

    def __post_init__(self) -> None:
        if not self.items:
            raise InvalidInput("A claim needs at least one expense", field="items")

    @property
    def total_pence(self) -> int:
        return sum(item.amount_pence for item in self.items)


def submit_claim(claim_id: str, volunteer_id: str, org_id: str, data: Mapping[str, object]) -> ExpenseClaim:
    for name in data:
        if name.lower() in TIME_FIELDS:
            raise InvalidInput("Volunteers claim expenses, never time; remove this field", field=name)
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise InvalidInput("A claim needs at least one expense", field="items")
    items = []
    for index, raw in enumerate(raw_items):
        if not isinstance(raw, Mapping):
            raise InvalidInput("Each expense needs its details", field=f"items[{index}]")
        try:
            items.append(expense_item(raw))
        except InvalidInput as error:
            raise InvalidInput(error.detail, field=f"items[{index}].{error.field}") from error
    return ExpenseClaim(claim_id, volunteer_id, org_id, tuple(items))


@dataclass(frozen=True, slots=True)
class Decider:
    """Who is deciding, as the service established it."""

    user_id: str
    coordinator_of: frozenset[str]  # organisation ids where they are a coordinator


def _check_decider(claim: ExpenseClaim, decider: Decider) -> None:
    if claim.status is not ClaimStatus.SUBMITTED:
        raise Conflict(f"This claim is already {claim.status.value}", rule="claim_decided")
    if decider.user_id == claim.volunteer_id:
        raise Forbidden("Nobody can approve or reject their own claim", rule="self_approval")
    if claim.org_id not in decider.coordinator_of:
        raise Forbidden(
            "Only a coordinator of the volunteer's organisation can decide", rule="not_coordinator"
        )


def approve_claim(claim: ExpenseClaim, decider: Decider) -> ExpenseClaim:
    """Approve; the service then posts `ledger.expense_claim_paid` (checking the expenses budget first)."""
    _check_decider(claim, decider)
    return replace(claim, status=ClaimStatus.APPROVED, decided_by=decider.user_id)


def reject_claim(claim: ExpenseClaim, decider: Decider, reason: str) -> ExpenseClaim:
    _check_decider(claim, decider)
    if not reason.strip():
        raise InvalidInput("Say why the claim is rejected", field="reason")
    return replace(
        claim, status=ClaimStatus.REJECTED, decided_by=decider.user_id, rejection_reason=reason.strip()
    )
