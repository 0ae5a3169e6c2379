"""Spreadsheet import of the issue-4 constraint columns: frozen bags, stairs and the service
time model, excluded drivers; roster frozen capacity, max minutes, max km and hub."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routing.intake.cells import parse_distance_km, parse_duration_min, parse_flag
from routing.intake.deliveries import (
    SERVICE_BASE_S,
    SERVICE_PER_BOX_S,
    SERVICE_STAIRS_S,
    import_deliveries,
    service_time_s,
)
from routing.intake.roster import import_drivers
from routing.model import Problem
from tests.routing.test_importer_properties import CELL_CHARS, SETTINGS, _check_accounted

LAT, LON = "40.7173", "-73.7362"


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


def _deliveries(header: list[str], *rows: list[str]):
    """Stops with lat/lon given, so no geocoder is needed."""
    return import_deliveries(
        _csv([["Name", "lat", "lon", *header], *[["N", LAT, LON, *r] for r in rows]]),
        filename="d.csv",
    )


def _roster(header: list[str], *rows: list[str]):
    return import_drivers(
        _csv(
            [
                ["Name", "Capacity", "Available", *header],
                *[[f"D{i}", "20", "9-13", *r] for i, r in enumerate(rows)],
            ]
        ),
        filename="r.csv",
    )


def _problems(result) -> list[tuple[int | None, str, str, str]]:
    return [(p.row, p.field, p.value, p.severity) for p in result.problems]


# --- deliveries: frozen ------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["Frozen", "Frozen bags", "Cold bags", "Congelados", "Refrigerados", "FROZEN (bags)"]
)
def test_frozen_headers(header: str) -> None:
    """English and Spanish frozen-bag headers are recognised and read into Stop.frozen."""
    result = _deliveries(["Boxes", header], ["2", "3 bags"])
    assert result.columns["frozen"] == header
    assert result.columns["boxes"] == "Boxes"
    assert [(s.boxes, s.frozen) for s in result.stops] == [(2, 3)]
    assert result.problems == []


def test_frozen_in_a_long_form_question_is_not_taken_for_boxes() -> None:
    """A Google-Forms question about frozen bags is the frozen column, not the boxes one."""
    result = _deliveries(["How many frozen bags?", "How many bags?"], ["1", "4"])
    assert result.columns["frozen"] == "How many frozen bags?"
    assert result.columns["boxes"] == "How many bags?"
    assert [(s.boxes, s.frozen) for s in result.stops] == [(4, 1)]


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
    result = _deliveries(["Frozen"], [text])
    assert [s.frozen for s in result.stops] == [frozen]
    assert result.problems == []


def test_bad_frozen_values_are_reported_with_row_column_and_value() -> None:
    """Words are a warning (1 assumed), part bags are rounded up with a warning, and a
    negative or absurd count is an error that leaves the row out."""
    result = _deliveries(["Cold bags"], ["lots"], ["2.5"], ["-1"], ["1e9"])
    assert [(s.row, s.frozen) for s in result.stops] == [(2, 1), (3, 3)]
    assert _problems(result) == [
        (2, "Cold bags", "lots", "warning"),
        (3, "Cold bags", "2.5", "warning"),
        (4, "Cold bags", "-1", "error"),
        (5, "Cold bags", "1e9", "error"),
    ]
    assert "negative number of frozen bags" in result.problems[2].reason
    assert [r.status for r in result.rows] == ["warning", "warning", "error", "error"]


# --- deliveries: stairs and the service time model ---------------------------------------


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
    result = _deliveries(["Boxes", header], ["2", "yes"], ["2", "no"], ["2", ""])
    assert result.columns["stairs"] == header
    assert [s.service_s for s in result.stops] == [600, 300, 300]
    assert result.problems == []


@pytest.mark.parametrize(
    ("text", "stairs"),
    [
        ("yes", True),
        ("Sí", True),
        ("x", True),
        ("Y", True),
        ("walk-up", True),
        ("no elevator", True),
        ("3", True),
        ("3rd floor walk-up", True),
        ("✓", True),
        ("no", False),
        ("0", False),
        ("", False),
        ("elevator", False),
        ("no stairs", False),
        ("planta baja", False),
    ],
)
def test_stairs_values(text: str, stairs: bool) -> None:
    """Yes/no flags as people write them."""
    assert parse_flag(text) is stairs


def test_unreadable_stairs_flag_warns_and_assumes_stairs() -> None:
    """A stairs cell that says neither yes nor no is a warning; stairs are assumed, since
    too little time at a walk-up makes the rest of the route late."""
    result = _deliveries(["Boxes", "Stairs"], ["1", "maybe"])
    assert _problems(result) == [(2, "Stairs", "maybe", "warning")]
    assert result.stops[0].service_s == 180 + 60 + 300


def test_given_service_minutes_win_over_the_model() -> None:
    """A row's service-minutes value wins, stairs or not; a blank one falls back to the
    model, and an unreadable one too, with a warning naming it."""
    result = _deliveries(
        ["Boxes", "Stairs", "Service minutes"],
        ["2", "yes", "7"],
        ["2", "yes", "7 min"],
        ["3", "yes", ""],
        ["4", "no", "soon"],
        ["1", "no", "0"],
    )
    assert [s.service_s for s in result.stops] == [420, 420, 180 + 180 + 300, 180 + 240, 0]
    assert _problems(result) == [(5, "Service minutes", "soon", "warning")]
    assert "the time from boxes and stairs is used" in result.problems[0].reason


def test_model_applies_without_boxes_or_stairs_columns() -> None:
    """Without a boxes column a stop has 1 box, so 4 minutes at the door."""
    result = _deliveries([], [])
    assert [(s.boxes, s.service_s) for s in result.stops] == [(1, 240)]


# --- deliveries: excluded drivers --------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["Not driver", "Exclude driver", "Avoid driver", "Never send", "No enviar a"]
)
def test_exclude_driver_headers(header: str) -> None:
    """Names or ids separated by , ; / are kept as written in Stop.exclude_drivers."""
    result = _deliveries([header], ["Ana Delgado; Marcus Bell / d7, "], [""])
    assert result.columns["exclude_drivers"] == header
    assert [s.exclude_drivers for s in result.stops] == [
        frozenset({"Ana Delgado", "Marcus Bell", "d7"}),
        frozenset(),
    ]
    assert result.problems == []


def test_pinned_and_excluded_driver_is_a_warning() -> None:
    """A stop pinned to the driver it also excludes is imported, with a warning saying it
    cannot be planned until one of the two columns changes."""
    result = _deliveries(["Driver", "Never send"], ["Ana", "Ana, Bo"])
    assert _problems(result) == [(2, "Never send", "Ana, Bo", "warning")]
    assert result.stops[0].driver == "Ana"


# --- roster ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["Frozen capacity", "Cooler", "Cooler bags", "Freezer bags", "Capacidad congelados"]
)
def test_frozen_capacity_headers(header: str) -> None:
    """Frozen capacity headers in English and Spanish fill Driver.capacity_frozen; with the
    column present a blank cell is 0 (no cooler)."""
    result = _roster([header], ["4"], ["4 bags"], [""], ["no"])
    assert result.columns["capacity_frozen"] == header
    assert [d.capacity_frozen for d in result.drivers] == [4, 4, 0, 0]
    assert result.problems == []


def test_frozen_capacity_absent_or_unreadable_is_no_limit() -> None:
    """Without the column there is no frozen limit; an unreadable cell is a warning and no
    limit, naming the row, the header as written and the value."""
    assert [d.capacity_frozen for d in _roster([], []).drivers] == [None]
    result = _roster(["Cooler bags"], ["yes"], ["-2"])
    assert [d.capacity_frozen for d in result.drivers] == [None, None]
    assert _problems(result) == [
        (2, "Cooler bags", "yes", "warning"),
        (3, "Cooler bags", "-2", "warning"),
    ]


@pytest.mark.parametrize(
    "header", ["Max minutes", "Max route minutes", "Max time", "Maximum minutes", "Tiempo máximo"]
)
@pytest.mark.parametrize("text", ["90", "90 min", "1.5 h", "1h30", "1:30", "1 hr 30 min"])
def test_max_minutes(header: str, text: str) -> None:
    """Route-length limits as people write them become Driver.max_route_s."""
    result = _roster([header], [text])
    assert result.columns["max_minutes"] == header
    assert [d.max_route_s for d in result.drivers] == [5400]
    assert result.problems == []


def test_max_hours_header_reads_bare_numbers_as_hours() -> None:
    """Under a "Max hours" header, "2" is two hours; a unit in the cell still wins."""
    result = _roster(["Max hours"], ["2"], ["90 min"], [""])
    assert [d.max_route_s for d in result.drivers] == [7200, 5400, None]


def test_bad_max_minutes_are_warnings_and_no_limit() -> None:
    """Unreadable, zero and over-a-day limits are warnings naming row, header and value;
    the driver is kept with no limit."""
    result = _roster(["Max time"], ["soon"], ["0"], ["30 h"], ["1h75"])
    assert [d.max_route_s for d in result.drivers] == [None] * 4
    assert _problems(result) == [
        (2, "Max time", "soon", "warning"),
        (3, "Max time", "0", "warning"),
        (4, "Max time", "30 h", "warning"),
        (5, "Max time", "1h75", "warning"),
    ]


@pytest.mark.parametrize("header", ["Max km", "Max distance", "Maximum km", "Distancia máxima"])
def test_max_km(header: str) -> None:
    """Distance limits in km, or in miles converted, become Driver.max_distance_m."""
    result = _roster([header], ["25"], ["25 km"], ["10 miles"], ["10 mi"], ["2500 metres"])
    assert result.columns["max_km"] == header
    assert [d.max_distance_m for d in result.drivers] == [25000, 25000, 16093, 16093, 2500]
    assert result.problems == []


def test_max_miles_header_reads_bare_numbers_as_miles() -> None:
    """Under a "Max miles" header, "10" is ten miles; "10 km" stays kilometres."""
    result = _roster(["Max miles"], ["10"], ["10 km"])
    assert [d.max_distance_m for d in result.drivers] == [16093, 10000]


def test_bad_max_km_are_warnings_and_no_limit() -> None:
    """Unreadable, negative and absurd distances are warnings; no limit is set."""
    result = _roster(["Max km"], ["far"], ["-5"], ["5000"])
    assert [d.max_distance_m for d in result.drivers] == [None] * 3
    assert _problems(result) == [
        (2, "Max km", "far", "warning"),
        (3, "Max km", "-5", "warning"),
        (4, "Max km", "5000", "warning"),
    ]


@pytest.mark.parametrize("header", ["Hub", "Pickup", "Pantry", "Load at", "Recoger en"])
def test_hub_column_kept_as_written(header: str) -> None:
    """The hub is kept as written (the caller maps names to ids); blank or "any" lets the
    solver choose."""
    result = _roster([header], ["Main St Pantry"], [""], ["any"])
    assert result.columns["hub"] == header
    assert [d.hub for d in result.drivers] == ["Main St Pantry", None, None]
    assert result.problems == []


def test_roster_and_deliveries_with_every_new_column_build_a_problem() -> None:
    """Everything imported here fits the model's Problem when the hub names are ids."""
    from routing.model import Hub, LatLon

    roster = _roster(["Cooler", "Max minutes", "Max km", "Hub"], ["3", "2h", "40", "h1"])
    stops = _deliveries(["Boxes", "Frozen", "Stairs", "Never send"], ["2", "1", "yes", "D0"])
    problem = Problem(
        (Hub("h1", "Pantry", LatLon(40.72, -73.74)),), tuple(stops.stops), tuple(roster.drivers)
    )
    d, s = problem.drivers[0], problem.stops[0]
    assert (d.capacity_frozen, d.max_route_s, d.max_distance_m, d.hub) == (3, 7200, 40000, "h1")
    assert (s.frozen, s.service_s, s.exclude_drivers) == (1, 600, frozenset({"D0"}))


