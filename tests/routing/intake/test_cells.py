"""Cell parsers: time windows, counts, languages, yes/no flags, durations and distances."""

from __future__ import annotations

import pytest

from routing.intake.amounts import parse_count
from routing.intake.cells import (
    parse_distance_km,
    parse_duration_min,
    parse_flag,
    parse_languages,
    parse_windows,
)

# --- time windows ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10-12", ["10:00-12:00"]),
        ("10am-12pm", ["10:00-12:00"]),
        ("10:00–12:00", ["10:00-12:00"]),
        ("10:00 - 12:00", ["10:00-12:00"]),
        ("9:30-11:30", ["09:30-11:30"]),
        ("10-12pm", ["10:00-12:00"]),
        ("1-3pm", ["13:00-15:00"]),
        ("12-2", ["12:00-14:00"]),
        ("11-1", ["11:00-13:00"]),
        ("after 3pm", ["15:00-24:00"]),
        ("after 3", ["15:00-24:00"]),
        ("before noon", ["00:00-12:00"]),
        ("morning", ["09:00-12:00"]),
        ("afternoon", ["12:00-17:00"]),
        ("de 10 a 12", ["10:00-12:00"]),
        ("después de las 3", ["15:00-24:00"]),
        ("10-12 or 2-4", ["10:00-12:00", "14:00-16:00"]),
        ("9 to 11", ["09:00-11:00"]),
        ("around 11am", ["10:00-12:00"]),
        ("Sat 10-12", ["10:00-12:00"]),
        ("sábado de 10 a 12", ["10:00-12:00"]),
        ("anytime", []),
        ("", []),
        # Ranges in words, courtesy, "-ish": each was "could not read, any time assumed".
        ("between 10 and 12", ["10:00-12:00"]),
        ("entre las 10 y las 12", ["10:00-12:00"]),
        ("between 1 and 3", ["13:00-15:00"]),
        ("after 11 but before 3", ["11:00-15:00"]),
        ("después de las 10 y antes de las 12", ["10:00-12:00"]),
        ("11ish", ["10:00-12:00"]),
        ("morning please", ["09:00-12:00"]),
        ("de preferencia 10-12", ["10:00-12:00"]),
        ("después del mediodía", ["12:00-24:00"]),
        ("after 10 and before 12", ["10:00-12:00"]),
        # Round the clock: two windows, as before "and" joined a range.
        ("after 6pm and before 8am", ["18:00-24:00", "00:00-08:00"]),
    ],
)
def test_windows_as_people_write_them(text: str, expected: list[str]) -> None:
    """Time windows in the forms dispatchers actually meet become exact spans."""
    assert [str(w) for w in parse_windows(text)] == expected


@pytest.mark.parametrize("text", ["whenever after lunch", "25-26", "10:75-11", "soon"])
def test_unreadable_windows_raise(text: str) -> None:
    """Text that is not a time window raises ValueError rather than guessing."""
    with pytest.raises(ValueError):
        parse_windows(text)


@pytest.mark.parametrize(
    ("text", "expected", "noted"),
    [
        ("12-10", ["12:00-22:00"], True),
        ("9-9", ["09:00-21:00"], True),
        ("10-2", ["10:00-14:00"], False),
        ("11-1", ["11:00-13:00"], False),
        ("10-12", ["10:00-12:00"], False),
    ],
)
def test_windows_shifted_by_twelve_hours_are_noted(
    text: str, expected: list[str], noted: bool
) -> None:
    """An end moved 12 h later to make the window valid is said; "10-2" reads silently."""
    notes: list[str] = []
    assert [str(w) for w in parse_windows(text, notes)] == expected
    assert bool(notes) == noted
    if noted:
        assert f"read as {expected[0]}" in notes[0] and "to be sure" in notes[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Morning (9-12)", ["09:00-12:00"]),
        ("Afternoon (1pm - 4pm)", ["13:00-16:00"]),
        ("Evening: 5-8pm", ["17:00-20:00"]),
        ("Weekday mornings (9am–12pm)", ["09:00-12:00"]),
        ("Mornings (9am-1pm)", ["09:00-13:00"]),
        ("Afternoon (1 to 4 p.m.)", ["13:00-16:00"]),
        ("Mañana (9 a 12)", ["09:00-12:00"]),
        ("Mañana (9:00 a 12:00)", ["09:00-12:00"]),
        ("Tarde (2-5 pm)", ["14:00-17:00"]),
        ("Por la tarde (de 2 a 5)", ["14:00-17:00"]),
        ("Any time (9-5)", ["09:00-17:00"]),
        # The range decides, not the word.
        ("Morning (1-4pm)", ["13:00-16:00"]),
        # Hours without am/pm: an evening's are after noon.
        ("Evening (6-9)", ["18:00-21:00"]),
        ("Noche (8-10)", ["20:00-22:00"]),
        ("Afternoon (12-4)", ["12:00-16:00"]),
        # ... and a morning's before it.
        ("Morning (7-10)", ["07:00-10:00"]),
        ("Mañana (7 a 10)", ["07:00-10:00"]),
        ("Early morning (6-9)", ["06:00-09:00"]),
        ("Morning (11-1)", ["11:00-13:00"]),
        ("Preferred delivery time: Morning (9-12)", ["09:00-12:00"]),
        # A bilingual label, the same hours said twice: one window.
        ("Morning / Mañana (9-12)", ["09:00-12:00"]),
        ("Morning 9-12 (9am-12pm)", ["09:00-12:00"]),
        # Boxes ticked on a checkbox question, joined by ", ": one window each.
        ("Morning (9-12), Afternoon (1-4)", ["09:00-12:00", "13:00-16:00"]),
        ("Mañana / Morning (9-12), Tarde / Afternoon (1-4)", ["09:00-12:00", "13:00-16:00"]),
        ("Morning, Afternoon (1-4)", ["09:00-12:00", "13:00-16:00"]),
    ],
)
def test_form_choice_labels_give_their_hours(text: str, expected: list[str]) -> None:
    """A Google Forms choice label carries its hours: those are read, in English and
    Spanish."""
    assert [str(w) for w in parse_windows(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Morning (9-12) but 10-11 is best",
        "Mañana (9 a 12) mejor de 10 a 11",
        "Option 1: Morning (9-12)",
        "Morning (25-26)",
    ],
)
def test_labels_with_two_ranges_or_other_numbers_raise(text: str) -> None:
    """A label with two different ranges (or other numbers) is not guessed at."""
    with pytest.raises(ValueError):
        parse_windows(text)


