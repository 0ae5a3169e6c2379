"""Spreadsheets read as text: CSV/TSV, Excel and OpenDocument files into headers and rows
of cells.

:func:`read_table` takes a CSV/TSV (UTF-8 with or without BOM, UTF-16 with BOM, or
Windows-1252/Latin-1, detected; the delimiter guessed from the first line), an Excel
``.xlsx`` file or a LibreOffice ``.ods`` one (first sheet, or ``sheet=``; see
:mod:`routing.intake.xlsx` and :mod:`routing.intake.ods`), and refuses
what is not a spreadsheet (a PDF, an image, an old ``.xls`` workbook) and a file over the
limits of :mod:`routing.intake.limits` (size, rows, columns, cell length), checked while
reading, with an :class:`~routing.errors.InputError` saying what to upload.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from routing.errors import InputError, InputProblem
from routing.intake.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    Budget,
    quote_all,
    too_big,
)
from routing.intake.ods import is_ods, ods_sheet_names, read_ods
from routing.intake.xlsx import read_xlsx, sheet_names

__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "Table", "decode_text", "quote_all", "read_table"]

#: A physical line longer than this is refused before the CSV reader splits it.
MAX_LINE_CHARS = MAX_COLUMNS * MAX_CELL_CHARS
_LONG_LINE = re.compile(rf"[^\n]{{{MAX_LINE_CHARS + 1}}}")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")
#: Control characters a cell may carry (a vertical tab pasted from a word processor, a
#: form feed): read as a space, since no page, manifest or database keeps them.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Table:
    """A spreadsheet as text: headers and rows, each row with its spreadsheet row number."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    #: "csv", "tsv", "xlsx" or "ods"; and the text encoding detected for CSV/TSV.
    format: str
    encoding: str = ""
    #: Spreadsheet row of the headers (1 unless title rows sit above them).
    header_row: int = 1
    #: Every record as read, for choosing another header row.
    records: list[list[str]] = field(default_factory=list, repr=False)
    name: str = ""
    #: The sheet read, and every sheet of the workbook (Excel files only).
    sheet: str = ""
    sheets: tuple[str, ...] = ()

    def with_header_at(self, row: int) -> Table:
        """The same file read with its headers in spreadsheet row ``row``."""
        return _table_from_records(
            self.records,
            self.name,
            self.format,
            self.encoding,
            header_index=row - 1,
            sheet=self.sheet,
            sheets=self.sheets,
        )


def read_table(
    source: Path | str | bytes, *, filename: str | None = None, sheet: str | None = None
) -> Table:
    """Read a CSV/TSV/XLSX file (path or bytes) into text cells.

    Raises :class:`InputError` for an empty, binary, oversized or unreadable file, an
    old ``.xls`` workbook, or an unknown sheet name.
    """
    data, name = _read_bytes(source, filename)
    lower = name.lower()
    if is_ods(data) or lower.endswith(".ods"):
        records, title, names = read_ods(data, name, sheet)
        return _table_from_records(records, name, "ods", "", sheet=title, sheets=tuple(names))
    if data[:4] == b"PK\x03\x04" or lower.endswith((".xlsx", ".xlsm")):
        records, title, names = read_xlsx(data, name, sheet)
        return _table_from_records(records, name, "xlsx", "", sheet=title, sheets=tuple(names))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or lower.endswith(".xls"):
        raise InputError(
            InputProblem(
                "file", name, "this is an old Excel .xls workbook; save it as .xlsx or CSV"
            )
        )
    if data[:5] == b"%PDF-" or data[:4] in (b"\x89PNG", b"GIF8") or data[:3] == b"\xff\xd8\xff":
        raise InputError(
            InputProblem(
                "file",
                name,
                "this is not a spreadsheet (it looks like a PDF or an image); "
                "upload a CSV, TSV, .xlsx or .ods file",
            )
        )
    text, encoding = decode_text(data, name)
    return _read_delimited(text, name, encoding)


def workbook_sheets(source: Path | str | bytes, filename: str | None = None) -> list[str]:
    """The sheet names of an Excel workbook, in order; ``[]`` for any other file."""
    data, name = _read_bytes(source, filename)
    if is_ods(data) or name.lower().endswith(".ods"):
        return ods_sheet_names(data, name)
    if data[:4] != b"PK\x03\x04" and not name.lower().endswith((".xlsx", ".xlsm")):
        return []
    return sheet_names(data, name)


