"""Small problems on a flat plane and an independent check of a plan against its matrix."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routing.model import (
    Driver,
    Hub,
    LatLon,
    Plan,
    Problem,
    Stop,
    TimeWindow,
    TravelMatrix,
    home_key,
    hub_key,
    stop_key,
)
from routing.solve.options import SolveOptions, SolveProgress
from routing.solve.solver import solve

#: One degree on our toy plane is this many metres; travel is 10 m/s.
M_PER_DEG = 100_000
SPEED_M_S = 10.0


def at(x_km: float, y_km: float) -> LatLon:
    """A place ``x_km`` east and ``y_km`` north of (40, -73) on the toy plane."""
    return LatLon(40 + y_km * 1000 / M_PER_DEG, -73 + x_km * 1000 / M_PER_DEG)


def euclid_matrix(problem: Problem, blocked: frozenset[str] = frozenset()) -> TravelMatrix:
    """Whole-second Euclidean travel times between every place; ``blocked`` keys unreachable."""
    places = problem.places()
    keys = tuple(places)
    xy = np.array([(p.lat, p.lon) for p in places.values()]) * M_PER_DEG
    dist = np.round(np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1]))
    dur = np.round(dist / SPEED_M_S)
    for k in blocked:
        i = keys.index(k)
        dur[i, :] = dur[:, i] = np.inf
        dist[i, :] = dist[:, i] = np.inf
        dur[i, i] = dist[i, i] = 0
    return TravelMatrix(keys, dur, dist)


def check_plan(plan: Plan, matrix: TravelMatrix, locked: dict | None = None) -> None:
    """Assert every rule of the model by recomputing the routes from the matrix."""
    problem = plan.problem
    ids = plan.stops_accounted()
    assert sorted(ids) == sorted(s.id for s in problem.stops), "each stop exactly once"
    assert len({r.driver_id for r in plan.routes}) == len(plan.routes), "one route per driver"
    for r in plan.routes:
        d = problem.driver(r.driver_id)
        hub = problem.hub(r.hub_id)
        assert d.hub is None or d.hub == hub.id
        assert r.visits, "no empty routes"
        hk = hub_key(hub.id)
        pre = matrix.duration(home_key(d.id), hk) if d.start == "home" else 0
        assert r.start_s >= d.shift.start_s
        assert r.depart_hub_s is not None
        assert r.depart_hub_s >= r.start_s + pre + hub.loading_s
        if hub.open is not None:
            assert hub.open.start_s <= r.depart_hub_s - hub.loading_s <= hub.open.end_s
        t, prev = r.depart_hub_s, hk
        boxes = sum(problem.stop(v.stop_id).boxes for v in r.visits)
        frozen = sum(problem.stop(v.stop_id).frozen for v in r.visits)
        assert boxes <= d.capacity_boxes
        if d.capacity_frozen is not None:
            assert frozen <= d.capacity_frozen
        if d.max_stops is not None:
            assert len(r.visits) <= d.max_stops
        distance = matrix.distance(home_key(d.id), hk) if d.start == "home" else 0.0
        for v in r.visits:
            s = problem.stop(v.stop_id)
            sk = stop_key(s.id)
            travel = matrix.duration(prev, sk)
            assert math.isfinite(travel)
            assert v.arrival_s >= t + travel - 1e-6
            assert v.start_s >= v.arrival_s
            assert v.departure_s == v.start_s + s.service_s
            if s.windows:
                assert any(w.start_s <= v.start_s <= w.end_s for w in s.windows), (s.id, v)
            assert s.requires <= d.skills | d.languages
            assert d.id not in s.exclude_drivers
            assert s.driver is None or s.driver == d.id
            distance += matrix.distance(prev, sk)
            t, prev = v.departure_s, sk
        end_key = {"hub": hk, "home": home_key(d.id), "anywhere": None}[d.end]
        back = 0.0 if end_key is None else matrix.duration(prev, end_key)
        distance += 0.0 if end_key is None else matrix.distance(prev, end_key)
        assert r.end_s >= t + back - 1e-6
        assert r.end_s <= d.shift.end_s
        if d.max_route_s is not None:
            assert r.end_s - r.start_s <= d.max_route_s
        if d.max_distance_m is not None:
            assert distance <= d.max_distance_m + 1e-6
        assert abs(r.distance_m - distance) <= len(r.visits) + 2
        if locked and d.id in locked:
            assert [v.stop_id for v in r.visits] == list(locked[d.id])
    for u in plan.unassigned:
        assert u.reason and u.message


# --- Tests -------------------------------------------------------------------------------

H = 3600
FAST = SolveOptions(time_limit_s=0.3, workers=1)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """Random small problems using every constraint of the model."""
    n_hubs = draw(st.integers(1, 2))
    hubs = tuple(
        Hub(
            f"h{k}",
            f"Hub {k}",
            at(draw(st.floats(-2, 2)), draw(st.floats(-2, 2))),
            loading_s=draw(st.sampled_from([0, 300, 900])),
            open=draw(st.sampled_from([None, TimeWindow(8 * H, 11 * H)])),
        )
        for k in range(n_hubs)
    )
    n_drivers = draw(st.integers(1, 3))
    drivers = []
    for k in range(n_drivers):
        start = draw(st.sampled_from([8, 9, 10])) * H
        hours = draw(st.sampled_from([1, 2, 4])) * H
        s_place = draw(st.sampled_from(["hub", "home"]))
        e_place = draw(st.sampled_from(["hub", "home", "anywhere"]))
        drivers.append(
            Driver(
                f"d{k}",
                f"Driver {k}",
                draw(st.integers(2, 12)),
                TimeWindow(start, start + hours),
                home=at(draw(st.floats(-4, 4)), draw(st.floats(-4, 4))),
                start=s_place,
                end=e_place,
                hub=draw(st.sampled_from([None, *[h.id for h in hubs]])),
                languages=draw(st.sampled_from([frozenset(), frozenset({"es"})])),
                skills=draw(st.sampled_from([frozenset(), frozenset({"heavy"})])),
                capacity_frozen=draw(st.sampled_from([None, 2])),
                max_stops=draw(st.sampled_from([None, 3])),
                max_route_s=draw(st.sampled_from([None, 90 * 60])),
                max_distance_m=draw(st.sampled_from([None, 20_000])),
            )
        )
    stops = []
    for i in range(draw(st.integers(0, 12))):
        w0 = draw(st.sampled_from([8, 9, 10, 11])) * H
        windows = draw(
            st.sampled_from(
                [
                    (),
                    (TimeWindow(w0, w0 + H),),
                    (TimeWindow(w0, w0 + 1800), TimeWindow(w0 + 2 * H, w0 + 3 * H)),
                ]
            )
        )
        stops.append(
            Stop(
                f"s{i}",
                location=draw(
                    st.sampled_from([None] + [at(x, y) for x in (-3, -1, 0, 2) for y in (-2, 1, 3)])
                )
                if draw(st.booleans()) and i % 5 == 4
                else at(draw(st.floats(-3, 3)), draw(st.floats(-3, 3))),
                boxes=draw(st.integers(0, 5)),
                windows=windows,
                service_s=draw(st.sampled_from([60, 300])),
                frozen=draw(st.sampled_from([0, 0, 1])),
                requires=draw(
                    st.sampled_from([frozenset(), frozenset({"es"}), frozenset({"heavy"})])
                ),
                driver=draw(st.sampled_from([None, None, None, "d0"])),
                exclude_drivers=draw(st.sampled_from([frozenset(), frozenset({"d0"})])),
                urgent=draw(st.booleans()),
            )
        )
    return Problem(hubs, tuple(stops), tuple(drivers))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_random_problems_keep_every_rule(problem: Problem) -> None:
    """Every stop is routed once or unassigned with a reason; every route rechecks."""
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, SolveOptions(time_limit_s=0.2, workers=1, suggest_fixes=False))
    check_plan(plan, matrix)


def _simple(n: int = 6, drivers: int = 2, cap: int = 10, hours: int = 4) -> Problem:
    hub = Hub("h", "Pantry", at(0, 0), loading_s=300)
    stops = tuple(Stop(f"s{i}", location=at((i % 3) - 1, i // 3 + 1)) for i in range(n))
    ds = tuple(
        Driver(f"d{k}", f"Driver {k}", cap, TimeWindow(9 * H, (9 + hours) * H))
        for k in range(drivers)
    )
    return Problem((hub,), stops, ds)


def test_all_stops_routed_when_easy() -> None:
    """An easy problem leaves nothing out, and reports its figures."""
    problem = _simple()
    matrix = euclid_matrix(problem)
    seen: list[SolveProgress] = []
    plan = solve(problem, matrix, FAST, progress=seen.append)
    check_plan(plan, matrix)
    assert not plan.unassigned
    assert seen and seen[-1].total == 6
    for key in ("solver", "objective", "solve_s", "first_solution_s", "seed"):
        assert key in plan.stats


def test_two_workers_give_a_valid_plan() -> None:
    """The parallel portfolio (two processes) returns a plan that rechecks."""
    problem = _simple(n=12, drivers=3)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, SolveOptions(time_limit_s=0.6, workers=2))
    check_plan(plan, matrix)
    assert not plan.unassigned
    assert len(plan.stats["searches"]) >= 2


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


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.lists(st.integers(0, 11), max_size=4, unique=True))
def test_random_locks_are_kept_or_refused(problem: Problem, picks: list[int]) -> None:
    """A locked route comes back exactly (less stops no one can serve), or is refused."""
    from routing.errors import InputError

    ids = [problem.stops[i].id for i in picks if i < len(problem.stops)]
    matrix = euclid_matrix(problem)
    opts = SolveOptions(time_limit_s=0.2, workers=1, suggest_fixes=False, locked_routes={"d0": ids})
    try:
        plan = solve(problem, matrix, opts)
    except InputError as e:
        assert e.problems[0].field == "locked_routes.d0"
        return
    out = {u.stop_id for u in plan.unassigned}
    check_plan(plan, matrix, locked={"d0": [s for s in ids if s not in out]})
    if not [s for s in ids if s not in out]:
        assert plan.route_for("d0") is None


def _busy(n: int, seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    hubs = (Hub("h0", "North", at(0, 2), loading_s=600), Hub("h1", "South", at(0, -2)))
    stops = tuple(
        Stop(
            f"s{i}",
            location=at(*rng.uniform(-5, 5, 2)),
            boxes=int(rng.integers(1, 4)),
            windows=(TimeWindow(9 * H + 1800 * (i % 6), 11 * H + 1800 * (i % 6)),)
            if i % 3 == 0
            else (),
            frozen=int(i % 7 == 0),
            requires=frozenset({"es"}) if i % 10 == 0 else frozenset(),
            urgent=i % 11 == 0,
        )
        for i in range(n)
    )
    drivers = tuple(
        Driver(
            f"d{k}",
            f"Driver {k}",
            15 + 5 * (k % 3),
            TimeWindow((9 + k % 2) * H, (12 + k % 3) * H),
            home=at(*rng.uniform(-6, 6, 2)),
            start="home" if k % 3 == 0 else "hub",
            end=("hub", "home", "anywhere")[k % 3],
            hub=None if k % 2 else f"h{k % 4 // 2}",
            languages=frozenset({"es"}) if k % 4 == 1 else frozenset(),
            capacity_frozen=2,
            max_stops=12 if k == 2 else None,
            max_route_s=3 * H if k == 3 else None,
        )
        for k in range(6)
    )
    return Problem(hubs, stops, drivers)


def test_portfolio_with_pyvrp_first_plan_keeps_every_rule() -> None:
    """Both workers (one starting from PyVRP's plan) give a plan that rechecks."""
    problem = _busy(40, seed=5)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, SolveOptions(time_limit_s=1.5, workers=2))
    check_plan(plan, matrix)
    searches = plan.stats["searches"]
    assert len(searches) >= 2 and all(v is not None for v in searches.values()), searches


