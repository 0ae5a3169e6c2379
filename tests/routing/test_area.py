"""Areas: import from both file formats, save/load round trips, the cache, the demo area."""

from __future__ import annotations

import itertools
import json
import shutil
import time

import numpy as np
import pytest

from routing import paths
from routing.errors import AreaError
from routing.model import LatLon
from routing.roads.area import Area, load_area
from routing.roads.build import import_area
from routing.roads.cache import FORMAT_VERSION, file_cache_dir, read_area
from routing.roads.graph import RoadGraph
from tests.conftest import shared_file

AGS_PBF = "osm/aguascalientes_mx.osm.pbf"
AGS_XML = "osm/aguascalientes_mx.osm.bz2"


@pytest.fixture(scope="module")
def ags_pair(tmp_path_factory):
    """The Aguascalientes fixture imported from .pbf and from .osm.bz2."""
    out = tmp_path_factory.mktemp("ags")
    pbf = import_area(shared_file(AGS_PBF), "ags", out_dir=out / "pbf")
    xml = import_area(shared_file(AGS_XML), "ags", out_dir=out / "xml")
    return pbf, xml


@pytest.fixture(scope="module")
def demo():
    """The bundled demo area."""
    return load_area("queens-village")


def assert_same_area(a: Area, b: Area) -> None:
    assert set(a.roads) == set(b.roads)
    for p in a.roads:
        assert a.roads[p].same_as(b.roads[p], rtol=0), p
    assert a.addresses.equals(b.addresses)
    assert a.bbox == b.bbox


def test_pbf_and_xml_give_the_same_area(ags_pair):
    """The same data as .osm.pbf and .osm.bz2 gives identical graphs and address tables."""
    pbf, xml = ags_pair
    assert_same_area(pbf, xml)
    g = pbf.graph()
    assert 600 < g.n_nodes < 760  # ~750 drive nodes, 91 % in the largest SCC
    assert len(pbf.addresses) > 400


def test_graph_is_one_strongly_connected_component(ags_pair):
    """Only the largest strongly connected component is kept: every node reaches every other."""
    from scipy.sparse import csgraph

    g = ags_pair[0].graph()
    n, _ = csgraph.connected_components(g.csr(), directed=True, connection="strong")
    assert n == 1
    assert g.indptr[-1] == g.n_edges and len(g.travel_time_s) == g.n_edges
    assert (g.travel_time_s > 0).all() and (g.length_m > 0).all()


def test_graph_matches_osmnx_largest_scc(ags_pair):
    """Node set and edge count equal osmnx's own graph truncated to its largest SCC."""
    import osmnx as ox

    from routing.roads.osm import osmnx_graph, read_osm

    G = osmnx_graph(read_osm(shared_file(AGS_PBF)), "drive")  # noqa: N806
    G = ox.truncate.largest_component(G, strongly=True)  # noqa: N806
    g = ags_pair[0].graph()
    assert set(g.node_id.tolist()) == set(G.nodes)
    pairs = {(u, v) for u, v, _ in G.edges(keys=True) if u != v}
    assert g.n_edges == len(pairs)


def test_saved_area_loads_equal_to_fresh_import(ags_pair):
    """Loading the saved folder gives back exactly the imported area, meta included."""
    pbf, _ = ags_pair
    loaded = load_area(pbf.path)
    assert_same_area(pbf, loaded)
    assert loaded.meta["format_version"] == FORMAT_VERSION
    assert loaded.meta["source_file"] == "aguascalientes_mx.osm.pbf"
    assert loaded.meta["osm_timestamp"].startswith("2026-")
    assert loaded.meta["aidroute_version"] and loaded.meta["built"]


def test_load_by_name_from_areas_dir():
    """An area imported by name is found again by that name in AIDROUTE_HOME."""
    area = import_area(shared_file(AGS_PBF), "ags-by-name")
    assert area.path == paths.areas_dir() / "ags-by-name"
    assert_same_area(area, load_area("ags-by-name"))


