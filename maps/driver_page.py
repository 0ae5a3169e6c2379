"""The page a volunteer driver opens on a phone: map, stops in order, one tap to navigate.

Mobile first (360-430 px wide): a map of the route along the roads with numbered stops, the hub
and the end place, then the ordered stop list (arrival time, address and unit, boxes, notes,
language, a call link when the privacy mode shows phones) with navigation links per stop and
for the whole route. Every text from the spreadsheet is escaped.

In the ``reveal`` privacy mode the page shows the next stop's details only; "Delivered" reveals
the one after (progress is kept in the phone's ``localStorage``). The route line and the whole-
route links, which would show every door at once, are left out in that mode.

Served through a driver's link (``/d/{token}``, with :class:`Reporting`), each stop also gets
buttons to report it delivered, not home or refused, with a short note: ``static/aidroute/
status.js`` keeps the reports in the phone until the server has them, so they survive no
signal and a reload. Opened from the CLI's results folder, the page has no buttons.
"""

from __future__ import annotations

from dataclasses import dataclass

from maps._render import (
    HUB_COLOUR,
    briefing,
    colour_for,
    end_label,
    end_place,
    esc,
    page_language,
    render_template,
    route_line,
    route_summary,
    stop_popup,
    stop_rows,
)
from maps.assets import AssetMode, TileSettings
from maps.i18n import Language
from maps.navigation import route_links, stop_links
from maps.privacy import check_privacy
from routing.errors import InputError, InputProblem
from routing.model import Plan

END_COLOUR = "#555555"


@dataclass(frozen=True, slots=True)
class Reporting:
    """Where a served driver's page sends what the driver reports at each stop.

    Attributes
    ----------
    status_url
        ``POST`` one stop's status (``{"stop_id", "status", "note"}``).
    stops_url
        ``GET`` the driver's stops with what was already reported.
    worker_url
        The service worker that keeps the page on the phone for when there is no signal.
    """

    status_url: str
    stops_url: str
    worker_url: str


def report_words(lang: Language) -> dict[str, str]:
    """What ``status.js`` writes on the page, in the page's language. ``{n}`` is a count."""
    words = {
        "delivered": lang.gettext("Delivered ✓"),
        "not_home": lang.gettext("Not home"),
        "refused": lang.gettext("Refused"),
        "waiting": lang.gettext("waiting to send"),
        "sent": lang.gettext("sent"),
        "failed": lang.gettext("not accepted: call your dispatcher"),
    }
    for n, key in ((1, "outbox_one"), (2, "outbox_other")):
        words[key] = lang.translations.ngettext(
            "No signal? %(num)s report is waiting to send: it goes out when the signal is back.",
            "No signal? %(num)s reports are waiting to send: they go out when the signal is back.",
            n,
        ) % {"num": "{n}"}
    return words


