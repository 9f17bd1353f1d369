"""Money as integer pence (GBP), with exact arithmetic: no floats anywhere near an amount (design 5)."""

from __future__ import annotations

import re

PENCE_PER_POUND = 100
BASIS_POINTS = 10_000
MINUS_SIGN = "\u2212"  # typographic minus, so a negative amount reads well and is not a hyphen

_AMOUNT = re.compile(r"(0|[1-9][0-9]*)(?:\.([0-9]{2}))?")


def _require_whole(name: str, value: int) -> None:
    # bool is an int in Python; True pence is always a bug.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")


def divide_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero (for numerator >= 0)."""
    _require_whole("numerator", numerator)
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    return (2 * numerator + denominator) // (2 * denominator)


def cost_pence(rate_pence_per_hour: int, minutes: int) -> int:
    """Cost of a visit: rate x minutes / 60, rounded half up to the penny."""
    _require_whole("rate_pence_per_hour", rate_pence_per_hour)
    _require_whole("minutes", minutes)
    return divide_half_up(rate_pence_per_hour * minutes, 60)


def fee_pence(amount_pence: int, basis_points: int) -> int:
    """A fee of `basis_points` hundredths of a percent of an amount, rounded half up to the penny."""
    _require_whole("amount_pence", amount_pence)
    _require_whole("basis_points", basis_points)
    if basis_points > BASIS_POINTS:
        raise ValueError(f"a fee above 100% ({basis_points} basis points) makes no sense")
    return divide_half_up(amount_pence * basis_points, BASIS_POINTS)


def format_gbp(pence: int) -> str:
    """12345 -> "£123.45", 123456 -> "£1,234.56", -5 -> "\u2212£0.05" (a minus sign)."""
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"pence must be a whole number, not {type(pence).__name__}")
    pounds, rest = divmod(abs(pence), PENCE_PER_POUND)
    sign = MINUS_SIGN if pence < 0 else ""
    return f"{sign}£{pounds:,}.{rest:02d}"


def format_decimal(pence: int) -> str:
    """12345 -> "123.45": for CSV cells, where a spreadsheet should see a plain number."""
    pounds, rest = divmod(abs(pence), PENCE_PER_POUND)
    return f"{'-' if pence < 0 else ''}{pounds}.{rest:02d}"


def parse_pence(text: str) -> int:
    """Strictly parse pounds written as "12.71" or "12" into pence (1271, 1200).

    No sign, pound sign, thousands separators, spaces or a single decimal digit: an amount typed
    into a form is either unambiguous or refused.
    """
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not an amount in pounds such as 12.71")
    pounds, pence = match.groups()
    return int(pounds) * PENCE_PER_POUND + int(pence or "0")
