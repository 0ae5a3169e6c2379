"""Travel times between places over a road graph, and the road shape of a route.

:func:`travel_matrix` snaps every place to its nearest road node (on the graph's largest
strongly connected component), runs an exact many-to-many shortest-path search over the
graph's travel times (a contraction hierarchy, or a compiled Dijkstra on every core, or
scipy's when numba is absent: see :mod:`routing.roads._ch` and :mod:`routing.roads._dijkstra`) and
returns a :class:`~routing.model.TravelMatrix`.

Each place is projected onto the nearest road, and its node is the nearer end of that
road. The leg between the place and its node is counted at both ends of every trip
between two different places: the straight line from the door to the road at
:data:`SNAP_LEG_KPH` (parking and walking up, a bike, a walker), then along the road at
its own speed (:func:`snap_legs`). A place far from any road (more than
:data:`FAR_FROM_ROAD_M`) still gets numbers, but :func:`snap_report` /
:func:`far_from_road` name it so the solver can call it ``unreachable``.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from routing.model import LatLon, TravelMatrix
from routing.roads._scipy import scipy_paths, scipy_rows
from routing.roads.graph import RoadGraph, as_latlon_array

#: Speed of the leg between a place and its nearest road node, km/h, per profile.
SNAP_LEG_KPH = {"drive": 15.0, "bike": 10.0, "walk": 4.5}
#: A place farther than this from every road is reported by :func:`far_from_road`.
FAR_FROM_ROAD_M = 500.0


def snap_report(graph: RoadGraph, places: Mapping[str, LatLon]) -> dict[str, float]:
    """How far, in metres, each place is from the road node it snaps to."""
    keys = list(places)
    _, dist = graph.snap([places[k] for k in keys])
    return {k: float(d) for k, d in zip(keys, dist, strict=True)}


def far_from_road(
    graph: RoadGraph, places: Mapping[str, LatLon], max_m: float = FAR_FROM_ROAD_M
) -> list[str]:
    """Keys of the places more than ``max_m`` metres from any road of ``graph``."""
    return [k for k, d in snap_report(graph, places).items() if d > max_m]


#: Above this many (sources x graph nodes) a matrix uses the contraction hierarchy (the
#: saved one, or built in a few seconds) rather than one Dijkstra per source.
CH_WORTH_IT = 20_000_000
#: The same threshold when the graph already carries its hierarchy (saved with the area).
CH_SAVED_WORTH_IT = 2_000_000
#: Up to this many (sources x graph nodes), scipy's Dijkstra, unless the compiled kernels
#: are loaded already: loading them (numba and its cache, about 0.7 s) costs more than
#: scipy spends on such a search (0.11 s for the demo's 124 places on Queens Village's 1,926
#: nodes, against 0.05 s compiled once loaded).
SCIPY_ENOUGH = 1_000_000


def have_numba() -> bool:
    """Whether numba is installed (without importing it)."""
    return importlib.util.find_spec("numba") is not None


def _scipy_pays(work: int) -> bool:
    """Whether scipy's Dijkstra is the faster way to do ``work`` (sources x nodes) in this
    process: small work, compiled kernels not loaded yet (or no numba)."""
    if not have_numba():
        return True
    return work <= SCIPY_ENOUGH and "routing.roads._dijkstra" not in sys.modules


def node_matrix(
    graph: RoadGraph,
    sources: Any,
    targets: Any,
    *,
    threads: int | None = None,
    use_numba: bool | None = None,
    method: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact fastest travel times (s) between node indices, and those paths' lengths (m).

    ``method``: ``"ch"`` (contraction hierarchy, needs numba; the graph's saved one, or
    built now), ``"dijkstra"`` (one search per source; numba on every core, else scipy),
    or ``None`` to pick: the hierarchy when ``len(sources) x nodes`` exceeds
    :data:`CH_WORTH_IT` (a city-wide plan), else Dijkstra. All give exact times.
    """
    sources = np.asarray(sources, dtype=np.int64).reshape(-1)
    targets = np.asarray(targets, dtype=np.int64).reshape(-1)
    work = len(sources) * graph.n_nodes
    if method is None:
        worth = CH_SAVED_WORTH_IT if graph.ch is not None else CH_WORTH_IT
        method = "ch" if have_numba() and use_numba is not False and work > worth else "dijkstra"
    if method == "dijkstra" and use_numba is None and _scipy_pays(work):
        return _scipy_matrix(graph, sources, targets)
    if method == "ch" and have_numba():
        from routing.roads._ch import many_to_many_ch
        from routing.roads._dijkstra import default_threads

        hierarchy = graph.hierarchy()
        if hierarchy is not None:
            uniq, inv = np.unique(targets, return_inverse=True)
            t, d = many_to_many_ch(hierarchy, sources, uniq, threads or default_threads())
            return t[:, inv], d[:, inv]
    from routing.roads._dijkstra import many_to_many

    return many_to_many(
        graph.indptr,
        graph.indices,
        graph.travel_time_s,
        graph.length_m,
        sources,
        targets,
        threads=threads,
        use_numba=use_numba,
    )


