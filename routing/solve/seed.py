"""A first plan from PyVRP, to start the OR-Tools search from (optional: needs ``pyvrp``).

PyVRP's hybrid genetic search finds much better routes than OR-Tools' own first solution
and local search on capacity and time-window problems (see ``benchmarks/solver.py``).
Here it solves a relaxation of the solver's model: one PyVRP vehicle type per group of
identical vehicles, one routing profile per set of stops a vehicle may take (stops it may
not take are made unreachable), the hull of a stop's windows, loads as delivery
dimensions (boxes, frozen, and a stop count for ``max_stops``), every stop optional with
the model's penalty as its prize. What PyVRP cannot express (several windows, a driver
choosing among hubs, balance, preferred drivers) is left to OR-Tools: the routes are first
repaired with the solver's own route check, then loaded into OR-Tools, which keeps
improving them under the full model.

This is the only module of aidroute that imports ``pyvrp`` (inside the functions, so
importing this module stays cheap without it). It never imports ortools; it works on the
solver's plain :class:`~routing.solve.data.SolveData`.
"""

from __future__ import annotations

import importlib.util
import math
import time
import warnings
from collections.abc import Callable
from typing import Any, cast

import numpy as np

from routing.solve.data import BIG, SolveData
from routing.solve.schedule import balance_coef, keep_feasible, time_shares

#: The PyVRP API used here (Location-based ProblemData, start_late, overtime, iterated
#: local search with callbacks) is 0.14's.
MIN_PYVRP = (0, 14)

#: PyVRP's cost of a solution that breaks one of its rules is this or more.
INFEASIBLE = 2**62

#: Each stop's granular neighbourhood in PyVRP's local search (the stops it is tried next
#: to), for weeks of up to ``FEW_NEIGHBOURS_MAX_STOPS`` stops; PyVRP's default of 50 above.
#: Measured under the stall rule (November 2026), against PyVRP's 50: per-lane plans over
#: time on the demo (seeds 0-5) and generated weeks of the everyday harness, 120 to 1,000
#: stops (seeds 0-3, 500 and 1,000 seeds 0-1). With 20 the searches come within 1 % of a
#: 30-60 s plan sooner (demo 0.33 s into the solve against 0.67 s, 120 stops 1.0 s against
#: 2.1 s, 250 stops 1.3 s against 1.8-2.1 s, 1,000 stops 5.1 s against 6.8 s) and stop
#: with shorter routes on average (demo 0.16 % under the 60 s plan against 0.09 % over,
#: 120 stops 0.40 % over against 0.67 %, 180 stops 0.60 % against 0.48 %, 250 stops 0.15 %
#: against 0.66-0.75 %, 500 stops 0.52 % against 0.99 %). ``benchmarks.everyday``, both side
#: by side: demo final 1.0011 against 1.0049, 500 stops 1.0037 against 1.0083, 1,000 stops
#: 1.0107 against 1.0115 in 9.7 s against 15.6 s. On 2,000 stops 20 neighbours are better
#: at every equal time, but the first plans come 2 s sooner and gains slower, so the stall
#: rule stopped them 0.5-0.8 % worse: 50 there. The VRPLIB sets (travel only, 10 s cap, the
#: rule; seeds 0 and 1): mean gaps 0.86 % and 0.63 % against 0.83 % and 0.67 %.
NEIGHBOURS = 20
FEW_NEIGHBOURS_MAX_STOPS = 1000


def pyvrp_fits(data: SolveData) -> bool:
    """Whether PyVRP (0.14 or later) is installed and the problem is worth seeding."""
    if data.n_stops < 8 or not data.vehicles or importlib.util.find_spec("pyvrp") is None:
        return False
    try:
        from importlib.metadata import version

        major, minor = (int(x) for x in version("pyvrp").split(".")[:2])
    except Exception:
        return False
    return (major, minor) >= MIN_PYVRP


