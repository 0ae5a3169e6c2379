"""Helpers the road tests share: fixture names, area equality, osmnx's private functions."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from routing.roads.area import Area

#: The Aguascalientes extract as .osm.pbf and as .osm.bz2 (the same data), under ../shared/data.
AGS_PBF = "osm/aguascalientes_mx.osm.pbf"
AGS_XML = "osm/aguascalientes_mx.osm.bz2"


def assert_same_area(a: Area, b: Area) -> None:
    """The two areas have the same graphs (exactly), address tables, named places, street
    crossings, streets and bounding boxes."""
    assert set(a.roads) == set(b.roads)
    for p in a.roads:
        assert a.roads[p].same_as(b.roads[p], rtol=0), p
    assert a.addresses.equals(b.addresses)
    assert a.places.reset_index(drop=True).equals(b.places.reset_index(drop=True))
    assert a.crossings.reset_index(drop=True).equals(b.crossings.reset_index(drop=True))
    for name in ("name", "kind", "indptr", "lat", "lon"):
        assert (getattr(a.streets, name) == getattr(b.streets, name)).all(), name
    assert a.bbox == b.bbox


def osmnx_private(module: str, name: str) -> Any:
    """osmnx's private function ``module.name``, to compare ours with; skip if it is gone."""
    found = getattr(importlib.import_module(f"osmnx.{module}"), name, None)
    if found is None:
        pytest.skip(f"osmnx.{module}.{name} is gone: compare by hand with the new osmnx")
    return found
