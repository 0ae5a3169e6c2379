"""Stops left out that still fit, put back: :func:`insert_left_out`.

The search can end with a stop left out that one of its drivers has room and time for. A
stop moved to another driver is the usual case: it is pinned there, the routes the search
starts from (the plan drivers have) leave it out, and a search of a second or two over a
hundred stops may not get to inserting it. Each such stop is tried, with the solver's own
check (:func:`~routing.solve.schedule.evaluate`), at every place of every route that may
take it, and, when none has room, in place of one stop of such a route that then moves to
another route. What is left out after this really does not fit, so the reason and the fix
:mod:`~routing.solve.explain` gives are the true ones.
"""

from __future__ import annotations

from routing.solve.data import SolveData
from routing.solve.schedule import evaluate

Routes = list[list[int]]

#: Stops tried per solve: each try checks every place of the routes that may take it.
MAX_TRIED = 25


def _arc(data: SolveData, vi: int) -> object:
    v = data.vehicles[vi]
    return data.dist[v.profile] if data.options.objective == "distance" else data.travel[v.profile]


def _cheapest(data: SolveData, vi: int, seq: list[int], i: int) -> tuple[int, list[int]] | None:
    """The cheapest place for stop ``i`` on vehicle ``vi``'s route ``seq`` that passes the
    check: (added travel, new route), or ``None``."""
    arc = data.dist[data.vehicles[vi].profile]
    if data.options.objective != "distance":
        arc = data.travel[data.vehicles[vi].profile]
    nodes = [data.start_node(vi), *seq, data.end_node(vi)]
    best: tuple[int, list[int]] | None = None
    for p in range(len(seq) + 1):
        a, b = nodes[p], nodes[p + 1]
        added = int(arc[a, i]) + int(arc[i, b]) - int(arc[a, b])
        if best is not None and added >= best[0]:
            continue
        trial = [*seq[:p], i, *seq[p:]]
        if evaluate(data, vi, trial).feasible:
            best = (added, trial)
    return best


class _Fleet:
    """Which vehicles a stop may still go to: a driver drives from one hub, locked routes
    stay as they are, and at most ``max_vehicles`` drivers are used."""

    def __init__(self, data: SolveData, routes: Routes):
        self.data = data
        self.routes = routes
        self.locked = set(data.options.locked_routes)

    def open(self, vi: int) -> bool:
        d = self.data
        driver = d.vehicles[vi].driver.id
        if driver in self.locked:
            return False
        if any(self.routes[a] for a in d.driver_alts.get(driver, []) if a != vi):
            return False  # this driver loads at another hub in the plan
        limit = d.options.max_vehicles
        if not self.routes[vi] and limit is not None:
            return sum(1 for r in self.routes if r) < limit
        return True


def _insert(data: SolveData, fleet: _Fleet, i: int, skip: int = -1) -> tuple[int, int, list[int]]:
    """The cheapest route that takes stop ``i`` as it is (not vehicle ``skip``'s):
    (added travel, vehicle, new route); vehicle -1 when none does."""
    best: tuple[int, int, list[int]] = (0, -1, [])
    for vi in data.allowed[i]:
        if vi == skip or not fleet.open(vi):
            continue
        found = _cheapest(data, vi, fleet.routes[vi], i)
        if found is not None and (best[1] < 0 or found[0] < best[0]):
            best = (found[0], vi, found[1])
    return best


def _swap(data: SolveData, fleet: _Fleet, i: int) -> bool:
    """Put stop ``i`` in place of one stop of a route that may take it, that stop going to
    another route; ``True`` when done."""
    routes = fleet.routes
    for vi in data.allowed[i]:
        if not routes[vi] or not fleet.open(vi):
            continue
        for j in routes[vi]:
            if len(data.allowed[j]) < 2:
                continue  # pinned here
            rest = [k for k in routes[vi] if k != j]
            found = _cheapest(data, vi, rest, i)
            if found is None:
                continue
            before = routes[vi]
            routes[vi] = found[1]
            _, to, seq = _insert(data, fleet, j, skip=vi)
            if to >= 0:
                routes[to] = seq
                return True
            routes[vi] = before
    return False


def insert_left_out(data: SolveData, routes: Routes, limit: int = MAX_TRIED) -> Routes:
    """``routes`` with every stop they leave out that fits put in (urgent stops first, at
    most ``limit`` stops tried): at its cheapest place on a route that may take it, else in
    place of a stop that moves to another route. Every route still passes
    :func:`~routing.solve.schedule.evaluate`."""
    placed = {i for seq in routes for i in seq}
    left = [i for i in range(data.n_stops) if i not in placed]
    if not left:
        return routes
    left.sort(key=lambda i: -data.penalty[i])
    fleet = _Fleet(data, [list(seq) for seq in routes])
    for i in left[:limit]:
        _, vi, seq = _insert(data, fleet, i)
        if vi >= 0:
            fleet.routes[vi] = seq
        else:
            _swap(data, fleet, i)
    return fleet.routes
