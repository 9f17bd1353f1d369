"""CSV cells that a spreadsheet will show as text, never run as a formula (CSV injection).

A cell starting with = + - @ (or a tab or carriage return, which some spreadsheets skip before
looking) is prefixed with a single quote, as OWASP recommends. Amounts are written unsigned in
paid-in and paid-out columns, so real numbers are never quoted.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[object]) -> list[str]:
    return [safe_cell(v) for v in values]
