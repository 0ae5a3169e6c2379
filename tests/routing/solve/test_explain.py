"""Reasons and fixes for stops left out; every fix is applied and re-solved to check it."""

from __future__ import annotations

from routing.model import Driver, Hub, Problem, Stop, TimeWindow
from routing.solve.solver import solve
from tests.helpers.plans import FAST, H, at, check_plan, euclid_matrix


def test_time_fix_is_checked_by_resolving() -> None:
    """A stop left out for time gets '<name>'s route can take it with N more minutes', true."""
    hub = Hub("h", "Pantry", at(0, 0))
    stops = tuple(Stop(f"s{i}", location=at(3, i), service_s=900) for i in range(4))
    drivers = (Driver("d0", "Dana", 20, TimeWindow(9 * H, 10 * H)),)
    problem = Problem((hub,), stops, drivers)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, FAST)
    check_plan(plan, matrix)
    out = list(plan.unassigned)
    assert len(out) == 1 and out[0].reason == "time"
    assert out[0].fix.startswith("Dana's route can take it with ")
    minutes = int(out[0].fix.split(" with ")[1].split()[0])
    longer = Driver("d0", "Dana", 20, TimeWindow(9 * H, 10 * H + minutes * 60))
    fixed = solve(Problem((hub,), stops, (longer,)), matrix, FAST)
    assert not fixed.unassigned


def test_capacity_fix_one_more_driver_is_checked() -> None:
    """Boxes beyond all cars: reason capacity, by how much, and a covering extra driver."""
    hub = Hub("h", "Pantry", at(0, 0))
    stops = tuple(
        Stop(f"s{i}", location=at(1, i % 3), boxes=3, windows=(TimeWindow(10 * H, 12 * H),))
        for i in range(6)
    )
    drivers = (Driver("d0", "Dana", 9, TimeWindow(9 * H, 13 * H)),)
    problem = Problem((hub,), stops, drivers)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, FAST)
    check_plan(plan, matrix)
    assert len(plan.unassigned) == 3
    assert {u.reason for u in plan.unassigned} == {"capacity"}
    assert "9 short" in plan.unassigned[0].message
    fix = plan.unassigned[0].fix
    assert fix.startswith("one more driver with 9 boxes from ")
    assert "covers these 3 stops" in fix
    span = fix.split(" from ")[1].split(" (")[0]
    start, end = span.split(" to ")
    extra = Driver("x", "Extra", 9, TimeWindow.from_hhmm(start, end))
    fixed = solve(Problem((hub,), stops, (*drivers, extra)), matrix, FAST)
    assert not fixed.unassigned


def test_excluded_and_max_stops_reasons() -> None:
    """A stop only an excluded driver could take, and one beyond every max_stops."""
    hub = Hub("h", "Pantry", at(0, 0))
    stops = (
        Stop(
            "heavy",
            location=at(1, 0),
            requires=frozenset({"heavy"}),
            exclude_drivers=frozenset({"d1"}),
        ),
        Stop("a", location=at(1, 1)),
        Stop("b", location=at(1, 2)),
    )
    drivers = (
        Driver("d0", "Dana", 10, TimeWindow(9 * H, 12 * H), max_stops=1),
        Driver(
            "d1", "Lee", 10, TimeWindow(9 * H, 12 * H), max_stops=0, skills=frozenset({"heavy"})
        ),
    )
    problem = Problem((hub,), stops, drivers)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, FAST)
    check_plan(plan, matrix)
    reasons = {u.stop_id: u.reason for u in plan.unassigned}
    assert reasons.pop("heavy") == "excluded"
    assert list(reasons.values()) == ["max_stops"]
    (full,) = [u for u in plan.unassigned if u.reason == "max_stops"]
    assert full.fix == "Dana's route can take it if their maximum goes from 1 to 2 stops"
    more = Driver("d0", "Dana", 10, TimeWindow(9 * H, 12 * H), max_stops=2)
    fixed = solve(Problem((hub,), stops, (more, drivers[1])), matrix, FAST)
    assert [u.stop_id for u in fixed.unassigned] == ["heavy"]


def test_outside_all_hours_fix_names_the_hours_needed() -> None:
    """A 15:00-16:00 stop with morning drivers: a driver for those hours would take it."""
    hub = Hub("h", "Pantry", at(0, 0), loading_s=300)
    late = Stop("late", location=at(2, 1), windows=(TimeWindow(15 * H, 16 * H),))
    problem = Problem(
        (hub,),
        (late, Stop("a", location=at(1, 1))),
        (Driver("d0", "Dana", 10, TimeWindow(9 * H, 12 * H)),),
    )
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, FAST)
    (u,) = plan.unassigned
    assert u.reason == "outside_all_hours"
    assert u.fix.startswith("one more driver with 1 box from ")
    start, end = u.fix.split(" from ")[1].split(" (")[0].split(" to ")
    assert "14:" in start or "15:" in start
    extra = Driver("x", "Extra", 1, TimeWindow.from_hhmm(start, end))
    fixed = solve(Problem((hub,), problem.stops, (*problem.drivers, extra)), matrix, FAST)
    assert not fixed.unassigned


def test_skill_and_split_fixes_are_checked() -> None:
    """'one more driver who has es' and 'split the order' both work when applied."""
    hub = Hub("h", "Pantry", at(0, 0))
    stops = (
        Stop("es", location=at(1, 0), requires=frozenset({"es"})),
        Stop("big", location=at(0, 1), boxes=14),
    )
    drivers = (
        Driver("d0", "Dana", 10, TimeWindow(9 * H, 12 * H)),
        Driver("d1", "Lee", 10, TimeWindow(9 * H, 12 * H)),
    )
    problem = Problem((hub,), stops, drivers)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, FAST)
    fixes = {u.stop_id: u.fix for u in plan.unassigned}
    assert fixes["es"].startswith("one more driver who has es with 1 box from ")
    assert fixes["big"] == "split the order into 2 stops of at most 10 each"
    start, end = fixes["es"].split(" from ")[1].split(" (")[0].split(" to ")
    extra = Driver("x", "Xenia", 1, TimeWindow.from_hhmm(start, end), languages=frozenset({"es"}))
    halves = (
        stops[0],
        Stop("big-1", location=at(0, 1), boxes=10),
        Stop("big-2", location=at(0, 1), boxes=4),
    )
    fixed = solve(
        Problem((hub,), halves, (*drivers, extra)),
        euclid_matrix(Problem((hub,), halves, (*drivers, extra))),
        FAST,
    )
    assert not fixed.unassigned
