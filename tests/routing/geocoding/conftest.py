"""Fixtures for the geocoding tests."""

from __future__ import annotations

import pytest

from routing.geocoding.offline import OfflineGeocoder
from routing.roads.area import Area, load_area


@pytest.fixture(scope="package")
def demo_area() -> Area:
    """The committed demo area."""
    return load_area("queens-village")


@pytest.fixture(scope="package")
def geocoder(demo_area: Area) -> OfflineGeocoder:
    """Its offline geocoder, crossings included."""
    return OfflineGeocoder.from_area(demo_area)
