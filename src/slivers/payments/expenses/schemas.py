"""Request and response structures for volunteer expense claims and receipts (snake_case JSON)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from slivers.payments.budgets.schemas import Pence, Reference, Strict


class ExpenseItemIn(Strict):
    kind: Literal["mileage", "other"]
    description: Annotated[str, Meta(min_length=1, max_length=200)]
    miles: Annotated[str, Meta(max_length=8)] | None = None
    amount_pence: Annotated[int, Meta(ge=1, le=100_000)] | None = None
    receipt_id: uuid.UUID | None = None


class ExpenseClaimCreate(Strict):
    organisation_id: uuid.UUID
    items: Annotated[list[ExpenseItemIn], Meta(min_length=1, max_length=30)]


class ExpenseItemRead(msgspec.Struct, kw_only=True):
    kind: str
    description: str
    amount_pence: int
    miles: str | None = None
    receipt_id: str | None = None


class ExpenseClaimRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    volunteer_user_id: uuid.UUID
    organisation_id: uuid.UUID
    status: str
    total_pence: int
    items: list[ExpenseItemRead]
    rejection_reason: str | None = None


class ExpenseReject(Strict):
    reason: Annotated[str, Meta(min_length=1, max_length=1000)]


class ReceiptRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    content_type: str
    size: int
    sha256: str


class OrgExpensesTopUp(Strict):
    amount_pence: Pence
    reference: Reference


class OrgExpensesRead(msgspec.Struct, kw_only=True):
    organisation_id: uuid.UUID
    available_pence: int
    spent_in_period_pence: int
