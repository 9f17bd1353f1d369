"""Request and response structures for budgets, top-ups, statements and expense claims (snake_case JSON)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

Pence = Annotated[int, Meta(ge=1, le=10_000_000)]  # at most £100,000 in one go
Reference = Annotated[str, Meta(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")]
BudgetKind = Literal["direct_payment", "carers_break", "self_funded"]


class Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base for every request body: unknown fields are refused, not ignored."""


class BudgetCreate(Strict):
    kind: BudgetKind
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    # The council paying in; leave out for a self-funded budget (the person is their own funder).
    funder_org_id: uuid.UUID | None = None


class BudgetRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    person_id: uuid.UUID
    kind: str
    name: str
    funder_org_id: uuid.UUID | None
    balance_pence: int  # available + committed
    committed_pence: int  # held for confirmed visits not yet settled
    available_pence: int
    spent_in_period_pence: int
    period_from: date  # Europe/London dates, `period_to` exclusive
    period_to: date
    usual_rate_pence_per_hour: int | None
    hours_remaining: int | None  # whole hours of `available` at the usual rate


class TopUpCreate(Strict):
    amount_pence: Pence
    # Your reference for this top-up (a payment run or request id): sending it again adds nothing.
    reference: Reference
    memo: Annotated[str, Meta(max_length=200)] = "Top-up"


class TopUpRead(msgspec.Struct, kw_only=True):
    key: str
    amount_pence: int
    posted_at: datetime
    budget: BudgetRead


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


class PayoutRead(msgspec.Struct, kw_only=True):
    reference: str  # our idempotency key, quoted on the bank or payroll run
    worker_id: uuid.UUID
    worker_name: str
    amount_pence: int
    recorded_at: datetime


class PayoutRunRead(msgspec.Struct, kw_only=True):
    organisation_id: uuid.UUID
    recorded: list[PayoutRead]  # empty when nothing was owed (or a run already recorded it)
