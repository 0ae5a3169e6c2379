"""Whole questions as headers, as Google Forms and volunteers write them, in English and
Spanish; workbooks whose first sheet is not the table; nothing ignored in silence."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from routing.errors import InputError
from routing.geocoding.offline import OfflineGeocoder
from routing.intake.columns import header_scores, map_columns
from routing.intake.deliveries import import_deliveries
from routing.intake.questions import DELIVERY_FIELDS, DRIVER_FIELDS
from routing.intake.roster import import_drivers
from tests.helpers.intake import FIXTURES, csv_bytes


def test_google_forms_questions_are_read(geocoder: OfflineGeocoder) -> None:
    """Finding 1 and 2: a Google Forms export. "Best delivery time" is the window and its
    "11-1" and "after 11am" are kept; "Street address (include apt #)" is the address (the
    apartment split off), not the unit."""
    result = import_deliveries(FIXTURES / "form_responses.csv", geocoder=geocoder)
    assert result.columns["window"] == "Best delivery time"
    assert result.columns["address"] == "Street address (include apt #)"
    assert result.columns["boxes"] == "How many bags?"
    assert "unit" not in result.columns
    rosa = next(s for s in result.stops if s.recipient == "Rosa Uddin")
    assert (rosa.address, rosa.unit, rosa.precision) == ("110-22 Springfield Blvd", "Fl 2", "exact")
    assert [str(w) for w in rosa.windows] == ["09:00-12:00"]  # "morning"
    ana = next(s for s in result.stops if s.recipient == "Ana Ruiz")
    assert [str(w) for w in ana.windows] == ["11:00-13:00"]
    darnell = next(s for s in result.stops if s.recipient == "Darnell Joseph")
    assert [str(w) for w in darnell.windows] == ["11:00-24:00"]


def test_google_forms_choice_labels_give_windows() -> None:
    """A form whose delivery time is a multiple-choice question: the hours inside each
    label ("Morning (9-12)", "Mañana (9 a 12)", "Tarde (2-5 pm)") are the window; a word
    alone reads as before; only the label holding two different ranges is warned about."""
    result = import_deliveries(FIXTURES / "forms_choice_labels.csv")
    assert result.columns["window"] == "Preferred delivery time"
    windows = {s.recipient: [str(w) for w in s.windows] for s in result.stops}
    assert windows == {
        "Maria Lopez": ["09:00-12:00"],
        "John Okafor": ["13:00-16:00"],
        "Priya Das": [],
        "Luis Ortega": ["17:00-20:00"],
        "Rosa Martínez": ["09:00-12:00"],
        "José Pérez": ["14:00-17:00"],
        "Grace Kim": ["09:00-12:00"],
        "Ahmed Khan": ["13:00-16:00"],
        "Sam Lee": ["09:00-12:00", "13:00-16:00"],
        "Ana Gómez": ["09:00-12:00"],
        "Fatou Diallo": [],
    }
    warned = [(p.row, p.value) for p in result.problems if p.field == "Preferred delivery time"]
    assert warned == [(12, "Morning (9-12) but 10-11 is best")]
    assert "could not read this time window" in next(
        p.reason for p in result.problems if p.field == "Preferred delivery time"
    )


def test_every_column_not_read_is_said_and_warned_about() -> None:
    """Finding 1: the columns nobody reads are listed with what they look like; one that
    may matter is a warning in the problems, a form's timestamp is just "not needed"."""
    result = import_deliveries(FIXTURES / "form_responses.csv")
    assert result.column_notes["Timestamp"] == "not needed for planning"
    assert result.column_notes["How many people live in your household?"] == (
        "not needed for planning"
    )
    assert "not used for planning" in result.column_notes["Email Address"]
    weekdays = result.column_notes["Is anyone home on weekdays?"]
    assert weekdays.startswith("not read") and '--columns notes="Is anyone' in weekdays
    warned = [p.field for p in result.problems if p.row is None]
    assert warned == ["Is anyone home on weekdays?"]


def test_a_second_column_like_one_already_read_says_how_to_swap() -> None:
    """Two phone columns: the second is read where the first is blank, and the note says
    so and how to read it first."""
    result = import_deliveries(
        csv_bytes(
            [
                ["Name", "Address", "Phone", "Cell phone (for texts)"],
                ["Ana", "206-16 Hollis Ave", "718-555-0131", "917-555-0199"],
                ["Bo", "206-18 Hollis Ave", "", "917-555-0198"],
            ]
        ),
        filename="x.csv",
    )
    note = result.column_notes["Cell phone (for texts)"]
    assert note.startswith("read as phone where 'Phone' is blank")
    assert '--columns phone="Cell phone (for texts)"' in note
    assert [s.phone for s in result.stops] == ["718-555-0131", "917-555-0198"]
    assert result.problems == []