def test_pyvrp_seed_routes_pass_the_solver_check() -> None:
    """The PyVRP first plan, after repair, passes the solver's own route check."""
    pytest.importorskip("pyvrp")
    from routing.solve.build import build
    from routing.solve.schedule import evaluate
    from routing.solve.seed import pyvrp_routes

    problem = _busy(40, seed=6)
    data, _ = build(problem, euclid_matrix(problem), SolveOptions(), None)
    routes = pyvrp_routes(data, 0.5, seed=1)
    assert routes is not None and sum(map(len, routes)) > 20
    for vi, seq in enumerate(routes):
        if seq:
            assert evaluate(data, vi, seq).feasible
            assert all(vi in data.allowed[i] for i in seq)


def test_two_workers_from_a_thread() -> None:
    """An API server calls solve from a worker thread: the portfolio still works there."""
    import threading

    problem = _simple(n=10, drivers=2)
    matrix = euclid_matrix(problem)
    out: list = []
    t = threading.Thread(
        target=lambda: out.append(solve(problem, matrix, SolveOptions(time_limit_s=0.5, workers=2)))
    )
    t.start()
    t.join(timeout=60)
    assert out and not out[0].unassigned
    check_plan(out[0], matrix)
    assert len(out[0].stats["searches"]) >= 2


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


