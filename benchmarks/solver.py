"""Solver quality side by side: aidroute, plain OR-Tools, PyVRP and VROOM, same time limit.

Run::

    nice python -m benchmarks.solver --time-limit 30                     # everything
    python -m benchmarks.solver --time-limit 5 --instances X-n101-k25 R101 demo150

Instances: the VRPLIB files under ``../shared/data/vrp`` (gap to the best-known solution
in the ``.sol`` next to each; cost conventions in :mod:`routing.vrplib`), and two
generated instances on the bundled Queens Village area (``demo150``, ``demo400``: stops at
real addresses, 2-hour windows on a third of them, drivers with shifts and capacities,
the real road travel-time matrix; cost = total travel seconds; gap to the best of the
solvers). Every solver gets the same integer matrix and must serve every stop:
"feasible" means all served within every constraint.

The solvers:

* ``aidroute``: :func:`routing.solve.solver.solve` with defaults (two processes, each
  PyVRP's iterated local search from its own first plan), balance off, minimising travel,
  searching for the whole limit (``full_time``; ``--rule``: aidroute's default, stopping
  once the plan stops improving, the seconds it took in the table).
* ``ortools``: the textbook setup: Python transit callbacks, mandatory visits,
  PATH_CHEAPEST_ARC + GUIDED_LOCAL_SEARCH, one thread.
* ``pyvrp``: ``pyvrp.solve`` with ``MaxRuntime``, one thread.
* ``vroom``: pyvroom, exploration level 5, two threads, the time limit as its timeout.
* ``aidroute-ortools`` (not run unless named in ``--solvers``): aidroute with
  ``seeding="off"``, i.e. OR-Tools only (two differently set GLS searches).

``--json FILE`` keeps every figure, including aidroute's time to its first plan.

Needs the ``bench`` extras (vrplib, pyvrp, pyvroom).

Measured on the project's 2-core machine (shared), 30 s per run, gap to BKS (demo: to the
best of the four), November 2026:

=========== ======== ============== ======= =======
instance    aidroute OR-Tools plain PyVRP   VROOM
=========== ======== ============== ======= =======
X-n101-k25  0.00 %   5.68 %         0.00 %  1.91 %
X-n153-k22  0.67 %   5.77 %         0.67 %  1.75 %
X-n200-k36  0.69 %   3.90 %         0.68 %  2.40 %
X-n256-k16  0.43 %   7.40 %         0.38 %  1.81 %
X-n303-k21  1.06 %   9.15 %         1.06 %  2.16 %
X-n401-k29  1.03 %   3.33 %         0.75 %  2.14 %
C1_2_1      0.00 %   12.32 %        0.00 %  0.00 %
R1_2_1      0.30 %   no plan        0.34 %  1.29 %
RC2_2_1     0.17 %   5.23 %         0.17 %  4.38 %
C101        0.00 %   0.00 %         0.00 %  0.00 %
R101        0.00 %   no plan        0.00 %  0.40 %
R201        0.00 %   4.03 %         0.00 %  2.63 %
RC101       0.89 %   no plan        0.83 %  2.31 %
RC208       0.00 %   8.08 %         0.00 %  1.33 %
demo150     0.00 %   10.08 %        0.00 %  1.15 %
demo400     0.41 %   13.09 %        0.00 %  1.96 %
=========== ======== ============== ======= =======

aidroute's first complete plan came after 0.06-0.57 s (demo150: 0.10 s). With OR-Tools
only (``aidroute-ortools``): X-n101 3.97 %, X-n256 6.60 %, R101 1.22 %, RC101 5.40 %,
R1_2_1 4.98 %, demo150 6.6 % above the best; always feasible.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED_VRP = ROOT.parent / "shared" / "data" / "vrp"
SOLVERS = ("aidroute", "ortools", "pyvrp", "vroom")


@dataclass
class Flat:
    """One depot (index 0), clients 1..n, integer costs; what every solver is given."""

    name: str
    cost: np.ndarray  # (n+1, n+1) int, what is minimised
    duration: np.ndarray  # (n+1, n+1) int, travel time
    demand: list[int]
    service: list[int]
    windows: list[tuple[int, int] | None]
    vehicles: list[tuple[int, int, int]]  # (capacity, shift start, shift end)
    scale: int = 1  # divide cost by this for the instance's units
    bks: float | None = None
    problem: Any = None  # the aidroute Problem
    matrix: Any = None  # the aidroute TravelMatrix
    ids: list[str] = field(default_factory=list)  # client index -> stop id


@dataclass
class Result:
    solver: str
    cost: float | None
    routes: int
    feasible: bool
    seconds: float
    note: str = ""


# --- Instances -----------------------------------------------------------------------------


def _flat_from_model(
    name: str, problem: Any, matrix: Any, scale: int, bks: float | None, by_distance: bool
) -> Flat:
    from routing.model import hub_key, stop_key

    hub = problem.hubs[0]
    keys = [hub_key(hub.id)] + [stop_key(s.id) for s in problem.stops]
    pos = np.array([matrix.index(k) for k in keys])
    dur = np.ceil(np.asarray(matrix.duration_s)[np.ix_(pos, pos)] - 1e-9).astype(np.int64)
    dist = np.ceil(np.asarray(matrix.distance_m)[np.ix_(pos, pos)] - 1e-9).astype(np.int64)
    windows: list[tuple[int, int] | None] = [None] + [
        (s.windows[0].start_s, s.windows[-1].end_s) if s.windows else None for s in problem.stops
    ]
    return Flat(
        name=name,
        cost=dist if by_distance else dur,
        duration=dur,
        demand=[0] + [s.boxes for s in problem.stops],
        service=[0] + [s.service_s for s in problem.stops],
        windows=windows,
        vehicles=[(d.capacity_boxes, d.shift.start_s, d.shift.end_s) for d in problem.drivers],
        scale=scale,
        bks=bks,
        problem=problem,
        matrix=matrix,
        ids=[""] + [s.id for s in problem.stops],
    )


def vrplib_instance(path: Path) -> Flat:
    from routing.vrplib import read_instance, read_solution

    inst = read_instance(path)
    bks = None
    if path.with_suffix(".sol").exists():
        bks = read_solution(path.with_suffix(".sol"))[1]
    return _flat_from_model(inst.name, inst.problem, inst.matrix, inst.scale, bks, True)


def demo_instance(n: int, seed: int = 7) -> Flat:
    """``n`` stops at real Queens Village addresses, a third with 2-hour windows."""
    from routing.model import Driver, Hub, LatLon, Problem, Stop, TimeWindow
    from routing.roads.area import load_area
    from routing.roads.matrix import travel_matrix

    area = load_area("queens-village")
    hub_info = json.loads((ROOT / "data" / "demo" / "hub.json").read_text())
    hub = Hub(hub_info["id"], hub_info["name"], LatLon(hub_info["lat"], hub_info["lon"]))
    rng = np.random.default_rng(seed)
    addr = area.addresses
    rows = rng.choice(len(addr), size=n, replace=False)
    stops = []
    h = 3600
    for k, r in enumerate(rows):
        windows = ()
        if k % 3 == 0:
            start = int(rng.choice([9, 10, 11])) * h
            windows = (TimeWindow(start, start + 2 * h),)
        stops.append(
            Stop(
                f"s{k}",
                location=LatLon(float(addr.lat.iloc[r]), float(addr.lon.iloc[r])),
                boxes=int(rng.integers(1, 5)),
                windows=windows,
                service_s=int(rng.choice([240, 300, 420])),
            )
        )
    boxes = sum(s.boxes for s in stops)
    drivers = []
    k = 0
    shifts = [(9, 13), (9, 12), (10, 13), (9, 13), (10, 14)]
    while sum(d.capacity_boxes for d in drivers) < 1.25 * boxes or len(drivers) < n / 12:
        a, b = shifts[k % len(shifts)]
        drivers.append(
            Driver(
                f"d{k}", f"Driver {k}", int(rng.choice([20, 25, 30, 40])), TimeWindow(a * h, b * h)
            )
        )
        k += 1
    problem = Problem((hub,), tuple(stops), tuple(drivers))
    matrix = travel_matrix(area.graph("drive"), problem.places())
    return _flat_from_model(f"demo{n}", problem, matrix, 1, None, False)


def find_instances(names: list[str] | None) -> list[str]:
    every = [*sorted(str(p) for p in SHARED_VRP.glob("*/*.vrp")), "demo150", "demo400"]
    if not names:
        return every
    out = []
    for name in names:
        if name.startswith("demo") or Path(name).exists():
            out.append(name)
            continue
        hit = [p for p in every if Path(p).stem == name]
        if not hit:
            raise SystemExit(f"unknown instance {name!r}")
        out += hit
    return out


def load(name: str) -> Flat:
    if name.startswith("demo"):
        return demo_instance(int(name[4:]))
    return vrplib_instance(Path(name))


# --- Checking a plan given as client sequences --------------------------------------------


def evaluate(flat: Flat, routes: list[tuple[int, list[int]]]) -> tuple[float, bool]:
    """Cost and feasibility of ``routes`` (vehicle index, client indices)."""
    served = sorted(c for _, r in routes for c in r)
    ok = served == list(range(1, len(flat.demand)))
    total = 0
    for v, r in routes:
        cap, start, end = flat.vehicles[v]
        ok &= sum(flat.demand[c] for c in r) <= cap
        t, prev = start, 0
        for c in r:
            total += int(flat.cost[prev, c])
            t += int(flat.duration[prev, c]) + flat.service[prev]
            w = flat.windows[c]
            if w is not None:
                t = max(t, w[0])
                ok &= t <= w[1]
            prev = c
        total += int(flat.cost[prev, 0])
        t += int(flat.duration[prev, 0]) + flat.service[prev]
        ok &= t <= end
    return total / flat.scale, bool(ok)


# --- The solvers ---------------------------------------------------------------------------


#: With ``--rule``, aidroute stops once its plan stops improving (its default) instead of
#: searching for the whole limit like the other solvers.
FULL_TIME = [True]


def run_aidroute(flat: Flat, limit: float, seed: int, seeding: str = "auto") -> Result:
    from routing.solve.options import SolveOptions
    from routing.solve.solver import solve

    demo = flat.name.startswith("demo")
    opts = SolveOptions(
        time_limit_s=limit,
        full_time=FULL_TIME[0],
        seed=seed,
        balance="off",
        objective="time" if demo else "distance",
        suggest_fixes=False,
        seeding=seeding,
    )  # type: ignore[arg-type]
    t0 = time.perf_counter()
    plan = solve(flat.problem, flat.matrix, opts)
    secs = time.perf_counter() - t0
    index = {sid: k for k, sid in enumerate(flat.ids)}
    drivers = {d.id: k for k, d in enumerate(flat.problem.drivers)}
    routes = [(drivers[r.driver_id], [index[v.stop_id] for v in r.visits]) for r in plan.routes]
    cost, ok = evaluate(flat, routes)
    note = f"first plan {plan.stats.get('first_solution_s')} s, best from {plan.stats['solver']}"
    name = "aidroute" if seeding == "auto" else "aidroute-ortools"
    return Result(name, cost, len(routes), ok, secs, note)


def run_ortools(flat: Flat, limit: float, seed: int) -> Result:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = len(flat.demand)
    nv = len(flat.vehicles)
    mgr = pywrapcp.RoutingIndexManager(n, nv, 0)
    routing = pywrapcp.RoutingModel(mgr)
    cost, dur = flat.cost, flat.duration

    def cost_cb(i: int, j: int) -> int:
        return int(cost[mgr.IndexToNode(i), mgr.IndexToNode(j)])

    def time_cb(i: int, j: int) -> int:
        a, b = mgr.IndexToNode(i), mgr.IndexToNode(j)
        return int(dur[a, b]) + flat.service[a]

    def demand_cb(i: int) -> int:
        return flat.demand[mgr.IndexToNode(i)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(cost_cb))
    d_cb = routing.RegisterUnaryTransitCallback(demand_cb)
    routing.AddDimensionWithVehicleCapacity(d_cb, 0, [v[0] for v in flat.vehicles], True, "cap")
    horizon = max(v[2] for v in flat.vehicles)
    routing.AddDimension(routing.RegisterTransitCallback(time_cb), horizon, horizon, False, "time")
    tdim = routing.GetDimensionOrDie("time")
    for c in range(1, n):
        w = flat.windows[c]
        if w is not None:
            tdim.CumulVar(mgr.NodeToIndex(c)).SetRange(w[0], w[1])
    for v, (_, start, end) in enumerate(flat.vehicles):
        tdim.CumulVar(routing.Start(v)).SetRange(start, end)
        tdim.CumulVar(routing.End(v)).SetRange(start, end)
    p = pywrapcp.DefaultRoutingSearchParameters()
    p.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    p.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    p.time_limit.FromMilliseconds(int(limit * 1000))
    t0 = time.perf_counter()
    sol = routing.SolveWithParameters(p)
    secs = time.perf_counter() - t0
    if sol is None:
        return Result("ortools", None, 0, False, secs, "no solution")
    routes = []
    for v in range(nv):
        idx = sol.Value(routing.NextVar(routing.Start(v)))
        seq = []
        while not routing.IsEnd(idx):
            seq.append(mgr.IndexToNode(idx))
            idx = sol.Value(routing.NextVar(idx))
        if seq:
            routes.append((v, seq))
    c, ok = evaluate(flat, routes)
    return Result("ortools", c, len(routes), ok, secs)


def run_pyvrp(flat: Flat, limit: float, seed: int) -> Result:
    from pyvrp import Client, Depot, Location, ProblemData, VehicleType, solve
    from pyvrp.stop import MaxRuntime

    n = len(flat.demand)
    groups: dict[tuple[int, int, int], list[int]] = {}
    for v, key in enumerate(flat.vehicles):
        groups.setdefault(key, []).append(v)
    types = [
        VehicleType(len(vs), capacity=[cap], tw_early=a, tw_late=b)
        for (cap, a, b), vs in groups.items()
    ]
    members = list(groups.values())
    clients = []
    for c in range(1, n):
        w = flat.windows[c] or (0, max(v[2] for v in flat.vehicles))
        clients.append(
            Client(
                c,
                delivery=[flat.demand[c]],
                service_duration=flat.service[c],
                tw_early=w[0],
                tw_late=w[1],
            )
        )
    data = ProblemData(
        [Location(0, 0) for _ in range(n)],
        clients,
        [Depot(0)],
        types,
        [flat.cost.astype(np.int64)],
        [flat.duration.astype(np.int64)],
    )
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = solve(data, MaxRuntime(limit), seed=seed, display=False, collect_stats=False)
    secs = time.perf_counter() - t0
    free = [list(m) for m in members]
    routes = []
    for r in res.best.routes():
        v = free[r.vehicle_type()].pop(0)
        routes.append((v, [a.idx + 1 for a in r if a.is_client()]))
    c, ok = evaluate(flat, routes)
    return Result("pyvrp", c, len(routes), ok and res.is_feasible(), secs)


def run_vroom(flat: Flat, limit: float, seed: int) -> Result:
    import vroom

    n = len(flat.demand)
    inp = vroom.Input()
    inp.set_durations_matrix("car", flat.duration.astype(np.uint32))
    inp.set_costs_matrix("car", flat.cost.astype(np.uint32))
    for v, (cap, a, b) in enumerate(flat.vehicles):
        inp.add_vehicle(
            vroom.Vehicle(v, start=0, end=0, capacity=[cap], time_window=vroom.TimeWindow(a, b))
        )
    for c in range(1, n):
        w = flat.windows[c]
        tws = [vroom.TimeWindow(w[0], w[1])] if w else []
        inp.add_job(
            vroom.Job(
                c,
                location=c,
                delivery=[flat.demand[c]],
                default_service=flat.service[c],
                time_windows=tws,
            )
        )
    t0 = time.perf_counter()
    from datetime import timedelta

    sol = inp.solve(exploration_level=5, nb_threads=2, timeout=timedelta(seconds=limit))
    secs = time.perf_counter() - t0
    df = sol.routes
    routes = []
    for v, group in df.groupby("vehicle_id"):
        jobs = [int(j) for t, j in zip(group["type"], group["id"], strict=False) if t == "job"]
        if jobs:
            routes.append((int(v), jobs))
    c, ok = evaluate(flat, routes)
    return Result("vroom", c, len(routes), ok, secs)


def run_aidroute_ortools(flat: Flat, limit: float, seed: int) -> Result:
    """aidroute with OR-Tools only (no PyVRP first plan): what the product falls back to."""
    return run_aidroute(flat, limit, seed, seeding="off")


RUNNERS = {
    "aidroute": run_aidroute,
    "ortools": run_ortools,
    "pyvrp": run_pyvrp,
    "vroom": run_vroom,
    "aidroute-ortools": run_aidroute_ortools,
}


# --- Table ---------------------------------------------------------------------------------


def _gap(cost: float | None, ref: float | None) -> str:
    if cost is None or ref is None or not ref:
        return "-"
    return f"{100 * (cost - ref) / ref:.2f} %"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--time-limit", type=float, default=30.0, metavar="SECONDS")
    ap.add_argument(
        "--instances",
        nargs="*",
        default=None,
        help="names (X-n101-k25, R101, demo150) or .vrp paths; default: all",
    )
    ap.add_argument("--solvers", default=",".join(SOLVERS))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", default=None, help="also write the results here")
    ap.add_argument(
        "--rule",
        action="store_true",
        help="aidroute stops once its plan stops improving (its default), the time limit a cap",
    )
    args = ap.parse_args(argv)
    FULL_TIME[0] = not args.rule
    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    rows = []
    header = ["instance", "reference"] + [f"{s} gap / routes / feasible / s" for s in solvers]
    print(" | ".join(header), flush=True)
    for name in find_instances(args.instances):
        flat = load(name)
        results = []
        for s in solvers:
            try:
                results.append(RUNNERS[s](flat, args.time_limit, args.seed))
            except Exception as e:  # a crashing peer is a result too
                results.append(Result(s, None, 0, False, 0.0, f"error: {e!r}"))
        feasible = [r.cost for r in results if r.feasible and r.cost is not None]
        ref = flat.bks if flat.bks is not None else (min(feasible) if feasible else None)
        ref_name = "BKS" if flat.bks is not None else "best"
        cells = [flat.name, f"{ref_name} {ref:g}" if ref is not None else "-"]
        for r in results:
            cells.append(
                f"{_gap(r.cost, ref)} / {r.routes} / {'yes' if r.feasible else 'NO'} "
                f"/ {r.seconds:.1f}"
            )
        print(" | ".join(cells), flush=True)
        rows.append(
            {
                "instance": flat.name,
                "reference": ref,
                "reference_kind": ref_name,
                "results": [r.__dict__ for r in results],
            }
        )
    # Means per solver over the instances with a reference.
    print()
    for s in solvers:
        gaps = [
            100 * (r["cost"] - row["reference"]) / row["reference"]
            for row in rows
            for r in row["results"]
            if r["solver"] == s and r["cost"] is not None and r["feasible"] and row["reference"]
        ]
        bad = sum(
            1 for row in rows for r in row["results"] if r["solver"] == s and not r["feasible"]
        )
        mean = sum(gaps) / len(gaps) if gaps else math.nan
        print(
            f"{s}: mean gap {mean:.2f} % over {len(gaps)} feasible, "
            f"max {max(gaps, default=math.nan):.2f} %, infeasible {bad}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
