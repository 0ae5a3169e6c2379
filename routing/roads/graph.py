"""Road graphs as arrays, and the area that holds them: the in-memory types of a place.

A :class:`RoadGraph` is one travel profile's road network in CSR form, with each road's
shape, a snapping index (points onto the nearest road) and, once built, a contraction
hierarchy for fast matrices. An :class:`Area` is a place's road graphs, one per profile,
and its address table. Both are plain data: reading OSM files is in
:mod:`routing.roads.build`, saving and reading area folders in :mod:`routing.roads.cache`,
finding an area by name in :mod:`routing.roads.area`.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.sparse import csgraph, csr_matrix

from routing.errors import AreaError
from routing.geo import EARTH_RADIUS_M, haversine_m
from routing.model import LatLon
from routing.roads.streets import Streets

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeAlias

    import pandas as pd

    #: A table of an area, or a function that reads it (see :class:`Area`).
    TableSource: TypeAlias = pd.DataFrame | Callable[[], pd.DataFrame] | None

#: Spacing of the points sampled along roads for snapping, metres.
SNAP_SAMPLE_M = 25.0
#: Sampled road points examined per snapped point.
SNAP_CANDIDATES = 8
#: Up to this many (point, road sample) pairs, snapping compares every pair rather than
#: asking a KD-tree: importing ``scipy.spatial`` alone takes 0.35 s, while a
#: neighbourhood's week (125 places, 17,500 samples) compares its pairs in 0.02 s.
SNAP_PAIRS_MAX = 2e7

#: A graph keeps where it snapped points (the same places are snapped to check them, for
#: the matrix and again to draw the routes) up to this many, then starts afresh; batches
#: larger than this are snapped without it.
SNAP_KEPT_MAX = 20_000
#: A graph keeps the fastest-path trees of its scipy searches (one predecessor per node and
#: source: the matrix's searches draw the routes too) up to this many entries in all.
PATH_TREES_MAX = 4_000_000

#: The arrays a :class:`RoadGraph` is made of, as an area folder saves them.
GRAPH_ARRAYS = (
    "node_id",
    "lat",
    "lon",
    "indptr",
    "indices",
    "travel_time_s",
    "length_m",
    "geom_indptr",
    "geom_lat",
    "geom_lon",
)


#: What :meth:`RoadGraph.snap_detail` returns for each point.
_SNAP_FIELDS = ("node", "distance_m", "along_m", "speed_mps", "foot_lat", "foot_lon")


def _unit_xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


def nearest_samples(points_xyz: np.ndarray, samples_xyz: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` samples nearest each point (``k <= len(samples_xyz)``), in no
    order, by comparing every pair: what a KD-tree's query finds (both are unit vectors, so
    the nearest have the largest dot products)."""
    n = len(points_xyz)
    out = np.empty((n, k), dtype=np.int64)
    rows = max(1, int(2e6 // max(1, len(samples_xyz))))  # about 16 MB at a time
    for lo in range(0, n, rows):
        dot = points_xyz[lo : lo + rows] @ samples_xyz.T
        out[lo : lo + rows] = np.argpartition(-dot, k - 1, axis=1)[:, :k]
    return out


def nearest_first(points_xyz: np.ndarray, samples_xyz: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """Each point's candidate samples, nearest first, equally near ones by index: the
    same order however they were found."""
    dot = np.einsum("nkj,nj->nk", samples_xyz[cand], points_xyz)
    return np.take_along_axis(cand, np.lexsort((cand, -dot)), axis=1)


def as_latlon_array(points: Any) -> np.ndarray:
    """``LatLon`` sequence or ``(n, 2)`` array of (lat, lon) -> float ``(n, 2)`` array."""
    if isinstance(points, np.ndarray):
        arr = points.astype(float, copy=False)
    else:
        pts = list(points)
        if pts and isinstance(pts[0], LatLon):
            arr = np.array([(p.lat, p.lon) for p in pts], dtype=float)
        else:
            arr = np.asarray(pts, dtype=float)
    return arr.reshape(-1, 2)


@dataclass(eq=False)
class RoadGraph:
    """One travel profile's road network as arrays: a directed graph in CSR form.

    Node ``i`` is OSM node ``node_id[i]`` at (``lat[i]``, ``lon[i]``). The edges leaving
    node ``i`` are ``indptr[i]:indptr[i+1]``; edge ``e`` goes to node ``indices[e]``, takes
    ``travel_time_s[e]`` seconds and is ``length_m[e]`` metres long. Where OSM has several
    ways between two nodes the fastest is kept. The road's shape between its end nodes is
    ``geom_lat/geom_lon[geom_indptr[e]:geom_indptr[e+1]]`` (interior points only).
    Only the largest strongly connected component is kept, so every node reaches every
    other one.
    """

    profile: str
    node_id: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    travel_time_s: np.ndarray
    length_m: np.ndarray
    geom_indptr: np.ndarray
    geom_lat: np.ndarray
    geom_lon: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)
    #: Contraction hierarchy for fast many-to-many matrices (see :meth:`hierarchy`), or the
    #: saved one's arrays (``ch_*``) until it is first used: loading it loads numba.
    ch: Any = None

    @property
    def n_nodes(self) -> int:
        return int(self.node_id.shape[0])

    @property
    def n_edges(self) -> int:
        return int(self.indices.shape[0])

    def __repr__(self) -> str:
        return f"RoadGraph({self.profile!r}, {self.n_nodes:,} nodes, {self.n_edges:,} edges)"

    # --- views -------------------------------------------------------------------------

    @cached_property
    def edge_source(self) -> np.ndarray:
        """Tail node of each edge (the row of the CSR entry)."""
        return np.repeat(np.arange(self.n_nodes, dtype=np.int32), np.diff(self.indptr))

    def csr(self, weight: str = "travel_time_s") -> csr_matrix:
        """The graph as a scipy CSR matrix weighted by ``travel_time_s`` or ``length_m``."""
        cache = self.__dict__.setdefault("_csr", {})
        if weight not in cache:
            data = getattr(self, weight)
            cache[weight] = csr_matrix(
                (data, self.indices, self.indptr), shape=(self.n_nodes, self.n_nodes)
            )
        return cache[weight]

    def edge_index(self, u: Any, v: Any) -> np.ndarray:
        """Index of the edge ``u -> v`` for node index arrays ``u``, ``v`` (-1 if none)."""
        u = np.asarray(u, dtype=np.int64)
        v = np.asarray(v, dtype=np.int64)
        keys = self._edge_keys
        want = u * self.n_nodes + v
        pos = np.searchsorted(keys, want)
        pos = np.minimum(pos, len(keys) - 1)
        return np.where(keys[pos] == want, pos, -1)

    @cached_property
    def _edge_keys(self) -> np.ndarray:
        # CSR rows are sorted by tail then head, so these keys are sorted too.
        return self.edge_source.astype(np.int64) * self.n_nodes + self.indices

    def hierarchy(self) -> Any:
        """The graph's contraction hierarchy (:class:`routing.roads._ch.Hierarchy`), built on
        first use (a few seconds for a city; imports save it with the area). ``None``
        when numba is not installed."""
        if isinstance(self.ch, dict):
            from routing.roads._ch import Hierarchy

            self.ch = Hierarchy.from_arrays(self.ch)
        if self.ch is None:
            from routing.roads._ch import build_hierarchy

            try:
                self.ch = build_hierarchy(
                    self.indptr, self.indices, self.travel_time_s, self.length_m
                )
            except ImportError:  # numba missing: plain Dijkstra it is
                return None
        return self.ch

    @cached_property
    def _road_index(self) -> Any:
        """Points sampled every :data:`SNAP_SAMPLE_M` along every road.

        Returns (the samples as unit vectors, segment of each sample, segment arrays).
        Each segment is one straight piece of an edge's shape: its ends, its edge, and how
        far along the edge it starts. A street that is two-way is indexed once.
        """
        src, dst = self.edge_source.astype(np.int64), self.indices.astype(np.int64)
        rev = self.edge_index(dst, src)
        edges = np.flatnonzero((src < dst) | (rev < 0))
        glen = (self.geom_indptr[edges + 1] - self.geom_indptr[edges]).astype(np.int64)
        nv = glen + 2
        vptr = np.zeros(len(edges) + 1, dtype=np.int64)
        np.cumsum(nv, out=vptr[1:])
        vlat = np.empty(vptr[-1])
        vlon = np.empty(vptr[-1])
        vlat[vptr[:-1]], vlon[vptr[:-1]] = self.lat[src[edges]], self.lon[src[edges]]
        vlat[vptr[1:] - 1], vlon[vptr[1:] - 1] = self.lat[dst[edges]], self.lon[dst[edges]]
        inner = np.repeat(vptr[:-1] + 1, glen) + (
            np.arange(glen.sum()) - np.repeat(np.cumsum(glen) - glen, glen)
        )
        take = np.repeat(self.geom_indptr[edges], glen) + (
            np.arange(glen.sum()) - np.repeat(np.cumsum(glen) - glen, glen)
        )
        vlat[inner], vlon[inner] = self.geom_lat[take], self.geom_lon[take]
        # segments: every vertex but the last of its edge starts one
        is_last = np.zeros(vptr[-1], dtype=bool)
        is_last[vptr[1:] - 1] = True
        a = np.flatnonzero(~is_last)
        seg_edge = np.repeat(edges, nv - 1)
        seg_len = haversine_m(vlat[a], vlon[a], vlat[a + 1], vlon[a + 1])
        # distance from the edge's start to each segment's start
        csum = np.cumsum(seg_len)
        first_seg = np.repeat(np.cumsum(nv - 1) - (nv - 1), nv - 1)
        seg_off = csum - seg_len - np.concatenate(([0.0], csum))[first_seg]
        samples = np.maximum(1, np.ceil(seg_len / SNAP_SAMPLE_M)).astype(np.int64)
        sample_seg = np.repeat(np.arange(len(a)), samples)
        k = np.arange(samples.sum()) - np.repeat(np.cumsum(samples) - samples, samples)
        t = k / samples[sample_seg]
        s_lat = vlat[a][sample_seg] + t * (vlat[a + 1] - vlat[a])[sample_seg]
        s_lon = vlon[a][sample_seg] + t * (vlon[a + 1] - vlon[a])[sample_seg]
        segs = {
            "lat0": vlat[a],
            "lon0": vlon[a],
            "lat1": vlat[a + 1],
            "lon1": vlon[a + 1],
            "edge": seg_edge,
            "off": seg_off,
            "len": seg_len,
        }
        return _unit_xyz(s_lat, s_lon), sample_seg, segs

    @cached_property
    def _road_tree(self) -> Any:
        """The road samples in a KD-tree, for snapping many points at once."""
        from scipy.spatial import cKDTree

        # unbalanced, non-compact: builds about twice as fast, queries as fast here
        return cKDTree(self._road_index[0], balanced_tree=False, compact_nodes=False)

    def prepare(self) -> RoadGraph:
        """Build the snapping index now rather than on the first :meth:`snap`."""
        _ = self._road_index
        return self

    def snap_detail(self, points: Any) -> dict[str, np.ndarray]:
        """Where each point meets the road network.

        Returns arrays: ``node`` (the nearer end node of the nearest road, the one
        routes start and end at), ``distance_m`` (straight line from the point to the
        road), ``along_m`` (along the road from there to ``node``), ``speed_mps`` (that
        road's speed), and ``foot_lat``/``foot_lon`` (the point on the road).

        A point snapped before (up to :data:`SNAP_KEPT_MAX` of them) is not snapped again:
        a week's places are snapped to check them, for the matrix and to draw its routes.
        """
        pts = as_latlon_array(points)
        if not 0 < len(pts) <= SNAP_KEPT_MAX:
            return self._snap_now(pts)
        kept: dict[tuple[float, float], np.ndarray] = self.__dict__.setdefault("_snapped", {})
        keys = [(lat, lon) for lat, lon in pts.tolist()]
        new = [k for k in dict.fromkeys(keys) if k not in kept]
        if new:
            if len(kept) + len(new) > SNAP_KEPT_MAX:
                kept.clear()
            fresh = self._snap_now(np.array(new, dtype=float))
            table = np.column_stack([fresh[f] for f in _SNAP_FIELDS]).astype(float)
            kept.update(zip(new, table, strict=True))
        # Read each once: another thread may clear the kept ones meanwhile.
        got = [kept.get(k) for k in keys]
        rows = [row for row in got if row is not None]
        if len(rows) < len(keys):
            return self._snap_now(pts)
        table = np.vstack(rows)
        out = {f: table[:, i].copy() for i, f in enumerate(_SNAP_FIELDS)}
        out["node"] = out["node"].astype(np.int64)
        return out

    def _snap_now(self, pts: np.ndarray) -> dict[str, np.ndarray]:
        """:meth:`snap_detail` without the points kept."""
        n = len(pts)
        if n == 0:
            z = np.zeros(0)
            return {
                "node": np.zeros(0, dtype=np.int64),
                "distance_m": z,
                "along_m": z,
                "speed_mps": z,
                "foot_lat": z,
                "foot_lon": z,
            }
        xyz, sample_seg, segs = self._road_index
        k = min(SNAP_CANDIDATES, len(sample_seg))
        query = _unit_xyz(pts[:, 0], pts[:, 1])
        if n * len(sample_seg) <= SNAP_PAIRS_MAX and "_road_tree" not in self.__dict__:
            near = nearest_samples(query, xyz, k)
        else:  # many points, or the tree is built already (a server's graph)
            near = np.asarray(self._road_tree.query(query, k=k)[1]).reshape(n, k)
        # Of roads equally near, the same one whichever way they were found.
        cand = sample_seg[nearest_first(query, xyz, near)]
        # project onto each candidate segment in a local plane (metres)
        cos = np.cos(np.radians(pts[:, 0]))[:, None]
        m_per_deg = np.pi / 180 * EARTH_RADIUS_M
        ax = (segs["lon0"][cand] - pts[:, 1:2]) * cos * m_per_deg
        ay = (segs["lat0"][cand] - pts[:, 0:1]) * m_per_deg
        bx = (segs["lon1"][cand] - pts[:, 1:2]) * cos * m_per_deg
        by = (segs["lat1"][cand] - pts[:, 0:1]) * m_per_deg
        dx, dy = bx - ax, by - ay
        dd = dx * dx + dy * dy
        t = np.clip(-(ax * dx + ay * dy) / np.where(dd > 0, dd, 1), 0, 1)
        px, py = ax + t * dx, ay + t * dy
        best = np.argmin(px * px + py * py, axis=1)
        rows = np.arange(n)
        seg = cand[rows, best]
        tb = t[rows, best]
        foot_lat = segs["lat0"][seg] + tb * (segs["lat1"][seg] - segs["lat0"][seg])
        foot_lon = segs["lon0"][seg] + tb * (segs["lon1"][seg] - segs["lon0"][seg])
        dist = haversine_m(pts[:, 0], pts[:, 1], foot_lat, foot_lon)
        edge = segs["edge"][seg]
        from_u = np.clip(segs["off"][seg] + tb * segs["len"][seg], 0, self.length_m[edge])
        to_v = np.maximum(self.length_m[edge] - from_u, 0)
        use_u = from_u <= to_v
        node = np.where(use_u, self.edge_source[edge], self.indices[edge]).astype(np.int64)
        along = np.where(use_u, from_u, to_v)
        speed = self.length_m[edge] / np.where(
            self.travel_time_s[edge] > 0, self.travel_time_s[edge], np.inf
        )
        speed = np.where(speed > 0, speed, 1.0)
        return {
            "node": node,
            "distance_m": dist,
            "along_m": along,
            "speed_mps": speed,
            "foot_lat": foot_lat,
            "foot_lon": foot_lon,
        }

    def path_trees(self, sources: int) -> dict[int, np.ndarray] | None:
        """Where to keep the fastest-path trees (each node's predecessor, by source node) of
        a scipy search from ``sources`` sources, with those of the searches before: the
        routes of a plan are drawn from its matrix's searches. At most
        :data:`PATH_TREES_MAX` entries are kept (older trees are dropped to make room);
        ``None`` when the search's own trees would be more."""
        if sources * self.n_nodes > PATH_TREES_MAX:
            return None
        trees: dict[int, np.ndarray] = self.__dict__.setdefault("_path_trees", {})
        if (len(trees) + sources) * self.n_nodes > PATH_TREES_MAX:
            trees.clear()
        return trees

    def snap(self, points: Any) -> tuple[np.ndarray, np.ndarray]:
        """Road node of each point, and how far the point is from the road, in metres.

        ``points`` is a sequence of :class:`~routing.model.LatLon` or an ``(n, 2)`` array
        of (lat, lon). The point is projected onto the nearest road; its node is the
        nearer end of that road (see :meth:`snap_detail`). Every node is on the largest
        strongly connected component, so any two snapped points are connected.
        """
        d = self.snap_detail(points)
        return d["node"], d["distance_m"]

    def to_networkx(self) -> Any:
        """A ``networkx.DiGraph`` of the same graph (node = index), for tests and tinkering."""
        import networkx as nx

        graph_nx = nx.DiGraph()
        graph_nx.add_nodes_from(range(self.n_nodes))
        src = self.edge_source
        graph_nx.add_edges_from(
            (int(u), int(v), {"travel_time_s": float(t), "length_m": float(d)})
            for u, v, t, d in zip(src, self.indices, self.travel_time_s, self.length_m, strict=True)
        )
        return graph_nx

    def arrays(self, *, with_hierarchy: bool = False) -> dict[str, np.ndarray]:
        """The arrays saved for this graph (plus ``ch_*`` ones for its hierarchy)."""
        out = {name: getattr(self, name) for name in GRAPH_ARRAYS}
        if with_hierarchy and self.hierarchy() is not None:
            out.update(self.hierarchy().arrays())
        return out

    def same_as(self, other: RoadGraph, rtol: float = 1e-12) -> bool:
        """Whether two graphs have the same nodes, edges, times, lengths and shapes."""
        if self.profile != other.profile:
            return False
        for name in GRAPH_ARRAYS:
            a, b = getattr(self, name), getattr(other, name)
            if a.shape != b.shape:
                return False
            if a.dtype.kind == "f":
                if not np.allclose(a, b, rtol=rtol, atol=0):
                    return False
            elif not np.array_equal(a, b):
                return False
        return True

    # --- building ------------------------------------------------------------------------

    @classmethod
    def from_edges(
        cls,
        profile: str,
        node_id: np.ndarray,
        lat: np.ndarray,
        lon: np.ndarray,
        u: np.ndarray,
        v: np.ndarray,
        travel_time_s: np.ndarray,
        length_m: np.ndarray,
        geoms: Sequence[np.ndarray] | tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> RoadGraph:
        """Build from an edge list over node indices; keeps the largest SCC.

        ``geoms[k]`` is the ``(m, 2)`` (lat, lon) interior shape of edge ``k`` (may be
        empty), or ``geoms`` is already flat: ``(indptr, lat, lon)`` like ``geom_*``.
        Self-loops are dropped; of parallel edges the fastest is kept (then the shortest).
        Nodes are ordered by OSM id.
        """
        node_id = np.asarray(node_id, dtype=np.int64)
        u = np.asarray(u, dtype=np.int64)
        v = np.asarray(v, dtype=np.int64)
        tt = np.asarray(travel_time_s, dtype=float)
        ln = np.asarray(length_m, dtype=float)
        n = len(node_id)
        keep = u != v
        # Largest strongly connected component.
        adj = csr_matrix((np.ones(int(keep.sum())), (u[keep], v[keep])), shape=(n, n))
        ncomp, labels = csgraph.connected_components(adj, directed=True, connection="strong")
        if ncomp > 1:
            sizes = np.bincount(labels)
            # Ties between equal components: the one holding the smallest OSM id.
            big = np.flatnonzero(sizes == sizes.max())
            best = min(big, key=lambda c: node_id[labels == c].min())
            in_big = labels == best
        else:
            in_big = np.ones(n, dtype=bool)
        keep &= in_big[u] & in_big[v]
        order_nodes = np.flatnonzero(in_big)
        order_nodes = order_nodes[np.argsort(node_id[order_nodes], kind="stable")]
        new_index = np.full(n, -1, dtype=np.int64)
        new_index[order_nodes] = np.arange(len(order_nodes))
        ek = np.flatnonzero(keep)
        nu, nv = new_index[u[ek]], new_index[v[ek]]
        # Sort by (tail, head, time, length) and keep the first of each (tail, head).
        order = np.lexsort((ln[ek], tt[ek], nv, nu))
        ek, nu, nv = ek[order], nu[order], nv[order]
        first = np.ones(len(ek), dtype=bool)
        first[1:] = (nu[1:] != nu[:-1]) | (nv[1:] != nv[:-1])
        ek, nu, nv = ek[first], nu[first], nv[first]
        m = len(order_nodes)
        indptr = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(np.bincount(nu, minlength=m), out=indptr[1:])
        if geoms is None:
            gptr = np.zeros(len(u) + 1, dtype=np.int64)
            glat_all = glon_all = np.zeros(0)
        elif isinstance(geoms, tuple) and len(geoms) == 3 and len(geoms[0]) == len(u) + 1:
            gptr, glat_all, glon_all = (np.asarray(a) for a in geoms)
        else:
            parts = [np.asarray(g, dtype=float).reshape(-1, 2) for g in geoms]
            gptr = np.zeros(len(parts) + 1, dtype=np.int64)
            np.cumsum([len(p) for p in parts], out=gptr[1:])
            flat = np.concatenate(parts) if parts else np.zeros((0, 2))
            glat_all, glon_all = flat[:, 0], flat[:, 1]
        glen = gptr[ek + 1] - gptr[ek]
        geom_indptr = np.zeros(len(ek) + 1, dtype=np.int64)
        np.cumsum(glen, out=geom_indptr[1:])
        take = np.repeat(gptr[ek] - geom_indptr[:-1], glen) + np.arange(geom_indptr[-1])
        glat = np.asarray(glat_all, dtype=float)[take]
        glon = np.asarray(glon_all, dtype=float)[take]
        return cls(
            profile=profile,
            node_id=node_id[order_nodes],
            lat=np.asarray(lat, dtype=float)[order_nodes],
            lon=np.asarray(lon, dtype=float)[order_nodes],
            indptr=indptr,
            indices=nv.astype(np.int32),
            travel_time_s=tt[ek],
            length_m=ln[ek],
            geom_indptr=geom_indptr,
            geom_lat=glat,
            geom_lon=glon,
            meta=dict(meta or {}),
        )

    @classmethod
    def from_osmnx(cls, graph_nx: Any, profile: str = "drive") -> RoadGraph:
        """Convert an osmnx graph with ``travel_time`` and ``length`` edge attributes."""
        nodes = sorted(graph_nx.nodes)
        pos = {n: i for i, n in enumerate(nodes)}
        lat = np.array([graph_nx.nodes[n]["y"] for n in nodes], dtype=float)
        lon = np.array([graph_nx.nodes[n]["x"] for n in nodes], dtype=float)
        u, v, tt, ln, geoms = [], [], [], [], []
        empty = np.zeros((0, 2))
        for a, b, data in graph_nx.edges(data=True):
            u.append(pos[a])
            v.append(pos[b])
            tt.append(data["travel_time"])
            ln.append(data["length"])
            geom = data.get("geometry")
            if geom is None:
                geoms.append(empty)
            else:
                xy = np.asarray(geom.coords, dtype=float)[1:-1]
                geoms.append(xy[:, ::-1])
        return cls.from_edges(
            profile,
            np.array(nodes, dtype=np.int64),
            lat,
            lon,
            np.array(u),
            np.array(v),
            np.array(tt),
            np.array(ln),
            geoms,
        )

    def edge_shape(self, e: int) -> np.ndarray:
        """``(m, 2)`` (lat, lon) of edge ``e`` from its tail to its head, ends included."""
        a, b = self.geom_indptr[e], self.geom_indptr[e + 1]
        s, t = self.edge_source[e], self.indices[e]
        inner = np.column_stack((self.geom_lat[a:b], self.geom_lon[a:b]))
        return np.vstack(([self.lat[s], self.lon[s]], inner, [self.lat[t], self.lon[t]]))


class Area:
    """A place's road graphs (one per travel profile), its address table, its named
    places and its street crossings.

    ``addresses`` has exactly the columns ``housenumber``, ``street``, ``postcode``,
    ``city`` (strings, "" when missing), ``lat`` and ``lon`` (floats). ``bbox`` is
    ``(min_lat, min_lon, max_lat, max_lon)``. ``meta`` records the source file, the OSM
    data's timestamp when known, the aidroute version, the build date and the country.
    ``places`` holds the named shops, amenities and parks a hub may be (``name``,
    ``kind``, ``housenumber``, ``street``, ``postcode``, ``lat``, ``lon``); ``crossings``
    where two named streets meet (``street_a``, ``street_b``, ``lat``, ``lon``); ``streets``
    every road way with its name, for the map background. They are empty for an area
    imported before they were kept.

    Each table may be given as a function that reads it: it is read when first used
    (pandas alone takes half a second to import, and a week the geocoder's saved index
    covers needs none of the tables).
    """

    def __init__(
        self,
        name: str,
        roads: dict[str, RoadGraph],
        addresses: TableSource,
        bbox: tuple[float, float, float, float],
        meta: dict[str, Any] | None = None,
        path: Path | None = None,
        places: TableSource = None,
        crossings: TableSource = None,
        streets: Streets | None = None,
    ) -> None:
        self.name = name
        self.roads = roads
        self.bbox = bbox
        self.meta: dict[str, Any] = meta if meta is not None else {}
        #: The folder it was loaded from or saved to, if any.
        self.path = path
        #: Every road way with its name, for the map background (empty for older areas).
        self.streets = streets if streets is not None else Streets.empty()
        self._tables = {"addresses": addresses, "places": places, "crossings": crossings}
        self._reading = threading.RLock()

    def _table(self, name: str) -> pd.DataFrame:
        with self._reading:  # a server's threads may ask at once: one of them reads it
            table = self._tables[name]
            if table is None:
                import pandas as pd

                table = pd.DataFrame()
            elif callable(table):
                table = table()
            self._tables[name] = table
        return table

    @property
    def addresses(self) -> pd.DataFrame:
        return self._table("addresses")

    @property
    def places(self) -> pd.DataFrame:
        return self._table("places")

    @property
    def crossings(self) -> pd.DataFrame:
        return self._table("crossings")

    def digest(self, *files: str) -> str | None:
        """A digest of the named files of the area's folder (``"addresses.csv.gz"``), from
        the checksums its ``meta`` records, or None for an area without a folder."""
        known = self.meta.get("files") or {}
        if self.path is None or not all(f in known for f in files):
            return None
        return hashlib.sha256("|".join(str(known[f]) for f in files).encode()).hexdigest()

    def graph(self, profile: str = "drive") -> RoadGraph:
        """The road graph of ``profile``; :class:`AreaError` if it was not imported."""
        try:
            return self.roads[profile]
        except KeyError:
            have = ", ".join(sorted(self.roads)) or "none"
            raise AreaError(
                f"area {self.name!r} has no {profile!r} roads (it has: {have}); re-import it "
                f"with --profiles {','.join(sorted({*self.roads, profile}))}"
            ) from None

    @property
    def country(self) -> str | None:
        """The area's country (ISO 3166, "US"), when its import recorded one: how phone
        numbers written without a country code are read."""
        value = self.meta.get("country")
        return str(value).upper() if value else None

    @property
    def profiles(self) -> tuple[str, ...]:
        return tuple(self.roads)

    def __repr__(self) -> str:
        roads = ", ".join(f"{p}: {g.n_nodes:,} nodes" for p, g in self.roads.items())
        return f"Area({self.name!r}, {roads}, {len(self.addresses):,} addresses)"


# --- import ----------------------------------------------------------------------------------
