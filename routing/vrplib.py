"""Standard benchmark instances (VRPLIB) in and out of aidroute's model.

A VRPLIB CVRP or VRPTW instance becomes a :class:`~routing.model.Problem` with one hub (the
depot), one stop per customer (id = its VRPLIB number, 1..n) and one driver per vehicle,
plus a :class:`~routing.model.TravelMatrix`. The cost conventions are the ones of the
published best-known solutions:

* CVRP (no time windows, e.g. the X set): Euclidean distance rounded to the nearest integer.
* VRPTW (Solomon, Gehring & Homberger): Euclidean distance and travel time truncated to one
  decimal (DIMACS 2021). Our model counts whole seconds, so one instance time unit is
  ``TIME_SCALE`` = 10 seconds, and a distance of 12.3 is 123 "metres"; :func:`plan_cost`
  divides back.

Reading uses the ``vrplib`` package.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from routing.errors import InputError, InputProblem
from routing.model import (
    Driver,
    Hub,
    LatLon,
    Plan,
    Problem,
    Stop,
    TimeWindow,
    TravelMatrix,
    hub_key,
    stop_key,
)

if TYPE_CHECKING:
    from routing.solve.options import Seeding, SolveProgress

#: Model seconds per VRPTW time unit (times and distances have one decimal).
TIME_SCALE = 10
#: A shift long enough to mean "no time limit" for CVRP vehicles.
_NO_LIMIT_S = 10**8


@dataclass(frozen=True)
class VrplibInstance:
    """An instance read into the model, and what is needed to score a plan of it."""

    name: str
    problem: Problem
    matrix: TravelMatrix
    #: Divide model distances by this to get the instance's cost units.
    scale: int
    has_windows: bool
    #: Customer numbers as VRPLIB writes them (stop id -> number).
    numbers: dict[str, int]


def _problem(path: Path, reason: str) -> InputError:
    return InputError(InputProblem("instance", str(path), reason))


def read_instance(path: str | Path, vehicles: int | None = None) -> VrplibInstance:
    """Read a VRPLIB ``.vrp`` CVRP or VRPTW instance.

    Parameters
    ----------
    path:
        The ``.vrp`` file (EUC_2D coordinates).
    vehicles:
        Fleet size. ``None``: the instance's ``VEHICLES`` field, or for CVRP (unlimited
        fleet) the lower bound ``ceil(demand / capacity)`` plus a margin of 20 % + 2.

    Raises
    ------
    InputError
        When the file is missing, unreadable, or not a Euclidean CVRP/VRPTW instance.
    """
    import vrplib

    path = Path(path)
    if not path.exists():
        raise _problem(path, "file not found")
    try:
        data = vrplib.read_instance(str(path), compute_edge_weights=False)
    except Exception as e:
        raise _problem(path, f"not a readable VRPLIB instance ({e})") from None
    if "node_coord" not in data or "demand" not in data or "capacity" not in data:
        raise _problem(
            path, "needs NODE_COORD_SECTION, DEMAND_SECTION and CAPACITY (EUC_2D CVRP or VRPTW)"
        )
    coords = np.asarray(data["node_coord"], dtype=float)
    demand = np.asarray(data["demand"], dtype=int)
    capacity = int(np.atleast_1d(data["capacity"])[0])
    depots = [int(d) for d in np.atleast_1d(data.get("depot", [0]))]
    if len(depots) != 1:
        raise _problem(path, "only one depot is supported")
    depot = depots[0]
    n = len(coords)
    has_windows = "time_window" in data
    diff = coords[:, None, :] - coords[None, :, :]
    euclid = np.sqrt((diff**2).sum(axis=2))
    if has_windows:
        scale = TIME_SCALE
        cost = np.floor(euclid * scale + 1e-6)  # truncated to one decimal, in tenths
        tw = np.asarray(data["time_window"], dtype=float)
        service = np.broadcast_to(np.asarray(data.get("service_time", 0), dtype=float), (n,))
    else:
        scale = 1
        cost = np.round(euclid)
        tw = None
        service = np.zeros(n)
    # Places: coordinates stand in for map positions (any valid LatLon will do).
    span = max(float(np.abs(coords).max()), 1.0)

    def place(i: int) -> LatLon:
        return LatLon(coords[i, 1] / span * 80, coords[i, 0] / span * 170)

    hub = Hub("depot", "Depot", place(depot))
    stops = []
    numbers: dict[str, int] = {}
    for i in range(n):
        if i == depot:
            continue
        windows: tuple[TimeWindow, ...] = ()
        if tw is not None:
            windows = (TimeWindow(round(tw[i, 0] * scale), round(tw[i, 1] * scale)),)
        sid = str(i)
        numbers[sid] = i
        stops.append(
            Stop(
                sid,
                location=place(i),
                boxes=int(demand[i]),
                windows=windows,
                service_s=round(service[i] * scale),
            )
        )
    if tw is not None:
        shift = TimeWindow(round(tw[depot, 0] * scale), round(tw[depot, 1] * scale))
    else:
        shift = TimeWindow(0, _NO_LIMIT_S)
    if vehicles is None:
        if data.get("vehicles") is not None:
            vehicles = int(data["vehicles"])
        else:
            lb = math.ceil(int(demand.sum()) / max(capacity, 1))
            vehicles = min(n - 1, lb + math.ceil(0.2 * lb) + 2)
    drivers = tuple(
        Driver(f"v{k + 1}", f"Vehicle {k + 1}", capacity, shift) for k in range(max(1, vehicles))
    )
    problem = Problem((hub,), tuple(stops), drivers, date=None)
    keys = tuple(hub_key("depot") if i == depot else stop_key(str(i)) for i in range(n))
    matrix = TravelMatrix(keys, cost.copy(), cost.copy())
    return VrplibInstance(
        str(data.get("name", path.stem)), problem, matrix, scale, has_windows, numbers
    )


def plan_cost(instance: VrplibInstance, plan: Plan) -> float:
    """Total distance of ``plan`` in the instance's cost units (as the BKS count it)."""
    total = 0.0
    m = instance.matrix
    for r in plan.routes:
        prev = hub_key("depot")
        for v in r.visits:
            total += m.distance(prev, stop_key(v.stop_id))
            prev = stop_key(v.stop_id)
        total += m.distance(prev, hub_key("depot"))
    return round(total / instance.scale, 1)


