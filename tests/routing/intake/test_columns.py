"""Headers to fields: aliases, long form questions, explicit mappings, the header row."""

from __future__ import annotations

import pytest

from routing.errors import InputError
from routing.geocoding.offline import OfflineGeocoder
from routing.intake.deliveries import import_deliveries
from routing.intake.roster import import_drivers
from tests.helpers.intake import FIXTURES, csv_bytes, import_placed_deliveries


def test_google_forms_export(geocoder: OfflineGeocoder) -> None:
    """Timestamp column and long question headers are recognised; the rest is ignored."""
    data = csv_bytes(
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


def test_frozen_in_a_long_form_question_is_not_taken_for_boxes() -> None:
    """A Google-Forms question about frozen bags is the frozen column, not the boxes one."""
    result = import_placed_deliveries(["How many frozen bags?", "How many bags?"], ["1", "4"])
    assert result.columns["frozen"] == "How many frozen bags?"
    assert result.columns["boxes"] == "How many bags?"
    assert [(s.boxes, s.frozen) for s in result.stops] == [(4, 1)]


def test_unrecognised_address_column_says_how_to_map() -> None:
    """With no address column, the error lists the headers and the --columns syntax."""
    data = csv_bytes([["Who", "Drop-off spot"], ["Ana", "206-16 Hollis Ave"]])
    with pytest.raises(InputError) as e:
        import_deliveries(data, filename="x.csv")
    message = str(e.value)
    assert "'Who', 'Drop-off spot'" in message
    assert '--columns address="Your header"' in message


def test_columns_mapping(geocoder: OfflineGeocoder) -> None:
    """An explicit mapping names the column; a wrong one is reported clearly."""
    data = csv_bytes([["Who", "Where do you live?"], ["Ana", "206-16 Hollis Ave"]])
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


def test_a_food_banks_export_reads_its_second_phone_and_needs_no_state() -> None:
    """A client export as pantry software writes it: Home Phone and Cell Phone (the cell
    read, the home phone where the cell is blank), a State column (not needed: the area
    says where addresses are), Delivery Day (not known: said)."""
    result = import_deliveries(FIXTURES / "pantry_export.csv")
    assert result.columns["phone"] == "Cell Phone"
    assert [s.phone for s in result.stops] == [
        "(347) 555-0168",
        "(718) 555-0100",
        "(917) 555-0172",
    ]
    assert result.column_notes["Home Phone"].startswith("read as phone where 'Cell Phone'")
    assert result.column_notes["State"] == "not needed for planning"
    assert "Home Phone" not in result.ignored_columns
    assert [p.field for p in result.problems] == ["Delivery Day"]


def test_a_roster_reads_its_second_phone_and_warns_about_it() -> None:
    """A roster's home phone stands in for a blank mobile; a problem with that number
    names the column it came from."""
    data = csv_bytes(
        [
            ["Name", "Capacity", "Available", "Mobile", "Home phone"],
            ["Ana", "20", "9-13", "917-555-0155", ""],
            ["Bo", "20", "9-13", "", "12"],
        ]
    )
    result = import_drivers(data, filename="r.csv")
    assert [d.phone for d in result.drivers] == ["917-555-0155", "12"]
    assert [(p.row, p.field, p.value) for p in result.problems] == [(3, "Home phone", "12")]


def test_a_spanish_workbook_with_a_surname_column_keeps_whole_names() -> None:
    """A pantry's workbook in Spanish, typed in Excel: "Nombre" and "Apellido" (the
    surname joins the name: it was dropped), numbers as numbers (phone, CP), a time of
    day and a date-time in the delivery hour."""
    result = import_deliveries(FIXTURES / "clientes_despensa.xlsx")
    assert [s.recipient for s in result.stops] == [
        "María González",
        "José Pérez",
        "Lucía Ramírez",
    ]
    assert [s.phone for s in result.stops] == ["7185550101", "9175550102", "+1 917 555 0103"]
    assert [(p.row, p.field) for p in result.problems] == [(4, "Hora de entrega")]


def test_a_name_column_already_holding_the_surname_is_kept() -> None:
    """A full name beside a surname column is not given the surname twice; a roster's
    "Name" and "Last name" make the driver's whole name."""
    result = import_placed_deliveries(["Apellido"], ["Pérez"])
    assert result.stops[0].recipient == "N Pérez"
    data = csv_bytes(
        [
            ["Name", "Surname", "Capacity", "Available"],
            ["Ana Ruiz", "Ruiz", "20", "9-13"],
            ["Bo", "Chen", "20", "9-13"],
            ["Thomas", "Ho", "20", "9-13"],
        ]
    )
    assert [d.name for d in import_drivers(data, filename="r.csv").drivers] == [
        "Ana Ruiz",
        "Bo Chen",
        "Thomas Ho",
    ]


@pytest.mark.parametrize(
    "other",
    [
        "Case worker phone",
        "Emergency contact phone",
        "Teléfono de un familiar",
        "Referrer phone",
        "Phone type",
    ],
)
def test_somebody_elses_phone_never_stands_in(other: str) -> None:
    """A column holding somebody else's number is no second line of the household: a
    blank phone stays blank, and two households at one address sharing their case
    worker's number stay two (one was merged away, and not delivered)."""
    data = csv_bytes(
        [
            ["Name", "Address", "Phone", other, "Boxes"],
            ["Ana Lopez", "98-12 218th St", "", "718-555-0100", "2"],
            ["Bo Chen", "98-12 218th St", "", "718-555-0100", "1"],
        ]
    )
    result = import_deliveries(data, filename="list.csv")
    assert [(s.recipient, s.phone) for s in result.stops] == [("Ana Lopez", ""), ("Bo Chen", "")]
    assert result.column_notes[other].startswith("not read")
