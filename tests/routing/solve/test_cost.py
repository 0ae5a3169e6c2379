"""What a plan costs (``routing.solve.cost``): the objective the search minimises is the
one the plan reports, and a longer search never reports a worse one."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from routing.model import Driver, Hub, LatLon, Problem, TimeWindow
from routing.roads.area import load_area
from routing.roads.matrix import travel_matrix
from routing.solve.build import build
from routing.solve.cost import Pricing
from routing.solve.options import SolveOptions
from routing.solve.ortools_model import run_search
from routing.solve.solver import solve
from tests.helpers.plans import H, demo_area_stops, euclid_matrix, problems

ROOT = Path(__file__).resolve().parents[3]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_pricing_agrees_with_the_ortools_objective(problem: Problem) -> None:
    """For the plan OR-Tools returns, our price is OR-Tools' own objective: travel, time
    and box balance, preferences and the penalty of every stop left out."""
    matrix = euclid_matrix(problem)
    balance = "time_and_boxes" if len(problem.stops) % 2 else "time"
    data, _ = build(problem, matrix, SolveOptions(workers=1, balance=balance), None)
    if not data.n_stops or not data.vehicles:
        return
    routes, objective = run_search(data, 0.2, 0, None)
    assert routes is not None
    assert Pricing(data).cost(routes).objective == objective


def _real_week() -> tuple[Problem, dict]:
    """25 households at real Queens Village addresses, two cars and a bike (the mixed
    fleet that once made the reported objective depend on the process)."""
    area = load_area("queens-village")
    hub = Hub("hub", "Pantry", LatLon(40.7073238, -73.7505106), loading_s=300)
    stops = demo_area_stops(25, seed=3)
    drivers = (
        Driver("ana", "Ana", 20, TimeWindow(9 * H, 13 * H)),
        Driver("bo", "Bo", 20, TimeWindow(9 * H, 12 * H)),
        Driver("sam", "Sam", 6, TimeWindow(10 * H, 12 * H), profile="bike"),
    )
    problem = Problem((hub,), stops, drivers)
    places = problem.places()
    matrices = {p: travel_matrix(area.graph(p), places) for p in ("drive", "bike")}
    return problem, matrices


SOLVE = """
import json, pickle, sys
from routing.solve.options import SolveOptions
from routing.solve.solver import solve
problem, matrices = pickle.load(open(sys.argv[1], "rb"))
plan = solve(problem, matrices, SolveOptions(time_limit_s=float(sys.argv[2]), seed=4))
print(json.dumps(plan.stats["objective"]))
"""


def test_a_longer_limit_never_reports_a_worse_plan(tmp_path: Path) -> None:
    """The same real week and seed, solved in fresh processes (each with its own string
    hashing, as two runs of ``aidroute plan`` are) with a short and a longer time limit:
    the longer one never reports a worse objective."""
    path = tmp_path / "week.pickle"
    path.write_bytes(pickle.dumps(_real_week()))
    found: dict[float, list[int]] = {}
    for hash_seed, limit in (("1", 0.6), ("2", 0.6), ("1", 3.0), ("2", 3.0)):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run(
            [sys.executable, "-c", SOLVE, str(path), str(limit)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        found.setdefault(limit, []).append(json.loads(out.stdout))
    assert max(found[3.0]) <= min(found[0.6]), found


def test_a_longer_limit_is_never_worse_in_one_process_either() -> None:
    """In one process too: a longer limit (and the full time) is never worse."""
    problem, matrices = _real_week()
    short = solve(problem, matrices, SolveOptions(time_limit_s=0.5, seed=2))
    long = solve(problem, matrices, SolveOptions(time_limit_s=2.0, seed=2, full_time=True))
    assert long.stats["objective"] <= short.stats["objective"]
    assert long.stats["search_s"] >= 2.0
