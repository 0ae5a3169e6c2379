"""Travel-time matrices and route shapes on the bundled Queens Village area."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from scipy.sparse import csgraph

from routing.geo import haversine_m
from routing.model import LatLon, TravelMatrix
from routing.roads._dijkstra import HAVE_NUMBA
from routing.roads.area import load_area
from routing.roads.graph import GRAPH_ARRAYS, RoadGraph
from routing.roads.matrix import (
    FAR_FROM_ROAD_M,
    SNAP_LEG_KPH,
    far_from_road,
    node_matrix,
    node_path,
    route_path,
    snap_legs,
    snap_report,
    travel_matrix,
)


@pytest.fixture(scope="module")
def area():
    """The bundled demo area (no ../shared needed)."""
    return load_area("queens-village")


@pytest.fixture(scope="module")
def drive(area) -> RoadGraph:
    """The demo area's drive graph."""
    return area.graph("drive")


@pytest.fixture(scope="module")
def places(area) -> dict[str, LatLon]:
    """40 real addresses of the area, keyed like the solver keys stops."""
    rows = area.addresses.sample(40, random_state=7)
    return {f"stop:{i}": LatLon(float(r.lat), float(r.lon)) for i, r in rows.iterrows()}


def test_matrix_agrees_with_networkx_dijkstra(drive, places):
    """Sampled entries equal networkx's Dijkstra time plus the door-to-node legs."""
    m = travel_matrix(drive, places)
    assert isinstance(m, TravelMatrix) and m.keys == tuple(places)
    G = drive.to_networkx()  # noqa: N806
    snap = drive.snap_detail(list(places.values()))
    nodes = snap["node"]
    leg_s, leg_m = snap_legs(drive, snap)
    off_road_s = snap["distance_m"] / (SNAP_LEG_KPH["drive"] / 3.6)
    assert (leg_s >= off_road_s).all()
    rng = np.random.default_rng(3)
    for i, j in rng.integers(0, len(places), size=(25, 2)):
        if i == j:
            continue
        road_s = nx.dijkstra_path_length(G, int(nodes[i]), int(nodes[j]), "travel_time_s")
        assert m.duration_s[i, j] == pytest.approx(road_s + leg_s[i] + leg_s[j], rel=1e-9)
        path = nx.dijkstra_path(G, int(nodes[i]), int(nodes[j]), "travel_time_s")
        road_m = sum(G[a][b]["length_m"] for a, b in itertools.pairwise(path))
        assert m.distance_m[i, j] == pytest.approx(road_m + leg_m[i] + leg_m[j], rel=1e-6)
    assert (np.diag(m.duration_s) == 0).all() and (np.diag(m.distance_m) == 0).all()
    assert np.isfinite(m.duration_s).all()


@pytest.mark.parametrize("use_numba", [True, False])
def test_node_matrix_is_exact_against_scipy(drive, use_numba):
    """Every entry equals scipy's exact single-source Dijkstra, with and without numba."""
    if use_numba and not HAVE_NUMBA:
        pytest.skip("numba not installed")
    rng = np.random.default_rng(11)
    src = rng.choice(drive.n_nodes, 60, replace=False)
    dst = rng.choice(drive.n_nodes, 80, replace=False)
    t, d = node_matrix(drive, src, dst, threads=2, use_numba=use_numba)
    ref = csgraph.dijkstra(drive.csr(), indices=src)[:, dst]
    np.testing.assert_allclose(t, ref, rtol=1e-12)
    # A path's length is at least the straight line between its ends.
    crow = haversine_m(
        drive.lat[src][:, None],
        drive.lon[src][:, None],
        drive.lat[dst][None, :],
        drive.lon[dst][None, :],
    )
    assert (d >= crow - 1e-6).all()