def _pyvrp_data(data: SolveData) -> tuple[Any, list[list[int]]]:
    """PyVRP ``ProblemData`` for ``data``, and our vehicles behind each PyVRP vehicle type."""
    from pyvrp import Client, Depot, Location, ProblemData, VehicleType

    n_s = data.n_stops
    opts = data.options
    # Depots: one per distinct start hub and end place, represented by one of our nodes.
    depot_nodes: list[int] = []
    depot_of: dict[tuple[str, str | None], int] = {}

    def depot(kind: str, key: str | None, node: int) -> int:
        k = (kind if key is None else "place", key)
        if k not in depot_of:
            depot_of[k] = len(depot_nodes)
            depot_nodes.append(node)
        return depot_of[k]

    starts, ends = [], []
    for vi, v in enumerate(data.vehicles):
        starts.append(depot("start", f"hub:{v.hub.id}", data.start_node(vi)))
        ends.append(depot("end-anywhere", v.end_key, data.end_node(vi)))
    # PyVRP locations: depots first, then clients (the order PyVRP expects).
    nodes = depot_nodes + list(range(n_s))
    idx = np.array(nodes, dtype=int)
    n_dep = len(depot_nodes)
    # Profiles: (travel profile, stops allowed) -> PyVRP profile index.
    allowed_sets: list[frozenset[int]] = []
    for vi in range(len(data.vehicles)):
        allowed_sets.append(frozenset(i for i in range(n_s) if vi in data.allowed[i]))
    prof_key: dict[tuple[str, frozenset[int]], int] = {}
    # Any: pyvrp's stubs give these arrays a shape type numpy's own do not match.
    dist_mats: list[Any] = []
    dur_mats: list[Any] = []
    veh_prof = []
    for vi, v in enumerate(data.vehicles):
        k = (v.profile, allowed_sets[vi])
        if k not in prof_key:
            tr = data.travel[v.profile][np.ix_(idx, idx)].astype(np.int64)
            cost = (
                data.dist[v.profile] if opts.objective == "distance" else data.travel[v.profile]
            )[np.ix_(idx, idx)].astype(np.int64)
            banned = [n_dep + i for i in range(n_s) if i not in allowed_sets[vi]]
            for m in (tr, cost):
                m[:, banned] = BIG
                m[banned, :] = BIG
                np.fill_diagonal(m, 0)
            prof_key[k] = len(dist_mats)
            dist_mats.append(cost)
            dur_mats.append(tr)
        veh_prof.append(prof_key[k])
    frozen = any(s.frozen for s in data.stops)
    counted = any(v.max_stops < BIG for v in data.vehicles)

    def load(boxes: int, fz: int, count: int) -> list[int]:
        out = [boxes]
        if frozen:
            out.append(fz)
        if counted:
            out.append(count)
        return out

    # Time balance: route time above a driver's fair share costs like overtime.
    shares = time_shares(data)
    coef = balance_coef(data)
    # Vehicle types: group identical vehicles.
    groups: dict[tuple, list[int]] = {}
    for vi, v in enumerate(data.vehicles):
        loading = int(v.hub.loading_s)
        max_dist = (
            int(v.max_distance_m)
            if opts.objective == "distance" and v.max_distance_m < BIG
            else None
        )
        key = (
            veh_prof[vi],
            starts[vi],
            ends[vi],
            tuple(load(v.capacity, min(v.capacity_frozen, BIG), min(v.max_stops, n_s))),
            v.earliest_hub_s + loading,
            v.driver.shift.end_s,
            v.latest_hub_s + loading,
            None if v.max_span_s >= BIG else max(0, v.max_span_s - loading),
            max_dist,
            None if shares is None else max(0, shares[vi] - loading),
        )
        groups.setdefault(key, []).append(vi)
    types = []
    members = []
    for key, vis in groups.items():
        prof, sd, ed, cap, early, late, start_late, span, max_dist, share = key
        kw: dict[str, Any] = {}
        if share is not None:
            hard = span if span is not None else BIG
            kw.update(
                shift_duration=min(share, hard),
                max_overtime=max(0, hard - share),
                unit_overtime_cost=coef,
            )
        elif span is not None:
            kw["shift_duration"] = span
        if max_dist is not None:
            kw["max_distance"] = max_dist
        types.append(
            VehicleType(
                num_available=len(vis),
                capacity=list(cap),
                start_depot=sd,
                end_depot=ed,
                fixed_cost=int(data.fixed_cost),
                tw_early=int(min(early, late)),
                tw_late=int(late),
                start_late=int(min(max(early, start_late), late)),
                profile=prof,
                **kw,
            )
        )
        members.append(vis)
    # Required visits search much better in PyVRP (1-2 % on X-n303 and 400 demo stops at
    # 8 s); use them when the cars can hold everything. A plan that still breaks a rule is
    # repaired afterwards, and OR-Tools re-inserts what the repair took out.
    drivers = {v.driver.id: v for v in data.vehicles}
    required = (
        sum(s.boxes for s in data.stops) <= sum(v.capacity for v in drivers.values())
        and sum(s.frozen for s in data.stops)
        <= sum(min(v.capacity_frozen, BIG) for v in drivers.values())
        and n_s <= sum(min(v.max_stops, n_s) for v in drivers.values())
    )
    locations = [Location(0, 0) for _ in nodes]
    depots = [Depot(k) for k in range(n_dep)]
    clients = []
    for i, s in enumerate(data.stops):
        if s.windows:
            early, late = s.windows[0].start_s, max(w.end_s for w in s.windows)
        else:
            early, late = 0, data.horizon
        clients.append(
            Client(
                n_dep + i,
                delivery=load(s.boxes, s.frozen, 1),
                service_duration=int(s.service_s),
                tw_early=int(early),
                tw_late=int(min(late, data.horizon)),
                prize=int(data.penalty[i]),
                required=required,
            )
        )
    pd = ProblemData(locations, clients, depots, types, dist_mats, dur_mats)
    return pd, members


