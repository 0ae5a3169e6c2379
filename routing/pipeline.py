"""The plan pipeline: one week's deliveries, drivers and hubs in, the plan and its problems out.

This is the one place that composes the core's adapters (intake, geocoding, roads, solve,
history); the CLI, the API and the service's workers call it and only parse and present.

- :func:`read_week` reads the group's spreadsheets into a :class:`Week` (placing every
  address); the API builds a :class:`Week` from JSON instead.
- :func:`prepare_week` checks everything that can be checked before solving (hubs and homes on
  the area's roads, pins, locked routes, history) and settles the solver's options once.
- :func:`solve_week` snaps, computes travel times, solves and draws the routes.
- :func:`plan_week` is both. Progress is reported through ``on_phase`` (phase names) and
  ``progress`` (the search's :class:`~routing.solve.options.SolveProgress`).

Nothing here reads or writes files besides the spreadsheets :func:`read_week` is given, and
nothing talks to the network unless an online geocoder is passed in.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from routing.errors import InputError, InputProblem
from routing.geocoding.places import find_hub
from routing.geocoding.result import PLACED, Geocoder
from routing.history import carry_over, continuity_from, plan_changes
from routing.intake.report import LeftOut
from routing.model import (
    Driver,
    Hub,
    Instructions,
    LatLon,
    Plan,
    Problem,
    Stop,
    TravelMatrix,
    home_key,
    hub_key,
    stop_key,
)
from routing.phones import is_valid_phone
from routing.roads.area import Area
from routing.roads.matrix import FAR_FROM_ROAD_M, route_path, snap_report, travel_matrix
from routing.solve.locks import locked_route_problems
from routing.solve.options import SolveOptions, SolveProgress, default_time_limit_s
from routing.solve.solver import solve

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


def draw_routes(plan: Plan, area: Area) -> Plan:
    """The plan with each route's road geometry filled in, along the driver's own network."""
    routes = []
    for route in plan.routes:
        if not route.visits:
            routes.append(route)
            continue
        profile = plan.problem.driver(route.driver_id).profile
        path = route_path(area.graph(profile), route.places(plan.problem))
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
    far: Mapping[str, float] | None = None,
) -> Plan:
    """Solve ``problem`` on ``area``'s roads and draw the routes. No file or network I/O.

    ``suggestions`` maps stop ids to what to do about an address that could not be placed.

    ``Plan.stats["timings"]`` holds the seconds spent in each phase.
    """
    timings = Timings()
    say = on_phase or (lambda _name: None)
    say("travel times")
    if far is None:
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


# --- A week: read, prepared, planned -------------------------------------------------------


@dataclass(frozen=True)
class Week:
    """One week's run as read from the group's files or a request: nothing solved yet.

    ``problems`` are what reading found (rows skipped or to check); ``suggestions`` maps a
    stop id to what to do about an address that could not be placed.
    """

    stops: tuple[Stop, ...]
    drivers: tuple[Driver, ...]
    hubs: tuple[Hub, ...]
    date: str | None = None
    problems: tuple[InputProblem, ...] = ()
    suggestions: Mapping[str, str] = field(default_factory=dict)
    #: Names of the deliveries and drivers files, prefixed to the fields of problems found
    #: later (a pin naming nobody): "deliveries.csv: Driver".
    sources: tuple[str, str] | None = None
    #: What every driver is told besides their stops.
    instructions: Instructions = field(default_factory=Instructions)
    #: Roster rows that gave no driver (no capacity, hours that cannot be read): who gets
    #: no route, said after the plan.
    left_out: tuple[LeftOut, ...] = ()


@dataclass(frozen=True)
class History:
    """Earlier plans of the same group: ``previous`` is one drivers already have (re-plan it
    moving as few stops as possible), ``last_week`` one whose drivers households should keep."""

    previous: Plan | None = None
    last_week: Plan | None = None


@dataclass(frozen=True)
class PreparedWeek:
    """A week turned into a problem and final solver options: every check passed."""

    problem: Problem
    area: Area
    options: SolveOptions
    #: ``History.previous`` restated in this week's ids (:func:`~routing.history.carry_over`).
    previous: Plan | None
    problems: tuple[InputProblem, ...]
    suggestions: Mapping[str, str]
    #: Places farther than FAR_FROM_ROAD_M from every road the drivers use: key -> metres.
    far: Mapping[str, float]
    #: ``History.previous`` as it was, to tell what the re-plan changed.
    replanned: Plan | None = None


@dataclass(frozen=True)
class WeekPlan:
    """The answer for a week: the plan, and every problem found on the way (input rows to
    fix or check, pins and hubs that named nobody)."""

    plan: Plan
    problems: tuple[InputProblem, ...] = ()


def locator_for(geocoder: Geocoder) -> Callable[[str, str], tuple[LatLon, str, str] | None]:
    """``(address, postcode) -> (location, precision, matched address)``, or None when not
    placed."""

    def locate(address: str, postcode: str) -> tuple[LatLon, str, str] | None:
        result = geocoder.geocode(address, postcode=postcode)
        if result.location is None or result.precision not in PLACED - {"given"}:
            return None
        return result.location, result.precision, result.matched

    return locate


def resolve_hub(
    spec: str | Mapping[str, Any],
    geocoder: Geocoder,
    places: Any = None,
    *,
    name: str | None = None,
    note: str = "",
) -> tuple[Hub, list[InputProblem]]:
    """A hub from ``"LAT,LON"``, a named place of the area (``places``: its
    :attr:`~routing.roads.graph.Area.places`, or a function that reads them), an address
    in it, or a dict with id/name/address/lat/lon; and warnings about it. ``name`` and
    ``note`` are the hub's name and pickup note as drivers read them (see
    :func:`routing.geocoding.places.find_hub`)."""
    if isinstance(spec, Mapping):
        hub = Hub(
            id=str(spec.get("id", "hub")),
            name=name or str(spec.get("name", "Hub")),
            address=str(spec.get("address", "")),
            location=LatLon(float(spec["lat"]), float(spec["lon"])),
            note=note or str(spec.get("note", "")),
        )
        return hub, []
    return find_hub(spec, geocoder, places, name=name, note=note)


def read_week(
    deliveries: Path,
    drivers: Path,
    hub: str | Mapping[str, Any],
    area: Area,
    *,
    columns: Mapping[str, str] | None = None,
    driver_columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
    drivers_sheet: str | None = None,
    keep_duplicates: bool = False,
    date: str | None = None,
    online: Geocoder | None = None,
    on_phase: PhaseCallback | None = None,
    hub_name: str | None = None,
    hub_note: str = "",
    instructions: Instructions | None = None,
) -> Week:
    """Read both spreadsheets and place every address in ``area``.

    ``columns`` and ``sheet`` map the deliveries file's headers and choose its sheet,
    ``driver_columns`` and ``drivers_sheet`` the roster's. A household written twice is
    planned once (the later row) unless ``keep_duplicates``. Rows that cannot be planned are
    kept (as unplaced stops) or reported; a file that cannot be read at all, or a roster
    without one usable driver, raises :class:`InputError`. ``online`` (a geocoder the
    group turned on) is asked only for what the area's own address table cannot place.
    ``hub`` may be a named place of the area; ``hub_name`` and ``hub_note`` are what drivers
    read about it, ``instructions`` what every driver is told (the dispatcher's phone, what
    to do when nobody is home).
    """
    from routing.geocoding.offline import OfflineGeocoder
    from routing.geocoding.online import FallbackGeocoder
    from routing.intake.deliveries import import_deliveries
    from routing.intake.roster import import_drivers

    say = on_phase or (lambda _name: None)
    offline = OfflineGeocoder.from_area(area)
    # Before the long part, so that a bad hub fails fast.
    hub_obj, hub_problems = resolve_hub(
        hub, offline, lambda: area.places, name=hub_name, note=hub_note
    )
    instructions = instructions or Instructions()
    phone = instructions.dispatcher_phone
    if phone and area.country and not is_valid_phone(phone, area.country):
        hub_problems.append(
            InputProblem(
                "dispatcher phone",
                phone,
                f"not a phone number that can be dialled in {area.country}; drivers will "
                "read it as written",
                None,
                "warning",
            )
        )
    geocoder: Geocoder = offline if online is None else FallbackGeocoder(offline, online)
    say("reading deliveries")
    try:
        stops = import_deliveries(
            deliveries,
            sheet=sheet,
            columns=columns,
            geocoder=geocoder,
            keep_duplicates=keep_duplicates,
            region=area.country,
        )
    except InputError as e:
        raise InputError(_tagged(e.problems, deliveries.name)) from None
    say("reading drivers")
    try:
        roster = import_drivers(
            drivers, sheet=drivers_sheet, columns=driver_columns, geocoder=geocoder
        )
    except InputError as e:
        raise InputError(_tagged(e.problems, drivers.name)) from None
    if not roster.drivers:
        raise InputError(
            roster.problems or [InputProblem("drivers", str(drivers), "no usable driver rows")]
        )
    return Week(
        tuple(stops.stops),
        tuple(roster.drivers),
        (hub_obj,),
        date=date,
        problems=(
            *hub_problems,
            *_tagged(stops.problems, deliveries.name),
            *_tagged(roster.problems, drivers.name),
        ),
        suggestions=dict(stops.suggestions),
        sources=(deliveries.name, drivers.name),
        instructions=instructions,
        left_out=tuple(roster.left_out),
    )


def resolve_pins(
    stops: Sequence[Stop], drivers: Sequence[Driver]
) -> tuple[list[Stop], list[InputProblem]]:
    """Match each stop's Driver (pin) and excluded-driver names to roster drivers by id or
    name (case-insensitive).

    A name nobody on the roster has is not fatal: the stop is planned without that pin or
    exclusion, with a warning naming the row, so one typo does not stop the week's plan.
    """
    by_key = {}
    for d in drivers:
        by_key[d.id.casefold().strip()] = d.id
        by_key.setdefault(d.name.casefold().strip(), d.id)
    out, problems = [], []
    for stop in stops:
        driver_id = None
        if stop.driver is not None:
            driver_id = by_key.get(stop.driver.casefold().strip())
            if driver_id is None:
                problems.append(
                    InputProblem(
                        "Driver",
                        stop.driver,
                        "no driver with this name on the roster; planned without a pinned driver",
                        stop.row,
                        "warning",
                    )
                )
        excluded = set()
        for name in stop.exclude_drivers:
            found = by_key.get(name.casefold().strip())
            if found is None:
                problems.append(
                    InputProblem(
                        "exclude_drivers",
                        name,
                        "no driver with this name on the roster; nobody excluded for this stop",
                        stop.row,
                        "warning",
                    )
                )
            else:
                excluded.add(found)
        out.append(replace(stop, driver=driver_id, exclude_drivers=frozenset(excluded)))
    return out, problems


def resolve_hubs(
    drivers: Sequence[Driver], hubs: Sequence[Hub]
) -> tuple[list[Driver], list[InputProblem]]:
    """Match each driver's Hub column to a hub by id or name; unknown: the solver picks."""
    by_key = {}
    for h in hubs:
        by_key[h.id.casefold().strip()] = h.id
        by_key.setdefault(h.name.casefold().strip(), h.id)
    out, problems = [], []
    for d in drivers:
        hub_id = None
        if d.hub is not None:
            hub_id = by_key.get(d.hub.casefold().strip())
            if hub_id is None and len(hubs) > 1:
                problems.append(
                    InputProblem(
                        "hub",
                        d.hub,
                        "no hub with this name; the nearest hub in their hours will be chosen",
                        d.row,
                        "warning",
                    )
                )
            hub_id = hub_id or (hubs[0].id if len(hubs) == 1 else None)
        out.append(replace(d, hub=hub_id))
    return out, problems


