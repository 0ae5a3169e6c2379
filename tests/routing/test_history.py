"""routing.history: the same households, drivers and hubs found again in a new week."""

from __future__ import annotations

from routing.history import (
    carry_over,
    continuity_from,
    match_drivers,
    match_hubs,
    match_stops,
    plan_changes,
)
from routing.model import Driver, Hub, LatLon, Plan, Problem, Route, Stop, TimeWindow, Visit

HUB = Hub("pantry", "Compare Foods", LatLon(40.7073238, -73.7505106))
SHIFT = TimeWindow.from_hhmm("09:00", "13:00")
POINTS = [LatLon(40.7100, -73.7400), LatLon(40.7150, -73.7450), LatLon(40.7200, -73.7350)]


def test_carry_over_follows_households_when_row_numbers_shift():
    """A row inserted at the top shifts every row-number id; the previous plan's routes are
    restated with the new ids by address, and last week's drivers by name."""
    pts = POINTS
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


def test_a_renamed_driver_is_found_by_number_however_it_is_written():
    """Last week "Ana" with (718) 555-0101; this week "Anna R." with +1 718-555-0101: the
    same number read in the area's country, so the same driver. Without a country the two
    spellings still share their last ten digits."""
    old = Problem((HUB,), (), (Driver("x", "Ana", 5, SHIFT, phone="(718) 555-0101"),), region="US")
    new = Problem(
        (HUB,), (), (Driver("d9", "Anna R.", 5, SHIFT, phone="+1 718-555-0101"),), region="US"
    )
    assert match_drivers(old, new) == {"x": "d9"}
    other = Problem((HUB,), (), (Driver("d9", "Anna R.", 5, SHIFT, phone="+1 646-555-0101"),))
    assert match_drivers(old, other) == {}


def _route(driver: str, stop_ids: list[str]) -> Route:
    return Route(driver, HUB.id, 32400, 36000, tuple(Visit(s, 0, 0, 0) for s in stop_ids))


def test_plan_changes_says_whom_to_tell_what():
    """Issue 10, finding 16. Last week's sheet had rows 2-8; this week a row is inserted at
    the top (every id shifts) and 4 Elm St left. Dana gets the newcomer and Ben's 3 Oak St;
    Ben loses it and 4 Elm St; Cy keeps his stops in another order; Eve keeps hers as they
    were; Flo's route is dropped and Gus, new on the roster, gets it."""
    streets = ["1 Ash St", "2 Birch St", "3 Oak St", "4 Elm St", "5 Fir St", "6 Yew St", "7 Ivy St"]
    old_stops = tuple(
        Stop(str(i + 2), recipient=f"H{i}", address=a, row=i + 2) for i, a in enumerate(streets)
    )
    crew = [Driver(d, d.title(), 20, SHIFT) for d in ("dana", "ben", "cy", "eve", "flo")]
    old = Problem((HUB,), old_stops, tuple(crew))
    previous = Plan(
        old,
        (
            _route("dana", ["2"]),
            _route("ben", ["3", "4", "5"]),
            _route("cy", ["7", "8"]),
            _route("eve", ["6"]),
            _route("flo", []),
        ),
        (),
    )
    kept = [s for s in streets if s != "4 Elm St"]
    new_stops = (
        Stop("2", recipient="Newcomer", address="9 New Rd", row=2),
        *(
            Stop(str(i + 3), recipient=f"H{streets.index(a)}", address=a, row=i + 3)
            for i, a in enumerate(kept)
        ),
    )
    by_street = {s.address: s.id for s in new_stops}
    new_crew = (*crew[:4], Driver("gus", "Gus", 20, SHIFT))
    plan = Plan(
        Problem((HUB,), new_stops, new_crew),
        (
            _route("dana", ["2", by_street["1 Ash St"], by_street["3 Oak St"]]),
            _route("ben", [by_street["2 Birch St"]]),
            _route("cy", [by_street["7 Ivy St"], by_street["6 Yew St"]]),
            _route("eve", [by_street["5 Fir St"]]),
        ),
        (),
    )
    plan = Plan(plan.problem, (*plan.routes, _route("gus", [])), ())
    changes = plan_changes(previous, plan)
    by_driver = {c.driver_id: c for c in changes.routes}
    assert list(by_driver) == ["dana", "ben", "cy"]
    dana, ben, cy = by_driver["dana"], by_driver["ben"], by_driver["cy"]
    assert [h.address for h in dana.added] == ["9 New Rd", "3 Oak St"] and not dana.removed
    assert [h.address for h in ben.removed] == ["3 Oak St", "4 Elm St"] and not ben.added
    assert [h.in_week for h in ben.removed] == [True, False]
    assert ben.removed[1].name == "H3" and ben.removed[1].stop_id == "5"  # last week's id
    assert cy.reordered and not cy.added and not cy.removed and cy.status == "changed"
    assert changes.unchanged == ("eve",)
    ((moved),) = changes.moved
    assert (moved.household.address, moved.from_driver, moved.to_driver) == (
        "3 Oak St",
        "Ben",
        "Dana",
    )


def test_plan_changes_of_new_and_dropped_routes():
    """A driver with a route only now is "new"; one whose route is gone, or who left the
    roster, is "dropped" with every household they had as removed; their households are
    moved to whoever has them now."""
    stops = tuple(Stop(str(i), address=f"{i} Main St") for i in range(2, 5))
    old = Problem((HUB,), stops, (Driver("a", "A", 9, SHIFT), Driver("b", "B", 9, SHIFT)))
    previous = Plan(old, (_route("a", ["2", "3"]), _route("b", ["4"])), ())
    new = Problem((HUB,), stops, (Driver("a", "A", 9, SHIFT), Driver("c", "C", 9, SHIFT)))
    plan = Plan(new, (_route("c", ["2", "3", "4"]),), ())
    changes = plan_changes(previous, plan)
    assert [(c.driver_id, c.status) for c in changes.routes] == [
        ("c", "new"),
        ("a", "dropped"),
        ("b", "dropped"),
    ]
    assert [h.stop_id for h in changes.routes[0].added] == ["2", "3", "4"]
    assert [h.stop_id for h in changes.routes[2].removed] == ["4"]
    moves = [(m.household.stop_id, m.from_driver, m.to_driver) for m in changes.moved]
    assert moves == [("2", "A", "C"), ("3", "A", "C"), ("4", "B", "C")]
