"""Locked routes, and the routes a search starts from.

:func:`locked_route_problems` is the one check of ``locked_routes`` against a problem (the
API calls it before queueing a job; :func:`routing.solve.solver.solve` before building
anything). :func:`check_locks` then checks that each locked order can be driven.
:func:`initial_routes` turns a previous plan and the locks into first routes;
:func:`with_locks` puts the locks back into routes from a search that knows none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from routing.errors import InputError, InputProblem
from routing.model import Plan, Problem
from routing.solve.data import SolveData
from routing.solve.repair import insert_left_out
from routing.solve.schedule import evaluate, keep_feasible


def _field(driver_id: str) -> str:
    return f"locked_routes.{driver_id}"


def locked_route_problems(
    problem: Problem, locked_routes: Mapping[str, Sequence[str]]
) -> list[InputProblem]:
    """Every way ``locked_routes`` (driver id -> stop ids in order) fails to fit ``problem``:
    a driver or stop that does not exist, or a stop locked twice.

    Each problem's field is ``locked_routes.<driver_id>``; its value is the unknown driver
    id, or the stop id at fault. An empty list means the locks name what exists.
    """
    problems = []
    drivers = {d.id for d in problem.drivers}
    stops = {s.id for s in problem.stops}
    seen: set[str] = set()
    for driver, seq in locked_routes.items():
        where = _field(driver)
        if driver not in drivers:
            problems.append(InputProblem(where, driver, "no driver with this id"))
        for stop in seq:
            if stop not in stops:
                problems.append(InputProblem(where, stop, "no stop with this id"))
            elif stop in seen:
                problems.append(InputProblem(where, stop, "this stop is locked twice"))
            seen.add(stop)
    return problems


def check_locks(data: SolveData) -> None:
    """Raise :class:`~routing.errors.InputError` listing each locked driver who cannot reach
    a hub in their hours, and each locked order that cannot be driven as given.

    The locks must already name existing drivers and stops (:func:`locked_route_problems`).
    """
    problems = []
    node = {s.id: i for i, s in enumerate(data.stops)}
    for drv, seq in data.options.locked_routes.items():
        alts = data.driver_alts.get(drv)
        nodes = [node[s] for s in seq if s in node]
        if not alts:
            problems.append(
                InputProblem(_field(drv), drv, "this driver cannot reach any hub in their hours")
            )
            continue
        sched = evaluate(data, alts[0], nodes) if nodes else None
        if sched is not None and not sched.feasible:
            problems.append(
                InputProblem(
                    _field(drv),
                    drv,
                    f"the locked order cannot be driven as given "
                    f"({sched.why or 'time'} does not fit)",
                )
            )
    if problems:
        raise InputError(problems)


def initial_routes(data: SolveData, previous: Plan | None) -> list[list[int]] | None:
    """Previous routes and locked routes, as stop nodes per vehicle, for stops still in the
    problem; ``None`` when there are neither."""
    locked = data.options.locked_routes
    if previous is None and not locked:
        return None
    node = {s.id: i for i, s in enumerate(data.stops)}
    routes: list[list[int]] = [[] for _ in data.vehicles]
    used: set[int] = set()
    seqs: list[tuple[str, str | None, Sequence[str]]] = []
    if previous is not None:
        seqs += [
            (r.driver_id, r.hub_id, [v.stop_id for v in r.visits])
            for r in previous.routes
            if r.driver_id not in locked
        ]
    seqs += [(d, None, seq) for d, seq in locked.items()]
    for drv, hub, seq in seqs:
        alts = data.driver_alts.get(drv, [])
        if not alts:
            continue
        vi = next((a for a in alts if data.vehicles[a].hub.id == hub), alts[0])
        nodes = [
            node[s]
            for s in seq
            if s in node and node[s] not in used and vi in data.allowed[node[s]]
        ]
        if drv not in locked:
            # Edited stops can break an old route: keep, in order, what still fits.
            nodes = keep_feasible(data, vi, nodes)
        used.update(nodes)
        routes[vi] = nodes
    if previous is not None:
        # A stop moved to another driver (pinned there) starts on that driver's route.
        routes = insert_left_out(data, routes)
    return routes


def with_locks(data: SolveData, routes: list[list[int]]) -> list[list[int]]:
    """``routes`` with every locked route put back exactly (PyVRP knows no locks)."""
    if not data.options.locked_routes:
        return routes
    locks = initial_routes(data, None) or []
    locked_nodes = {i for seq in locks for i in seq}
    locked_drivers = set(data.options.locked_routes)
    out = []
    for vi, seq in enumerate(routes):
        if data.vehicles[vi].driver.id in locked_drivers:
            out.append(list(locks[vi]))
        else:
            out.append([i for i in seq if i not in locked_nodes])
    return out
