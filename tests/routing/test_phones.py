"""routing.phones: numbers as volunteers type them, in several countries."""

from __future__ import annotations

import pytest

from routing.phones import display_phone, e164, is_valid_phone, phone_key, tel_uri


@pytest.mark.parametrize(
    ("typed", "region", "expected"),
    [
        ("7185550155", "US", "+17185550155"),
        ("(718) 555-0155", "US", "+17185550155"),
        ("718.555.0155", "us", "+17185550155"),
        ("+1 718 555 0155", None, "+17185550155"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("449 123 4567", "MX", "+524491234567"),
        ("(718) 555-0155", None, ""),  # no country to read it in: not guessed
        ("call her daughter", "US", ""),
        ("", "US", ""),
    ],
)
def test_e164_reads_numbers_in_the_areas_country(typed, region, expected):
    """A number without a country code is read in the area's country; one with a code as
    given; text that is not a number (or no country to read it in) gives nothing."""
    assert e164(typed, region) == expected


def test_display_is_how_people_of_the_area_write_it():
    """Local numbers in the local style; a foreign one keeps its country code; what cannot
    be read stays as typed."""
    assert display_phone("7185550155", "US") == "(718) 555-0155"
    assert display_phone("0033612345678", "FR") == "06 12 34 56 78"
    assert display_phone("+44 20 7946 0958", "US") == "+44 20 7946 0958"
    assert display_phone(" ask at door ", "US") == "ask at door"
    assert display_phone("555-0101", "US") == "555-0101"  # no area code: left as typed


def test_tel_links_dial_from_anywhere():
    """tel: links carry E.164; an unreadable number keeps its digits; no digits, no link."""
    assert tel_uri("(718) 555-0155", "US") == "tel:+17185550155"
    assert tel_uri("555-0101", None) == "tel:5550101"
    assert tel_uri("555-0101", "US") == "tel:5550101"  # dialled as a local number
    assert tel_uri("+33 6 12 34 56 78 ") == "tel:+33612345678"
    assert tel_uri("none", "US") == ""


def test_validity_knows_numbering_plans():
    """An area code that does not exist, or a number one digit short, is not valid; a
    number of the right shape in a real area code is."""
    assert is_valid_phone("718-262-1000", "US") is True
    assert is_valid_phone("123-456-7890", "US") is False  # no area code starts with 1
    assert is_valid_phone("718-262-100", "US") is False
    assert is_valid_phone("06 12 34 56 78", "FR") is True


def test_phone_key_matches_one_number_however_written():
    """Matching across weeks: one number in three spellings is one key; numbers that cannot
    be read fall back to their last ten digits; too few digits match nothing."""
    spellings = ["(718) 555-0101", "718-555-0101", "+1 718 555 0101"]
    assert {phone_key(s, "US") for s in spellings} == {"+17185550101"}
    assert phone_key("x1234567", None) == "1234567"
    assert phone_key("12-34", "US") == ""
