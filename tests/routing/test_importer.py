"""Spreadsheet import: formats, headers, values as people write them, and the problems report."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from routing.errors import InputError
from routing.geocoding.offline import OfflineGeocoder
from routing.intake.cells import parse_count, parse_languages, parse_windows
from routing.intake.deliveries import import_deliveries
from routing.intake.roster import import_drivers
from routing.intake.tables import read_table
from routing.model import format_hhmm
from routing.roads.area import load_area

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DEMO = ROOT / "data" / "demo"


@pytest.fixture(scope="module")
def geocoder() -> OfflineGeocoder:
    """The offline geocoder of the committed demo area."""
    return OfflineGeocoder.from_area(load_area("queens-village"))


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


# --- values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10-12", ["10:00-12:00"]),
        ("10am-12pm", ["10:00-12:00"]),
        ("10:00–12:00", ["10:00-12:00"]),
        ("10:00 - 12:00", ["10:00-12:00"]),
        ("9:30-11:30", ["09:30-11:30"]),
        ("10-12pm", ["10:00-12:00"]),
        ("1-3pm", ["13:00-15:00"]),
        ("12-2", ["12:00-14:00"]),
        ("11-1", ["11:00-13:00"]),
        ("after 3pm", ["15:00-24:00"]),
        ("after 3", ["15:00-24:00"]),
        ("before noon", ["00:00-12:00"]),
        ("morning", ["09:00-12:00"]),
        ("afternoon", ["12:00-17:00"]),
        ("de 10 a 12", ["10:00-12:00"]),
        ("después de las 3", ["15:00-24:00"]),
        ("10-12 or 2-4", ["10:00-12:00", "14:00-16:00"]),
        ("9 to 11", ["09:00-11:00"]),
        ("around 11am", ["10:00-12:00"]),
        ("Sat 10-12", ["10:00-12:00"]),
        ("sábado de 10 a 12", ["10:00-12:00"]),
        ("anytime", []),
        ("", []),
    ],
)
def test_windows_as_people_write_them(text: str, expected: list[str]) -> None:
    """Time windows in the forms dispatchers actually meet become exact spans."""
    assert [str(w) for w in parse_windows(text)] == expected


@pytest.mark.parametrize("text", ["whenever after lunch", "25-26", "10:75-11", "soon"])
def test_unreadable_windows_raise(text: str) -> None:
    """Text that is not a time window raises ValueError rather than guessing."""
    with pytest.raises(ValueError):
        parse_windows(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2", 2),
        ("2 bags", 2),
        ("2.0", 2),
        ("two", 2),
        ("dos cajas", 2),
        ("3 (large)", 3),
        ("lots", None),
        ("", None),
    ],
)
def test_box_counts(text: str, expected: int | None) -> None:
    """Box counts are read from numbers, numbers with units, and number words."""
    assert parse_count(text) == expected


def test_languages_to_codes() -> None:
    """Language names in several spellings and scripts map to ISO codes, in order."""
    assert parse_languages("Haitian Creole, English") == ["ht", "en"]
    assert parse_languages("Español / Kreyòl") == ["es", "ht"]
    assert parse_languages("Bangla") == ["bn"]
    assert parse_languages("বাংলা") == ["bn"]
    assert parse_languages("Klingon") == ["klingon"]


# --- the hand-made messy spreadsheet ------------------------------------------------------

#: row -> (status, precision, [(column, severity, words in the reason)])
MESSY_EXPECTED: dict[int, tuple[str, str, list[tuple[str, str, str]]]] = {
    2: ("ok", "exact", []),
    3: ("ok", "exact", []),
    5: ("error", "not_found", [("Street address", "error", "not found")]),
    6: ("warning", "street", [("Street address", "warning", "street only")]),
    7: ("warning", "exact", [("Street address", "warning", "same address and unit as row 3")]),
    8: ("warning", "exact", [("Teléfono", "warning", "same phone as row 2")]),
    9: (
        "warning",
        "exact",
        [("Cajas", "warning", "1 assumed"), ("Horario", "warning", "could not read")],
    ),
    10: ("ok", "given", []),
    11: ("error", "", [("lat", "error", "outside the area")]),
    12: ("error", "outside_area", [("Street address", "error", "postcode 10118")]),
    13: ("ok", "exact", []),
    14: (
        "error",
        "",
        [("Street address", "error", "no address"), ("Cajas", "warning", "no number of boxes")],
    ),
    15: ("ok", "exact", []),
}


@pytest.mark.parametrize("name", ["messy_deliveries.csv", "messy_deliveries.xlsx"])
def test_messy_spreadsheet_report(name: str, geocoder: OfflineGeocoder) -> None:
    """The hand-made messy list gives exactly the expected report, in CSV and in XLSX."""
    result = import_deliveries(FIXTURES / name, geocoder=geocoder)
    assert result.blank_rows == 2
    got = {
        r.row: (r.status, r.precision, [(p.field, p.severity, p.reason) for p in r.problems])
        for r in result.rows
    }
    assert sorted(got) == sorted(MESSY_EXPECTED)
    for row, (status, precision, problems) in MESSY_EXPECTED.items():
        g_status, g_precision, g_problems = got[row]
        assert (g_status, g_precision) == (status, precision), row
        assert len(g_problems) == len(problems), (row, g_problems)
        for (field, severity, words), (g_field, g_severity, g_reason) in zip(
            problems, g_problems, strict=True
        ):
            assert (g_field, g_severity) == (field, severity), row
            assert words in g_reason, (row, g_reason)
    s = result.summary
    assert (s.rows, s.placed, s.warnings, s.errors) == (13, 9, 4, 4)
    # Nothing lost: every non-blank row is a stop (placed or not).
    assert [st.row for st in result.stops] == sorted(MESSY_EXPECTED)


def test_messy_spreadsheet_values(geocoder: OfflineGeocoder) -> None:
    """Units come out of the address, windows and boxes are read, languages coded."""
    stops = {
        s.row: s
        for s in import_deliveries(FIXTURES / "messy_deliveries.csv", geocoder=geocoder).stops
    }
    assert (stops[2].unit, stops[2].boxes, [str(w) for w in stops[2].windows]) == (
        "2B",
        2,
        ["10:00-12:00"],
    )
    assert (stops[3].address, stops[3].unit, stops[3].boxes) == ("20616 hollis avenue", "#3", 2)
    assert stops[3].language == "ht"
    assert stops[13].unit == "Basement"
    assert stops[8].windows[0].end_s == 13 * 3600  # "11-1"
    assert stops[10].precision == "given" and stops[10].location is not None
    assert stops[5].location is None and stops[5].precision == ""
    assert stops[2].id == "2" and stops[2].row == 2


def test_xlsx_sheets(geocoder: OfflineGeocoder) -> None:
    """A sheet can be chosen by name; an unknown name lists the sheets."""
    path = FIXTURES / "messy_deliveries.xlsx"
    assert len(import_deliveries(path, sheet="Deliveries").rows) == 13
    with pytest.raises(InputError) as e:
        import_deliveries(path, sheet="Week 3")
    assert "'Deliveries', 'Notes'" in str(e.value)


def test_report_json_shape(geocoder: OfflineGeocoder) -> None:
    """to_json() has the documented keys and round-trips through json."""
    result = import_deliveries(FIXTURES / "messy_deliveries.csv", geocoder=geocoder)
    body = json.loads(result.to_json())
    assert set(body) == {"kind", "summary", "columns", "ignored_columns", "rows", "problems"}
    assert body["summary"] == {"rows": 13, "placed": 9, "warnings": 4, "errors": 4, "blank_rows": 2}
    assert body["columns"]["address"] == "Street address"
    assert body["columns"]["postcode"] == "Zip code"
    row = body["rows"][0]
    assert set(row) == {
        "row",
        "id",
        "status",
        "precision",
        "score",
        "matched",
        "lat",
        "lon",
        "suggestion",
        "problems",
    }
    assert row["lat"] == pytest.approx(40.7078, abs=1e-3)
    assert body["rows"][2]["problems"][0]["row"] == 5


# --- formats, encodings, headers ---------------------------------------------------------


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


def test_google_forms_export(geocoder: OfflineGeocoder) -> None:
    """Timestamp column and long question headers are recognised; the rest is ignored."""
    data = _csv(
        [
            [
                "Timestamp",
                "Email Address",
                "What is your full name?",
                "What is your home address?",
                "Apartment / unit number",
                "ZIP code",
                "Phone number",
                "How many boxes do you need?",
                "What time works best for delivery?",
                "Anything else we should know?",
            ],
            [
                "2026/11/20 9:14:03 AM EST",
                "ana@example.org",
                "Ana Ruiz",
                "206-16 Hollis Avenue",
                "1F",
                "11429",
                "718-555-0131",
                "2",
                "10am-12pm",
                "knock loud",
            ],
        ]
    )
    result = import_deliveries(data, filename="form.csv", geocoder=geocoder)
    assert result.columns == {
        "email": "Email Address",
        "name": "What is your full name?",
        "address": "What is your home address?",
        "unit": "Apartment / unit number",
        "postcode": "ZIP code",
        "phone": "Phone number",
        "boxes": "How many boxes do you need?",
        "window": "What time works best for delivery?",
        "notes": "Anything else we should know?",
    }
    assert result.ignored_columns == ["Timestamp"]
    stop = result.stops[0]
    assert (stop.recipient, stop.unit, stop.boxes, stop.precision) == ("Ana Ruiz", "1F", 2, "exact")


def test_first_and_last_name_columns() -> None:
    """First name + Last name make the recipient."""
    data = _csv([["First name", "Last name", "Address"], ["Ana", "Ruiz", "1 Main St"]])
    assert import_deliveries(data, filename="x.csv").stops[0].recipient == "Ana Ruiz"


def test_unrecognised_address_column_says_how_to_map() -> None:
    """With no address column, the error lists the headers and the --columns syntax."""
    data = _csv([["Who", "Where do you live?"], ["Ana", "206-16 Hollis Ave"]])
    with pytest.raises(InputError) as e:
        import_deliveries(data, filename="x.csv")
    message = str(e.value)
    assert "'Who', 'Where do you live?'" in message
    assert '--columns address="Your header"' in message


def test_columns_mapping(geocoder: OfflineGeocoder) -> None:
    """An explicit mapping names the column; a wrong one is reported clearly."""
    data = _csv([["Who", "Where do you live?"], ["Ana", "206-16 Hollis Ave"]])
    result = import_deliveries(
        data,
        filename="x.csv",
        geocoder=geocoder,
        columns={"address": "where do you live?", "name": "Who"},
    )
    assert result.stops[0].precision == "exact"
    with pytest.raises(InputError) as e:
        import_deliveries(data, filename="x.csv", columns={"address": "Home"})
    assert "no column headed 'Home'" in str(e.value)
    with pytest.raises(InputError) as e:
        import_deliveries(data, filename="x.csv", columns={"colour": "Who"})
    assert "unknown field 'colour'" in str(e.value)


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


def test_lat_lon_columns_place_rows_without_address() -> None:
    """Rows with lat/lon are placed as given, even with no geocoder."""
    data = _csv(
        [
            ["Name", "Address", "Latitude", "Longitude"],
            ["A", "", "40.7073", "-73.7505"],
            ["B", "1 Main St", "", ""],
            ["C", "2 Main St", "forty", "-73.75"],
        ]
    )
    result = import_deliveries(data, filename="x.csv")
    a, b, c = result.stops
    assert a.precision == "given" and a.location is not None
    assert b.location is None and result.rows[1].status == "ok"  # nothing to place it with
    assert c.location is None
    assert result.rows[2].problems[0].field == "Latitude"


def test_duplicate_ids_are_kept_apart() -> None:
    """Two rows with the same id both become stops, the second renamed and warned about."""
    data = _csv([["ID", "Address"], ["7", "1 Main St"], ["7", "2 Main St"]])
    result = import_deliveries(data, filename="x.csv")
    assert [s.id for s in result.stops] == ["7", "7-row3"]
    assert "same id as row 2" in result.problems[0].reason


def test_extra_cells_beyond_headers_are_reported() -> None:
    """A value in a column with no header is reported, not silently dropped."""
    data = b"Name,Address\nA,1 Main St,extra note\n"
    result = import_deliveries(data, filename="x.csv")
    assert result.problems[0].value == "extra note"


# --- the sample week ---------------------------------------------------------------------


def test_demo_deliveries(geocoder: OfflineGeocoder) -> None:
    """The sample week reads as about 120 households at real addresses, a few deliberately bad."""
    result = import_deliveries(DEMO / "deliveries.csv", geocoder=geocoder)
    s = result.summary
    assert s.rows == 120 and s.blank_rows == 2
    assert s.placed == 118 and s.errors == 2
    bad = {r.precision for r in result.rows if r.status == "error"}
    assert bad == {"not_found", "outside_area"}
    assert sum(1 for r in result.rows if r.precision == "street") == 1
    assert any(s.unit for s in result.stops)
    assert any(s.windows for s in result.stops)
    assert all(1 <= s.boxes <= 4 for s in result.stops)
    assert len({s.id for s in result.stops}) == 120


def test_demo_drivers(geocoder: OfflineGeocoder) -> None:
    """The roster gives 12 drivers with hours within a morning, some ending at home."""
    result = import_drivers(DEMO / "drivers.csv", geocoder=geocoder)
    assert result.ok and len(result.drivers) == 12
    assert all(d.shift.start_s >= 8 * 3600 and d.shift.end_s <= 14 * 3600 for d in result.drivers)
    home = [d for d in result.drivers if d.end == "home"]
    assert home and all(d.home is not None for d in home)
    assert {"ht", "es", "bn"} <= set().union(*(d.languages for d in result.drivers))
    assert {d.profile for d in result.drivers} == {"drive", "bike"}
    deliveries = import_deliveries(DEMO / "deliveries.csv", geocoder=geocoder)
    boxes = sum(s.boxes for s in deliveries.stops)
    assert sum(d.capacity_boxes for d in result.drivers) >= boxes


def test_demo_hub() -> None:
    """The hub is a real place in the demo area."""
    hub = json.loads((DEMO / "hub.json").read_text(encoding="utf-8"))
    assert set(hub) == {"id", "name", "address", "lat", "lon"}
    s, w, n, e = load_area("queens-village").bbox
    assert s <= hub["lat"] <= n and w <= hub["lon"] <= e


# --- drivers -----------------------------------------------------------------------------


def test_driver_roster_values(geocoder: OfflineGeocoder) -> None:
    """Windows, ends, vehicles and languages are read as written; faults are reported."""
    data = _csv(
        [
            [
                "Volunteer",
                "Cell",
                "How many boxes fit?",
                "Hours",
                "Home address",
                "Ends at",
                "Speaks",
                "Vehicle",
            ],
            [
                "Ana",
                "718-555-0101",
                "20",
                "9-13",
                "206-16 Hollis Ave, 11429",
                "home",
                "Spanish, English",
                "minivan",
            ],
            ["Bo", "718-555-0102", "", "09:00-13:00", "", "hub", "", "car"],
            ["Cy", "718-555-0103", "12", "after 10", "", "home", "", "cargo bike"],
            [
                "Di",
                "718-555-0104",
                "8",
                "9am-1pm",
                "123 Nonexistent Street",
                "back to hub",
                "Kreyòl",
                "skateboard",
            ],
        ]
    )
    result = import_drivers(data, filename="roster.csv", geocoder=geocoder)
    by_name = {d.name: d for d in result.drivers}
    assert set(by_name) == {"Ana", "Cy", "Di"}
    ana = by_name["Ana"]
    assert (ana.capacity_boxes, str(ana.shift), ana.end, ana.profile) == (
        20,
        "09:00-13:00",
        "home",
        "drive",
    )
    assert ana.home is not None and ana.languages == frozenset({"es", "en"})
    assert by_name["Cy"].end == "hub" and by_name["Cy"].profile == "bike"  # no home known
    assert format_hhmm(by_name["Cy"].shift.end_s) == "24:00"
    assert by_name["Di"].profile == "drive" and by_name["Di"].home is None
    status = {r.row: r.status for r in result.rows}
    assert status == {2: "ok", 3: "error", 4: "warning", 5: "warning"}
    reasons = " | ".join(p.reason for p in result.problems)
    assert "no capacity" in reasons and "home address not found" in reasons
    assert "car, bike or walk" in reasons


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


def test_driver_start_column(geocoder: OfflineGeocoder) -> None:
    """A Start column says home or hub, or gives the address the driver sets out from."""
    data = _csv(
        [
            ["Name", "Capacity", "Hours", "Start", "End"],
            ["A", "10", "9-12", "home", "home"],
            ["B", "10", "9-12", "206-16 Hollis Ave", "anywhere"],
            ["C", "10", "9-12", "hub", "hub"],
        ]
    )
    result = import_drivers(data, filename="x.csv", geocoder=geocoder)
    a, b, c = result.drivers
    assert (a.start, a.end) == ("hub", "hub")  # no home known: the hub, with a warning
    assert "no home address" in result.problems[0].reason
    assert (b.start, b.end, b.home_address) == ("home", "anywhere", "206-16 Hollis Ave")
    assert b.home is not None
    assert (c.start, c.end) == ("hub", "hub")


def test_duplicates_compare_units_loosely(geocoder: OfflineGeocoder) -> None:
    """'Apt 2B' in the address and '2B' in the Apt column are the same door; '3A' is not."""
    data = _csv(
        [
            ["Name", "Address", "Apt"],
            ["A", "206-16 Hollis Ave Apt 2B", ""],
            ["B", "20616 Hollis Avenue", "2B"],
            ["C", "206-16 Hollis Ave", "3A"],
        ]
    )
    result = import_deliveries(data, filename="x.csv", geocoder=geocoder)
    assert [(p.row, p.reason) for p in result.problems] == [(3, "same address and unit as row 2")]
    assert len(result.stops) == 3


def test_title_rows_above_the_headers() -> None:
    """A title above the headers is skipped with a warning, and row numbers stay true."""
    data = b"Saturday deliveries - week 47,,\n,,\nName,Address,Boxes\nA,206-16 Hollis Ave,2\n"
    result = import_deliveries(data, filename="x.csv")
    assert result.columns == {"name": "Name", "address": "Address", "boxes": "Boxes"}
    assert [r.row for r in result.rows] == [4]
    (title,) = result.problems
    assert (title.row, title.severity, title.value) == (
        1,
        "warning",
        "Saturday deliveries - week 47",
    )


def test_house_number_in_its_own_column(geocoder: OfflineGeocoder) -> None:
    """'House number' + 'Street' columns (or 'Número' + 'Calle') make one address."""
    data = _csv([["Name", "House number", "Street", "Zip"], ["A", "206-16", "Hollis Ave", "11429"]])
    stop = import_deliveries(data, filename="x.csv", geocoder=geocoder).stops[0]
    assert (stop.address, stop.precision) == ("206-16 Hollis Ave", "exact")


# --- review fixes: row status matches whether the row can be planned ----------------------


def test_lat_lon_outside_area_falls_back_to_the_address(geocoder: OfflineGeocoder) -> None:
    """Coordinates outside the area with a good address: a warning, placed by the address.

    The row is plannable, so it must not count as an error (``import check`` exits 0).
    """
    data = _csv(
        [
            ["Name", "Address", "Zip", "lat", "lon"],
            ["A", "203-06 109th Ave", "11412", "51.5074", "-0.1278"],
        ]
    )
    result = import_deliveries(data, filename="x.csv", geocoder=geocoder)
    (report,) = result.rows
    (problem,) = report.problems
    assert (report.status, report.precision, problem.severity) == ("warning", "exact", "warning")
    assert problem.reason.endswith("; the address is used instead")
    assert result.stops[0].location is not None and result.ok


@pytest.mark.parametrize(("lat", "lon"), [("51.5074", "-0.1278"), ("999", "-73.75")])
def test_unusable_lat_lon_without_address_is_an_error(
    geocoder: OfflineGeocoder, lat: str, lon: str
) -> None:
    """Unusable coordinates and no address: the stop cannot be placed, so the row is an error
    (kept as an unplaced stop, like any row whose address is not found)."""
    data = _csv([["Name", "Address", "lat", "lon"], ["A", "", lat, lon]])
    result = import_deliveries(data, filename="x.csv", geocoder=geocoder)
    (report,) = result.rows
    assert report.status == "error" and not result.ok
    assert "cannot be placed" in report.problems[0].reason
    assert result.stops[0].location is None


def test_driver_home_outside_area_uses_the_home_address(geocoder: OfflineGeocoder) -> None:
    """A driver's home lat/lon outside the area is a warning; the driver is still built."""
    data = _csv(
        [
            ["Name", "Capacity", "Hours", "Home address", "lat", "lon"],
            ["Ana", "10", "9-13", "203-06 109th Ave", "51.5", "-0.12"],
            ["Bo", "10", "9-13", "", "51.5", "-0.12"],
        ]
    )
    result = import_drivers(data, filename="d.csv", geocoder=geocoder)
    assert [r.status for r in result.rows] == ["warning", "warning"]
    ana, bo = result.drivers
    assert ana.home is not None and bo.home is None
    assert result.rows[0].problems[0].reason.endswith("the home address is used instead")


