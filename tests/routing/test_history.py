"""routing.history: the same households, drivers and hubs found again in a new week."""

from __future__ import annotations

from routing.history import carry_over, continuity_from, match_drivers, match_hubs, match_stops
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