def solution_text(instance: VrplibInstance, plan: Plan) -> str:
    """``plan`` as a VRPLIB ``.sol``: ``Route #k: ...`` lines and a ``Cost`` line."""
    lines = []
    for k, r in enumerate((r for r in plan.routes if r.visits), start=1):
        lines.append(f"Route #{k}: " + " ".join(str(instance.numbers[v.stop_id]) for v in r.visits))
    cost = plan_cost(instance, plan)
    lines.append(f"Cost {int(cost) if float(cost).is_integer() else cost}")
    return "\n".join(lines) + "\n"


def write_solution(path: str | Path, instance: VrplibInstance, plan: Plan) -> Path:
    """Write ``plan`` as a VRPLIB ``.sol`` file; returns the path."""
    path = Path(path)
    path.write_text(solution_text(instance, plan), encoding="utf-8")
    return path


def read_solution(path: str | Path) -> tuple[list[list[int]], float]:
    """Routes (customer numbers) and cost of a VRPLIB ``.sol`` file."""
    import vrplib

    sol = vrplib.read_solution(str(path))
    return [list(map(int, r)) for r in sol["routes"]], float(sol.get("cost", math.nan))


def routes_cost(instance: VrplibInstance, routes: list[list[int]]) -> float:
    """Cost of routes given as customer numbers, by the instance's convention."""
    m = instance.matrix
    total = 0.0
    for route in routes:
        prev = hub_key("depot")
        for c in route:
            total += m.distance(prev, stop_key(str(c)))
            prev = stop_key(str(c))
        total += m.distance(prev, hub_key("depot"))
    return round(total / instance.scale, 1)


def solve_instance(
    instance: VrplibInstance,
    time_limit_s: float | None,
    seed: int = 0,
    workers: int = 2,
    progress: Callable[[SolveProgress], None] | None = None,
    seeding: Seeding = "auto",
    full_time: bool = False,
) -> Plan:
    """Solve a VRPLIB instance with aidroute's solver, minimising total distance, for at
    most ``time_limit_s`` (all of it with ``full_time``)."""
    from routing.solve.options import SolveOptions
    from routing.solve.solver import solve

    opts = SolveOptions(
        time_limit_s=time_limit_s,
        full_time=full_time,
        seed=seed,
        workers=workers,
        balance="off",
        objective="distance",
        suggest_fixes=False,
        seeding=seeding,
    )
    return solve(instance.problem, instance.matrix, opts, progress=progress)
