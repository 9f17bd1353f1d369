"""Response structures for payouts under the ledger provider (snake_case JSON)."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec


class PayoutRead(msgspec.Struct, kw_only=True):
    reference: str  # our idempotency key, quoted on the bank or payroll run
    worker_id: uuid.UUID
    worker_name: str
    amount_pence: int
    recorded_at: datetime


class PayoutRunRead(msgspec.Struct, kw_only=True):
    organisation_id: uuid.UUID
    recorded: list[PayoutRead]  # empty when nothing was owed (or a run already recorded it)