class PyvrpSearch:
    """PyVRP's iterated local search on the relaxation of ``data``, step by step: a first
    plan (:meth:`first`: a sweep around the hub, then local search), then
    :meth:`improve` from it for as long as ``stop`` allows, and :meth:`routes` to turn a
    PyVRP solution into our vehicles' routes, repaired by the solver's own check.

    ``turn`` (0..1) turns the sweep's starting angle by that share of a sector, so that two
    searches start from different first plans.
    """

    def __init__(self, data: SolveData, seed: int, turn: float = 0.0):
        from pyvrp import PenaltyManager, PenaltyParams, RandomNumberGenerator
        from pyvrp.search import (
            OPERATORS,
            LocalSearch,
            NeighbourhoodParams,
            PerturbationManager,
            PerturbationParams,
            compute_neighbours,
        )

        self.data = data
        self.turn = turn
        self.pd, self.members = _pyvrp_data(data)
        rng = RandomNumberGenerator(seed=seed)
        few = data.n_stops <= FEW_NEIGHBOURS_MAX_STOPS
        near = NeighbourhoodParams(num_neighbours=NEIGHBOURS) if few else NeighbourhoodParams()
        neighbours = compute_neighbours(self.pd, near)
        self.ls = LocalSearch(self.pd, rng, neighbours, PerturbationManager(PerturbationParams()))
        for op in OPERATORS:
            if op.supports(self.pd):
                self.ls.add_operator(op(self.pd))
        params = PenaltyParams()
        self.pm = PenaltyManager(params.midpoint_penalties(self.pd), params)

    def swept(self) -> Any:
        """The sweep (:func:`sweep`) as a PyVRP solution: instant, rough."""
        from pyvrp import Route, Solution

        type_of = {vi: k for k, vis in enumerate(self.members) for vi in vis}
        routes = [
            Route(self.pd, seq, type_of[vi]) for vi, seq in sweep(self.data, self.turn) if seq
        ]
        return Solution(self.pd, routes)

    def first(self, swept: Any = None) -> Any:
        """A first PyVRP solution: the sweep (or ``swept``), improved by local search."""
        start = self.swept() if swept is None else swept
        return self.ls(start, self.pm.max_cost_evaluator(), exhaustive=True)

    def improve(
        self, start: Any, stop: Callable[[int], bool], on_best: Callable[[Any], None]
    ) -> Any:
        """PyVRP's iterated local search from ``start`` until ``stop(best cost)`` says so
        (the cost is :data:`INFEASIBLE` or more while no plan keeps every rule PyVRP
        knows); ``on_best(solution)`` at each new best. Returns the best solution."""
        from pyvrp import (
            IteratedLocalSearch,
            IteratedLocalSearchCallbacks,
            IteratedLocalSearchParams,
        )

        class Callbacks(IteratedLocalSearchCallbacks):
            def on_best(self, best: Any) -> None:
                on_best(best)

        # A shorter late-acceptance history than PyVRP's 300 converges faster in the
        # seconds a dispatcher waits: at the same number of iterations, 1-3 % lower cost on
        # the demo and on 500- and 1,000-stop weeks (two seeds each). PyVRP's exhaustive
        # search of each new best stays: without it the demo stopped sooner under the stall
        # rule (2.2 s against 2.7 s on average, seeds 0-5) but 0.3 % further from a 60 s
        # plan's route minutes; 120- and 180-stop weeks came out about even (seeds 0-3).
        params = IteratedLocalSearchParams(history_length=30, callbacks=Callbacks())
        algo = IteratedLocalSearch(self.pd, self.pm, self.ls, start, params)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Any: pyvrp's StoppingCriterion names its argument; ours is positional.
            return algo.run(cast(Any, stop), collect_stats=False).best

    def routes(self, solution: Any) -> list[list[int]]:
        """Stop nodes per vehicle of ``data`` for a PyVRP solution, repaired to pass the
        solver's own check (stops that do not fit are left out)."""
        data = self.data
        routes: list[list[int]] = [[] for _ in data.vehicles]
        free = [list(m) for m in self.members]
        for r in solution.routes():
            vis = free[r.vehicle_type()]
            if not vis:
                continue
            vi = vis.pop(0)
            seq = [a.idx for a in r if a.is_client()]
            routes[vi] = [i for i in seq if vi in data.allowed[i]]
        # A driver has one route, whichever hub: keep the busiest of their alternatives.
        for alts in data.driver_alts.values():
            busy = [vi for vi in alts if routes[vi]]
            if len(busy) > 1:
                keep = max(busy, key=lambda vi: len(routes[vi]))
                for vi in busy:
                    if vi != keep:
                        routes[vi] = []
        # Repair: keep, in order, the stops that pass the solver's full check.
        return [keep_feasible(data, vi, seq) for vi, seq in enumerate(routes)]


