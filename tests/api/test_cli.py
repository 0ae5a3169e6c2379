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
    non-blank row of deliveries.csv is in a route, unassigned with a reason, or reported.
    With --full-time the search takes the whole --time-limit."""
    out = tmp_path / "week"
    run = aidroute("demo", "--out", str(out), "--time-limit", "3", "--full-time", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["stats"]["stopped"] == "time limit" and plan["stats"]["search_s"] >= 3
    overview = (out / "overview.html").read_text(encoding="utf-8")
    # The private map by default: the area's own streets, drawn by the page; no tile server.
    assert "static/aidroute/streets.js" in overview and "Hollis Avenue" in overview
    assert "tile.openstreetmap.org" not in overview
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


@pytest.mark.slow
def test_demo_in_spanish_from_the_environment(tmp_path, monkeypatch):
    """With AIDROUTE_LANGUAGE=es the overview is in Spanish, and so are the pages of drivers
    whose roster names no language aidroute writes first; Rosa ("Spanish") reads Spanish
    and Ana ("English, Spanish") English whatever the dispatcher's language."""
    monkeypatch.setenv("AIDROUTE_LANGUAGE", "es")
    out = tmp_path / "semana"
    run = aidroute("demo", "--out", str(out), "--time-limit", "2", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    overview = (out / "overview.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in overview and "Entregas" in overview
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    locales = {d["name"]: d["locale"] for d in plan["problem"]["drivers"]}
    assert (locales["Rosa Méndez"], locales["Ana Delgado"], locales["Fatema Chowdhury"]) == (
        "es",
        "en",
        "en",
    )
    routed = {r["driver"] for r in plan["routes"] if r["stops"]}
    for name, slug in (("Rosa Méndez", "rosa-mendez"), ("Ana Delgado", "ana-delgado")):
        if name in routed:
            page = (out / "drivers" / f"{slug}.html").read_text(encoding="utf-8")
            assert f'<html lang="{locales[name]}">' in page


def test_language_option_takes_the_languages_aidroute_writes(tmp_path):
    """--language takes en or es; anything else is refused before any work, in words."""
    run = aidroute("demo", "--language", "fr", "--out", str(tmp_path / "x"), cwd=tmp_path)
    assert run.returncode == 2 and "invalid choice: 'fr'" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "x").exists()


def test_a_language_setting_aidroute_does_not_write_is_a_clear_error(tmp_path, monkeypatch):
    """AIDROUTE_LANGUAGE=fr is named in the error table, before the slow part."""
    monkeypatch.setenv("AIDROUTE_LANGUAGE", "fr")
    run = aidroute("demo", "--out", str(tmp_path / "x"), cwd=tmp_path)
    assert run.returncode == 2, run.stdout
    said = " ".join(run.stderr.split())
    assert "AIDROUTE_LANGUAGE" in said and "fr" in said and "en, es" in said
    assert "Traceback" not in run.stderr and "solving" not in run.stderr


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
        "10",  # a cap: the search stops once the plan stops improving
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
        "10",  # a cap: the search stops once the plan stops improving
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

    # What changed, for whom (issue 10, finding 16): the drivers whose sequence of doors
    # differs, and the households that changed driver, in plan.json, the terminal and the
    # overview.
    def doors(path: Path) -> dict[str, list[str]]:
        plan = json.loads(path.read_text(encoding="utf-8"))
        return {
            r["driver"]: [f"{s['address']}|{s['unit']}" for s in r["stops"]]
            for r in plan["routes"]
            if r["stops"]
        }

    old_doors, new_doors = doors(first / "plan.json"), doors(second / "plan.json")
    differ = {
        d for d in old_doors.keys() | new_doors.keys() if old_doors.get(d) != new_doors.get(d)
    }
    changes = json.loads((second / "plan.json").read_text(encoding="utf-8"))["changes"]
    assert {c["driver"] for c in changes["drivers"]} == differ
    added = [h["name"] for c in changes["drivers"] for h in c["added"]]
    assert "New Neighbour" in added

    def driver_by_household(path: Path) -> dict[str, str]:
        plan = json.loads(path.read_text(encoding="utf-8"))
        return {
            f"{s['name']}|{s['address']}|{s['unit']}": r["driver"]
            for r in plan["routes"]
            for s in r["stops"]
        }

    was, now = driver_by_household(first / "plan.json"), driver_by_household(second / "plan.json")
    changed_driver = sorted(k.split("|")[0] for k in was.keys() & now.keys() if was[k] != now[k])
    assert sorted(m["name"] for m in changes["moved"]) == changed_driver
    assert all(h["in_week"] for c in changes["drivers"] for h in c["removed"])  # nobody left
    assert len(changes["unchanged"]) == len(new_doors) - len(differ & new_doors.keys())
    terminal = " ".join(run.stdout.split())
    assert f"What changed since the previous plan: {len(differ)} driver" in terminal
    assert "New Neighbour" in terminal
    overview = (second / "overview.html").read_text(encoding="utf-8")
    assert "Changed since the previous plan" in overview and "New Neighbour" in overview
    assert json.loads((first / "plan.json").read_text(encoding="utf-8"))["changes"] is None


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


def test_the_terminal_says_what_changed_for_whom():
    """The re-plan table names each driver to tell, the households added and removed (one
    that left the list says so), the order, and the households moved between drivers; a
    re-plan that changed nothing says that."""
    from rich.console import Console

    from api.console import changes_table
    from routing.model import Household, Move, PlanChanges, RouteChange
    from routing.serialize import changes_to_dict

    gone = Household("41", "Michael Gonzalez", "90-37 210th Pl", in_week=False)
    new = Household("2", "New Neighbour", "98-20 218th St")
    changes = PlanChanges(
        (
            RouteChange("ana", "Ana Delgado", "changed", added=(new,), reordered=True),
            RouteChange("marcus", "Marcus Bell", "changed", removed=(gone,)),
            RouteChange("dave", "Dave Thompson", "dropped", removed=(new,)),
        ),
        (Move(new, "dave", "Dave Thompson", "ana", "Ana Delgado"),),
        ("olga",),
    )
    console = Console(record=True, width=200)
    console.print(changes_table(changes_to_dict(changes)))
    text = " ".join(console.export_text().split())
    assert "What changed since the previous plan: 3 drivers to tell" in text
    assert "Ana Delgado │ New Neighbour, 98-20 218th St │ │ new order" in text
    assert "Michael Gonzalez, 90-37 210th Pl (no longer on the list)" in text
    assert "no route now" in text and "Dave Thompson → Ana Delgado" in text
    console = Console(record=True, width=200)
    console.print(changes_table(changes_to_dict(PlanChanges(unchanged=("olga",)))))
    assert "Nothing changed for any driver" in console.export_text()
