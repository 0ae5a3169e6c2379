"""The PyVRP first plan (``routing.solve.seed``)."""

from __future__ import annotations

import pytest

from routing.solve.options import SolveOptions
from tests.helpers.plans import busy_problem, euclid_matrix


def test_pyvrp_seed_routes_pass_the_solver_check() -> None:
    """The PyVRP first plan, after repair, passes the solver's own route check."""
    pytest.importorskip("pyvrp")
    from routing.solve.build import build
    from routing.solve.schedule import evaluate
    from routing.solve.seed import pyvrp_routes

    problem = busy_problem(40, seed=6)
    data, _ = build(problem, euclid_matrix(problem), SolveOptions(), None)
    routes = pyvrp_routes(data, 0.5, seed=1)
    assert routes is not None and sum(map(len, routes)) > 20
    for vi, seq in enumerate(routes):
        if seq:
            assert evaluate(data, vi, seq).feasible
            assert all(vi in data.allowed[i] for i in seq)