def _tagged(problems: Sequence[InputProblem], filename: str | None) -> list[InputProblem]:
    """Prefix each problem's field with the file it came from, when two files are read."""
    if filename is None:
        return list(problems)
    return [
        InputProblem(f"{filename}: {p.field}", p.value, p.reason, p.row, p.severity)
        for p in problems
    ]


def prepare_week(
    week: Week,
    area: Area,
    options: SolveOptions | None = None,
    *,
    history: History | None = None,
    max_time_limit_s: float | None = None,
) -> PreparedWeek:
    """Build the problem and settle the solver's options; raise :class:`InputError` for
    anything that would make the plan meaningless (a hub or a driver's home off the area's
    roads, locked routes naming nobody). Nothing is solved.

    Pins and drivers' hubs are matched by id or name; a name nobody has is a warning in
    ``problems``. The time limit is the given one, else :func:`default_time_limit_s`, capped
    at ``max_time_limit_s``.
    """
    history = history or History()
    options = options or SolveOptions()
    stops, pin_problems = resolve_pins(week.stops, week.drivers)
    crew, hub_problems = resolve_hubs(week.drivers, week.hubs)
    problem = Problem(
        week.hubs,
        tuple(stops),
        tuple(crew),
        date=week.date,
        region=area.country,
        instructions=week.instructions,
    )
    locks = locked_route_problems(problem, options.locked_routes)
    if locks:
        raise InputError(locks)
    far = off_road(area, problem)
    check_places(area, problem, far)
    limit = options.time_limit_s or default_time_limit_s(len(problem.stops))
    if max_time_limit_s is not None:
        limit = min(limit, max_time_limit_s)
    continuity = dict(options.continuity)
    if history.last_week is not None:
        continuity = {**continuity_from(history.last_week, problem), **continuity}
    options = replace(options, time_limit_s=limit, continuity=continuity)
    previous = carry_over(history.previous, problem) if history.previous is not None else None
    deliveries_file, drivers_file = week.sources or (None, None)
    tagged = [*_tagged(pin_problems, deliveries_file), *_tagged(hub_problems, drivers_file)]
    return PreparedWeek(
        problem,
        area,
        options,
        previous,
        (*week.problems, *tagged),
        week.suggestions,
        far,
        history.previous,
    )


