"""Plans and problems to and from plain JSON-ready dicts (the ``plan.json`` format).

The stable core of ``plan.json``, which groups may script against::

    {
      "format": "aidroute.plan/1",
      "date": "2026-11-28" | null,
      "summary": {"stops": 120, "assigned": 117, "unassigned": 3, "drivers_used": 11, ...},
      "routes": [
        {"driver": "Dana R.", "driver_id": "d1", "hub": "hub",
         "start": "09:00", "depart_hub": "09:10", "end": "11:42",
         "stops_count": 9, "boxes": 21, "duration_min": 162, "distance_km": 14.3,
         "stops": [{"id": "17", "arrival": "09:21", "start": "09:21", "departure": "09:27",
                    "boxes": 2, "name": ..., "address": ..., "unit": ...,
                    "lat": ..., "lon": ...}, ...],
         "path": [[lat, lon], ...]},
        ...],
      "unassigned": [{"id": "42", "reason": "address_not_found", "message": "...", "fix": "...",
                      "row": 43, "address": "..."}, ...],
      "problem": {... the full input, so the plan can be rendered again ...},
      "stats": {...},
      "changes": null | {      # a re-plan (--previous, previous_plan_id): whom to tell what
        "drivers": [{"driver_id": "d1", "driver": "Dana R.", "status": "changed",
                     "added": [{"id": "17", "name": ..., "address": ..., "in_week": true}],
                     "removed": [...], "reordered": false}, ...],
        "moved": [{"id": "17", "name": ..., "address": ..., "in_week": true,
                   "from_driver_id": "d2", "from_driver": ..., "to_driver_id": "d1",
                   "to_driver": ...}, ...],
        "unchanged": ["d3", ...]}
    }

``id`` is the row's ``id`` column, or its spreadsheet row number (header = row 1) when the
file has none. Times are ``HH:MM`` on the plan's day.
"""

from __future__ import annotations

from typing import Any

from routing.model import (
    Driver,
    Household,
    Hub,
    Instructions,
    LatLon,
    Move,
    Plan,
    PlanChanges,
    Problem,
    Route,
    RouteChange,
    Stop,
    TimeWindow,
    Unassigned,
    Visit,
    format_hhmm,
    parse_hhmm,
)

FORMAT = "aidroute.plan/1"


def _latlon(p: LatLon | None) -> dict[str, float] | None:
    return None if p is None else {"lat": p.lat, "lon": p.lon}


def _from_latlon(d: dict[str, float] | None) -> LatLon | None:
    return None if d is None else LatLon(float(d["lat"]), float(d["lon"]))


def _window(w: TimeWindow | None) -> list[str] | None:
    return None if w is None else [format_hhmm(w.start_s), format_hhmm(w.end_s)]


def _from_window(w: list[str] | None) -> TimeWindow | None:
    return None if w is None else TimeWindow(parse_hhmm(w[0]), parse_hhmm(w[1]))


def hub_to_dict(h: Hub) -> dict[str, Any]:
    return {
        "id": h.id,
        "name": h.name,
        "address": h.address,
        "location": _latlon(h.location),
        "loading_min": h.loading_s / 60,
        "open": _window(h.open),
        "note": h.note,
    }


def hub_from_dict(d: dict[str, Any]) -> Hub:
    return Hub(
        id=str(d["id"]),
        name=str(d.get("name", d["id"])),
        address=d.get("address", ""),
        location=_from_latlon(d["location"]),  # type: ignore[arg-type]
        loading_s=round(float(d.get("loading_min", 0)) * 60),
        open=_from_window(d.get("open")),
        note=d.get("note", ""),
    )


def stop_to_dict(s: Stop) -> dict[str, Any]:
    return {
        "id": s.id,
        "row": s.row,
        "recipient": s.recipient,
        "address": s.address,
        "unit": s.unit,
        "location": _latlon(s.location),
        "precision": s.precision,
        "matched": s.matched,
        "boxes": s.boxes,
        "frozen": s.frozen,
        "windows": [_window(w) for w in s.windows],
        "service_min": s.service_s / 60,
        "phone": s.phone,
        "notes": s.notes,
        "language": s.language,
        "requires": sorted(s.requires),
        "driver": s.driver,
        "exclude_drivers": sorted(s.exclude_drivers),
        "urgent": s.urgent,
    }


def stop_from_dict(d: dict[str, Any]) -> Stop:
    return Stop(
        id=str(d["id"]),
        row=d.get("row"),
        recipient=d.get("recipient", ""),
        address=d.get("address", ""),
        unit=d.get("unit", ""),
        location=_from_latlon(d.get("location")),
        precision=d.get("precision", ""),
        matched=d.get("matched", ""),
        boxes=int(d.get("boxes", 1)),
        frozen=int(d.get("frozen", 0)),
        windows=tuple(w for w in (_from_window(x) for x in d.get("windows", [])) if w),
        service_s=round(float(d.get("service_min", 5)) * 60),
        phone=d.get("phone", ""),
        notes=d.get("notes", ""),
        language=d.get("language", ""),
        requires=frozenset(d.get("requires", ())),
        driver=d.get("driver"),
        exclude_drivers=frozenset(d.get("exclude_drivers", ())),
        urgent=bool(d.get("urgent")),
    )


