"""Property tests: whatever a spreadsheet holds, the importer never crashes and loses no row."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from routing.errors import InputError
from routing.geocoding.normalize import parse_address, split_unit, street_key
from routing.intake.cells import parse_windows
from routing.intake.deliveries import import_deliveries, service_time_s
from routing.intake.duplicates import PLANNED_ONCE
from routing.intake.roster import import_drivers
from tests.helpers.intake import LAT, LON, csv_bytes

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


DELIVERY_HEADERS = [
    "Name",
    "Dirección",
    "Apt",
    "Zip",
    "Teléfono",
    "Boxes",
    "Horario",
    "Notas",
    "Idioma",
    "lat",
    "lon",
    "Timestamp",
]


DRIVER_HEADERS = [
    "Nombre",
    "Phone",
    "Capacity",
    "Available",
    "Home address",
    "End",
    "Languages",
    "Vehicle",
]


# Text a cell may hold: anything Windows-1252 can encode, plus the characters that make
# CSV quoting hard.
CELL_CHARS = st.characters(codec="cp1252", exclude_categories=["Cs", "Cc"]) | st.sampled_from(
    ["\n", ",", '"', ";", "\t", " ", "-", ":", "#"]
)


CELL = st.one_of(
    st.text(CELL_CHARS, max_size=25),
    st.sampled_from(
        [
            "",
            " ",
            "2",
            "2 bags",
            "lots",
            "10-12",
            "after 3pm",
            "9-13",
            "206-16 Hollis Ave",
            "Hollis Avenue",
            "123 Nonexistent St",
            "40.7073",
            "-73.7505",
            "11429",
            "home",
            "hub",
            "bike",
            "English, Spanish",
            "0",
            "-3",
            "1e309",
            "nan",
            "2.5",
            "1e9",
            "250",
        ]
    ),
)


def _sheet(draw: st.DrawFn, headers: list[str]) -> tuple[list[str], list[list[str]]]:
    """The headers in a random order and up to 12 rows, some of them blank."""
    order = draw(st.permutations(headers))
    n = draw(st.integers(min_value=0, max_value=12))
    rows = []
    for _ in range(n):
        if draw(st.booleans()) and draw(st.booleans()):
            rows.append([draw(st.sampled_from(["", " ", "  "])) for _ in order])
        else:
            rows.append([draw(CELL) for _ in order])
    return list(order), rows


@st.composite
def spreadsheets(draw: st.DrawFn, headers: list[str]) -> tuple[bytes, list[list[str]]]:
    """A CSV file as bytes (random header order, encoding, blank rows) and its rows."""
    order, rows = _sheet(draw, headers)
    buf = io.StringIO()
    csv.writer(buf).writerows([order, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return buf.getvalue().encode(encoding), rows


def _check_accounted(result, rows: list[list[str]], items: list) -> None:
    """Every non-blank row has a report, in order, and is an item or an error."""
    nonblank = [i + 2 for i, r in enumerate(rows) if any(c.strip() for c in r)]
    assert [r.row for r in result.rows] == nonblank
    assert result.blank_rows == len(rows) - len(nonblank)
    produced = {getattr(x, "row", None) for x in items}
    for report in result.rows:
        # Every row is an item or says why not: an error, or a household written twice.
        merged = any(PLANNED_ONCE in p.reason for p in report.problems)
        assert report.row in produced or report.status == "error" or merged
    assert result.summary.rows == len(nonblank)


# --- whole sheets ------------------------------------------------------------------------


def _twice() -> tuple[bytes, list[list[str]]]:
    """A household written twice (a case the random sheets find only now and then)."""
    row = ["Ana", "206-16 Hollis Ave", "", "11429", "", "2", "", "", "", "", "", ""]
    buf = io.StringIO()
    csv.writer(buf).writerows([DELIVERY_HEADERS, row, row])
    return buf.getvalue().encode(), [row, row]


@SETTINGS
@given(sheet=spreadsheets(DELIVERY_HEADERS))
@example(sheet=_twice())
def test_deliveries_never_crash_and_lose_nothing(geocoder, sheet) -> None:
    """Random header orders, encodings, blank rows and odd values: every row accounted for."""
    data, rows = sheet
    try:
        result = import_deliveries(data, filename="list.csv", geocoder=geocoder)
    except InputError as e:
        # Only a file with nothing below its header may be refused.
        assert not any(any(c.strip() for c in r) for r in rows), e
        return
    _check_accounted(result, rows, result.stops)
    # Deliveries keep even unplaceable rows as stops; only a box count that cannot be
    # guessed leaves a row out, with an error on that column, or a household written
    # twice (same name and address) is planned once, with a warning on both rows.
    by_row = {s.row: s for s in result.stops}
    assert len(by_row) == len(result.stops)
    for report in result.rows:
        stop = by_row.get(report.row)
        if stop is None:
            said = report.problems
            assert any(p.field == "Boxes" and p.severity == "error" for p in said) or any(
                PLANNED_ONCE in p.reason for p in said
            )
            assert report.lat is None
        else:
            assert (stop.location is None) == (report.lat is None)
            assert 0 <= stop.boxes <= 200
    result.to_json()


@SETTINGS
@given(sheet=spreadsheets(DRIVER_HEADERS))
def test_drivers_never_crash_and_lose_nothing(geocoder, sheet) -> None:
    """The roster importer accounts for every row too."""
    data, rows = sheet
    try:
        result = import_drivers(data, filename="roster.csv", geocoder=geocoder)
    except InputError:
        assert not any(any(c.strip() for c in r) for r in rows)
        return
    _check_accounted(result, rows, result.drivers)
    result.to_json()


# --- the constraint columns --------------------------------------------------------------


CONSTRAINT_CELL = st.one_of(
    st.text(CELL_CHARS, max_size=12),
    st.sampled_from(
        [
            "",
            "2",
            "2 bags",
            "yes",
            "no",
            "x",
            "-1",
            "1e9",
            "2.5",
            "90",
            "1.5 h",
            "1h30",
            "25 km",
            "10 mi",
            "Ana; Bo",
            "any",
            "lots",
            "0",
        ]
    ),
)


@SETTINGS
@given(rows=st.lists(st.lists(CONSTRAINT_CELL, min_size=4, max_size=4), min_size=1, max_size=6))
def test_new_delivery_columns_never_crash_and_lose_nothing(rows: list[list[str]]) -> None:
    """Whatever the new columns hold, every row is a stop or an error, and a stop's service
    time is its given minutes or the model's."""
    header = ["Boxes", "Frozen", "Stairs", "Never send"]
    data = [[LAT, LON, *r] for r in rows]
    result = import_deliveries(csv_bytes([["lat", "lon", *header], *data]), filename="d.csv")
    _check_accounted(result, data, result.stops)
    for s in result.stops:
        assert s.frozen >= 0
        assert s.service_s in (service_time_s(s.boxes), service_time_s(s.boxes, True))


