"""Excel ``.xlsx`` workbooks read as text, refused early and cheaply when hostile.

An ``.xlsx`` file is a zip of XML files, and a small zip can hold a lot: a 1 MB upload can
unpack into a 1 GiB cell, or into millions of rows or of cells in one row. Before openpyxl
parses anything, :func:`read_xlsx` checks the zip's directory (how many members, their
uncompressed sizes as the zip declares them: zipfile never unpacks more than declared) and
streams every XML member once through :func:`scan_member`, which refuses a text longer than
any cell may be and a row of more cells than any sheet needs. The rows then stream from
openpyxl's read-only reader through a :class:`~routing.intake.limits.Budget`, which stops at
the first row over a limit.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import struct
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from routing.errors import InputError, InputProblem
from routing.intake.limits import MAX_CELL_CHARS, MAX_RECORDS, Budget, quote_all, refuse_file

#: Uncompressed bytes of all the zip's members together.
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
#: Members of the zip (a workbook has a dozen or so, a few more per sheet).
MAX_MEMBERS = 1_000
#: Cells in one row of a sheet's XML, empty ones included.
MAX_ROW_CELLS = 2_000
#: Cells in a sheet's XML, empty ones included (20,000 rows of 50 columns).
MAX_SHEET_CELLS = 1_000_000
#: A text run in the XML longer than this is a cell over the limit (entities such as
#: ``&amp;`` make XML text longer than the cell, hence the margin).
_MAX_XML_RUN = 6 * MAX_CELL_CHARS
_CHUNK = 1 << 20
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_LONG_RUN = re.compile(rb"[^<]{%d}" % (_MAX_XML_RUN + 1))
_TOO_LONG = "a cell or a name holds more text than any cell may"
_TOO_WIDE = f"a row of more than {MAX_ROW_CELLS:,} cells"


#: What an ``.xlsx`` file is, in the messages that refuse one.
XLSX = "an Excel .xlsx workbook"


def _declared_members(data: bytes, name: str, what: str) -> int:
    """The member count the zip's end record declares, read before zipfile builds its
    directory (a zip of a million empty members would take that much memory)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        raise refuse_file(name, f"cannot open it as {what} (not a zip file)")
    (count,) = struct.unpack_from("<H", data, end + 10)
    return int(count)


def check_zip(data: bytes, name: str, what: str = XLSX) -> zipfile.ZipFile:
    """The workbook's zip (``what`` it should be, for the messages), once its directory is
    within the limits."""
    if _declared_members(data, name, what) > MAX_MEMBERS:
        reason = f"the workbook holds more than {MAX_MEMBERS} files; not a spreadsheet"
        raise refuse_file(name, reason)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise refuse_file(name, f"cannot open it as {what} ({type(e).__name__})") from None
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_MEMBERS or total > MAX_UNCOMPRESSED_BYTES:
        zf.close()
        raise refuse_file(
            name,
            f"the workbook unpacks to {total / 1e6:,.0f} MB; the limit is "
            f"{MAX_UNCOMPRESSED_BYTES / 1e6:.0f} MB: save only the sheet you need, as .xlsx or CSV",
        )
    return zf


