"""Moving a stop to another driver on the demo week: a re-plan from the plan drivers have,
with the stop pinned to the driver it is moved to (as the edits API does it)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from routing.model import Plan, Problem, Route
from routing.paths import bundled_data
from routing.pipeline import Timings, build_matrices, prepare_week, read_week
from routing.roads.area import load_area
from routing.solve.options import SolveOptions
from routing.solve.solver import solve

DEMO = bundled_data() / "demo"
#: As short as a dispatcher's first plan on the page may be: the search must still place
#: a moved stop that fits.
FAST = SolveOptions(time_limit_s=1.0, workers=2, seed=0)


@pytest.fixture(scope="module")
def demo():
    area = load_area("queens-village")
    hub = json.loads((DEMO / "hub.json").read_text(encoding="utf-8"))
    week = read_week(DEMO / "deliveries.csv", DEMO / "drivers.csv", hub, area)
    prepared = prepare_week(week, area, FAST)
    problem = prepared.problem
    matrices = build_matrices(area, problem, Timings(), prepared.far)
    return problem, matrices, solve(problem, matrices, FAST)


def _moved(problem: Problem, stop_id: str, driver_id: str) -> Problem:
    stops = tuple(replace(s, driver=driver_id) if s.id == stop_id else s for s in problem.stops)
    return replace(problem, stops=stops)


def _ids(route: Route) -> list[str]:
    return [v.stop_id for v in route.visits]


def _owner(plan: Plan, stop_id: str) -> str | None:
    return next((r.driver_id for r in plan.routes if stop_id in _ids(r)), None)


def _moves_that_fit(plan: Plan) -> list[tuple[str, str]]:
    """For each route with half an hour and three boxes to spare, the nearest stop of
    another route without a window and of at most two boxes: (stop id, driver id)."""
    p = plan.problem
    out = []
    for r in plan.routes:
        d = p.driver(r.driver_id)
        room = d.capacity_boxes - sum(p.stop(s).boxes for s in _ids(r))
        if d.shift.end_s - r.end_s < 1800 or room < 3:
            continue
        mine = [p.stop(s).location for s in _ids(r)]
        others = [
            p.stop(s)
            for o in plan.routes
            if o is not r
            for s in _ids(o)
            if p.stop(s).boxes <= 2 and not p.stop(s).windows
        ]
        near = min(
            others,
            key=lambda s: min(
                (s.location.lat - m.lat) ** 2 + (s.location.lon - m.lon) ** 2 for m in mine
            ),
        )
        out.append((near.id, d.id))
    return out


def test_a_moved_stop_lands_on_a_driver_with_time_and_room(demo):
    """Each driver with time and room to spare takes the nearby stop moved to them; nothing
    else is left out for it."""
    problem, matrices, plan = demo
    moves = _moves_that_fit(plan)
    assert len(moves) >= 4
    missed = []
    for stop_id, driver_id in moves:
        edited = _moved(problem, stop_id, driver_id)
        again = solve(edited, matrices, FAST, previous=replace(plan, problem=edited))
        if _owner(again, stop_id) != driver_id or len(again.unassigned) > len(plan.unassigned):
            missed.append((stop_id, driver_id, again.unassigned))
    assert not missed
