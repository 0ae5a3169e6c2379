"""Reading OSM extracts: osmnx's network filters, the two readers, speeds, addresses."""

from __future__ import annotations

import numpy as np
import pytest

from routing.errors import AreaError
from routing.roads._filters import overpass_filter, parse_filter, way_filter
from routing.roads._osmxml import read_elements, write_osm
from routing.roads.build import area_country, build_area
from routing.roads.graph import RoadGraph
from routing.roads.osm import (
    ADDRESS_COLUMNS,
    CROSSING_COLUMNS,
    DRIVE_FALLBACK_KPH,
    PLACE_COLUMNS,
    PROFILE_SPEED_KPH,
    centroid,
    osmnx_graph,
    read_osm,
)
from tests.conftest import shared_file
from tests.helpers.roads import osmnx_private

#: highway values osmnx's drive filter refuses (a sample of its list).
NOT_DRIVE = {
    "footway",
    "path",
    "cycleway",
    "pedestrian",
    "steps",
    "track",
    "service",
    "construction",
    "bridleway",
    "corridor",
    "platform",
}


@pytest.mark.parametrize("profile", ["drive", "bike", "walk"])
def test_filter_text_is_osmnx_own_and_fully_parsed(profile):
    """Each profile's filter is the one osmnx builds today, and every clause is understood."""
    get_network_filter = osmnx_private("_overpass", "_get_network_filter")
    text = overpass_filter(profile)
    assert text == get_network_filter(profile)
    clauses = parse_filter(text)
    if profile != "drive":
        return
    assert ("highway", "has", None) in clauses
    assert {c[0] for c in clauses} >= {"highway", "area", "access", "service", "motorcar"}


@pytest.mark.parametrize(
    ("tags", "drive", "bike", "walk"),
    [
        ({"highway": "residential"}, True, True, True),
        ({"highway": "footway"}, False, False, True),
        ({"highway": "cycleway"}, False, True, False),
        ({"highway": "motorway"}, True, False, False),
        ({"highway": "service", "service": "driveway"}, False, True, True),
        ({"highway": "residential", "access": "private"}, False, False, False),
        ({"highway": "pedestrian", "area": "yes"}, False, False, False),
        ({"building": "yes"}, False, False, False),
        ({"highway": "primary", "motorcar": "no"}, False, True, True),
        ({"highway": "residential", "foot": "no"}, True, True, False),
    ],
)
def test_profile_filters_follow_overpass_semantics(tags, drive, bike, walk):
    """Each profile keeps the ways osmnx's Overpass query for that network type keeps."""
    assert way_filter("drive")(tags) is drive
    assert way_filter("bike")(tags) is bike
    assert way_filter("walk")(tags) is walk


def test_parse_filter_refuses_what_it_does_not_understand():
    """A filter with a clause we cannot evaluate raises instead of being half applied."""
    with pytest.raises(ValueError, match="cannot parse"):
        parse_filter('["highway"](poly:"1 2 3")')


def test_pbf_and_xml_readers_agree():
    """The pyosmium and osmnx XML readers give the same ways, coordinates and addresses."""
    pbf = read_osm(shared_file("osm/aguascalientes_mx.osm.pbf"), ("drive", "bike", "walk"))
    xml = read_osm(shared_file("osm/aguascalientes_mx.osm.bz2"), ("drive", "bike", "walk"))
    for profile in ("drive", "bike", "walk"):
        assert sorted(pbf.ways[profile]) == sorted(xml.ways[profile])
    assert pbf.coords == xml.coords
    assert pbf.addresses.equals(xml.addresses)
    key = ["name", "lat", "lon"]
    assert pbf.places.sort_values(key, ignore_index=True).equals(
        xml.places.sort_values(key, ignore_index=True)
    )
    assert pbf.crossings.equals(xml.crossings)
    assert pbf.countries == xml.countries


@pytest.mark.parametrize("fixture", ["west_oakland_ca.osm.bz2", "aguascalientes_mx.osm.bz2"])
def test_xml_reader_reads_what_osmnx_reads(fixture):
    """Our OSM XML reader gives osmnx's elements (the fields an import uses), in order."""
    overpass_json_from_xml = osmnx_private("_osm_xml", "_overpass_json_from_xml")
    path = shared_file(f"osm/{fixture}")
    ours = read_elements(path)
    ref = overpass_json_from_xml(path, "utf-8")["elements"]
    fields = {"node": ("lat", "lon"), "way": ("nodes",), "relation": ("members",)}
    keep = ("type", "id", "tags", "timestamp")
    assert ours == [{k: e[k] for k in (*keep, *fields[e["type"]]) if k in e} for e in ref]
    assert {e["type"] for e in ours} == {"node", "way", "relation"}


def test_written_xml_reads_back_exactly(tmp_path):
    """Nodes and ways written as OSM XML read back the same: exact floats, escaped tags."""
    nodes = [(1, 40.123456789012345, -73.1), (2, 1e-05, 179.99999999999997), (3, -0.5, 0.25)]
    ways = [(10, [1, 2, 3], {"name": 'Rue "Quatre" & <Cinq>', "highway": "residential"})]
    write_osm(tmp_path / "w.osm", nodes, ways)
    back = read_elements(tmp_path / "w.osm")
    assert [(e["id"], e["lat"], e["lon"]) for e in back if e["type"] == "node"] == nodes
    assert [(e["id"], e["nodes"], e["tags"]) for e in back if e["type"] == "way"] == ways