def test_numba_and_scipy_lengths_agree(drive):
    """Both back ends report the same path lengths (same fastest paths)."""
    if not HAVE_NUMBA:
        pytest.skip("numba not installed")
    nodes = np.arange(0, drive.n_nodes, 37)
    _, d1 = node_matrix(drive, nodes, nodes, use_numba=True)
    _, d2 = node_matrix(drive, nodes, nodes, use_numba=False)
    np.testing.assert_allclose(d1, d2, rtol=1e-9)


def test_tiny_graph_by_hand_and_unreachable_pairs():
    """A 3-node street adds up by hand; a one-way dead end gives inf time and distance."""
    g = RoadGraph.from_edges(
        "drive",
        np.array([1, 2, 3]),
        np.zeros(3),
        np.arange(3) * 0.001,
        np.array([0, 1, 1, 2]),
        np.array([1, 0, 2, 1]),
        np.ones(4),
        np.ones(4) * 10,
    )
    assert g.n_nodes == 3
    t, d = node_matrix(g, [0], [2])
    assert t[0, 0] == 2 and d[0, 0] == 20
    from routing.roads._dijkstra import many_to_many

    indptr = np.array([0, 1, 1])  # one edge 0 -> 1, nothing leaves 1
    t, d = many_to_many(
        indptr, np.array([1]), np.ones(1), np.ones(1), np.array([1]), np.array([0, 1])
    )
    assert np.isinf(t[0, 0]) and np.isinf(d[0, 0]) and t[0, 1] == 0


def test_duplicate_places_and_key_order(drive):
    """Keys keep the mapping's order; two places at one spot are 0 s apart."""
    p = LatLon(float(drive.lat[5]), float(drive.lon[5]))
    q = LatLon(float(drive.lat[500]), float(drive.lon[500]))
    m = travel_matrix(drive, {"b": q, "a": p, "a2": p})
    assert m.keys == ("b", "a", "a2")
    assert m.duration("a", "a2") == 0 and m.duration("b", "a") > 0
    assert travel_matrix(drive, {}).duration_s.shape == (0, 0)


def test_snap_report_flags_places_far_from_roads(drive, places):
    """A point 2 km out of the area is reported; real addresses are close to a road."""
    far = LatLon(40.70, -73.80)
    report = snap_report(drive, {**places, "stop:far": far})
    assert report["stop:far"] > FAR_FROM_ROAD_M
    assert max(v for k, v in report.items() if k != "stop:far") < FAR_FROM_ROAD_M
    assert far_from_road(drive, {**places, "stop:far": far}) == ["stop:far"]


def test_route_path_follows_the_roads(drive, places):
    """The drawn path starts and ends at the points and is about as long as the trip."""
    pts = list(places.values())[:4]
    path = route_path(drive, pts)
    assert path[0] == (pts[0].lat, pts[0].lon) and path[-1] == (pts[-1].lat, pts[-1].lon)
    for p in pts:
        assert (p.lat, p.lon) in path
    arr = np.array(path)
    drawn_m = haversine_m(arr[:-1, 0], arr[:-1, 1], arr[1:, 0], arr[1:, 1]).sum()
    m = travel_matrix(drive, dict(zip("abcd", pts, strict=True)))
    trip_m = sum(m.distance_m[i, i + 1] for i in range(3))
    assert drawn_m == pytest.approx(trip_m, rel=0.02)
    assert route_path(drive, []) == []
    assert route_path(drive, pts[:1]) == [(pts[0].lat, pts[0].lon)]


def test_node_path_is_the_fastest_path(drive):
    """node_path's edges add up to the matrix's travel time."""
    path = node_path(drive, 3, 900)
    e = drive.edge_index(path[:-1], path[1:])
    assert (e >= 0).all()
    t, _ = node_matrix(drive, [3], [900])
    assert drive.travel_time_s[e].sum() == pytest.approx(t[0, 0], rel=1e-12)


