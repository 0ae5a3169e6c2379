"""One-tap navigation hand-off: links that open a phone's navigation app at the right place.

All links use the coordinates the plan was solved with (never the address text), so the app
goes where the route goes and no recipient text ends up in a URL.

* Google Maps directions (``https://www.google.com/maps/dir/?api=1...``). The mobile web and app
  accept at most 3 waypoints and silently drop the rest, so a whole route is split into legs of
  at most ``max_waypoints`` waypoints; each leg starts where the previous one ended.
* Apple Maps (``https://maps.apple.com/?daddr=...``): one destination.
* ``geo:`` URIs (RFC 5870 with Android's ``q=`` label) for OsmAnd, Organic Maps and others.
* Waze (``https://waze.com/ul?ll=...&navigate=yes``): one destination per link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from maps._render import start_place
from maps.i18n import Language, language
from routing.model import LatLon, Plan, Route

GOOGLE_MAX_WAYPOINTS = 3
_GOOGLE_MODE = {"drive": "driving", "bike": "bicycling", "walk": "walking"}
_APPLE_MODE = {"drive": "d", "bike": "d", "walk": "w"}


@dataclass(frozen=True, slots=True)
class NavLink:
    """A navigation link: which app, a short label for the button, and the URL."""

    app: str
    label: str
    url: str


def coord(p: LatLon) -> str:
    """``LatLon(40.72, -73.74)`` -> ``"40.720000,-73.740000"`` (about 10 cm)."""
    return f"{p.lat:.6f},{p.lon:.6f}"


def google_directions_url(
    destination: LatLon,
    *,
    origin: LatLon | None = None,
    waypoints: Sequence[LatLon] = (),
    profile: str = "drive",
) -> str:
    """A Google Maps directions URL; without ``origin`` the phone starts from where it is."""
    if len(waypoints) > GOOGLE_MAX_WAYPOINTS:
        raise ValueError(
            f"{len(waypoints)} waypoints: Google Maps on a phone keeps only "
            f"{GOOGLE_MAX_WAYPOINTS}; split the route with google_route_legs()"
        )
    params: dict[str, str] = {"api": "1"}
    if origin is not None:
        params["origin"] = coord(origin)
    params["destination"] = coord(destination)
    if waypoints:
        params["waypoints"] = "|".join(coord(w) for w in waypoints)
    params["travelmode"] = _GOOGLE_MODE.get(profile, "driving")
    return "https://www.google.com/maps/dir/?" + urlencode(params, safe=",")


def google_route_legs(
    points: Sequence[LatLon],
    *,
    max_waypoints: int = GOOGLE_MAX_WAYPOINTS,
    profile: str = "drive",
) -> list[str]:
    """Directions URLs covering ``points`` in order, each with at most ``max_waypoints``.

    ``points[0]`` is the origin of the first leg; every other point is a waypoint or the
    destination of exactly one leg, and each leg's origin is the previous leg's destination.
    A route of ``n`` points after the origin needs ``ceil(n / (max_waypoints + 1))`` legs.
    """
    if max_waypoints < 0 or max_waypoints > GOOGLE_MAX_WAYPOINTS:
        raise ValueError(f"max_waypoints must be 0 to {GOOGLE_MAX_WAYPOINTS}, not {max_waypoints}")
    if len(points) < 2:
        return []
    urls: list[str] = []
    i = 0
    while i < len(points) - 1:
        j = min(i + max_waypoints + 1, len(points) - 1)
        urls.append(
            google_directions_url(
                points[j], origin=points[i], waypoints=points[i + 1 : j], profile=profile
            )
        )
        i = j
    return urls


def apple_maps_url(destination: LatLon, *, profile: str = "drive") -> str:
    """Apple Maps directions from the current location to ``destination``."""
    return "https://maps.apple.com/?" + urlencode(
        {"daddr": coord(destination), "dirflg": _APPLE_MODE.get(profile, "d")}, safe=","
    )


def geo_uri(destination: LatLon, label: str = "") -> str:
    """``geo:40.720000,-73.740000?q=40.720000,-73.740000(Stop%203)`` for OsmAnd/Organic Maps."""
    c = coord(destination)
    q = c + (f"({quote(label, safe='')})" if label else "")
    return f"geo:{c}?q={q}"


def waze_url(destination: LatLon) -> str:
    """Waze navigation to ``destination`` (Waze takes one destination per link)."""
    return "https://waze.com/ul?" + urlencode(
        {"ll": coord(destination), "navigate": "yes"}, safe=","
    )


def stop_links(
    destination: LatLon,
    *,
    label: str = "",
    profile: str = "drive",
    lang: Language | None = None,
) -> list[NavLink]:
    """Every app's link to one stop, from wherever the phone is; buttons named in ``lang``."""
    other = (lang or language()).gettext("Other app")
    links = [
        NavLink("google", "Google Maps", google_directions_url(destination, profile=profile)),
        NavLink("apple", "Apple Maps", apple_maps_url(destination, profile=profile)),
        NavLink("geo", other, geo_uri(destination, label)),
    ]
    if profile == "drive":
        links.append(NavLink("waze", "Waze", waze_url(destination)))
    return links


def route_links(plan: Plan, route: Route, lang: Language | None = None) -> list[NavLink]:
    """Google Maps legs for a whole route, from its start place through every located stop,
    named in ``lang`` ("Leg 1 of 2: stops 1-4").

    The way to the end place (home, the hub) is left to its own link: a driver knows the way
    home, and a leg holding only the return would cost an extra tap mid-route.
    """
    driver = plan.problem.driver(route.driver_id)
    stops = [loc for v in route.visits if (loc := plan.problem.stop(v.stop_id).location)]
    points = [start_place(plan, route), *stops]
    urls = google_route_legs(points, profile=driver.profile)
    per_leg = GOOGLE_MAX_WAYPOINTS + 1
    lang = lang or language()
    links = []
    for k, url in enumerate(urls):
        first, last = k * per_leg + 1, min((k + 1) * per_leg, len(stops))
        legs = {"leg": k + 1, "legs": len(urls), "first": first, "last": last}
        if len(urls) == 1:
            label = (
                lang.gettext("All stop %(first)s", **legs)
                if first == last
                else lang.gettext("All stops %(first)s-%(last)s", **legs)
            )
        elif first == last:
            label = lang.gettext("Leg %(leg)s of %(legs)s: stop %(first)s", **legs)
        else:
            label = lang.gettext("Leg %(leg)s of %(legs)s: stops %(first)s-%(last)s", **legs)
        links.append(NavLink("google", label, url))
    return links