def solve_week(
    prepared: PreparedWeek,
    *,
    on_phase: PhaseCallback | None = None,
    progress: Callable[[SolveProgress], None] | None = None,
) -> WeekPlan:
    """Snap, compute travel times, solve and draw a prepared week; for a re-plan, tell what
    changed (``Plan.changes``). No file or network I/O."""
    plan = plan_problem(
        prepared.problem,
        prepared.area,
        prepared.options,
        on_phase=on_phase,
        progress=progress,
        previous=prepared.previous,
        suggestions=prepared.suggestions,
        far=prepared.far,
    )
    if prepared.replanned is not None:
        plan = replace(plan, changes=plan_changes(prepared.replanned, plan))
    return WeekPlan(plan, prepared.problems)


def plan_week(
    week: Week,
    area: Area,
    options: SolveOptions | None = None,
    *,
    history: History | None = None,
    max_time_limit_s: float | None = None,
    on_phase: PhaseCallback | None = None,
    progress: Callable[[SolveProgress], None] | None = None,
) -> WeekPlan:
    """:func:`prepare_week` then :func:`solve_week`: the whole way from a week to its plan."""
    prepared = prepare_week(week, area, options, history=history, max_time_limit_s=max_time_limit_s)
    return solve_week(prepared, on_phase=on_phase, progress=progress)
