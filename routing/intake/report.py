"""What an import found, row by row: the reports and the import results.

:class:`DeliveryImport` (from :func:`routing.intake.deliveries.import_deliveries`) and
:class:`DriverImport` (from :func:`routing.intake.roster.import_drivers`) hold the stops or
drivers read, one :class:`RowReport` per non-blank row and every problem found.

The JSON report (``DeliveryImport.to_dict()``, printed by ``aidroute import check
--json`` and answered by ``POST /imports``)::

    {
      "kind": "deliveries",                  # or "drivers"
      "summary": {"rows": 122,               # non-blank rows read
                  "placed": 118,             # rows with a location on the map
                  "warnings": 7,             # rows whose worst problem is a warning
                  "errors": 4,               # rows that cannot be planned as given
                  "blank_rows": 2},
      "columns": {"address": "Address", "unit": "Apt", ...},   # field -> header used
      "ignored_columns": ["Timestamp"],      # headers not read
      "column_notes": {"Timestamp": "not needed for planning"},  # every column not
                                             # used for planning, and why
      "guessed_columns": ["window"],         # fields read from a question's words
      "rows": [
        {"row": 2,                           # spreadsheet row, header = row 1
         "id": "2",                          # the id column, else the row number
         "status": "ok",                     # "ok" | "warning" | "error"
         "precision": "exact",               # "given" | "exact" | "interpolated"
                                             # | "intersection" | "street"
                                             # | "not_found" | "outside_area" | ""
         "score": 1.0,                       # geocoding score 0-1, null when not geocoded
         "matched": "98-20 218th Street, 11429",
         "lat": 40.71, "lon": -73.73,        # null when not placed
         "suggestion": "",                   # what to do when the row needs a person
         "problems": [{"field": "Boxes", "value": "lots", "reason": "...",
                       "row": 2, "severity": "warning"}]},
        ...
      ],
      "problems": [...]                      # every problem, in row order (as in "rows")
    }

Problem ``field`` is the column header as written in the file (``"Delivery window"``),
or the field name when the problem concerns a column that is absent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from routing.errors import InputProblem
from routing.model import Driver, Stop

Status = Literal["ok", "warning", "error"]

#: The fix suggested for a stop whose address could not be placed.
UNPLACED_FIX = "Fix the address (street, house number, postcode) or give lat/lon."


@dataclass(frozen=True)
class RowReport:
    """What happened to one input row."""

    row: int
    id: str
    status: Status
    precision: str = ""
    score: float | None = None
    matched: str = ""
    lat: float | None = None
    lon: float | None = None
    problems: tuple[InputProblem, ...] = ()
    #: One sentence on how to fix the row's placement ("Check the street name: did you
    #: mean 109th Avenue? Or give lat/lon."); empty when it was placed as given or exactly.
    suggestion: str = ""
    #: Whose row it is, as read (the recipient's name and the address with its unit; a
    #: driver's name and home address), so a row that gives no stop (a box count that
    #: cannot be guessed, a household written twice) can still be told apart.
    name: str = ""
    address: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "id": self.id,
            "status": self.status,
            "precision": self.precision,
            "score": self.score,
            "matched": self.matched,
            "lat": self.lat,
            "lon": self.lon,
            "suggestion": self.suggestion,
            "name": self.name,
            "address": self.address,
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class ImportSummary:
    """Counts for the one-line summary: rows read, placed, warnings, errors."""

    rows: int
    placed: int
    warnings: int
    errors: int
    blank_rows: int
    #: "deliveries" or "drivers": what the one-line summary counts.
    kind: str = "deliveries"

    def to_dict(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "placed": self.placed,
            "warnings": self.warnings,
            "errors": self.errors,
            "blank_rows": self.blank_rows,
        }

    def __str__(self) -> str:
        blank = f", {self.blank_rows} blank" if self.blank_rows else ""
        if self.kind == "drivers":
            usable = self.rows - self.errors
            homes = f", {self.placed} homes placed" if self.placed else ""
            return (
                f"{self.rows} rows read{blank}: {usable} drivers{homes}, "
                f"{self.warnings} with warnings, {self.errors} with errors"
            )
        return (
            f"{self.rows} rows read{blank}: {self.placed} placed, "
            f"{self.warnings} with warnings, {self.errors} with errors"
        )


@dataclass
class _ImportBase:
    problems: list[InputProblem]
    rows: list[RowReport]
    blank_rows: int
    #: field -> header as written in the file
    columns: dict[str, str]
    ignored_columns: list[str]
    kind: str = ""
    #: header -> what happened to it, for every column not used for planning.
    column_notes: dict[str, str] = field(default_factory=dict)
    #: Fields read from the words of a longer question rather than a known header.
    guessed_columns: list[str] = field(default_factory=list)

    @property
    def summary(self) -> ImportSummary:
        return ImportSummary(
            rows=len(self.rows),
            placed=sum(1 for r in self.rows if r.lat is not None),
            warnings=sum(1 for r in self.rows if r.status == "warning"),
            errors=sum(1 for r in self.rows if r.status == "error"),
            blank_rows=self.blank_rows,
            kind=self.kind,
        )

    @property
    def ok(self) -> bool:
        """True when no row is an error."""
        return all(r.status != "error" for r in self.rows)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report documented in this module's docstring."""
        return {
            "kind": self.kind,
            "summary": self.summary.to_dict(),
            "columns": dict(self.columns),
            "ignored_columns": list(self.ignored_columns),
            "column_notes": dict(self.column_notes),
            "guessed_columns": list(self.guessed_columns),
            "rows": [r.to_dict() for r in self.rows],
            "problems": [p.to_dict() for p in self.problems],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


@dataclass
class DeliveryImport(_ImportBase):
    """The stops read from a delivery list, with a report on every row."""

    stops: list[Stop] = field(default_factory=list)
    kind: str = "deliveries"

    @property
    def suggestions(self) -> dict[str, str]:
        """Stop id -> how to fix its placement, for every stop left without a location
        (``Unassigned.fix`` for ``address_not_found``)."""
        fixes = {r.id: r.suggestion for r in self.rows if r.suggestion}
        return {s.id: fixes.get(s.id, UNPLACED_FIX) for s in self.stops if s.location is None}


@dataclass(frozen=True)
class LeftOut:
    """A roster row that gives no driver: who, where, and what could not be read."""

    row: int
    #: The name as written (else the id column); ``""`` when the row has neither.
    name: str
    #: What was missing or unreadable, in words: ``("capacity",)``, ``("no name", "hours")``.
    why: tuple[str, ...]

    def __str__(self) -> str:
        """``"Bob Smith (row 5: capacity)"``, ``"the driver on row 6 (no name)"``."""
        why = ", ".join(self.why)
        if self.name:
            return f"{self.name} (row {self.row}: {why})"
        return f"the driver on row {self.row} ({why})"


@dataclass
class DriverImport(_ImportBase):
    """The drivers read from a roster, with a report on every row."""

    drivers: list[Driver] = field(default_factory=list)
    kind: str = "drivers"
    #: Rows that give no driver, in row order; their errors name the driver too ("Bob Smith
    #: is left out: no capacity ..."). Not in :meth:`to_dict`: the problems say it there.
    left_out: list[LeftOut] = field(default_factory=list)