def driver_to_dict(v: Driver) -> dict[str, Any]:
    return {
        "id": v.id,
        "row": v.row,
        "name": v.name,
        "phone": v.phone,
        "capacity_boxes": v.capacity_boxes,
        "capacity_frozen": v.capacity_frozen,
        "shift": _window(v.shift),
        "home": _latlon(v.home),
        "home_address": v.home_address,
        "start": v.start,
        "end": v.end,
        "hub": v.hub,
        "languages": sorted(v.languages),
        "skills": sorted(v.skills),
        "profile": v.profile,
        "max_stops": v.max_stops,
        "max_route_min": None if v.max_route_s is None else v.max_route_s / 60,
        "max_distance_km": None if v.max_distance_m is None else v.max_distance_m / 1000,
        "locale": v.locale,
    }


def driver_from_dict(d: dict[str, Any]) -> Driver:
    max_min, max_km = d.get("max_route_min"), d.get("max_distance_km")
    return Driver(
        id=str(d["id"]),
        row=d.get("row"),
        name=d["name"],
        phone=d.get("phone", ""),
        capacity_boxes=int(d["capacity_boxes"]),
        capacity_frozen=d.get("capacity_frozen"),
        shift=_from_window(d["shift"]),  # type: ignore[arg-type]
        home=_from_latlon(d.get("home")),
        home_address=d.get("home_address", ""),
        start=d.get("start", "hub"),
        end=d.get("end", "hub"),
        hub=d.get("hub"),
        languages=frozenset(d.get("languages", ())),
        skills=frozenset(d.get("skills", ())),
        profile=d.get("profile", "drive"),
        max_stops=d.get("max_stops"),
        max_route_s=None if max_min is None else round(float(max_min) * 60),
        max_distance_m=None if max_km is None else round(float(max_km) * 1000),
        locale=d.get("locale") or "",
    )


def problem_to_dict(p: Problem) -> dict[str, Any]:
    return {
        "date": p.date,
        "region": p.region,
        "instructions": {
            "dispatcher_phone": p.instructions.dispatcher_phone,
            "nobody_home": p.instructions.nobody_home,
        },
        "hubs": [hub_to_dict(h) for h in p.hubs],
        "stops": [stop_to_dict(s) for s in p.stops],
        "drivers": [driver_to_dict(d) for d in p.drivers],
    }


def problem_from_dict(d: dict[str, Any]) -> Problem:
    return Problem(
        hubs=tuple(hub_from_dict(h) for h in d["hubs"]),
        stops=tuple(stop_from_dict(s) for s in d["stops"]),
        drivers=tuple(driver_from_dict(v) for v in d["drivers"]),
        date=d.get("date"),
        region=d.get("region"),
        instructions=Instructions(**d.get("instructions", {})),
    )


def _visit_to_dict(v: Visit, s: Stop) -> dict[str, Any]:
    return {
        "id": v.stop_id,
        "arrival": format_hhmm(v.arrival_s),
        "start": format_hhmm(v.start_s),
        "departure": format_hhmm(v.departure_s),
        "arrival_s": v.arrival_s,
        "start_s": v.start_s,
        "departure_s": v.departure_s,
        "travel_s": v.travel_s,
        "distance_m": v.distance_m,
        "load_boxes": v.load_boxes,
        "boxes": s.boxes,
        "name": s.recipient,
        "address": s.address,
        "unit": s.unit,
        "lat": s.location.lat if s.location else None,
        "lon": s.location.lon if s.location else None,
    }


def route_to_dict(r: Route, problem: Problem) -> dict[str, Any]:
    driver = problem.driver(r.driver_id)
    return {
        "driver": driver.name,
        "driver_id": r.driver_id,
        "hub": r.hub_id,
        "start": format_hhmm(r.start_s),
        "end": format_hhmm(r.end_s),
        "depart_hub": None if r.depart_hub_s is None else format_hhmm(r.depart_hub_s),
        "start_s": r.start_s,
        "end_s": r.end_s,
        "depart_hub_s": r.depart_hub_s,
        "stops_count": len(r.visits),
        "boxes": r.boxes(problem),
        "duration_min": round(r.duration_s / 60, 1),
        "distance_km": round(r.distance_m / 1000, 2),
        "distance_m": r.distance_m,
        "stops": [_visit_to_dict(v, problem.stop(v.stop_id)) for v in r.visits],
        "path": [[round(lat, 6), round(lon, 6)] for lat, lon in r.path],
    }


