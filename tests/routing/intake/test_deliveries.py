"""Delivery lists: rows read into stops, the service time model, and the problems report."""

from __future__ import annotations

import json

import pytest

from routing.geocoding.offline import OfflineGeocoder
from routing.intake.deliveries import (
    SERVICE_BASE_S,
    SERVICE_PER_BOX_S,
    SERVICE_STAIRS_S,
    import_deliveries,
    service_time_s,
)
from routing.intake.roster import import_drivers
from routing.roads.area import load_area
from tests.helpers.intake import (
    DEMO,
    FIXTURES,
    csv_bytes,
    import_placed_deliveries,
    problem_tuples,
)

# --- the hand-made messy spreadsheet -----------------------------------------------------

#: row -> (status, precision, [(column, severity, words in the reason)])
MESSY_EXPECTED: dict[int, tuple[str, str, list[tuple[str, str, str]]]] = {
    2: ("ok", "exact", []),
    3: (
        "warning",
        "exact",
        [("Street address", "warning", "same address and unit as row 7: one household")],
    ),
    5: ("error", "not_found", [("Street address", "error", "not found")]),
    6: ("warning", "street", [("Street address", "warning", "street only")]),
    7: (
        "warning",
        "exact",
        [("Street address", "warning", "same address and unit as row 3, which is left out")],
    ),
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
    assert (s.rows, s.placed, s.warnings, s.errors) == (13, 8, 5, 4)
    # Nothing lost: every non-blank row is a stop (placed or not), or merged into the
    # later row of its household (row 3 into row 7: same door, "#3").
    assert [st.row for st in result.stops] == [r for r in sorted(MESSY_EXPECTED) if r != 3]


def test_messy_spreadsheet_values(geocoder: OfflineGeocoder) -> None:
    """Units come out of the address, windows and boxes are read, languages coded."""
    stops = {
        s.row: s
        for s in import_deliveries(
            FIXTURES / "messy_deliveries.csv", geocoder=geocoder, keep_duplicates=True
        ).stops
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


# --- rows --------------------------------------------------------------------------------


def test_first_and_last_name_columns() -> None:
    """First name + Last name make the recipient."""
    data = csv_bytes([["First name", "Last name", "Address"], ["Ana", "Ruiz", "1 Main St"]])
    assert import_deliveries(data, filename="x.csv").stops[0].recipient == "Ana Ruiz"


def test_house_number_in_its_own_column(geocoder: OfflineGeocoder) -> None:
    """'House number' + 'Street' columns (or 'Número' + 'Calle') make one address."""
    data = csv_bytes(
        [["Name", "House number", "Street", "Zip"], ["A", "206-16", "Hollis Ave", "11429"]]
    )
    stop = import_deliveries(data, filename="x.csv", geocoder=geocoder).stops[0]
    assert (stop.address, stop.precision) == ("206-16 Hollis Ave", "exact")


def test_extra_cells_beyond_headers_are_reported() -> None:
    """A value in a column with no header is reported, not silently dropped."""
    data = b"Name,Address\nA,1 Main St,extra note\n"
    result = import_deliveries(data, filename="x.csv")
    assert result.problems[0].value == "extra note"


def test_duplicate_ids_are_kept_apart() -> None:
    """Two rows with the same id both become stops, the second renamed and warned about."""
    data = csv_bytes([["ID", "Address"], ["7", "1 Main St"], ["7", "2 Main St"]])
    result = import_deliveries(data, filename="x.csv")
    assert [s.id for s in result.stops] == ["7", "7-row3"]
    assert "same id as row 2" in result.problems[0].reason


def test_duplicates_compare_units_loosely(geocoder: OfflineGeocoder) -> None:
    """'Apt 2B' in the address and '2B' in the Apt column are the same door; '3A' is not."""
    data = csv_bytes(
        [
            ["Name", "Address", "Apt"],
            ["A", "206-16 Hollis Ave Apt 2B", ""],
            ["B", "20616 Hollis Avenue", "2B"],
            ["C", "206-16 Hollis Ave", "3A"],
        ]
    )
    result = import_deliveries(data, filename="x.csv", geocoder=geocoder, keep_duplicates=True)
    assert [(p.row, p.reason) for p in result.problems] == [
        (2, "same address and unit as row 3: planned twice")
    ]
    assert len(result.stops) == 3
    merged = import_deliveries(data, filename="x.csv", geocoder=geocoder)
    assert [s.recipient for s in merged.stops] == ["B", "C"]


def test_a_household_written_twice_is_quoted_alike_on_both_rows(
    geocoder: OfflineGeocoder,
) -> None:
    """Two identical rows: both say the same address and unit, as written; the row left
    out still says whose it is."""
    row = ["Maria Lopez", "113-46 212th Street Apt 3B", "2"]
    data = csv_bytes(
        [["Name", "Address", "Boxes"], row, ["John Okafor", "102-33 212th St", "1"], row]
    )
    result = import_deliveries(data, filename="x.csv", geocoder=geocoder)
    said = {(p.row, p.value) for p in result.problems if p.field == "Address"}
    assert said == {(2, "113-46 212th Street, Apt 3B"), (4, "113-46 212th Street, Apt 3B")}
    assert [s.row for s in result.stops] == [3, 4]
    first = result.rows[0].to_dict()
    assert (first["name"], first["address"]) == ("Maria Lopez", "113-46 212th Street, Apt 3B")


def test_shifted_window_is_a_warning_on_the_row() -> None:
    """The importer shows how "12-10" was read, on the window column, for stops and drivers."""
    deliveries = import_deliveries(
        csv_bytes(
            [["Name", "Address", "Window"], ["A", "1 Main St", "12-10"], ["B", "2 Main St", "10-2"]]
        ),
        filename="x.csv",
    )
    a, b = deliveries.rows
    assert [(p.field, p.value, p.severity) for p in a.problems] == [("Window", "12-10", "warning")]
    assert "read as 12:00-22:00" in a.problems[0].reason
    assert b.problems == ()
    drivers = import_drivers(
        csv_bytes([["Name", "Capacity", "Hours"], ["Ana", "10", "12-10"]]), filename="d.csv"
    )
    assert "read as 12:00-22:00" in drivers.rows[0].problems[0].reason


# --- placing: lat/lon and addresses ------------------------------------------------------


def test_lat_lon_columns_place_rows_without_address() -> None:
    """Rows with lat/lon are placed as given, even with no geocoder."""
    data = csv_bytes(
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


def test_lat_lon_outside_area_falls_back_to_the_address(geocoder: OfflineGeocoder) -> None:
    """Coordinates outside the area with a good address: a warning, placed by the address.

    The row is plannable, so it must not count as an error (``import check`` exits 0).
    """
    data = csv_bytes(
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
    data = csv_bytes([["Name", "Address", "lat", "lon"], ["A", "", lat, lon]])
    result = import_deliveries(data, filename="x.csv", geocoder=geocoder)
    (report,) = result.rows
    assert report.status == "error" and not result.ok
    assert "cannot be placed" in report.problems[0].reason
    assert result.stops[0].location is None


def test_unplaced_stops_come_with_a_fix(geocoder: OfflineGeocoder) -> None:
    """Every stop left without a location has a fix sentence, by stop id; placed ones none."""
    data = csv_bytes(
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


# --- boxes and frozen bags ---------------------------------------------------------------


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
    data = csv_bytes([["Name", "Address", "Boxes"], ["A", "1 Main St", text]])
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
    # Whose row it is, said even when it gives no stop.
    assert (result.rows[0].name, result.rows[0].address) == ("A", "1 Main St")


@pytest.mark.parametrize(
    "header", ["Frozen", "Frozen bags", "Cold bags", "Congelados", "Refrigerados", "FROZEN (bags)"]
)
def test_frozen_headers(header: str) -> None:
    """English and Spanish frozen-bag headers are recognised and read into Stop.frozen."""
    result = import_placed_deliveries(["Boxes", header], ["2", "3 bags"])
    assert result.columns["frozen"] == header
    assert result.columns["boxes"] == "Boxes"
    assert [(s.boxes, s.frozen) for s in result.stops] == [(2, 3)]
    assert result.problems == []


@pytest.mark.parametrize(
    ("text", "frozen"),
    [
        ("2", 2),
        ("2 bags", 2),
        ("two", 2),
        ("dos", 2),
        ("", 0),
        ("no", 0),
        ("-", 0),
        ("0", 0),
        ("yes", 1),
        ("x", 1),
    ],
)
def test_frozen_values(text: str, frozen: int) -> None:
    """Frozen bags are read as people write them; blank and "no" are 0, "yes" is 1."""
    result = import_placed_deliveries(["Frozen"], [text])
    assert [s.frozen for s in result.stops] == [frozen]
    assert result.problems == []


def test_bad_frozen_values_are_reported_with_row_column_and_value() -> None:
    """Words are a warning (1 assumed), part bags are rounded up with a warning, and a
    negative or absurd count is an error that leaves the row out."""
    result = import_placed_deliveries(["Cold bags"], ["lots"], ["2.5"], ["-1"], ["1e9"])
    assert [(s.row, s.frozen) for s in result.stops] == [(2, 1), (3, 3)]
    assert problem_tuples(result) == [
        (2, "Cold bags", "lots", "warning"),
        (3, "Cold bags", "2.5", "warning"),
        (4, "Cold bags", "-1", "error"),
        (5, "Cold bags", "1e9", "error"),
    ]
    assert "negative number of frozen bags" in result.problems[2].reason
    assert [r.status for r in result.rows] == ["warning", "warning", "error", "error"]


# --- stairs and the service time model ---------------------------------------------------


def test_service_time_rule() -> None:
    """3 min per door + 1 min per box + 5 min for stairs: 2 boxes take 5 minutes."""
    assert (SERVICE_BASE_S, SERVICE_PER_BOX_S, SERVICE_STAIRS_S) == (180, 60, 300)
    assert service_time_s(2) == 300
    assert service_time_s(2, stairs=True) == 600
    assert service_time_s(0) == 180


@pytest.mark.parametrize(
    "header", ["Stairs", "No elevator", "Walk-up", "Escaleras", "Sin ascensor"]
)
def test_stairs_headers_add_five_minutes(header: str) -> None:
    """A yes in any stairs/no-elevator column adds SERVICE_STAIRS_S to the stop's time."""
    result = import_placed_deliveries(["Boxes", header], ["2", "yes"], ["2", "no"], ["2", ""])
    assert result.columns["stairs"] == header
    assert [s.service_s for s in result.stops] == [600, 300, 300]
    assert result.problems == []


def test_unreadable_stairs_flag_warns_and_assumes_stairs() -> None:
    """A stairs cell that says neither yes nor no is a warning; stairs are assumed, since
    too little time at a walk-up makes the rest of the route late."""
    result = import_placed_deliveries(["Boxes", "Stairs"], ["1", "maybe"])
    assert problem_tuples(result) == [(2, "Stairs", "maybe", "warning")]
    assert result.stops[0].service_s == 180 + 60 + 300


def test_given_service_minutes_win_over_the_model() -> None:
    """A row's service-minutes value wins, stairs or not; a blank one falls back to the
    model, and an unreadable one too, with a warning naming it."""
    result = import_placed_deliveries(
        ["Boxes", "Stairs", "Service minutes"],
        ["2", "yes", "7"],
        ["2", "yes", "7 min"],
        ["3", "yes", ""],
        ["4", "no", "soon"],
        ["1", "no", "0"],
    )
    assert [s.service_s for s in result.stops] == [420, 420, 180 + 180 + 300, 180 + 240, 0]
    assert problem_tuples(result) == [(5, "Service minutes", "soon", "warning")]
    assert "the time from boxes and stairs is used" in result.problems[0].reason


def test_model_applies_without_boxes_or_stairs_columns() -> None:
    """Without a boxes column a stop has 1 box, so 4 minutes at the door."""
    result = import_placed_deliveries([], [])
    assert [(s.boxes, s.service_s) for s in result.stops] == [(1, 240)]


# --- excluded drivers --------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["Not driver", "Exclude driver", "Avoid driver", "Never send", "No enviar a"]
)
def test_exclude_driver_headers(header: str) -> None:
    """Names or ids separated by , ; / are kept as written in Stop.exclude_drivers."""
    result = import_placed_deliveries([header], ["Ana Delgado; Marcus Bell / d7, "], [""])
    assert result.columns["exclude_drivers"] == header
    assert [s.exclude_drivers for s in result.stops] == [
        frozenset({"Ana Delgado", "Marcus Bell", "d7"}),
        frozenset(),
    ]
    assert result.problems == []


def test_pinned_and_excluded_driver_is_a_warning() -> None:
    """A stop pinned to the driver it also excludes is imported, with a warning saying it
    cannot be planned until one of the two columns changes."""
    result = import_placed_deliveries(["Driver", "Never send"], ["Ana", "Ana, Bo"])
    assert problem_tuples(result) == [(2, "Never send", "Ana, Bo", "warning")]
    assert result.stops[0].driver == "Ana"


# --- cells longer than a plan keeps ------------------------------------------------------


def test_long_answers_are_cut_with_a_warning_and_planned() -> None:
    """A Google Form's answers as people write them: a phone with a remark, directions in
    the unit, an e-mail pasted into the instructions, a vertical tab from a word
    processor. Each over-long cell is cut to what a plan keeps, with a warning naming its
    row and column; every row is still a stop."""
    from routing.intake.limits import NOTE_CHARS, SHORT_CHARS

    result = import_deliveries(FIXTURES / "form_long_answers.csv")
    assert len(result.stops) == 3
    cut = [
        (p.row, p.field) for p in result.problems if "a plan keeps" in p.reason
    ]  # fmt: skip
    assert cut == [
        (3, "Apt / unit / buzzer"),
        (3, "Phone number"),
        (3, "Special instructions"),
    ]
    assert all(p.severity == "warning" for p in result.problems)
    maria = result.stops[1]
    unit = "Apt 2, second floor, stairs at the back through the gate by the blue bins"
    assert maria.unit == unit[:SHORT_CHARS].rstrip()
    assert maria.phone.startswith("(929) 555-0119 (my daughter Rosa") and len(maria.phone) <= 50
    assert len(maria.notes) <= NOTE_CHARS and maria.notes.startswith("Hello, thank you")
    notes = next(p for p in result.problems if p.field == "Special instructions")
    assert "3,557 characters" in notes.reason and len(notes.value) < 80
    assert result.stops[2].notes == "Ring twice then wait"


def test_more_windows_than_a_plan_keeps() -> None:
    """Five windows in one cell: the first four are kept, with a warning (the API refused
    the fifth when the week was planned)."""
    result = import_placed_deliveries(["Window"], ["9-10, 11-12, 1-2, 3-4, 5-6"])
    assert [str(w) for w in result.stops[0].windows] == [
        "09:00-10:00",
        "11:00-12:00",
        "13:00-14:00",
        "15:00-16:00",
    ]
    [problem] = result.problems
    assert (problem.field, problem.severity) == ("Window", "warning")
    assert problem.reason.startswith("more windows than a plan keeps: the first 4")


def test_long_lists_keep_the_first_of_them() -> None:
    """More needs or excluded drivers than a plan keeps: the first are kept, with a
    warning naming what was left."""
    needs = ", ".join(f"need{i:02d}" for i in range(25))
    result = import_placed_deliveries(["Needs"], [needs])
    assert sorted(result.stops[0].requires) == [f"need{i:02d}" for i in range(20)]
    [problem] = result.problems
    assert (problem.row, problem.field, problem.severity) == (2, "Needs", "warning")
    assert problem.value == ", ".join(f"need{i:02d}" for i in range(20, 25))


# --- the sample week ---------------------------------------------------------------------


def test_demo_deliveries(geocoder: OfflineGeocoder) -> None:
    """The sample week reads as about 120 households at real addresses, a few deliberately bad."""
    result = import_deliveries(DEMO / "deliveries.csv", geocoder=geocoder)
    s = result.summary
    assert s.rows == 120 and s.blank_rows == 2
    # Row 9 is row 35's household again (109-08 214th St, basement): planned once.
    assert s.placed == 117 and s.errors == 2
    bad = {r.precision for r in result.rows if r.status == "error"}
    assert bad == {"not_found", "outside_area"}
    assert sum(1 for r in result.rows if r.precision == "street") == 1
    assert any(s.unit for s in result.stops)
    assert any(s.windows for s in result.stops)
    assert all(1 <= s.boxes <= 4 for s in result.stops)
    assert len({s.id for s in result.stops}) == 119


def test_demo_hub() -> None:
    """The hub is a real place in the demo area."""
    hub = json.loads((DEMO / "hub.json").read_text(encoding="utf-8"))
    assert set(hub) == {"id", "name", "address", "lat", "lon"}
    s, w, n, e = load_area("queens-village").bbox
    assert s <= hub["lat"] <= n and w <= hub["lon"] <= e
