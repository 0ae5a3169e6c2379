"""Hostile and broken files: refused early, with a clear sentence, in bounded memory.

The files are built here the way an attacker would build them: an ``.xlsx`` whose zip
unpacks a small upload into a huge cell or millions of rows, a CSV of blank lines. Memory
is measured in a child process (peak resident size from ``resource.getrusage``), against
the same child reading a small honest file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from routing.errors import InputError
from routing.intake.deliveries import import_deliveries
from routing.intake.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_RECORDS
from tests.helpers.intake import ROOT
from tests.helpers.workbooks import SHEET, STRINGS, huge_cell, rows, wide_row, workbook


def _refusal(path: Path) -> str:
    with pytest.raises(InputError) as e:
        import_deliveries(path)
    return str(e.value)


def test_one_huge_cell_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    """A small .xlsx that unpacks to a 200 MB cell is refused by the sizes its zip declares."""
    path = workbook(tmp_path / "bomb.xlsx", {STRINGS: huge_cell(200 << 20)})
    assert path.stat().st_size < 2_000_000
    message = _refusal(path)
    assert "unpacks to 210 MB" in message and "the limit is 67 MB" in message


def test_a_cell_too_long_inside_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    """A 40 MB cell fits the unpacked size; the scan of the XML refuses it before openpyxl."""
    path = workbook(tmp_path / "cell.xlsx", {STRINGS: huge_cell(40 << 20)})
    assert "more text than any cell may" in _refusal(path)


def test_a_long_cell_names_its_row_and_column(tmp_path: Path) -> None:
    """A cell over the limit but under the scan's margin is refused naming where it is."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Address", "Notes"])
    sheet.append(["Ana", "206-16 Hollis Avenue", "x" * (MAX_CELL_CHARS + 1)])
    book.save(tmp_path / "long.xlsx")
    with pytest.raises(InputError) as e:
        import_deliveries(tmp_path / "long.xlsx")
    (problem,) = e.value.problems
    assert problem.row == 2
    assert f"column 3 holds {MAX_CELL_CHARS + 1:,} characters" in problem.reason


def test_row_bomb_stops_at_the_row_limit(tmp_path: Path) -> None:
    """A million rows: reading stops at the limit and says so."""
    path = workbook(tmp_path / "rows.xlsx", {SHEET: rows(1_000_000)})
    assert f"more than {MAX_RECORDS:,} rows" in _refusal(path)


def test_a_row_of_millions_of_cells_is_refused_by_the_scan(tmp_path: Path) -> None:
    """Five million empty cells in one row (20 MB of XML) never reach openpyxl."""
    path = workbook(tmp_path / "wide.xlsx", {SHEET: wide_row(5_000_000)})
    assert "a row of more than 2,000 cells" in _refusal(path)


def test_too_many_columns_with_values(tmp_path: Path) -> None:
    """Values in more columns than the limit: refused, naming the row."""
    path = workbook(tmp_path / "cols.xlsx", {SHEET: rows(3, cells_per_row=MAX_COLUMNS + 5)})
    message = _refusal(path)
    assert f"a row with {MAX_COLUMNS + 5} columns" in message and "row 2" in message


def test_csv_of_blank_lines_and_csv_of_one_endless_line() -> None:
    """20 MB of newlines and a line of a million cells are refused."""
    with pytest.raises(InputError) as e:
        import_deliveries(b"Name,Address\n" + b"\n" * 19_000_000, filename="x.csv")
    assert f"more than {MAX_RECORDS:,} rows" in str(e.value)
    with pytest.raises(InputError) as e:
        import_deliveries(b"Name,Address\n" + b"aa," * 1_000_000, filename="x.csv")
    assert "a line of more than" in str(e.value)


_MEASURE = """
import json, resource, sys
from routing.intake.deliveries import import_deliveries
from routing.errors import InputError
try:
    import_deliveries(sys.argv[1])
    outcome = "read"
except InputError as e:
    outcome = str(e)
print(json.dumps({"outcome": outcome,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _peak(path: Path) -> tuple[str, float]:
    run = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    return result["outcome"], result["peak_mb"]


@pytest.mark.slow
def test_hostile_files_take_bounded_memory(tmp_path: Path) -> None:
    """Each hostile file is refused with at most 100 MB more memory than a small honest one."""
    honest = workbook(tmp_path / "honest.xlsx", {})
    outcome, baseline = _peak(honest)
    assert outcome == "read"
    hostile = {
        "cell": workbook(tmp_path / "cell.xlsx", {STRINGS: huge_cell(60 << 20)}),
        "rows": workbook(tmp_path / "rows.xlsx", {SHEET: rows(1_000_000)}),
        "rows under the scan's limit": workbook(tmp_path / "r.xlsx", {SHEET: rows(30_000)}),
        "wide": workbook(tmp_path / "wide.xlsx", {SHEET: wide_row(5_000_000)}),
    }
    csv_bomb = tmp_path / "blank.csv"
    csv_bomb.write_bytes(b"Name,Address\n" + b"\n" * 19_000_000)
    hostile["blank csv"] = csv_bomb
    for what, path in hostile.items():
        outcome, peak = _peak(path)
        assert outcome != "read", what
        assert peak - baseline < 100, (what, peak, baseline, outcome)
