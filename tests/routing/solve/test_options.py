"""Solver options are checked where they are made (``routing.solve.options``)."""

from __future__ import annotations

import pytest

from routing.errors import InputError
from routing.solve.options import (
    BALANCES,
    OBJECTIVES,
    SEEDINGS,
    SolveOptions,
    default_time_limit_s,
)
from routing.solve.solver import solve
from tests.helpers.plans import euclid_matrix, simple_problem


def test_options_are_checked_and_time_limit_scales() -> None:
    """Bad options raise InputError naming the field; the default limit grows with stops."""
    with pytest.raises(InputError) as err:
        SolveOptions(time_limit_s=0, workers=0, balance="fair")  # type: ignore[arg-type]
    assert {p.field for p in err.value.problems} == {"time_limit_s", "workers", "balance"}
    assert default_time_limit_s(10) < default_time_limit_s(150) <= 60
    assert default_time_limit_s(5000) == 60
    plan = solve(simple_problem(n=3), euclid_matrix(simple_problem(n=3)), SolveOptions(workers=1))
    assert plan.stats["time_limit_s"] == default_time_limit_s(3)


def test_max_drivers_below_one_is_an_input_error():
    """At most 0 drivers can plan nothing: refused up front, naming the option."""
    with pytest.raises(InputError, match="max_drivers"):
        SolveOptions(max_vehicles=0)


def test_choices_are_listed_once_and_named_in_errors() -> None:
    """The balance, objective and seeding choices are the tuples others import, and a bad
    choice is refused with the list of good ones."""
    assert BALANCES == ("off", "time", "boxes", "time_and_boxes")
    assert OBJECTIVES == ("time", "distance")
    assert SEEDINGS == ("auto", "off")
    with pytest.raises(InputError) as err:
        SolveOptions(balance="fair", objective="fuel")  # type: ignore[arg-type]
    reasons = {p.field: p.reason for p in err.value.problems}
    assert reasons == {
        "balance": "must be off, time, boxes or time_and_boxes",
        "objective": "must be time or distance",
    }
