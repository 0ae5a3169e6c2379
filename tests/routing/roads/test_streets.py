"""routing.roads.streets: the area's own streets, kept for drawing maps without tile servers."""

from __future__ import annotations

import numpy as np

from routing.roads.cache import read_area
from routing.roads.streets import Streets, street_class


def test_every_way_is_kept_once_with_its_name_and_kind(ags_pair):
    """A way in the drive network is one street, named as OSM names it; both file formats
    give the same streets, and they survive a save and a load."""
    pbf, xml = ags_pair
    assert len(pbf.streets) > 100
    assert len(pbf.streets) == len(xml.streets)
    assert (pbf.streets.name == xml.streets.name).all()
    names = set(pbf.streets.name.tolist())
    assert "Avenida Ayuntamiento" in names or any("Ayuntamiento" in n for n in names)
    assert set(pbf.streets.kind.tolist()) <= {"major", "medium", "minor", "service", "path"}
    again = read_area(pbf.path)
    assert (again.streets.lat == pbf.streets.lat).all()
    assert (again.streets.indptr == pbf.streets.indptr).all()


def test_the_demo_area_carries_its_streets(demo):
    """The bundled area has its streets (Hollis Avenue among them), inside its bbox."""
    s = demo.streets
    assert len(s) > 1000 and "Hollis Avenue" in set(s.name.tolist())
    lat0, lon0, lat1, lon1 = demo.bbox
    assert lat0 - 0.01 < s.lat.min() and s.lat.max() < lat1 + 0.01
    assert lon0 - 0.01 < s.lon.min() and s.lon.max() < lon1 + 0.01


def test_clip_keeps_whole_ways_that_enter_the_frame():
    """A way with one point inside the frame is kept whole; a way wholly outside is not."""
    ways = [
        (1, [1, 2, 3], {"name": "Main St", "highway": "residential"}),
        (2, [4, 5], {"name": "Far Rd", "highway": "primary"}),
        (1, [1, 2], {"name": "Main St", "highway": "residential"}),  # same way, second profile
    ]
    coords = {1: (0.0, 0.0), 2: (0.5, 0.5), 3: (2.0, 2.0), 4: (5.0, 5.0), 5: (6.0, 6.0)}
    s = Streets.from_ways(ways, coords)
    assert len(s) == 2
    clipped = s.clip((0.4, 0.4, 0.6, 0.6))
    assert clipped.name.tolist() == ["Main St"]
    assert np.allclose(clipped.lat, [0.0, 0.5, 2.0])
    page = clipped.to_json()
    assert page["ways"] == [[page["classes"].index("minor"), "Main St", [0, 0, 0.5, 0.5, 2, 2]]]
    assert len(s.clip((10, 10, 11, 11))) == 0


def test_street_classes():
    """Highway tags map to the few kinds a map draws differently."""
    assert street_class("primary") == "major"
    assert street_class("tertiary") == "medium"
    assert street_class("residential") == "minor"
    assert street_class("service") == "service"
    assert street_class("footway") == "path"
