"""Distances on the Earth: one radius and one haversine for the whole of aidroute.

The road graph's edge lengths come from osmnx (``osmnx.distance.great_circle``), so
every other distance uses osmnx's mean Earth radius too: a snap distance, a geocoder's
"same place" test and an edge length then agree to the last metre.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from routing.model import LatLon

#: Mean Earth radius, metres: osmnx's ``EARTH_RADIUS_M``, the one its edge lengths use.
EARTH_RADIUS_M = 6_371_009.0


def haversine_m(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> np.ndarray:
    """Great-circle distance in metres between points given in degrees.

    Takes numbers or arrays and broadcasts them like numpy does; returns an array (a
    0-d one for four numbers).
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0, 1))))


def distance_m(a: LatLon, b: LatLon) -> float:
    """Great-circle distance in metres between two points: :func:`haversine_m` for one pair.

    The same formula on Python floats: ten times faster than numpy on one pair, and the
    geocoder measures pairs of addresses one at a time.
    """
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
