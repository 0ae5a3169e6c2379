"""Reasons and fixes for the stops a plan leaves out.

:func:`explain_dropped` gives each stop the search left out a reason (``max_stops``,
``capacity`` or ``time``) and, with ``suggest_fixes``, a fix checked by the solver: one
driver's longer hours, one more stop allowed, or one more driver who would cover a group of
stops. :func:`hours_fixes` adds a fix for stops outside everyone's hours or needing a skill
nobody has. Checking a fix for one more driver solves a small problem: the caller passes the
``solve`` function to use, so this module never imports the solver's entry point.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from routing.model import Driver, Plan, Problem, Stop, TimeWindow, Unassigned, format_hhmm
from routing.solve.data import Matrices, SolveData
from routing.solve.options import SolveOptions
from routing.solve.schedule import evaluate

#: ``solve(problem, matrix, options)``: how a fix for one more driver is checked.
SolveFn = Callable[[Problem, Matrices, SolveOptions], Plan]


def explain_dropped(
    data: SolveData,
    routes: list[list[int]],
    dropped: list[int],
    matrix: Matrices,
    solve: SolveFn,
) -> list[Unassigned]:
    """A reason, and with ``suggest_fixes`` a checked fix, for each stop node in ``dropped``
    (left out of ``routes`` by the search)."""
    if not dropped:
        return []
    d = data
    drivers = {v.driver.id: v.driver for v in d.vehicles}
    total_boxes = sum(s.boxes for s in d.stops)
    total_cap = sum(drv.capacity_boxes for drv in drivers.values())
    reasons: dict[int, tuple[str, str]] = {}
    for i in dropped:
        s = d.stops[i]
        able = d.allowed[i]
        if all(len(routes[vi]) >= d.vehicles[vi].max_stops for vi in able):
            reasons[i] = (
                "max_stops",
                "every driver who could take it has reached their maximum number of stops",
            )
        elif total_boxes > total_cap:
            reasons[i] = (
                "capacity",
                f"the cars are full: {total_boxes} boxes to deliver, "
                f"{total_cap} boxes of room in all cars "
                f"({total_boxes - total_cap} short)",
            )
        elif all(
            sum(d.stops[j].boxes for j in routes[vi]) + s.boxes > d.vehicles[vi].capacity
            for vi in able
        ):
            reasons[i] = (
                "capacity",
                f"every car that could take it is full (it has {s.boxes} boxes)",
            )
        else:
            reasons[i] = (
                "time",
                "the drivers' hours are full: no driver who could take it "
                "has time left for the trip",
            )
    fixes: dict[int, str] = {}
    if d.options.suggest_fixes:
        # One driver's longer hours: checked per stop, for a handful of stops only (each
        # check tries every position of every route).
        for i in dropped[:_MAX_SINGLE_FIXES]:
            if reasons[i][0] == "max_stops":
                fix = _stops_fix(d, routes, i)
            else:
                fix = _extension_fix(d, routes, i)
            if fix:
                fixes[i] = fix
        group = [
            i
            for i in dropped
            if reasons[i][0] in ("time", "capacity") and (i not in fixes or len(dropped) > 1)
        ]
        if group:
            covered, sentence = _extra_driver_fix(d, [d.stops[i] for i in group], matrix, solve)
            node = {s.id: i for i, s in enumerate(d.stops)}
            for sid in covered:
                fixes[node[sid]] = sentence
    return [
        Unassigned(d.stops[i].id, reasons[i][0], reasons[i][1], fixes.get(i, "")) for i in dropped
    ]


_MAX_SINGLE_FIXES = 25


def _round_up(seconds: int, step: int) -> int:
    return -(-seconds // step) * step


def _extension_fix(data: SolveData, routes: list[list[int]], i: int) -> str:
    """The smallest lengthening of one driver's hours that fits stop ``i``, checked."""
    best: tuple[int, int, list[int]] | None = None
    used_drivers = {data.vehicles[vi].driver.id: vi for vi, r in enumerate(routes) if r}
    for vi in data.allowed[i]:
        v = data.vehicles[vi]
        if v.driver.id in used_drivers and used_drivers[v.driver.id] != vi:
            continue  # this driver loads at another hub in the plan
        seq = routes[vi]
        for p in range(len(seq) + 1):
            trial = [*seq[:p], i, *seq[p:]]
            sched = evaluate(data, vi, trial)
            if sched.why != "time":
                continue  # it fits as it is (longer hours are not what it needs), or never
            need = sched.over_s
            if best is None or need < best[0]:
                best = (need, vi, trial)
    if best is None or best[0] > 3 * 3600:
        return ""
    need, vi, trial = best
    extra = _round_up(max(need, 1), 300)
    if not evaluate(data, vi, trial, extra_s=extra).feasible:
        return ""
    v = data.vehicles[vi]
    until = format_hhmm(v.driver.shift.end_s + extra)
    return f"{v.driver.name}'s route can take it with {extra // 60} more minutes (until {until})"