def test_a_column_whose_field_another_took_is_not_read_as_a_weaker_one() -> None:
    """A roster's "Home phone" beside "Mobile" is a second phone, never the driver's home
    address (it was read as one: a phone number geocoded as where the driver starts)."""
    from routing.intake.roster import import_drivers

    header = ["Name", "Capacity", "Available", "Mobile", "Home phone"]
    row = ["Ana", "20", "9-13", "", "718-555-0131"]
    result = import_drivers(csv_bytes([header, row]), filename="r.csv")
    assert "home" not in result.columns
    assert result.drivers[0].phone == "718-555-0131" and result.drivers[0].home is None


def test_spanish_google_form(geocoder: OfflineGeocoder) -> None:
    """A Spanish form: every question read, "de 10 a 12" and "por la tarde" understood."""
    result = import_deliveries(FIXTURES / "respuestas_formulario.csv", geocoder=geocoder)
    assert result.columns == {
        "name": "Nombre completo",
        "address": "Dirección (calle y número)",
        "unit": "Número de apartamento",
        "postcode": "Código postal",
        "phone": "Teléfono (WhatsApp)",
        "boxes": "¿Cuántas cajas necesita?",
        "window": "Horario preferido de entrega",
        "language": "Idioma",
        "notes": "Comentarios",
    }
    assert result.column_notes["Marca temporal"] == "not needed for planning"
    windows = {s.recipient: [str(w) for w in s.windows] for s in result.stops}
    assert windows["María González"] == ["10:00-12:00"]
    assert windows["José Peña"] == ["12:00-17:00"]
    assert [s.boxes for s in result.stops] == [2, 1, 3, 2]


def test_spanish_roster_is_read() -> None:
    """Finding 3: "Capacidad (cajas)" and "Disponible" are the capacity and the hours."""
    result = import_drivers(FIXTURES / "voluntarios.csv")
    assert result.ok
    assert result.columns["capacity"] == "Capacidad (cajas)"
    assert result.columns["window"] == "Disponible"
    assert [(d.name, d.capacity_boxes, str(d.shift)) for d in result.drivers][:2] == [
        ("María López", 25, "09:00-13:00"),
        ("Pedro Sánchez", 15, "10:00-14:00"),
    ]
    assert result.drivers[0].languages == {"es", "en"}


def test_roster_notes_are_notes_not_skills() -> None:
    """Finding 4: "speaks Spanish" in a Notes column is a note: no driver gets a skill."""
    result = import_drivers(FIXTURES / "roster_with_notes.csv")
    assert result.columns["notes"] == "Notes"
    assert "skills" not in result.columns
    assert all(not d.skills for d in result.drivers)
    assert 'skills="Notes"' in result.column_notes["Notes"]


def test_skills_guessed_from_a_question_are_warned_about() -> None:
    """A roster question that only looks like skills is read, with a warning to check it."""
    result = import_drivers(
        csv_bytes(
            [
                ["Name", "Capacity", "Available", "What can do you on the day? (skills)"],
                ["Ana", "20", "9-13", "heavy, large_car"],
            ]
        ),
        filename="r.csv",
    )
    assert result.drivers[0].skills == {"heavy", "large_car"}
    (warning,) = [p for p in result.problems if p.row is None]
    assert warning.field == "What can do you on the day? (skills)"
    assert "guessed from the question's words" in warning.reason


@pytest.mark.parametrize(
    ("header", "fields", "field"),
    [
        ("Street address (include apt #)", DELIVERY_FIELDS, "address"),
        ("Apt # (if any)", DELIVERY_FIELDS, "unit"),
        ("Where do you live?", DELIVERY_FIELDS, "address"),
        ("Best delivery time", DELIVERY_FIELDS, "window"),
        ("How many bags?", DELIVERY_FIELDS, "boxes"),
        ("Dirección", DELIVERY_FIELDS, "address"),
        ("Horario", DELIVERY_FIELDS, "window"),
        ("Disponible", DRIVER_FIELDS, "window"),
        ("Capacidad (cajas)", DRIVER_FIELDS, "capacity"),
        ("How many boxes fit in your car?", DRIVER_FIELDS, "capacity"),
        ("Availability [Saturday]", DRIVER_FIELDS, "window"),
        ("Do you live in a walk-up (no elevator)?", DELIVERY_FIELDS, "stairs"),
    ],
)
def test_strongest_evidence_wins(header: str, fields, field: str) -> None:  # type: ignore[no-untyped-def]
    """Each question alone is read as the field a person would say it holds."""
    assert map_columns([header], fields).cols == {field: 0}


