"""Reading files: encodings, delimiters, Excel sheets and cells, files that are not spreadsheets."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from routing.errors import InputError
from routing.geocoding.offline import OfflineGeocoder
from routing.intake.deliveries import import_deliveries
from routing.intake.tables import read_table
from tests.helpers.intake import FIXTURES


def test_encodings_are_detected() -> None:
    """UTF-8, UTF-8 with BOM, UTF-16 and Windows-1252 files read the same."""
    text = "Nombre,Dirección,Teléfono\nJosé Peña,206-16 Hollis Ave,718-555-0101\n"
    for enc in ("utf-8", "utf-8-sig", "utf-16", "cp1252"):
        table = read_table(text.encode(enc), filename="x.csv")
        assert table.headers == ["Nombre", "Dirección", "Teléfono"], enc
        assert table.rows[0][1][0] == "José Peña", enc


def test_tsv_and_semicolons() -> None:
    """Tab- and semicolon-separated files are recognised."""
    tsv = read_table(b"Name\tAddress\nA\t1 Main St, Apt 2\n", filename="x.tsv")
    assert tsv.rows[0][1] == ["A", "1 Main St, Apt 2"]
    semi = read_table(b"Name;Address\nA;1 Main St, Apt 2\n", filename="x.csv")
    assert semi.rows[0][1] == ["A", "1 Main St, Apt 2"]


def test_xlsx_sheets(geocoder: OfflineGeocoder) -> None:
    """A sheet can be chosen by name; an unknown name lists the sheets."""
    path = FIXTURES / "messy_deliveries.xlsx"
    assert len(import_deliveries(path, sheet="Deliveries").rows) == 13
    with pytest.raises(InputError) as e:
        import_deliveries(path, sheet="Week 3")
    assert "'Deliveries', 'Notes'" in str(e.value)


def test_xlsx_cell_types(tmp_path: Path) -> None:
    """Excel numbers, times and dates become the text a person sees in the cell."""
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Address", "Zip", "Boxes", "From", "To", "Urgent"])
    sheet.append(["Ana", "206-16 Hollis Ave", 11429, 2.0, dt.time(10, 0), dt.time(12, 30), True])
    path = tmp_path / "list.xlsx"
    book.save(path)
    stop = import_deliveries(path).stops[0]
    assert (stop.boxes, [str(w) for w in stop.windows], stop.urgent) == (2, ["10:00-12:30"], True)
    assert read_table(path).rows[0][1][2] == "11429"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"Name,Address\n", "only a header row"),
        (b"Name,Address\n,\n,\n", "only a header row"),
        (b"\x00\x01\x02\x03binary\xff\xfe\x00" * 50, "not a text spreadsheet"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04 not really a zip", "cannot open it as an Excel"),
    ],
)
def test_unreadable_files(data: bytes, words: str) -> None:
    """Files that are not spreadsheets raise InputError with a plain sentence."""
    with pytest.raises(InputError) as e:
        import_deliveries(data, filename="deliveries.csv")
    assert words in str(e.value)