def _scipy_matrix(
    graph: RoadGraph, sources: np.ndarray, targets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    uniq, inv = np.unique(targets, return_inverse=True)
    out_t = np.full((len(sources), len(uniq)), np.inf)
    out_d = np.full((len(sources), len(uniq)), np.inf)
    if len(sources) and len(uniq):
        scipy_rows(
            graph.indptr,
            graph.indices,
            graph.travel_time_s,
            graph.length_m,
            np.ascontiguousarray(sources),
            uniq,
            out_t,
            out_d,
            graph.path_trees(len(sources)),
        )
    return out_t[:, inv], out_d[:, inv]


def snap_legs(graph: RoadGraph, snap: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Time (s) and distance (m) between each place and its road node.

    From the door to the road in a straight line at :data:`SNAP_LEG_KPH`, then along that
    road to its nearer end node at the road's own speed (``snap`` from
    :meth:`RoadGraph.snap_detail`). The same leg is counted leaving and arriving, even
    where the road is one-way (a few dozen metres against the flow, at most half a block).
    """
    off_road_mps = SNAP_LEG_KPH.get(graph.profile, 4.5) / 3.6
    leg_s = snap["distance_m"] / off_road_mps + snap["along_m"] / snap["speed_mps"]
    return leg_s, snap["distance_m"] + snap["along_m"]


def travel_matrix(
    graph: RoadGraph, places: Mapping[str, LatLon], *, threads: int | None = None
) -> TravelMatrix:
    """Travel times (s) and distances (m) between every pair of ``places``.

    Keys keep the mapping's order. ``duration_s[i, j]`` is the fastest road time from
    place ``i`` to place ``j``, plus the snap legs at both ends (``0`` on the diagonal);
    ``distance_m`` is that trip's length. Entries are ``np.inf`` where no road connects
    (never, on one strongly connected graph, but kept for safety). Two places whose road
    leads to the same node are counted as going there and back (no shortcut along the
    street between them), which overestimates such short hops by a few seconds.
    """
    keys = tuple(places)
    if not keys:
        empty = np.zeros((0, 0))
        return TravelMatrix(keys, empty, empty.copy(), graph.profile)
    snap = graph.snap_detail([places[k] for k in keys])
    node = snap["node"]
    leg_s, leg_m = snap_legs(graph, snap)
    uniq, inv = np.unique(node, return_inverse=True)
    t, d = node_matrix(graph, uniq, uniq, threads=threads)
    dur = t[np.ix_(inv, inv)] + leg_s[:, None] + leg_s[None, :]
    dist = d[np.ix_(inv, inv)] + leg_m[:, None] + leg_m[None, :]
    np.fill_diagonal(dur, 0.0)
    np.fill_diagonal(dist, 0.0)
    return TravelMatrix(keys, dur, dist, graph.profile)


def node_path(graph: RoadGraph, source: int, target: int) -> list[int]:
    """Node indices of the fastest path from ``source`` to ``target`` (both included)."""
    return node_paths(graph, [(source, target)])[0]


def node_paths(graph: RoadGraph, legs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Node indices of the fastest path of each ``(source, target)`` leg (both included;
    ``[]`` where no road connects them)."""
    legs = [(int(a), int(b)) for a, b in legs]
    if _scipy_pays(len({a for a, _ in legs}) * graph.n_nodes):
        trees = graph.path_trees(len({a for a, _ in legs}))
        return scipy_paths(graph.indptr, graph.indices, graph.travel_time_s, legs, trees)
    from routing.roads._dijkstra import shortest_path

    return [shortest_path(graph.indptr, graph.indices, graph.travel_time_s, a, b) for a, b in legs]


def route_path(graph: RoadGraph, points: Sequence[LatLon] | Any) -> list[tuple[float, float]]:
    """The road shape through ``points`` in order, as (lat, lon) pairs, for drawing.

    Each leg runs from the point to the road, to its road node, along the fastest roads
    (with each road's own curves) to the next point's node, then back to that point.
    Legs with no road between them are drawn as a straight line.
    """
    pts = as_latlon_array(points)
    if len(pts) == 0:
        return []
    snap = graph.snap_detail(pts)
    node, foot_lat, foot_lon = snap["node"], snap["foot_lat"], snap["foot_lon"]
    out: list[tuple[float, float]] = [(float(pts[0, 0]), float(pts[0, 1]))]

    def add(lat: float, lon: float) -> None:
        if out[-1] != (lat, lon):
            out.append((lat, lon))

    legs = [(int(node[i - 1]), int(node[i])) for i in range(1, len(pts))]
    chains = node_paths(graph, [(a, b) for a, b in legs if a != b])[::-1]
    for i, (a, b) in enumerate(legs, start=1):
        add(float(foot_lat[i - 1]), float(foot_lon[i - 1]))
        add(float(graph.lat[a]), float(graph.lon[a]))
        chain = chains.pop() if a != b else []
        if len(chain) > 1:
            edges = graph.edge_index(chain[:-1], chain[1:])
            for e in edges:
                for lat, lon in graph.edge_shape(int(e))[1:]:
                    add(float(lat), float(lon))
        add(float(graph.lat[b]), float(graph.lon[b]))
        add(float(foot_lat[i]), float(foot_lon[i]))
        add(float(pts[i, 0]), float(pts[i, 1]))
    return out
