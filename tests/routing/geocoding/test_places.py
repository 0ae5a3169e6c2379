"""Hubs by name: the area's named places, an address, a corner, or LAT,LON; never a street."""

from __future__ import annotations

import pytest

from routing.errors import InputError
from routing.geo import distance_m
from routing.geocoding.places import find_hub, find_places
from routing.model import LatLon

#: The supermarket's node on the map.
COMPARE_FOODS = LatLon(40.7073238, -73.7505106)


@pytest.mark.parametrize(
    "text", ["Compare Foods", "compare foods", "Compare Food", "COMPARE FOODS"]
)
def test_hub_by_the_name_of_a_place(geocoder, demo_area, text: str) -> None:
    """Finding 8: "Compare Foods" is the supermarket of that name, as people type it."""
    hub, warnings = find_hub(text, geocoder, demo_area.places)
    assert (hub.name, warnings) == ("Compare Foods", [])
    assert distance_m(hub.location, COMPARE_FOODS) < 5


def test_hub_name_and_note_are_what_drivers_read(geocoder, demo_area) -> None:
    """--hub-name and --hub-note: the hub's name and pickup note as given."""
    hub, _ = find_hub(
        "Compare Foods", geocoder, demo_area.places, name="Pantry (back door)", note="ask for Rosa"
    )
    assert (hub.name, hub.note) == ("Pantry (back door)", "ask for Rosa")


def test_a_whole_street_is_no_hub(geocoder, demo_area) -> None:
    """Finding 8: "hollis ave" is refused, saying it is a street of some kilometres."""
    with pytest.raises(InputError) as e:
        find_hub("hollis ave", geocoder, demo_area.places)
    reason = e.value.problems[0].reason
    assert reason.startswith("a street, not a place: Hollis Avenue runs")
    assert " km in this area" in reason and "house number" in reason


def test_an_address_is_a_hub_with_its_matched_address(geocoder, demo_area) -> None:
    """An address keeps the text as the name and the matched address (with postcode)."""
    hub, warnings = find_hub("206-16 hollis av", geocoder, demo_area.places)
    assert hub.address == "206-16 Hollis Avenue, 11429" and not warnings
    assert distance_m(hub.location, COMPARE_FOODS) < 30


def test_a_corner_is_a_hub_with_a_warning(geocoder, demo_area) -> None:
    """A corner is a place drivers can find: accepted, and said."""
    hub, warnings = find_hub("Hollis Ave & 212th St", geocoder, demo_area.places)
    assert hub.address.startswith("Hollis Avenue & 212th Street")
    assert [w.severity for w in warnings] == ["warning"]


def test_a_name_two_places_share_asks_which(geocoder, demo_area) -> None:
    """Two churches of one name: say where each is, ask for an address or LAT,LON."""
    found, _ = find_places("Greater Bethel Church", demo_area.places)
    assert len(found) == 2
    with pytest.raises(InputError, match="2 places are called so"):
        find_hub("Greater Bethel Church", geocoder, demo_area.places)


def test_nothing_found_offers_close_names(geocoder, demo_area) -> None:
    """A name close to a place's: "did you mean"; LAT,LON still works."""
    with pytest.raises(InputError, match="Did you mean 'Compare Foods'"):
        find_hub("Compair Fods", geocoder, demo_area.places)
    hub, _ = find_hub("40.7073,-73.7505", geocoder, demo_area.places)
    assert hub.location == LatLon(40.7073, -73.7505)
