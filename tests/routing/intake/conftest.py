"""Fixtures for the intake tests."""

from __future__ import annotations

import pytest

from routing.geocoding.offline import OfflineGeocoder
from routing.roads.area import load_area


@pytest.fixture(scope="module")
def geocoder() -> OfflineGeocoder:
    """The offline geocoder of the committed demo area."""
    return OfflineGeocoder.from_area(load_area("queens-village"))
