"""What a plan costs: the objective the search minimises, in our own arithmetic.

:class:`Pricing` prices routes (stop nodes per vehicle) the way the OR-Tools model does
(:mod:`routing.solve.ortools_model`): travel time or distance of every used route, a fixed
cost per driver with ``minimize_drivers``, route time above a driver's fair share and boxes
above theirs, moving a stop away from its preferred driver, and the penalty of every stop
left out. Every search's plans are compared by it, whichever search found them, and
``Plan.stats["objective"]`` is its figure for the plan returned, so a longer search can only
report a lower one. Route times come from :func:`~routing.solve.schedule.evaluate`, the
same schedule the plan shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from routing.solve.data import SolveData
from routing.solve.schedule import balance_coef, box_shares, evaluate, time_shares


@dataclass(frozen=True)
class PlanCost:
    """A plan's objective, the stops it places, the sum of its route durations (s), and
    the part of the objective that is penalties for stops left out."""

    objective: int
    assigned: int
    route_s: int
    penalty: int = 0


def preferred(data: SolveData) -> dict[int, tuple[str, int]]:
    """Stop node -> (driver id it should stay with, cost of moving it elsewhere)."""
    opts = data.options
    node = {s.id: i for i, s in enumerate(data.stops)}
    out: dict[int, tuple[str, int]] = {}
    for sid, drv in opts.continuity.items():
        if sid in node:
            out[node[sid]] = (drv, opts.continuity_cost_s)
    prev = data.previous
    if prev is not None and opts.change_cost_s:
        for route in prev.routes:
            for visit in route.visits:
                if visit.stop_id in node:
                    out[node[visit.stop_id]] = (route.driver_id, opts.change_cost_s)
    return out


class Pricing:
    """Prices plans of one :class:`~routing.solve.data.SolveData` (shares computed once)."""

    def __init__(self, data: SolveData):
        self.data = data
        opts = data.options
        self.arc = {
            p: (data.dist[p] if opts.objective == "distance" else data.travel[p])
            for p in data.travel
        }
        balanced = not data.fixed_cost and opts.balance != "off"
        self.coef = balance_coef(data)
        self.time_share = (time_shares(data) if balanced else None) or []
        self.box_share = (box_shares(data) if balanced else None) or []
        self.prefer = preferred(data)

    def cost(self, routes: Sequence[Sequence[int]]) -> PlanCost:
        """The cost of ``routes`` (stop nodes per vehicle; every route must be drivable)."""
        d = self.data
        total = 0
        assigned = 0
        route_s = 0
        for vi, seq in enumerate(routes):
            if not seq:
                continue
            v = d.vehicles[vi]
            nodes = [d.start_node(vi), *seq, d.end_node(vi)]
            total += int(np.sum(self.arc[v.profile][nodes[:-1], nodes[1:]]))
            total += d.fixed_cost
            sched = evaluate(d, vi, seq)
            span = sched.end_s - sched.hub_arrival_s
            if self.time_share:
                total += self.coef * max(0, span - self.time_share[vi])
            if self.box_share:
                total += 60 * self.coef * max(0, sched.boxes - self.box_share[vi])
            for i in seq:
                want = self.prefer.get(i)
                if want is not None and want[0] != v.driver.id:
                    total += want[1]
            assigned += len(seq)
            route_s += span + v.pre_travel_s
        placed = {i for seq in routes for i in seq}
        penalty = sum(p for i, p in enumerate(d.penalty) if i not in placed)
        return PlanCost(int(total + penalty), assigned, int(route_s), int(penalty))
