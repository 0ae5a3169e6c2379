"""Plan routes: :func:`solve` takes a :class:`~routing.model.Problem`, travel matrices and
:class:`~routing.solve.options.SolveOptions`, and returns a :class:`~routing.model.Plan`
with a reason for every stop left out. It does no I/O.

The steps, one module each: check the locks (:mod:`~routing.solve.locks`), lay the problem
out as arrays and take out the stops nobody can serve (:mod:`~routing.solve.build`), search
(:mod:`~routing.solve.portfolio`: OR-Tools, optionally from a PyVRP first plan), recheck
every route with our own arithmetic (:mod:`~routing.solve.schedule`), and explain and fix
what the search left out (:mod:`~routing.solve.explain`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from routing.errors import InputError
from routing.model import Plan, Problem, Route, Visit
from routing.solve.build import build
from routing.solve.cost import Pricing
from routing.solve.data import Matrices, SolveData
from routing.solve.explain import explain_dropped, hours_fixes
from routing.solve.locks import check_locks, initial_routes, locked_route_problems
from routing.solve.options import SolveOptions, SolveProgress, default_time_limit_s
from routing.solve.portfolio import run_portfolio
from routing.solve.repair import insert_left_out
from routing.solve.schedule import evaluate


def solve(
    problem: Problem,
    matrix: Matrices,
    options: SolveOptions | None = None,
    progress: Callable[[SolveProgress], None] | None = None,
    previous: Plan | None = None,
) -> Plan:
    """Plan the routes of ``problem``.

    Parameters
    ----------
    problem:
        Hubs, stops and drivers.
    matrix:
        Travel times and distances between ``problem.places()`` keys; one matrix, or one per
        travel profile (``"drive"``, ``"bike"``, ``"walk"``; each driver uses the one of
        ``driver.profile``).
    options:
        Search settings; see :class:`~routing.solve.options.SolveOptions`.
    progress:
        Called with a :class:`~routing.solve.options.SolveProgress` (the best plan so far)
        whenever the search finds a better one, and a few times a second besides.
    previous:
        A plan drivers already have: the search starts from it, and moving one of its stops
        to another driver costs ``options.change_cost_s``.

    Returns
    -------
    Plan
        Every stop is in exactly one route or in ``unassigned`` with a reason. Routes keep
        capacity, windows, hours, skills, pins, locks and the drivers' limits.

    Raises
    ------
    InputError
        When ``options.locked_routes`` names unknown drivers or stops or a stop twice, or a
        locked order cannot be driven (fields ``locked_routes.<driver_id>``).
    SolverError
        When OR-Tools cannot run at all.
    """
    options = options or SolveOptions()
    t0 = time.monotonic()
    lock_problems = locked_route_problems(problem, options.locked_routes)
    if lock_problems:
        raise InputError(lock_problems)
    data, unassigned = build(problem, matrix, options, previous)
    check_locks(data)
    limit = options.time_limit_s or default_time_limit_s(len(problem.stops))
    stats: dict[str, Any] = {
        "solver": "ortools",
        "seed": options.seed,
        "time_limit_s": round(limit, 3),
        "workers": options.workers,
        "vehicles": len(data.vehicles),
    }
    if data.n_stops and data.vehicles:
        initial = initial_routes(data, previous)
        found = run_portfolio(data, limit, initial, progress, t0)
        # A stop the search left out may still fit (a moved stop, after a short search).
        routes = insert_left_out(data, found.routes)
        cost = found.cost
        if routes != found.routes:
            cost = Pricing(data).cost(routes)
            if progress is not None:
                elapsed = time.monotonic() - t0
                progress(
                    SolveProgress(
                        elapsed,
                        cost.objective,
                        cost.assigned,
                        len(problem.stops),
                        limit,
                        cost.route_s,
                    )
                )
        stats.update(
            solver=found.name,
            objective=cost.objective,
            searches=found.searches,
            first_solution_s=None if found.first_s is None else round(found.first_s, 3),
            stopped=found.stopped,
            search_s=round(time.monotonic() - t0, 3),
        )
    else:
        routes = [[] for _ in data.vehicles]
        stats.update(objective=0, first_solution_s=0.0, stopped="done", search_s=0.0)
    plan_routes, warnings = _plan_routes(data, routes)
    dropped = sorted(set(range(data.n_stops)) - {i for seq in routes for i in seq})
    unassigned += explain_dropped(data, routes, dropped, matrix, solve)
    if options.suggest_fixes:
        unassigned = hours_fixes(data, unassigned, matrix, solve)
    order = {s.id: k for k, s in enumerate(problem.stops)}
    unassigned.sort(key=lambda u: order[u.stop_id])
    stats["solve_s"] = round(time.monotonic() - t0, 3)
    idle = [d.id for d in problem.drivers if d.id not in data.driver_alts]
    if idle:
        warnings.append(
            f"drivers left out of the plan ({', '.join(idle)}): no hub they can load at in "
            f"their hours, no travel matrix for their profile, or home not on the map"
        )
    if warnings:
        stats["warnings"] = warnings
    return Plan(
        problem=problem, routes=tuple(plan_routes), unassigned=tuple(unassigned), stats=stats
    )


def _plan_routes(data: SolveData, routes: list[list[int]]) -> tuple[list[Route], list[str]]:
    out: list[Route] = []
    warnings: list[str] = []
    for vi, seq in enumerate(routes):
        if not seq:
            continue
        v = data.vehicles[vi]
        sched = evaluate(data, vi, seq)
        if not sched.feasible:
            warnings.append(f"route of {v.driver.id} does not recheck: {sched.why}")
        tr, di = data.travel[v.profile], data.dist[v.profile]
        prev = data.start_node(vi)
        load = sched.boxes
        visits = []
        for k, i in enumerate(seq):
            s = data.stops[i]
            visits.append(
                Visit(
                    stop_id=s.id,
                    arrival_s=sched.arrivals[k],
                    start_s=sched.starts[k],
                    departure_s=sched.starts[k] + s.service_s,
                    travel_s=int(tr[prev, i]),
                    distance_m=int(di[prev, i]),
                    load_boxes=load,
                )
            )
            load -= s.boxes
            prev = i
        out.append(
            Route(
                driver_id=v.driver.id,
                hub_id=v.hub.id,
                start_s=sched.hub_arrival_s - v.pre_travel_s,
                end_s=sched.end_s,
                visits=tuple(visits),
                distance_m=sched.distance_m + v.pre_distance_m,
                depart_hub_s=sched.hub_arrival_s + v.hub.loading_s,
            )
        )
    return out, warnings
