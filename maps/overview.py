"""The dispatcher's overview map: every route of a plan on one page.

Each route is drawn in its own colour along its road path, with numbered stops, in a layer of
its own that the layer control toggles; hubs and unassigned stops have their own layers. A side
panel holds the legend (driver, stops, boxes, minutes) and the unassigned stops with their
reasons and fixes, including those that could not be placed on the map at all.
"""

from __future__ import annotations

import folium

from maps._render import (
    HUB_COLOUR,
    UNASSIGNED_COLOUR,
    colour_for,
    esc,
    new_map,
    numbered_marker,
    place_marker,
    render_map,
    render_template,
    route_line,
    route_summary,
    stop_popup,
    stop_rows,
)
from maps.assets import AssetMode, TileSettings
from routing.model import REASONS, Plan


def overview_map(
    plan: Plan, *, assets: AssetMode | None = None, tiles: TileSettings | None = None
) -> str:
    """The whole plan as one HTML page (a Folium map and a legend panel).

    Parameters
    ----------
    plan
        The plan to draw.
    assets
        Where the page loads Leaflet from; default ``AssetMode.relative("static/")``.
    tiles
        The tile server; default :meth:`TileSettings.from_env` (OpenStreetMap's tiles).
    """
    assets = assets or AssetMode.relative()
    tiles = tiles or TileSettings.from_env()
    problem = plan.problem

    points = [(h.location.lat, h.location.lon) for h in problem.hubs]
    points += [(s.location.lat, s.location.lon) for s in problem.stops if s.location]
    m = new_map(points, tiles)

    legend = []
    for i, route in enumerate(plan.routes):
        colour = colour_for(i)
        driver = problem.driver(route.driver_id)
        summary = route_summary(plan, route)
        label = f'<span class="aid-swatch" style="background:{colour}"></span>{esc(driver.name)}'
        group = folium.FeatureGroup(name=label, show=True)
        line, on_roads = route_line(plan, route)
        if len(line) >= 2:
            folium.PolyLine(
                line, color=colour, weight=5, opacity=0.8, dash_array=None if on_roads else "8 8"
            ).add_to(group)
        for row in stop_rows(plan, route, "full"):
            if row.stop.location is None:
                continue
            tooltip = f"{row.number} &middot; {esc(row.arrival)} &middot; {esc(row.name)}"
            popup = f"<div>{esc(driver.name)}</div>{stop_popup(row, typed=True)}"
            numbered_marker(
                row.stop.location, row.number, colour, popup=popup, tooltip=tooltip
            ).add_to(group)
        group.add_to(m)
        legend.append(
            {"colour": colour, "driver": driver.name, "group": group.get_name(), **summary}
        )

    hubs = folium.FeatureGroup(name="Hubs", show=True)
    for hub in problem.hubs:
        popup = f"<b>{esc(hub.name)}</b><br>{esc(hub.address)}"
        place_marker(
            hub.location, "H", HUB_COLOUR, "aid-hub", popup=popup, tooltip=esc(hub.name)
        ).add_to(hubs)
    hubs.add_to(m)

    unassigned = []
    located = folium.FeatureGroup(name="Unassigned stops", show=True)
    for u in plan.unassigned:
        stop = problem.stop(u.stop_id)
        unassigned.append(
            {
                "stop": stop,
                "reason": u.reason,
                "message": u.message or REASONS.get(u.reason, ""),
                "fix": u.fix,
                "located": stop.location is not None,
            }
        )
        if stop.location is None:
            continue
        popup = (
            f"<b>Unassigned: {esc(stop.recipient) or esc(stop.id)}</b><br>"
            f"{esc(stop.full_address)}<br>{stop.boxes} boxes<br>"
            f"<b>{esc(u.reason)}</b>: {esc(u.message)}"
            + (f"<br>Fix: {esc(u.fix)}" if u.fix else "")
        )
        place_marker(
            stop.location,
            "!",
            UNASSIGNED_COLOUR,
            "aid-unassigned",
            popup=popup,
            tooltip=f"Unassigned: {esc(stop.recipient) or esc(stop.id)}",
        ).add_to(located)
    located.add_to(m)

    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    parts = render_map(m, assets)
    idle = [d for d in problem.drivers if plan.route_for(d.id) is None]
    return render_template(
        "overview.html",
        plan=plan,
        map=parts,
        legend=legend,
        unassigned=unassigned,
        idle=idle,
        warnings=[str(w) for w in plan.stats.get("warnings", ())],
        totals={
            "stops": sum(len(r.visits) for r in plan.routes),
            "boxes": sum(r.boxes(problem) for r in plan.routes),
            "routes": len(plan.routes),
        },
    )
