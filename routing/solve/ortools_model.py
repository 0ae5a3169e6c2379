"""The OR-Tools routing model of the solver's data, and one search over it.

This is the only module of aidroute that imports ``ortools`` (its Python API is untyped:
it stays behind :class:`OrModel` and :func:`run_search`, which return plain routes).

How the model is built
----------------------
* Every stop is a node; every vehicle of :class:`~routing.solve.data.SolveData` (a
  (driver, hub) pair) starts at its hub and ends at the driver's end place (hub, home, or
  "anywhere": a free end). A driver who may pick among several hubs gets one vehicle per
  hub, of which at most one is used.
* Dimensions: time (service start at a stop; travel + service of the previous node as
  transit; the hub's loading time at the start), boxes, a second quantity when any stop
  has ``frozen``, a stop count for ``max_stops``, and distance for ``max_distance_m``.
* Every visit is optional with a large penalty (urgent ones a much larger one), so the
  search always has a complete plan and never fails outright.
* Balance is a soft upper bound at each driver's fair share; preferred drivers (continuity,
  a previous plan) a per-stop cost; locked routes fixed successor constraints.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from routing.solve.data import BIG, SolveData
from routing.solve.options import SolveProgress
from routing.solve.schedule import balance_coef, time_shares


class OrModel:
    """The OR-Tools routing model of ``data``."""

    def __init__(self, data: SolveData):
        self.data = data
        d = data
        nv = len(d.vehicles)
        starts = [d.start_node(v) for v in range(nv)]
        ends = [d.end_node(v) for v in range(nv)]
        self.manager = pywrapcp.RoutingIndexManager(d.n_nodes, nv, starts, ends)
        self.routing = pywrapcp.RoutingModel(self.manager)
        r, mgr, opts = self.routing, self.manager, d.options
        # RegisterTransitMatrix is indexed by node; OR-Tools maps indices itself.
        time_cb: dict[str, int] = {}
        cost_cb: dict[str, int] = {}
        dist_cb: dict[str, int] = {}
        for vi, v in enumerate(d.vehicles):
            p = v.profile
            if p not in time_cb:
                t = d.travel[p] + d.service[:, None]
                t = np.minimum(t, BIG)
                time_cb[p] = r.RegisterTransitMatrix(t.tolist())
                base = d.dist[p] if opts.objective == "distance" else d.travel[p]
                cost_cb[p] = r.RegisterTransitMatrix(base.tolist())
            r.SetArcCostEvaluatorOfVehicle(cost_cb[p], vi)
        self._preferences()
        self.time = self._dimension(
            "time", [time_cb[v.profile] for v in d.vehicles], d.horizon, [d.horizon] * nv
        )
        tdim = self.time
        for vi, v in enumerate(d.vehicles):
            tdim.CumulVar(r.Start(vi)).SetRange(v.earliest_hub_s, v.latest_hub_s)
            tdim.CumulVar(r.End(vi)).SetMax(v.driver.shift.end_s)
            if v.max_span_s < BIG:
                tdim.SetSpanUpperBoundForVehicle(max(0, v.max_span_s), vi)
        for i, s in enumerate(d.stops):
            if s.windows:
                cv = tdim.CumulVar(mgr.NodeToIndex(i))
                lo = min(s.windows[0].start_s, d.horizon)
                hi = min(max(w.end_s for w in s.windows), d.horizon)
                cv.SetRange(lo, hi)
                for a, b in zip(s.windows, s.windows[1:], strict=False):
                    if b.start_s > a.end_s + 1:
                        cv.RemoveInterval(a.end_s + 1, b.start_s - 1)
        # Loads.
        demand = [s.boxes for s in d.stops] + [0] * (2 * nv)
        self.boxes = self._unary("boxes", demand, [v.capacity for v in d.vehicles])
        if any(s.frozen for s in d.stops):
            frozen = [s.frozen for s in d.stops] + [0] * (2 * nv)
            self._unary("frozen", frozen, [v.capacity_frozen for v in d.vehicles])
        if any(v.max_stops < BIG for v in d.vehicles):
            self._unary(
                "count",
                [1] * d.n_stops + [0] * (2 * nv),
                [min(v.max_stops, d.n_stops) for v in d.vehicles],
            )
        if any(v.max_distance_m < BIG for v in d.vehicles):
            for p in {v.profile for v in d.vehicles}:
                dist_cb[p] = r.RegisterTransitMatrix(d.dist[p].tolist())
            self._dimension(
                "distance",
                [dist_cb[v.profile] for v in d.vehicles],
                0,
                [max(0, min(v.max_distance_m, BIG)) for v in d.vehicles],
            )
        # Who may take what.
        for i in range(d.n_stops):
            idx = mgr.NodeToIndex(i)
            if len(d.allowed[i]) < nv:
                r.VehicleVar(idx).SetValues([-1, *d.allowed[i]])
            r.AddDisjunction([idx], d.penalty[i])
        solver = r.solver()
        for alts in d.driver_alts.values():
            if len(alts) > 1:
                solver.Add(solver.Sum([r.ActiveVehicleVar(v) for v in alts]) <= 1)
        if opts.max_vehicles is not None:
            r.SetMaximumNumberOfActiveVehicles(opts.max_vehicles)
        self._locks()
        # Fairness and fleet size.
        if d.fixed_cost:
            r.SetFixedCostOfAllVehicles(d.fixed_cost)
        elif opts.balance != "off":
            self._balance()

    def _dimension(self, name: str, cbs: list[int], slack: int, caps: list[int]) -> Any:
        self.routing.AddDimensionWithVehicleTransitAndCapacity(cbs, slack, caps, False, name)
        return self.routing.GetDimensionOrDie(name)

    def _unary(self, name: str, values: list[int], caps: list[int]) -> Any:
        cb = self.routing.RegisterUnaryTransitVector(values)
        self.routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, name)
        return self.routing.GetDimensionOrDie(name)

    def _preferred(self) -> dict[int, tuple[str, int]]:
        """Stop node -> (driver id it should stay with, cost of moving it)."""
        d, opts = self.data, self.data.options
        node = {s.id: i for i, s in enumerate(d.stops)}
        out: dict[int, tuple[str, int]] = {}
        for sid, drv in opts.continuity.items():
            if sid in node:
                out[node[sid]] = (drv, opts.continuity_cost_s)
        prev = d.previous
        if prev is not None and opts.change_cost_s:
            for route in prev.routes:
                for visit in route.visits:
                    if visit.stop_id in node:
                        out[node[visit.stop_id]] = (route.driver_id, opts.change_cost_s)
        return out

    def _preferences(self) -> None:
        """Cost of giving a stop to another driver than its preferred one.

        A dimension whose per-vehicle unary transit is that cost at each stop the vehicle's
        driver is not preferred for; its span (the sum) is charged at coefficient 1. Much
        lighter than one arc-cost matrix per driver.
        """
        prefer = self._preferred()
        if not prefer:
            return
        d, r = self.data, self.routing
        n = d.n_nodes
        cbs: dict[str, int] = {}
        per_vehicle = []
        for v in d.vehicles:
            if v.driver.id not in cbs:
                values = [0] * n
                for i, (drv, cost) in prefer.items():
                    if drv != v.driver.id:
                        values[i] = int(cost)
                cbs[v.driver.id] = r.RegisterUnaryTransitVector(values)
            per_vehicle.append(cbs[v.driver.id])
        total = sum(c for _, c in prefer.values()) + 1
        r.AddDimensionWithVehicleTransitAndCapacity(
            per_vehicle, 0, [total] * len(d.vehicles), True, "preference"
        )
        r.GetDimensionOrDie("preference").SetSpanCostCoefficientForAllVehicles(1)

    def _locks(self) -> None:
        d, r, mgr = self.data, self.routing, self.manager
        node = {s.id: i for i, s in enumerate(d.stops)}
        solver = r.solver()
        for drv, seq in d.options.locked_routes.items():
            alts = d.driver_alts.get(drv, [])
            nodes = [node[s] for s in seq if s in node]
            if not alts or not nodes:
                continue
            vi = alts[0]
            chain = [r.Start(vi)] + [mgr.NodeToIndex(i) for i in nodes] + [r.End(vi)]
            for a, b in itertools.pairwise(chain):
                solver.Add(r.NextVar(a) == b)

    def _balance(self) -> None:
        """Soft upper bounds at each driver's fair share of the work."""
        d, r, opts = self.data, self.routing, self.data.options
        nv = len(d.vehicles)
        if not d.n_stops or not nv:
            return
        coef = balance_coef(d)
        drivers = {v.driver.id: v for v in d.vehicles}
        for vi, bound in enumerate(time_shares(d) or []):
            self.time.SetSoftSpanUpperBoundForVehicle(pywrapcp.BoundCost(bound, coef), vi)
        if opts.balance in ("boxes", "time_and_boxes"):
            total = sum(s.boxes for s in d.stops)
            caps = sum(v.driver.capacity_boxes for v in drivers.values()) or 1
            for vi, v in enumerate(d.vehicles):
                share = math.ceil(total * v.driver.capacity_boxes / caps)
                self.boxes.SetCumulVarSoftUpperBound(r.End(vi), share, 60 * coef)

    def route_s_now(self) -> int:
        """Travel and service seconds of every route of the solution being reported (in
        a solution callback), waits not counted."""
        r, mgr, d = self.routing, self.manager, self.data
        total = 0
        for vi, v in enumerate(d.vehicles):
            idx = r.Start(vi)
            while not r.IsEnd(idx):
                nxt = r.NextVar(idx).Value()
                if nxt == r.End(vi) and idx == r.Start(vi):
                    break  # an unused driver
                a, b = mgr.IndexToNode(idx), mgr.IndexToNode(nxt)
                total += int(d.travel[v.profile][a, b]) + int(d.service[a])
                idx = nxt
        return total

    def routes_of(self, assignment: Any) -> list[list[int]]:
        """Stop nodes per vehicle in the assignment."""
        r, mgr = self.routing, self.manager
        out = []
        for vi in range(len(self.data.vehicles)):
            seq = []
            idx = assignment.Value(r.NextVar(r.Start(vi)))
            while not r.IsEnd(idx):
                seq.append(mgr.IndexToNode(idx))
                idx = assignment.Value(r.NextVar(idx))
            out.append(seq)
        return out

    params: Any = None