def test_walk_and_bike_matrices_use_their_own_graphs(area, places):
    """Walking takes longer than driving between the same places; each keeps its profile."""
    walk = travel_matrix(area.graph("walk"), places)
    bike = travel_matrix(area.graph("bike"), places)
    car = travel_matrix(area.graph("drive"), places)
    assert walk.profile == "walk" and bike.profile == "bike"
    off = ~np.eye(len(places), dtype=bool)
    assert (walk.duration_s[off] > bike.duration_s[off]).all()
    assert np.median(bike.duration_s[off] / car.duration_s[off]) > 1.5


@pytest.mark.parametrize("profile", ["drive", "bike", "walk"])
def test_contraction_hierarchy_is_exact_against_scipy(area, profile):
    """The hierarchy's many-to-many times equal scipy's Dijkstra on every profile."""
    if not HAVE_NUMBA:
        pytest.skip("numba not installed")
    g = area.graph(profile)
    assert g.ch is not None, "the bundled area carries its hierarchy"
    rng = np.random.default_rng(5)
    src = rng.choice(g.n_nodes, 40, replace=False)
    dst = rng.choice(g.n_nodes, 300, replace=False)
    t, d = node_matrix(g, src, dst, method="ch", threads=2)
    ref = csgraph.dijkstra(g.csr(), indices=src)[:, dst]
    np.testing.assert_allclose(t, ref, rtol=1e-12)
    _, d_dij = node_matrix(g, src, dst, method="dijkstra")
    np.testing.assert_allclose(d, d_dij, rtol=1e-9)


@pytest.mark.slow  # compiling the contraction takes ~15 s the first time on a machine
def test_hierarchy_built_on_demand_matches_saved_one(drive):
    """A graph without a saved hierarchy builds one that answers the same."""
    if not HAVE_NUMBA:
        pytest.skip("numba not installed")
    bare = RoadGraph(**drive.arrays(), profile="drive")
    assert bare.ch is None
    nodes = np.arange(0, drive.n_nodes, 23)
    t1, _ = node_matrix(bare, nodes, nodes, method="ch")
    assert bare.ch is not None
    t2, _ = node_matrix(drive, nodes, nodes, method="ch")
    np.testing.assert_allclose(t1, t2, rtol=1e-12)


def test_shared_heap_pops_in_key_order():
    """The one heap both kernels use pops in key order, compiled and as plain Python."""
    from routing.roads._heap import heap_pop, heap_push

    keys = np.random.default_rng(3).random(200)
    for push, pop in (
        (heap_push, heap_pop),
        (getattr(heap_push, "py_func", heap_push), getattr(heap_pop, "py_func", heap_pop)),
    ):
        hk, hv = np.empty(len(keys)), np.empty(len(keys), dtype=np.int64)
        size = 0
        for i, k in enumerate(keys):
            size = push(hk, hv, size, k, i)
        out = []
        while size:
            k, v, size = pop(hk, hv, size)
            out.append((k, v))
        assert out == sorted(zip(keys, range(len(keys)), strict=True))


def test_plain_kernels_agree_with_compiled_ones(drive):
    """The kernels' Python source (what runs without numba) gives the compiled answers."""
    if not HAVE_NUMBA:
        pytest.skip("numba not installed")
    from routing.roads import _dijkstra

    src = np.array([0, 5, 9])
    slot = np.full(drive.n_nodes, -1, dtype=np.int64)
    slot[[3, 40, 100]] = np.arange(3)
    args = (
        drive.indptr.astype(np.int64),
        drive.indices.astype(np.int32),
        drive.travel_time_s.astype(np.float64),
        drive.length_m.astype(np.float64),
        src,
        slot,
        3,
    )
    n, cap = drive.n_nodes, len(drive.indices) + 1
    outs = []
    for kernel in (_dijkstra._kernel_py, _dijkstra._kernel):
        t, d = np.full((3, 3), np.inf), np.full((3, 3), np.inf)
        kernel(
            *args,
            t,
            d,
            np.empty(n),
            np.empty(n),
            np.empty(n, dtype=np.bool_),
            np.empty(cap),
            np.empty(cap, dtype=np.int32),
        )
        outs.append((t, d))
    np.testing.assert_array_equal(outs[0][0], outs[1][0])
    np.testing.assert_array_equal(outs[0][1], outs[1][1])


