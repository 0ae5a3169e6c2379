"""Volunteer rosters: rows read into drivers, their limits and hubs, and the problems report."""

from __future__ import annotations

import pytest

from routing.geocoding.offline import OfflineGeocoder
from routing.intake.deliveries import import_deliveries
from routing.intake.report import LeftOut
from routing.intake.roster import import_drivers
from routing.model import Problem, format_hhmm
from tests.helpers.intake import (
    DEMO,
    FIXTURES,
    csv_bytes,
    import_placed_deliveries,
    import_roster,
    problem_tuples,
)

# --- columns as people write them --------------------------------------------------------


def test_driver_roster_values(geocoder: OfflineGeocoder) -> None:
    """Windows, ends, vehicles and languages are read as written; faults are reported."""
    data = csv_bytes(
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


def test_driver_start_column(geocoder: OfflineGeocoder) -> None:
    """A Start column says home or hub, or gives the address the driver sets out from."""
    data = csv_bytes(
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


def test_driver_home_outside_area_uses_the_home_address(geocoder: OfflineGeocoder) -> None:
    """A driver's home lat/lon outside the area is a warning; the driver is still built."""
    data = csv_bytes(
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


def test_hours_as_a_form_choice_label() -> None:
    """Drivers' hours from a sign-up form's choices ("Mornings (9am-1pm)", "Tardes (2-6
    pm)") are read as the range in the label, by the same reader as deliveries' windows."""
    result = import_drivers(
        csv_bytes(
            [
                ["Name", "Capacity", "Which hours can you drive?"],
                ["Ana", "20", "Mornings (9am-1pm)"],
                ["Bo", "15", "Tardes (2-6 pm)"],
                ["Cy", "10", "Mornings (9-12), Afternoons (1-4)"],
                # A form that lists its evening choice first: one roster all the same.
                ["Di", "12", "Evenings (6-9), Mornings (9-12)"],
            ]
        ),
        filename="signup.csv",
    )
    assert {d.name: str(d.shift) for d in result.drivers} == {
        "Ana": "09:00-13:00",
        "Bo": "14:00-18:00",
        "Cy": "09:00-16:00",
        "Di": "09:00-21:00",
    }
    assert [(p.row, p.reason) for p in result.problems] == [
        (4, "several spans; the driver is taken as available 09:00-16:00"),
        (5, "several spans; the driver is taken as available 09:00-21:00"),
    ]


def test_rows_that_give_no_driver_name_who_is_left_out() -> None:
    """A row whose capacity or hours cannot be read gives no driver; its errors and the
    import's ``left_out`` say who gets no route and why. "about 15" is read as 15; "all
    day" and "whenever" as 09:00-17:00, with a warning (such a volunteer was left out)."""
    result = import_drivers(FIXTURES / "roster_left_out.csv")
    assert [str(x) for x in result.left_out] == [
        "Gus Hall (row 8: capacity)",
        "Bob Smith (row 10: capacity)",
        "the driver on row 11 (no name)",
        "Ivy Jones (row 12: capacity)",
    ]
    assert result.left_out[0] == LeftOut(8, "Gus Hall", ("capacity",))
    by_name = {d.name: d for d in result.drivers}
    assert len(by_name) == 7 and by_name["Cara Diaz"].capacity_boxes == 15  # "about 15"
    assert str(by_name["Eve Fox"].shift) == "09:00-17:00"  # "all day"
    errors = [(p.row, p.value, p.reason) for p in result.problems if p.severity == "error"]
    assert errors == [
        (8, "trunk full", "Gus Hall is left out: expected a number of boxes, such as 20"),
        (10, "", "Bob Smith is left out: no capacity: how many boxes fit in the car?"),
        (11, "", "The driver on this row is left out: every driver needs a name"),
        (12, "", "Ivy Jones is left out: no capacity: how many boxes fit in the car?"),
    ]
    # A warning on a driver who is planned names nobody: it is not about leaving out.
    all_day = "read as all day, 09:00-17:00; write the hours to be sure"
    assert [(p.row, p.reason) for p in result.problems if p.severity == "warning"] == [
        (6, all_day),
        (7, "expected a vehicle: car, bike or walk; car assumed"),
        (12, all_day),
    ]


def test_a_volunteer_form_gives_every_driver_it_can() -> None:
    """A volunteers' sign-up form as people answer it: boxes as a range ("8-10": the
    fewer), "Anytime Saturday", two spans; only a car size in words is left out."""
    result = import_drivers(
        csv_bytes(
            [
                ["Full Name", "How many grocery boxes can you fit?", "When are you available?"],
                ["Ana Ruiz", "8-10", "Saturday morning (9am-12pm), Saturday afternoon (12-3pm)"],
                ["Bo Chen", "lots - I can fold the seats down", "Saturday afternoon (12-3pm)"],
                ["Cy Diallo", "20", "Anytime Saturday"],
                ["Dee Okafor", "12 or 15", "n/a"],
                ["Eli Medina", "entre 5 y 8 despensas", "todo el día"],
                ["Flo Ortiz", "5 a 8", "9-13"],
            ]
        ),
        filename="form.csv",
    )
    got = {d.name: (d.capacity_boxes, str(d.shift)) for d in result.drivers}
    assert got == {
        "Ana Ruiz": (8, "09:00-15:00"),
        "Cy Diallo": (20, "09:00-17:00"),
        "Eli Medina": (5, "09:00-17:00"),
        "Flo Ortiz": (5, "09:00-13:00"),
    }
    assert [str(x) for x in result.left_out] == [
        "Bo Chen (row 3: capacity)",
        "Dee Okafor (row 5: hours)",
    ]
    ana = [p.reason for p in result.problems if p.row == 2]
    assert "a range: 8 planned, the fewer" in ana


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


# --- frozen capacity ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["Frozen capacity", "Cooler", "Cooler bags", "Freezer bags", "Capacidad congelados"]
)
def test_frozen_capacity_headers(header: str) -> None:
    """Frozen capacity headers in English and Spanish fill Driver.capacity_frozen; with the
    column present a blank cell is 0 (no cooler)."""
    result = import_roster([header], ["4"], ["4 bags"], [""], ["no"])
    assert result.columns["capacity_frozen"] == header
    assert [d.capacity_frozen for d in result.drivers] == [4, 4, 0, 0]
    assert result.problems == []


def test_frozen_capacity_absent_or_unreadable_is_no_limit() -> None:
    """Without the column there is no frozen limit; an unreadable cell is a warning and no
    limit, naming the row, the header as written and the value."""
    assert [d.capacity_frozen for d in import_roster([], []).drivers] == [None]
    result = import_roster(["Cooler bags"], ["yes"], ["-2"])
    assert [d.capacity_frozen for d in result.drivers] == [None, None]
    assert problem_tuples(result) == [
        (2, "Cooler bags", "yes", "warning"),
        (3, "Cooler bags", "-2", "warning"),
    ]


# --- route limits and hubs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["Max minutes", "Max route minutes", "Max time", "Maximum minutes", "Tiempo máximo"]
)
@pytest.mark.parametrize("text", ["90", "90 min", "1.5 h", "1h30", "1:30", "1 hr 30 min"])
def test_max_minutes(header: str, text: str) -> None:
    """Route-length limits as people write them become Driver.max_route_s."""
    result = import_roster([header], [text])
    assert result.columns["max_minutes"] == header
    assert [d.max_route_s for d in result.drivers] == [5400]
    assert result.problems == []


def test_max_hours_header_reads_bare_numbers_as_hours() -> None:
    """Under a "Max hours" header, "2" is two hours; a unit in the cell still wins."""
    result = import_roster(["Max hours"], ["2"], ["90 min"], [""])
    assert [d.max_route_s for d in result.drivers] == [7200, 5400, None]


def test_bad_max_minutes_are_warnings_and_no_limit() -> None:
    """Unreadable, zero and over-a-day limits are warnings naming row, header and value;
    the driver is kept with no limit."""
    result = import_roster(["Max time"], ["soon"], ["0"], ["30 h"], ["1h75"])
    assert [d.max_route_s for d in result.drivers] == [None] * 4
    assert problem_tuples(result) == [
        (2, "Max time", "soon", "warning"),
        (3, "Max time", "0", "warning"),
        (4, "Max time", "30 h", "warning"),
        (5, "Max time", "1h75", "warning"),
    ]


@pytest.mark.parametrize("header", ["Max km", "Max distance", "Maximum km", "Distancia máxima"])
def test_max_km(header: str) -> None:
    """Distance limits in km, or in miles converted, become Driver.max_distance_m."""
    result = import_roster([header], ["25"], ["25 km"], ["10 miles"], ["10 mi"], ["2500 metres"])
    assert result.columns["max_km"] == header
    assert [d.max_distance_m for d in result.drivers] == [25000, 25000, 16093, 16093, 2500]
    assert result.problems == []


def test_max_miles_header_reads_bare_numbers_as_miles() -> None:
    """Under a "Max miles" header, "10" is ten miles; "10 km" stays kilometres."""
    result = import_roster(["Max miles"], ["10"], ["10 km"])
    assert [d.max_distance_m for d in result.drivers] == [16093, 10000]


def test_bad_max_km_are_warnings_and_no_limit() -> None:
    """Unreadable, negative and absurd distances are warnings; no limit is set."""
    result = import_roster(["Max km"], ["far"], ["-5"], ["5000"])
    assert [d.max_distance_m for d in result.drivers] == [None] * 3
    assert problem_tuples(result) == [
        (2, "Max km", "far", "warning"),
        (3, "Max km", "-5", "warning"),
        (4, "Max km", "5000", "warning"),
    ]


@pytest.mark.parametrize("header", ["Hub", "Pickup", "Pantry", "Load at", "Recoger en"])
def test_hub_column_kept_as_written(header: str) -> None:
    """The hub is kept as written (the caller maps names to ids); blank or "any" lets the
    solver choose."""
    result = import_roster([header], ["Main St Pantry"], [""], ["any"])
    assert result.columns["hub"] == header
    assert [d.hub for d in result.drivers] == ["Main St Pantry", None, None]
    assert result.problems == []


def test_page_language_is_the_first_language_aidroute_writes() -> None:
    """A driver's pages are in the first of their languages aidroute has pages in
    ("Español, English" -> Spanish; "Bengali, English" -> English); none of them, or none
    given, leaves the plan's language ("")."""
    result = import_roster(
        ["Languages"],
        ["Español, English"],
        ["English, Spanish"],
        ["Bengali, English"],
        ["Bengali"],
        [""],
        ["spanish (mexico)"],
    )
    assert [d.locale for d in result.drivers] == ["es", "en", "en", "", "", "es"]
    assert result.drivers[0].languages == {"en", "es"}
    assert result.problems == []


@pytest.mark.parametrize(
    "header", ["Page language", "Idioma de la página", "Which language should your page be in?"]
)
def test_page_language_column_wins(header: str) -> None:
    """A "Page language" column chooses over the languages spoken; one aidroute has no
    pages in is a warning naming the cell, and the languages spoken choose instead."""
    result = import_roster(
        ["Languages", header], ["English, Spanish", "Español"], ["Spanish", "French"], ["", ""]
    )
    assert result.columns["page_language"] == header
    assert result.columns["languages"] == "Languages"
    assert [d.locale for d in result.drivers] == ["es", "es", ""]
    assert problem_tuples(result) == [(3, header, "French", "warning")]
    assert "en, es" in result.problems[0].reason


def test_roster_and_deliveries_with_every_new_column_build_a_problem() -> None:
    """Everything imported here fits the model's Problem when the hub names are ids."""
    from routing.model import Hub, LatLon

    roster = import_roster(["Cooler", "Max minutes", "Max km", "Hub"], ["3", "2h", "40", "h1"])
    stops = import_placed_deliveries(
        ["Boxes", "Frozen", "Stairs", "Never send"], ["2", "1", "yes", "D0"]
    )
    problem = Problem(
        (Hub("h1", "Pantry", LatLon(40.72, -73.74)),), tuple(stops.stops), tuple(roster.drivers)
    )
    d, s = problem.drivers[0], problem.stops[0]
    assert (d.capacity_frozen, d.max_route_s, d.max_distance_m, d.hub) == (3, 7200, 40000, "h1")
    assert (s.frozen, s.service_s, s.exclude_drivers) == (1, 600, frozenset({"D0"}))


def test_long_roster_cells_are_cut_with_a_warning() -> None:
    """A volunteer's phone with a remark and a long list of skills: cut to what a plan
    keeps, with a warning naming the row and the column; the driver still drives."""
    phone = "917-555-0155 (text only please, I can't pick up while driving)"
    skills = ", ".join(f"skill {i}" for i in range(22))
    result = import_roster(["Cell", "Skills"], [phone, skills], ["929-555-0135", "stairs"])
    assert len(result.drivers) == 2
    first = result.drivers[0]
    assert first.phone == phone[:50].rstrip() and len(first.skills) == 20
    assert [(p.row, p.field, p.severity) for p in result.problems] == [
        (2, "Cell", "warning"),
        (2, "Skills", "warning"),
    ]
    assert result.drivers[1].phone == "929-555-0135" and result.drivers[1].skills == {"stairs"}
