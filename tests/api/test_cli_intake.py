"""The command line with a group's own files and a dispatcher's mistakes: every mistake
answers in words with exit status 2, never a traceback, before any planning starts."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from api.cli import main
from routing.paths import bundled_data
from tests.helpers.cli import aidroute
from tests.helpers.intake import FIXTURES

DEMO = bundled_data() / "demo"
HUB = "40.7073238,-73.7505106"


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as on a wide terminal, so that no sentence is wrapped inside a cell."""
    from api import console

    monkeypatch.setattr(console.console, "width", 400)
    monkeypatch.setattr(console.err_console, "width", 400)


def _plan(
    tmp_path: Path,
    *extra: str,
    deliveries: Path | None = None,
    drivers: Path | None = None,
    hub: str = HUB,
) -> list[str]:
    """``aidroute plan`` of the demo week (or the files given) with a 1 s search."""
    return [
        "plan",
        str(deliveries or DEMO / "deliveries.csv"),
        "--drivers",
        str(drivers or DEMO / "drivers.csv"),
        "--hub",
        hub,
        "--area",
        "queens-village",
        "--time-limit",
        "1",
        *extra,
    ]


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run the command in this process: it must exit 2 and print words, no traceback."""
    try:
        code = main(argv)
    except SystemExit as e:  # argparse's own refusals
        code = int(e.code or 0)
    captured = capsys.readouterr()
    assert code == 2, captured
    assert "Traceback" not in captured.err + captured.out
    return " ".join((captured.err + captured.out).split())


def test_a_folder_given_as_the_deliveries_file(tmp_path: Path, capsys) -> None:
    """Finding 11: `aidroute plan SOMEDIR/` names the spreadsheets inside the folder."""
    (tmp_path / "week48.csv").write_text("Name,Address\n", encoding="utf-8")
    message = _refused(capsys, _plan(tmp_path, "--out", str(tmp_path / "o"), deliveries=tmp_path))
    assert "this is a folder, not a spreadsheet" in message and "week48.csv" in message


def test_out_is_a_file_or_a_folder_of_other_files(tmp_path: Path, capsys) -> None:
    """Finding 11: --out refuses an existing file and a folder aidroute did not write;
    nothing is written there."""
    existing = tmp_path / "notes.txt"
    existing.write_text("mine", encoding="utf-8")
    assert "is a file, not a folder" in _refused(capsys, _plan(tmp_path, "--out", str(existing)))
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "passwd").write_text("root:x:0:0", encoding="utf-8")
    message = _refused(capsys, _plan(tmp_path, "--out", str(etc)))
    assert "already holds files aidroute did not write (passwd)" in message
    assert sorted(p.name for p in etc.iterdir()) == ["passwd"]


@pytest.mark.parametrize(
    ("date", "words"),
    [
        ("2026-13-45", "expected a day as YYYY-MM-DD"),
        ("28/11/2026", "expected a day as YYYY-MM-DD"),
        ("9999-11-28", "expected a delivery day from 2000"),
    ],
)
def test_dates_are_checked(tmp_path: Path, capsys, date: str, words: str) -> None:
    """Finding 11: an impossible or far-off delivery day is refused before planning."""
    assert words in _refused(capsys, _plan(tmp_path, "--out", str(tmp_path / "o"), "--date", date))


@pytest.mark.parametrize(
    ("option", "value"),
    [("--time-limit", "inf"), ("--time-limit", "nan"), ("--seed", "99999999999999999999")],
)
def test_numbers_on_the_command_line_are_bounded(tmp_path: Path, capsys, option, value) -> None:
    """A time limit of inf or a huge seed is refused by the option itself."""
    message = _refused(capsys, _plan(tmp_path, "--out", str(tmp_path / "o"), option, value))
    assert option in message


def test_a_huge_roster_capacity_is_a_row_error(tmp_path: Path) -> None:
    """Finding 11: a capacity of 99999999999999999999999 boxes is refused on its row; the
    other drivers are planned and nothing overflows."""
    roster = tmp_path / "drivers.csv"
    roster.write_text(
        "Name,Capacity,Available\nAna,99999999999999999999999,9-13\nBen,20,9-13\n",
        encoding="utf-8",
    )
    deliveries = tmp_path / "d.csv"
    deliveries.write_text("Name,Address\nAna Ruiz,206-16 Hollis Avenue\n", encoding="utf-8")
    out = tmp_path / "out"
    run = aidroute(
        *_plan(tmp_path, "--out", str(out), deliveries=deliveries, drivers=roster), cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "more than 1,000 boxes in one car" in " ".join(run.stdout.split())
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert [d["name"] for d in plan["problem"]["drivers"]] == ["Ben"]


#: Who the roster_left_out.csv fixture leaves out, as the command line says it.
LEFT_OUT = (
    "left out of the roster: Gus Hall (row 8: capacity), Bob Smith (row 10: capacity), the "
    "driver on row 11 (no name), Ivy Jones (row 12: capacity)"
)


def test_the_plan_says_who_is_left_out_of_the_roster(tmp_path: Path) -> None:
    """Drivers whose capacity or hours cannot be read are named after the plan, with their
    row and what to fix, and in the problems; the others are planned."""
    deliveries = tmp_path / "d.csv"
    deliveries.write_text(
        "Nombre,Dirección,Cajas\nRosa Martínez,204-09 Murdock Avenue,2\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    argv = _plan(
        tmp_path,
        "--out",
        str(out),
        deliveries=deliveries,
        drivers=FIXTURES / "roster_left_out.csv",
    )
    run = aidroute(*argv, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    printed = " ".join(run.stdout.split())
    assert LEFT_OUT in printed
    assert "Gus Hall is left out: expected a number of boxes" in printed
    assert printed.index(LEFT_OUT) < printed.index("Unassigned:")
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert len(plan["problem"]["drivers"]) == 7  # Cara Diaz's "about 15" is 15


def test_import_check_says_who_is_left_out_of_the_roster(capsys) -> None:
    """``import check --drivers`` names the drivers left out, as the plan does."""
    argv = ["import", "check", str(FIXTURES / "roster_left_out.csv"), "--drivers"]
    assert main(argv) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert LEFT_OUT in out
    assert "Bob Smith is left out: no capacity" in out
    assert "11 rows read: 7 drivers" in out


def test_a_roster_checked_without_drivers(capsys) -> None:
    """Finding 15: checking a roster as deliveries says to add --drivers; checking it as a
    roster does not count "placed" addresses it never had."""
    message = _refused(capsys, ["import", "check", str(FIXTURES / "voluntarios.csv")])
    assert "looks like a drivers' roster" in message and "--drivers" in message
    assert main(["import", "check", str(FIXTURES / "voluntarios.csv"), "--drivers"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "5 rows read: 5 drivers, 0 with warnings, 0 with errors" in out
    assert "0 placed" not in out


def test_columns_not_read_are_in_the_printed_report(capsys) -> None:
    """Finding 1: the printed report lists every column, what it is read as, and why the
    others are not read; "Best delivery time" is the window."""
    main(["import", "check", str(FIXTURES / "form_responses.csv")])
    out = " ".join(capsys.readouterr().out.split())
    assert "Best delivery time │ window" in out
    assert "Is anyone home on weekdays? │ not read │ not read: not a column" in out
    assert "Timestamp │ not read │ not needed for planning" in out
    # Ana's form sent twice: planned once, and the command line says how to plan both.
    assert "one household, planned once, as row 5 (the later row)" in out
    assert "--keep-duplicates plans both rows" in out


def test_plan_columns_for_the_roster_point_at_driver_columns(tmp_path: Path, capsys) -> None:
    """Finding 3: `--columns capacity=...` on plan says the roster's are --driver-columns."""
    message = _refused(
        capsys,
        _plan(tmp_path, "--out", str(tmp_path / "o"), "--columns", "capacity=Capacidad"),
    )
    assert "unknown field 'capacity'" in message
    assert "map it with --driver-columns capacity=" in message


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Instructions"
    book.active.append(["Fill in the Entregas and Voluntarios tabs. Thank you!"])
    deliveries = book.create_sheet("Entregas")
    deliveries.append(["Nombre", "Dirección", "Apto", "Código postal", "Cajas", "Horario"])
    deliveries.append(["María González", "203-06 109th Ave", "2B", "11412", 2, "10-12"])
    deliveries.append(["José Peña", "206-16 Hollis Avenue", "", "11429", 1, "por la tarde"])
    deliveries.append(["Carmen Ortiz", "89-48 214th St", "", "11427", 3, ""])
    roster = book.create_sheet("Voluntarios")
    roster.append(["Nombre", "Teléfono", "Cajas que caben", "Turno"])
    roster.append(["María López", "718-555-0144", 25, "9-13"])
    roster.append(["Pedro Sánchez", "917-555-0145", 15, "10-14"])
    book.save(path)
    return path


