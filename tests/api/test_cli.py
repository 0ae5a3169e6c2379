"""The ``aidroute`` command as a user runs it: a real process, the bundled demo, real files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from routing.paths import bundled_data
from tests.helpers.cli import aidroute

DEMO = bundled_data() / "demo"


@pytest.mark.slow
def test_demo_plans_the_sample_week_and_loses_nothing(tmp_path):
    """`aidroute demo` writes the overview, a page and manifest per driver and plan.json; every
    non-blank row of deliveries.csv is in a route, unassigned with a reason, or reported."""
    out = tmp_path / "week"
    run = aidroute("demo", "--out", str(out), "--time-limit", "3", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert (out / "overview.html").exists()
    used = [r for r in plan["routes"] if r["stops"]]
    assert len(list((out / "drivers").glob("*.html"))) == len(used) > 0
    assert len(list((out / "manifests").glob("*.html"))) >= len(used)
    for route in used:
        assert route["driver"] in run.stdout
    assert f"Unassigned: {len(plan['unassigned'])}" in run.stdout

    with (DEMO / "deliveries.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    nonblank = {str(i) for i, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)}
    planned = {s["id"] for r in plan["routes"] for s in r["stops"]}
    unassigned = {u["id"] for u in plan["unassigned"]}
    assert not planned & unassigned
    problems = set()
    if (out / "problems.csv").exists():
        with (out / "problems.csv").open(encoding="utf-8") as f:
            problems = {r["row"] for r in csv.DictReader(f)}
    assert nonblank <= planned | unassigned | problems
    for u in plan["unassigned"]:
        assert u["reason"] and u["message"]
        if u["reason"] == "address_not_found":
            assert f"row {u['row']}" in u["fix"], u  # what to do, for the row to fix


def test_plan_with_unreadable_file_names_the_file_without_a_traceback(tmp_path):
    """A binary file renamed .csv is refused with a message, exit status 2, no traceback."""
    bad = tmp_path / "deliveries.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    run = aidroute(
        "plan",
        str(bad),
        "--drivers",
        str(DEMO / "drivers.csv"),
        "--hub",
        "40.7073,-73.7505",
        "--area",
        "queens-village",
        "--out",
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr + run.stdout
    assert "deliveries.csv" in run.stderr or "binary" in run.stderr.lower()


def test_plan_with_unknown_area_and_bad_hub_are_clear_errors(tmp_path):
    """An area nobody imported and a hub address not in the area each get one clear line."""
    run = aidroute(
        "plan",
        str(DEMO / "deliveries.csv"),
        "--drivers",
        str(DEMO / "drivers.csv"),
        "--hub",
        "40.7073,-73.7505",
        "--area",
        "atlantis",
        "--out",
        "o",
        cwd=tmp_path,
    )
    assert run.returncode == 2 and "atlantis" in run.stderr
    assert "Traceback" not in run.stderr
    run = aidroute(
        "plan",
        str(DEMO / "deliveries.csv"),
        "--drivers",
        str(DEMO / "drivers.csv"),
        "--hub",
        "1 Nowhere Lane",
        "--area",
        "queens-village",
        "--out",
        "o",
        cwd=tmp_path,
    )
    assert run.returncode == 2 and "--hub" in run.stderr
    assert "Traceback" not in run.stderr


def test_area_import_then_list_names_it(tmp_path):
    """`aidroute area import` of a small extract makes an area `area list` shows by name,
    beside the bundled demo area; the per-file cache folder is not listed."""
    from tests.conftest import shared_file

    osm = shared_file("osm/west_oakland_ca.osm.bz2")
    env_home = tmp_path / "home"
    run = subprocess.run(
        [sys.executable, "-m", "api.cli", "area", "import", str(osm), "--name", "oakland"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**__import__("os").environ, "AIDROUTE_HOME": str(env_home)},
    )
    assert run.returncode == 0, run.stderr
    assert "oakland" in run.stdout
    listing = subprocess.run(
        [sys.executable, "-m", "api.cli", "area", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**__import__("os").environ, "AIDROUTE_HOME": str(env_home)},
    )
    names = [line.split("\t")[0] for line in listing.stdout.splitlines()]
    assert "oakland" in names and "queens-village" in names
    assert not any(n.startswith(".") for n in names)


@pytest.mark.slow
def test_replanning_with_one_more_row_moves_few_stops(tmp_path):
    """Plan the demo; insert a household at the top of the sheet (shifting every row id);
    re-plan with --previous: the stops already planned mostly keep their drivers."""
    first = tmp_path / "first"
    run = aidroute(
        "demo",
        "--out",
        str(first),
        "--time-limit",
        "3",
        "--base-url",
        "https://example.org/w/",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    lines = (DEMO / "deliveries.csv").read_text(encoding="utf-8-sig").splitlines()
    sheet = tmp_path / "deliveries.csv"
    sheet.write_text(
        "\n".join([lines[0], "New Neighbour,98-20 218th St,,11429,,2,,,English", *lines[1:]])
        + "\n",
        encoding="utf-8",
    )
    hub = json.loads((DEMO / "hub.json").read_text(encoding="utf-8"))
    second = tmp_path / "second"
    run = aidroute(
        "plan",
        str(sheet),
        "--drivers",
        str(DEMO / "drivers.csv"),
        "--hub",
        f"{hub['lat']},{hub['lon']}",
        "--area",
        "queens-village",
        "--previous",
        str(first / "plan.json"),
        "--time-limit",
        "3",
        "--base-url",
        "https://example.org/w/",
        "--out",
        str(second),
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    links = [
        (first / "driver-links.csv").read_text(encoding="utf-8"),
        (second / "driver-links.csv").read_text(encoding="utf-8"),
    ]
    kept = [{tuple(row) for row in csv.reader(io.StringIO(text))} for text in links]
    assert kept[0] <= kept[1] | {("driver", "phone", "link")}, "drivers keep their links"

    def driver_by_address(path: Path) -> dict[str, str]:
        plan = json.loads(path.read_text(encoding="utf-8"))
        return {
            f"{s['address']}|{s['unit']}": r["driver"] for r in plan["routes"] for s in r["stops"]
        }

    before, after = driver_by_address(first / "plan.json"), driver_by_address(second / "plan.json")
    common = set(before) & set(after)
    moved = [k for k in common if before[k] != after[k]]
    assert len(common) >= len(before) - 2
    assert len(moved) <= 6, moved


def test_area_fetch_without_reachable_servers_fails_cleanly(tmp_path):
    """`aidroute area fetch` pointed at servers that refuse (127.0.0.1:9) says what it needs
    and what to do offline, with exit status 2 and no traceback."""
    run = aidroute(
        "area",
        "fetch",
        "Queens Village, New York",
        "--timeout",
        "5",
        "--overpass-url",
        "http://127.0.0.1:9/api",
        "--nominatim-url",
        "http://127.0.0.1:9/",
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "aidroute area import" in run.stderr
