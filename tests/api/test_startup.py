"""Commands load only what they need: asking for help or checking a spreadsheet starts
without the solver (OR-Tools, PyVRP) or the maps and PDF stack (folium, reportlab)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.probe import fresh_python

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"

#: Heavy packages a command must not import unless it plans or draws.
HEAVY = ("ortools", "pyvrp", "folium", "reportlab", "routing.solve.solver", "maps")
#: What planning a neighbourhood's week from the command line needs none of: the web
#: service, the compiled road kernels (scipy is quicker than loading them for such a
#: week), networkx (only to build an area from OSM data).
NOT_FOR_A_PLAN = ("fastapi", "sqlalchemy", "uvicorn", "numba", "networkx", "osmnx")

RUN = """
import json, sys
from api.cli import build_parser, main
build_parser()
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = json.loads(sys.stdin.read())
print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def _loaded(*args: str, home: Path, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """The ``heavy`` modules loaded by ``aidroute ARGS`` in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AIDROUTE_HOME": str(home)}
    run = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        input=json.dumps(heavy),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("plan", "--help"),
        ("import", "check", str(DEMO / "deliveries.csv")),
        ("import", "check", str(DEMO / "deliveries.csv"), "--area", "queens-village"),
        ("import", "check", "--drivers", str(DEMO / "drivers.csv")),
    ],
)
def test_help_and_import_check_load_neither_solver_nor_maps(args, tmp_path) -> None:
    """``aidroute --help`` and ``aidroute import check`` (with an area too) run without
    importing OR-Tools, PyVRP, folium, reportlab, the solver or the maps package."""
    assert _loaded(*args, home=tmp_path) == []


def test_the_demo_plans_without_the_web_service_or_compiled_kernels(tmp_path) -> None:
    """``aidroute demo`` plans and writes every output without importing the web service
    (FastAPI, SQLAlchemy), numba or networkx; the plan is complete."""
    out = tmp_path / "out"
    args = ("demo", "--out", str(out), "--time-limit", "1")
    assert _loaded(*args, home=tmp_path, heavy=NOT_FOR_A_PLAN) == []
    summary = json.loads((out / "plan.json").read_text(encoding="utf-8"))["summary"]
    assert summary["assigned"] + summary["unassigned"] == summary["stops"]
    assert summary["assigned"] > 100
    assert (out / "overview.html").is_file() and list((out / "manifests").glob("*.pdf"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renderers fork on Linux")
def test_the_next_demo_plans_without_pandas_and_draws_elsewhere(tmp_path) -> None:
    """Run again (the geocoder's index kept by the first run), the planning process imports
    no pandas (the area's tables stay unread), and leaves folium, reportlab and openpyxl
    to the processes that render: yet every file is written."""
    out = tmp_path / "out"
    args = ("demo", "--out", str(out), "--time-limit", "1")
    _loaded(*args, home=tmp_path, heavy=NOT_FOR_A_PLAN)
    (out / "plan.json").unlink()
    elsewhere = ("pandas", "folium", "reportlab", "openpyxl")
    assert _loaded(*args, home=tmp_path, heavy=NOT_FOR_A_PLAN + elsewhere) == []
    assert (out / "plan.json").is_file() and (out / "plan.xlsx").is_file()
    assert len(list((out / "drivers").glob("*.html"))) == len(list(out.glob("manifests/*.pdf"))) - 1


def test_the_demo_runs_with_a_home_it_cannot_write(tmp_path) -> None:
    """With ``$AIDROUTE_HOME`` unusable (a path under a file, which even root cannot
    create: a read-only or full disk), ``aidroute demo`` still plans and writes every file;
    it keeps no caches, and says nothing alarming about them."""
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder\n", encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AIDROUTE_HOME": str(blocked / "home")}
    command = ("demo", "--out", str(out), "--time-limit", "1")
    run = subprocess.run(
        [sys.executable, "-c", "from api.cli import run; run()", *command],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "error:" not in run.stderr and "Traceback" not in run.stderr, run.stderr[-2000:]
    summary = json.loads((out / "plan.json").read_text(encoding="utf-8"))["summary"]
    assert summary["assigned"] + summary["unassigned"] == summary["stops"] > 100
    pages = list((out / "drivers").glob("*.html"))
    assert pages and len(pages) == len(list(out.glob("manifests/*.pdf"))) - 1
    assert (out / "overview.html").is_file() and (out / "plan.xlsx").is_file()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
@pytest.mark.parametrize("user_set", [None, "2"])
def test_the_command_keeps_blas_to_one_thread(user_set) -> None:
    """``aidroute`` keeps numpy's BLAS from starting a pool of threads that spin beside the
    search's and the renderers' processes; a thread count the user set is kept."""
    probe = f"""
import json, os
from api.cli import ONE_THREAD, one_thread_per_process
for name in ONE_THREAD:
    os.environ.pop(name, None)
if {user_set!r}:
    os.environ["OPENBLAS_NUM_THREADS"] = {user_set!r}
one_thread_per_process()
import numpy
a = numpy.ones((300, 300))
a @ a
print(json.dumps([len(os.listdir("/proc/self/task")), os.environ["OPENBLAS_NUM_THREADS"]]))
"""
    threads, setting = fresh_python(probe)
    if user_set is None:
        assert (threads, setting) == (1, "1")
    else:
        assert setting == user_set
