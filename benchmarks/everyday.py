"""The everyday plan, end to end: how long a dispatcher waits, and for what quality.

Run: ``python -m benchmarks.everyday [--sizes 500 1000 2000] [--reference-s 60]``.

Cases, each in one process (``aidroute demo`` / ``aidroute plan`` with every output
written) and one run:

* the demo (the bundled sample week, 120 stops, 12 drivers);
* generated weeks of 500, 1,000 and 2,000 stops at real Queens Village addresses (one
  driver per 20 stops, shifts of 5-6 hours, a window on 3 stops in 7), as the delivery
  and driver spreadsheets a group would write.

Each case runs with the full time limit (``--full-time``: what aidroute did before it
stopped early; ``--today PATH`` runs that case with another checkout instead, e.g. the main
branch, whose search always takes the full limit), with the new rule (the default: stop
once the plan stops improving), and as a reference for 60 s with ``--full-time`` (when the
default cap is not 60 s already). The figures, side by side:

* wall: the whole command, interpreter start to exit (as the ``aidroute`` command leaves),
  outputs included;
* first plan: when the progress first reports a complete plan (every stop placed or left
  out with its reason), from the process start (and from the start of the search);
* to 1 %: when the best plan first came within 1 % of the reference's route minutes
  while placing as many stops;
* final: the final plan's route minutes over the reference's, and stops placed.

The demo also runs with an empty numba cache (``NUMBA_CACHE_DIR`` in a fresh folder: the
first run after installing, which compiles the road kernels) and twice more with it filled,
each with the same 2 s search. The machine's load
average is printed with the figures (other work on a shared machine slows every case).
Ends with one JSON line of every figure.

Measured on the project's 2-core machine while other work ran on it (load average 3-6), the
full limit being the main branch before the stall rule (``--today``), November 2026:

========== ===================== ====================== =================== ===============
case       wall s (full / rule)  first plan s (solve)   to 1 % s            final (ratio)
========== ===================== ====================== =================== ===============
demo       26.6 / 26.8           9.0 (0.2) / 9.3 (0.4)  10.1 / 10.4         1.0025 / 1.0010
500        68.5 / 64.0           10.8 (1.9) / 8.8 (1.9) 56.5 / 18.5         1.0076 / 1.0018
1,000      82.0 / 88.5           15.3 (7.9) / 18.6 (5.8) 63.2 / 23.0        1.0005 / 1.0004
2,000      112.7 / 96.6          54.7 (42.2) / 29.2 (18.5) 87.1 / 29.2      1.0114 / 0.9980
========== ===================== ====================== =================== ===============

First run after install: +4.5 s (18.1 s against 13.6 and 14.4 s warm). At that load every
rule run met its cap before stalling: the rule counts each search's CPU seconds, and each
process had well under a core.

Again after the stall rule was retuned (0.5 % / 1 s / a tenth of the search so far, the
solve's best plan watched), the neighbourhood's matrix taken from scipy, the CLI's imports
cut and the outputs reworked; "full limit" is aidroute before this work (``--today`` at the
commit before the stall rule: the whole default limit, its progress without route minutes,
hence no "to 1 %"), the reference today's code searching 60 s. Load average 0.9-1.9,
November 29 2026, one run each:

========== ===================== ====================== =================== ===============
case       wall s (full / rule)  first plan s (solve)   to 1 % s (rule)     final (ratio)
========== ===================== ====================== =================== ===============
demo       21.2 / 7.9            4.5 (0.1) / 2.5 (0.1)  3.1                 1.0073 / 1.0022
500        67.1 / 13.9           5.4 (0.6) / 4.3 (0.7)  8.0                 1.0034 / 1.0089
1,000      83.8 / 21.5           9.0 (3.3) / 4.6 (0.8)  10.0                1.0041 / 1.0084
2,000      100.2 / 32.5          13.3 (7.3) / 7.7 (2.6) 18.7                1.0026 / 1.0096
========== ===================== ====================== =================== ===============

Every rule run stopped because its plan had stalled, within 1 % of the 60 s plan's route
minutes with as many stops placed. First run after install, 2 s search: the demo +0.1 s
(7.2 s against 7.1 and 7.5 s warm: its matrix needs no compiled kernel); the 1,000-stop
week +3.2 s (15.1 s against 13.1 and 12.0 s: compiling the Dijkstra kernel). The demo's
7.9 s: about 1.9 s of imports, 0.6 s reading, geocoding and the matrix, 2-4 s of search
(the stall rule's patience, in CPU seconds, on two lanes that keep finding 0.5 % gains for
the first 2-3 s) and 1.1 s writing the 68 files; the 3 s target is not met.

Again after a small week's patience was scaled down (0.48 s for the demo), the maps, PDFs and
workbook moved to a renderer forked before planning's imports, the area's tables and pandas
left unread (the geocoder's index kept), and snapping done without scipy.spatial. From here
each case leaves as the ``aidroute`` command does (``os._exit`` after flushing; the "full
limit" checkout has no such exit, so its interpreter teardown still counts, as it did for
its users). Load average 0.2-2.0, November 29 2026, one run each:

========== ===================== ====================== =================== ===============
case       wall s (full / rule)  first plan s (solve)   to 1 % s (rule)     final (ratio)
========== ===================== ====================== =================== ===============
demo       20.8 / 3.8            4.0 (0.1) / 1.8 (0.2)  2.5                 1.0085 / 1.0056
500        62.6 / 11.2           4.6 (0.6) / 3.6 (0.4)  5.9                 1.0029 / 1.0073
1,000      79.9 / 16.5           7.8 (2.9) / 3.8 (0.6)  10.6                1.0042 / 1.0091
2,000      95.6 / 22.1           12.0 (6.3) / 6.7 (3.0) - (1.0101)          1.0022 / 1.0101
========== ===================== ====================== =================== ===============

Every rule run stopped stalled with as many stops placed as the 60 s reference (the old code
places one more on the demo: it plans both rows of the household written twice). First run
after install, 2 s search: the demo +0.5 s (5.3 s against 5.1 and 4.8), the 1,000-stop week
+2.9 s (10.4 against 8.2 and 7.5). The demo over repeated runs: 3.2-4.2 s (search 1.0-1.7 s
of it); about 1.0 s of imports, 0.2 s reading, 0.2 s of matrix, 0.2 s around the search and
0.5-0.7 s of outputs remain, so the 3 s target is still not met on average.

Again after a small week's patience was shortened (0.35 s for the demo), numpy's BLAS kept
to one thread per process, folium loaded without pandas and with its kept templates, a
week's places snapped once and its routes drawn from its matrix's searches, and the job
costs re-measured; from here each checkout is byte-compiled before the cases (a user's
second run: the shell that ran them before set PYTHONDONTWRITEBYTECODE, so every case had
compiled aidroute's modules again). Load average 1.3-1.9 (a slower hour of the shared
machine: the full-limit runs of the same old checkout took 5-10 % longer than above),
November 29 2026, one run each; the demo again after the harness imported planning's
modules where the command does (after the renderer starts), load 0.9-1.7:

========== ===================== ====================== =================== ===============
case       wall s (full / rule)  first plan s (solve)   to 1 % s (rule)     final (ratio)
========== ===================== ====================== =================== ===============
demo       22.9 / 3.7            5.2 (0.1) / 2.1 (0.2)  2.5                 1.0085 / 1.0049
500        66.0 / 11.1           5.0 (0.6) / 3.6 (0.7)  7.8                 1.0036 / 1.0089
1,000      84.6 / 15.7           8.3 (3.1) / 4.5 (0.7)  10.3                1.0038 / 1.0093
2,000      105.2 / 25.4          17.3 (10.3) / 6.0 (2.4) 15.8               1.0033 / 1.0085
========== ===================== ====================== =================== ===============

Every rule run stopped stalled with as many stops placed as the 60 s reference. First run
after install, 2 s search: the demo +0.3 s (4.9 s against 4.9 and 4.6), the 1,000-stop week
+1.7 s (10.4 against 9.6 and 8.7); an editable install also compiles aidroute's modules on
its first run (0.6 s in one process). The demo's command alone, ten runs each side by side
against the code before this round (both byte-compiled): median 3.66 s against 4.76 (3.25
against 4.39 at best), 6.3 CPU seconds against 8.7. What the demo's ~3.5 s is now, on its
main process: about 1.0 s of imports (scipy's 0.3 s the largest, of which 0.27 s loads
numpy's test and Fortran tools through scipy's array API layer), 0.3 s reading, 0.25 s to
the search, the search 0.9-1.1 s (a patience of 0.35 s: shorter went over 1 % on some
seeds), 0.1 s after it and 0.5 s of outputs in two processes; every core is busy nearly all
along (6.3 CPU seconds in 3.7 s on two cores), so the 3 s target is still not met.

Then the small week's shorter patience was withdrawn (see ``StallRule``): generated weeks of
120-180 stops, with windows on 3 stops in 7, stopped 1.1-1.9 % from a 30 s search with it
on some seeds, and within 0.93 % with the whole second. The demo again, same harness, load
1.4-1.8: full limit 24.6 s, rule 5.2 s, first plan 2.0 s (0.1 into the search), within 1 %
at 2.6 s, final 1.0022 (searching 2.5-3.2 s of it). Side by side with the code before this
round (which had the 0.48 s patience), eight runs each: median 5.65 s against 4.66.

Then PyVRP's granular neighbourhood went from 50 stops to 20 for weeks of up to 1,000
stops (see ``routing.solve.seed.NEIGHBOURS``). Here "full limit" is the code just before,
with the stall rule and 50 neighbours (``--today`` at that commit), "rule" the new code,
the reference the new code searching 60 s. Load average 1.4-2.0, November 29 2026, one run
each; the 2,000-stop week keeps 50 neighbours, so its "full limit" row is the new code too:

========== ===================== ====================== =================== ===============
case       wall s (50 / 20)      first plan s (solve)   to 1 % s            final (ratio)
========== ===================== ====================== =================== ===============
demo       5.1 / 5.4             1.9 (0.1) / 2.0 (0.1)  2.5 / 2.4           1.0049 / 1.0011
500        9.4 / 10.5            2.7 (0.6) / 3.0 (0.4)  5.8 / 5.6           1.0083 / 1.0037
1,000      15.6 / 9.7            4.9 (0.8) / 2.9 (0.6)  - / -               1.0115 / 1.0107
2,000      20.0                  4.7 (1.9)              -                   1.0113
========== ===================== ====================== =================== ===============

Every run stopped stalled with as many stops placed as the reference. First run after
install, 2 s search: the demo -0.1 s (4.3 s against 4.3 and 4.4), the 1,000-stop week
+3.2 s (10.2 against 7.0 and 8.0). The demo's command alone, ten runs each side by side
(both byte-compiled): median 4.54 s against 5.28 (3.71 against 4.86 at best), 8.2 CPU
seconds against 9.8. The 3 s target is still not met: with the whole second of patience,
the ~1.5 s before the search and ~0.6 s of outputs leave no room for a search that must
first find its last gain and then wait that second.
"""