@pytest.mark.parametrize(
    ("text", "boxes", "severity", "words"),
    [
        ("2.5", 3, "warning", "2.5 boxes read as 3"),
        ("1.2 bags", 2, "warning", "1.2 boxes read as 2"),
        ("lots", 1, "warning", "1 assumed"),
        ("25", 25, "warning", "unusually many"),
        ("-3", None, "error", "negative number of boxes"),
        ("1e9", None, "error", "more than 200 boxes"),
        ("250", None, "error", "more than 200 boxes"),
        ("1e309", None, "error", "more than 200 boxes"),
    ],
)
def test_unusable_box_counts_are_not_silently_one(
    text: str, boxes: int | None, severity: str, words: str
) -> None:
    """Fractions round up with a warning; negative or absurd counts are errors naming the
    row, column and value, and the row gives no stop (reported, never planned as 1 box)."""
    data = _csv([["Name", "Address", "Boxes"], ["A", "1 Main St", text]])
    result = import_deliveries(data, filename="x.csv")
    (problem,) = result.rows[0].problems
    assert (problem.row, problem.field, problem.value, problem.severity) == (
        2,
        "Boxes",
        text,
        severity,
    )
    assert words in problem.reason
    assert [s.boxes for s in result.stops] == ([] if boxes is None else [boxes])
    assert result.ok == (severity == "warning")


