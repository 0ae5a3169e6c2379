"""Road-layer benchmark on a city: import, cache load, snapping and travel-time matrices.

Run from the project root (heavy: run it alone, with ``nice``)::

    nice python -m benchmarks.roads [--osm ../shared/data/osm/porto_pt.osm.pbf] [--quick]

Each figure is printed beside its plain baseline from the same run, as a ratio
(baseline / ours, so "12.0x" means ours is 12 times faster):

- import (``.osm.pbf`` -> saved area: drive filter, graph, speeds, contraction
  hierarchy, address table) vs osmnx's own path, ``graph_from_xml`` on the same data
  as OSM XML (the graph alone: it cannot even add speeds there, since a raw XML graph
  has ways without a highway tag), each in a fresh process with its peak memory;
- cache load vs that import; building the snapping index (once per loaded graph);
  snapping 2,000 points onto the nearest road vs a brute-force nearest node;
- 1,000 x 1,000 and 2,000 x 2,000 matrices vs scipy's single-threaded Dijkstra
  (200 sources, extrapolated) and networkx's Dijkstra (a few sources, extrapolated).

Matrix results are checked against scipy on sampled sources. The last line printed is one
JSON object of every figure. ``--quick`` skips the osmnx-from-XML baseline (the slowest).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OSM = ROOT.parent / "shared" / "data" / "osm" / "porto_pt.osm.pbf"

_IMPORT = """
import sys, time
from routing.roads.build import import_area
t = time.perf_counter()
import_area(sys.argv[1], "bench", out_dir=sys.argv[2])
import resource
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

_OSMNX = """
import sys, time
import osmnx as ox
t = time.perf_counter()
G = ox.graph_from_xml(sys.argv[1], retain_all=True)
import resource
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _child(code: str, *args: str) -> tuple[float, float]:
    """Run ``code`` in a fresh Python; return (seconds, peak RSS in MB) it printed."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if out.returncode:
        raise RuntimeError(f"benchmark child failed:\n{out.stderr[-2000:]}")
    seconds, peak_kb = out.stdout.split()[-2:]
    return float(seconds), float(peak_kb) / 1024


def _pbf_to_xml(src: Path, dst: Path) -> None:
    """The same data as OSM XML, minus node references the clipped extract lacks (osmnx
    refuses those: "Some edges missing nodes")."""
    import osmium

    with osmium.SimpleWriter(str(dst)) as writer:
        for obj in osmium.FileProcessor(str(src)).with_locations():
            if obj.is_way():
                refs = [n.ref for n in obj.nodes if n.location.valid()]
                if len(refs) != len(obj.nodes):
                    obj = obj.replace(nodes=refs)
            writer.add(obj)


def _points(graph, n: int, seed: int) -> np.ndarray:
    """``n`` points near random road nodes (up to ~60 m off), like delivery addresses."""
    rng = np.random.default_rng(seed)
    idx = rng.choice(graph.n_nodes, n, replace=False)
    jitter = rng.uniform(-0.0005, 0.0005, size=(n, 2))
    return np.column_stack((graph.lat[idx], graph.lon[idx])) + jitter