from __future__ import annotations

import time

T_START = time.monotonic()  # the child's clock starts before anything is imported

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
AREA = "queens-village"


def write_week(n_stops: int, folder: Path, seed: int = 1) -> tuple[Path, Path, str]:
    """Delivery and driver spreadsheets of ``n_stops`` households at real addresses of the
    area (with lat/lon, as a group's geocoded sheet has them), and the demo's hub."""
    import numpy as np

    from routing.roads.area import load_area

    addresses = load_area(AREA).addresses
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(addresses), size=n_stops, replace=False)
    deliveries = folder / f"deliveries-{n_stops}.csv"
    with deliveries.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Name", "Address", "Zip", "lat", "lon", "Boxes", "Delivery window"])
        for i, r in enumerate(rows):
            a = addresses.iloc[r]
            window = rng.choice(["", "", "", "9-11", "10-12", "11-13", "12-14"])
            w.writerow(
                [
                    f"Household {i}",
                    f"{a.housenumber} {a.street}",
                    a.postcode,
                    f"{a.lat:.6f}",
                    f"{a.lon:.6f}",
                    int(rng.integers(1, 5)),
                    window,
                ]
            )
    drivers = folder / f"drivers-{n_stops}.csv"
    with drivers.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Name", "Capacity", "Available"])
        for i in range(max(1, n_stops // 20)):
            start = int(rng.choice([8, 9, 9, 10]))
            hours = int(rng.choice([5, 6]))
            w.writerow(
                [f"Driver {i}", int(rng.choice([40, 50, 60, 70])), f"{start}:00-{start + hours}:00"]
            )
    hub = json.loads((DEMO / "hub.json").read_text(encoding="utf-8"))
    return deliveries, drivers, f"{hub['lat']},{hub['lon']}"


def byte_compile(root: Path) -> None:
    """Write the bytecode of the checkout ``root``'s packages (what a first run writes)."""
    import compileall

    for package in ("routing", "maps", "api"):
        if (root / package).is_dir():
            compileall.compile_dir(root / package, quiet=1)


# --- One case, in its own process ---------------------------------------------------------


def run_case_here(trace_file: Path, argv: list[str]) -> int:
    """Run ``aidroute ARGV`` in this process, keeping every progress report."""
    import api.cli

    if hasattr(api.cli, "one_thread_per_process"):  # as the ``aidroute`` command starts
        api.cli.one_thread_per_process()
    trace: list[list[Any]] = []

    def trace_plans() -> None:
        import routing.pipeline as pipeline

        plan_week = pipeline.plan_week

        def traced(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
            def note(p: Any) -> None:
                route_s = getattr(p, "route_s", None)
                row = [round(time.monotonic() - T_START, 3), round(p.elapsed_s, 3), p.assigned]
                if not trace or trace[-1][2:] != [p.assigned, p.objective, route_s]:
                    trace.append([*row, p.objective, route_s])
                if progress is not None:
                    progress(p)

            return plan_week(*args, progress=note, **kwargs)

        pipeline.plan_week = traced  # type: ignore[assignment]

    plan_and_write = getattr(api.cli, "_plan_and_write", None)
    if plan_and_write is None:
        trace_plans()
    else:
        # Planning's modules load where the command loads them: after it has started the
        # process that renders (imported before, they would delay that process).
        def late(*args: Any, **kwargs: Any) -> Any:
            trace_plans()
            return plan_and_write(*args, **kwargs)

        api.cli._plan_and_write = late  # type: ignore[attr-defined]
    code = api.cli.main(argv)
    trace_file.write_text(json.dumps(trace), encoding="utf-8")
    return code


def run_case(
    name: str, argv: list[str], out: Path, code_root: Path, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """``aidroute ARGV --out OUT`` in a child process: its wall time, trace and plan."""
    trace_file = out.with_suffix(".trace.json")
    # This file as a script, so that ``code_root`` (another checkout) provides aidroute.
    cmd = [sys.executable, str(Path(__file__).resolve()), "--case", str(trace_file), "--"]
    child_env = {**os.environ, **(env or {}), "PYTHONPATH": str(code_root)}
    load = os.getloadavg()[0]
    t0 = time.monotonic()
    run = subprocess.run(
        [*cmd, *argv, "--out", str(out)], capture_output=True, text=True, env=child_env
    )
    wall = time.monotonic() - t0
    if run.returncode != 0:
        print(run.stdout[-2000:], run.stderr[-3000:])
        raise SystemExit(f"{name} failed")
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    stats = plan["stats"]
    return {
        "case": name,
        "wall_s": round(wall, 2),
        "load": round(load, 2),
        "trace": json.loads(trace_file.read_text(encoding="utf-8")),
        "route_min": plan["summary"]["route_minutes"],
        "assigned": plan["summary"]["assigned"],
        "objective": stats.get("objective"),
        "stopped": stats.get("stopped", "time limit"),
        "solve_s": stats.get("timings", {}).get("solve"),
    }


# --- Figures --------------------------------------------------------------------------------


def figures(run: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    """First plan, time to within 1 % of the reference and final ratio of one run."""
    trace = run["trace"]
    first = trace[0] if trace else None
    within = next(
        (
            row
            for row in trace
            if row[4] is not None
            and row[2] >= ref["assigned"]
            and row[4] / 60 <= 1.01 * ref["route_min"]
        ),
        None,
    )
    return {
        "first_plan_s": first[0] if first else None,
        "first_plan_solve_s": first[1] if first else None,
        "first_plan_assigned": first[2] if first else None,
        "to_1pct_s": within[0] if within else None,
        "final_ratio": round(run["route_min"] / ref["route_min"], 4),
        "assigned_vs_ref": run["assigned"] - ref["assigned"],
    }


def _s(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", type=int, nargs="*", default=[500, 1000, 2000])
    ap.add_argument("--no-demo", action="store_true")
    ap.add_argument("--reference-s", type=float, default=60.0)
    ap.add_argument("--today", type=Path, default=None, help="checkout for the full-limit runs")
    ap.add_argument("--case", type=Path, default=None, help=argparse.SUPPRESS)
    args, rest = ap.parse_known_args()
    if args.case is not None:
        code = run_case_here(args.case, [a for a in rest if a != "--"])
        import api.cli

        if hasattr(api.cli, "run"):
            # Leave as the ``aidroute`` command does (``api.cli.run``): at once, after
            # flushing. Before it did, the interpreter's teardown was part of the wait.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        sys.exit(code)

    from benchmarks.large_plans import plan_argv

    # Warm means as a user's install runs a second time: its modules byte-compiled (pip
    # compiles a wheel's; an editable install writes them on its first run). A shell that
    # sets PYTHONDONTWRITEBYTECODE would otherwise have every case compile ours again.
    for root in {ROOT, args.today or ROOT}:
        byte_compile(root)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cases: list[tuple[str, list[str], float]] = []
        if not args.no_demo:
            cases.append(("demo", ["demo"], 2 + 0.1 * 120))
        for n in args.sizes:
            deliveries, drivers, hub = write_week(n, tmp)
            week = plan_argv(deliveries, drivers, hub, AREA)
            cases.append((f"{n} stops", week, min(60.0, 2 + 0.1 * n)))
        # The first run after installing (an empty numba cache) against warm ones, with the
        # same 2 s search each time so that only compiling differs: the demo (a neighbourhood's
        # week: no compiled kernels) and the smallest generated week of 1,000 stops or more
        # (its matrix uses them).
        cold_cases = [(n, a) for n, a, _ in cases if n == "demo"]
        cold_cases += [(n, a) for n, a, _ in cases if n != "demo" and int(n.split()[0]) >= 1000][:1]
        for k, (name, argv) in enumerate(cold_cases):
            fixed = [*argv, "--time-limit", "2", "--full-time"]
            cache = {"NUMBA_CACHE_DIR": str(tmp / f"numba-cold-{k}")}
            slug = name.replace(" ", "-")
            first = run_case(f"{name}, first run", fixed, tmp / f"{slug}-cold", ROOT, cache)
            warm = [
                run_case(f"{name}, warm", fixed, tmp / f"{slug}-warm{j}", ROOT, cache)["wall_s"]
                for j in range(2)
            ]
            rows.append(
                {
                    "case": f"{name}: first run after install (empty numba cache), 2 s search",
                    "first_run_wall_s": first["wall_s"],
                    "warm_wall_s": warm,
                    "extra_s": round(first["wall_s"] - min(warm), 2),
                    "load": first["load"],
                }
            )
            print(
                f"{name}, first run after install: {first['wall_s']:.1f} s wall, warm "
                f"{' and '.join(f'{w:.1f}' for w in warm)} s: "
                f"{first['wall_s'] - min(warm):+.1f} s (load {first['load']:.1f})",
                flush=True,
            )
        for name, argv, cap in cases:
            slug = name.replace(" ", "-")
            today_root = args.today or ROOT
            full_argv = argv if args.today else [*argv, "--full-time"]
            full = run_case(name, full_argv, tmp / f"{slug}-full", today_root)
            if abs(cap - args.reference_s) < 1e-9 and not args.today:
                ref = full
            else:
                ref_argv = [*argv, "--time-limit", str(args.reference_s), "--full-time"]
                ref = run_case(name, ref_argv, tmp / f"{slug}-ref", ROOT)
            rule = run_case(name, argv, tmp / f"{slug}-rule", ROOT)
            row: dict[str, Any] = {
                "case": name,
                "reference": {"route_min": ref["route_min"], "assigned": ref["assigned"]},
            }
            for mode, run in (("full", full), ("rule", rule)):
                row[mode] = {
                    "wall_s": run["wall_s"],
                    "solve_s": run["solve_s"],
                    "stopped": run["stopped"],
                    "route_min": run["route_min"],
                    "assigned": run["assigned"],
                    "objective": run["objective"],
                    "load": run["load"],
                    **figures(run, ref),
                }
            rows.append(row)
            print(
                f"\n{name}: reference ({args.reference_s:g} s, full time) {ref['route_min']:.1f} "
                f"route min, {ref['assigned']} placed",
                flush=True,
            )
            print(
                f"  {'':14s} {'wall s':>7s} {'first plan s':>13s} {'(solve)':>8s} "
                f"{'to 1 % s':>9s} {'final':>7s} {'placed':>7s} {'stopped':>11s} {'load':>5s}"
            )
            for mode, label in (("full", "full limit"), ("rule", "new rule")):
                r = row[mode]
                print(
                    f"  {label:14s} {r['wall_s']:7.1f} {_s(r['first_plan_s']):>13s} "
                    f"{_s(r['first_plan_solve_s']):>8s} {_s(r['to_1pct_s']):>9s} "
                    f"{r['final_ratio']:7.4f} {r['assigned_vs_ref']:+7d} {r['stopped']:>11s} "
                    f"{r['load']:5.1f}",
                    flush=True,
                )
    print(
        "\ntargets: demo (all outputs) <= 3 s warm within 1 %; 500 stops <= 20 s; 2,000 stops "
        "first plan <= 10 s and final within 2 %; first run <= 10 s longer than warm"
    )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
