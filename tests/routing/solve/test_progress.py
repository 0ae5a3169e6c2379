"""What the search reports while it runs, in a dispatcher's units."""

from __future__ import annotations

from dataclasses import replace

from routing.solve.options import SolveProgress
from routing.solve.solver import solve
from tests.helpers.plans import FAST, euclid_matrix, simple_problem


def test_progress_carries_the_route_minutes_of_the_best_plan_so_far() -> None:
    """Finding 15: snapshots say how many minutes of driving and doorsteps the best plan so
    far takes (what the progress bar shows instead of the search's cost): more than none,
    and the plan returned was reported on the way, so some report is at most its routes'
    minutes (which also count waits). One search process, so every report is of the search
    whose plan is returned."""
    problem = simple_problem()
    matrix = euclid_matrix(problem)
    seen: list[SolveProgress] = []
    plan = solve(problem, matrix, replace(FAST, workers=1), progress=seen.append)
    reported = [p.route_s for p in seen if p.route_s]
    assert reported
    assert all(s > 0 for s in reported)
    assert min(reported) <= sum(r.duration_s for r in plan.routes)
