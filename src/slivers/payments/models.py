"""Database models of this domain (imported by slivers.metadata for Alembic and tests).

The ledger tables are append-only (the migration installs triggers refusing UPDATE and DELETE);
`booking_id` columns are plain UUIDs without a foreign key, so payments does not depend on the
market's migration.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from slivers.db.base import AppendOnlyBase, Base, DateTimeUTC, JsonB


class Budget(Base):
    """One pot of money for a person supported. The balances live in the ledger, never here."""

    __tablename__ = "budgets"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # direct_payment | carers_break | self_funded
    name: Mapped[str] = mapped_column(String(200))
    # The council paying in; None for a self-funded budget, whose funder is the person themself.
    funder_org_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), nullable=True)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    # Self-funders paying by card (Stripe provider only).
    stripe_customer_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    stripe_payment_method_id: Mapped[str | None] = mapped_column(String(64), nullable=True)

    @property
    def funder_owner(self) -> uuid.UUID:
        """Owner of the ledger's funder_source account for this budget."""
        return self.funder_org_id or self.person_id


class LedgerTransactionRow(AppendOnlyBase):
    __tablename__ = "ledger_transactions"
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    memo: Mapped[str] = mapped_column(Text, default="")
    booking_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True, index=True)
    budget_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True, index=True)
    reverses_key: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    posted_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)


class LedgerPostingRow(AppendOnlyBase):
    __tablename__ = "ledger_postings"
    __table_args__ = (
        CheckConstraint("amount_pence <> 0", name="ledger_posting_not_zero"),
        Index("ix_ledger_postings_account", "account_kind", "account_owner"),
    )
    transaction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ledger_transactions.id"), index=True)
    account_kind: Mapped[str] = mapped_column(String(30))
    account_owner: Mapped[str] = mapped_column(String(64))
    amount_pence: Mapped[int] = mapped_column(Integer)


class BookingCharge(Base):
    """What payments knows of one funded booking: the figures behind its hold and settlement, for
    statements and for the payment provider. The money itself is only in the ledger."""

    __tablename__ = "booking_charges"
    booking_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    budget_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("budgets.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(index=True)
    worker_id: Mapped[uuid.UUID] = mapped_column(index=True)
    starts_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    rate_pence_per_hour: Mapped[int] = mapped_column(Integer)
    booked_minutes: Mapped[int] = mapped_column(Integer)
    fee_bps: Mapped[int] = mapped_column(Integer)
    fee_side: Mapped[str] = mapped_column(String(10))
    held_pence: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # held | disputed | settled | released | late_fee
    actual_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cost_pence: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PaymentAction(Base):
    """A call to the payment provider owed after commit, under our idempotency key.

    Recorded in the booking's transaction, run by the `payments.provider_actions` sweep outside any
    database lock, so a crash between commit and the call is repaired by the next sweep.
    """

    __tablename__ = "payment_actions"
    key: Mapped[str] = mapped_column(String(200), unique=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(20))  # confirm | charge | approve | cancel
    amount_pence: Mapped[int] = mapped_column(Integer, default=0)
    worker_share_pence: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending|done|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)


class CardPayment(Base):
    """Stripe's objects for one booking paid by card, as last seen (webhook or reconciliation)."""

    __tablename__ = "card_payments"
    booking_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    setup_intent_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    payment_intent_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(40), default="none")
    authorised_pence: Mapped[int] = mapped_column(Integer, default=0)
    received_pence: Mapped[int] = mapped_column(Integer, default=0)
    latest_charge: Mapped[str | None] = mapped_column(String(64), nullable=True)
    synced_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class StripeEvent(Base):
    """A verified webhook event, stored once by Stripe's event id and processed once."""

    __tablename__ = "stripe_events"
    event_id: Mapped[str] = mapped_column(String(100), unique=True)
    type: Mapped[str] = mapped_column(String(100))
    object_id: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    account: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    received_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    processed_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    outcome: Mapped[str] = mapped_column(String(200), default="")


class ExpenseClaimRow(Base):
    __tablename__ = "expense_claims"
    volunteer_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    total_pence: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class ExpenseReceipt(Base):
    """An uploaded receipt, stored outside any served folder under a random name (design 3.3)."""

    __tablename__ = "expense_receipts"
    uploaded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)


class WorkerPayoutAccount(Base):
    """A self-employed worker's Stripe Connect account, as Stripe last told us (`account.updated`).

    Payments' own table beside `workers` (which accounts owns): one account per worker, created under
    the key `worker:{id}:connect:account`, so repeated onboarding finds the same account.
    """

    __tablename__ = "worker_payout_accounts"
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workers.id", ondelete="RESTRICT"), unique=True)
    stripe_account_id: Mapped[str] = mapped_column(String(64), unique=True)
    charges_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    payouts_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    details_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
