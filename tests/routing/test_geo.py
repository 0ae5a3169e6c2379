"""Distances on the Earth: the one radius and haversine the whole project uses."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from routing.geo import EARTH_RADIUS_M, distance_m, haversine_m
from routing.model import LatLon

lats = st.floats(-90, 90, allow_nan=False)
lons = st.floats(-180, 180, allow_nan=False)


def test_distances_by_hand():
    """A degree of latitude, a quarter of the equator, and no distance at all."""
    degree = math.pi / 180 * EARTH_RADIUS_M
    assert float(haversine_m(10.0, 20.0, 11.0, 20.0)) == pytest.approx(degree, rel=1e-12)
    assert distance_m(LatLon(0, 0), LatLon(0, 90)) == pytest.approx(degree * 90, rel=1e-12)
    assert distance_m(LatLon(40.7, -73.7), LatLon(40.7, -73.7)) == 0
    assert float(haversine_m(0.0, 0.0, 0.0, 180.0)) == pytest.approx(math.pi * EARTH_RADIUS_M)


def test_haversine_broadcasts_like_numpy():
    """One point against a grid of latitudes x longitudes gives the full table."""
    lat = np.array([40.70, 40.71, 40.72])
    lon = np.array([-73.75, -73.74, -73.73, -73.72])
    table = haversine_m(lat[0], lon[0], lat[None, :], lon[:, None])
    assert table.shape == (4, 3)
    for i in range(4):
        for j in range(3):
            want = distance_m(LatLon(lat[0], lon[0]), LatLon(lat[j], lon[i]))
            assert table[i, j] == pytest.approx(want, rel=1e-12)


@given(lats, lons, lats, lons)
def test_one_pair_and_arrays_agree(lat1, lon1, lat2, lon2):
    """distance_m on two points equals haversine_m on the same numbers, symmetric."""
    a, b = LatLon(lat1, lon1), LatLon(lat2, lon2)
    d = distance_m(a, b)
    assert d == pytest.approx(float(haversine_m(lat1, lon1, lat2, lon2)), rel=1e-9, abs=1e-6)
    assert d == pytest.approx(distance_m(b, a), rel=1e-9, abs=1e-6)
    assert 0 <= d <= math.pi * EARTH_RADIUS_M + 1e-6


def test_same_distances_as_osmnx_edge_lengths():
    """The radius is osmnx's: our distances equal the great-circle lengths of graph edges."""
    from osmnx.distance import great_circle

    rng = np.random.default_rng(1)
    lat1, lat2 = rng.uniform(-60, 60, (2, 500))
    lon1, lon2 = rng.uniform(-180, 180, (2, 500))
    np.testing.assert_allclose(
        haversine_m(lat1, lon1, lat2, lon2), great_circle(lat1, lon1, lat2, lon2), rtol=1e-9
    )
