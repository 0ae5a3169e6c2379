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
from routing.errors import InputError, InputProblem
from routing.matrix import FAR_FROM_ROAD_M, route_path, snap_report, travel_matrix
from routing.model import (
    LatLon,
    Plan,
    Problem,
    Route,
    TravelMatrix,
    home_key,
    hub_key,
    stop_key,
)
from routing.solver import SolveOptions, SolveProgress, solve

PhaseCallback = Callable[[str], None]


@dataclass
class Timings:
    """Seconds spent in each phase of :func:`plan_problem`."""

    phases: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.phases[name] = self.phases.get(name, 0.0) + seconds


def off_road(area: Area, problem: Problem) -> dict[str, float]:
    """Places farther than ``FAR_FROM_ROAD_M`` from every drivable road: key -> metres.

    Such a place is outside the area or has wrong coordinates; snapping it to the nearest
    road would invent a route to somewhere else.
    """
    report = snap_report(area.graph("drive"), problem.places())
    return {k: d for k, d in report.items() if d > FAR_FROM_ROAD_M}


def check_places(area: Area, problem: Problem, far: Mapping[str, float]) -> None:
    """Hubs and drivers' homes must be on the area's roads: raise InputError naming them."""
    problems = []
    for h in problem.hubs:
        if hub_key(h.id) in far:
            problems.append(InputProblem(
                "hub", h.address or str(h.location),
                f"{far[hub_key(h.id)] / 1000:.1f} km from the nearest road of area "
                f"{area.name!r}: give a place inside the area"))
    for d in problem.drivers:
        if home_key(d.id) in far and (d.start == "home" or d.end == "home"):
            problems.append(InputProblem(
                "home", d.home_address or str(d.home),
                f"{d.name}'s home is {far[home_key(d.id)] / 1000:.1f} km from the nearest "
                f"road of area {area.name!r}: fix it, or let them start and end at the hub",
                d.row))
    if problems:
        raise InputError(problems)


def build_matrices(
    area: Area, problem: Problem, timings: Timings | None = None,
    far: Mapping[str, float] | None = None,
) -> dict[str, TravelMatrix]:
    """One travel-time matrix per travel profile the drivers use, over every located place.

    Places in ``far`` are left out, so the solver reports those stops ``unreachable``.
    """
    places = {k: v for k, v in problem.places().items() if k not in (far or {})}
    profiles = sorted({d.profile for d in problem.drivers} or {"drive"})
    out = {}
    for profile in profiles:
        t0 = time.perf_counter()
        out[profile] = travel_matrix(area.graph(profile), places)
        if timings is not None:
            timings.add("matrix", time.perf_counter() - t0)
    return out


def explain_unassigned(plan: Plan, far: Mapping[str, float], area_name: str) -> Plan:
    """Say what a dispatcher can do about stops the solver could not even consider."""
    out = []
    for u in plan.unassigned:
        stop = plan.problem.stop(u.stop_id)
        row = f"row {stop.row}" if stop.row is not None else f"stop {stop.id}"
        if u.reason == "address_not_found" and not u.fix:
            u = replace(u, fix=f"correct the address on {row} (street name, house number) or "
                               "add lat and lon columns, then plan again")
        elif u.reason == "unreachable" and stop_key(stop.id) in far:
            km = far[stop_key(stop.id)] / 1000
            u = replace(u, message=f"{km:.1f} km from the nearest road of area {area_name!r}: "
                                   "outside the area, or wrong coordinates",
                        fix=f"check the address or lat/lon on {row}; if it is right, plan "
                            "with an area that covers it")
        out.append(u)
    return replace(plan, unassigned=tuple(out))


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
    far = off_road(area, problem)
    check_places(area, problem, far)
    matrices = build_matrices(area, problem, timings, far)
    say("solving")
    t0 = time.perf_counter()
    plan = solve(problem, matrices, options, progress=progress, previous=previous)
    timings.add("solve", time.perf_counter() - t0)
    plan = explain_unassigned(plan, far, area.name)
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