def test_osm_file_is_cached_and_second_load_is_fast(ags_pair):
    """Loading an OSM file imports it once; the second load reads the cache."""
    src = shared_file(AGS_PBF)
    first = load_area(src)
    cache = file_cache_dir(src, ("drive",))
    assert (cache / "meta.json").is_file()
    t0 = time.perf_counter()
    second = load_area(src)
    assert time.perf_counter() - t0 < 0.5
    assert second.path == cache
    assert_same_area(first, second)
    assert_same_area(first, ags_pair[0])


def test_damaged_or_foreign_cache_is_rebuilt():
    """A cache with a damaged file or from another aidroute version is rebuilt, not used."""
    src = shared_file(AGS_PBF)
    fresh = load_area(src)
    cache = file_cache_dir(src, ("drive",))
    npz = cache / "roads-drive.npz"
    npz.write_bytes(npz.read_bytes()[: npz.stat().st_size // 2])
    with pytest.raises(AreaError, match="damaged"):
        read_area(cache)
    assert_same_area(fresh, load_area(src))
    meta = json.loads((cache / "meta.json").read_text())
    meta["aidroute_version"] = "0.0.1-old"
    (cache / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(AreaError, match=r"0\.0\.1-old"):
        read_area(cache, check_version=True)
    rebuilt = load_area(src)
    assert rebuilt.meta["aidroute_version"] != "0.0.1-old"
    assert_same_area(fresh, rebuilt)


def test_named_area_from_other_format_version_is_refused(tmp_path, demo):
    """A saved area of another format version raises AreaError saying how to rebuild it."""
    folder = tmp_path / "qv"
    shutil.copytree(demo.path, folder)
    meta = json.loads((folder / "meta.json").read_text())
    meta["format_version"] = FORMAT_VERSION + 1
    (folder / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(AreaError, match=r"format version .* aidroute area import"):
        load_area(folder)


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete", "meta"])
def test_damaged_saved_area_is_refused(tmp_path, demo, damage):
    """Flipped bytes, a truncated or missing file, or broken meta.json: a clear AreaError."""
    folder = tmp_path / "qv"
    shutil.copytree(demo.path, folder)
    target = folder / "addresses.csv.gz"
    if damage == "flip":
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF
        target.write_bytes(bytes(data))
    elif damage == "truncate":
        target.write_bytes(target.read_bytes()[:100])
    elif damage == "delete":
        (folder / "roads-walk.npz").unlink()
    else:
        (folder / "meta.json").write_text("{not json")
    with pytest.raises(AreaError, match="damaged"):
        load_area(folder)


def test_unknown_area_name_says_how_to_import(tmp_path):
    """An unknown name lists where it looked and the import command; a missing file says so."""
    with pytest.raises(AreaError, match=r"aidroute area import .* --name nowhere"):
        load_area("nowhere")
    with pytest.raises(AreaError, match="no such OpenStreetMap file"):
        load_area(tmp_path / "gone.osm.pbf")


def test_bundled_demo_area_loads_without_shared_data(demo):
    """The committed queens-village area loads from data/ alone, with all three profiles."""
    assert demo.path == paths.bundled_data() / "areas" / "queens-village"
    assert set(demo.roads) == {"drive", "bike", "walk"}
    assert 1800 < demo.graph("drive").n_nodes < 2100
    assert len(demo.addresses) > 30_000
    row = demo.addresses[
        (demo.addresses.housenumber == "203-06") & (demo.addresses.street == "109th Avenue")
    ]
    assert len(row) == 1 and row.iloc[0]["postcode"] == "11412"
    assert demo.addresses["city"].map(type).eq(str).all()
    min_lat, min_lon, max_lat, max_lon = demo.bbox
    assert 40.69 < min_lat < max_lat < 40.75 and -73.78 < min_lon < max_lon < -73.71
    assert "OpenStreetMap" in (paths.bundled_data() / "README.md").read_text()
    size = sum(f.stat().st_size for f in demo.path.iterdir())
    assert size < 5_000_000


def test_missing_profile_is_an_area_error(ags_pair):
    """Asking for a profile the area was not imported with names the fix."""
    with pytest.raises(AreaError, match="--profiles"):
        ags_pair[0].graph("bike")


def test_snap_nodes_snap_to_themselves(demo):
    """A node's own position snaps to that node at 0 m; no points gives empty arrays."""
    g: RoadGraph = demo.graph()
    idx, dist = g.snap(np.column_stack((g.lat[:50], g.lon[:50])))
    assert (idx == np.arange(50)).all() and np.allclose(dist, 0, atol=1e-6)
    assert g.snap([])[0].shape == (0,)
    assert g.snap([LatLon(float(g.lat[3]), float(g.lon[3]))])[0][0] == 3


def test_snap_projects_onto_the_nearest_road(demo):
    """A point 20 m beside the middle of a long straight block is 20 m from the road,
    and goes to one of that block's two end nodes, half the block away."""
    g: RoadGraph = demo.graph()
    straight = (g.geom_indptr[1:] == g.geom_indptr[:-1]) & (g.length_m > 200)
    e = int(np.flatnonzero(straight)[0])
    u, v = int(g.edge_source[e]), int(g.indices[e])
    mid_lat, mid_lon = (g.lat[u] + g.lat[v]) / 2, (g.lon[u] + g.lon[v]) / 2
    # unit normal to the block in metres, then 20 m off
    k = np.cos(np.radians(mid_lat))
    dx, dy = (g.lon[v] - g.lon[u]) * k, g.lat[v] - g.lat[u]
    norm = np.hypot(dx, dy)
    off = 20 / 111_195
    p = LatLon(float(mid_lat + dx / norm * off), float(mid_lon - dy / norm * off / k))
    d = g.snap_detail([p])
    assert d["distance_m"][0] == pytest.approx(20, abs=1.0)
    assert int(d["node"][0]) in (u, v)
    assert d["along_m"][0] == pytest.approx(g.length_m[e] / 2, rel=0.03)
    assert d["speed_mps"][0] == pytest.approx(g.length_m[e] / g.travel_time_s[e])


def test_snap_finds_the_nearest_of_all_road_segments(demo):
    """Against a brute-force distance to every road segment, on real addresses."""
    g: RoadGraph = demo.graph()
    pts = demo.addresses[["lat", "lon"]].to_numpy()[::700]
    det = g.snap_detail(pts)
    shapes = [g.edge_shape(e) for e in range(g.n_edges)]
    seg_a = np.concatenate([s[:-1] for s in shapes])
    seg_b = np.concatenate([s[1:] for s in shapes])
    m = np.pi / 180 * 6_371_009
    for (lat, lon), got in zip(pts, det["distance_m"], strict=True):
        k = np.cos(np.radians(lat)) * m
        ax, ay = (seg_a[:, 1] - lon) * k, (seg_a[:, 0] - lat) * m
        bx, by = (seg_b[:, 1] - lon) * k, (seg_b[:, 0] - lat) * m
        dx, dy = bx - ax, by - ay
        t = np.clip(-(ax * dx + ay * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0, 1)
        brute = np.sqrt((ax + t * dx) ** 2 + (ay + t * dy) ** 2).min()
        assert got == pytest.approx(brute, abs=0.05)


@pytest.mark.parametrize("fixture", [AGS_PBF, "osm/west_oakland_ca.osm.bz2"])
def test_numpy_builder_equals_osmnx_pipeline(fixture):
    """The array graph builder gives exactly osmnx's graph (create, simplify, speeds)."""
    from routing.roads.build import road_graph
    from routing.roads.osm import read_osm

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
    from routing.roads.build import road_graph
    from routing.roads.osm import read_osm

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
    from routing.roads.build import road_graph
    from routing.roads.osm import read_osm

    data = read_osm(shared_file(AGS_PBF), ("drive", "bike", "walk"))
    return data, {p: road_graph(data, p) for p in ("drive", "bike", "walk")}


def _points(g: RoadGraph) -> set[tuple[float, float]]:
    """Every node and shape point of a graph."""
    return set(zip(g.lat.tolist(), g.lon.tolist(), strict=True)) | set(
        zip(g.geom_lat.tolist(), g.geom_lon.tolist(), strict=True)
    )


def test_cycleway_is_in_bike_not_in_drive():
    """West Oakland's cycleway is on the bike network and nowhere on the drive network."""
    from routing.roads.build import road_graph
    from routing.roads.osm import read_osm

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
