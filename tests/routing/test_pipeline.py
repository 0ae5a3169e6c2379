"""routing.pipeline on the bundled Queens Village area: reading a week, off-road places, fixes,
drawn routes, pins and hubs by name."""

from __future__ import annotations

import json
import math

import pytest

from routing.errors import InputError
from routing.geocoding.online import OnlineGeocoder
from routing.model import Driver, Hub, LatLon, Problem, Stop, TimeWindow
from routing.paths import bundled_data
from routing.pipeline import plan_problem, prepare_week, read_week, resolve_hubs, resolve_pins
from routing.roads.area import load_area
from routing.solve.options import SolveOptions

HUB = Hub("pantry", "Compare Foods", LatLon(40.7073238, -73.7505106))
SHIFT = TimeWindow.from_hhmm("09:00", "13:00")


@pytest.fixture(scope="module")
def area():
    return load_area("queens-village")


def _points(area, n: int) -> list[LatLon]:
    table = area.addresses.iloc[:: len(area.addresses) // n].head(n)
    return [LatLon(float(r.lat), float(r.lon)) for r in table.itertuples()]


def _metres(a: tuple[float, float], b: LatLon) -> float:
    dy = (a[0] - b.lat) * 111_320
    dx = (a[1] - b.lon) * 111_320 * math.cos(math.radians(b.lat))
    return math.hypot(dx, dy)


def test_far_and_unplaced_stops_come_back_with_reasons_and_fixes(area):
    """A stop 20 km away is `unreachable` with its distance and a fix; an unplaced stop is
    `address_not_found` with a fix naming its row; the others are routed."""
    pts = _points(area, 4)
    stops = [Stop(f"s{i}", location=p, row=i + 2) for i, p in enumerate(pts)]
    stops.append(Stop("far", location=LatLon(40.90, -73.74), row=10))  # the Bronx-ish
    stops.append(Stop("lost", address="1 Nowhere Lane", row=11))
    problem = Problem((HUB,), tuple(stops), (Driver("d1", "Dana", 20, SHIFT),))
    plan = plan_problem(problem, area, SolveOptions(time_limit_s=1))
    why = {u.stop_id: u for u in plan.unassigned}
    assert why["far"].reason == "unreachable"
    assert "km from the nearest road" in why["far"].message and "row 10" in why["far"].fix
    assert why["lost"].reason == "address_not_found" and "row 11" in why["lost"].fix
    routed = {v.stop_id for r in plan.routes for v in r.visits}
    assert routed == {"s0", "s1", "s2", "s3"}


def test_hub_off_the_map_is_an_input_error(area):
    """A hub far outside the area is refused, naming the hub and the distance."""
    problem = Problem(
        (Hub("h", "Far", LatLon(41.5, -74.5)),),
        (Stop("s", location=_points(area, 1)[0]),),
        (Driver("d1", "Dana", 20, SHIFT),),
    )
    with pytest.raises(InputError) as e:
        plan_problem(problem, area, SolveOptions(time_limit_s=1))
    assert e.value.problems[0].field == "hub"
    assert "km from the nearest road" in e.value.problems[0].reason


def test_routes_are_drawn_along_roads_from_hub_through_every_stop(area):
    """Each route's path starts at the hub, passes within 150 m of each of its stops in
    order, and returns to the hub."""
    pts = _points(area, 6)
    stops = tuple(Stop(f"s{i}", location=p) for i, p in enumerate(pts))
    problem = Problem((HUB,), stops, (Driver("d1", "Dana", 20, SHIFT),))
    plan = plan_problem(problem, area, SolveOptions(time_limit_s=1))
    (route,) = [r for r in plan.routes if r.visits]
    path = route.path
    assert _metres(path[0], HUB.location) < 150 and _metres(path[-1], HUB.location) < 150
    cursor = 0
    for visit in route.visits:
        stop = problem.stop(visit.stop_id).location
        dists = [_metres(p, stop) for p in path[cursor:]]
        best = min(range(len(dists)), key=dists.__getitem__)
        assert dists[best] < 150
        cursor += best
    assert plan.stats["timings"]["solve"] > 0


def test_each_driver_travels_on_their_own_network(area):
    """A walking volunteer's legs take walking times (several times the driving ones) and
    their route is drawn on the walk network, on the same stops a driver would take."""
    from routing.pipeline import build_matrices

    pts = _points(area, 2)
    stops = tuple(Stop(f"s{i}", location=p) for i, p in enumerate(pts))
    walker = Driver("w", "Wen", 20, TimeWindow.from_hhmm("09:00", "14:00"), profile="walk")
    problem = Problem((HUB,), stops, (walker,))
    plan = plan_problem(problem, area, SolveOptions(time_limit_s=1))
    (route,) = [r for r in plan.routes if r.visits]
    mats = build_matrices(area, Problem((HUB,), stops, (walker, Driver("d", "D", 20, SHIFT))))
    first = route.visits[0]
    walk_s = mats["walk"].duration("hub:pantry", f"stop:{first.stop_id}")
    drive_s = mats["drive"].duration("hub:pantry", f"stop:{first.stop_id}")
    assert abs(first.travel_s - walk_s) <= 2
    assert walk_s > 2 * drive_s
    assert plan.stats["timings"]["matrix"] > 0 and len(route.path) > 2


DEMO = bundled_data() / "demo"


def _hub() -> dict:
    return json.loads((DEMO / "hub.json").read_text(encoding="utf-8"))


def test_pins_match_roster_names_and_a_typo_is_a_warning_not_a_stop(tmp_path, area):
    """A Driver column naming 'ana delgado' pins the stop to her id; 'Nobody Here' plans the
    stop unpinned with a warning on its row, and nothing is dropped."""
    deliveries = tmp_path / "d.csv"
    deliveries.write_text(
        "Name,Address,Zip,Boxes,Driver\n"
        "A One,98-20 218th St,11429,1,ana delgado\n"
        "B Two,216-25 114th Rd,11411,2,Nobody Here\n",
        encoding="utf-8",
    )
    week = read_week(deliveries, DEMO / "drivers.csv", _hub(), area)
    prepared = prepare_week(week, area)
    stops = {s.row: s for s in prepared.problem.stops}
    ana = next(d for d in prepared.problem.drivers if d.name == "Ana Delgado")
    assert stops[2].driver == ana.id
    assert stops[3].driver is None
    (warning,) = [p for p in prepared.problems if p.value == "Nobody Here"]
    assert warning.row == 3 and warning.severity == "warning"
    assert warning.field == "d.csv: Driver"


def test_online_geocoder_is_asked_only_for_what_the_area_cannot_place(tmp_path, area):
    """With `online`, the one unknown address goes to the (loopback) service and is placed;
    the address the area's table knows is never sent."""
    import threading
    from http.server import ThreadingHTTPServer

    from tests.helpers.geocoding import FakeGeocoderHandler

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeGeocoderHandler)
    httpd.seen = []  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    sheet = tmp_path / "d.csv"
    sheet.write_text(
        "Name,Address,Zip\nA One,98-20 218th St,11429\nB Two,1 Main St,\n", encoding="utf-8"
    )
    online = OnlineGeocoder(f"http://127.0.0.1:{httpd.server_address[1]}", bbox=area.bbox)
    try:
        week = read_week(sheet, DEMO / "drivers.csv", _hub(), area, online=online)
    finally:
        online.close()
        httpd.shutdown()
        httpd.server_close()
    assert [q for _, q, _ in httpd.seen] == ["1 Main St"]
    assert all(s.location is not None for s in week.stops)


def test_exclusions_and_hubs_resolve_by_name():
    """'Not driver: ana delgado' excludes her id; an unknown name is a warning; a driver's
    hub written by name maps to the hub's id."""
    shift = TimeWindow.from_hhmm("09:00", "12:00")
    crew = [
        Driver("Ana Delgado", "Ana Delgado", 5, shift, hub="compare foods"),
        Driver("b", "Bo", 5, shift),
    ]
    stops, problems = resolve_pins(
        [Stop("1", exclude_drivers=frozenset({"ana delgado", "Zed"}), row=2)], crew
    )
    assert stops[0].exclude_drivers == {"Ana Delgado"}
    assert [(p.value, p.row, p.severity) for p in problems] == [("Zed", 2, "warning")]
    hub = Hub("cf", "Compare Foods", LatLon(40.7073, -73.7505))
    drivers, problems = resolve_hubs(crew, [hub])
    assert [d.hub for d in drivers] == ["cf", None] and problems == []