def driver_page(
    plan: Plan,
    driver_id: str,
    *,
    privacy: str = "full",
    assets: AssetMode | None = None,
    page_url: str | None = None,
    tiles: TileSettings | None = None,
    gpx_url: str | None = None,
    manifest_url: str | None = None,
    locale: str | None = None,
    reporting: Reporting | None = None,
) -> str:
    """One driver's page as a complete HTML document, in the driver's language.

    Parameters
    ----------
    plan, driver_id
        The plan and the driver whose route to show. A driver without a route gets a page
        saying so.
    privacy
        ``"full"``, ``"initials"``, ``"no_phone"`` or ``"reveal"`` (see :mod:`maps.privacy`).
    assets
        Where Leaflet is loaded from; default ``AssetMode.relative("../static/")``, the layout
        :func:`maps.outputs.write_outputs` writes.
    page_url
        The page's own public URL, if it has one (a ``<link rel="canonical">``).
    tiles
        Tile server; default :meth:`TileSettings.from_env`.
    gpx_url, manifest_url
        Links to this driver's GPX file and printable manifest, shown when given.
    locale
        The page's language when the roster gives the driver none (``Driver.locale``):
        ``"en"`` (the default) or ``"es"``.
    reporting
        Where to send the driver's reports (served links only); without it the page has no
        status buttons.

    Raises
    ------
    InputError
        When ``driver_id`` names no driver of the plan, or ``privacy`` is not a mode.
    """
    # Not at the top, and folium by way of maps._leaflet, which keeps its templates: see there.
    from maps._leaflet import folium, new_map, numbered_marker, place_marker, render_map

    mode = check_privacy(privacy)
    assets = assets or AssetMode.relative("../static/")
    tiles = tiles or TileSettings.from_env()
    problem = plan.problem
    try:
        driver = problem.driver(driver_id)
    except KeyError:
        raise InputError(InputProblem("driver", driver_id, "no driver with this id")) from None
    lang = page_language(plan, locale, driver)
    route = plan.route_for(driver_id)
    index = next((i for i, r in enumerate(plan.routes) if r.driver_id == driver_id), 0)
    colour = colour_for(index)
    reveal = mode == "reveal"

    if route is None:
        hub = problem.hubs[0]
        points = [(hub.location.lat, hub.location.lon)]
        m = new_map(points, tiles)
        place_marker(hub.location, "H", HUB_COLOUR, "aid-hub", tooltip=esc(hub.name)).add_to(m)
        parts = render_map(m, assets)
        return render_template(
            "driver_page.html",
            lang,
            plan=plan,
            driver=driver,
            route=None,
            rows=[],
            map=parts,
            colour=colour,
            reveal=reveal,
            page_url=page_url,
            gpx_url=gpx_url,
            manifest_url=manifest_url,
            hub=hub,
            brief=briefing(plan, None),
            summary=None,
            whole_route=[],
            nav={},
            end=None,
            marker_vars={},
            end_time="",
            remaining=[],
            reporting=None,
            words={},
        )

    hub = problem.hub(route.hub_id)
    points = [(p.lat, p.lon) for p in route.places(plan.problem)]
    m = new_map(points, tiles)
    if not reveal:
        line, on_roads = route_line(plan, route)
        if len(line) >= 2:
            folium.PolyLine(
                line, color=colour, weight=6, opacity=0.85, dash_array=None if on_roads else "8 8"
            ).add_to(m)
    rows = stop_rows(plan, route, mode, lang)
    marker_vars: dict[int, str] = {}
    nav = {}
    for row in rows:
        loc = row.stop.location
        if loc is None:
            continue
        marker = numbered_marker(
            loc,
            row.number,
            colour,
            popup=stop_popup(row, lang),
            tooltip=f"{row.number} &middot; {esc(row.arrival)}",
            approximate=bool(row.placement),
        )
        marker.add_to(m)
        marker_vars[row.number] = marker.get_name()
        label = lang.gettext("Stop %(number)s", number=row.number)
        nav[row.number] = stop_links(loc, label=label, profile=driver.profile, lang=lang)
    place_marker(
        hub.location,
        "H",
        HUB_COLOUR,
        "aid-hub",
        popup=f"<b>{esc(hub.name)}</b><br>{esc(hub.address)}",
        tooltip=esc(hub.name),
    ).add_to(m)
    end = end_place(plan, route)
    if end is not None and end != hub.location:
        place_marker(end, "E", END_COLOUR, "aid-end", tooltip=esc(lang.gettext("End"))).add_to(m)
    parts = render_map(m, assets)
    return render_template(
        "driver_page.html",
        lang,
        plan=plan,
        driver=driver,
        route=route,
        rows=rows,
        map=parts,
        colour=colour,
        reveal=reveal,
        page_url=page_url,
        gpx_url=gpx_url,
        manifest_url=manifest_url,
        hub=hub,
        brief=briefing(plan, hub),
        summary=route_summary(plan, route, lang),
        whole_route=[] if reveal else route_links(plan, route, lang),
        nav=nav,
        end={
            "label": end_label(driver, lang),
            "nav": (
                stop_links(end, label=lang.gettext("End"), profile=driver.profile, lang=lang)
                if end
                else []
            ),
        },
        marker_vars=marker_vars,
        end_time=lang.time(route.end_s),
        remaining=[
            lang.ngettext(
                "%(num)s more stop after this one.", "%(num)s more stops after this one.", n
            )
            if n
            else ""
            for n in range(len(rows))
        ],
        reporting=reporting,
        words=report_words(lang) if reporting else {},
        status_script=assets.prefix + "aidroute/status.js",
    )
