"""routing.planning on the bundled Queens Village area: off-road places, fixes, drawn routes."""

from __future__ import annotations

import math

import pytest

from routing.errors import InputError
from routing.model import Driver, Hub, LatLon, Problem, Stop, TimeWindow
from routing.planning import plan_problem
from routing.roads.area import load_area
from routing.solve.solver import SolveOptions

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


def test_carry_over_follows_households_when_row_numbers_shift(area):
    """A row inserted at the top shifts every row-number id; the previous plan's routes are
    restated with the new ids by address, and last week's drivers by name."""
    from routing.model import Plan, Route, Visit
    from routing.planning import carry_over, continuity_from

    pts = _points(area, 3)
    old_stops = tuple(
        Stop(str(i + 2), address=f"{i} Main St", location=p, row=i + 2) for i, p in enumerate(pts)
    )
    old = Problem((HUB,), old_stops, (Driver("Dana", "Dana", 20, SHIFT),))
    route = Route(
        "Dana", HUB.id, 32400, 36000, tuple(Visit(s.id, 0, 0, 0) for s in reversed(old_stops))
    )
    previous = Plan(old, (route,), ())
    shifted = [
        Stop(str(i + 3), address=f"{i} Main St", location=p, row=i + 3) for i, p in enumerate(pts)
    ]
    new_stops = (Stop("2", address="9 New Rd", location=pts[0], row=2), *shifted)
    new = Problem((HUB,), new_stops, (Driver("d7", "dana", 20, SHIFT),))
    (moved,) = carry_over(previous, new).routes
    assert moved.driver_id == "d7"
    assert [v.stop_id for v in moved.visits] == ["5", "4", "3"]
    assert continuity_from(previous, new) == {"3": "d7", "4": "d7", "5": "d7"}


def test_matching_is_one_to_one_and_never_guesses():
    """Two old rows at one address with one new row: only the same-id one matches; rows
    without an address match by place; a renamed driver is found by phone; two drivers
    with one name are left unmatched; the nearest hub wins."""
    from routing.planning import match_drivers, match_hubs, match_stops

    a, b = LatLon(40.71, -73.74), LatLon(40.72, -73.75)
    old = Problem(
        (HUB,),
        (
            Stop("2", address="1 Main St"),
            Stop("3", address="1 Main St"),
            Stop("4", location=a),
            Stop("5", location=b),
        ),
        (
            Driver("x", "Ana", 5, SHIFT, phone="(718) 555-0101"),
            Driver("y", "Bo", 5, SHIFT),
            Driver("z", "Bo", 5, SHIFT),
        ),
    )
    new = Problem(
        (HUB,),
        (
            Stop("2", address="1 Main St"),
            Stop("4", location=b),
            Stop("5", location=LatLon(40.71001, -73.74001)),
        ),
        (Driver("d1", "Anna", 5, SHIFT, phone="718-555-0101"), Driver("d2", "Bo", 5, SHIFT)),
    )
    assert match_stops(old, new) == {"2": "2", "4": "5", "5": "4"}
    assert match_drivers(old, new) == {"x": "d1"}
    near = Hub("near", "N", LatLon(40.7074, -73.7506))
    far = Hub("far", "F", LatLon(40.7080, -73.7510))
    two = Problem((far, near), (), (Driver("d", "D", 5, SHIFT),))
    assert match_hubs(Problem((HUB,), (), (Driver("d", "D", 5, SHIFT),)), two) == {HUB.id: "near"}


def test_each_driver_travels_on_their_own_network(area):
    """A walking volunteer's legs take walking times (several times the driving ones) and
    their route is drawn on the walk network, on the same stops a driver would take."""
    from routing.planning import build_matrices

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