def _search_params(time_limit_s: float, variant: int, n_stops: int = 100) -> Any:
    p = pywrapcp.DefaultRoutingSearchParameters()
    fs = routing_enums_pb2.FirstSolutionStrategy
    ls = routing_enums_pb2.LocalSearchMetaheuristic
    p.first_solution_strategy = fs.PATH_CHEAPEST_ARC
    # GLS runs to the time limit; for a handful of stops a local optimum is the optimum
    # in practice, and greedy descent stops there (fixes are checked with such solves).
    p.local_search_metaheuristic = ls.GREEDY_DESCENT if n_stops <= 3 else ls.GUIDED_LOCAL_SEARCH
    if variant == 1:
        p.use_multi_armed_bandit_concatenate_operators = True
    secs = max(0.05, time_limit_s)
    p.time_limit.seconds = int(secs)
    p.time_limit.nanos = int((secs - int(secs)) * 1e9)
    return p


def run_search(
    data: SolveData,
    time_limit_s: float,
    variant: int,
    initial: list[list[int]] | None,
    progress: Callable[[SolveProgress], None] | None,
    t_start: float,
    total_limit_s: float,
) -> tuple[list[list[int]] | None, int, float | None]:
    """One OR-Tools search. Returns (routes, objective, seconds to the first solution)."""
    model = OrModel(data)
    model.params = _search_params(time_limit_s, variant, data.n_stops)
    r = model.routing
    first: list[float] = []
    n_total = len(data.problem.stops)

    def cb() -> None:
        now = time.monotonic() - t_start
        if not first:
            first.append(now)
        if progress is not None:
            assigned = 0
            for i in range(data.n_stops):
                idx = model.manager.NodeToIndex(i)
                if r.NextVar(idx).Value() != idx:
                    assigned += 1
            cost = int(r.CostVar().Value())
            progress(
                SolveProgress(now, cost, assigned, n_total, total_limit_s, model.route_s_now())
            )

    r.AddAtSolutionCallback(cb)
    r.CloseModelWithParameters(model.params)
    sol = None
    if initial is not None:
        start = r.ReadAssignmentFromRoutes(initial, True)
        if start is not None:
            sol = r.SolveFromAssignmentWithParameters(start, model.params)
    if sol is None:
        sol = r.SolveWithParameters(model.params)
    if sol is None:
        return None, 0, None
    return model.routes_of(sol), int(sol.ObjectiveValue()), (first[0] if first else None)
