"""Postcodes, distances and travel time, offline."""

from slivers.geo.postcodes import (
    Nation,
    Postcode,
    PostcodeError,
    attribution,
    centroid,
    nation_of,
    parse_district,
    parse_postcode,
    sectors,
)
from slivers.geo.travel import haversine_km, road_km, travel_minutes

__all__ = [
    "Nation",
    "Postcode",
    "PostcodeError",
    "attribution",
    "centroid",
    "haversine_km",
    "nation_of",
    "parse_district",
    "parse_postcode",
    "road_km",
    "sectors",
    "travel_minutes",
]
