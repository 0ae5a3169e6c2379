"""The whole of ``solve``: every rule kept on random problems, start and end places,
urgency, balance, fleet size, re-planning, continuity, several hubs and a real road graph."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from routing.model import Driver, Hub, LatLon, Problem, Stop, TimeWindow, home_key, stop_key
from routing.solve.options import SolveOptions, SolveProgress
from routing.solve.solver import solve
from tests.helpers.plans import (
    FAST,
    H,
    at,
    check_plan,
    demo_area_stops,
    euclid_matrix,
    fairness_problem,
    problems,
    route_counts,
    simple_problem,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_random_problems_keep_every_rule(problem: Problem) -> None:
    """Every stop is routed once or unassigned with a reason; every route rechecks."""
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, SolveOptions(time_limit_s=0.2, workers=1, suggest_fixes=False))
    check_plan(plan, matrix)


def test_all_stops_routed_when_easy() -> None:
    """An easy problem leaves nothing out, and reports its figures."""
    problem = simple_problem()
    matrix = euclid_matrix(problem)
    seen: list[SolveProgress] = []
    plan = solve(problem, matrix, FAST, progress=seen.append)
    check_plan(plan, matrix)
    assert not plan.unassigned
    assert seen and seen[-1].total == 6
    for key in ("solver", "objective", "solve_s", "first_solution_s", "seed"):
        assert key in plan.stats


def test_urgent_stops_kept_first() -> None:
    """When not everything fits, urgent stops are the ones served."""
    hub = Hub("h", "Pantry", at(0, 0))
    stops = tuple(Stop(f"s{i}", location=at(1 + i, 0), boxes=2, urgent=i >= 3) for i in range(6))
    problem = Problem((hub,), stops, (Driver("d0", "Dana", 6, TimeWindow(9 * H, 13 * H)),))
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, FAST)
    assert {v.stop_id for v in plan.routes[0].visits} == {"s3", "s4", "s5"}


@pytest.mark.parametrize("end", ["hub", "home", "anywhere"])
def test_start_home_and_end_places(end: str) -> None:
    """A driver from home loads at the hub first and ends where asked."""
    hub = Hub("h", "Pantry", at(0, 0), loading_s=600)
    stops = tuple(Stop(f"s{i}", location=at(2, i)) for i in range(3))
    d = Driver("d0", "Dana", 10, TimeWindow(9 * H, 12 * H), home=at(-3, 0), start="home", end=end)
    problem = Problem((hub,), stops, (d,))
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, FAST)
    check_plan(plan, matrix)
    r = plan.routes[0]
    assert r.depart_hub_s - r.start_s >= 300 + 600
    last = stop_key(r.visits[-1].stop_id)
    if end == "anywhere":
        assert r.end_s == r.visits[-1].departure_s
    elif end == "home":
        assert r.end_s >= r.visits[-1].departure_s + matrix.duration(last, home_key("d0"))


@pytest.mark.parametrize("workers", [1, 2])
def test_balance_spreads_work_that_travel_alone_would_not(workers: int) -> None:
    """Balance on: [6, 2, 2, 2]; balance off: fewer, longer routes (with PyVRP's first
    plan too, where balance is overtime above the fair share)."""
    problem = fairness_problem()
    matrix = euclid_matrix(problem)
    fair = solve(problem, matrix, SolveOptions(time_limit_s=1, workers=workers))
    plain = solve(problem, matrix, SolveOptions(time_limit_s=1, workers=workers, balance="off"))
    check_plan(fair, matrix)
    check_plan(plain, matrix)
    assert route_counts(fair) == [6, 2, 2, 2]
    assert route_counts(plain) != route_counts(fair)
    assert len(plain.routes) < 4  # travel alone packs the near stops into fewer routes
    assert max(r.duration_s for r in fair.routes) < max(r.duration_s for r in plain.routes)


def test_minimize_drivers_frees_volunteers() -> None:
    """With minimize_drivers, the pinned driver also takes the near stops: one route."""
    problem = fairness_problem()
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, SolveOptions(time_limit_s=1, workers=1, minimize_drivers=True))
    check_plan(plan, matrix)
    assert route_counts(plan) == [12, 0, 0, 0]


def _city(n: int, seed: int) -> list[Stop]:
    rng = np.random.default_rng(seed)
    return [
        Stop(
            f"s{i}",
            location=at(*rng.uniform(-4, 4, 2)),
            boxes=int(rng.integers(1, 4)),
            windows=(TimeWindow(9 * H + 3600 * (i % 3), 11 * H + 3600 * (i % 3)),)
            if i % 4 == 0
            else (),
        )
        for i in range(n)
    ]


def test_replanning_after_adding_a_stop_moves_few_others() -> None:
    """Adding one stop to a 50-stop plan keeps all but a few stops with their driver."""
    hub = Hub("h", "Pantry", at(0, 0), loading_s=300)
    drivers = tuple(Driver(f"d{k}", f"Driver {k}", 25, TimeWindow(9 * H, 14 * H)) for k in range(6))
    stops = _city(51, seed=3)
    before = Problem((hub,), tuple(stops[:50]), drivers)
    after = Problem((hub,), tuple(stops), drivers)
    matrix = euclid_matrix(after)
    opts = SolveOptions(time_limit_s=1.5, workers=1)
    first = solve(before, matrix, opts)
    assert not first.unassigned
    second = solve(after, matrix, opts, previous=first)
    check_plan(second, matrix)
    assert not second.unassigned
    was = {v.stop_id: r.driver_id for r in first.routes for v in r.visits}
    now = {v.stop_id: r.driver_id for r in second.routes for v in r.visits}
    moved = [s for s in was if now[s] != was[s]]
    assert len(moved) <= 3, moved


def test_continuity_prefers_last_weeks_driver() -> None:
    """Between two equally placed drivers, each household keeps last week's driver."""
    hub = Hub("h", "Pantry", at(0, 0))
    stops = tuple(Stop(f"s{i}", location=at(1 + i * 0.2, 1)) for i in range(4))
    drivers = tuple(Driver(f"d{k}", f"Driver {k}", 2, TimeWindow(9 * H, 13 * H)) for k in range(2))
    problem = Problem((hub,), stops, drivers)
    last_week = {"s0": "d1", "s1": "d0", "s2": "d1", "s3": "d0"}
    plan = solve(
        problem,
        euclid_matrix(problem),
        SolveOptions(time_limit_s=0.5, workers=1, balance="off", continuity=last_week),
    )
    got = {v.stop_id: r.driver_id for r in plan.routes for v in r.visits}
    assert got == last_week


