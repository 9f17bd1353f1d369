"""Budget statements for a council's direct-payment review: a CSV and the rows of a printable page.

A statement is built from plain lines, each with its effect on the budget's *balance* (budget +
holds: money in the budget) and on what is *available* (the plain budget account). Visits and late
fees change the balance; holds placed or released change only what is available. Totals must equal
the ledger's change over the period; `check_matches_ledger` proves it for every statement served.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from slivers.clock import ensure_utc, to_london
from slivers.payments.rules.csv_safety import safe_row
from slivers.payments.rules.ledger import (
    PLATFORM_FEES,
    OwnerId,
    PostedTransaction,
    TransactionKind,
    budget_account,
    holds_account,
)
from slivers.payments.rules.money import format_decimal, format_gbp


class LineKind(StrEnum):
    TOP_UP = "top-up"
    VISIT = "visit"
    LATE_CANCELLATION = "late cancellation"
    HOLD_PLACED = "hold placed"
    HOLD_RELEASED = "hold released"
    ADJUSTMENT = "adjustment"


_KIND_OF = {
    TransactionKind.TOP_UP: LineKind.TOP_UP,
    TransactionKind.SETTLEMENT: LineKind.VISIT,
    TransactionKind.LATE_CANCELLATION: LineKind.LATE_CANCELLATION,
    TransactionKind.HOLD: LineKind.HOLD_PLACED,
    TransactionKind.HOLD_RELEASE: LineKind.HOLD_RELEASED,
}


@dataclass(frozen=True, slots=True)
class VisitDetails:
    worker_first_name: str
    minutes: int
    rate_pence_per_hour: int
    cost_pence: int


@dataclass(frozen=True, slots=True)
class StatementLine:
    at: datetime  # UTC; shown as the Europe/London date
    kind: LineKind
    description: str
    balance_change_pence: int
    available_change_pence: int
    worker_first_name: str | None = None
    minutes: int | None = None
    rate_pence_per_hour: int | None = None
    cost_pence: int | None = None
    fee_pence: int | None = None


@dataclass(frozen=True, slots=True)
class StatementRow:
    line: StatementLine
    balance_after_pence: int
    available_after_pence: int


@dataclass(frozen=True, slots=True)
class Statement:
    budget_id: str
    period_start: datetime
    period_end: datetime
    opening_balance_pence: int
    opening_available_pence: int
    rows: tuple[StatementRow, ...]

    @property
    def paid_in_pence(self) -> int:
        return sum(max(r.line.balance_change_pence, 0) for r in self.rows)

    @property
    def paid_out_pence(self) -> int:
        return sum(max(-r.line.balance_change_pence, 0) for r in self.rows)

    @property
    def fees_pence(self) -> int:
        return sum(r.line.fee_pence or 0 for r in self.rows)

    @property
    def closing_balance_pence(self) -> int:
        return self.opening_balance_pence + self.paid_in_pence - self.paid_out_pence

    @property
    def closing_available_pence(self) -> int:
        return self.opening_available_pence + sum(r.line.available_change_pence for r in self.rows)


class StatementMismatch(AssertionError):
    """The statement does not add up to the ledger: never serve it."""


def lines_from_ledger(
    posted: Iterable[PostedTransaction], budget: OwnerId, visits: Mapping[str, VisitDetails]
) -> list[StatementLine]:
    """One line per transaction touching the budget; visit details (by booking id) come from the caller."""
    available_account, held_account = budget_account(budget), holds_account(budget)
    lines = []
    for entry in posted:
        transaction = entry.transaction
        available = transaction.amount_for(available_account)
        held = transaction.amount_for(held_account)
        if available == 0 and held == 0:
            continue
        kind = _KIND_OF.get(transaction.kind, LineKind.ADJUSTMENT)
        visit = visits.get(transaction.booking_id or "") if kind is LineKind.VISIT else None
        fee = transaction.amount_for(PLATFORM_FEES) or None
        lines.append(
            StatementLine(
                at=entry.posted_at,
                kind=kind,
                description=transaction.memo,
                balance_change_pence=available + held,
                available_change_pence=available,
                worker_first_name=visit.worker_first_name if visit else None,
                minutes=visit.minutes if visit else None,
                rate_pence_per_hour=visit.rate_pence_per_hour if visit else None,
                cost_pence=visit.cost_pence if visit else None,
                fee_pence=fee,
            )
        )
    return lines


def build_statement(
    lines: Iterable[StatementLine],
    *,
    budget_id: str,
    period_start: datetime,
    period_end: datetime,
    opening_balance_pence: int,
    opening_available_pence: int,
) -> Statement:
    """Lines in [period_start, period_end), oldest first, with running balances."""
    start, end = ensure_utc(period_start), ensure_utc(period_end)
    in_period = sorted(
        (line for line in lines if start <= ensure_utc(line.at) < end), key=lambda line: line.at
    )
    balance, available = opening_balance_pence, opening_available_pence
    rows = []
    for line in in_period:
        balance += line.balance_change_pence
        available += line.available_change_pence
        rows.append(StatementRow(line, balance, available))
    return Statement(budget_id, start, end, opening_balance_pence, opening_available_pence, tuple(rows))


def statement_from_ledger(
    posted: Sequence[PostedTransaction],
    budget: OwnerId,
    visits: Mapping[str, VisitDetails],
    *,
    period_start: datetime,
    period_end: datetime,
) -> Statement:
    start = ensure_utc(period_start)
    before = [p for p in posted if p.posted_at < start]
    opening_available = sum(p.transaction.amount_for(budget_account(budget)) for p in before)
    opening_held = sum(p.transaction.amount_for(holds_account(budget)) for p in before)
    return build_statement(
        lines_from_ledger(posted, budget, visits),
        budget_id=str(budget),
        period_start=start,
        period_end=period_end,
        opening_balance_pence=opening_available + opening_held,
        opening_available_pence=opening_available,
    )


def check_matches_ledger(statement: Statement, posted: Iterable[PostedTransaction], budget: OwnerId) -> None:
    """Raise StatementMismatch unless paid in - paid out equals the ledger's change over the period."""
    available_account, held_account = budget_account(budget), holds_account(budget)
    ledger_available = 0
    opening = closing = 0
    for entry in posted:
        if entry.posted_at >= statement.period_end:
            continue
        available = entry.transaction.amount_for(available_account)
        held = entry.transaction.amount_for(held_account)
        ledger_available += available
        closing += available + held
        if entry.posted_at < statement.period_start:
            opening += available + held
    moved = statement.paid_in_pence - statement.paid_out_pence
    if moved != closing - opening:
        raise StatementMismatch(f"statement moves {moved}p, the ledger {closing - opening}p")
    if (statement.closing_balance_pence, statement.closing_available_pence) != (closing, ledger_available):
        raise StatementMismatch(
            f"statement closes at {statement.closing_balance_pence}p/{statement.closing_available_pence}p, "
            f"ledger at {closing}p/{ledger_available}p"
        )


