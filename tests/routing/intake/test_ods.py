"""LibreOffice's .ods spreadsheets: read as text like an .xlsx workbook, within the limits."""

from __future__ import annotations

import io
import zipfile

import pytest

from routing.errors import InputError
from routing.intake.deliveries import import_deliveries
from routing.intake.tables import read_table, workbook_sheets
from tests.helpers.intake import FIXTURES

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
    "<office:body><office:spreadsheet>"
)
_TAIL = "</office:spreadsheet></office:body></office:document-content>"


def _ods(sheets: dict[str, str], member: str = "content.xml") -> bytes:
    """A spreadsheet as the format lays it out: the mimetype first and stored, then the
    content (``sheets``: name -> the table's rows as XML)."""
    body = "".join(
        f'<table:table table:name="{n}">{rows}</table:table>' for n, rows in sheets.items()
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        z.writestr(member, _HEAD + body + _TAIL)
    return buf.getvalue()


def _text(value: str, repeat: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    cell = f'<table:table-cell office:value-type="string"{times}>'
    return f"{cell}<text:p>{value}</text:p></table:table-cell>"


def _row(*cells: str, repeat: int = 1) -> str:
    times = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{times}>{''.join(cells)}</table:table-row>"


_EMPTY = "<table:table-cell/>"
_BLANK_TAIL = _row('<table:table-cell table:number-columns-repeated="1024"/>', repeat=1048553)


def test_values_as_a_person_sees_them() -> None:
    """Numbers without their format (a phone typed as a number), dates, times, yes/no,
    spaces written as <text:s>, spans, two paragraphs; a cell's comment is not its text;
    repeated cells and rows as many times as written; LibreOffice's million blank rows
    at the end read as nothing."""
    rows = (
        _row(_text("Name"), _text("Address"), _text("Phone"), _text("Window"), _text("Day"))
        + _row(
            _text("Ana <text:span>Ruiz</text:span>"),
            _text("98-12<text:s/>218th<text:s text:c='2'/>St"),
            '<table:table-cell office:value-type="float" office:value="7185550101">'
            "<text:p>(718) 555-0101</text:p></table:table-cell>",
            '<table:table-cell office:value-type="time" office:time-value="PT10H30M00S">'
            "<text:p>10:30 AM</text:p></table:table-cell>",
            '<table:table-cell office:value-type="date" office:date-value="2026-12-05">'
            "<text:p>12/05/26</text:p></table:table-cell>",
        )
        + _row(
            '<table:table-cell office:value-type="string"><office:annotation><text:p>'
            "checked by Rosa</text:p></office:annotation><text:p>Bo</text:p>"
            "<text:p>Chen</text:p></table:table-cell>",
            _EMPTY,
            _EMPTY,
            _text("10-12", repeat=2),
            repeat=2,
        )
        + _BLANK_TAIL
    )
    table = read_table(_ods({"Entregas": rows}), filename="list.ods")
    assert (table.format, table.sheet, table.headers) == (
        "ods",
        "Entregas",
        ["Name", "Address", "Phone", "Window", "Day"],
    )
    assert [cells for _, cells in table.rows] == [
        ["Ana Ruiz", "98-12 218th  St", "7185550101", "10:30", "2026-12-05"],
        ["Bo\nChen", "", "", "10-12", "10-12"],
        ["Bo\nChen", "", "", "10-12", "10-12"],
    ]


def test_a_sheet_is_chosen_by_its_name_and_found_by_what_it_holds() -> None:
    """Sheets are listed in order; ``sheet`` picks one; the deliveries are found on the
    sheet that holds them when the first holds instructions; an unknown sheet names them."""
    data = _ods(
        {
            "Read me": _row(_text("Fill in one row per household.")),
            "Deliveries": _row(_text("Name"), _text("Address"), _text("Boxes"))
            + _row(_text("Ana"), _text("98-12 218th St"), _text("2")),
        }
    )
    assert workbook_sheets(data, "list.ods") == ["Read me", "Deliveries"]
    assert read_table(data, filename="list.ods", sheet="Deliveries").rows[0][1][0] == "Ana"
    result = import_deliveries(data, filename="list.ods")
    assert [s.recipient for s in result.stops] == ["Ana"]
    with pytest.raises(InputError) as e:
        read_table(data, filename="list.ods", sheet="Hoja1")
    assert "sheets: 'Read me', 'Deliveries'" in str(e.value)


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        # A million rows of text (not blank): refused at the rows' limit, not expanded.
        (_row(_text("Name")) + _row(_text("x"), repeat=1_000_000), "rows"),
        # A row of a million cells of text.
        (_row(_text("Name"), _text("x", repeat=1_000_000)), "columns"),
        # One cell longer than any cell may be.
        (_row(_text("Name")) + _row(_text("x" * 40_000)), "more text than any cell"),
    ],
)
def test_hostile_spreadsheets_are_refused_in_words(rows: str, words: str) -> None:
    """Repeats that would unfold into millions of cells, or a cell too long, are refused
    as the limits say, without unfolding them."""
    with pytest.raises(InputError) as e:
        read_table(_ods({"Sheet1": rows}), filename="list.ods")
    assert words in str(e.value)


def _laughs() -> bytes:
    """Entities that unfold into a billion characters ("billion laughs"), in a document
    well-formed otherwise."""
    entities = "".join(f'<!ENTITY lol{i + 1} "{("&lol%s;" % (i or "")) * 10}">' for i in range(9))
    doctype = f'<!DOCTYPE d [<!ENTITY lol "lololololol">{entities}]>'
    declaration, rest = _HEAD.split("?>", 1)
    table = f'<table:table table:name="S">{_row(_text("&lol9;"))}</table:table>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", f"{declaration}?>{doctype}{rest}{table}{_TAIL}")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04 not really a zip", "cannot open it as an OpenDocument .ods spreadsheet"),
        (_laughs(), "cannot open it as an OpenDocument .ods spreadsheet (ParseError)"),
        (_ods({}, member="contents.xml"), "no content.xml"),
    ],
)
def test_a_broken_spreadsheet_is_said_in_words(data: bytes, words: str) -> None:
    with pytest.raises(InputError) as e:
        read_table(data, filename="list.ods")
    assert words in str(e.value)


@pytest.mark.parametrize("name", ["messy_deliveries", "clientes_despensa"])
def test_libreoffice_spreadsheets_read_as_their_excel_twins(name: str) -> None:
    """Workbooks saved as .ods by LibreOffice Calc (which ends each sheet with a million
    blank rows, and repeats cells) give the report and stops their .xlsx originals give."""
    ods = import_deliveries(FIXTURES / f"{name}.ods")
    xlsx = import_deliveries(FIXTURES / f"{name}.xlsx")
    assert ods.to_dict()["rows"] == xlsx.to_dict()["rows"]
    assert ods.stops == xlsx.stops and ods.stops