@pytest.mark.parametrize(
    "text",
    [
        # Words that may turn the hours round: when not to come, when someone is out.
        "not 10-12",
        "no 10-12",
        "can't do 10-12",
        "busy 9-5",
        "I work 9-5",
        "not home 9-5",
        "trabajo de 9 a 5",
        "excepto 2 a 4",
        "avoid 2-4",
        "No morning (9-12)",
        "10-12 or 2-4, not 12-2",
        "not available 10-12, 2-4 ok",
        "not between 10 and 12",
        "nunca entre 2 y 4",
        # An evening ending at 12: midnight, or a mistake for noon? Not guessed.
        "Evening (8-12)",
        "Late night (10-12)",
    ],
)
def test_labels_that_may_say_when_not_to_come_raise(text: str) -> None:
    """Only a part of the day or week may stand around a label's hours: any other word
    may say the opposite, and a wrong window is worse than a warning."""
    with pytest.raises(ValueError):
        parse_windows(text)


def test_a_shifted_label_is_noted() -> None:
    """The twelve-hour guess inside a label is said, as for a bare range."""
    notes: list[str] = []
    assert [str(w) for w in parse_windows("Mañana (12-10)", notes)] == ["12:00-22:00"]
    assert len(notes) == 1 and "'12-10' read as 12:00-22:00" in notes[0]


# --- counts, languages, flags ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2", 2),
        ("2 bags", 2),
        ("2.0", 2),
        ("two", 2),
        ("dos cajas", 2),
        ("3 (large)", 3),
        ("about 15", 15),
        ("~15", 15),
        ("approx. 15 boxes", 15),
        ("aprox. 15", 15),
        ("unas 15 cajas", 15),
        ("más o menos 15", 15),
        ("trunk full", None),
        ("about", None),
        ("lots", None),
        ("", None),
        # As volunteers answer a form: words, dozens, "15+", "up to 10".
        ("fifteen", 15),
        ("about fifteen", 15),
        ("quince", 15),
        ("veinte cajas", 20),
        ("a dozen", 12),
        ("una docena", 12),
        ("two dozen", 24),
        ("half a dozen", 6),
        ("media docena", 6),
        ("a couple", 2),
        ("un par de cajas", 2),
        ("15+", 15),
        ("up to 10", 10),
        ("maybe 10", 10),
        ("hasta 10", 10),
        ("10 max", 10),
        ("a bag", 1),
        ("una caja", 1),
        # "a" is one only before a thing: these say no number (they were read as 1 box).
        ("a lot", None),
        ("a few", None),
        ("a full trunk", None),
        ("un montón", None),
        ("dos docenas", 24),
        # A number word further in, or a compound, is no count (read as 1, 11 or 20).
        ("2 a 3 cajas", None),
        ("2, one frozen", None),
        ("6, a dozen max", None),
        ("twenty-five", None),
        ("twenty five", None),
        ("once a week", None),
    ],
)
def test_box_counts(text: str, expected: int | None) -> None:
    """Box counts are read from numbers, numbers with units, and number words."""
    assert parse_count(text) == expected


def test_languages_to_codes() -> None:
    """Language names in several spellings and scripts map to ISO codes, in order."""
    assert parse_languages("Haitian Creole, English") == ["ht", "en"]
    assert parse_languages("Español / Kreyòl") == ["es", "ht"]
    assert parse_languages("Bangla") == ["bn"]
    assert parse_languages("বাংলা") == ["bn"]
    assert parse_languages("Klingon") == ["klingon"]


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


# --- durations and distances -------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "abc", "-5", "1h75", "h", "90 km", "1:5"])
def test_unreadable_durations(text: str) -> None:
    """Durations that are not durations give None rather than a guess."""
    assert parse_duration_min(text) is None


@pytest.mark.parametrize("text", ["", "far", "-3", "10 min", "ten"])
def test_unreadable_distances(text: str) -> None:
    """Distances that are not distances give None rather than a guess."""
    assert parse_distance_km(text) is None
