"""Sheets for the intake tests: CSV bytes from rows, and imports with the few columns
every row needs filled in."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from routing.intake.deliveries import import_deliveries
from routing.intake.report import DeliveryImport, DriverImport
from routing.intake.roster import import_drivers

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DEMO = ROOT / "data" / "demo"

#: A point inside the demo area, for stops that need no geocoder.
LAT, LON = "40.7173", "-73.7362"


def csv_bytes(rows: list[list[str]]) -> bytes:
    """The rows as a UTF-8 CSV file."""
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


def import_placed_deliveries(header: list[str], *rows: list[str]) -> DeliveryImport:
    """Stops with lat/lon given, so no geocoder is needed."""
    return import_deliveries(
        csv_bytes([["Name", "lat", "lon", *header], *[["N", LAT, LON, *r] for r in rows]]),
        filename="d.csv",
    )


def import_roster(header: list[str], *rows: list[str]) -> DriverImport:
    """Drivers D0, D1, ... with 20 boxes and 9-13, plus the given columns."""
    return import_drivers(
        csv_bytes(
            [
                ["Name", "Capacity", "Available", *header],
                *[[f"D{i}", "20", "9-13", *r] for i, r in enumerate(rows)],
            ]
        ),
        filename="r.csv",
    )


def problem_tuples(
    result: DeliveryImport | DriverImport,
) -> list[tuple[int | None, str, str, str]]:
    """(row, field, value, severity) of every problem, in order."""
    return [(p.row, p.field, p.value, p.severity) for p in result.problems]
