"""Street corners placed where the two streets meet, or flagged: never along one of them."""

from __future__ import annotations

import pandas as pd
import pytest

from routing.geo import distance_m
from routing.geocoding.corners import split_corner
from routing.geocoding.offline import OfflineGeocoder
from routing.model import LatLon

#: Where Hollis Avenue and 212th Street meet, from the map's own road node.
CORNER = LatLon(40.709463, -73.745823)


@pytest.mark.parametrize(
    "text",
    [
        "Hollis Ave & 212th St",
        "Hollis Ave and 212th St",
        "corner of Hollis Avenue and 212th Street",
        "212th St / Hollis Av",
        "Hollis Ave at 212th St, Queens, NY 11429",
        "esquina de Hollis Ave y 212th St",
        "Hollis Ave esq. 212th St",
    ],
)
def test_corner_of_hollis_and_212th(geocoder: OfflineGeocoder, text: str) -> None:
    """Finding 7: the corner as people write it is placed at the corner, within metres."""
    result = geocoder.geocode(text)
    assert result.precision == "intersection", result
    assert result.location is not None and distance_m(result.location, CORNER) < 15
    assert set(result.matched.split(",")[0].split(" & ")) == {"Hollis Avenue", "212th Street"}
    assert "corner of" in result.reason


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hollis Ave & 999th St", "no street like '999th st'"),
        ("Hollis Ave & Jamaica Ave", "do not meet"),
    ],
)
def test_corners_that_are_not_here_are_not_placed(
    geocoder: OfflineGeocoder, text: str, words: str
) -> None:
    """A street that is not here, or two that never meet: not found, with a fix; never a
    point in the middle of one of them."""
    result = geocoder.geocode(text)
    assert (result.precision, result.location) == ("not_found", None)
    assert words in result.reason and result.suggestion


@pytest.mark.parametrize(
    "text",
    ["206-16 Hollis Ave", "Hollis Avenue", "98-12 218th St", "Calle Sol 12", "Avenida Perseo S/N"],
)
def test_addresses_are_no_corners(text: str) -> None:
    """A house number, or one street alone, is no corner."""
    assert split_corner(text) is None


def test_without_crossings_the_addresses_find_the_corner(demo_area) -> None:
    """An area imported before crossings were kept: where the two streets' addresses come
    closest is the corner, within the width of a street and two front yards."""
    old = OfflineGeocoder(demo_area.addresses, bbox=demo_area.bbox, crossings=pd.DataFrame())
    result = old.geocode("Hollis Ave & 212th St")
    assert result.precision == "intersection"
    assert result.location is not None and distance_m(result.location, CORNER) < 60