def sweep(data: SolveData, turn: float = 0.0) -> list[tuple[int, list[int]]]:
    """A quick complete first plan to start local search from: stops sorted by their angle
    around the hub, cut into runs, one per driver, each run about the driver's share of
    the boxes (with ``minimize_drivers``, a full car). Ignores hours and windows: local
    search fixes those. Returns (vehicle, stop nodes) pairs."""
    vehicles: list[int] = []
    seen: set[str] = set()
    for vi, v in enumerate(data.vehicles):
        if v.driver.id not in seen:
            seen.add(v.driver.id)
            vehicles.append(vi)
    if not vehicles or not data.n_stops:
        return []
    hubs = np.array([(v.hub.location.lat, v.hub.location.lon) for v in data.vehicles])
    lat0, lon0 = hubs.mean(axis=0)
    pts = np.array(
        [(s.location.lat, s.location.lon) if s.location else (lat0, lon0) for s in data.stops]
    )
    kx = math.cos(math.radians(lat0))
    angle = np.arctan2(pts[:, 0] - lat0, (pts[:, 1] - lon0) * kx)
    order = np.argsort((angle + math.pi + 2 * math.pi * turn / len(vehicles)) % (2 * math.pi))
    boxes = np.array([max(1, s.boxes) for s in data.stops], dtype=float)
    caps = np.array([max(1, data.vehicles[vi].capacity) for vi in vehicles], dtype=float)
    caps = np.minimum(caps, boxes.sum())
    target = caps if data.fixed_cost else caps * min(1.0, boxes.sum() / caps.sum())
    out: list[tuple[int, list[int]]] = []
    k, load = 0, 0.0
    run: list[int] = []
    for i in order:
        if run and load + boxes[i] > target[k] and k + 1 < len(vehicles):
            out.append((vehicles[k], run))
            k, load, run = k + 1, 0.0, []
        run.append(int(i))
        load += boxes[i]
    out.append((vehicles[k], run))
    return out


def pyvrp_routes(
    data: SolveData, limit_s: float, seed: int, tick: Callable[[], None] | None = None
) -> list[list[int]] | None:
    """Routes (stop nodes per vehicle of ``data``) from ``limit_s`` seconds of PyVRP,
    repaired to pass the solver's own check, or ``None`` when PyVRP found nothing usable.
    ``tick`` is called a few times a second while PyVRP runs (for a progress bar)."""
    search = PyvrpSearch(data, seed)
    end = time.monotonic() + max(0.05, limit_s)
    ticks = [0.0]

    def stop(_cost: int) -> bool:
        now = time.monotonic()
        if tick is not None and now >= ticks[0]:
            tick()
            ticks[0] = now + 0.25
        return now >= end

    routes = search.routes(search.improve(search.first(), stop, lambda _best: None))
    return routes if any(routes) else None
