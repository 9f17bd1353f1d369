"""Distance and travel time between places. One function each, so a routing engine can replace them."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088
ROAD_FACTOR = 1.3
TOWN_SPEED_KMH = 30.0
MIN_BUFFER_MINUTES = 10

LatLon = tuple[float, float]


def haversine_km(a: LatLon, b: LatLon) -> float:
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def road_km(a: LatLon, b: LatLon) -> float:
    return haversine_km(a, b) * ROAD_FACTOR


def travel_minutes(a: LatLon, b: LatLon) -> int:
    """Minutes to allow between a visit at a and one at b (design 4.3): road distance at town speed,
    never less than the 10-minute buffer, rounded up to a whole minute."""
    minutes = road_km(a, b) / TOWN_SPEED_KMH * 60.0
    return max(MIN_BUFFER_MINUTES, math.ceil(minutes))
