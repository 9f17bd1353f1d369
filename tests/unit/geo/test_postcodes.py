from __future__ import annotations

import pytest

from slivers.geo import (
    Nation,
    PostcodeError,
    centroid,
    haversine_km,
    nation_of,
    parse_district,
    parse_postcode,
    travel_minutes,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("sg1 1aa", "SG1 1AA"),
        ("SG11AA", "SG1 1AA"),
        (" eh6  5aa ", "EH6 5AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("cf10 1aa", "CF10 1AA"),
        ("W1A 0AX", "W1A 0AX"),
    ],
)
def test_postcodes_are_normalised(raw: str, expected: str) -> None:
    assert parse_postcode(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("", "required"),
        ("12345", "format"),
        ("SG1", "format"),
        ("SG1 1AAA", "format"),
        ("Q1 1AA", "unknown"),
        ("BT1 1AA", "outside_service_area"),
        ("GY1 1AA", "outside_service_area"),
        ("JE2 3AB", "outside_service_area"),
        ("IM1 1AA", "outside_service_area"),
    ],
)
def test_bad_postcodes_are_refused_with_the_rule(raw: str, rule: str) -> None:
    with pytest.raises(PostcodeError) as caught:
        parse_postcode(raw)
    assert caught.value.rule == rule
    assert str(caught.value)


@pytest.mark.parametrize(
    ("raw", "nation"),
    [
        ("SG1 1AA", Nation.ENGLAND),
        ("EH6 5AA", Nation.SCOTLAND),
        ("G1 1AA", Nation.SCOTLAND),
        ("TD1 1AA", Nation.SCOTLAND),
        ("TD15 1AA", Nation.ENGLAND),
        ("CF10 1AA", Nation.WALES),
        ("LL57 1AA", Nation.WALES),
        ("SY23 1AA", Nation.WALES),
        ("SY1 1AA", Nation.ENGLAND),
        ("CH5 1AA", Nation.WALES),
        ("CH1 1AA", Nation.ENGLAND),
        ("NP20 1AA", Nation.WALES),
        ("KA1 1AA", Nation.SCOTLAND),
    ],
)
def test_nation_comes_from_the_postcode(raw: str, nation: Nation) -> None:
    assert nation_of(parse_postcode(raw)) is nation


def test_sector_centroid_is_used_and_district_is_the_fallback() -> None:
    sector = centroid(parse_postcode("SG1 1AA"))
    other_sector = centroid(parse_postcode("SG1 4AA"))
    assert sector != other_sector
    assert 51.8 < sector[0] < 52.0
    assert -0.3 < sector[1] < -0.1
    assert parse_district("sg1") == "SG1"
    with pytest.raises(PostcodeError):
        parse_district("BT1")


def test_distance_and_travel_time() -> None:
    stevenage, luton = centroid(parse_postcode("SG1 1AA")), centroid(parse_postcode("LU1 1AA"))
    km = haversine_km(stevenage, luton)
    assert 15 < km < 20  # Stevenage to Luton is about 17 km as the crow flies
    assert travel_minutes(stevenage, luton) == pytest.approx(km * 1.3 / 30 * 60, abs=1)
    assert travel_minutes(stevenage, stevenage) == 10  # the minimum buffer
    assert haversine_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.2, abs=0.1)
