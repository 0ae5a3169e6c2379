"""OpenDocument ``.ods`` spreadsheets (LibreOffice Calc, and what other free office suites
save) read as text, within the limits ``.xlsx`` workbooks are read in.

An ``.ods`` file is a zip whose ``content.xml`` holds every sheet. Before anything is
parsed, the zip's directory is checked and every XML member streamed once for text longer
than any cell may be (:func:`routing.intake.xlsx.check_zip`,
:func:`~routing.intake.xlsx.scan_member`). ``content.xml`` is then parsed as a stream, a
row at a time. The format repeats a cell or a row rather than writing it again (LibreOffice
ends every sheet with a million empty rows written as one): blank cells and rows are
expanded only where something follows them, and never past a limit of
:mod:`routing.intake.limits`. Cells are read as their values, as ``.xlsx`` cells are
(:func:`~routing.intake.xlsx.cell_text`): numbers without their display format, dates
as ``2026-12-05``, times as ``10:30``.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from routing.errors import InputError, InputProblem
from routing.intake.limits import MAX_COLUMNS, MAX_RECORDS, Budget, quote_all, refuse_file
from routing.intake.xlsx import MAX_ROW_CELLS, cell_text, check_zip, scan_member

#: What an ``.ods`` file is, in the messages that refuse one.
ODS = "an OpenDocument .ods spreadsheet"
_MIME = b"application/vnd.oasis.opendocument.spreadsheet"

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_DURATION = re.compile(r"-?PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.\d*)?S)?")


def is_ods(data: bytes) -> bool:
    """Whether ``data`` is an OpenDocument spreadsheet: a zip whose first member, stored as
    the format requires, is its ``mimetype``."""
    return data[:4] == b"PK\x03\x04" and data[30:38] == b"mimetype" and _MIME in data[38:120]


def read_ods(data: bytes, name: str, sheet: str | None) -> tuple[list[list[str]], str, list[str]]:
    """The records (rows of cells as text) of one sheet, the sheet's name and every sheet's.

    ``sheet`` ``None`` reads the first. Raises :class:`InputError` for a file that is no
    such spreadsheet, an unknown sheet, or one over a limit.
    """
    zf = check_zip(data, name, ODS)
    try:
        for info in zf.infolist():
            if info.filename.endswith(".xml"):
                with zf.open(info) as stream:
                    fault = scan_member(stream, worksheet=False)
                if fault:
                    raise refuse_file(name, f"{fault} ({info.filename}); not a delivery list")
        with zf.open("content.xml") as stream:
            names, title, records = _read_content(stream, name, sheet)
    except KeyError:
        raise refuse_file(name, f"cannot open it as {ODS} (no content.xml)") from None
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError) as e:
        raise refuse_file(name, f"cannot open it as {ODS} ({type(e).__name__})") from None
    finally:
        zf.close()
    if sheet is not None and sheet not in names:
        raise InputError(InputProblem("sheet", sheet, f"no such sheet; sheets: {quote_all(names)}"))
    if title is None:
        raise refuse_file(name, "the spreadsheet has no sheet")
    return records, title, names


def ods_sheet_names(data: bytes, name: str) -> list[str]:
    """The spreadsheet's sheet names in order."""
    return read_ods(data, name, None)[2]


