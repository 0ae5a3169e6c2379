"""What the search reports while it runs, in a dispatcher's units."""

from __future__ import annotations

from routing.solve.options import SolveProgress
from routing.solve.solver import solve
from tests.helpers.plans import FAST, euclid_matrix, simple_problem


def test_progress_carries_the_route_minutes_of_the_best_plan_so_far() -> None:
    """Finding 15: snapshots say how many minutes of driving and doorsteps the best plan so
    far takes (what the progress bar shows instead of the search's cost): more than none,
    at most the routes' minutes once waits are counted."""
    problem = simple_problem()
    matrix = euclid_matrix(problem)
    seen: list[SolveProgress] = []
    plan = solve(problem, matrix, FAST, progress=seen.append)
    reported = [p.route_s for p in seen if p.route_s]
    assert reported
    assert 0 < reported[-1] <= sum(r.duration_s for r in plan.routes)
