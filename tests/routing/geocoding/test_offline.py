"""Offline geocoding: precision levels, fixes, speed, on two real areas."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from routing.geo import distance_m
from routing.geocoding.offline import OfflineGeocoder
from routing.geocoding.result import Geocoder
from routing.model import LatLon
from routing.roads.area import load_area
from routing.roads.osm import read_osm
from tests.conftest import shared_file

#: 206-16 Hollis Avenue, 11429 and 203-06 109th Avenue, 11412 in the demo area's table.
HOLLIS = LatLon(40.707320, -73.750551)


AVE_109 = LatLon(40.707801, -73.754875)


@pytest.fixture(scope="module")
def area():
    """The committed demo area."""
    return load_area("queens-village")


@pytest.fixture(scope="module")
def qv(area) -> OfflineGeocoder:
    """The demo area's offline geocoder."""
    return OfflineGeocoder.from_area(area)


def test_is_a_geocoder(qv: OfflineGeocoder) -> None:
    """OfflineGeocoder satisfies the Geocoder protocol the importer uses."""
    assert isinstance(qv, Geocoder)


@pytest.mark.parametrize(
    "text",
    [
        "206-16 Hollis Avenue",
        "20616 hollis ave",
        "206-16 HOLLIS AV.",
        "206-16 Hollis Ave, Queens, NY 11429",
        "206-16 Hollis Avenue Queens Village NY 11429",
        "206-16 Hollis Ave Apt 2B",
        "206-16 Hollis Ave #3",
        "206-16 Holis Avenue",  # typo
        "206-16 Hollsi Ave",  # transposed letters
        "206-16 Hollis Avnue",  # typo in the type
    ],
)
def test_demo_address_variants(qv: OfflineGeocoder, text: str) -> None:
    """Every way of writing one real address lands on it, as an exact match."""
    r = qv.geocode(text)
    assert r.precision == "exact", r
    assert distance_m(r.location, HOLLIS) < 5
    assert r.matched == "206-16 Hollis Avenue, 11429"


@pytest.mark.parametrize("text", ["203-06 109th Avenue", "20306 109 Ave", "203-06 109 avenue"])
def test_ordinals(qv: OfflineGeocoder, text: str) -> None:
    """'109 Ave' is '109th Avenue'."""
    r = qv.geocode(text)
    assert r.precision == "exact" and distance_m(r.location, AVE_109) < 5


def test_numbered_streets_are_never_fuzzy(qv: OfflineGeocoder) -> None:
    """A number on a numbered street that does not exist is not moved to the next street."""
    r = qv.geocode("206-16 1090th Avenue")
    assert r.precision == "not_found"


def test_street_only_is_a_warning_level_result(qv: OfflineGeocoder) -> None:
    """No house number: placed on the street, precision 'street', lower score."""
    r = qv.geocode("Hollis Avenue", postcode="11412")
    assert r.precision == "street" and r.location is not None and r.score < 0.9
    assert "no house number" in r.reason


def test_not_found_is_never_a_guess(qv: OfflineGeocoder) -> None:
    """An unknown street is not found, with no location."""
    r = qv.geocode("123 Nonexistent Street")
    assert (r.location, r.precision) == (None, "not_found")
    assert "Nonexistent Street" in r.reason


def test_outside_the_area(qv: OfflineGeocoder) -> None:
    """A postcode that is not in the area is reported as outside it."""
    r = qv.geocode("350 5th Avenue, New York, NY 10118")
    assert (r.location, r.precision) == (None, "outside_area")
    assert qv.contains(HOLLIS) and not qv.contains(LatLon(51.5, -0.12))


def test_interpolation_between_known_numbers(area) -> None:
    """A number missing from the table is placed between its neighbours on the same side."""
    table = area.addresses
    is_it = (table.housenumber == "206-16") & (table.street == "Hollis Avenue")
    geocoder = OfflineGeocoder(table[~is_it], bbox=area.bbox)
    r = geocoder.geocode("206-16 Hollis Ave")
    assert r.precision == "interpolated", r
    assert distance_m(r.location, HOLLIS) < 25
    assert "between 206-" in r.reason


def test_postcode_chooses_between_same_named_streets() -> None:
    """Two 'Main Street's in two towns: the postcode picks one; without it, no guess."""
    table = pd.DataFrame(
        {
            "housenumber": ["10", "12", "10", "12"],
            "street": ["Main Street"] * 4,
            "postcode": ["11001", "11001", "22002", "22002"],
            "city": ["Elmwood", "Elmwood", "Oakdale", "Oakdale"],
            "lat": [40.0, 40.0001, 40.2, 40.2001],
            "lon": [-73.0, -73.0, -73.3, -73.3],
        }
    )
    g = OfflineGeocoder(table)
    east = g.geocode("10 Main St", postcode="22002")
    assert east.precision == "exact" and east.location.lat == pytest.approx(40.2)
    west = g.geocode("10 Main St, Elmwood 11001")
    assert west.precision == "exact" and west.location.lat == pytest.approx(40.0)
    unsure = g.geocode("10 Main St")
    assert unsure.location is None and "add the postcode" in unsure.reason