def _ratio(baseline: float | None, ours: float) -> str:
    if baseline is None or not ours:
        return "-"
    return f"{baseline / ours:.1f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.roads")
    parser.add_argument("--osm", type=Path, default=DEFAULT_OSM)
    parser.add_argument("--quick", action="store_true", help="skip the osmnx-from-XML baseline")
    args = parser.parse_args(argv)
    if not args.osm.is_file():
        print(f"{args.osm} not found (../shared/data is on dev/CI machines only)")
        return 2

    import networkx as nx
    from scipy.sparse import csgraph

    from routing.geo import haversine_m
    from routing.model import LatLon
    from routing.roads._dijkstra import HAVE_NUMBA, default_threads
    from routing.roads.area import load_area
    from routing.roads.matrix import node_matrix, travel_matrix

    figures: dict[str, float | int | str | None] = {
        "osm_file": args.osm.name,
        "threads": default_threads(),
        "numba": HAVE_NUMBA,
    }
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="aidroute-bench-") as tmp:
        out = Path(tmp) / "area"
        import_s, import_mb = _child(_IMPORT, str(args.osm), str(out))
        figures.update(import_s=round(import_s, 2), import_peak_mb=round(import_mb))
        base_s = base_mb = None
        if not args.quick:
            xml = Path(tmp) / (args.osm.name.removesuffix(".pbf"))
            _pbf_to_xml(args.osm, xml)
            base_s, base_mb = _child(_OSMNX, str(xml))
            figures.update(
                baseline_osmnx_xml_s=round(base_s, 2), baseline_osmnx_xml_peak_mb=round(base_mb)
            )
        rows.append(("import (s)", f"{import_s:.2f}", _fmt(base_s), _ratio(base_s, import_s)))
        rows.append(
            (
                "import peak memory (MB)",
                f"{import_mb:.0f}",
                _fmt(base_mb, 0),
                _ratio(base_mb, import_mb),
            )
        )

        loads = []
        for _ in range(3):
            t = time.perf_counter()
            area = load_area(out)
            loads.append(time.perf_counter() - t)
        g = area.graph("drive")
        figures.update(cache_load_s=round(min(loads), 3), nodes=g.n_nodes, edges=g.n_edges)
        rows.append(
            ("cache load (s)", f"{min(loads):.3f}", f"{import_s:.2f}", _ratio(import_s, min(loads)))
        )

        pts = _points(g, 2000, seed=1)
        t = time.perf_counter()
        g.prepare()  # the snapping index: points every 25 m along every road, a KD-tree
        index_s = time.perf_counter() - t
        t = time.perf_counter()
        nodes, _ = g.snap(pts)
        snap_s = time.perf_counter() - t
        t = time.perf_counter()
        for p in pts[:200]:
            int(np.argmin(haversine_m(p[0], p[1], g.lat, g.lon)))
        brute = (time.perf_counter() - t) * 10
        figures.update(
            snap_2000_s=round(snap_s, 4),
            snap_index_s=round(index_s, 3),
            cache_load_with_index_s=round(min(loads) + index_s, 3),
            baseline_bruteforce_snap_2000_s=round(brute, 3),
        )
        rows.append(("snapping index, once per load (s)", f"{index_s:.3f}", "", ""))
        rows.append(
            (
                "snap 2,000 points onto roads (s)",
                f"{snap_s:.4f}",
                f"{brute:.3f}",
                _ratio(brute, snap_s),
            )
        )

        travel_matrix(g, {"a": LatLon(*pts[0]), "b": LatLon(*pts[1])})  # compile once
        t = time.perf_counter()
        csgraph.dijkstra(g.csr(), indices=nodes[:200])
        scipy_per_source = (time.perf_counter() - t) / 200
        G = g.to_networkx()  # noqa: N806
        t = time.perf_counter()
        for s in nodes[:3]:
            nx.single_source_dijkstra_path_length(G, int(s), weight="travel_time_s")
        nx_per_source = (time.perf_counter() - t) / 3
        figures.update(
            baseline_scipy_per_source_s=round(scipy_per_source, 5),
            baseline_networkx_per_source_s=round(nx_per_source, 4),
        )
        for n in (1000, 2000):
            places = {f"p{i}": LatLon(float(a), float(b)) for i, (a, b) in enumerate(pts[:n])}
            t = time.perf_counter()
            m = travel_matrix(g, places)
            took = time.perf_counter() - t
            sc, nxs = scipy_per_source * n, nx_per_source * n
            figures.update(
                {
                    f"matrix_{n}_s": round(took, 3),
                    f"baseline_scipy_matrix_{n}_s": round(sc, 2),
                    f"baseline_networkx_matrix_{n}_s": round(nxs, 1),
                }
            )
            rows.append(
                (f"matrix {n:,} x {n:,} (s)", f"{took:.3f}", f"scipy {sc:.2f}", _ratio(sc, took))
            )
            rows.append(("", "", f"networkx {nxs:.1f}", _ratio(nxs, took)))
            assert np.isfinite(m.duration_s).all()
        # Exactness: node-level matrix vs scipy on sampled sources.
        sample = nodes[:1000][:: 1000 // 40]
        ours, _ = node_matrix(g, sample, nodes[:1000])
        ref = csgraph.dijkstra(g.csr(), indices=sample)[:, nodes[:1000]]
        err = float(np.max(np.abs(ours - ref) / np.maximum(ref, 1e-9)))
        figures["matrix_max_rel_error_vs_scipy"] = err
        rows.append(("matrix vs scipy, max relative error", f"{err:.1e}", "0", ""))

    print(
        f"roads benchmark on {args.osm.name}: {figures['nodes']:,} drive nodes, "
        f"{figures['edges']:,} edges, {figures['threads']} threads, numba={HAVE_NUMBA}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'figure':40} {'ours':>10}  {'baseline':>16}  {'ratio':>7}")
    for name, ours_s, base, ratio in rows:
        print(f"{name:40} {ours_s:>10}  {base:>16}  {ratio:>7}")
    print(json.dumps(figures))
    return 0


def _fmt(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


if __name__ == "__main__":
    if __package__ in (None, ""):
        sys.path.insert(0, str(ROOT))
    sys.exit(main())
