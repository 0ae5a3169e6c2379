"""Building areas: both file formats, the array builder against osmnx, profiles, speeds."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from routing.errors import AreaError
from routing.roads._maxspeed import IMPLICIT_MAXSPEEDS, clean_maxspeed, collapse_maxspeeds
from routing.roads.build import check_profiles, road_graph
from routing.roads.graph import RoadGraph
from routing.roads.osm import osmnx_graph, read_osm
from tests.conftest import shared_file
from tests.helpers.roads import AGS_PBF, assert_same_area, osmnx_private


def test_pbf_and_xml_give_the_same_area(ags_pair):
    """The same data as .osm.pbf and .osm.bz2 gives identical graphs and address tables."""
    pbf, xml = ags_pair
    assert_same_area(pbf, xml)
    g = pbf.graph()
    assert 600 < g.n_nodes < 760  # ~750 drive nodes, 91 % in the largest SCC
    assert len(pbf.addresses) > 400


def test_graph_matches_osmnx_largest_scc(ags_pair):
    """Node set and edge count equal osmnx's own graph truncated to its largest SCC."""
    import osmnx as ox

    G = osmnx_graph(read_osm(shared_file(AGS_PBF)), "drive")  # noqa: N806
    G = ox.truncate.largest_component(G, strongly=True)  # noqa: N806
    g = ags_pair[0].graph()
    assert set(g.node_id.tolist()) == set(G.nodes)
    pairs = {(u, v) for u, v, _ in G.edges(keys=True) if u != v}
    assert g.n_edges == len(pairs)


@pytest.mark.parametrize("fixture", [AGS_PBF, "osm/west_oakland_ca.osm.bz2"])
def test_numpy_builder_equals_osmnx_pipeline(fixture):
    """The array graph builder gives exactly osmnx's graph (create, simplify, speeds)."""
    data = read_osm(shared_file(fixture), ("drive", "bike", "walk"))
    for profile in ("drive", "bike", "walk"):
        ours = road_graph(data, profile)
        ref = road_graph(data, profile, engine="osmnx")
        assert ours.same_as(ref, rtol=1e-12), profile


def test_numpy_builder_on_queens_village_matches_osmnx():
    """On a real city extract the two builders agree on every node and edge.

    osmnx keeps ``list(set(highway_types))[0]`` for a merged chain of mixed road types,
    which depends on string hashing; we take the chain's first type, so a handful of
    travel times may differ. Lengths and shapes must not.
    """
    data = read_osm(shared_file("osm/queens_village_ny.osm.pbf"), ("drive",))
    ours, ref = road_graph(data, "drive"), road_graph(data, "drive", engine="osmnx")
    assert np.array_equal(ours.node_id, ref.node_id)
    assert np.array_equal(ours.indptr, ref.indptr)
    assert np.array_equal(ours.indices, ref.indices)
    np.testing.assert_allclose(ours.length_m, ref.length_m, rtol=1e-12)
    np.testing.assert_allclose(ours.geom_lat, ref.geom_lat, rtol=0)
    differ = ~np.isclose(ours.travel_time_s, ref.travel_time_s, rtol=1e-9)
    assert differ.mean() < 0.005


@pytest.fixture(scope="module")
def ags_profiles():
    """Aguascalientes read once with all three profiles, and its three graphs."""
    data = read_osm(shared_file(AGS_PBF), ("drive", "bike", "walk"))
    return data, {p: road_graph(data, p) for p in ("drive", "bike", "walk")}


def _points(g: RoadGraph) -> set[tuple[float, float]]:
    """Every node and shape point of a graph."""
    return set(zip(g.lat.tolist(), g.lon.tolist(), strict=True)) | set(
        zip(g.geom_lat.tolist(), g.geom_lon.tolist(), strict=True)
    )


def test_cycleway_is_in_bike_not_in_drive():
    """West Oakland's cycleway is on the bike network and nowhere on the drive network."""
    data = read_osm(shared_file("osm/west_oakland_ca.osm.bz2"), ("drive", "bike"))
    drive_ways = {w for w, _, _ in data.ways["drive"]}
    drive_nodes = {n for _, refs, _ in data.ways["drive"] for n in refs}
    cycleways = [refs for _, refs, t in data.ways["bike"] if t.get("highway") == "cycleway"]
    assert cycleways, "the fixture has a cycleway"
    assert not {w for w, _, t in data.ways["bike"] if t.get("highway") == "cycleway"} & drive_ways
    only_cycle = {n for refs in cycleways for n in refs} - drive_nodes
    coords = {data.coords[n] for n in only_cycle}
    assert coords
    assert coords & _points(road_graph(data, "bike"))
    assert not coords & _points(road_graph(data, "drive"))