def test_thousand_rows_under_two_seconds(area) -> None:
    """Geocoding 1,000 rows offline (fresh geocoder, cold caches) takes under 2 s."""
    table = area.addresses.sample(1000, random_state=3)
    queries = [
        f"{h} {s}".lower().replace("avenue", "ave").replace("street", "st")
        for h, s in zip(table.housenumber, table.street, strict=True)
    ]
    geocoder = OfflineGeocoder.from_area(area)
    t0 = time.perf_counter()
    results = geocoder.geocode_many(queries)
    elapsed = time.perf_counter() - t0
    assert elapsed < 2.0
    assert sum(r.precision == "exact" for r in results) >= 990


AYUNTAMIENTO_407 = LatLon(21.8644342, -102.2790476)


@pytest.fixture(scope="module")
def ags() -> OfflineGeocoder:
    """Geocoder over the Aguascalientes fixture's address table."""
    return OfflineGeocoder(read_osm(shared_file("osm/aguascalientes_mx.osm.pbf")).addresses)


@pytest.mark.parametrize(
    "text",
    [
        "Avenida Ayuntamiento 407",
        "Av. Ayuntamiento 407",
        "Av Ayuntamiento #407",
        "AVENIDA AYUNTAMIENTO NO. 407",
        "avenida ayuntamiento 407, Aguascalientes, Ags.",
        "Avenida Ayuntamiento 407 Depto 2",
        "Avenida Ayuntamineto 407",  # typo
    ],
)
def test_mexican_address_variants(ags: OfflineGeocoder, text: str) -> None:
    """Number after the street, Spanish abbreviations, '#'/'No.', accents, a typo."""
    r = ags.geocode(text)
    assert r.precision == "exact", r
    assert distance_m(r.location, AYUNTAMIENTO_407) < 5
    assert r.matched == "Avenida Ayuntamiento 407"  # in the order it was written


def test_mexican_precision_levels(ags: OfflineGeocoder) -> None:
    """Interpolated, street-only ('S/N') and not-found work without postcodes or cities."""
    assert ags.geocode("Av. Convención de 1914 Ote. 305").precision == "interpolated"
    assert ags.geocode("Avenida Perseo S/N").precision == "street"
    assert ags.geocode("Calle Inexistente 12").precision == "not_found"
    # A table whose addr:street says "Nayarit, 301" still finds Nayarit 301.
    assert ags.geocode("Nayarit 301").precision == "exact"


@pytest.mark.parametrize(
    "text", ["Perseo 201 esq. Argo", "Avenida Perseo 201 esquina con Argo", "Perseo #201 y Argo"]
)
def test_a_house_number_with_its_corner_as_a_hint(ags: OfflineGeocoder, text: str) -> None:
    """ "Perseo 201 esq. Argo", as addresses in Mexico are often written: the house is
    placed (the corner was taken as the address, and those streets do not meet)."""
    r = ags.geocode(text)
    assert r.precision == "exact", r
    assert r.matched == "Avenida Perseo 201"
    assert r.location == ags.geocode("Avenida Perseo 201").location
    assert "the corner with Argo not used" in r.reason


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("98 12 218th st", "98-12 218th Street, 11429"),
        ("110 22 Springfield Blvd, Apt 2", "110-22 Springfield Boulevard, 11429"),
    ],
)
def test_a_queens_number_typed_without_its_hyphen(
    qv: OfflineGeocoder, text: str, matched: str
) -> None:
    """ "98 12 218th St" is 98-12 218th Street (it was not found: "12 218th st" was taken
    for the street); a number that is no such pair stays as it was."""
    r = qv.geocode(text)
    assert (r.precision, r.matched) == ("exact", matched)
    assert qv.geocode("100 5 Hollis Ave").precision == "not_found"


def test_mistyped_postcode_on_a_real_address(qv: OfflineGeocoder) -> None:
    """A postcode from nowhere on an address that exists here: placed, but flagged."""
    r = qv.geocode("206-16 Hollis Ave", postcode="11492")
    assert r.precision == "exact" and distance_m(r.location, HOLLIS) < 5
    assert r.score < 0.9 and "11492 is not in this area" in r.reason


@pytest.mark.parametrize(
    ("text", "postcode", "words"),
    [
        ("7 Francis Lane", "", "did you mean Francis Lewis Boulevard?"),
        ("206-16 1090th Avenue", "", "Check the street name"),
        ("350 5th Avenue", "10118", "Check the postcode (10118)"),
        ("Hollis Avenue", "11412", "Add the house number on Hollis Avenue"),
    ],
)
def test_results_that_need_a_person_carry_a_fix(
    qv: OfflineGeocoder, text: str, postcode: str, words: str
) -> None:
    """Not found, outside the area or street-only results say in one sentence what to fix;
    an exact match needs no fix."""
    r = qv.geocode(text, postcode=postcode)
    assert words in r.suggestion and r.suggestion.endswith((".", "?"))
    assert qv.geocode("203-06 109th Ave", postcode="11412").suggestion == ""
