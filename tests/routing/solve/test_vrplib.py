"""VRPLIB instances in and out: conventions, round trip, and the ``aidroute vrplib`` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from routing.errors import InputError
from routing.vrplib import (
    TIME_SCALE,
    plan_cost,
    read_instance,
    read_solution,
    routes_cost,
    solve_instance,
    write_solution,
)
from tests.conftest import shared_file

CVRP = """NAME : tiny-n7
TYPE : CVRP
DIMENSION : 7
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 0 0
2 3 4
3 6 8
4 -3 4
5 -6 8
6 0 -5
7 1 -9
DEMAND_SECTION
1 0
2 4
3 4
4 5
5 5
6 3
7 3
DEPOT_SECTION
1
-1
EOF
"""

VRPTW = """NAME : tiny-tw
TYPE : CVRPTW
DIMENSION : 4
VEHICLES : 2
CAPACITY : 10
SERVICE_TIME : 10
EDGE_WEIGHT_TYPE : EUC_2D
NODE_COORD_SECTION
1 0 0
2 1 1
3 2 0
4 0 3
DEMAND_SECTION
1 0
2 3
3 3
4 3
TIME_WINDOW_SECTION
1 0 100
2 0 20
3 30 50
4 0 100
DEPOT_SECTION
1
-1
EOF
"""


def _write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_cvrp_rounds_distances_and_round_trips(tmp_path: Path) -> None:
    """A CVRP solves to its optimum; the .sol reads back with the same routes and cost."""
    inst = read_instance(_write(tmp_path, CVRP, "tiny.vrp"))
    assert inst.scale == 1 and not inst.has_windows
    assert inst.matrix.distance("hub:depot", "stop:1") == 5  # (3, 4)
    assert len(inst.problem.stops) == 6
    plan = solve_instance(inst, 0.5, workers=1)
    assert not plan.unassigned
    out = write_solution(tmp_path / "tiny.sol", inst, plan)
    routes, cost = read_solution(out)
    assert sorted(c for r in routes for c in r) == [1, 2, 3, 4, 5, 6]
    assert cost == plan_cost(inst, plan) == routes_cost(inst, routes)
    # One trip per ray, legs rounded: 5 + 5 + 10 (up right), the same up left, 5 + 4 + 9 down.
    assert cost == 58


def test_vrptw_scales_time_and_truncates_to_a_decimal(tmp_path: Path) -> None:
    """Times are in tenths (one unit = 10 s); windows and service scale alike."""
    inst = read_instance(_write(tmp_path, VRPTW, "tw.vrp"))
    assert inst.scale == TIME_SCALE and inst.has_windows
    assert inst.matrix.distance("hub:depot", "stop:1") == 14  # sqrt(2) = 1.41 -> 1.4
    stop = inst.problem.stop("2")
    assert stop.windows[0].start_s == 300 and stop.windows[0].end_s == 500
    assert stop.service_s == 100
    assert len(inst.problem.drivers) == 2
    plan = solve_instance(inst, 0.5, workers=1)
    assert not plan.unassigned
    for r in plan.routes:
        for v in r.visits:
            w = inst.problem.stop(v.stop_id).windows[0]
            assert w.start_s <= v.start_s <= w.end_s


def test_bad_instances_are_input_errors(tmp_path: Path) -> None:
    """A missing file and a file without coordinates name the instance."""
    with pytest.raises(InputError) as err:
        read_instance(tmp_path / "none.vrp")
    assert err.value.problems[0].field == "instance"
    with pytest.raises(InputError):
        read_instance(_write(tmp_path, "NAME : x\nTYPE : CVRP\nDIMENSION : 2\n", "bad.vrp"))


def test_best_known_solutions_reproduce_their_cost() -> None:
    """Our conventions give the published cost of a Solomon and an X best-known solution."""
    for rel in ("vrp/solomon/RC101.vrp", "vrp/X/X-n101-k25.vrp"):
        path = shared_file(rel)
        inst = read_instance(path)
        routes, bks = read_solution(path.with_suffix(".sol"))
        assert routes_cost(inst, routes) == pytest.approx(bks)


def test_cli_writes_a_solution(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``aidroute vrplib`` writes a readable .sol and prints cost and routes."""
    from api.cli import main

    src = _write(tmp_path, CVRP, "tiny.vrp")
    out = tmp_path / "out.sol"
    status = main(
        ["vrplib", str(src), "--time-limit", "0.5", "--out", str(out), "--workers", "1", "--quiet"]
    )
    assert status == 0
    _, cost = read_solution(out)
    assert cost == 58
    assert "tiny-n7: cost 58" in capsys.readouterr().out
