"""The money side of booking transitions. The market calls these inside the same transaction as the
transition; payments implements them (holds, settlement, release, late fees) on the ledger.

Until payments wires them, they do nothing. A booking without a budget (a volunteer sitter, or an
unfunded request) never touches money.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock


@dataclass(frozen=True, slots=True)
class BookingMoney:
    booking_id: uuid.UUID
    budget_id: uuid.UUID | None
    person_id: uuid.UUID
    worker_id: uuid.UUID
    worker_is_volunteer: bool
    rate_pence_per_hour: int | None
    booked_minutes: int
    start: datetime


async def on_confirm(session: AsyncSession, clock: Clock, money: BookingMoney) -> None:
    """Hold the estimated cost on the budget. Raises Conflict (409) if it would overspend."""


async def on_cancel(session: AsyncSession, clock: Clock, money: BookingMoney, late_fee_pence: int) -> None:
    """Release the hold, or charge the late-cancellation fee to the budget and release the rest."""


async def on_approve(session: AsyncSession, clock: Clock, money: BookingMoney, actual_minutes: int) -> None:
    """Settle: actual cost to the worker payable and the platform fee; release the rest of the hold."""