def test_yes_no_questions_are_weak_evidence() -> None:
    """ "Is anyone home on weekdays?" is no home address; "How many people live ..." no boxes."""
    assert map_columns(["Is anyone home on weekdays?"], DRIVER_FIELDS).cols == {}
    scores = header_scores("How many people live in your household?", DELIVERY_FIELDS)
    assert scores[""] > scores["boxes"]
    assert map_columns(["How many people live in your household?"], DELIVERY_FIELDS).cols == {}


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


_INSTRUCTIONS = [
    ["How to use this workbook"],
    [],
    ["1. Add each household on the Deliveries tab, one row per household."],
    ["2. Put the full street address in the Address column and the apartment in Apt."],
    ["3. Drivers sign up on the Volunteers tab."],
]
_DELIVERIES = [
    ["Name", "Address", "Apt", "Zip", "Bags", "Delivery window"],
    ["Ana Ruiz", "206-16 Hollis Avenue", "3B", "11429", 2, "10-12"],
    ["Darnell Joseph", "109-08 214th St", "", "11429", 3, ""],
]
_VOLUNTEERS = [
    ["Name", "Phone", "Car fits (boxes)", "Hours"],
    ["Ana Delgado", "917-555-0155", 30, "9-13"],
]


def test_first_tab_with_instructions(tmp_path: Path) -> None:
    """Finding 5: the first tab holds instructions; the Deliveries tab is read, and said."""
    path = _workbook(
        tmp_path / "week.xlsx",
        {"Instructions": _INSTRUCTIONS, "Deliveries": _DELIVERIES, "Volunteers": _VOLUNTEERS},
    )
    result = import_deliveries(path)
    assert [s.recipient for s in result.stops] == ["Ana Ruiz", "Darnell Joseph"]
    (note,) = [p for p in result.problems if p.field == "sheet"]
    assert note.severity == "warning" and "sheet 'Deliveries' was read" in note.reason
    roster = import_drivers(path)
    assert [d.name for d in roster.drivers] == ["Ana Delgado"]
    assert roster.drivers[0].capacity_boxes == 30
    assert import_drivers(path, sheet="Volunteers").drivers == roster.drivers


def test_no_sheet_holds_a_table_names_the_sheets(tmp_path: Path) -> None:
    """A workbook where no sheet holds the table says which sheets exist and how to choose."""
    path = _workbook(
        tmp_path / "week.xlsx",
        {"Instructions": _INSTRUCTIONS, "Totals": [["Week", "Boxes"], [47, 260]]},
    )
    with pytest.raises(InputError) as e:
        import_deliveries(path)
    message = str(e.value)
    assert "Sheets in this workbook: 'Instructions', 'Totals'" in message
    assert "--sheet NAME" in message


def test_a_roster_checked_as_deliveries_says_to_add_drivers() -> None:
    """Finding 15: a roster read as a delivery list points at --drivers, not at a column."""
    with pytest.raises(InputError) as e:
        import_deliveries(FIXTURES / "voluntarios.csv")
    message = str(e.value)
    assert "looks like a drivers' roster" in message and "--drivers" in message


def test_a_form_sent_twice_is_planned_once(geocoder: OfflineGeocoder) -> None:
    """Finding 6: Ana sent the form twice ("Apt 3B" then "apt 3b", 2 then 3 bags): one stop,
    the later row's, and both rows say so, naming no command-line option (the web page shows
    these words too); keep_duplicates plans both, with a warning."""
    result = import_deliveries(FIXTURES / "form_responses.csv", geocoder=geocoder)
    anas = [s for s in result.stops if s.recipient == "Ana Ruiz"]
    assert [(s.row, s.boxes) for s in anas] == [(5, 3)]
    said = {p.row: p.reason for p in result.problems if p.row in (2, 5)}
    assert said[2].startswith("same address and unit as row 5: one household, planned once")
    assert said[2].endswith("as row 5 (the later row)") and "--" not in said[2]
    assert said[5] == "same address and unit as row 2, which is left out: this row is planned"
    assert next(r for r in result.rows if r.row == 2).status == "warning"
    both = import_deliveries(
        FIXTURES / "form_responses.csv", geocoder=geocoder, keep_duplicates=True
    )
    assert [s.row for s in both.stops if s.recipient == "Ana Ruiz"] == [2, 5]


