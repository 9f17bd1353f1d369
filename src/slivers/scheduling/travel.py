"""Travel time between visit locations, as the engine sees it.

The engine asks for many travel times at once (one per pair of visits that a worker could chain), so a
travel model answers element-wise over arrays. `GeoTravel` is `slivers.geo.travel_minutes` vectorised;
the scalar `minutes` goes through the same code, so the solver and the validator never disagree by a
rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from slivers.geo.travel import EARTH_RADIUS_KM, MIN_BUFFER_MINUTES, ROAD_FACTOR, TOWN_SPEED_KMH

LatLon = tuple[float, float]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class Travel(Protocol):
    def between(self, origins: FloatArray, destinations: FloatArray) -> IntArray:
        """Minutes from origins[i] to destinations[i]; both arrays have shape (n, 2) of (lat, lon)."""
        ...

    def lower_bound(self, points: FloatArray) -> int:
        """No travel between any two of these points (or a point and itself) takes fewer minutes."""
        ...

    def upper_bound(self, points: FloatArray) -> int:
        """No travel between any two of these points takes more minutes."""
        ...


def minutes(travel: Travel, a: LatLon, b: LatLon) -> int:
    return int(travel.between(np.array([a], dtype=np.float64), np.array([b], dtype=np.float64))[0])


class GeoTravel:
    """Straight line times the road factor at town speed, with the minimum buffer (design 4.3)."""

    def between(self, origins: FloatArray, destinations: FloatArray) -> IntArray:
        lat1, lon1 = np.radians(origins[:, 0]), np.radians(origins[:, 1])
        lat2, lon2 = np.radians(destinations[:, 0]), np.radians(destinations[:, 1])
        h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0))) * ROAD_FACTOR
        # Rounding before the ceiling keeps a last-bit difference between SIMD and scalar sin/cos
        # from turning into a whole minute.
        raw = np.round(km / TOWN_SPEED_KMH * 60.0, 6)
        result: IntArray = np.maximum(MIN_BUFFER_MINUTES, np.ceil(raw)).astype(np.int64)
        return result

    def lower_bound(self, points: FloatArray) -> int:
        return MIN_BUFFER_MINUTES

    def upper_bound(self, points: FloatArray) -> int:
        if len(points) == 0:
            return MIN_BUFFER_MINUTES
        # The diagonal of the bounding box, with a margin for the sphere, bounds every pairwise distance.
        low = points.min(axis=0, keepdims=True)
        high = points.max(axis=0, keepdims=True)
        diagonal = int(self.between(low, high)[0])
        return math.ceil(diagonal * 1.1) + 1


class ZeroTravel:
    """No travel at all: tasks in one place (the SMPTSP benchmark)."""

    def between(self, origins: FloatArray, destinations: FloatArray) -> IntArray:
        return np.zeros(len(origins), dtype=np.int64)

    def lower_bound(self, points: FloatArray) -> int:
        return 0

    def upper_bound(self, points: FloatArray) -> int:
        return 0


class MatrixTravel:
    """A travel-time matrix in minutes over named places (for a routing engine's output)."""

    def __init__(self, places: Sequence[LatLon], matrix: Sequence[Sequence[int]]) -> None:
        self._index: Mapping[LatLon, int] = {place: i for i, place in enumerate(places)}
        self._matrix = np.asarray(matrix, dtype=np.int64)
        if self._matrix.shape != (len(places), len(places)):
            raise ValueError(f"matrix: expected {len(places)}x{len(places)}, got {self._matrix.shape}")

    def _rows(self, points: FloatArray) -> IntArray:
        try:
            return np.array([self._index[(float(p[0]), float(p[1]))] for p in points], dtype=np.int64)
        except KeyError as missing:
            raise ValueError(f"location {missing} is not in the travel matrix") from None

    def between(self, origins: FloatArray, destinations: FloatArray) -> IntArray:
        found: IntArray = self._matrix[self._rows(origins), self._rows(destinations)]
        return found

    def lower_bound(self, points: FloatArray) -> int:
        rows = np.unique(self._rows(points))
        return int(self._matrix[np.ix_(rows, rows)].min()) if len(rows) else 0

    def upper_bound(self, points: FloatArray) -> int:
        rows = np.unique(self._rows(points))
        return int(self._matrix[np.ix_(rows, rows)].max()) if len(rows) else 0


class FunctionTravel:
    """Any scalar travel function; fine for small instances (bounds look at every pair of places)."""

    def __init__(self, function: Callable[[LatLon, LatLon], int]) -> None:
        self._function = function

    def between(self, origins: FloatArray, destinations: FloatArray) -> IntArray:
        return np.array(
            [self._function((a[0], a[1]), (b[0], b[1])) for a, b in zip(origins, destinations, strict=True)],
            dtype=np.int64,
        )

    def _all_pairs(self, points: FloatArray) -> list[int]:
        places = sorted({(float(p[0]), float(p[1])) for p in points})
        return [self._function(a, b) for a in places for b in places]

    def lower_bound(self, points: FloatArray) -> int:
        return min(self._all_pairs(points), default=0)

    def upper_bound(self, points: FloatArray) -> int:
        return max(self._all_pairs(points), default=0)


GEO_TRAVEL = GeoTravel()