def test_matrix_without_numba_installed():
    """With numba missing, the routing modules import and matrices come from scipy."""
    import json
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['numba'] = None\n"
        "import numpy as np\n"
        "from routing.roads import _ch, _dijkstra, _heap, matrix\n"
        "assert not (_heap.HAVE_NUMBA or _dijkstra.HAVE_NUMBA or _ch.HAVE_NUMBA)\n"
        "from routing.roads.area import load_area\n"
        "g = load_area('queens-village').graph('drive')\n"
        "t, d = matrix.node_matrix(g, [0, 5], [3, 40])\n"
        "import json; print(json.dumps([t.tolist(), d.tolist()]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    t, d = node_matrix(load_area("queens-village").graph("drive"), [0, 5], [3, 40])
    t_plain, d_plain = json.loads(out)
    np.testing.assert_allclose(t_plain, t, rtol=1e-12)
    np.testing.assert_allclose(d_plain, d, rtol=1e-9)


@pytest.mark.slow
def test_kernels_cache_under_aidroute_home_when_the_package_is_read_only(tmp_path):
    """An installed package's folder may be read-only: then the compiled kernels are kept
    under AIDROUTE_HOME, so that a second run loads them instead of compiling again."""
    pytest.importorskip("numba")
    script = """
import os, sys
real = os.access
here = os.path.join(sys.argv[1], "routing", "roads")
os.access = lambda p, m, **k: False if str(p).startswith(here) else real(p, m, **k)
import numpy as np
from routing.roads._dijkstra import many_to_many
indptr, indices = np.array([0, 1, 2, 2]), np.array([1, 2])
t, _ = many_to_many(indptr, indices, np.array([1.0, 2.0]), np.array([10.0, 20.0]),
                    np.array([0]), np.array([2]))
assert t[0, 0] == 3.0, t
print(os.environ["NUMBA_CACHE_DIR"])
"""
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "AIDROUTE_HOME": str(tmp_path), "PYTHONPATH": str(root)}
    env.pop("NUMBA_CACHE_DIR", None)
    run = subprocess.run(
        [sys.executable, "-c", script, str(root)], capture_output=True, text=True, env=env
    )
    assert run.returncode == 0, run.stderr
    assert Path(run.stdout.strip()) == tmp_path / "numba"
    assert list((tmp_path / "numba").rglob("*.nbi")), "no kernel was cached there"


def test_paths_from_scipy_equal_the_compiled_kernels(drive):
    """A route's legs drawn with scipy's Dijkstra (small work) follow the same roads as the
    compiled search (large work, or once its kernels are loaded)."""
    from routing.roads._dijkstra import shortest_path
    from routing.roads._scipy import scipy_paths

    rng = np.random.default_rng(11)
    legs = [(int(a), int(b)) for a, b in rng.integers(0, drive.n_nodes, size=(30, 2))]
    legs.append((legs[0][0], legs[0][0]))
    ours = scipy_paths(drive.indptr, drive.indices, drive.travel_time_s, legs)
    for (a, b), path in zip(legs, ours, strict=True):
        compiled = shortest_path(drive.indptr, drive.indices, drive.travel_time_s, a, b)
        assert path[0] == a and path[-1] == b
        t = drive.travel_time_s[drive.edge_index(path[:-1], path[1:])].sum()
        t_compiled = drive.travel_time_s[drive.edge_index(compiled[:-1], compiled[1:])].sum()
        assert t == pytest.approx(t_compiled, rel=1e-12)