def scan_member(stream: IO[bytes], worksheet: bool) -> str | None:
    """Stream one XML member; say what is wrong with it, or ``None``.

    Refuses a run of text longer than any cell may be and, in a worksheet, more rows or
    cells than any delivery list has (:data:`MAX_RECORDS` rows, :data:`MAX_ROW_CELLS` cells
    in a row, :data:`MAX_SHEET_CELLS` in all). Reads in chunks: memory stays one chunk.
    """
    carry = b""  # the unfinished segment: from the last "<" of the previous chunk
    rows = cells = row_cells = 0
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        last = chunk.rfind(b"<")
        if last < 0:
            carry += chunk
            if len(carry) > _MAX_XML_RUN:
                return _TOO_LONG
            continue
        done, carry = carry + chunk[:last], chunk[last:]
        if _LONG_RUN.search(done):
            return _TOO_LONG
        if not worksheet:
            continue
        starts = [m.start() for m in _ROW_TAG.finditer(done)]
        in_chunk = len(_CELL_TAG.findall(done))
        rows, cells = rows + len(starts), cells + in_chunk
        if rows > MAX_RECORDS:
            return f"a sheet of more than {MAX_RECORDS:,} rows"
        if cells > MAX_SHEET_CELLS:
            return f"a sheet of more than {MAX_SHEET_CELLS:,} cells"
        if not starts:
            row_cells += in_chunk
        else:
            row_cells += len(_CELL_TAG.findall(done, 0, starts[0]))
            if row_cells > MAX_ROW_CELLS:
                break
            if in_chunk > MAX_ROW_CELLS:  # only then can a row inside this chunk be too wide
                for a, b in itertools.pairwise(starts):
                    if len(_CELL_TAG.findall(done, a, b)) > MAX_ROW_CELLS:
                        return _TOO_WIDE
            row_cells = len(_CELL_TAG.findall(done, starts[-1]))
        if row_cells > MAX_ROW_CELLS:
            break
    if row_cells > MAX_ROW_CELLS:
        return _TOO_WIDE
    if _LONG_RUN.search(carry):
        return _TOO_LONG
    return None


def _scan(zf: zipfile.ZipFile, name: str) -> None:
    for info in zf.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        try:
            with zf.open(info) as stream:
                fault = scan_member(stream, info.filename.startswith("xl/worksheets/"))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
            raise refuse_file(
                name, f"cannot open it as an Excel .xlsx workbook ({type(e).__name__})"
            ) from None
        if fault:
            raise refuse_file(name, f"{fault} ({info.filename}); not a delivery list")


def cell_text(value: Any) -> str:
    """An Excel cell's value as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) or value.date() <= dt.date(1900, 1, 1):
            return (
                value.date().isoformat() if value.time() == dt.time(0) else value.strftime("%H:%M")
            )
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def sheet_names(data: bytes, name: str) -> list[str]:
    """The workbook's sheet names in order, from its ``xl/workbook.xml``; ``[]`` when the
    file is no workbook. Raises :class:`InputError` for one over the limits."""
    from xml.etree import ElementTree

    zf = check_zip(data, name)
    try:
        _scan(zf, name)
        root = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
        return []
    finally:
        zf.close()
    return [str(e.get("name")) for e in root.iter() if e.tag.endswith("}sheet") and e.get("name")]


def read_xlsx(data: bytes, name: str, sheet: str | None) -> tuple[list[list[str]], str, list[str]]:
    """The records (rows of cells as text) of one sheet, the sheet's name and every sheet's.

    ``sheet`` ``None`` reads the first. Raises :class:`InputError` for a file that is not
    a workbook, an unknown sheet, or one over a limit (see :mod:`routing.intake.limits`).
    """
    import openpyxl

    zf = check_zip(data, name)
    try:
        _scan(zf, name)
    finally:
        zf.close()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as e:
        raise refuse_file(
            name, f"cannot open it as an Excel .xlsx workbook ({type(e).__name__})"
        ) from None
    try:
        names = list(book.sheetnames)
        if sheet is not None:
            if sheet not in names:
                raise InputError(
                    InputProblem("sheet", sheet, f"no such sheet; sheets: {quote_all(names)}")
                )
            ws = book[sheet]
        else:
            ws = book.worksheets[0]
        title = str(ws.title)
        reset = getattr(ws, "reset_dimensions", None)
        if reset is not None:
            reset()  # never pad rows to a width the file merely declares
        budget = Budget(name if title == names[0] else f"{name}, sheet {title!r}")
        records = list(_records(ws.iter_rows(values_only=True), budget))
    except InputError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, TypeError, ValueError, EOFError) as e:
        raise refuse_file(name, f"cannot read the sheet ({type(e).__name__})") from None
    finally:
        book.close()
    return records, title, names


def _records(rows: Iterator[tuple[Any, ...]], budget: Budget) -> Iterator[list[str]]:
    """Rows as text, counted by ``budget``; a blank row as ``[]``."""
    for values in rows:
        cells = [cell_text(v) for v in values]
        budget.take(cells)
        yield cells if any(c.strip() for c in cells) else []
