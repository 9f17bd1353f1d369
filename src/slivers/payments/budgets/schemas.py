"""Request and response structures for budgets and top-ups (snake_case JSON), and the request base
every payments body uses."""

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