def test_solver_picks_the_nearer_hub() -> None:
    """Drivers free to choose load at the hub near their stops, one route each."""
    hubs = (Hub("w", "West pantry", at(-10, 0)), Hub("e", "East pantry", at(10, 0)))
    stops = tuple(
        Stop(f"{side}{i}", location=at(x + i * 0.2, 0.5))
        for side, x in (("w", -10), ("e", 10))
        for i in range(3)
    )
    drivers = tuple(Driver(f"d{k}", f"Driver {k}", 3, TimeWindow(9 * H, 11 * H)) for k in range(2))
    problem = Problem(hubs, stops, drivers)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, SolveOptions(time_limit_s=0.5, workers=1))
    check_plan(plan, matrix)
    assert not plan.unassigned
    for r in plan.routes:
        assert {v.stop_id[0] for v in r.visits} == {r.hub_id}


def test_replanning_after_an_edit_that_breaks_a_route() -> None:
    """A window edited so the old route no longer works: re-solve still serves everyone,
    and the other stops stay with their drivers."""
    from dataclasses import replace

    hub = Hub("h", "Pantry", at(0, 0))
    drivers = tuple(Driver(f"d{k}", f"Driver {k}", 25, TimeWindow(9 * H, 14 * H)) for k in range(4))
    stops = _city(30, seed=4)
    first_problem = Problem((hub,), tuple(stops), drivers)
    matrix = euclid_matrix(first_problem)
    opts = SolveOptions(time_limit_s=1.0, workers=1)
    first = solve(first_problem, matrix, opts)
    route = max(first.routes, key=lambda r: len(r.visits))
    last = route.visits[-1].stop_id
    edited = [
        replace(s, windows=(TimeWindow(9 * H, 9 * H + 900),)) if s.id == last else s for s in stops
    ]
    second = solve(Problem((hub,), tuple(edited), drivers), matrix, opts, previous=first)
    check_plan(second, matrix)
    assert not second.unassigned
    was = {v.stop_id: r.driver_id for r in first.routes for v in r.visits}
    now = {v.stop_id: r.driver_id for r in second.routes for v in r.visits}
    assert sum(now[s] != was[s] for s in was) <= 4


def test_real_road_matrix_of_the_demo_area() -> None:
    """Thirty real Queens Village addresses on the bundled road graph: every rule holds."""
    from routing.roads.area import load_area
    from routing.roads.matrix import travel_matrix

    area = load_area("queens-village")
    stops = demo_area_stops(30, seed=11)
    hub = Hub("compare-foods", "Compare Foods", LatLon(40.7073238, -73.7505106), loading_s=600)
    drivers = (
        Driver("d0", "Ana", 30, TimeWindow(9 * H, 13 * H)),
        Driver(
            "d1", "Marcus", 25, TimeWindow(9 * H, 12 * H), end="home", home=LatLon(40.72, -73.74)
        ),
        Driver(
            "d2",
            "Rosa",
            20,
            TimeWindow(10 * H, 13 * H),
            start="home",
            end="anywhere",
            home=LatLon(40.71, -73.76),
        ),
    )
    problem = Problem((hub,), stops, drivers)
    matrix = travel_matrix(area.graph("drive"), problem.places())
    plan = solve(problem, matrix, SolveOptions(time_limit_s=1.5))
    check_plan(plan, matrix)
    assert not plan.unassigned
    assert plan.stats["first_solution_s"] < 1.0