@SETTINGS
@given(rows=st.lists(st.lists(CONSTRAINT_CELL, min_size=4, max_size=4), min_size=1, max_size=6))
def test_new_roster_columns_never_crash_and_lose_nothing(rows: list[list[str]]) -> None:
    """Whatever the new roster columns hold, every row is a driver or an error, and the
    limits are positive or absent."""
    header = ["Cooler bags", "Max minutes", "Max km", "Hub"]
    data = [["D", "20", "9-13", *r] for r in rows]
    result = import_drivers(
        csv_bytes([["Name", "Capacity", "Available", *header], *data]), filename="r.csv"
    )
    _check_accounted(result, data, result.drivers)
    for d in result.drivers:
        assert d.max_route_s is None or 0 < d.max_route_s <= 24 * 3600
        assert d.max_distance_m is None or 0 < d.max_distance_m <= 1_000_000
        assert d.capacity_frozen is None or d.capacity_frozen >= 0


# --- parsers -----------------------------------------------------------------------------


@SETTINGS
@given(text=st.text(max_size=40))
def test_window_parser_only_raises_value_error(text: str) -> None:
    """Any text is either read as windows or refused with ValueError."""
    try:
        windows = parse_windows(text)
    except ValueError:
        return
    for w in windows:
        assert 0 <= w.start_s <= w.end_s


@SETTINGS
@given(text=st.text(max_size=60))
def test_address_functions_never_crash(geocoder, text: str) -> None:
    """Normalising and geocoding arbitrary text never raises."""
    split_unit(text)
    parse_address(text)
    street_key(text, fix_typos=True)
    result = geocoder.geocode(text, postcode=text[:5])
    assert result.precision in {"exact", "interpolated", "street", "not_found", "outside_area"}
    assert (result.location is None) == (result.precision in {"not_found", "outside_area"})
