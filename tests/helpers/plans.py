"""Toy problems on a flat plane, and an independent check of a plan against its matrix.

Shared by the solver's test modules: ``check_plan`` recomputes every route from the matrix
and asserts every rule of the model, whatever the solver did.
"""

from __future__ import annotations

import math

import numpy as np
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
from routing.solve.options import SolveOptions

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


def simple_problem(n: int = 6, drivers: int = 2, cap: int = 10, hours: int = 4) -> Problem:
    """``n`` stops on a grid near one hub, ``drivers`` alike drivers from 09:00 for ``hours``."""
    hub = Hub("h", "Pantry", at(0, 0), loading_s=300)
    stops = tuple(Stop(f"s{i}", location=at((i % 3) - 1, i // 3 + 1)) for i in range(n))
    ds = tuple(
        Driver(f"d{k}", f"Driver {k}", cap, TimeWindow(9 * H, (9 + hours) * H))
        for k in range(drivers)
    )
    return Problem((hub,), stops, ds)


def busy_problem(n: int, seed: int) -> Problem:
    """``n`` random stops, two hubs and six drivers using most rules of the model."""
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


def fairness_problem() -> Problem:
    """Six far stops pinned to d0, six near stops anyone can take, four drivers."""
    hub = Hub("h", "Pantry", at(0, 0))
    far = [Stop(f"f{i}", location=at(6, i * 0.3), driver="d0") for i in range(6)]
    near = [Stop(f"n{i}", location=at(-1 - (i % 2) * 0.3, i * 0.3)) for i in range(6)]
    drivers = tuple(Driver(f"d{k}", f"Driver {k}", 20, TimeWindow(9 * H, 13 * H)) for k in range(4))
    return Problem((hub,), (*far, *near), drivers)


def route_counts(plan: Plan) -> list[int]:
    """Stops per driver, largest first, with a 0 for each driver left without a route."""
    counts = [len(r.visits) for r in plan.routes]
    return sorted(counts + [0] * (len(plan.problem.drivers) - len(counts)), reverse=True)


def demo_area_stops(n: int, seed: int) -> tuple[Stop, ...]:
    """``n`` households at real addresses of the bundled Queens Village area, 1-3 boxes,
    a 10:00-12:00 window on every fourth."""
    from routing.roads.area import load_area

    addresses = load_area("queens-village").addresses
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(addresses), size=n, replace=False)
    return tuple(
        Stop(
            f"s{k}",
            location=LatLon(float(addresses.lat.iloc[r]), float(addresses.lon.iloc[r])),
            boxes=int(rng.integers(1, 4)),
            windows=(TimeWindow(10 * H, 12 * H),) if k % 4 == 0 else (),
        )
        for k, r in enumerate(rows)
    )