def test_drive_ways_exclude_buildings_and_footways():
    """No building, footway or path reaches the drive network; raw graph_from_xml keeps them."""
    import osmnx as ox

    path = shared_file("osm/aguascalientes_mx.osm.bz2")
    data = read_osm(path, ("drive",))
    highways = {tags.get("highway") for _, _, tags in data.ways["drive"]}
    assert highways and not highways & NOT_DRIVE
    assert None not in highways
    raw = ox.graph_from_xml(path, retain_all=True, simplify=False)
    ours = osmnx_graph(data, "drive")
    raw_ways = {d["osmid"] for _, _, d in raw.edges(data=True)}
    our_ways = {
        w
        for _, _, d in ours.edges(data=True)
        for w in (d["osmid"] if isinstance(d["osmid"], list) else [d["osmid"]])
    }
    assert our_ways < raw_ways
    dropped = raw_ways - our_ways
    raw_tags = {d["osmid"]: d.get("highway") for _, _, d in raw.edges(data=True)}
    assert any(raw_tags[w] is None for w in dropped), "buildings were in the raw graph"
    assert any(raw_tags[w] in NOT_DRIVE for w in dropped)


def test_address_table_columns_and_values():
    """Every addressed feature becomes a row with string fields and float coordinates."""
    data = read_osm(shared_file("osm/aguascalientes_mx.osm.pbf"))
    table = data.addresses
    assert tuple(table.columns) == ADDRESS_COLUMNS
    assert len(table) > 400
    assert (table["housenumber"] != "").all() and (table["street"] != "").all()
    assert table["postcode"].map(type).eq(str).all()
    assert table["lat"].between(21.85, 21.88).all()
    assert table["lon"].between(-102.29, -102.25).all()
    assert "Avenida Ayuntamiento" in set(table["street"])


def test_no_maxspeed_tags_uses_fallback_speed():
    """West Oakland has no maxspeed tags: every drive edge runs at the fallback speed."""
    data = read_osm(shared_file("osm/west_oakland_ca.osm.bz2"))
    g = RoadGraph.from_osmnx(osmnx_graph(data, "drive"), "drive")
    assert g.n_nodes > 10
    speed_kph = g.length_m / g.travel_time_s * 3.6
    assert np.allclose(speed_kph, DRIVE_FALLBACK_KPH)


def test_bike_and_walk_run_at_profile_speeds():
    """Bike and walk graphs use the profile's constant speed on every edge."""
    data = read_osm(shared_file("osm/west_oakland_ca.osm.bz2"), ("bike", "walk"))
    for profile in ("bike", "walk"):
        g = RoadGraph.from_osmnx(osmnx_graph(data, profile), profile)
        assert np.allclose(g.length_m / g.travel_time_s * 3.6, PROFILE_SPEED_KPH[profile])


def test_unreadable_file_is_an_area_error(tmp_path):
    """A truncated .pbf, a missing file or a non-OSM file raise AreaError naming the file."""
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all")
    with pytest.raises(AreaError, match=r"broken\.osm\.pbf"):
        read_osm(bad)
    with pytest.raises(AreaError, match="no such"):
        read_osm(tmp_path / "missing.osm.pbf")
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(AreaError, match="not an OpenStreetMap file"):
        read_osm(other)


def test_centroid_of_square_ring_line_and_point():
    """Rings give their area centroid, lines their middle, single points themselves."""
    square = [(0.0, 0.0), (0.0, 2.0), (2.0, 2.0), (2.0, 0.0), (0.0, 0.0)]
    assert centroid(square) == pytest.approx((1.0, 1.0))
    assert centroid([(0.0, 0.0), (0.0, 4.0)]) == pytest.approx((0.0, 2.0))
    assert centroid([(5.0, 6.0)]) == (5.0, 6.0)


def test_clipped_extract_drops_missing_node_references():
    """Queens Village's extract cuts ways at its edge: the missing nodes are dropped."""
    data = read_osm(shared_file("osm/queens_village_ny.osm.pbf"))
    assert data.dropped_refs > 100
    assert all(n in data.coords for _, refs, _ in data.ways["drive"] for n in refs)
    assert len(data.addresses) > 30_000


def test_named_places_and_crossings_of_queens_village():
    """The extract's named places hold the supermarket groups load at, with its kind; the
    crossings hold the corner of Hollis Avenue and 212th Street, where both roads meet."""
    data = read_osm(shared_file("osm/queens_village_ny.osm.pbf"))
    assert tuple(data.places.columns) == PLACE_COLUMNS
    shop = data.places[data.places["name"] == "Compare Foods"]
    assert list(shop["kind"]) == ["shop=supermarket"]
    assert float(shop["lat"].iloc[0]) == pytest.approx(40.7073, abs=1e-3)
    assert not (data.places["name"] == "").any()
    crossings = data.crossings
    assert tuple(crossings.columns) == CROSSING_COLUMNS
    corner = crossings[
        (crossings["street_a"] == "212th Street") & (crossings["street_b"] == "Hollis Avenue")
    ]
    assert len(corner) == 1
    assert (float(corner["lat"].iloc[0]), float(corner["lon"].iloc[0])) == pytest.approx(
        (40.70946, -73.74582), abs=1e-4
    )
    # A few addresses in this extract carry a country, and they disagree: none is taken.
    assert area_country(data) is None


def test_country_from_the_addresses_or_given(tmp_path):
    """An area's country is what its addresses agree on, or --country; a bad code refused."""
    data = read_osm(shared_file("osm/aguascalientes_mx.osm.pbf"))
    assert area_country(data) in (None, "MX")
    area = build_area(data, "ags", country="mx")
    assert area.country == "MX" and area.meta["country"] == "MX"
    with pytest.raises(AreaError, match="two-letter country code"):
        build_area(data, "ags", country="Mexico")
