"""maps.basemap: the private map background, drawn from the area's own streets."""

from __future__ import annotations

import folium

from maps.assets import AssetMode, localize
from maps.basemap import add_streets, frame
from routing.roads.streets import Streets


def _streets(name: str = "Main St") -> Streets:
    ways = [
        (1, [1, 2], {"name": name, "highway": "residential"}),
        (2, [3, 4], {"name": "Far Rd", "highway": "primary"}),
    ]
    coords = {1: (40.71, -73.75), 2: (40.712, -73.748), 3: (41.5, -73.0), 4: (41.6, -73.1)}
    return Streets.from_ways(ways, coords)


def _page(m: folium.Map) -> str:
    localize(m, AssetMode.relative("static/"))
    return m.get_root().render()


def test_streets_near_the_places_are_drawn_from_the_bundled_script():
    """The page loads the bundled streets.js (no tile server) and carries only the streets
    near its places."""
    m = folium.Map(location=[40.71, -73.75], tiles=None)
    assert add_streets(m, _streets(), [(40.711, -73.749)])
    html = _page(m)
    assert 'src="static/aidroute/streets.js"' in html
    assert "Main St" in html and "Far Rd" not in html
    assert "tile.openstreetmap.org" not in html


def test_a_street_name_cannot_close_the_script():
    """OSM text is data: a name holding </script> stays inside the JSON."""
    m = folium.Map(location=[40.71, -73.75], tiles=None)
    add_streets(m, _streets("</script><script>alert(1)</script>"), [(40.711, -73.749)])
    html = _page(m)
    assert "<\\/script><script>alert(1)<\\/script>" in html
    assert "</script><script>alert(1)" not in html


def test_nothing_to_draw_says_so():
    """No streets (an area imported before they were kept), or none near: False, no layer."""
    m = folium.Map(location=[0, 0], tiles=None)
    assert add_streets(m, None, [(0.0, 0.0)]) is False
    assert add_streets(m, _streets(), [(10.0, 10.0)]) is False
    assert "aidrouteStreets" not in _page(m)


def test_frame_widens_by_the_margin_in_metres():
    """600 m each way is about 0.0054 degrees of latitude, more degrees of longitude."""
    lat0, lon0, lat1, lon1 = frame([(40.7, -73.75), (40.71, -73.74)], 600)
    assert abs((40.7 - lat0) - 600 / 111_320) < 1e-9
    assert (-73.75 - lon0) > (40.7 - lat0)
    assert lat1 > 40.71 and lon1 > -73.74
