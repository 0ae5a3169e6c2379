"""Stops taken out before the search, each with its reason (``routing.solve.build``)."""

from __future__ import annotations

from routing.model import Driver, Hub, Problem, Stop, TimeWindow, stop_key
from routing.solve.solver import solve
from tests.helpers.plans import FAST, H, at, check_plan, euclid_matrix


def test_reasons_found_before_the_search() -> None:
    """No location, no road, too many boxes, a missing skill and impossible hours."""
    hub = Hub("h", "Pantry", at(0, 0))
    stops = (
        Stop("nowhere", address="1 Nowhere St"),
        Stop("island", location=at(1, 1)),
        Stop("big", location=at(1, 0), boxes=50),
        Stop("spanish", location=at(0, 1), requires=frozenset({"es"})),
        Stop("night", location=at(1, 2), windows=(TimeWindow(20 * H, 21 * H),)),
        Stop("fine", location=at(2, 1)),
    )
    drivers = (Driver("d0", "Dana", 10, TimeWindow(9 * H, 12 * H)),)
    problem = Problem((hub,), stops, drivers)
    matrix = euclid_matrix(problem, blocked=frozenset({stop_key("island")}))
    plan = solve(problem, matrix, FAST)
    check_plan(plan, matrix)
    reasons = {u.stop_id: u.reason for u in plan.unassigned}
    assert reasons == {
        "nowhere": "address_not_found",
        "island": "unreachable",
        "big": "too_many_boxes",
        "spanish": "no_driver_with_skill",
        "night": "outside_all_hours",
    }
    msg = {u.stop_id: u.message for u in plan.unassigned}
    assert "es" in msg["spanish"]


def test_stop_beyond_every_max_distance() -> None:
    """A stop farther than any driver may drive is left out for time, saying why."""
    hub = Hub("h", "Pantry", at(0, 0))
    problem = Problem(
        (hub,),
        (Stop("far", location=at(20, 0)), Stop("near", location=at(1, 0))),
        (Driver("d0", "Dana", 10, TimeWindow(9 * H, 17 * H), max_distance_m=10_000),),
    )
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, FAST)
    check_plan(plan, matrix)
    (u,) = plan.unassigned
    assert u.stop_id == "far" and u.reason == "time"
    assert "maximum distance" in u.message and "10 km" in u.message
