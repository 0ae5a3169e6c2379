"""Road graphs: built from edges, one strongly connected component, snapping; Area.graph."""

from __future__ import annotations

import numpy as np
import pytest

from routing.errors import AreaError
from routing.model import LatLon
from routing.roads.graph import (
    SNAP_PAIRS_MAX,
    RoadGraph,
    _unit_xyz,
    nearest_first,
    nearest_samples,
)


def test_graph_is_one_strongly_connected_component(ags_pair):
    """Only the largest strongly connected component is kept: every node reaches every other."""
    from scipy.sparse import csgraph

    g = ags_pair[0].graph()
    n, _ = csgraph.connected_components(g.csr(), directed=True, connection="strong")
    assert n == 1
    assert g.indptr[-1] == g.n_edges and len(g.travel_time_s) == g.n_edges
    assert (g.travel_time_s > 0).all() and (g.length_m > 0).all()


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


def test_a_few_points_snap_as_many_do(demo, ags_pair):
    """A neighbourhood's week compares every (point, road sample) pair; many points ask a
    KD-tree: the same roads, nodes and distances either way, in two real areas."""
    for area in (demo, ags_pair[0]):
        g = RoadGraph("drive", **area.graph().arrays())
        pts = area.addresses[["lat", "lon"]].to_numpy()
        rng = np.random.default_rng(7)
        pts = pts[rng.choice(len(pts), size=min(len(pts), 2500), replace=False)]
        # Off the roads too: a point in a park, at the area's edge.
        pts = np.vstack((pts, [[pts[:, 0].min() - 0.003, pts[:, 1].max() + 0.003]]))
        few = [g.snap_detail(pts[i : i + 50]) for i in range(0, len(pts), 50)]
        assert "_road_tree" not in g.__dict__  # pairs compared, no tree built
        many = RoadGraph("drive", **area.graph().arrays())
        once = many.snap_detail(pts)
        assert len(pts) * len(g._road_index[1]) <= SNAP_PAIRS_MAX or "_road_tree" in many.__dict__
        many.__dict__["_road_tree"] = g._road_tree  # a built tree is used for any number
        once = many.snap_detail(pts)
        for key, value in once.items():
            assert np.array_equal(np.concatenate([d[key] for d in few]), value), key


def test_nearest_samples_are_the_kd_trees():
    """Comparing every pair finds the k nearest samples a KD-tree finds."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(1)
    samples = _unit_xyz(rng.uniform(40.70, 40.74, 5000), rng.uniform(-73.76, -73.72, 5000))
    points = _unit_xyz(rng.uniform(40.70, 40.74, 300), rng.uniform(-73.76, -73.72, 300))
    mine = nearest_first(points, samples, nearest_samples(points, samples, 8))
    dist, tree = cKDTree(samples).query(points, k=8)
    assert np.array_equal(mine, nearest_first(points, samples, tree))
    got = np.linalg.norm(samples[mine] - points[:, None, :], axis=2)
    assert np.allclose(got, dist, rtol=0, atol=1e-12)


def test_from_edges_by_hand():
    """Nodes ordered by OSM id; self-loops dropped; of parallel edges the fastest kept; a
    node that cannot get back (one-way dead end) left out with its edges."""
    g = RoadGraph.from_edges(
        "drive",
        node_id=np.array([30, 10, 20, 40]),
        lat=np.array([0.3, 0.1, 0.2, 0.4]),
        lon=np.zeros(4),
        u=np.array([0, 1, 1, 2, 1, 0, 2]),
        v=np.array([1, 0, 2, 1, 2, 0, 3]),
        travel_time_s=np.array([5.0, 5.0, 3.0, 3.0, 2.0, 1.0, 1.0]),
        length_m=np.array([50.0, 50.0, 30.0, 30.0, 40.0, 0.0, 10.0]),
    )
    assert g.node_id.tolist() == [10, 20, 30] and g.lat.tolist() == [0.1, 0.2, 0.3]
    assert g.n_edges == 4
    pairs = list(zip(g.edge_source.tolist(), g.indices.tolist(), strict=True))
    assert pairs == [(0, 1), (0, 2), (1, 0), (2, 0)]
    e = int(g.edge_index(0, 1))
    assert (g.travel_time_s[e], g.length_m[e]) == (2.0, 40.0)
    assert int(g.edge_index(1, 2)) == -1
    assert g.edge_shape(e).tolist() == [[0.1, 0.0], [0.2, 0.0]]
