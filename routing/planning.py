"""From a problem and an area to a drawn plan: snap, travel times, solve, road geometry.

This is the one place that composes the core's adapters; the CLI and the API call it.
It reports each phase through ``on_phase`` so a front end can show progress.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from routing.area import Area
from routing.matrix import route_path, travel_matrix
from routing.model import LatLon, Plan, Problem, Route, TravelMatrix
from routing.solver import SolveOptions, SolveProgress, solve

PhaseCallback = Callable[[str], None]


@dataclass
class Timings:
    """Seconds spent in each phase of :func:`plan_problem`."""

    phases: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.phases[name] = self.phases.get(name, 0.0) + seconds


def build_matrices(
    area: Area, problem: Problem, timings: Timings | None = None
) -> dict[str, TravelMatrix]:
    """One travel-time matrix per travel profile the drivers use, over every located place."""
    places = problem.places()
    profiles = sorted({d.profile for d in problem.drivers} or {"drive"})
    out = {}
    for profile in profiles:
        t0 = time.perf_counter()
        out[profile] = travel_matrix(area.graph(profile), places)
        if timings is not None:
            timings.add("matrix", time.perf_counter() - t0)
    return out


def _route_points(route: Route, problem: Problem) -> list[LatLon]:
    driver = problem.driver(route.driver_id)
    hub = problem.hub(route.hub_id).location
    points: list[LatLon] = []
    if driver.start == "home" and driver.home is not None:
        points.append(driver.home)
    points.append(hub)
    points += [problem.stop(v.stop_id).location for v in route.visits]  # type: ignore[misc]
    if driver.end == "hub":
        points.append(hub)
    elif driver.end == "home" and driver.home is not None:
        points.append(driver.home)
    return points


def draw_routes(plan: Plan, area: Area) -> Plan:
    """The plan with each route's road geometry filled in, along the driver's own network."""
    routes = []
    for route in plan.routes:
        if not route.visits:
            routes.append(route)
            continue
        profile = plan.problem.driver(route.driver_id).profile
        path = route_path(area.graph(profile), _route_points(route, plan.problem))
        routes.append(replace(route, path=tuple((float(a), float(b)) for a, b in path)))
    return replace(plan, routes=tuple(routes))


def plan_problem(
    problem: Problem,
    area: Area,
    options: SolveOptions | None = None,
    *,
    on_phase: PhaseCallback | None = None,
    progress: Callable[[SolveProgress], None] | None = None,
    previous: Plan | None = None,
) -> Plan:
    """Solve ``problem`` on ``area``'s roads and draw the routes. No file or network I/O.

    ``Plan.stats["timings"]`` holds the seconds spent in each phase.
    """
    timings = Timings()
    say = on_phase or (lambda _name: None)
    say("travel times")
    matrices = build_matrices(area, problem, timings)
    say("solving")
    t0 = time.perf_counter()
    plan = solve(problem, matrices, options, progress=progress, previous=previous)
    timings.add("solve", time.perf_counter() - t0)
    say("drawing routes")
    t0 = time.perf_counter()
    plan = draw_routes(plan, area)
    timings.add("draw", time.perf_counter() - t0)
    stats: dict[str, Any] = dict(plan.stats)
    stats["timings"] = {k: round(v, 3) for k, v in timings.phases.items()}
    stats["area"] = area.name
    return replace(plan, stats=stats)


def merge_stats(plan: Plan, extra: Mapping[str, Any]) -> Plan:
    """The plan with ``extra`` added to its stats."""
    return replace(plan, stats={**plan.stats, **extra})