def test_plan_one_workbook_with_sheet_options(tmp_path: Path) -> None:
    """Finding 5 and 3: one workbook, first tab instructions; --sheet and --drivers-sheet
    choose the tables, --driver-columns maps a roster header; the plan serves every stop.
    Without them, the sheets named for each table are read, with a warning."""
    book = _workbook(tmp_path / "semana.xlsx")
    out = tmp_path / "out"
    options = ["--sheet", "Entregas", "--drivers-sheet", "Voluntarios", "--out", str(out)]
    options += ["--driver-columns", "capacity=Cajas que caben"]
    run = aidroute(*_plan(tmp_path, *options, deliveries=book, drivers=book), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["summary"]["assigned"] == 3 and not plan["unassigned"]
    assert {d["capacity_boxes"] for d in plan["problem"]["drivers"]} == {25, 15}
    # Without the options, each table is found on the sheet named for it, and said.
    run = aidroute(
        *_plan(tmp_path, "--out", str(tmp_path / "o2"), deliveries=book, drivers=book),
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    said = " ".join(run.stdout.split())
    assert "sheet 'Entregas' was read" in said and "sheet 'Voluntarios' was read" in said


def test_hub_by_name_with_its_note_and_the_plan_instructions(tmp_path: Path) -> None:
    """Finding 8: --hub "Compare Foods" is the supermarket; its name, the pickup note, the
    dispatcher's phone and what to do when nobody is home are in the plan drivers get."""
    out = tmp_path / "out"
    options = ["--hub-note", "Park behind the store, ask for Rosa", "--out", str(out)]
    options += ["--dispatcher-phone", "(718) 555-0199"]
    options += ["--nobody-home", "Leave it with a neighbour and text us"]
    argv = _plan(
        tmp_path,
        *options,
        deliveries=FIXTURES / "form_responses.csv",
        drivers=FIXTURES / "roster_with_notes.csv",
        hub="Compare Foods",
    )
    run = aidroute(*argv, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    problem = json.loads((out / "plan.json").read_text(encoding="utf-8"))["problem"]
    (hub,) = problem["hubs"]
    assert (hub["name"], hub["note"]) == ("Compare Foods", "Park behind the store, ask for Rosa")
    assert hub["location"]["lat"] == pytest.approx(40.70732, abs=1e-4)
    assert problem["instructions"] == {
        "dispatcher_phone": "(718) 555-0199",
        "nobody_home": "Leave it with a neighbour and text us",
    }
    matched = {s["recipient"]: s["matched"] for s in problem["stops"]}
    assert matched["Gloria Davis"] == "111-39 202nd Street, 11412"  # typed "11139 202 St"


def test_a_street_as_hub_is_refused(tmp_path: Path, capsys) -> None:
    """Finding 8: --hub "hollis ave" is a 2 km street: refused before planning."""
    message = _refused(capsys, _plan(tmp_path, "--out", str(tmp_path / "o"), hub="hollis ave"))
    assert "a street, not a place: Hollis Avenue runs" in message