def _read_bytes(source: Path | str | bytes, filename: str | None) -> tuple[bytes, str]:
    """The file's bytes and name; :class:`InputError` for a folder, a missing, unreadable,
    empty or oversized file."""
    if isinstance(source, bytes):
        data, name = source, filename or "upload"
    else:
        path = Path(source)
        name = filename or path.name
        if path.is_dir():
            raise InputError(_folder(path))
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise InputError(too_big(name, size))
            with path.open("rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)  # a file still growing reads no further
        except OSError as e:
            raise InputError(
                InputProblem("file", str(path), f"cannot read it: {e.strerror or e}")
            ) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(too_big(name, len(data)))
    if not data.strip():
        raise InputError(InputProblem("file", name, "the file is empty"))
    return data, name


def _folder(path: Path) -> InputProblem:
    try:
        sheets = sorted(
            p.name
            for p in path.iterdir()
            if p.suffix.lower() in (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".ods")
            and p.is_file()
        )
    except OSError:
        sheets = []
    inside = f"; spreadsheets in it: {quote_all(sheets[:10])}" if sheets else ""
    return InputProblem(
        "file", str(path), f"this is a folder, not a spreadsheet: give the file itself{inside}"
    )


def decode_text(data: bytes, name: str = "file") -> tuple[str, str]:
    """Bytes -> text and the encoding used: BOMs first, then UTF-8, then Windows-1252.

    Raises :class:`InputError` when the bytes are not text (NUL bytes, control codes).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252", "latin-1"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        bad = len(_CONTROL.findall(text, 0, 1_000_000))
        if "\x00" in text or bad > max(2, min(len(text), 1_000_000) // 200):
            break
        return text, enc
    raise InputError(
        InputProblem(
            "file",
            name,
            "this is not a text spreadsheet (binary content); upload a CSV, TSV, .xlsx or "
            ".ods file",
        )
    )


def _read_delimited(text: str, name: str, encoding: str) -> Table:
    sample = text[:20000]
    if name.lower().endswith((".tsv", ".tab")):
        delimiter = "\t"
    else:
        first = next((ln for ln in sample.splitlines() if ln.strip()), "")
        counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
        delimiter = max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","
        if counts[","] and counts[delimiter] == counts[","]:
            delimiter = ","
    if _LONG_LINE.search(text):
        raise InputError(
            InputProblem(
                "file", name, f"a line of more than {MAX_LINE_CHARS:,} characters; not a table"
            )
        )
    budget = Budget(name)
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            budget.take(record)
            records.append(record if any(c.strip() for c in record) else [])
    except csv.Error as e:
        reason = (
            f"a cell holds more than {MAX_CELL_CHARS:,} characters"
            if "field larger" in str(e)
            else f"cannot read it as CSV: {e}"
        )
        raise InputError(InputProblem("file", name, reason)) from None
    fmt = "tsv" if delimiter == "\t" else "csv"
    return _table_from_records(records, name, fmt, encoding)


def _table_from_records(
    records: list[list[str]],
    name: str,
    fmt: str,
    enc: str,
    header_index: int | None = None,
    sheet: str = "",
    sheets: tuple[str, ...] = (),
) -> Table:
    # The header is the first non-blank row (normally row 1) unless told otherwise.
    start = (
        header_index
        if header_index is not None
        else next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    )
    if start is None:
        raise InputError(InputProblem("file", name, "the file has no rows"))
    headers = [c.strip() for c in records[start]]
    while headers and not headers[-1]:
        headers.pop()
    if not any(any(c.strip() for c in r) for r in records[start + 1 :]):
        raise InputError(
            InputProblem(
                "file", name, f"only a header row ({quote_all(headers)}), no rows below it"
            )
        )
    width = len(headers)
    rows = []
    for i in range(start + 1, len(records)):
        cells = [_UNPRINTABLE.sub(" ", c).strip() for c in records[i]]
        # Cells beyond the headers are kept only when non-empty (reported later).
        while len(cells) > width and not cells[-1]:
            cells.pop()
        rows.append((i + 1, cells + [""] * (width - len(cells))))
    return Table(headers, rows, fmt, enc, start + 1, records, name, sheet, sheets)