def _stops_fix(data: SolveData, routes: list[list[int]], i: int) -> str:
    """One more stop allowed on a full driver's route, if that fits stop ``i``, checked."""
    for vi in data.allowed[i]:
        v = data.vehicles[vi]
        seq = routes[vi]
        if len(seq) < v.max_stops:
            continue
        for p in range(len(seq) + 1):
            trial = [*seq[:p], i, *seq[p:]]
            if evaluate(data, vi, trial, extra_stops=1).feasible:
                return (
                    f"{v.driver.name}'s route can take it if their maximum goes from "
                    f"{v.max_stops} to {v.max_stops + 1} stops"
                )
    return ""


def _extra_driver_fix(
    data: SolveData,
    group: Sequence[Stop],
    matrix: Matrices,
    solve: SolveFn,
    hours: tuple[int, int] | None = None,
) -> tuple[list[str], str]:
    """Solve ``group`` for one extra driver; the sentence says who would cover which stops.

    ``hours`` bounds the extra driver's day (default: from the earliest to the latest
    driver's hours). Returns the ids of the stops covered and the sentence.
    """
    d = data
    hubs = [v.hub for v in d.vehicles] or list(d.problem.hubs)
    hub = max(set(hubs), key=lambda h: (hubs.count(h), h.id))
    if hours is None:
        starts = [v.driver.shift.start_s for v in d.vehicles] or [6 * 3600]
        ends = [v.driver.shift.end_s for v in d.vehicles] or [22 * 3600]
        hours = (min(starts), max(ends))
    stops = [replace(s, driver=None, exclude_drivers=frozenset()) for s in group]
    boxes = sum(s.boxes for s in stops)
    frozen = sum(s.frozen for s in stops)
    skills: frozenset[str] = frozenset().union(*[s.requires for s in stops])
    profiles = [v.profile for v in d.vehicles] or ["drive"]
    extra = Driver(
        id="__extra__",
        name="one more driver",
        capacity_boxes=boxes,
        shift=TimeWindow(*hours),
        skills=skills,
        profile=max(set(profiles), key=profiles.count),
        capacity_frozen=frozen if frozen else None,
    )
    sub = Problem(hubs=(hub,), stops=tuple(stops), drivers=(extra,))
    opts = SolveOptions(
        time_limit_s=min(2.0, 0.3 + 0.02 * len(stops)),
        workers=1,
        balance="off",
        suggest_fixes=False,
        seeding="off",
        objective=d.options.objective,
    )
    try:
        plan = solve(sub, matrix, opts)
    except Exception:  # pragma: no cover - a fix is a courtesy, never a failure
        return [], ""
    if not plan.routes:
        return [], ""
    route = plan.routes[0]
    covered = [v.stop_id for v in route.visits]
    carried = sum(s.boxes for s in stops if s.id in set(covered))
    start = format_hhmm(route.start_s // 900 * 900)
    end = format_hhmm(_round_up(route.end_s, 900))
    who = f" who has {', '.join(sorted(skills))}" if skills else ""
    n = len(covered)
    what = "this stop" if n == 1 else f"these {n} stops"
    if n < len(group):
        what = f"{n} of the {len(group)} stops left out"
    box_word = "box" if carried == 1 else "boxes"
    return covered, (
        f"one more driver{who} with {carried} {box_word} from {start} to {end} "
        f"(loading at {hub.name}) covers {what}"
    )


def hours_fixes(
    data: SolveData, unassigned: list[Unassigned], matrix: Matrices, solve: SolveFn
) -> list[Unassigned]:
    """For stops outside everyone's hours, or needing a skill nobody has: one more driver
    (with those hours, or that skill) who would take it, checked by solving."""
    out = []
    tried = 0
    for u in unassigned:
        kind = u.reason
        if (
            kind not in ("outside_all_hours", "no_driver_with_skill")
            or u.fix
            or (tried >= _MAX_SINGLE_FIXES)
            or data.problem.stop(u.stop_id).location is None
        ):
            out.append(u)
            continue
        tried += 1
        stop = data.problem.stop(u.stop_id)
        if kind == "no_driver_with_skill":
            hours = None  # the drivers' usual hours
            _, sentence = _extra_driver_fix(data, [stop], matrix, solve, hours=hours)
            out.append(replace(u, fix=sentence) if sentence else u)
            continue
        if stop.windows:
            lo = max(0, stop.windows[0].start_s - 3 * 3600)
            hi = stop.windows[-1].end_s + 3 * 3600
        else:
            lo, hi = 0, 2 * 24 * 3600
        _, sentence = _extra_driver_fix(data, [stop], matrix, solve, hours=(lo, hi))
        out.append(replace(u, fix=sentence) if sentence else u)
    return out