@pytest.mark.parametrize(
    ("text", "expected", "noted"),
    [
        ("12-10", ["12:00-22:00"], True),
        ("9-9", ["09:00-21:00"], True),
        ("10-2", ["10:00-14:00"], False),
        ("11-1", ["11:00-13:00"], False),
        ("10-12", ["10:00-12:00"], False),
    ],
)
def test_windows_shifted_by_twelve_hours_are_noted(
    text: str, expected: list[str], noted: bool
) -> None:
    """An end moved 12 h later to make the window valid is said; "10-2" reads silently."""
    notes: list[str] = []
    assert [str(w) for w in parse_windows(text, notes)] == expected
    assert bool(notes) == noted
    if noted:
        assert f"read as {expected[0]}" in notes[0] and "to be sure" in notes[0]


def test_shifted_window_is_a_warning_on_the_row() -> None:
    """The importer shows how "12-10" was read, on the window column, for stops and drivers."""
    deliveries = import_deliveries(
        _csv(
            [["Name", "Address", "Window"], ["A", "1 Main St", "12-10"], ["B", "2 Main St", "10-2"]]
        ),
        filename="x.csv",
    )
    a, b = deliveries.rows
    assert [(p.field, p.value, p.severity) for p in a.problems] == [("Window", "12-10", "warning")]
    assert "read as 12:00-22:00" in a.problems[0].reason
    assert b.problems == ()
    drivers = import_drivers(
        _csv([["Name", "Capacity", "Hours"], ["Ana", "10", "12-10"]]), filename="d.csv"
    )
    assert "read as 12:00-22:00" in drivers.rows[0].problems[0].reason


def test_unplaced_stops_come_with_a_fix(geocoder: OfflineGeocoder) -> None:
    """Every stop left without a location has a fix sentence, by stop id; placed ones none."""
    data = _csv(
        [
            ["ID", "Name", "Address", "Zip", "lat", "lon"],
            ["a", "A", "7 Francis Lane", "", "", ""],
            ["b", "B", "", "", "51.5", "-0.12"],
            ["c", "C", "203-06 109th Ave", "11412", "", ""],
        ]
    )
    result = import_deliveries(data, filename="x.csv", geocoder=geocoder)
    assert "closest: Francis Lewis Boulevard" in result.rows[0].problems[0].reason
    assert result.rows[0].suggestion == (
        "Check the street name: did you mean Francis Lewis Boulevard? Or give lat/lon."
    )
    assert result.suggestions == {
        "a": result.rows[0].suggestion,
        "b": "Add the address, or lat/lon inside the area.",
    }
    assert result.rows[2].suggestion == ""
