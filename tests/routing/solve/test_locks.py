"""Locked routes: kept exactly, or refused naming the driver (``routing.solve.locks``)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routing.errors import InputError
from routing.model import Driver, Hub, Problem, Stop, TimeWindow
from routing.solve.locks import locked_route_problems
from routing.solve.options import SolveOptions
from routing.solve.solver import solve
from tests.helpers.plans import H, at, check_plan, euclid_matrix, fairness_problem, problems


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.lists(st.integers(0, 11), max_size=4, unique=True))
def test_random_locks_are_kept_or_refused(problem: Problem, picks: list[int]) -> None:
    """A locked route comes back exactly (less stops no one can serve), or is refused."""
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


def test_locked_route_is_kept_in_order() -> None:
    """A locked route comes back exactly, in the dispatcher's order, even if worse."""
    problem = fairness_problem()
    matrix = euclid_matrix(problem)
    locked = {"d1": ["n3", "n0", "n5"]}
    plan = solve(problem, matrix, SolveOptions(time_limit_s=0.5, workers=1, locked_routes=locked))
    check_plan(plan, matrix, locked=locked)
    assert not plan.unassigned


def test_locked_route_that_cannot_be_driven_is_an_input_error() -> None:
    """A locked order that breaks a window is refused, naming the driver."""
    hub = Hub("h", "Pantry", at(0, 0))
    stops = (
        Stop("a", location=at(1, 0), windows=(TimeWindow(9 * H, 9 * H + 600),)),
        Stop("b", location=at(2, 0), windows=(TimeWindow(11 * H, 12 * H),)),
    )
    problem = Problem((hub,), stops, (Driver("d0", "Dana", 5, TimeWindow(9 * H, 13 * H)),))
    with pytest.raises(InputError) as err:
        solve(
            problem,
            euclid_matrix(problem),
            SolveOptions(time_limit_s=0.3, workers=1, locked_routes={"d0": ["b", "a"]}),
        )
    assert err.value.problems[0].field == "locked_routes.d0"
    assert err.value.problems[0].value == "d0"
    with pytest.raises(InputError):
        solve(
            problem,
            euclid_matrix(problem),
            SolveOptions(time_limit_s=0.3, workers=1, locked_routes={"d0": ["zz"]}),
        )


def _two_drivers() -> Problem:
    hub = Hub("h", "Pantry", at(0, 0))
    stops = tuple(Stop(f"s{i}", location=at(1, i)) for i in range(3))
    drivers = (
        Driver("ana", "Ana", 5, TimeWindow(9 * H, 13 * H)),
        Driver("bo", "Bo", 5, TimeWindow(9 * H, 13 * H)),
    )
    return Problem((hub,), stops, drivers)


def test_locked_route_problems_name_each_fault() -> None:
    """An unknown stop, an unknown driver and a stop locked twice: one problem each, under
    ``locked_routes.<driver_id>``; locks naming what exists have none."""
    problem = _two_drivers()
    locked = {"ana": ["s0", "zz"], "nobody": ["s1"], "bo": ["s0"]}
    got = [(p.field, p.value, p.reason) for p in locked_route_problems(problem, locked)]
    assert got == [
        ("locked_routes.ana", "zz", "no stop with this id"),
        ("locked_routes.nobody", "nobody", "no driver with this id"),
        ("locked_routes.bo", "s0", "this stop is locked twice"),
    ]
    assert locked_route_problems(problem, {"ana": ["s0", "s1"], "bo": ["s2"]}) == []


@pytest.mark.parametrize(
    ("locked", "value"),
    [({"nobody": ["s0"]}, "nobody"), ({"ana": ["s0", "s1"], "bo": ["s1"]}, "s1")],
)
def test_solve_refuses_locks_naming_nobody_or_a_stop_twice(
    locked: dict[str, list[str]], value: str
) -> None:
    """solve raises InputError for a lock naming an unknown driver or a stop locked twice."""
    problem = _two_drivers()
    opts = SolveOptions(time_limit_s=0.3, workers=1, locked_routes=locked)
    with pytest.raises(InputError) as err:
        solve(problem, euclid_matrix(problem), opts)
    assert [p.value for p in err.value.problems] == [value]
