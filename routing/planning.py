"""From a problem and an area to a drawn plan: snap, travel times, solve, road geometry.

This is the one place that composes the core's adapters; the CLI and the API call it.
It reports each phase through ``on_phase`` so a front end can show progress.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from routing.errors import InputError, InputProblem
from routing.model import (
    LatLon,
    Plan,
    Problem,
    Route,
    Stop,
    TravelMatrix,
    home_key,
    hub_key,
    stop_key,
)
from routing.roads.area import Area
from routing.roads.matrix import FAR_FROM_ROAD_M, route_path, snap_report, travel_matrix
from routing.solve.solver import SolveOptions, SolveProgress, solve

PhaseCallback = Callable[[str], None]


@dataclass
class Timings:
    """Seconds spent in each phase of :func:`plan_problem`."""

    phases: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.phases[name] = self.phases.get(name, 0.0) + seconds


def off_road(area: Area, problem: Problem) -> dict[str, float]:
    """Places farther than ``FAR_FROM_ROAD_M`` from every road the drivers can use (by their
    travel profiles): key -> metres.

    Such a place is outside the area or has wrong coordinates; snapping it to the nearest
    road would invent a route to somewhere else.
    """
    places = problem.places()
    nearest = dict.fromkeys(places, math.inf)
    for profile in sorted({d.profile for d in problem.drivers} or {"drive"}):
        for k, d in snap_report(area.graph(profile), places).items():
            nearest[k] = min(nearest[k], d)
    return {k: d for k, d in nearest.items() if d > FAR_FROM_ROAD_M}


def check_places(area: Area, problem: Problem, far: Mapping[str, float]) -> None:
    """Hubs and drivers' homes must be on the area's roads: raise InputError naming them."""
    problems = []
    for h in problem.hubs:
        if hub_key(h.id) in far:
            problems.append(
                InputProblem(
                    "hub",
                    h.address or str(h.location),
                    f"{far[hub_key(h.id)] / 1000:.1f} km from the nearest road of area "
                    f"{area.name!r}: give a place inside the area",
                )
            )
    for d in problem.drivers:
        if home_key(d.id) in far and (d.start == "home" or d.end == "home"):
            problems.append(
                InputProblem(
                    "home",
                    d.home_address or str(d.home),
                    f"{d.name}'s home is {far[home_key(d.id)] / 1000:.1f} km from the nearest "
                    f"road of area {area.name!r}: fix it, or let them start and end at the hub",
                    d.row,
                )
            )
    if problems:
        raise InputError(problems)


def build_matrices(
    area: Area,
    problem: Problem,
    timings: Timings | None = None,
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


def explain_unassigned(
    plan: Plan,
    far: Mapping[str, float],
    area_name: str,
    suggestions: Mapping[str, str] | None = None,
) -> Plan:
    """Say what a dispatcher can do about stops the solver could not even consider.

    ``suggestions`` (stop id -> sentence, from the importer's geocoding) is preferred
    for addresses that could not be placed.
    """
    out = []
    for u in plan.unassigned:
        stop = plan.problem.stop(u.stop_id)
        row = f"row {stop.row}" if stop.row is not None else f"stop {stop.id}"
        if u.reason == "address_not_found" and not u.fix:
            hint = (suggestions or {}).get(stop.id)
            u = replace(
                u,
                fix=f"{row}: {hint}"
                if hint
                else f"correct the address on {row} (street name, house number) or "
                "add lat and lon columns, then plan again",
            )
        elif u.reason == "unreachable" and stop_key(stop.id) in far:
            km = far[stop_key(stop.id)] / 1000
            u = replace(
                u,
                message=f"{km:.1f} km from the nearest road of area {area_name!r}: "
                "outside the area, or wrong coordinates",
                fix=f"check the address or lat/lon on {row}; if it is right, plan "
                "with an area that covers it",
            )
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
    suggestions: Mapping[str, str] | None = None,
) -> Plan:
    """Solve ``problem`` on ``area``'s roads and draw the routes. No file or network I/O.

    ``suggestions`` maps stop ids to what to do about an address that could not be placed.

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
    plan = explain_unassigned(plan, far, area.name, suggestions)
    say("drawing routes")
    t0 = time.perf_counter()
    plan = draw_routes(plan, area)
    timings.add("draw", time.perf_counter() - t0)
    stats: dict[str, Any] = dict(plan.stats)
    stats["timings"] = {k: round(v, 3) for k, v in timings.phases.items()}
    stats["area"] = area.name
    return replace(plan, stats=stats)


def _stop_key(stop: Stop) -> str:
    return " ".join(f"{stop.address} {stop.unit}".casefold().replace(",", " ").split())


def _approx_m(a: LatLon, b: LatLon) -> float:
    dy = (a.lat - b.lat) * 111_320
    dx = (a.lon - b.lon) * 111_320 * math.cos(math.radians(a.lat))
    return math.hypot(dx, dy)


#: Two rows without an address are the same household when placed this close.
SAME_PLACE_M = 30.0


def _same_household(a: Stop, b: Stop) -> bool:
    ka, kb = _stop_key(a), _stop_key(b)
    if ka or kb:
        return ka == kb
    return (
        a.location is not None
        and b.location is not None
        and _approx_m(a.location, b.location) <= SAME_PLACE_M
    )


def _same_ids(old_ids: list[str], new_ids: list[str]) -> dict[str, str]:
    """Ids present on both sides, matched to themselves."""
    present = set(new_ids)
    return {i: i for i in old_ids if i in present}


def _unique(candidates: list[str], taken: set[str]) -> str | None:
    free = [c for c in candidates if c not in taken]
    return free[0] if len(free) == 1 else None


def match_stops(old: Problem, new: Problem) -> dict[str, str]:
    """Old stop id -> new stop id for the same household, one to one.

    Ids are row numbers when a sheet has no id column, so an inserted row shifts them: a
    stop keeps its id only when it is the same household there (same address and unit;
    for rows without an address, placed within 30 m). Otherwise it matches the one other
    new stop with its address and unit, or, without an address, the one within 30 m.
    Ambiguous households (the same address twice) are left unmatched, never guessed.
    """
    new_ids = {s.id: s for s in new.stops}
    out: dict[str, str] = {}
    taken: set[str] = set()
    for stop in old.stops:
        same = new_ids.get(stop.id)
        if same is not None and same.id not in taken and _same_household(stop, same):
            out[stop.id] = same.id
            taken.add(same.id)
    by_key: dict[str, list[str]] = {}
    for stop in new.stops:
        by_key.setdefault(_stop_key(stop), []).append(stop.id)
    for stop in old.stops:
        if stop.id in out:
            continue
        key = _stop_key(stop)
        if key:
            found = _unique(by_key.get(key, []), taken)
        elif stop.location is not None:
            near = [
                s.id
                for s in new.stops
                if not _stop_key(s)
                and s.location is not None
                and _approx_m(stop.location, s.location) <= SAME_PLACE_M
            ]
            found = _unique(near, taken)
        else:
            found = None
        if found is not None:
            out[stop.id] = found
            taken.add(found)
    return out


def _phone_key(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-10:] if len(digits) >= 7 else ""


def match_drivers(old: Problem, new: Problem) -> dict[str, str]:
    """Old driver id -> new driver id, one to one: the same id, else the one driver with the
    same name (case-insensitive), else the one with the same phone number (a name typo
    fixed between runs)."""
    out = _same_ids([d.id for d in old.drivers], [d.id for d in new.drivers])
    taken = set(out.values())
    for key in (lambda d: d.name.casefold().strip(), lambda d: _phone_key(d.phone)):
        index: dict[str, list[str]] = {}
        for d in new.drivers:
            if key(d):
                index.setdefault(key(d), []).append(d.id)
        olds: dict[str, int] = {}
        for d in old.drivers:
            olds[key(d)] = olds.get(key(d), 0) + 1
        for d in old.drivers:
            if d.id in out or not key(d) or olds[key(d)] > 1:
                continue
            found = _unique(index.get(key(d), []), taken)
            if found is not None:
                out[d.id] = found
                taken.add(found)
    return out


def match_hubs(old: Problem, new: Problem) -> dict[str, str]:
    """Old hub id -> new hub id, one to one: the same id, else the nearest new hub within
    200 m, else the only hub of each. A hub given as "LAT,LON" on one run and by name on
    the next is still the same hub."""
    out = _same_ids([h.id for h in old.hubs], [h.id for h in new.hubs])
    taken = set(out.values())
    for h in old.hubs:
        if h.id in out:
            continue
        near = sorted(
            (_approx_m(h.location, n.location), n.id) for n in new.hubs if n.id not in taken
        )
        if near and near[0][0] < 200:
            out[h.id] = near[0][1]
            taken.add(near[0][1])
    if not out and len(old.hubs) == len(new.hubs) == 1:
        out[old.hubs[0].id] = new.hubs[0].id
    return out


def carry_over(previous: Plan, problem: Problem) -> Plan:
    """``previous``'s routes restated in ``problem``'s ids, for minimal-change re-planning.

    Stops and drivers that no longer exist are left out; the solver keeps the rest where
    they were unless moving them is worth the change cost.
    """
    stops = match_stops(previous.problem, problem)
    drivers = match_drivers(previous.problem, problem)
    hubs = match_hubs(previous.problem, problem)
    routes = []
    for r in previous.routes:
        if r.driver_id not in drivers or r.hub_id not in hubs:
            continue
        visits = tuple(replace(v, stop_id=stops[v.stop_id]) for v in r.visits if v.stop_id in stops)
        routes.append(
            replace(
                r, driver_id=drivers[r.driver_id], hub_id=hubs[r.hub_id], visits=visits, path=()
            )
        )
    return Plan(problem, tuple(routes), ())


def continuity_from(previous: Plan, problem: Problem) -> dict[str, str]:
    """New stop id -> the driver who served that household in ``previous`` (last week)."""
    stops = match_stops(previous.problem, problem)
    drivers = match_drivers(previous.problem, problem)
    return {
        stops[v.stop_id]: drivers[r.driver_id]
        for r in previous.routes
        for v in r.visits
        if v.stop_id in stops and r.driver_id in drivers
    }
