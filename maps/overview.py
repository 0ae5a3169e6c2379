"""The dispatcher's overview map: every route of a plan on one page.

Each route is drawn in its own colour along its road path (no colour repeats up to 30 routes;
past that, line patterns and marker shapes tell routes apart), with numbered stops, in a layer of
its own. A side panel beside the map, never over it, holds the legend: per driver a toggle
for the route's layer, the figures (stops, boxes, minutes) and links to the driver's page
and manifest; then what changed since the plan drivers already have, the solver's warnings
and the unassigned stops, each kind of message once with the stops it concerns, in words
rather than codes; and the stops placed only approximately. The panel folds away.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from maps._render import (
    HUB_COLOUR,
    UNASSIGNED_COLOUR,
    esc,
    page_language,
    render_template,
    route_line,
    route_style,
    route_summary,
    stop_popup,
    stop_rows,
)
from maps.assets import AssetMode, TileSettings
from maps.i18n import Language, language
from maps.words import APPROXIMATE, placement_note, reason_detail, reason_text
from routing.model import Plan, Stop


@dataclass(frozen=True, slots=True)
class RouteLinks:
    """Where a driver's own page and manifest are, from the overview page."""

    page: str | None = None
    manifest: str | None = None
    pdf: str | None = None


def overview_map(
    plan: Plan,
    *,
    assets: AssetMode | None = None,
    tiles: TileSettings | None = None,
    links: Mapping[str, RouteLinks] | None = None,
    locale: str | None = None,
) -> str:
    """The whole plan as one HTML page (a Folium map and a side panel), in the dispatcher's
    language.

    Parameters
    ----------
    plan
        The plan to draw.
    assets
        Where the page loads Leaflet from; default ``AssetMode.relative("static/")``.
    tiles
        The tile server; default :meth:`TileSettings.from_env` (OpenStreetMap's tiles).
    links
        Driver id -> links to that driver's page and manifest, shown in the legend.
    locale
        The page's language: ``"en"`` (the default) or ``"es"``. The solver's own
        sentences (a reason with its figures, a fix) stay English for now.
    """
    # Not at the top, and folium by way of maps._leaflet, which keeps its templates: see there.
    from maps._leaflet import folium, new_map, numbered_marker, place_marker, render_map

    assets = assets or AssetMode.relative()
    tiles = tiles or TileSettings.from_env()
    links = links or {}
    problem = plan.problem
    lang = page_language(plan, locale)

    points = [(h.location.lat, h.location.lon) for h in problem.hubs]
    points += [(s.location.lat, s.location.lon) for s in problem.stops if s.location]
    m = new_map(points, tiles)

    legend = []
    for i, route in enumerate(plan.routes):
        style = route_style(i)
        driver = problem.driver(route.driver_id)
        group = folium.FeatureGroup(name=driver.name, show=True)
        line, on_roads = route_line(plan, route)
        if len(line) >= 2:
            dash = style.dash if on_roads else "8 8"
            folium.PolyLine(
                line, color=style.colour, weight=5, opacity=0.8, dash_array=dash
            ).add_to(group)
        for row in stop_rows(plan, route, "full", lang):
            if row.stop.location is None:
                continue
            tooltip = f"{row.number} &middot; {esc(row.arrival)} &middot; {esc(row.name)}"
            popup = f"<div>{esc(driver.name)}</div>{stop_popup(row, lang, typed=True)}"
            numbered_marker(
                row.stop.location,
                row.number,
                style.colour,
                popup=popup,
                tooltip=tooltip,
                shape=style.shape,
                approximate=row.stop.precision in APPROXIMATE,
            ).add_to(group)
        group.add_to(m)
        legend.append(
            {
                "style": style,
                "driver": driver,
                "group": group.get_name(),
                "links": links.get(driver.id, RouteLinks()),
                **route_summary(plan, route, lang),
            }
        )

    hubs = folium.FeatureGroup(name=lang.gettext("Hubs"), show=True)
    for hub in problem.hubs:
        popup = f"<b>{esc(hub.name)}</b><br>{esc(hub.address)}"
        if hub.note:
            popup += f"<br><i>{esc(hub.note)}</i>"
        place_marker(
            hub.location, "H", HUB_COLOUR, "aid-hub", popup=popup, tooltip=esc(hub.name)
        ).add_to(hubs)
    hubs.add_to(m)

    located = folium.FeatureGroup(name=lang.gettext("Unassigned stops"), show=True)
    for u in plan.unassigned:
        stop = problem.stop(u.stop_id)
        if stop.location is None:
            continue
        title = esc(lang.gettext("Unassigned: %(name)s", name=stop.recipient or stop.id))
        boxes = lang.ngettext("%(num)s box", "%(num)s boxes", stop.boxes)
        lines = [
            f"<b>{title}</b>",
            esc(stop.full_address),
            esc(boxes),
            esc(reason_text(u.reason, u.message, lang)),
        ]
        if detail := reason_detail(u.reason, u.message, lang):
            lines.append(f'<span lang="en">{esc(detail)}</span>')
        if u.fix:
            fix = f'<span lang="en">{esc(u.fix)}</span>' if lang.code != "en" else esc(u.fix)
            lines.append(esc(lang.gettext("Fix:")) + " " + fix)
        place_marker(
            stop.location,
            "!",
            UNASSIGNED_COLOUR,
            "aid-unassigned",
            popup="<br>".join(lines),
            tooltip=title,
        ).add_to(located)
    located.add_to(m)

    parts = render_map(m, assets)
    idle = [d for d in problem.drivers if plan.route_for(d.id) is None]
    return render_template(
        "overview.html",
        lang,
        plan=plan,
        map=parts,
        legend=legend,
        layers={"hubs": hubs.get_name(), "unassigned": located.get_name()},
        unassigned=unassigned_groups(plan, lang),
        unassigned_count=len(plan.unassigned),
        approximate=[
            {"stop": s, "note": placement_note(s.precision, lang)}
            for s in problem.stops
            if s.precision in APPROXIMATE
        ],
        idle=idle,
        warnings=grouped(str(w) for w in plan.stats.get("warnings", ())),
        totals={
            "stops": sum(len(r.visits) for r in plan.routes),
            "boxes": sum(r.boxes(problem) for r in plan.routes),
            "routes": len(plan.routes),
        },
    )


