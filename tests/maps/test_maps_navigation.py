"""Navigation hand-off links: the Google waypoint split and each app's URL format."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from maps.navigation import (
    apple_maps_url,
    geo_uri,
    google_directions_url,
    google_route_legs,
    route_links,
    stop_links,
    waze_url,
)
from routing.model import LatLon
from tests.helpers.sample_plans import make_plan

HUB = LatLon(40.7184, -73.7374)
STOPS = [LatLon(40.72 + i / 1000, -73.74 - i / 1000) for i in range(1, 11)]


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize("n", range(1, 11))
def test_google_legs_cover_every_stop_once_with_at_most_three_waypoints(n):
    """Legs chain origin -> waypoints -> destination; every point appears exactly once
    after the first origin, and no leg has more than 3 waypoints."""
    points = [HUB, *STOPS[:n]]
    legs = [query(u) for u in google_route_legs(points)]
    assert len(legs) == -(-n // 4)
    visited = []
    origin = "40.718400,-73.737400"
    for leg in legs:
        assert leg["api"] == "1" and leg["travelmode"] == "driving"
        assert leg["origin"] == origin
        waypoints = leg["waypoints"].split("|") if "waypoints" in leg else []
        assert len(waypoints) <= 3
        visited += [*waypoints, leg["destination"]]
        origin = leg["destination"]
    assert visited == [f"{p.lat:.6f},{p.lon:.6f}" for p in STOPS[:n]]


def test_google_refuses_more_than_three_waypoints_and_smaller_splits_work():
    """A single URL with 4 waypoints would be silently cut by the phone: refused. A split
    with max_waypoints=1 gives 2 new points per leg."""
    with pytest.raises(ValueError, match="3"):
        google_directions_url(STOPS[0], waypoints=STOPS[1:5])
    assert len(google_route_legs([HUB, *STOPS[:6]], max_waypoints=1)) == 3
    assert google_route_legs([HUB]) == []


def test_single_destination_formats():
    """Per-stop links: Google from the current location, Apple Maps, geo: with a
    percent-encoded label, Waze with navigate=yes; walking routes say so."""
    p = LatLon(40.7208, -73.736)
    g = google_directions_url(p)
    assert g == (
        "https://www.google.com/maps/dir/?api=1&destination=40.720800,-73.736000&travelmode=driving"
    )
    assert apple_maps_url(p) == "https://maps.apple.com/?daddr=40.720800,-73.736000&dirflg=d"
    assert apple_maps_url(p, profile="walk").endswith("dirflg=w")
    assert geo_uri(p, "Stop 3 <&>") == (
        "geo:40.720800,-73.736000?q=40.720800,-73.736000(Stop%203%20%3C%26%3E)"
    )
    assert waze_url(p) == "https://waze.com/ul?ll=40.720800,-73.736000&navigate=yes"
    assert [link.app for link in stop_links(p)] == ["google", "apple", "geo", "waze"]
    assert [link.app for link in stop_links(p, profile="bike")] == ["google", "apple", "geo"]
    assert "travelmode=bicycling" in stop_links(p, profile="bike")[0].url


def test_route_links_start_at_the_hub_and_name_their_stops():
    """A plan's whole-route links start at the hub and label which stops each leg covers."""
    plan = make_plan()
    links = route_links(plan, plan.routes[1])
    assert [link.label for link in links] == ["Leg 1 of 2: stops 1-4", "Leg 2 of 2: stops 5-6"]
    first = query(links[0].url)
    assert first["origin"] == "40.718400,-73.737400"
    s8 = plan.problem.stop("s8").location
    assert first["destination"] == f"{s8.lat:.6f},{s8.lon:.6f}"
    assert query(links[1].url)["origin"] == first["destination"]
    short = route_links(plan, plan.routes[0])
    assert [link.label for link in short] == ["All stops 1-4"]