def test_portfolio_keeps_locks_and_reports_progress() -> None:
    """With PyVRP seeding (which knows no locks), the locked route still comes back exact."""
    problem = _busy(30, seed=8)
    matrix = euclid_matrix(problem)
    free = [s.id for s in problem.stops if not s.windows and not s.requires][:3]
    locked = {"d1": free}
    seen: list[SolveProgress] = []
    plan = solve(
        problem,
        matrix,
        SolveOptions(time_limit_s=1.0, workers=2, locked_routes=locked),
        progress=seen.append,
    )
    check_plan(plan, matrix, locked=locked)
    assert seen and seen[-1].objective == plan.stats["objective"]


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


def test_options_are_checked_and_time_limit_scales() -> None:
    """Bad options raise InputError naming the field; the default limit grows with stops."""
    from routing.errors import InputError
    from routing.solve.options import default_time_limit_s

    with pytest.raises(InputError) as err:
        SolveOptions(time_limit_s=0, workers=0, balance="fair")  # type: ignore[arg-type]
    assert {p.field for p in err.value.problems} == {"time_limit_s", "workers", "balance"}
    assert default_time_limit_s(10) < default_time_limit_s(150) <= 60
    assert default_time_limit_s(5000) == 60
    plan = solve(_simple(n=3), euclid_matrix(_simple(n=3)), SolveOptions(workers=1))
    assert plan.stats["time_limit_s"] == default_time_limit_s(3)


