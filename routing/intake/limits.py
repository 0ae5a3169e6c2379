"""How much of a spreadsheet is read: limits checked while reading, so that no file (a
hostile one included) takes more than a bounded amount of memory and time.

A week's delivery list is kilobytes: some hundred rows, a dozen columns, short cells. These
limits are far above that and far below what would hurt the machine. :class:`Budget` counts
rows, columns, cell lengths and the total text as the rows stream in and refuses the file
at the first row that goes over, with an :class:`~routing.errors.InputError` saying which
limit and what to do.
"""

from __future__ import annotations

from collections.abc import Sequence

from routing.errors import InputError, InputProblem

#: Files larger than this are refused (a delivery list is kilobytes).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: More non-blank rows than this are refused: a sheet this long is not a week's deliveries.
MAX_ROWS = 20_000
#: Rows read at most, blank ones included (a sheet of a million empty rows is refused).
MAX_RECORDS = 2 * MAX_ROWS + 100
#: Columns holding a value; more are refused.
MAX_COLUMNS = 200
#: Characters in one cell; a longer one is refused (a note is a few sentences).
MAX_CELL_CHARS = 5_000
#: Characters in the whole sheet.
MAX_TEXT_CHARS = 20_000_000

# The longest text a stop or a driver keeps in each field, in characters. A longer cell is
# cut there, with a warning naming its row and column (a remark written in the phone
# column, a paragraph answered in a form's notes), so that the row is still planned. The
# API takes the same limits (api/schemas.py): a list read here can always be planned.

#: An id, or a driver's name where a stop names one (pinned or excluded).
ID_CHARS = 200
#: A recipient's or a driver's name.
NAME_CHARS = 200
#: An address.
ADDRESS_CHARS = 500
#: A unit, a postcode, a phone number, a language, a need or a skill.
SHORT_CHARS = 50
#: A stop's notes for the driver.
NOTE_CHARS = 2000
#: Needs, languages or skills of one row.
MAX_TAGS = 20
#: Drivers one stop excludes.
MAX_EXCLUDED = 50
#: Windows of one stop.
MAX_WINDOWS = 4


def refuse_file(name: str, reason: str, row: int | None = None) -> InputError:
    """The error refusing the file ``name`` (at ``row``, when one row is to blame)."""
    return InputError(InputProblem("file", name, reason, row))


class Budget:
    """Counts what has been read of one sheet and refuses it past a limit."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.records = 0
        self.rows = 0
        self.chars = 0

    def take(self, cells: list[str]) -> None:
        """Count one record (its cells as text); raise :class:`InputError` past a limit."""
        self.records += 1
        row = self.records
        if self.records > MAX_RECORDS:
            raise refuse_file(
                self.name,
                f"more than {MAX_RECORDS:,} rows, blank ones included; the limit is "
                f"{MAX_ROWS:,} rows: delete the empty rows below the table, or split it",
            )
        width = len(cells)
        while width and not cells[width - 1].strip():
            width -= 1
        if not width:
            return
        self.rows += 1
        if self.rows > MAX_ROWS + 1:
            raise refuse_file(self.name, f"more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}")
        if width > MAX_COLUMNS:
            raise refuse_file(
                self.name,
                f"a row with {width:,} columns; the limit is {MAX_COLUMNS}: "
                "delete the columns right of the table",
                row,
            )
        for i, cell in enumerate(cells[:width]):
            if len(cell) > MAX_CELL_CHARS:
                raise refuse_file(
                    self.name,
                    f"the cell in column {i + 1} holds {len(cell):,} characters; the limit is "
                    f"{MAX_CELL_CHARS:,}",
                    row,
                )
            self.chars += len(cell)
        if self.chars > MAX_TEXT_CHARS:
            raise refuse_file(
                self.name,
                f"more than {MAX_TEXT_CHARS:,} characters of text; a delivery list is far "
                "smaller: remove the columns the plan does not need",
                row,
            )


def too_big(name: str, size: int) -> InputProblem:
    """The problem of a file over :data:`MAX_FILE_BYTES`."""
    return InputProblem(
        "file", name, f"the file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB"
    )


def quote_all(headers: Sequence[str]) -> str:
    """``["Name", "Zip"]`` -> ``"'Name', 'Zip'"``, for messages; ``"(none)"`` when empty."""
    return ", ".join(repr(h) for h in headers) if headers else "(none)"
