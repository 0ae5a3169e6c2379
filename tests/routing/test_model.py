"""Validation of the domain model at construction."""

from __future__ import annotations

import pytest

from routing.errors import InputError
from routing.model import (
    Driver,
    Hub,
    LatLon,
    Problem,
    Stop,
    TimeWindow,
    Unassigned,
    format_hhmm,
    parse_hhmm,
)

SHIFT = TimeWindow.from_hhmm("09:00", "13:00")
HUB = Hub("hub", "Pantry", LatLon(40.72, -73.74))


def test_latlon_rejects_out_of_range_values_naming_the_field():
    """A latitude of 91 is named as the `lat` field with its value."""
    with pytest.raises(InputError) as e:
        LatLon(91.0, -73.7)
    (p,) = e.value.problems
    assert (p.field, p.value) == ("lat", "91.0")


def test_latlon_parse_reads_lat_comma_lon_and_rejects_text():
    """`"40.7, -73.7"` parses; a street name does not and says what was expected."""
    assert LatLon.parse("40.7, -73.7") == LatLon(40.7, -73.7)
    with pytest.raises(InputError, match="expected LAT,LON"):
        LatLon.parse("Jamaica Ave")


def test_time_window_end_before_start_names_both_times():
    """A window ending before it starts says so with both times, as a dispatcher wrote them."""
    with pytest.raises(InputError) as e:
        TimeWindow.from_hhmm("09:00", "08:00")
    (p,) = e.value.problems
    assert (p.field, p.value, p.reason) == ("window_end", "08:00", "is before window_start 09:00")


def test_hhmm_round_trip_and_bad_times():
    """HH:MM parses to seconds and formats back; 10:75 is refused."""
    assert parse_hhmm("10:30") == 37800
    assert format_hhmm(37800) == "10:30"
    with pytest.raises(InputError):
        parse_hhmm("10:75")


def test_stop_collects_every_problem_at_once():
    """Negative boxes and an empty id are both reported, with the row number."""
    with pytest.raises(InputError) as e:
        Stop(id=" ", boxes=-2, row=7)
    fields = {p.field for p in e.value.problems}
    assert fields == {"id", "boxes"}
    assert all(p.row == 7 for p in e.value.problems)


def test_driver_ending_at_home_needs_a_home():
    """end='home' without a home location is an error naming the field."""
    with pytest.raises(InputError, match="home"):
        Driver("d1", "Dana", 10, SHIFT, end="home")
    Driver("d1", "Dana", 10, SHIFT, end="home", home=LatLon(40.71, -73.73))


def test_driver_locale_is_a_language_aidroute_writes_pages_in():
    """A driver's page language is "" (the plan's) or one aidroute has pages in; another
    is an error naming the field, the value and the choices."""
    assert Driver("d1", "Dana", 10, SHIFT).locale == ""
    assert Driver("d1", "Dana", 10, SHIFT, locale="es").locale == "es"
    with pytest.raises(InputError) as e:
        Driver("d1", "Dana", 10, SHIFT, locale="fr", row=4)
    (p,) = e.value.problems
    assert (p.field, p.value, p.row) == ("locale", "fr", 4)
    assert p.reason == "must be one of en, es"


def test_problem_rejects_duplicate_ids_and_unknown_pins():
    """Two stops with one id, and a stop pinned to a driver nobody has, are both reported."""
    stops = [Stop("1"), Stop("1", row=3), Stop("2", driver="nobody", row=4)]
    with pytest.raises(InputError) as e:
        Problem([HUB], stops, [Driver("d1", "Dana", 10, SHIFT)])
    reasons = [p.reason for p in e.value.problems]
    assert any("duplicate stop id" in r for r in reasons)
    assert any("no driver with this id" in r for r in reasons)


def test_problem_places_keys_hubs_placed_stops_and_homes():
    """Unplaced stops have no matrix key; homes do."""
    home = LatLon(40.71, -73.73)
    p = Problem(
        [HUB],
        [Stop("1", location=LatLon(40.72, -73.75)), Stop("2")],
        [Driver("d1", "Dana", 10, SHIFT, home=home, end="home")],
    )
    assert set(p.places()) == {"hub:hub", "stop:1", "home:d1"}


def test_unassigned_reason_must_be_known_and_gets_a_default_message():
    """Reason codes are a closed set; the message defaults to the plain sentence."""
    assert "could not be placed" in Unassigned("1", "address_not_found").message
    with pytest.raises(ValueError):
        Unassigned("1", "because")


def test_stop_windows_are_sorted_and_overlaps_merged():
    """9-15, 10-11 and 13-14 is one window 9-15; 16-17 before 8-9 is sorted; 8-9 and 9-10 join."""
    w = TimeWindow.from_hhmm
    stop = Stop(
        "1",
        windows=(
            w("13:00", "14:00"),
            w("09:00", "15:00"),
            w("10:00", "11:00"),
            w("16:00", "17:00"),
        ),
    )
    assert stop.windows == (w("09:00", "15:00"), w("16:00", "17:00"))
    assert Stop("2", windows=(w("09:00", "10:00"), w("08:00", "09:00"))).windows == (
        w("08:00", "10:00"),
    )