def test_ortools_only_portfolio_keeps_every_rule() -> None:
    """Without PyVRP (seeding off), two OR-Tools searches still plan every constraint."""
    problem = _busy(30, seed=9)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, SolveOptions(time_limit_s=1.0, workers=2, seeding="off"))
    check_plan(plan, matrix)
    assert set(plan.stats["searches"]) == {"ortools-gls", "ortools-gls-bandit"}


def test_route_starts_when_the_driver_is_free_unless_a_window_says_otherwise():
    """With no windows, Dana sets out at the start of her hours (not idling until late);
    a stop whose window opens at 11:00 makes her leave just in time, without waiting."""
    hub = Hub("h", "Hub", at(0, 0))
    shift = TimeWindow.from_hhmm("09:00", "13:00")
    stops = (Stop("a", location=at(1, 0)), Stop("b", location=at(2, 0)))
    problem = Problem((hub,), stops, (Driver("d", "Dana", 10, shift),))
    matrix = euclid_matrix(problem)
    (route,) = solve(problem, matrix, SolveOptions(time_limit_s=1)).routes
    assert route.start_s == shift.start_s
    check_plan(solve(problem, matrix, SolveOptions(time_limit_s=1)), matrix)

    late = (Stop("a", location=at(1, 0), windows=(TimeWindow.from_hhmm("11:00", "12:00"),)),)
    problem = Problem((hub,), late, (Driver("d", "Dana", 10, shift),))
    plan = solve(problem, euclid_matrix(problem), SolveOptions(time_limit_s=1))
    (route,) = plan.routes
    (visit,) = route.visits
    assert visit.start_s == 11 * 3600 and visit.wait_s == 0
    assert route.start_s > shift.start_s


def test_max_drivers_below_one_is_an_input_error():
    """At most 0 drivers can plan nothing: refused up front, naming the option."""
    from routing.errors import InputError

    with pytest.raises(InputError, match="max_drivers"):
        SolveOptions(max_vehicles=0)
