"""What the Plan section shows of one version of a week's plan: each route's stops in order
(with who else could take each one), the unassigned stops grouped by reason with the fix
the page can apply, the versions, and the map's data (routes, stops, hubs, the streets
drawn by aidroute itself)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from api.deps import get_area
from api.settings import Settings
from api.storage.models import PlanRecord, PlanVersion
from api.storage.plans import statuses_of, version_of, versions_of
from api.web.fixes import Fix, read_fix
from maps._render import route_style
from maps.basemap import frame
from maps.i18n import N_, Language
from maps.overview import unassigned_groups
from maps.words import status_text
from routing.errors import AreaError, InputError
from routing.serialize import plan_from_dict

#: What made a version, in words (``PlanVersion.change``).
CHANGES = {
    "plan": N_("First plan"),
    "replan": N_("Planned again with this week's lists"),
    "move": N_("Stop moved"),
    "pin": N_("Stop pinned"),
    "driver_hours": N_("Driver's hours changed"),
    "max_stops": N_("Driver's stops changed"),
    "add_driver": N_("Driver added"),
    "restore": N_("Went back to an earlier version"),
    "unavailable": N_("Driver not driving"),
    "add_stop": N_("Stop added"),
    "remove_stop": N_("Stop removed"),
    "reoptimise": N_("Planned again"),
}


def change_text(change: str, lang: Language, note: str = "") -> str:
    if change == "restore" and note.isdigit():
        return lang.gettext("Went back to version %(number)s", number=note)
    said = CHANGES.get(change)
    return lang.gettext(said) if said else change.replace("_", " ")


@dataclass
class Group:
    """Unassigned stops sharing one reason and fix; ``fix`` is the one the page applies."""

    why: str
    detail: str
    fix_text: str
    fix: Fix | None
    stop_id: str
    stops: list[dict[str, Any]] = field(default_factory=list)


def _stop_rows(body: dict[str, Any], request: dict[str, Any], statuses: dict[str, Any]) -> Any:
    given = {st["id"]: st for st in request.get("stops", [])}
    for i, route in enumerate(body.get("routes", [])):
        style = route_style(i)
        stops = []
        for n, v in enumerate(route.get("stops", []), start=1):
            st = statuses.get(v["id"])
            stops.append(
                {
                    **v,
                    "number": n,
                    "pinned": (given.get(v["id"]) or {}).get("driver") == route["driver_id"],
                    "status": st.status if st else "pending",
                    "status_note": st.note if st else "",
                }
            )
        yield {**route, "index": i, "colour": style.colour, "dash": style.dash, "stops": stops}


def map_data(body: dict[str, Any], routes: list[dict[str, Any]], settings: Settings) -> str:
    """The map's data as JSON for ``plan.js``: routes with their paths and stops, hubs,
    unassigned stops, and the background (the area's streets, or the tile server set)."""
    problem = body.get("problem") or {}
    stops = {st["id"]: st for st in problem.get("stops", [])}
    hubs = [
        {"name": h["name"], "lat": h["location"]["lat"], "lon": h["location"]["lon"]}
        for h in problem.get("hubs", [])
        if h.get("location")
    ]
    unassigned = []
    for u in body.get("unassigned", []):
        loc = (stops.get(u["id"]) or {}).get("location")
        if loc:
            unassigned.append(
                {"id": u["id"], "name": u.get("name", ""), "lat": loc["lat"], "lon": loc["lon"]}
            )
    drawn = []
    for r in routes:
        path = r.get("path") or [[v["lat"], v["lon"]] for v in r["stops"] if v.get("lat")]
        drawn.append(
            {
                "driver": r["driver"],
                "colour": r["colour"],
                "dash": r["dash"],
                "path": path,
                "stops": [
                    {
                        "id": v["id"],
                        "n": v["number"],
                        "lat": v["lat"],
                        "lon": v["lon"],
                        "name": v.get("name", ""),
                        "status": v["status"],
                    }
                    for v in r["stops"]
                    if v.get("lat") is not None
                ],
            }
        )
    points = [(h["lat"], h["lon"]) for h in hubs]
    points += [(v["lat"], v["lon"]) for r in drawn for v in r["stops"]]
    points += [(u["lat"], u["lon"]) for u in unassigned]
    background: dict[str, Any] = {}
    if settings.tile_url:
        background = {"url": settings.tile_url, "attribution": settings.tile_attribution}
    elif points and body.get("stats", {}).get("area"):
        try:
            streets = get_area(str(body["stats"]["area"])).streets
        except (AreaError, InputError):
            streets = None
        if streets is not None and len(streets):
            background = {"streets": streets.clip(frame(points)).to_json()}
    data = {"routes": drawn, "hubs": hubs, "unassigned": unassigned, **background}
    # Inside a <script>: no "</" may close it early (names and streets are people's text).
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def plan_context(
    s: Session,
    plan: PlanRecord,
    number: int | None,
    lang: Language,
    settings: Settings,
) -> dict[str, Any]:
    """Everything ``plan_view.html`` shows of version ``number`` (default: the newest)."""
    version = version_of(s, plan.id, number or plan.latest_version)
    if version is None or not version.body:
        version = version_of(s, plan.id, plan.latest_version)
    assert version is not None
    body = version.plan_dict()
    request = json.loads(version.request or "{}")
    shown_published = version.number == plan.published_version
    statuses = {st.stop_id: st for st in statuses_of(s, plan.id)} if shown_published else {}
    routes = list(_stop_rows(body, request, statuses))
    plan_obj = plan_from_dict(body)
    groups = []
    for g in unassigned_groups(plan_obj, lang):
        stops = [
            {"id": st.id, "name": st.recipient, "address": st.full_address, "boxes": st.boxes}
            for st in g.stops
        ]
        fix = read_fix(g.fix, body) if g.fix else None
        groups.append(Group(g.why, g.detail, g.fix, fix, g.stops[0].id, stops))
    drivers = [
        {"id": d.get("id") or f"d{i + 1}", "name": d.get("name", "")}
        for i, d in enumerate(request.get("drivers", []))
    ]
    counts = {"pending": 0, "delivered": 0, "not_home": 0, "refused": 0}
    for r in routes:
        for v in r["stops"]:
            counts[v["status"]] = counts.get(v["status"], 0) + 1
    return {
        "plan": plan,
        "version": version,
        "body": body,
        "summary": body.get("summary") or {},
        "routes": routes,
        "drivers": drivers,
        "groups": groups,
        "versions": _versions(s, plan, lang),
        "map_json": map_data(body, routes, settings),
        "shown_published": shown_published,
        "counts": counts,
        "status_words": {k: status_text(k, lang) for k in counts},
    }


def _versions(s: Session, plan: PlanRecord, lang: Language) -> list[dict[str, Any]]:
    out = []
    for v in versions_of(s, plan.id):
        summary = v.plan_dict().get("summary") or {}
        out.append(_version_row(v, plan, summary, lang))
    return out


def _version_row(
    v: PlanVersion, plan: PlanRecord, summary: dict[str, Any], lang: Language
) -> dict[str, Any]:
    return {
        "number": v.number,
        "change": change_text(v.change, lang, v.note),
        # A note that only repeats the change's code ("move") says nothing more.
        "note": "" if v.change == "restore" or v.note.replace(" ", "_") in CHANGES else v.note,
        "published": v.number == plan.published_version,
        "assigned": summary.get("assigned", 0),
        "unassigned": summary.get("unassigned", 0),
        "created_at": v.created_at,
    }
