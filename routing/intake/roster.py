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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routing.errors import InputError, InputProblem
from routing.geocoding.normalize import fold, split_unit
from routing.intake.aliases import DRIVER_ALIASES, DRIVER_KEYWORDS
from routing.intake.cells import (
    MAX_BOXES,
    only_digits,
    parse_count,
    parse_distance_km,
    parse_duration_min,
    parse_languages,
    parse_windows,
)
from routing.intake.columns import (
    fold_header,
    read_mapped_table,
    title_problems,
    unused_headers,
)
from routing.intake.report import DriverImport, RowReport
from routing.intake.rows import RowCells, geocode_rows, read_latlon
from routing.model import DAY_S, Driver, LatLon, TimeWindow

if TYPE_CHECKING:
    from routing.geocoding.offline import Geocoder, GeocodeResult

_PROFILES = {
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
_ENDS = {
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


def import_drivers(
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    geocoder: Geocoder | None = None,
) -> DriverImport:
    """Read a volunteer roster into drivers and a problems report.

    Columns: name, phone, capacity (boxes), available window (``"9-13"``,
    ``"09:00-13:00"``, ``"9am-1pm"``), home/start address, end (``home``, ``hub`` or
    ``anywhere``), languages, skills, vehicle/profile (car -> ``drive``, bike, walk),
    max stops, frozen capacity (bags; with the column present a blank cell is 0, no
    cooler), max minutes (``"90"``, ``"1.5 h"``, ``"1h30"``; hours when the header says
    so), max km (``"25"``, ``"15 mi"``; miles when the header says so), and hub (as
    written; ``"any"`` or blank lets the solver choose). Unreadable limits are warnings
    and give no limit. A driver's id is the ``id`` column, else the name as written. A row whose
    driver cannot be built (no name, no hours, ends at home with no home found) is an
    error and gives no driver.

    Raises
    ------
    InputError
        When the file cannot be read at all or has no name column.
    """
    table, cols = read_mapped_table(
        source,
        filename,
        sheet,
        columns,
        DRIVER_ALIASES,
        DRIVER_KEYWORDS,
        lambda c: None if "name" in c or ("first_name" in c) else "name",
    )
    blank = 0
    infos: list[tuple[RowCells, dict[str, Any]]] = []
    requests: list[tuple[str, str, str]] = []
    req_index: list[int] = []
    for number, cells in table.rows:
        if not any(cells):
            blank += 1
            continue
        row = RowCells(number, cells, cols, table.headers)
        info = _read_driver(row)
        info["home"] = read_latlon(
            row,
            geocoder,
            "the home address is used instead" if info["home_address"] else "",
            ("the driver starts and ends at the hub", "warning"),
        )
        info["geocode"] = None
        if info["home"] is None and info["home_address"]:
            req_index.append(len(infos))
            requests.append((info["home_address"], row.get("postcode"), ""))
        infos.append((row, info))
    for i, result in zip(req_index, geocode_rows(geocoder, requests), strict=True):
        infos[i][1]["geocode"] = result
    drivers: list[Driver] = []
    reports: list[RowReport] = []
    problems: list[InputProblem] = title_problems(table)
    seen: dict[str, int] = {}
    for row, info in infos:
        home: LatLon | None = info["home"]
        precision, score, matched = ("given", 1.0, str(home)) if home else ("", None, "")
        found: GeocodeResult | None = info["geocode"]
        if found is not None:
            precision, score, matched = found.precision, found.score, found.matched
            if found.placed:
                home = found.location
                if found.precision == "street":
                    row.add(
                        "home",
                        info["home_address"],
                        f"home placed on the street only: {found.reason}",
                        "warning",
                    )
            else:
                row.add(
                    "home",
                    info["home_address"],
                    f"home address not found: {found.reason}; the driver starts and "
                    f"ends at the hub (fix the address or give lat/lon)",
                    "warning",
                )
        elif info["home_address"] and geocoder is None and home is None:
            row.add(
                "home",
                info["home_address"],
                "no map to place the home address; the driver starts and ends at the hub",
                "warning",
            )
        if home is None and (info["end"] == "home" or info["start"] == "home"):
            info["end"] = "hub" if info["end"] == "home" else info["end"]
            info["start"] = "hub"
        did = info["id"]
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
            driver = _make_driver(info, did, home, row)
        if driver is not None:
            drivers.append(driver)
        reports.append(
            RowReport(
                row=row.number,
                id=did,
                status=row.status,
                precision=precision,
                score=score,
                matched=matched,
                lat=home.lat if home is not None and driver is not None else None,
                lon=home.lon if home is not None and driver is not None else None,
                problems=tuple(row.problems),
            )
        )
        problems.extend(row.problems)
    return DriverImport(
        problems=problems,
        rows=reports,
        blank_rows=blank,
        columns={f: table.headers[i] for f, i in cols.items()},
        ignored_columns=unused_headers(table, cols),
        drivers=drivers,
    )


def _read_driver(row: RowCells) -> dict[str, Any]:
    info: dict[str, Any] = {}
    name = row.get("name") or " ".join(
        x for x in (row.get("first_name"), row.get("last_name")) if x
    )
    if not name:
        row.add("name", "", "every driver needs a name")
    info["name"] = name
    info["id"] = row.get("id") or name.strip() or f"row{row.number}"
    cap_t = row.get("capacity")
    capacity = None
    if not cap_t:
        row.add("capacity", "", "no capacity: how many boxes fit in the car?")
    else:
        capacity = parse_count(cap_t)
        if capacity is None:
            row.add("capacity", cap_t, "expected a number of boxes, such as 20")
    info["capacity"] = capacity
    shift = None
    text = row.get("window")
    if not text and (row.get("window_start") or row.get("window_end")):
        text = f"{row.get('window_start') or '9'}-{row.get('window_end') or '17'}"
    if not text:
        row.add("window", "", "no available hours (write e.g. 9-13 or 09:00-13:00)")
    else:
        notes: list[str] = []
        try:
            windows = parse_windows(text, notes)
        except (ValueError, InputError):
            windows = ()
            row.add(
                "window",
                text,
                "could not read the available hours (write e.g. 9-13, 09:00-13:00, 9am-1pm)",
            )
        else:
            for note in notes:
                row.add("window", text, note, "warning")
            if not windows:
                row.add("window", text, "no available hours (write e.g. 9-13 or 09:00-13:00)")
        if windows:
            shift = TimeWindow(windows[0].start_s, windows[-1].end_s)
            if len(windows) > 1:
                row.add(
                    "window",
                    text,
                    f"several spans; the driver is taken as available {shift}",
                    "warning",
                )
            if shift.end_s >= DAY_S and shift.start_s > 0:
                row.add("window", text, "no end time; taken as available until midnight", "warning")
    info["shift"] = shift
    home_t = row.get("home")
    if fold(home_t) in ("hub", "pantry", "depot", "base", "the hub", "store"):
        home_t = ""
    info["home_address"] = split_unit(home_t)[0]
    end_t = fold(row.get("end")).strip()
    end = "hub"
    if end_t:
        end = _ENDS.get(end_t) or next((v for k, v in _ENDS.items() if k in end_t.split()), "")
        if not end:
            row.add("end", row.get("end"), "expected home, hub or anywhere; hub assumed", "warning")
            end = "hub"
    info["end"] = end
    start_t = fold(row.get("start")).strip()
    start = "hub"
    if start_t in ("home", "house", "casa", "my house", "from home"):
        start = "home"
    elif start_t and start_t not in ("hub", "pantry", "depot", "base", "the hub", "store"):
        # An address in the "Start" column: the driver sets out from there.
        if not info["home_address"]:
            info["home_address"] = split_unit(row.get("start"))[0]
        start = "home"
    info["start"] = start
    if (
        "home" in (start, end)
        and not info["home_address"]
        and not (row.get("lat") and row.get("lon"))
    ):
        which = "starts and ends" if start == end else ("starts" if start == "home" else "ends")
        row.add(
            "home" if "home" in row.cols else "end",
            row.get("home") or row.get("end"),
            f"{which} at home but no home address is given; the hub is used instead",
            "warning",
        )
    info["languages"] = frozenset(parse_languages(row.get("languages")))
    info["skills"] = frozenset(
        x for x in (s.strip().lower() for s in re.split(r"[,;/]", row.get("skills"))) if x
    )
    profile_t = fold(row.get("profile")).strip()
    profile = "drive"
    if profile_t:
        profile = _PROFILES.get(profile_t) or next(
            (v for k, v in _PROFILES.items() if k in profile_t.split()), ""
        )
        if not profile:
            row.add(
                "profile",
                row.get("profile"),
                "expected a vehicle: car, bike or walk; car assumed",
                "warning",
            )
            profile = "drive"
    info["profile"] = profile
    max_stops = None
    if row.get("max_stops"):
        max_stops = parse_count(row.get("max_stops"))
        if max_stops is None:
            row.add(
                "max_stops", row.get("max_stops"), "expected a whole number; ignored", "warning"
            )
    info["max_stops"] = max_stops
    info["capacity_frozen"] = _read_capacity_frozen(row)
    info["max_route_s"] = _read_max_minutes(row)
    info["max_distance_m"] = _read_max_km(row)
    hub = row.get("hub")
    info["hub"] = None if fold(hub).strip() in _ANY_HUB else hub
    info["phone"] = row.get("phone")
    if info["phone"] and not 7 <= len(only_digits(info["phone"])) <= 15:
        row.add(
            "phone", info["phone"], "does not look like a phone number (7 to 15 digits)", "warning"
        )
    return info


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
    info: dict[str, Any], did: str, home: LatLon | None, row: RowCells
) -> Driver | None:
    if info["capacity"] is None or info["shift"] is None:
        return None
    try:
        return Driver(
            id=did,
            name=info["name"],
            capacity_boxes=info["capacity"],
            shift=info["shift"],
            phone=info["phone"],
            home=home,
            home_address=info["home_address"],
            start=info["start"],
            end=info["end"],
            languages=info["languages"],
            skills=info["skills"],
            profile=info["profile"],
            max_stops=info["max_stops"],
            capacity_frozen=info["capacity_frozen"],
            max_route_s=info["max_route_s"],
            max_distance_m=info["max_distance_m"],
            hub=info["hub"],
            row=row.number,
        )
    except InputError as e:
        for p in e.problems:
            row.add(p.field, p.value, p.reason)
        return None