@dataclass(frozen=True, slots=True)
class UnassignedGroup:
    """Unassigned stops that share one explanation and one fix."""

    why: str
    fix: str
    stops: tuple[Stop, ...]
    #: The solver's own sentence, in English, when ``why`` is its reason's translation.
    detail: str = ""
    #: Stop ids among ``stops`` that are not on the map (no place found).
    unplaced: frozenset[str] = frozenset()


def unassigned_groups(plan: Plan, lang: Language | None = None) -> list[UnassignedGroup]:
    """The unassigned stops, one group per explanation and fix, in the order first met:
    a sentence seventeen stops share is said once, above the seventeen. Explanations in
    ``lang`` (English by default); see :func:`maps.words.reason_text`."""
    lang = lang or language()
    groups: dict[tuple[str, str, str], list[Stop]] = {}
    for u in plan.unassigned:
        key = (
            reason_text(u.reason, u.message, lang),
            u.fix,
            reason_detail(u.reason, u.message, lang),
        )
        groups.setdefault(key, []).append(plan.problem.stop(u.stop_id))
    return [
        UnassignedGroup(
            why,
            fix,
            tuple(stops),
            detail,
            frozenset(s.id for s in stops if s.location is None),
        )
        for (why, fix, detail), stops in groups.items()
    ]


def grouped(messages: Iterable[str]) -> list[tuple[str, int]]:
    """Each distinct message once, with how many times it came, in the order first met."""
    counts: dict[str, int] = {}
    for text in messages:
        counts[text] = counts.get(text, 0) + 1
    return list(counts.items())
