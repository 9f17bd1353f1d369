import pytest

from slivers.payments.rules.money import cost_pence, fee_pence, format_decimal, format_gbp, parse_pence


@pytest.mark.parametrize(
    ("rate", "minutes", "expected"),
    [
        (1271, 60, 1271),
        (1271, 30, 636),  # 635.5 rounds up
        (1, 30, 1),  # 0.5p rounds up
        (1, 29, 0),
        (1, 90, 2),  # 1.5p rounds up
        (1500, 5, 125),
        (1221, 45, 916),  # 915.75
        (1001, 150, 2503),  # 2502.5 rounds up
        (0, 120, 0),
        (1271, 0, 0),
    ],
)
def test_cost_is_rate_times_minutes_over_sixty_half_up(rate: int, minutes: int, expected: int) -> None:
    assert cost_pence(rate, minutes) == expected


@pytest.mark.parametrize(
    ("amount", "bps", "expected"),
    [
        (1000, 1000, 100),
        (5, 1000, 1),  # 0.5p rounds up
        (4, 1000, 0),
        (15, 1000, 2),  # 1.5p rounds up
        (2503, 750, 188),  # 187.725
        (1234, 0, 0),
        (1234, 10_000, 1234),
    ],
)
def test_fee_in_basis_points_half_up(amount: int, bps: int, expected: int) -> None:
    assert fee_pence(amount, bps) == expected


def test_cost_and_fee_refuse_bad_input() -> None:
    with pytest.raises(ValueError, match="minutes"):
        cost_pence(1000, -5)
    with pytest.raises(TypeError):
        cost_pence(1000, True)
    with pytest.raises(TypeError):
        cost_pence(10.5, 60)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="100%"):
        fee_pence(100, 10_001)


@pytest.mark.parametrize(
    ("pence", "text"),
    [
        (0, "£0.00"),
        (5, "£0.05"),
        (1271, "£12.71"),
        (123456, "£1,234.56"),
        (123456789, "£1,234,567.89"),
        (-5, "\u2212£0.05"),
        (-123456, "\u2212£1,234.56"),
    ],
)
def test_format_gbp(pence: int, text: str) -> None:
    assert format_gbp(pence) == text


def test_format_decimal_is_a_plain_number() -> None:
    assert format_decimal(123456) == "1234.56"
    assert format_decimal(-7) == "-0.07"


@pytest.mark.parametrize(
    ("text", "pence"), [("12.71", 1271), ("12", 1200), ("0.05", 5), ("0", 0), ("1000.00", 100000)]
)
def test_parse_pence(text: str, pence: int) -> None:
    assert parse_pence(text) == pence


@pytest.mark.parametrize(
    "text",
    [
        "12.7",
        "12.715",
        "-1.00",
        "£12.71",
        "1,000.00",
        " 12.71",
        "12.71 ",
        "012.71",
        ".50",
        "12.",
        "",
        "١٢.٣٤",
        "1e3",
    ],
)
def test_parse_pence_is_strict(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_pence(text)