def test_same_person_at_two_addresses_is_one_household() -> None:
    """Same name and phone, the address corrected in the second submission: planned once."""
    result = import_deliveries(
        csv_bytes(
            [
                ["Name", "Phone", "Address", "lat", "lon"],
                ["Ana Ruiz", "(718) 555-0131", "206-16 Holis Ave", "40.7073", "-73.7505"],
                ["Ben Ode", "718 555 0177", "98-12 218th St", "40.7120", "-73.7390"],
                ["ana ruiz", "718-555-0131", "206-16 Hollis Ave", "40.7073", "-73.7505"],
            ]
        ),
        filename="x.csv",
    )
    assert [s.row for s in result.stops] == [3, 4]
    assert "same name and phone as row 4" in result.problems[0].reason


def test_two_names_at_one_address_without_unit_are_two_households() -> None:
    """A house of unnumbered flats: two names at one address are both planned, and warned."""
    result = import_deliveries(
        csv_bytes(
            [
                ["Name", "Address", "lat", "lon"],
                ["Ana Ruiz", "206-16 Hollis Ave", "40.7073", "-73.7505"],
                ["Ben Ode", "206-16 Hollis Ave", "40.7073", "-73.7505"],
            ]
        ),
        filename="x.csv",
    )
    assert len(result.stops) == 2
    assert "two households? add the unit" in result.problems[0].reason


def test_phone_numbers_are_checked_in_the_area_country() -> None:
    """Finding 8: with the area's country, "555-01" is warned about by libphonenumber's
    rules, the others are not; every number is kept as typed."""
    result = import_deliveries(FIXTURES / "form_responses.csv", region="US")
    phone_problems = [(p.row, p.value) for p in result.problems if p.field == "Phone number"]
    assert phone_problems == [(9, "555-01")]
    assert "cannot" not in result.problems[-1].reason
    warned = next(p for p in result.problems if p.field == "Phone number")
    assert "not a phone number that can be dialled in US" in warned.reason
    phones = {s.recipient: s.phone for s in result.stops}
    assert phones["Rosa Uddin"] == "9175550163"
    assert phones["Darnell Joseph"] == "929-555-0119"
    roster = import_drivers(
        csv_bytes([["Name", "Capacity", "Available", "Phone"], ["Ana", "20", "9-13", "555-0111"]]),
        filename="r.csv",
        region="US",
    )
    assert [p.value for p in roster.problems] == ["555-0111"]


def test_cross_streets_are_placed_at_the_corner(geocoder: OfflineGeocoder) -> None:
    """Finding 7: "Hollis Ave & 212th St" and "esquina de Hollis Ave y 212th St" are placed
    at the corner, drivers are shown the corner's name, and the dispatcher is told."""
    from routing.geo import distance_m
    from routing.model import LatLon

    corner = LatLon(40.709463, -73.745823)
    english = import_deliveries(FIXTURES / "form_responses.csv", geocoder=geocoder)
    spanish = import_deliveries(FIXTURES / "respuestas_formulario.csv", geocoder=geocoder)
    for result, name in ((english, "Tahmina Miller"), (spanish, "Lucía Ramírez")):
        stop = next(s for s in result.stops if s.recipient == name)
        assert stop.precision == "intersection"
        assert stop.location is not None and distance_m(stop.location, corner) < 15
        assert stop.matched.startswith("Hollis Avenue & 212th Street")
        (said,) = [p for p in result.problems if p.row == stop.row]
        assert said.severity == "warning" and "drivers are sent to the corner" in said.reason


def test_out_of_area_postcode_names_every_postcode_of_the_area(geocoder) -> None:
    """Finding 15: a household outside the area is told the area's postcodes, all of them,
    the main ones (where its addresses are) first; none cut off."""
    result = import_deliveries(FIXTURES / "messy_deliveries.csv", geocoder=geocoder)
    (outside,) = [p for p in result.problems if p.row == 12]
    assert (
        "(its postcodes: 11364, 11411, 11412, 11423, 11426, 11427, 11428, 11429; "
        "at its edges 11003, 11207, 11433, 11434)"
    ) in outside.reason
