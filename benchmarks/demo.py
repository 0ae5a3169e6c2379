"""Demo benchmark: area load (cold and cached), matrix, solve and total on the sample week.

Run: ``python -m benchmarks.demo [--time-limit S]``. "cold" imports the area from the raw
OSM extract in ../shared/data (skipped when absent); "cached" loads the saved area.
Prints a table and one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from routing.paths import bundled_data
from routing.pipeline import build_matrices, draw_routes, prepare_week, read_week
from routing.roads.area import load_area
from routing.roads.build import import_area
from routing.solve.options import SolveOptions
from routing.solve.solver import solve

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "osm"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args()
    figures: dict[str, float] = {}

    pbf = SHARED / "queens_village_ny.osm.pbf"
    if pbf.exists():
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            import_area(pbf, "bench-qv", out_dir=Path(tmp) / "bench-qv")
            figures["area_cold_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    load_area("queens-village")
    figures["area_cached_s"] = time.perf_counter() - t0

    demo = bundled_data() / "demo"
    hub = json.loads((demo / "hub.json").read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    area = load_area("queens-village")
    week = read_week(demo / "deliveries.csv", demo / "drivers.csv", hub, area)
    problem = prepare_week(week, area).problem
    figures["import_geocode_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    matrices = build_matrices(area, problem)
    figures["matrix_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    plan = solve(problem, matrices, SolveOptions(time_limit_s=args.time_limit))
    figures["solve_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    plan = draw_routes(plan, area)
    figures["draw_s"] = time.perf_counter() - t0
    figures["total_s"] = sum(v for k, v in figures.items() if k != "area_cold_s")

    n = len(next(iter(matrices.values())).keys)
    print(
        f"demo: {len(problem.stops)} stops, {len(problem.drivers)} drivers, "
        f"{n}x{n} matrix, time limit {args.time_limit:g} s"
    )
    for key, value in figures.items():
        print(f"  {key:18s} {value:8.3f} s")
    if "area_cold_s" in figures:
        ratio = figures["area_cold_s"] / figures["area_cached_s"]
        print(f"  cached area load is {ratio:.0f}x faster than importing the extract")
    print(
        f"  solving is {figures['solve_s'] / figures['total_s']:.0%} of the total "
        "(the time limit: search keeps improving until then)"
    )
    assigned = sum(len(r.visits) for r in plan.routes)
    print(f"  assigned {assigned}, unassigned {len(plan.unassigned)}")
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