def test_a_neighbourhood_week_plans_without_loading_the_compiled_kernels(places):
    """A week of a hundred places on a neighbourhood's graph: the matrix and the route
    shapes come from scipy, in a process that never imports numba (loading it costs more
    than such a search), and equal the compiled kernels' numbers."""
    import json

    code = (
        "import sys, json\n"
        "from routing.model import LatLon\n"
        "from routing.roads.area import load_area\n"
        "from routing.roads.matrix import travel_matrix, route_path\n"
        "g = load_area('queens-village').graph('drive')\n"
        "places = {k: LatLon(*v) for k, v in json.loads(sys.argv[1]).items()}\n"
        "m = travel_matrix(g, places)\n"
        "shape = route_path(g, list(places.values())[:8])\n"
        "print(json.dumps(['numba' in sys.modules, m.duration_s.tolist(), len(shape)]))\n"
    )
    arg = json.dumps({k: [p.lat, p.lon] for k, p in places.items()})
    out = subprocess.run(
        [sys.executable, "-c", code, arg], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    loaded, duration, n_points = json.loads(out)
    assert loaded is False
    if HAVE_NUMBA:
        g = load_area("queens-village").graph("drive")
        here = travel_matrix(g, places)  # compiled: this module has loaded the kernels
        np.testing.assert_allclose(duration, here.duration_s, rtol=1e-12)
        assert n_points == len(route_path(g, list(places.values())[:8]))


def _bare(graph: RoadGraph) -> RoadGraph:
    """The same roads in a graph that has kept nothing yet."""
    return RoadGraph(profile=graph.profile, **{a: getattr(graph, a) for a in GRAPH_ARRAYS})


def test_a_week_is_snapped_and_searched_once(monkeypatch, drive, places):
    """A week's places are snapped once, and its routes drawn from the matrix's own fastest
    path trees (in a process without the compiled kernels, as the command plans a small
    week): snapping again, or drawing, searches nothing new, and gives what a graph that
    kept nothing gives."""
    monkeypatch.delitem(sys.modules, "routing.roads._dijkstra", raising=False)
    kept, fresh = _bare(drive), _bare(drive)
    searches: list[int] = []
    real = csgraph.dijkstra
    monkeypatch.setattr(csgraph, "dijkstra", lambda *a, **k: searches.append(1) or real(*a, **k))
    keys = list(places)[:12]
    week = {k: places[k] for k in keys}
    matrix = travel_matrix(kept, week)
    assert len(searches) == 1
    order = [week[k] for k in reversed(keys)]
    drawn = route_path(kept, order)
    again = kept.snap_detail(order)
    assert len(searches) == 1  # the route came from the matrix's searches
    monkeypatch.setattr(csgraph, "dijkstra", real)
    assert drawn == route_path(fresh, order)
    for name, column in fresh.snap_detail(order).items():
        assert np.array_equal(again[name], column), name
    assert np.array_equal(matrix.duration_s, travel_matrix(fresh, week).duration_s)
    # A batch of new and kept points snaps as a graph that kept nothing snaps it.
    mixed = [*order[:3], LatLon(40.7201, -73.7402), *order[3:5]]
    for name, column in _bare(drive).snap_detail(mixed).items():
        assert np.array_equal(kept.snap_detail(mixed)[name], column), name


def test_kept_path_trees_stay_within_their_bound(monkeypatch, drive, places):
    """A graph keeps its searches' fastest-path trees only up to ``PATH_TREES_MAX`` entries
    (a week without numba on a city's graph would otherwise keep gigabytes): a search from
    more sources keeps none, and older trees make room for newer ones."""
    import routing.roads.graph as graph_module

    monkeypatch.delitem(sys.modules, "routing.roads._dijkstra", raising=False)
    graph = _bare(drive)
    monkeypatch.setattr(graph_module, "PATH_TREES_MAX", 10 * graph.n_nodes)
    week = dict(list(places.items())[:12])
    travel_matrix(graph, week)  # 12 sources: more than 10 trees
    assert graph.__dict__.get("_path_trees", {}) == {}
    travel_matrix(graph, dict(list(places.items())[:8]))
    assert len(graph.__dict__["_path_trees"]) == 8
    travel_matrix(graph, dict(list(places.items())[20:25]))
    assert 5 <= len(graph.__dict__["_path_trees"]) <= 10