def test_one_way_street_is_two_way_for_walkers(ags_profiles):
    """Drive edges on one-way streets go one way; every walk edge has its reverse."""
    data, graphs = ags_profiles
    drive, walk = graphs["drive"], graphs["walk"]
    w_src = walk.edge_source
    assert (walk.edge_index(walk.indices, w_src) >= 0).all()
    d_pos = {n: i for i, n in enumerate(drive.node_id.tolist())}
    w_pos = {n: i for i, n in enumerate(walk.node_id.tolist())}
    one_way_pairs = 0
    for _, refs, t in data.ways["drive"]:
        if t.get("oneway") != "yes":
            continue
        for a, b in itertools.pairwise(refs):
            if not (a in d_pos and b in d_pos):
                continue
            if drive.edge_index(d_pos[a], d_pos[b]) >= 0 > drive.edge_index(d_pos[b], d_pos[a]):
                one_way_pairs += 1
                if a in w_pos and b in w_pos:
                    assert walk.edge_index(w_pos[b], w_pos[a]) >= 0
    assert one_way_pairs > 10
    d_src = drive.edge_source
    assert (drive.edge_index(drive.indices, d_src) < 0).any()


def test_profile_speeds_can_be_set_from_the_environment(monkeypatch):
    """AIDROUTE_BIKE_KPH changes the bike speed at import; nonsense is refused."""

    data = read_osm(shared_file("osm/west_oakland_ca.osm.bz2"), ("bike",))
    monkeypatch.setenv("AIDROUTE_BIKE_KPH", "20")
    g = road_graph(data, "bike")
    assert np.allclose(g.length_m / g.travel_time_s * 3.6, 20.0)
    monkeypatch.setenv("AIDROUTE_BIKE_KPH", "fast")
    with pytest.raises(AreaError, match="AIDROUTE_BIKE_KPH"):
        road_graph(data, "bike")


#: maxspeed values beyond the fixtures': units, lanes, decimal commas, words, Porto's "50; 40".
MAXSPEED_EXTRAS = [
    *("30 mph", "25 knots", "50 km/h", "50kmh", "7.5", "1,5", "50|30", "20 mph|30 mph"),
    *("50; 40", "80; 50", "signals", "none", "walk", "", "1.2.3", "30\n", "RU:urban"),
]


def test_maxspeed_values_read_as_osmnx_reads_them():
    """Every maxspeed of the fixtures, every implicit one and odd ones give osmnx's km/h;
    so do merged roads with two or three of them."""
    clean_ref = osmnx_private("routing", "_clean_maxspeed")
    collapse_ref = osmnx_private("routing", "_collapse_multiple_maxspeed_values")
    found = {
        tags["maxspeed"]
        for fixture in ("osm/queens_village_ny.osm.pbf", "osm/aguascalientes_mx.osm.pbf")
        for _, _, tags in read_osm(shared_file(fixture)).ways["drive"]
        if "maxspeed" in tags
    }
    assert len(found) >= 5
    values = sorted(found | set(IMPLICIT_MAXSPEEDS) | set(MAXSPEED_EXTRAS))
    assert [clean_maxspeed(v) for v in values] == [clean_ref(v) for v in values]
    assert clean_maxspeed("30 mph") == pytest.approx(48.2802)
    assert clean_maxspeed("DE:urban") == 50 and clean_maxspeed("signals") is None
    some = sorted(found | set(MAXSPEED_EXTRAS))
    groups = [list(g) for g in itertools.combinations(some, 2)]
    groups += [list(g) for g in itertools.combinations(some[:12], 3)]
    assert [collapse_maxspeeds(g) for g in groups] == [collapse_ref(g, np.mean) for g in groups]
    assert collapse_maxspeeds(["signals", "none"]) is None


def test_profiles_are_checked_and_drive_is_always_one():
    """Profiles from a list or a comma-separated string, once each; drive added first when
    missing; unknown ones named."""
    assert check_profiles("bike") == ("drive", "bike")
    assert check_profiles(["walk", "drive", "walk"]) == ("walk", "drive")
    assert check_profiles(" drive , bike ") == ("drive", "bike")
    with pytest.raises(AreaError, match=r"unknown travel profile.*boat"):
        check_profiles("drive,boat")
    with pytest.raises(AreaError, match=r"\(none\)"):
        check_profiles("")
