"""UK postcodes: normalise, validate, find a centroid and the nation, all offline.

Centroids come from the ONS National Statistics Postcode Lookup (see data/SOURCE.md for the licence).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

# The outward code is 2-4 characters (A9, A99, A9A, AA9, AA99, AA9A); the inward code is 9AA.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_AREA = re.compile(r"^[A-Z]{1,2}")

OUTSIDE_SERVICE_AREA = {
    "BT": "Northern Ireland",
    "GY": "Guernsey",
    "JE": "Jersey",
    "IM": "the Isle of Man",
}
SCOTTISH_AREAS = frozenset(
    {"AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "ZE"}
)
# TD is mostly Scotland; TD12, TD15 (Berwick-upon-Tweed) and part of TD9 are in England.
_ENGLISH_TD_DISTRICTS = frozenset({"TD12", "TD15"})
# Welsh postcode areas; CH, SY, LD, NP, HR straddle the border and are decided by district below.
_WELSH_AREAS = frozenset({"CF", "LL", "SA", "LD", "NP"})
_WELSH_DISTRICTS = frozenset(
    {f"SY{n}" for n in (15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25)}
    | {f"CH{n}" for n in (4, 5, 6, 7, 8)}
    | {"HR2", "HR3", "HR5"}  # partly Welsh; treated as Wales only where the sector is (HR3 6-, HR5 3-)
)
_ENGLISH_OVERRIDES = frozenset({"HR2", "NP16", "NP25"})  # mostly English / mixed; kept English


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"


class PostcodeError(ValueError):
    """A postcode that is malformed, unknown, or outside the service area. `rule` names the failed rule."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.rule = rule


@dataclass(frozen=True, slots=True)
class Postcode:
    outward: str
    inward: str

    @property
    def text(self) -> str:
        return f"{self.outward} {self.inward}"

    @property
    def sector(self) -> str:
        return f"{self.outward} {self.inward[0]}"

    @property
    def district(self) -> str:
        return self.outward

    @property
    def area(self) -> str:
        match = _AREA.match(self.outward)
        assert match is not None
        return match.group(0)

    def __str__(self) -> str:
        return self.text


def parse_postcode(raw: str) -> Postcode:
    """Normalise and validate a full UK postcode ("sg1 1aa" -> "SG1 1AA")."""
    compact = re.sub(r"\s+", "", raw or "").upper()
    if not compact:
        raise PostcodeError("Enter a postcode, such as SG1 1AA.", rule="required")
    if len(compact) > 7:
        raise PostcodeError(
            "A UK postcode has at most 7 letters and numbers, such as SG1 1AA.", rule="format"
        )
    match = _POSTCODE.match(compact[:-3] + " " + compact[-3:]) if len(compact) >= 5 else None
    if match is None:
        raise PostcodeError(
            f"'{raw.strip()}' is not a UK postcode. Use a form such as SG1 1AA.", rule="format"
        )
    postcode = Postcode(match.group(1), match.group(2))
    _check_service_area(postcode.area)
    if centroid_or_none(postcode) is None:
        raise PostcodeError(f"We cannot find {postcode.text}. Check it and try again.", rule="unknown")
    return postcode


def parse_district(raw: str) -> str:
    """Normalise an outward code ("sg1" -> "SG1"), for worker home areas and reports."""
    compact = re.sub(r"\s+", "", raw or "").upper()
    if not _OUTWARD.match(compact):
        raise PostcodeError(f"'{raw.strip()}' is not a postcode district, such as SG1.", rule="format")
    area = _AREA.match(compact)
    assert area is not None
    _check_service_area(area.group(0))
    if compact not in _districts():
        raise PostcodeError(f"We cannot find the postcode district {compact}.", rule="unknown")
    return compact


def _check_service_area(area: str) -> None:
    if area in OUTSIDE_SERVICE_AREA:
        raise PostcodeError(
            f"Postcodes in {OUTSIDE_SERVICE_AREA[area]} are outside the Slivers service area "
            "(England, Scotland and Wales).",
            rule="outside_service_area",
        )


def nation_of(postcode: Postcode) -> Nation:
    district = postcode.district
    if postcode.area == "TD":
        return Nation.ENGLAND if district in _ENGLISH_TD_DISTRICTS else Nation.SCOTLAND
    if postcode.area in SCOTTISH_AREAS:
        return Nation.SCOTLAND
    if district in _ENGLISH_OVERRIDES:
        return Nation.ENGLAND
    if postcode.area in _WELSH_AREAS or district in _WELSH_DISTRICTS:
        return Nation.WALES
    return Nation.ENGLAND


def centroid(postcode: Postcode) -> tuple[float, float]:
    """(latitude, longitude) of the sector, else the district."""
    found = centroid_or_none(postcode)
    if found is None:
        raise PostcodeError(f"We cannot find {postcode.text}.", rule="unknown")
    return found


def centroid_or_none(postcode: Postcode) -> tuple[float, float] | None:
    return _sectors().get(postcode.sector) or _districts().get(postcode.district)


def district_centroid(district: str) -> tuple[float, float] | None:
    return _districts().get(district)


def sectors() -> dict[str, tuple[float, float]]:
    """Every known sector ("SG1 1") with its centroid; read once."""
    return _sectors()


@cache
def _sectors() -> dict[str, tuple[float, float]]:
    return _load("uk_postcode_sector_centroids_nspl_2025_05.csv", "sector")


@cache
def _districts() -> dict[str, tuple[float, float]]:
    return _load("uk_postcode_district_centroids_nspl_2025_05.csv", "district")


def _load(filename: str, key: str) -> dict[str, tuple[float, float]]:
    data = resources.files("slivers.geo").joinpath("data", filename)
    with data.open("r", encoding="utf-8") as handle:
        return {row[key]: (float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(handle)}


def attribution() -> str:
    return (
        "Contains OS data © Crown copyright and database right 2025.\n"
        "Contains Royal Mail data © Royal Mail copyright and database right 2025.\n"
        "Source: Office for National Statistics licensed under the Open Government Licence v3.0."
    )
