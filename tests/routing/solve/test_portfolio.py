"""Two searches in two processes (``routing.solve.portfolio``): the plan kept still
keeps every rule, from the main thread or another one, with or without PyVRP."""

from __future__ import annotations

from routing.solve.options import SolveOptions, SolveProgress
from routing.solve.solver import solve
from tests.helpers.plans import busy_problem, check_plan, euclid_matrix, simple_problem


def test_two_workers_give_a_valid_plan() -> None:
    """The parallel portfolio (two processes) returns a plan that rechecks."""
    problem = simple_problem(n=12, drivers=3)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, SolveOptions(time_limit_s=0.6, workers=2))
    check_plan(plan, matrix)
    assert not plan.unassigned
    assert len(plan.stats["searches"]) >= 2


def test_portfolio_with_pyvrp_first_plan_keeps_every_rule() -> None:
    """Both workers (one starting from PyVRP's plan) give a plan that rechecks."""
    problem = busy_problem(40, seed=5)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, SolveOptions(time_limit_s=1.5, workers=2))
    check_plan(plan, matrix)
    searches = plan.stats["searches"]
    assert len(searches) >= 2 and all(v is not None for v in searches.values()), searches


def test_two_workers_from_a_thread() -> None:
    """An API server calls solve from a worker thread: the portfolio still works there."""
    import threading

    problem = simple_problem(n=10, drivers=2)
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


def test_portfolio_keeps_locks_and_reports_progress() -> None:
    """With PyVRP seeding (which knows no locks), the locked route still comes back exact."""
    problem = busy_problem(30, seed=8)
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


def test_ortools_only_portfolio_keeps_every_rule() -> None:
    """Without PyVRP (seeding off), two OR-Tools searches still plan every constraint."""
    problem = busy_problem(30, seed=9)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, SolveOptions(time_limit_s=1.0, workers=2, seeding="off"))
    check_plan(plan, matrix)
    assert set(plan.stats["searches"]) == {"ortools-gls", "ortools-gls-bandit"}


def test_the_search_stops_once_the_plan_stops_improving() -> None:
    """With a long limit, a small week's search ends once the plan has stalled, long before
    the limit; both processes are gone when the plan comes back."""
    import multiprocessing

    problem = simple_problem(n=12, drivers=3)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, SolveOptions(time_limit_s=60))
    check_plan(plan, matrix)
    assert plan.stats["stopped"] == "stalled"
    assert plan.stats["search_s"] < 30
    assert not multiprocessing.active_children()


def test_full_time_searches_to_the_limit() -> None:
    """``full_time`` keeps both searches going for the whole limit."""
    problem = busy_problem(30, seed=2)
    matrix = euclid_matrix(problem)
    plan = solve(problem, matrix, SolveOptions(time_limit_s=2.0, full_time=True))
    check_plan(plan, matrix)
    assert plan.stats["stopped"] == "time limit"
    assert plan.stats["search_s"] >= 2.0


def test_progress_reports_the_best_plan_so_far() -> None:
    """Every report is the best plan so far: its cost never goes up, a complete plan is
    reported first (all stops placed), and the last report is the plan returned."""
    problem = busy_problem(60, seed=4)
    matrix = euclid_matrix(problem)
    seen: list[SolveProgress] = []
    plan = solve(problem, matrix, SolveOptions(time_limit_s=3, full_time=True), seen.append)
    costs = [p.objective for p in seen]
    assert costs == sorted(costs, reverse=True)
    assert seen[0].assigned > 0 and seen[0].elapsed_s < plan.stats["search_s"]
    assert seen[-1].objective == plan.stats["objective"]
    assert seen[-1].assigned == sum(len(r.visits) for r in plan.routes)
    assert seen[-1].route_s == sum(r.duration_s for r in plan.routes)