# --- parsers and properties --------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "abc", "-5", "1h75", "h", "90 km", "1:5"])
def test_unreadable_durations(text: str) -> None:
    """Durations that are not durations give None rather than a guess."""
    assert parse_duration_min(text) is None


@pytest.mark.parametrize("text", ["", "far", "-3", "10 min", "ten"])
def test_unreadable_distances(text: str) -> None:
    """Distances that are not distances give None rather than a guess."""
    assert parse_distance_km(text) is None


CELL = st.one_of(
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
@given(rows=st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=1, max_size=6))
def test_new_delivery_columns_never_crash_and_lose_nothing(rows: list[list[str]]) -> None:
    """Whatever the new columns hold, every row is a stop or an error, and a stop's service
    time is its given minutes or the model's."""
    header = ["Boxes", "Frozen", "Stairs", "Never send"]
    data = [[LAT, LON, *r] for r in rows]
    result = import_deliveries(_csv([["lat", "lon", *header], *data]), filename="d.csv")
    _check_accounted(result, data, result.stops)
    for s in result.stops:
        assert s.frozen >= 0
        assert s.service_s in (service_time_s(s.boxes), service_time_s(s.boxes, True))


@SETTINGS
@given(rows=st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=1, max_size=6))
def test_new_roster_columns_never_crash_and_lose_nothing(rows: list[list[str]]) -> None:
    """Whatever the new roster columns hold, every row is a driver or an error, and the
    limits are positive or absent."""
    header = ["Cooler bags", "Max minutes", "Max km", "Hub"]
    data = [["D", "20", "9-13", *r] for r in rows]
    result = import_drivers(
        _csv([["Name", "Capacity", "Available", *header], *data]), filename="r.csv"
    )
    _check_accounted(result, data, result.drivers)
    for d in result.drivers:
        assert d.max_route_s is None or 0 < d.max_route_s <= 24 * 3600
        assert d.max_distance_m is None or 0 < d.max_distance_m <= 1_000_000
        assert d.capacity_frozen is None or d.capacity_frozen >= 0