CSV_HEADER = [
    "date", "type", "description", "worker", "minutes", "rate_gbp_per_hour", "cost_gbp", "fee_gbp",
    "paid_in_gbp", "paid_out_gbp", "held_gbp", "released_gbp", "balance_gbp", "available_gbp",
]  # fmt: skip


def _amount(pence: int | None) -> str:
    return "" if pence is None else format_decimal(pence)


def _unsigned(pence: int, sign: int) -> str:
    return format_decimal(pence * sign) if pence * sign > 0 else ""


def to_csv(statement: Statement) -> str:
    """The statement as CSV: amounts as plain unsigned decimals, text cells safe from formula injection."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in statement.rows:
        line = row.line
        held_change = line.balance_change_pence - line.available_change_pence
        writer.writerow(
            safe_row(
                [
                    to_london(line.at).date().isoformat(),
                    line.kind.value,
                    line.description,
                    line.worker_first_name or "",
                    "" if line.minutes is None else line.minutes,
                    _amount(line.rate_pence_per_hour),
                    _amount(line.cost_pence),
                    _amount(line.fee_pence),
                    _unsigned(line.balance_change_pence, 1),
                    _unsigned(line.balance_change_pence, -1),
                    _unsigned(held_change, 1),
                    _unsigned(held_change, -1),
                    format_decimal(row.balance_after_pence),
                    format_decimal(row.available_after_pence),
                ]
            )
        )
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class PrintableRow:
    date: str
    kind: str
    description: str
    worker: str
    minutes: str
    rate: str
    cost: str
    fee: str
    paid_in: str
    paid_out: str
    balance: str
    available: str


def printable_rows(statement: Statement) -> list[PrintableRow]:
    """Rows for the printable page, every amount formatted as £1,234.56 (templates escape the text)."""

    def gbp(pence: int | None) -> str:
        return "" if pence is None else format_gbp(pence)

    return [
        PrintableRow(
            date=f"{to_london(r.line.at):%-d %b %Y}",
            kind=r.line.kind.value,
            description=r.line.description,
            worker=r.line.worker_first_name or "",
            minutes="" if r.line.minutes is None else str(r.line.minutes),
            rate="" if r.line.rate_pence_per_hour is None else f"{format_gbp(r.line.rate_pence_per_hour)}/h",
            cost=gbp(r.line.cost_pence),
            fee=gbp(r.line.fee_pence),
            paid_in=gbp(r.line.balance_change_pence) if r.line.balance_change_pence > 0 else "",
            paid_out=gbp(-r.line.balance_change_pence) if r.line.balance_change_pence < 0 else "",
            balance=format_gbp(r.balance_after_pence),
            available=format_gbp(r.available_after_pence),
        )
        for r in statement.rows
    ]
