"""Large plans on a city: 500, 1,000 and 2,000 stops on the Porto road network, end to end.

Run: ``python -m benchmarks.large_plans [--sizes 500 1000 2000] [--time-limit S]``.

For each size it writes a delivery spreadsheet (stops at random road points, seeded; Porto's
extract has no addresses, so rows carry lat/lon columns as a group's geocoded sheet would),
a roster of one driver per 20 stops, then runs ``aidroute plan`` in a child process, exactly
as a dispatcher would, and reads the figures back: wall time, peak memory of the child
(ru_maxrss), the phases from plan.json, stops assigned. The Porto area is imported once
(from ``../shared/data/osm/porto_pt.osm.pbf``) into ``$AIDROUTE_HOME/areas/porto``.
Ends with one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from routing.errors import AreaError
from routing.roads.area import load_area
from routing.roads.build import import_area

PBF = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "osm" / "porto_pt.osm.pbf"


def porto_area(name: str = "porto"):  # type: ignore[no-untyped-def]
    try:
        return load_area(name)
    except AreaError:
        if not PBF.exists():
            sys.exit(f"{PBF} not found: this benchmark needs ../shared/data/osm")
        print(f"importing {PBF.name} (once) ...", flush=True)
        return import_area(PBF, name)


def write_week(area, n_stops: int, folder: Path, seed: int = 1):  # type: ignore[no-untyped-def]
    """A seeded sheet of ``n_stops`` deliveries around the city centre, and its roster."""
    rng = np.random.default_rng(seed)
    graph = area.graph("drive")
    lat, lon = np.asarray(graph.lat), np.asarray(graph.lon)
    centre = np.array([np.median(lat), np.median(lon)])
    # Stops within ~12 km of the centre: a city programme, not the whole metro region.
    kx = 111_000 * np.cos(np.radians(centre[0]))
    d = np.hypot((lat - centre[0]) * 111_000, (lon - centre[1]) * kx)
    candidates = np.flatnonzero(d < 12_000)
    picks = rng.choice(candidates, size=n_stops, replace=False)
    hub_node = candidates[np.argmin(d[candidates])]
    deliveries = folder / f"deliveries-{n_stops}.csv"
    with deliveries.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "Name", "Address", "lat", "lon", "Boxes", "Window"])
        for i, node in enumerate(picks):
            window = rng.choice(["", "", "", "9-11", "10-12", "11-13", "12-14"])
            w.writerow(
                [
                    f"s{i}",
                    f"Household {i}",
                    f"Stop {i}",
                    f"{lat[node]:.6f}",
                    f"{lon[node]:.6f}",
                    int(rng.integers(1, 5)),
                    window,
                ]
            )
    drivers = folder / f"drivers-{n_stops}.csv"
    n_drivers = max(1, n_stops // 20)
    with drivers.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Name", "Capacity", "Available"])
        for i in range(n_drivers):
            start = int(rng.choice([8, 9, 9, 10]))
            w.writerow(
                [
                    f"Driver {i}",
                    int(rng.choice([40, 50, 60, 70])),
                    f"{start}:00-{start + int(rng.choice([5, 6]))}:00",
                ]
            )
    return deliveries, drivers, f"{lat[hub_node]:.6f},{lon[hub_node]:.6f}"


def plan_argv(deliveries: Path, drivers: Path, hub: str, area: str) -> list[str]:
    """``aidroute plan``'s arguments for a week's two spreadsheets (no ``--out``)."""
    return ["plan", str(deliveries), "--drivers", str(drivers), "--hub", hub, "--area", area]


def run_one(n: int, area_name: str, folder: Path, time_limit: float | None) -> dict[str, float]:
    area = load_area(area_name)
    deliveries, drivers, hub = write_week(area, n, folder)
    out = folder / f"out-{n}"
    cmd = [sys.executable, "-m", "api.cli", *plan_argv(deliveries, drivers, hub, area_name)]
    cmd += ["--out", str(out)]
    if time_limit:
        cmd += ["--time-limit", str(time_limit)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "COLUMNS": "100"})
    wall = time.perf_counter() - t0
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    if run.returncode != 0:
        print(run.stdout[-3000:], run.stderr[-3000:])
        raise SystemExit(f"aidroute plan failed for {n} stops")
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    s = plan["summary"]
    timings = plan["stats"].get("timings", {})
    return {
        "stops": n,
        "drivers": s["drivers"],
        "assigned": s["assigned"],
        "unassigned": s["unassigned"],
        "wall_s": round(wall, 1),
        "peak_mb": round(peak_mb),
        "matrix_s": timings.get("matrix", float("nan")),
        "solve_s": timings.get("solve", float("nan")),
        "draw_s": timings.get("draw", float("nan")),
        "first_solution_s": plan["stats"].get("first_solution_s", float("nan")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="solver seconds (default: aidroute's default for the size)",
    )
    args = parser.parse_args()
    porto_area()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            rows.append(run_one(n, "porto", Path(tmp), args.time_limit))
            r = rows[-1]
            print(
                f"{r['stops']:5d} stops {r['drivers']:4d} drivers: assigned {r['assigned']}, "
                f"unassigned {r['unassigned']}, wall {r['wall_s']:.1f} s, peak {r['peak_mb']} MB "
                f"(matrix {r['matrix_s']} s, solve {r['solve_s']} s, first plan "
                f"{r['first_solution_s']} s, draw {r['draw_s']} s)",
                flush=True,
            )
    print("targets: 2,000 stops and 100 drivers within 300 s and 4,096 MB")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