def summary(plan: Plan) -> dict[str, Any]:
    """Headline figures of a plan: what a dispatcher reads first."""
    assigned = sum(len(r.visits) for r in plan.routes)
    used = [r for r in plan.routes if r.visits]
    reasons: dict[str, int] = {}
    for u in plan.unassigned:
        reasons[u.reason] = reasons.get(u.reason, 0) + 1
    return {
        "stops": len(plan.problem.stops),
        "assigned": assigned,
        "unassigned": len(plan.unassigned),
        "unassigned_by_reason": reasons,
        "drivers": len(plan.problem.drivers),
        "drivers_used": len(used),
        "boxes": sum(r.boxes(plan.problem) for r in used),
        "route_minutes": round(sum(r.duration_s for r in used) / 60, 1),
        "distance_km": round(sum(r.distance_m for r in used) / 1000, 2),
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The ``plan.json`` content (see the module docstring)."""
    problem = plan.problem
    unassigned = []
    for u in plan.unassigned:
        s = problem.stop(u.stop_id)
        unassigned.append(
            {
                "id": u.stop_id,
                "reason": u.reason,
                "message": u.message,
                "fix": u.fix,
                "row": s.row,
                "name": s.recipient,
                "address": s.full_address,
            }
        )
    return {
        "format": FORMAT,
        "date": problem.date,
        "summary": summary(plan),
        "routes": [route_to_dict(r, problem) for r in plan.routes],
        "unassigned": unassigned,
        "problem": problem_to_dict(problem),
        "stats": dict(plan.stats),
        "changes": changes_to_dict(plan.changes),
    }


def plan_from_dict(d: dict[str, Any]) -> Plan:
    """Read back what :func:`plan_to_dict` wrote."""
    if d.get("format") != FORMAT:
        raise ValueError(f"not an aidroute plan: format {d.get('format')!r}, expected {FORMAT!r}")
    problem = problem_from_dict(d["problem"])
    routes = []
    for r in d["routes"]:
        visits = tuple(
            Visit(
                stop_id=v["id"],
                arrival_s=v["arrival_s"],
                start_s=v["start_s"],
                departure_s=v["departure_s"],
                travel_s=v.get("travel_s", 0),
                distance_m=v.get("distance_m", 0),
                load_boxes=v.get("load_boxes", 0),
            )
            for v in r["stops"]
        )
        routes.append(
            Route(
                driver_id=r["driver_id"],
                hub_id=r["hub"],
                start_s=r["start_s"],
                end_s=r["end_s"],
                visits=visits,
                distance_m=r.get("distance_m", 0),
                path=tuple((float(a), float(b)) for a, b in r.get("path", [])),
                depart_hub_s=r.get("depart_hub_s"),
            )
        )
    unassigned = tuple(
        Unassigned(
            stop_id=u["id"], reason=u["reason"], message=u.get("message", ""), fix=u.get("fix", "")
        )
        for u in d["unassigned"]
    )
    return Plan(
        problem=problem,
        routes=tuple(routes),
        unassigned=unassigned,
        stats=d.get("stats", {}),
        changes=changes_from_dict(d.get("changes")),
    )


def _household(h: Household) -> dict[str, Any]:
    return {"id": h.stop_id, "name": h.name, "address": h.address, "in_week": h.in_week}


def _from_household(d: dict[str, Any]) -> Household:
    return Household(d["id"], d.get("name", ""), d.get("address", ""), d.get("in_week", True))


def changes_to_dict(c: PlanChanges | None) -> dict[str, Any] | None:
    """The ``changes`` key of ``plan.json``: null unless the plan re-planned an earlier one."""
    if c is None:
        return None
    return {
        "drivers": [
            {
                "driver_id": r.driver_id,
                "driver": r.driver,
                "status": r.status,
                "added": [_household(h) for h in r.added],
                "removed": [_household(h) for h in r.removed],
                "reordered": r.reordered,
            }
            for r in c.routes
        ],
        "moved": [
            {
                **_household(m.household),
                "from_driver_id": m.from_driver_id,
                "from_driver": m.from_driver,
                "to_driver_id": m.to_driver_id,
                "to_driver": m.to_driver,
            }
            for m in c.moved
        ],
        "unchanged": list(c.unchanged),
    }


def changes_from_dict(d: dict[str, Any] | None) -> PlanChanges | None:
    """Read back what :func:`changes_to_dict` wrote."""
    if not d:
        return None
    routes = tuple(
        RouteChange(
            r["driver_id"],
            r.get("driver", ""),
            r.get("status", "changed"),
            tuple(_from_household(h) for h in r.get("added", [])),
            tuple(_from_household(h) for h in r.get("removed", [])),
            bool(r.get("reordered", False)),
        )
        for r in d.get("drivers", [])
    )
    moved = tuple(
        Move(
            _from_household(m),
            m["from_driver_id"],
            m.get("from_driver", ""),
            m["to_driver_id"],
            m.get("to_driver", ""),
        )
        for m in d.get("moved", [])
    )
    return PlanChanges(routes, moved, tuple(d.get("unchanged", [])))
