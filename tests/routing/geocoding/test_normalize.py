"""Address normalisation: street keys, house numbers, units, parsing a written address."""

from __future__ import annotations

import pytest

from routing.geocoding.normalize import housenumber_key, parse_address, split_unit, street_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("109th Avenue", "109 Ave"),
        ("109th Avenue", "109TH AVE."),
        ("Springfield Boulevard", "springfield blvd"),
        ("Francis Lewis Boulevard", "Francis Lewis Blvd."),
        ("93rd Road", "93 Rd"),
        ("215th Place", "215 Pl"),
        ("113th Drive", "113th Dr"),
        ("217th Lane", "217 Ln"),
        ("Hollis Court Boulevard", "Hollis Ct Blvd"),
        ("Cross Island Parkway", "Cross Island Pkwy"),
        ("North Main Street", "N Main St"),
        ("East 4th Street", "E. 4 St."),
        ("First Avenue", "1st Ave"),
        ("Saint Marks Place", "St. Marks Pl"),
        ("Avenida Ayuntamiento", "Av. Ayuntamiento"),
        ("Avenida Ayuntamiento", "Avda Ayuntamiento"),
        ("Calle Amanecer", "C. Amanecer"),
        ("Avenida Convención de 1914 Oriente", "Av. Convencion de 1914 Ote."),
        ("Hauptstraße", "Hauptstr."),
        ("Hauptstraße", "Haupt Strasse"),
        ("Schillerstrasse", "Schillerstraße"),
        ("Bahía de Kino", "bahia de kino"),
    ],
)
def test_street_spellings_share_a_key(a: str, b: str) -> None:
    """Case, punctuation, accents, types, directions and ordinals do not change the key."""
    assert street_key(a).key == street_key(b).key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("218th Street", "219th Street"),
        ("109th Avenue", "109th Road"),
        ("5th Avenue", "115th Avenue"),
    ],
)
def test_different_streets_keep_different_keys(a: str, b: str) -> None:
    """Numbers and types that differ keep streets apart."""
    assert street_key(a).key != street_key(b).key


def test_hyphenated_house_numbers() -> None:
    """New York's "203-06" is the same house as "20306" and "203 - 06"."""
    assert housenumber_key("203-06") == housenumber_key("20306") == "20306"
    assert housenumber_key("12 B") == housenumber_key("12b")


@pytest.mark.parametrize(
    ("text", "rest", "unit"),
    [
        ("203-06 109th Ave Apt 3B", "203-06 109th Ave", "Apt 3B"),
        ("203-06 109th Ave #3B", "203-06 109th Ave", "#3B"),
        ("203-06 109th Ave, Unit 2", "203-06 109th Ave", "Unit 2"),
        ("203-06 109th Ave 2nd floor", "203-06 109th Ave", "2nd floor"),
        ("203-06 109th Ave Basement", "203-06 109th Ave", "Basement"),
        ("Calle Sol 12 Depto 4", "Calle Sol 12", "Depto 4"),
        ("Calle Sol #12", "Calle Sol #12", ""),  # "#" before a number is the house number here
        ("12 Front Street", "12 Front Street", ""),
        ("1 Floral Park Ave", "1 Floral Park Ave", ""),
    ],
)
def test_units_come_out_of_the_address(text: str, rest: str, unit: str) -> None:
    """Apartment and floor notes are split off; street words that look alike are not."""
    assert split_unit(text) == (rest, unit)


@pytest.mark.parametrize(
    ("text", "number", "street", "postcode"),
    [
        ("203-06 109th Ave, Queens, NY 11412", "203-06", "109th Ave", "11412"),
        (
            "20306 109 avenue Queens Village NY 11412",
            "20306",
            "109 avenue Queens Village NY",
            "11412",
        ),
        ("Avenida Ayuntamiento 407", "407", "Avenida Ayuntamiento", ""),
        ("Av. Ayuntamiento #407, 20000 Aguascalientes, Ags.", "407", "Av. Ayuntamiento", "20000"),
        ("Nayarit, 301", "301", "Nayarit", ""),
        ("Hauptstr. 5, 10115 Berlin", "5", "Hauptstr", "10115"),
        ("Avenida Perseo S/N", "", "Avenida Perseo", ""),
        ("Hollis Avenue", "", "Hollis Avenue", ""),
    ],
)
def test_parse_address(text: str, number: str, street: str, postcode: str) -> None:
    """Number before or after the street, trailing city/state/postcode split off."""
    p = parse_address(text)
    assert (p.housenumber, p.street, p.postcode) == (number, street, postcode)
