"""Outputs benchmark: writing a plan's results folder, before and after, part by part.

Run: ``python -m benchmarks.outputs [--baseline REV] [--rounds N] [--repeat N]``.

Plans the demo week (120 households, 12 drivers) once with a 1 s search, then writes its
whole results folder (:func:`maps.outputs.write_outputs`: overview, driver pages, GPX,
manifests in HTML and PDF, CSV, XLSX, plan.json), each time in a fresh process as the CLI
does, for these code paths side by side:

* ``before``: the ``maps`` and ``routing`` packages of git revision ``--baseline`` (default
  ``main``), taken with ``git archive`` (skipped outside a git checkout);
* ``after, one process``: this checkout with ``workers=1``;
* ``after, two processes``: with ``workers=2``, a second process rendering half;
* ``after``: this checkout as the CLI runs it (two processes when a core is idle);
* ``after, first run``: the same with an empty ``AIDROUTE_HOME``, so the compiled page
  templates are not cached yet (the first run after installing).

For each: "cold" is the first write in the process (templates compiled or loaded, fonts
read), "warm" the median of the next ``--repeat`` writes. Wall time, and CPU time of the
process and of the second process it forked, are shown; the machine may be shared, so CPU
time is what the work costs. The rounds alternate the code paths and the medians are shown.
Then each part of the folder on its own, warm, in this process. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _worker(plan_json: str, repeat: int, workers: str) -> None:
    """In a fresh process: import, then write the folder 1 + ``repeat`` times; print JSON."""
    t0 = time.perf_counter()
    from maps.outputs import write_outputs
    from routing.serialize import plan_from_dict

    imported = time.perf_counter() - t0
    plan = plan_from_dict(json.loads(Path(plan_json).read_text(encoding="utf-8")))
    kwargs = {} if workers == "default" else {"workers": int(workers)}
    runs = []
    for _ in range(1 + repeat):
        with tempfile.TemporaryDirectory() as tmp:  # removing it afterwards is not timed
            w0, c0, t = time.perf_counter(), time.process_time(), os.times()
            write_outputs(plan, Path(tmp) / "out", **kwargs)
            w1, c1, t2 = time.perf_counter(), time.process_time(), os.times()
            children = t2.children_user + t2.children_system - t.children_user - t.children_system
            runs.append((w1 - w0, c1 - c0 + children))
    print(
        json.dumps(
            {
                "import_s": imported,
                "cold_wall_s": runs[0][0],
                "cold_cpu_s": runs[0][1],
                "warm_wall_s": statistics.median(w for w, _ in runs[1:]),
                "warm_cpu_s": statistics.median(c for _, c in runs[1:]),
            }
        )
    )


def _baseline(rev: str, into: Path) -> Path | None:
    """``maps`` and ``routing`` as they were at ``rev``, or None when git cannot say."""
    into.mkdir()
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev, "maps", "routing"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return into


def _run(code: Path, plan_json: Path, repeat: int, workers: str, home: Path) -> Any:
    env = {**os.environ, "PYTHONPATH": str(code), "AIDROUTE_HOME": str(home)}
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(plan_json)]
    out = subprocess.run(
        [*command, "--repeat", str(repeat), "--workers", workers],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=home,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    w0, c0 = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - w0, time.process_time() - c0


def _parts(plan: Any) -> dict[str, Callable[[], object]]:
    from maps.driver_page import driver_page
    from maps.export import gpx, plan_csv, plan_xlsx
    from maps.manifest import manifest_html, manifest_pdf
    from maps.overview import overview_map
    from routing.serialize import plan_to_dict

    drivers = [r.driver_id for r in plan.routes]
    return {
        "overview": lambda: overview_map(plan),
        "12 driver pages": lambda: [driver_page(plan, d) for d in drivers],
        "13 manifests html": lambda: [manifest_html(plan, d) for d in [*drivers, None]],
        "13 manifests pdf": lambda: [manifest_pdf(plan, d) for d in [*drivers, None]],
        "12 gpx": lambda: [gpx(plan, d) for d in drivers],
        "csv + xlsx": lambda: (plan_csv(plan), plan_xlsx(plan)),
        "plan.json": lambda: json.dumps(plan_to_dict(plan), indent=1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main", help="git revision of 'before'")
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per code path")
    parser.add_argument("--repeat", type=int, default=3, help="warm writes per process")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--workers", default="default", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, args.repeat, args.workers)
        return

    sys.path.insert(0, str(ROOT))
    from routing.paths import bundled_data
    from routing.pipeline import plan_week, read_week
    from routing.roads.area import load_area
    from routing.serialize import plan_to_dict
    from routing.solve.options import SolveOptions

    demo = bundled_data() / "demo"
    hub = json.loads((demo / "hub.json").read_text(encoding="utf-8"))
    area = load_area("queens-village")
    week = read_week(demo / "deliveries.csv", demo / "drivers.csv", hub, area)
    plan = plan_week(week, area, SolveOptions(time_limit_s=1.0)).plan
    stops = sum(len(r.visits) for r in plan.routes)
    print(f"demo: {stops} stops on {len(plan.routes)} routes, {len(plan.unassigned)} unassigned")

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        plan_json = tmp_path / "plan.json"
        plan_json.write_text(json.dumps(plan_to_dict(plan)), encoding="utf-8")
        warm_home = tmp_path / "home"
        warm_home.mkdir()
        paths: dict[str, tuple[Path, str, bool]] = {}
        before = _baseline(args.baseline, tmp_path / "before")
        if before is not None:
            paths["before"] = (before, "default", False)
        else:
            print(f"(no 'before': git cannot give revision {args.baseline!r} here)")
        paths["after, one process"] = (ROOT, "1", False)
        paths["after, two processes"] = (ROOT, "2", False)
        paths["after"] = (ROOT, "default", False)
        paths["after, first run"] = (ROOT, "default", True)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in paths}
        _run(ROOT, plan_json, 1, "default", warm_home)  # fill the template cache
        for k in range(args.rounds):
            for name, (code, workers, fresh) in paths.items():
                home = tmp_path / f"fresh-{k}-{len(results[name])}" if fresh else warm_home
                home.mkdir(exist_ok=True)
                results[name].append(_run(code, plan_json, args.repeat, workers, home))

    keys = ("cold_wall_s", "cold_cpu_s", "warm_wall_s", "warm_cpu_s", "import_s")
    print(f"\nwhole folder, median of {args.rounds} fresh processes (seconds)")
    print(f"{'':20s} {'cold wall':>10s} {'cold cpu':>10s} {'warm wall':>10s} {'warm cpu':>10s}")
    for name, runs in results.items():
        med = {k: statistics.median(r[k] for r in runs) for k in keys}
        figures.update({f"{name}: {k}": v for k, v in med.items()})
        print(f"{name:20s} " + " ".join(f"{med[k]:10.3f}" for k in keys[:4]))
    if "before" in results:
        for key in ("cold_cpu_s", "warm_cpu_s", "cold_wall_s", "warm_wall_s"):
            ratio = figures[f"before: {key}"] / figures[f"after: {key}"]
            print(f"  {key}: after is {ratio:.1f}x faster than before")

    print("\neach part, warm, in this process (best of 3; seconds)")
    print(f"{'':20s} {'wall':>10s} {'cpu':>10s}")
    for name, work in _parts(plan).items():
        work()
        wall, cpu = min(_timed(work) for _ in range(3))
        figures[f"part: {name}"] = cpu
        print(f"{name:20s} {wall:10.3f} {cpu:10.3f}")
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
