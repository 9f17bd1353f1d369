"""JSON columns are decoded by msgspec for speed, with the standard library's reading kept for what
only it accepts; either way the values are those `json.loads` gives."""

from __future__ import annotations

import json

import pytest

from slivers.db.engine import _json_loads


@pytest.mark.parametrize(
    "text",
    [
        '{"languages": ["english", "polish"], "gender": "female", "non_smoker": true}',
        '["companionship", "personal_care"]',
        '{"n": 12345678901234567890, "f": 2.5, "none": null, "nested": {"a": [{}]}}',
        '"\\u00e9t\\u00e9"',
        '{"nan": NaN, "inf": Infinity}',  # json.dumps writes these; msgspec refuses them
    ],
)
def test_json_columns_read_as_the_standard_library_reads_them(text: str) -> None:
    expected = json.loads(text)
    got = _json_loads(text)
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert type(got) is type(expected)
