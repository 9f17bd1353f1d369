"""The one text rule, the JSON walk that applies it, and the pieces of reading bodies and forms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slivers import plain_text
from slivers.http.forms import number_or_text, undecodable_fields, whole_number
from slivers.http.request_body import split_validation_error

FORBIDDEN = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f"]
ALLOWED = st.text(st.characters(exclude_characters=FORBIDDEN, exclude_categories=("Cs",)))
SEEDED = settings(derandomize=True, max_examples=200, database=None)


@SEEDED
@given(ALLOWED)
def test_text_without_forbidden_controls_passes(text: str) -> None:
    assert plain_text.control_character(text) is None


@SEEDED
@given(ALLOWED, st.sampled_from(FORBIDDEN), ALLOWED)
def test_any_forbidden_control_is_found(before: str, character: str, after: str) -> None:
    assert plain_text.control_character(before + character + after) == character


def test_tab_and_line_breaks_are_allowed_nul_and_del_are_not() -> None:
    assert plain_text.control_character("a\tb\nc\r\n") is None
    assert plain_text.control_character("a\x00") == "\x00"
    assert plain_text.control_character("\x7f") == "\x7f"
    assert plain_text.explain("needs", "\x00").startswith("needs: contains the control character U+0000.")


def test_strings_are_found_with_the_path_a_400_names() -> None:
    value = {"name": "a", "items": [{"description": "b"}, "c"], "tags": {"k\x00": 1}}
    assert sorted(plain_text.strings_in(value, max_depth=5)) == sorted(
        [
            ("name", "name"),
            ("name", "a"),
            ("items", "items"),
            ("items[0].description", "description"),
            ("items[0].description", "b"),
            ("items[1]", "c"),
            ("tags", "tags"),
            ("tags.k\x00", "k\x00"),
        ]
    )


def test_nesting_past_the_limit_is_refused_without_recursion() -> None:
    deep: object = "x"
    for _ in range(100_000):  # far past Python's recursion limit
        deep = [deep]
    with pytest.raises(plain_text.TooDeep):
        list(plain_text.strings_in(deep, max_depth=32))
    assert list(plain_text.strings_in([[["x"]]], max_depth=3)) == [("[0][0][0]", "x")]


INT_FROM_STR = "Expected `int`, got `str`"
MISSING = "Object missing required field `{}`"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (f"{INT_FROM_STR} - at `$.amount_pence`", (INT_FROM_STR, "amount_pence")),
        (f"{INT_FROM_STR} - at `$.items[0].amount_pence`", (INT_FROM_STR, "items[0].amount_pence")),
        (MISSING.format("name"), (MISSING.format("name"), "name")),
        (MISSING.format("kind") + " - at `$.items[2]`", (MISSING.format("kind"), "items[2].kind")),
        ("Expected `object`, got `array`", ("Expected `object`, got `array`", None)),
    ],
)
def test_msgspec_errors_name_the_field(message: str, expected: tuple[str, str | None]) -> None:
    assert split_validation_error(message) == expected


def test_form_fields_that_are_not_utf8_are_named() -> None:
    assert undecodable_fields(b"a=caf%C3%A9&b=caf%FF&c=x+y&d=%ED%A0%80") == {"b", "d"}
    assert undecodable_fields(b"") == set()


@SEEDED
@given(st.text())
def test_whole_numbers_are_ascii_digits_only(text: str) -> None:
    number = whole_number(text)
    if number is None:
        assert not (text.isascii() and text.isdigit() and len(text) <= 12)
        assert number_or_text(text) == text
    else:
        assert str(number) == text.lstrip("0") or number == 0
        assert number_or_text(text) == number


def test_superscripts_are_no_number() -> None:
    assert "²".isdigit()
    assert whole_number("²") is None
    assert whole_number("12") == 12
