"""Volunteer rosters read into drivers, with a report on every row.

:func:`import_drivers` reads a sheet (see :mod:`routing.intake.tables`) with the columns
of :data:`routing.intake.aliases.DRIVER_ALIASES` and places each home address with a
:class:`~routing.geocoding.offline.Geocoder`.

Optional constraint columns: ``capacity_frozen`` (``"Cooler bags"``, ``"Frozen
capacity"``) -> ``Driver.capacity_frozen``; ``max_minutes`` (``"90"``, ``"90 min"``,
``"1.5 h"``, ``"1h30"``) -> ``Driver.max_route_s``; ``max_km`` (``"25"``, ``"25 km"``,
``"15 mi"``, miles converted) -> ``Driver.max_distance_m``; ``hub`` (``"Hub"``,
``"Pickup"``, ``"Recoger en"``) -> ``Driver.hub`` as written (the caller maps hub names
to ids).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from routing.errors import InputError, InputProblem
from routing.geocoding.normalize import fold, split_unit
from routing.intake.amounts import parse_count
from routing.intake.cells import (
    MAX_BOXES,
    MAX_CAPACITY,
    MAX_STOPS,
    means_all_day,
    parse_distance_km,
    parse_duration_min,
    parse_languages,
    parse_tags,
    parse_windows,
)
from routing.intake.columns import MappedTable, fold_header, read_mapped_table, sheet_findings
from routing.intake.limits import ADDRESS_CHARS, ID_CHARS, MAX_TAGS, NAME_CHARS, SHORT_CHARS
from routing.intake.questions import DRIVER_FIELDS
from routing.intake.report import DriverImport, LeftOut, RowReport
from routing.intake.rows import (
    RowCells,
    geocode_rows,
    read_latlon,
    read_name,
    read_phone,
    row_report,
)
from routing.model import (
    DAY_S,
    PAGE_LANGUAGES,
    Driver,
    EndPlace,
    LatLon,
    StartPlace,
    TimeWindow,
)

if TYPE_CHECKING:
    from routing.geocoding.result import Geocoder, GeocodeResult

_PROFILES: dict[str, str] = {
    "drive": "drive",
    "car": "drive",
    "suv": "drive",
    "van": "drive",
    "minivan": "drive",
    "truck": "drive",
    "pickup": "drive",
    "auto": "drive",
    "coche": "drive",
    "carro": "drive",
    "camioneta": "drive",
    "sedan": "drive",
    "wagon": "drive",
    "hatchback": "drive",
    "bike": "bike",
    "bicycle": "bike",
    "cargo bike": "bike",
    "ebike": "bike",
    "e bike": "bike",
    "bici": "bike",
    "bicicleta": "bike",
    "cycle": "bike",
    "walk": "walk",
    "foot": "walk",
    "on foot": "walk",
    "walking": "walk",
    "a pie": "walk",
    "caminando": "walk",
}
_ENDS: dict[str, EndPlace] = {
    "hub": "hub",
    "back to hub": "hub",
    "return": "hub",
    "pantry": "hub",
    "base": "hub",
    "depot": "hub",
    "store": "hub",
    "same": "hub",
    "home": "home",
    "house": "home",
    "casa": "home",
    "anywhere": "anywhere",
    "any": "anywhere",
    "last stop": "anywhere",
    "wherever": "anywhere",
    "no": "anywhere",
    "none": "anywhere",
    "open": "anywhere",
    "donde sea": "anywhere",
}


#: Hub cells that leave the choice to the solver.
_ANY_HUB = {
    "",
    "any",
    "anywhere",
    "auto",
    "any hub",
    "nearest",
    "closest",
    "either",
    "cualquiera",
    "cualquier",
    "el mas cercano",
    "-",
    "n a",
    "na",
}
#: A route limit above this is a typo, not a limit: 24 h, 1000 km.
MAX_ROUTE_MIN = 24 * 60
MAX_ROUTE_KM = 1000
#: "Start" cells that mean the hub; any other text is an address to set out from.
_HUB_WORDS = ("hub", "pantry", "depot", "base", "the hub", "store")


@dataclass(frozen=True)
class DriverRow:
    """One roster row's values as read; its problems are on its
    :class:`~routing.intake.rows.RowCells`."""

    #: Spreadsheet row (the header is row 1).
    row: int
    #: The id column, else the name as written, else ``"row<n>"``.
    id: str
    name: str
    #: Boxes; ``None`` when missing or unreadable (an error: the row gives no driver).
    capacity: int | None
    #: Available hours; ``None`` when missing or unreadable (an error, as for capacity).
    shift: TimeWindow | None
    #: The home (or "Start") address, unit split off; ``""`` when none.
    home_address: str
    #: The postcode cell, for geocoding the home address.
    postcode: str
    start: StartPlace
    end: EndPlace
    languages: frozenset[str]
    skills: frozenset[str]
    profile: str
    max_stops: int | None
    capacity_frozen: int | None
    max_route_s: int | None
    max_distance_m: int | None
    #: Hub as written; ``None`` lets the solver choose.
    hub: str | None
    phone: str
    #: The language of the driver's pages (one of PAGE_LANGUAGES), "" for the plan's.
    locale: str = ""
    #: The row's lat/lon columns, when given and usable.
    home: LatLon | None = None
    #: The geocoder's answer for ``home_address``, when asked.
    geocode: GeocodeResult | None = None


def import_drivers(
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    geocoder: Geocoder | None = None,
    region: str | None = None,
) -> DriverImport:
    """Read a volunteer roster into drivers and a problems report.

    Columns: name, phone, capacity (boxes), available window (``"9-13"``,
    ``"09:00-13:00"``, ``"9am-1pm"``), home/start address, end (``home``, ``hub`` or
    ``anywhere``), languages, skills, vehicle/profile (car -> ``drive``, bike, walk),
    max stops, frozen capacity (bags; with the column present a blank cell is 0, no
    cooler), max minutes (``"90"``, ``"1.5 h"``, ``"1h30"``; hours when the header says
    so), max km (``"25"``, ``"15 mi"``; miles when the header says so), and hub (as
    written; ``"any"`` or blank lets the solver choose). Unreadable limits are warnings
    and give no limit. Phone numbers are checked in ``region`` (the area's country) and
    kept as written. A driver's id is the ``id`` column, else the name as written. A row whose
    driver cannot be built (no name, no capacity, no hours) is an error and gives no
    driver; a driver starting or ending at a home that cannot be placed starts and ends at
    the hub instead, with a warning.

    Raises
    ------
    InputError
        When the file cannot be read at all or has no name column.
    """
    mapped = read_mapped_table(source, filename, sheet, columns, DRIVER_FIELDS)
    table, cols = mapped.table, mapped.cols
    spares = mapped.match.spares(table.headers)
    blank = 0
    parsed: list[tuple[RowCells, DriverRow]] = []
    for number, cells in table.rows:
        if not any(cells):
            blank += 1
            continue
        row = RowCells(number, cells, cols, table.headers, spares)
        driver_row = _read_driver(row, region)
        home = read_latlon(
            row,
            geocoder,
            "the home address is used instead" if driver_row.home_address else "",
            ("the driver starts and ends at the hub", "warning"),
        )
        parsed.append((row, replace(driver_row, home=home)))
    answers = geocode_rows(
        geocoder,
        [
            (d.home_address, d.postcode, "") if d.home is None and d.home_address else None
            for _, d in parsed
        ],
    )
    geocoded = [
        (row, replace(d, geocode=answer)) for (row, d), answer in zip(parsed, answers, strict=True)
    ]
    return _finish_drivers(geocoded, mapped, blank, placing=geocoder is not None)


def _finish_drivers(
    parsed: list[tuple[RowCells, DriverRow]], mapped: MappedTable, blank: int, *, placing: bool
) -> DriverImport:
    drivers: list[Driver] = []
    reports: list[RowReport] = []
    sheet = sheet_findings(mapped, DRIVER_FIELDS)
    problems: list[InputProblem] = list(sheet.problems)
    cols = mapped.cols
    seen: dict[str, int] = {}
    left_out: list[LeftOut] = []
    for row, driver_row in parsed:
        home = driver_row.home
        precision, score, matched = ("given", 1.0, str(home)) if home else ("", None, "")
        found = driver_row.geocode
        if found is not None:
            precision, score, matched = found.precision, found.score, found.matched
            if found.placed:
                home = found.location
                if found.precision == "street":
                    row.add(
                        "home",
                        driver_row.home_address,
                        f"home placed on the street only: {found.reason}",
                        "warning",
                    )
            else:
                row.add(
                    "home",
                    driver_row.home_address,
                    f"home address not found: {found.reason}; the driver starts and "
                    f"ends at the hub (fix the address or give lat/lon)",
                    "warning",
                )
        elif driver_row.home_address and not placing and home is None:
            row.add(
                "home",
                driver_row.home_address,
                "no map to place the home address; the driver starts and ends at the hub",
                "warning",
            )
        if home is None and (driver_row.end == "home" or driver_row.start == "home"):
            driver_row = replace(
                driver_row, start="hub", end="hub" if driver_row.end == "home" else driver_row.end
            )
        did = driver_row.id
        if did in seen:
            new = f"{did} (row {row.number})"
            row.add(
                "id" if "id" in cols else "name",
                did,
                f"same as row {seen[did]}; this driver's id is {new!r}",
                "warning",
            )
            did = new
        seen[did] = row.number
        driver = None
        if not any(p.severity == "error" for p in row.problems):
            driver = _make_driver(driver_row, did, home, row)
        if driver is not None:
            drivers.append(driver)
        else:
            left_out.append(_leave_out(row, driver_row))
        placed = home if driver is not None else None
        reports.append(
            row_report(
                row,
                did,
                precision,
                score,
                matched,
                placed,
                name=driver_row.name,
                address=driver_row.home_address,
            )
        )
        problems.extend(row.problems)
    return DriverImport(
        problems=problems,
        rows=reports,
        blank_rows=blank,
        columns=sheet.columns,
        ignored_columns=sheet.ignored,
        column_notes=sheet.notes,
        guessed_columns=sheet.guessed,
        drivers=drivers,
        left_out=left_out,
    )


def _leave_out(row: RowCells, driver_row: DriverRow) -> LeftOut:
    """The row that gives no driver, and its errors reworded to name the driver: a
    dispatcher reads who will get no route, not only a cell's value."""
    name = driver_row.name.strip() or row.get("id")
    who = name or "The driver on this row"
    row.problems[:] = [
        replace(p, reason=f"{who} is left out: {p.reason}") if p.severity == "error" else p
        for p in row.problems
    ]
    missing = {
        "no name": not driver_row.name.strip(),
        "capacity": driver_row.capacity is None,
        "hours": driver_row.shift is None,
    }
    why = tuple(w for w, yes in missing.items() if yes) or tuple(
        dict.fromkeys(p.field for p in row.problems if p.severity == "error")
    )
    return LeftOut(row.number, name, why)


def _read_driver(row: RowCells, region: str | None = None) -> DriverRow:
    name = read_name(row)
    if not name:
        row.add("name", "", "every driver needs a name")
    capacity = _read_capacity(row)
    shift = _read_shift(row)
    home_t = row.get("home")
    if fold(home_t) in _HUB_WORDS:
        home_t = ""
    home_address = split_unit(home_t)[0]
    end = _read_end(row)
    start_t = fold(row.get("start")).strip()
    start: StartPlace = "hub"
    if start_t in ("home", "house", "casa", "my house", "from home"):
        start = "home"
    elif start_t and start_t not in _HUB_WORDS:
        # An address in the "Start" column: the driver sets out from there.
        if not home_address:
            home_address = split_unit(row.get("start"))[0]
        start = "home"
    if "home" in (start, end) and not home_address and not (row.get("lat") and row.get("lon")):
        which = "starts and ends" if start == end else ("starts" if start == "home" else "ends")
        row.add(
            "home" if "home" in row.cols else "end",
            row.get("home") or row.get("end"),
            f"{which} at home but no home address is given; the hub is used instead",
            "warning",
        )
    spoken = parse_languages(row.get("languages"))
    languages = frozenset(spoken)
    skills = parse_tags(row.get("skills"))
    profile = _read_profile(row)
    max_stops = _read_max_stops(row)
    capacity_frozen = _read_capacity_frozen(row)
    max_route_s = _read_max_minutes(row)
    max_distance_m = _read_max_km(row)
    hub = row.get("hub")
    return DriverRow(
        row=row.number,
        id=row.get("id") or name.strip() or f"row{row.number}",
        name=name,
        capacity=capacity,
        shift=shift,
        home_address=home_address,
        postcode=row.get("postcode"),
        start=start,
        end=end,
        languages=languages,
        skills=skills,
        profile=profile,
        max_stops=max_stops,
        capacity_frozen=capacity_frozen,
        max_route_s=max_route_s,
        max_distance_m=max_distance_m,
        hub=None if fold(hub).strip() in _ANY_HUB else hub,
        phone=read_phone(row, region),
        locale=_read_locale(row, spoken),
    )


#: Boxes a car takes written as a range: "8-10", "entre 5 y 8", "between 5 and 8 boxes".
_BOX_RANGE = re.compile(
    r"(?:between |entre |from |de )?(\d{1,4})\s*(?:-|to|a|or|o|and|y|/)\s*(\d{1,4})[a-z ()]*"
)


def _read_capacity(row: RowCells) -> int | None:
    """Boxes the car takes; ``None`` (an error on the row) when missing or unreadable."""
    text = row.get("capacity")
    if not text:
        row.add("capacity", "", "no capacity: how many boxes fit in the car?")
        return None
    capacity = parse_count(text)
    span = _BOX_RANGE.fullmatch(fold(text).strip())
    if capacity is None and span and 1 <= int(span[1]) <= int(span[2]):
        # "8-10": the car surely takes the smaller.
        capacity = int(span[1])
        row.add("capacity", text, f"a range: {span[1]} planned, the fewer", "warning")
    if capacity is None:
        row.add("capacity", text, "expected a number of boxes, such as 20")
    elif capacity > MAX_CAPACITY:
        row.add("capacity", text, f"more than {MAX_CAPACITY:,} boxes in one car; check the number")
        return None
    return capacity


def _read_shift(row: RowCells) -> TimeWindow | None:
    """The available hours as one span; ``None`` (an error on the row) when missing or
    unreadable. Several spans are joined, with a warning."""
    text = row.get("window")
    if not text and (row.get("window_start") or row.get("window_end")):
        text = f"{row.get('window_start') or '9'}-{row.get('window_end') or '17'}"
    if not text:
        row.add("window", "", "no available hours (write e.g. 9-13 or 09:00-13:00)")
        return None
    notes: list[str] = []
    try:
        windows = parse_windows(text, notes)
    except (ValueError, InputError):
        row.add(
            "window",
            text,
            "could not read the available hours (write e.g. 9-13, 09:00-13:00, 9am-1pm)",
        )
        return None
    for note in notes:
        row.add("window", text, note, "warning")
    if not windows and means_all_day(text):
        # "Anytime Saturday": the hours a roster's start and end columns default to.
        shift = TimeWindow(9 * 3600, 17 * 3600)
        row.add("window", text, f"read as all day, {shift}; write the hours to be sure", "warning")
        return shift
    if not windows:
        # "n/a", "-": no hours to plan a route in.
        row.add("window", text, "says no hours to plan with (write e.g. 9-13 or 09:00-13:00)")
        return None
    # Spans as written, in any order ("Evening (6-9), Morning (9-12)"): from the first hour
    # to the last.
    shift = TimeWindow(min(w.start_s for w in windows), max(w.end_s for w in windows))
    if len(windows) > 1:
        row.add(
            "window", text, f"several spans; the driver is taken as available {shift}", "warning"
        )
    if shift.end_s >= DAY_S and shift.start_s > 0:
        row.add("window", text, "no end time; taken as available until midnight", "warning")
    return shift


def _read_locale(row: RowCells, spoken: list[str]) -> str:
    """The language of the driver's pages: the "Page language" column's, else the first of
    the driver's languages aidroute writes pages in ("Español, English" -> "es"), else ""
    (the plan's language)."""
    text = row.get("page_language")
    if text:
        asked = _page_languages(parse_languages(text))
        if asked:
            return asked[0]
        say = ", ".join(PAGE_LANGUAGES)
        row.add(
            "page_language",
            text,
            f"aidroute writes pages in {say} only; the driver's languages choose instead",
            "warning",
        )
    return next(iter(_page_languages(spoken)), "")


def _page_languages(codes: list[str]) -> list[str]:
    """The codes aidroute writes pages in, in order: "es-MX" counts as "es"."""
    bases = (re.split(r"[-_]", c)[0] for c in codes)
    return [c for c in dict.fromkeys(bases) if c in PAGE_LANGUAGES]


def _read_end(row: RowCells) -> EndPlace:
    """Where the route ends: ``"hub"`` (also when blank or unreadable), ``"home"`` or
    ``"anywhere"``."""
    text = fold(row.get("end")).strip()
    if not text:
        return "hub"
    end = _ENDS.get(text) or next((v for k, v in _ENDS.items() if k in text.split()), None)
    if end is None:
        row.add("end", row.get("end"), "expected home, hub or anywhere; hub assumed", "warning")
        return "hub"
    return end


def _read_profile(row: RowCells) -> str:
    """The travel profile: ``"drive"`` (also when blank or unreadable), ``"bike"``,
    ``"walk"``."""
    text = fold(row.get("profile")).strip()
    if not text:
        return "drive"
    profile = _PROFILES.get(text) or next(
        (v for k, v in _PROFILES.items() if k in text.split()), None
    )
    if profile is None:
        row.add(
            "profile",
            row.get("profile"),
            "expected a vehicle: car, bike or walk; car assumed",
            "warning",
        )
        return "drive"
    return profile


def _read_max_stops(row: RowCells) -> int | None:
    """The most stops the driver takes; ``None`` when blank or unreadable (a warning)."""
    text = row.get("max_stops")
    if not text:
        return None
    max_stops = parse_count(text)
    if max_stops is None or max_stops > MAX_STOPS:
        row.add(
            "max_stops", text, f"expected a whole number up to {MAX_STOPS:,}; ignored", "warning"
        )
        return None
    return max_stops


def _read_capacity_frozen(row: RowCells) -> int | None:
    """Frozen bags the car can keep cold: ``None`` (no limit) without the column; a blank
    cell or ``"no"`` is 0 (no cooler); an unreadable value is warned about, no limit."""
    if "capacity_frozen" not in row.cols:
        return None
    text = row.get("capacity_frozen")
    if not text or fold(text).strip() in ("no", "none", "n", "-", "0", "ninguno", "ninguna"):
        return 0
    n = parse_count(text)
    if n is None or n > MAX_BOXES:
        row.add(
            "capacity_frozen",
            text,
            "expected how many frozen bags the car keeps cold, "
            'such as 4 or "4 bags"; no limit assumed',
            "warning",
        )
        return None
    return n


def _read_max_minutes(row: RowCells) -> int | None:
    """The longest route the driver will do, in seconds; ``None`` when blank or unreadable."""
    text = row.get("max_minutes")
    if not text:
        return None
    hours = re.search(r"\b(hours?|hrs?|horas?)\b", fold_header(row.header("max_minutes")))
    minutes = parse_duration_min(text, "h" if hours else "min")
    if minutes is None or not 0 < minutes <= MAX_ROUTE_MIN:
        row.add(
            "max_minutes",
            text,
            "expected the longest route in minutes or hours, more "
            'than 0 and at most 24 h, such as 90, "90 min", '
            '"1.5 h" or "1h30"; no limit assumed',
            "warning",
        )
        return None
    return round(minutes * 60)


def _read_max_km(row: RowCells) -> int | None:
    """The longest route the driver will drive, in metres; ``None`` when blank or unreadable."""
    text = row.get("max_km")
    if not text:
        return None
    miles = re.search(r"\b(mi|miles?|millas?)\b", fold_header(row.header("max_km")))
    km = parse_distance_km(text, "mi" if miles else "km")
    if km is None or not 0 < km <= MAX_ROUTE_KM:
        row.add(
            "max_km",
            text,
            f'expected the longest route in km (or miles: "20 mi"), '
            f"more than 0 and at most {MAX_ROUTE_KM} km, such as 25 or "
            '"25 km"; no limit assumed',
            "warning",
        )
        return None
    return round(km * 1000)


def _make_driver(
    driver_row: DriverRow, did: str, home: LatLon | None, row: RowCells
) -> Driver | None:
    if driver_row.capacity is None or driver_row.shift is None:
        return None
    fit, tags = row.fit, row.fit_all
    try:
        return Driver(
            id=fit("id", did, ID_CHARS),
            name=fit("name", driver_row.name, NAME_CHARS),
            capacity_boxes=driver_row.capacity,
            shift=driver_row.shift,
            phone=fit("phone", driver_row.phone, SHORT_CHARS),
            home=home,
            home_address=fit("home", driver_row.home_address, ADDRESS_CHARS),
            start=driver_row.start,
            end=driver_row.end,
            languages=frozenset(tags("languages", driver_row.languages, SHORT_CHARS, MAX_TAGS)),
            skills=frozenset(tags("skills", driver_row.skills, SHORT_CHARS, MAX_TAGS)),
            profile=driver_row.profile,
            max_stops=driver_row.max_stops,
            capacity_frozen=driver_row.capacity_frozen,
            max_route_s=driver_row.max_route_s,
            max_distance_m=driver_row.max_distance_m,
            hub=None if driver_row.hub is None else fit("hub", driver_row.hub, ID_CHARS),
            row=driver_row.row,
            locale=driver_row.locale,
        )
    except InputError as e:
        for p in e.problems:
            row.add(p.field, p.value, p.reason)
        return None