def _read_content(
    stream: Any, name: str, sheet: str | None
) -> tuple[list[str], str | None, list[list[str]]]:
    """Every sheet's name; the name and records of ``sheet`` (or of the first)."""
    names: list[str] = []
    title: str | None = None
    records: list[list[str]] = []
    budget: Budget | None = None
    reading = False
    blank_rows = 0  # blank rows not yet kept: kept only when a row follows them
    parents: list[ElementTree.Element] = []
    for event, el in ElementTree.iterparse(stream, events=("start", "end")):
        if event == "start":
            parents.append(el)
            if el.tag == f"{_TABLE}table":
                names.append(str(el.get(f"{_TABLE}name") or f"Sheet{len(names) + 1}"))
                reading = title is None and (sheet is None or names[-1] == sheet)
                if reading:
                    title = names[-1]
                    label = name if len(names) == 1 else f"{name}, sheet {title!r}"
                    budget = Budget(label)
            continue
        parents.pop()
        if el.tag == f"{_TABLE}table-row":
            if reading and budget is not None:
                cells = _row_cells(el, name)
                times = min(_repeat(el, "number-rows-repeated"), MAX_RECORDS + 1)
                if not any(c.strip() for c in cells):
                    blank_rows = min(blank_rows + times, MAX_RECORDS + 1)
                else:
                    for _ in range(blank_rows):
                        budget.take([])
                        records.append([])
                    blank_rows = 0
                    for _ in range(times):
                        budget.take(cells)
                        records.append(list(cells))
            el.clear()
            if parents:
                parents[-1].remove(el)  # a row read is a row forgotten: memory stays a row
        elif el.tag == f"{_TABLE}table":
            reading = False
    return names, title, records


def _repeat(el: ElementTree.Element, attribute: str) -> int:
    try:
        return max(1, int(el.get(f"{_TABLE}{attribute}") or 1))
    except ValueError:
        return 1


def _row_cells(row: ElementTree.Element, name: str) -> list[str]:
    """The row's cells as text; blank cells kept only where a cell with text follows."""
    cells: list[str] = []
    pending = 0
    written = 0
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        written += 1
        if written > MAX_ROW_CELLS:
            reason = f"a row of more than {MAX_ROW_CELLS:,} cells; not a delivery list"
            raise refuse_file(name, reason)
        text = _cell_text(cell)
        times = min(_repeat(cell, "number-columns-repeated"), MAX_COLUMNS + 1)
        if not text.strip():
            pending = min(pending + times, MAX_COLUMNS + 1)
            continue
        cells.extend([""] * pending)
        pending = 0
        cells.extend([text] * times)
        if len(cells) > MAX_COLUMNS:
            break  # the budget refuses the row, saying its width
    return cells


def _cell_text(cell: ElementTree.Element) -> str:
    """A cell's value as :func:`~routing.intake.xlsx.cell_text` writes an ``.xlsx`` one's."""
    kind = cell.get(f"{_OFFICE}value-type")
    value: Any = None
    if kind in ("float", "percentage", "currency"):
        try:
            value = float(cell.get(f"{_OFFICE}value") or "")
        except ValueError:
            value = None
    elif kind == "date":
        text = cell.get(f"{_OFFICE}date-value") or ""
        try:
            value = dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
        except ValueError:
            value = None
    elif kind == "time":
        m = _DURATION.fullmatch(cell.get(f"{_OFFICE}time-value") or "")
        if m:
            h, mi, _ = (int(x or 0) for x in m.groups())
            value = dt.time(h % 24, mi % 60)
    elif kind == "boolean":
        value = (cell.get(f"{_OFFICE}boolean-value") or "").lower() == "true"
    if value is not None:
        return cell_text(value)
    return "\n".join(_paragraph(p) for p in cell if p.tag == f"{_TEXT}p")  # not a comment's


def _paragraph(p: ElementTree.Element) -> str:
    """A paragraph's text: spans and links read through, ``<text:s c="3"/>`` as three
    spaces, tabs and line breaks as written."""
    return "".join(_pieces(p))


def _pieces(el: ElementTree.Element) -> Iterator[str]:
    if el.text:
        yield el.text
    for child in el:
        if child.tag == f"{_TEXT}s":
            yield " " * _count(child.get(f"{_TEXT}c"))
        elif child.tag == f"{_TEXT}tab":
            yield "\t"
        elif child.tag == f"{_TEXT}line-break":
            yield "\n"
        elif child.tag != f"{_TEXT}note" and not child.tag.startswith(_OFFICE):
            yield from _pieces(child)  # a span, a link: their text (not a comment's)
        if child.tail:
            yield child.tail


def _count(text: str | None) -> int:
    try:
        return min(max(1, int(text or 1)), 1000)
    except ValueError:
        return 1
