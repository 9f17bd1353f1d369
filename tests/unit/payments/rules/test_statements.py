from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from slivers.clock import FrozenClock
from slivers.payments.rules.csv_safety import safe_cell
from slivers.payments.rules.in_memory_ledger import InMemoryLedger
from slivers.payments.rules.ledger import hold_for_booking, release_hold, settle_booking, top_up
from slivers.payments.rules.statements import (
    CSV_HEADER,
    LineKind,
    StatementMismatch,
    VisitDetails,
    build_statement,
    check_matches_ledger,
    lines_from_ledger,
    printable_rows,
    statement_from_ledger,
    to_csv,
)

APRIL = datetime(2026, 4, 1, tzinfo=UTC)


def ledger_with_visits() -> tuple[InMemoryLedger, FrozenClock]:
    clock = FrozenClock(APRIL - timedelta(days=3))
    ledger = InMemoryLedger(clock)
    ledger.post(top_up("b1", "council", 20_000, "topup:1"))
    clock.set(datetime(2026, 4, 2, 23, 30, tzinfo=UTC))  # 3 April in London (BST)
    ledger.post(hold_for_booking("bk1", "b1", 3813))
    clock.advance(timedelta(days=3))
    ledger.post(settle_booking("bk1", "b1", "w1", 3813, 3178, 1000))
    ledger.post(hold_for_booking("bk2", "b1", 2542))
    ledger.post(release_hold("bk2", "b1", 2542))
    ledger.post(hold_for_booking("bk3", "b1", 1000))
    clock.set(datetime(2026, 5, 2, tzinfo=UTC))
    ledger.post(top_up("b1", "council", 5_000, "topup:2"))
    return ledger, clock


VISITS = {"bk1": VisitDetails("Ann", 150, 1271, 3178)}


def test_statement_rows_running_balance_and_ledger_check() -> None:
    ledger, _ = ledger_with_visits()
    posted = list(ledger)
    statement = statement_from_ledger(
        posted, "b1", VISITS, period_start=APRIL, period_end=APRIL + timedelta(days=30)
    )
    assert statement.opening_balance_pence == 20_000
    assert [r.line.kind for r in statement.rows] == [
        LineKind.HOLD_PLACED,
        LineKind.VISIT,
        LineKind.HOLD_PLACED,
        LineKind.HOLD_RELEASED,
        LineKind.HOLD_PLACED,
    ]
    assert (statement.paid_in_pence, statement.paid_out_pence, statement.fees_pence) == (0, 3178, 318)
    assert statement.closing_balance_pence == 20_000 - 3178
    assert statement.closing_available_pence == 20_000 - 3178 - 1000
    check_matches_ledger(statement, posted, "b1")

    rows = list(csv.reader(io.StringIO(to_csv(statement))))
    assert rows[0] == CSV_HEADER
    assert rows[1][0] == "2026-04-03"  # the London date, not the UTC one
    assert rows[1][10] == "38.13"  # held
    visit = dict(zip(CSV_HEADER, rows[2], strict=True))
    assert visit["worker"] == "Ann"
    assert (visit["minutes"], visit["rate_gbp_per_hour"], visit["cost_gbp"], visit["fee_gbp"]) == (
        "150",
        "12.71",
        "31.78",
        "3.18",
    )
    assert (visit["paid_out_gbp"], visit["balance_gbp"]) == ("31.78", "168.22")
    assert rows[4][11] == "25.42"  # released

    printable = printable_rows(statement)
    assert printable[1].rate == "£12.71/h"
    assert printable[1].paid_out == "£31.78"
    assert printable[0].date == "3 Apr 2026"


def test_a_statement_that_misses_a_line_does_not_match_the_ledger() -> None:
    ledger, _ = ledger_with_visits()
    posted = list(ledger)
    lines = [line for line in lines_from_ledger(posted, "b1", VISITS) if line.kind is not LineKind.VISIT]
    statement = build_statement(
        lines,
        budget_id="b1",
        period_start=APRIL,
        period_end=APRIL + timedelta(days=30),
        opening_balance_pence=20_000,
        opening_available_pence=20_000,
    )
    with pytest.raises(StatementMismatch):
        check_matches_ledger(statement, posted, "b1")


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+44 7700", "'+44 7700"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("Ann", "Ann"),
        ("12.50", "12.50"),
        (None, ""),
    ],
)
def test_csv_cells_cannot_start_a_formula(cell: object, safe: str) -> None:
    assert safe_cell(cell) == safe


def test_a_worker_name_that_is_a_formula_is_quoted_in_the_csv() -> None:
    ledger, _ = ledger_with_visits()
    visits = {"bk1": VisitDetails('=HYPERLINK("http://evil","x")', 150, 1271, 3178)}
    statement = statement_from_ledger(
        list(ledger), "b1", visits, period_start=APRIL, period_end=APRIL + timedelta(days=30)
    )
    rows = list(csv.reader(io.StringIO(to_csv(statement))))
    assert rows[2][3] == '\'=HYPERLINK("http://evil","x")'
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
