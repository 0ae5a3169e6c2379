"""Delivery lists read into stops, with a report on every row.

:func:`import_deliveries` reads a sheet (see :mod:`routing.intake.tables`), recognises its
columns (see :data:`routing.intake.aliases.DELIVERY_ALIASES` for every spelling), reads
values as people write them ("2 bags", "10am-12pm", "after 3pm", "Apt 3B" inside the
address) and places each address with a :class:`~routing.geocoding.offline.Geocoder`.

Optional constraint columns: ``frozen`` (frozen/cold bags, read like boxes: ``"2"``,
``"2 bags"``) -> ``Stop.frozen``; ``stairs`` (yes/no: ``"Stairs"``, ``"No elevator"``,
``"Walk-up"``, ``"Escaleras"``, ``"Sin ascensor"``); ``exclude_drivers`` (``"Not
driver"``, ``"Never send"``, ``"No enviar a"``: names or ids separated by ``,`` ``;``
``/``, kept as written) -> ``Stop.exclude_drivers``.

**Service time.** A service-minutes value given in a row always wins. When the row has
none (no such column, a blank cell, or a value that cannot be read), the stop's
``service_s`` is :data:`SERVICE_BASE_S` (3 min) + :data:`SERVICE_PER_BOX_S` (1 min) x
boxes + :data:`SERVICE_STAIRS_S` (5 min) when the ``stairs`` flag is set: 2 boxes take
5 minutes, 2 boxes up the stairs 10 (see :func:`service_time_s`).

**Nothing is lost.** Every non-blank row becomes a :class:`~routing.model.Stop` (kept
with ``location=None`` when its address cannot be placed) or, when even that is
impossible (a box count that cannot be guessed: ``"-3"``, ``"1e9"``), appears in
``problems`` with severity ``error``. Blank rows are counted in
``blank_rows``, not reported. A file that cannot be read at all (empty, binary, no
address column) raises :class:`~routing.errors.InputError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from routing.errors import InputError, InputProblem
from routing.geocoding.normalize import fold, housenumber_key, split_unit, street_key
from routing.intake.amounts import read_boxes, read_frozen
from routing.intake.cells import (
    is_yes,
    parse_duration_min,
    parse_flag,
    parse_float,
    parse_languages,
    parse_names,
    parse_tags,
    parse_windows,
)
from routing.intake.columns import MappedTable, read_mapped_table, sheet_findings
from routing.intake.duplicates import PLANNED_ONCE, Household, find_duplicates
from routing.intake.limits import (
    ADDRESS_CHARS,
    ID_CHARS,
    MAX_EXCLUDED,
    MAX_TAGS,
    MAX_WINDOWS,
    NAME_CHARS,
    NOTE_CHARS,
    SHORT_CHARS,
)
from routing.intake.questions import DELIVERY_FIELDS
from routing.intake.report import UNPLACED_FIX, DeliveryImport, RowReport
from routing.intake.rows import (
    RowCells,
    geocode_rows,
    read_latlon,
    read_name,
    read_phone,
    row_report,
)
from routing.model import LatLon, Stop, TimeWindow
from routing.phones import phone_key

if TYPE_CHECKING:
    from routing.geocoding.result import Geocoder, GeocodeResult

# The service time model, used for a row whose sheet gives no service minutes (no
# column, a blank cell, or a value that cannot be read); a service-minutes value given
# in the row always wins. 2 boxes, no stairs: 3 + 2 x 1 = 5 minutes.

#: Minutes at every door, in seconds: park, walk up, knock, hand over.
SERVICE_BASE_S = 3 * 60
#: Carrying each box (``boxes``, not frozen bags), in seconds.
SERVICE_PER_BOX_S = 60
#: Extra when the ``stairs`` flag is set (walk-up, no elevator), in seconds.
SERVICE_STAIRS_S = 5 * 60


def service_time_s(boxes: int, stairs: bool = False) -> int:
    """Seconds at the door for a stop whose sheet gives no service minutes.

    :data:`SERVICE_BASE_S` + :data:`SERVICE_PER_BOX_S` x ``boxes`` +
    :data:`SERVICE_STAIRS_S` when ``stairs``: 2 boxes -> 300 s, 2 boxes with stairs
    -> 600 s.
    """
    return SERVICE_BASE_S + SERVICE_PER_BOX_S * max(0, boxes) + (SERVICE_STAIRS_S if stairs else 0)


#: Placements whose matched address (with its postcode) drivers are shown instead of
#: what was typed: the door, or the corner, was found.
_MATCHED_SHOWN = ("exact", "interpolated", "intersection")
#: Placements a stop keeps (the geocoder's, without importing it at start-up).
_PLACEMENTS = frozenset({"given", "exact", "interpolated", "intersection", "street"})

#: The fix suggested for a row with neither an address nor lat/lon.
NO_ADDRESS_FIX = "Add the address, or lat/lon inside the area."


@dataclass(frozen=True)
class DeliveryRow:
    """One delivery row's values as read; its problems are on its
    :class:`~routing.intake.rows.RowCells`."""

    #: Spreadsheet row (the header is row 1).
    row: int
    #: The id column, else the row number.
    id: str
    recipient: str
    #: What the geocoder is asked: the street address, with the city column when given.
    address: str
    #: The street address shown on the stop (the unit split off).
    display_address: str
    unit: str
    postcode: str
    #: ``None`` when the count cannot be guessed: the row then gives no stop.
    boxes: int | None
    #: Like ``boxes``.
    frozen: int | None
    stairs: bool
    windows: tuple[TimeWindow, ...]
    #: The row's own service time; ``None`` when :func:`service_time_s` applies.
    service_s: int | None
    phone: str
    notes: str
    language: str
    driver: str | None
    exclude_drivers: frozenset[str]
    requires: frozenset[str]
    urgent: bool
    #: The row's lat/lon columns, when given and usable.
    location: LatLon | None = None
    #: The geocoder's answer for ``address``, when asked.
    geocode: GeocodeResult | None = None


def import_deliveries(
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    geocoder: Geocoder | None = None,
    keep_duplicates: bool = False,
    region: str | None = None,
) -> DeliveryImport:
    """Read a delivery list into stops and a problems report.

    Parameters
    ----------
    source:
        A path, or the file's bytes (then ``filename`` tells the format, e.g. for uploads).
    sheet:
        Excel sheet name (default: the first sheet).
    columns:
        field -> header, for headers that are not recognised (``{"address": "Where?"}``).
        Fields: see :data:`DELIVERY_ALIASES`.
    geocoder:
        Places addresses; without one, only rows with ``lat``/``lon`` are placed and the
        others are kept unplaced with no error.
    keep_duplicates:
        Plan every row. By default the rows of one household (same address and unit, or
        same name and phone: a form sent twice) are merged into the latest one, and the
        merge is said on both rows (see :mod:`routing.intake.duplicates`).
    region:
        The area's country (ISO 3166, "US"): how phone numbers without a country code
        are read.

    Each stop's ``service_s`` is the row's service minutes when given and readable;
    otherwise :func:`service_time_s` of its boxes and stairs flag (3 min + 1 min per box
    + 5 min for stairs). Frozen bags go to ``Stop.frozen`` (blank = 0), excluded drivers
    to ``Stop.exclude_drivers`` as written.

    Raises
    ------
    InputError
        When the file cannot be read at all, or has no address (nor lat/lon) column.
    """
    mapped = read_mapped_table(source, filename, sheet, columns, DELIVERY_FIELDS)
    table, cols = mapped.table, mapped.cols
    spares = mapped.match.spares(table.headers)
    blank = 0
    parsed: list[tuple[RowCells, DeliveryRow]] = []
    width = len(table.headers)
    for number, cells in table.rows:
        if not any(cells):
            blank += 1
            continue
        row = RowCells(number, cells, cols, table.headers, spares)
        extra = [c for c in cells[width:] if c]
        if extra:
            row.add(
                "row",
                ", ".join(extra),
                f"{len(extra)} cell(s) beyond the last header were ignored",
                "warning",
            )
        delivery = _read_delivery(row, region)
        location = read_latlon(
            row,
            geocoder,
            "the address is used instead" if delivery.address else "",
            ("there is no address to use instead, so the stop cannot be placed", "error"),
        )
        parsed.append((row, replace(delivery, location=location)))
    answers = geocode_rows(
        geocoder,
        [
            (d.address, d.postcode, d.unit) if d.location is None and d.address else None
            for _, d in parsed
        ],
    )
    geocoded = [
        (row, replace(d, geocode=answer)) for (row, d), answer in zip(parsed, answers, strict=True)
    ]
    return _finish_deliveries(geocoded, mapped, blank, keep_duplicates, region)


def _read_delivery(row: RowCells, region: str | None = None) -> DeliveryRow:
    name = read_name(row)
    raw_address = row.get("address")
    number = row.get("housenumber")
    if number and fold(number) not in fold(raw_address).split():
        raw_address = f"{number} {raw_address}".strip()  # "House number" + "Street" columns
    address, unit_in_address = split_unit(raw_address)
    unit = row.get("unit")
    if unit_in_address and fold(unit_in_address) != fold(unit):
        unit = f"{unit}, {unit_in_address}" if unit else unit_in_address
    city = row.get("city")
    if city and address and fold(city) not in fold(address):
        address_for_geo = f"{address}, {city}"
    else:
        address_for_geo = address
    postcode = row.get("postcode")
    if re.fullmatch(r"\d+\.0", postcode):
        postcode = postcode[:-2]
    if not raw_address and not (row.get("lat") and row.get("lon")):
        row.add("address", "", "no address (and no lat/lon): the stop cannot be placed")
    boxes = read_boxes(row)
    frozen = read_frozen(row)
    stairs = _read_stairs(row)
    windows = _read_windows(row)
    service_s = _read_service_s(row)
    phone = read_phone(row, region)
    notes = row.get("notes")
    langs = parse_languages(row.get("language"))
    driver = row.get("driver") or None
    exclude_drivers = parse_names(row.get("exclude_drivers"))
    if driver and driver in exclude_drivers:
        row.add(
            "exclude_drivers",
            row.get("exclude_drivers"),
            f"the stop is pinned to {driver!r} and also excludes them; it will "
            "not be planned until one of the two columns is changed",
            "warning",
        )
    return DeliveryRow(
        row=row.number,
        id=row.get("id") or str(row.number),
        recipient=name,
        address=address_for_geo,
        display_address=address,
        unit=unit,
        postcode=postcode,
        boxes=boxes,
        frozen=frozen,
        stairs=stairs,
        windows=windows,
        service_s=service_s,
        phone=phone,
        notes=notes,
        language=langs[0] if langs else "",
        driver=driver,
        exclude_drivers=exclude_drivers,
        requires=parse_tags(row.get("requires")),
        urgent=is_yes(row.get("urgent")) if row.get("urgent") else False,
    )


def _read_service_s(row: RowCells) -> int | None:
    """The row's service minutes in seconds; ``None`` (the model applies) when blank or
    unreadable, the latter with a warning."""
    text = row.get("service_min")
    if not text:
        return None
    v = parse_duration_min(text)
    if v is None:
        v = parse_float(text)
    if v is None or v < 0 or v > 240:
        row.add(
            "service_min",
            text,
            "expected minutes at the door, 0 to 240; the time from boxes and stairs is used",
            "warning",
        )
        return None
    return round(v * 60)


def _read_stairs(row: RowCells) -> bool:
    text = row.get("stairs")
    flag = parse_flag(text)
    if flag is None:
        row.add(
            "stairs",
            text,
            "expected yes or no (stairs, no elevator); stairs assumed, "
            f"{SERVICE_STAIRS_S // 60} more minutes at the door",
            "warning",
        )
        return True
    return flag


def _read_windows(row: RowCells) -> tuple[TimeWindow, ...]:
    text = row.get("window")
    start_t, end_t = row.get("window_start"), row.get("window_end")
    if not text and (start_t or end_t):
        text = f"{start_t or '0:00'}-{end_t or '24:00'}"
    if not text:
        return ()
    notes: list[str] = []
    fld = "window" if row.get("window") else ("window_start" if start_t else "window_end")
    try:
        windows = parse_windows(text, notes)
    except (ValueError, InputError):
        row.add(
            fld,
            text,
            "could not read this time window (write e.g. 10-12, 10am-12pm, "
            "after 3pm); any time assumed",
            "warning",
        )
        return ()
    for note in notes:
        row.add(fld, text, note, "warning")
    if len(windows) > MAX_WINDOWS:
        windows = windows[:MAX_WINDOWS]
        kept = ", ".join(str(w) for w in windows)
        row.add(
            fld, text, f"more windows than a plan keeps: the first {MAX_WINDOWS}, {kept}", "warning"
        )
    return windows


@dataclass
class _Entry:
    """One row on its way to a stop: where it was placed, and the stop made of it."""

    row: RowCells
    delivery: DeliveryRow
    id: str
    precision: str = ""
    score: float | None = None
    matched: str = ""
    suggestion: str = ""
    location: LatLon | None = None
    stop: Stop | None = None


def _place(row: RowCells, delivery: DeliveryRow, entry: _Entry) -> None:
    """Where the row was placed (given lat/lon, or the geocoder's answer), and why not."""
    entry.location = delivery.location
    if entry.location is not None:
        entry.precision, entry.score, entry.matched = "given", 1.0, str(entry.location)
        return
    result = delivery.geocode
    if result is not None:
        entry.precision, entry.score, entry.matched = result.precision, result.score, result.matched
        entry.suggestion = result.suggestion
        if result.placed:
            entry.location = result.location
            if result.precision == "street":
                row.add(
                    "address",
                    delivery.display_address,
                    f"placed on the street only: {result.reason}; check it, drivers are "
                    "sent to the street, not the door",
                    "warning",
                )
            elif result.precision == "intersection":
                row.add(
                    "address",
                    delivery.display_address,
                    f"{result.reason}: drivers are sent to the corner; give the house "
                    "number if there is one",
                    "warning",
                )
            elif result.score < 0.9:
                row.add(
                    "address",
                    delivery.display_address,
                    f"matched to {result.matched}; check it ({result.reason})",
                    "warning",
                )
        elif delivery.address:
            where = (
                "outside the area: "
                if result.precision == "outside_area"
                else "address not found: "
            )
            row.add(
                "address",
                delivery.display_address,
                where + result.reason + "; fix the address or give lat/lon",
            )
    if entry.location is None and not entry.suggestion:
        entry.suggestion = UNPLACED_FIX if delivery.address else NO_ADDRESS_FIX


def _finish_deliveries(
    parsed: list[tuple[RowCells, DeliveryRow]],
    mapped: MappedTable,
    blank: int,
    keep_duplicates: bool = False,
    region: str | None = None,
) -> DeliveryImport:
    sheet = sheet_findings(mapped, DELIVERY_FIELDS)
    problems: list[InputProblem] = list(sheet.problems)
    seen_ids: dict[str, int] = {}
    entries: list[_Entry] = []
    for row, delivery in parsed:
        sid = delivery.id
        if sid in seen_ids:
            new = f"{sid}-row{row.number}"
            row.add(
                "id", sid, f"same id as row {seen_ids[sid]}; this stop's id is {new}", "warning"
            )
            sid = new
        seen_ids[sid] = row.number
        entry = _Entry(row, delivery, sid)
        _place(row, delivery, entry)
        shown = entry.matched if entry.precision in _MATCHED_SHOWN else ""
        entry.stop = _make_stop(delivery, sid, entry.location, entry.precision, shown, row)
        entries.append(entry)
    dropped = _duplicates([e for e in entries if e.stop is not None], keep_duplicates, region)
    stops: list[Stop] = []
    reports: list[RowReport] = []
    for e in entries:
        stop = None if e.row.number in dropped else e.stop
        if stop is not None:
            stops.append(stop)
        placed = e.location if stop is not None else None
        report = row_report(e.row, e.id, e.precision, e.score, e.matched, placed, e.suggestion)
        reports.append(replace(report, name=e.delivery.recipient, address=_as_written(e.delivery)))
        problems.extend(e.row.problems)
    return DeliveryImport(
        problems=problems,
        rows=reports,
        blank_rows=blank,
        columns=sheet.columns,
        ignored_columns=sheet.ignored,
        column_notes=sheet.notes,
        guessed_columns=sheet.guessed,
        stops=stops,
    )


def _duplicates(entries: list[_Entry], keep: bool, region: str | None) -> set[int]:
    """Merge the rows of one household (the latest kept) and say so on each row; with
    ``keep``, only say so. Returns the rows left out."""
    households = [
        Household(
            e.row.number,
            _place_key(e.delivery.display_address, e.delivery.unit, e.matched, e.precision),
            " ".join(fold(e.delivery.recipient).split()),
            phone_key(e.delivery.phone, region),
        )
        for e in entries
    ]
    by_row = {e.row.number: e for e in entries}
    duplicates, shared = find_duplicates(households)
    for d in duplicates:
        gone, kept = by_row[d.row], by_row[d.kept]
        where = _as_written(gone.delivery)
        if keep:
            gone.row.add("address", where, f"{d.why} as row {d.kept}: planned twice", "warning")
            continue
        gone.row.add(
            "address",
            where,
            f"{d.why} as row {d.kept}: {PLANNED_ONCE}, as row {d.kept} (the later row)",
            "warning",
        )
        kept.row.add(
            "address",
            _as_written(kept.delivery),
            f"{d.why} as row {d.row}, which is left out: this row is planned",
            "warning",
        )
    for a, b in shared:
        by_row[b].row.add(
            "address",
            by_row[b].delivery.display_address,
            f"same address as row {a}, no unit, another name: two households? add the unit, "
            "or remove one row",
            "warning",
        )
    household = {d.row: d.kept for d in duplicates}
    first_with: dict[str, int] = {}
    for h in households:
        if not h.phone:
            continue
        other = first_with.setdefault(h.phone, h.row)
        if other != h.row and household.get(other, other) != household.get(h.row, h.row):
            e = by_row[h.row]
            e.row.add("phone", e.delivery.phone, f"same phone as row {other}", "warning")
    return set() if keep else set(household)


def _as_written(d: DeliveryRow) -> str:
    """The row's street address with its unit: "113-46 212th Street, Apt 3B"."""
    return f"{d.display_address}, {d.unit}" if d.unit else d.display_address


def _place_key(address: str, unit: str, matched: str, precision: str) -> tuple[str, str] | None:
    if precision in _MATCHED_SHOWN and matched:
        base = matched
    elif address:
        base = " ".join(street_key(address).key.split())
        number = re.match(r"\s*(\S+)", address)
        base = f"{housenumber_key(number.group(1)) if number else ''} {base}"
    else:
        return None
    return fold(base), _unit_key(unit)


def _unit_key(unit: str) -> str:
    """``"Apt 2B"``, ``"#2b"``, ``"2B"`` -> ``"2b"``."""
    words = r"apt|apartment|apto|unit|suite|ste|no|num|depto|dpto|fl|floor|piso"
    text = re.sub(rf"\b(?:{words})\b\.?", " ", fold(unit))
    return housenumber_key(text)


def _make_stop(
    delivery: DeliveryRow,
    sid: str,
    location: LatLon | None,
    precision: str,
    matched: str,
    row: RowCells,
) -> Stop | None:
    if delivery.boxes is None or delivery.frozen is None:
        return None  # a count that cannot be guessed: reported, not planned
    fit, d = row.fit, delivery
    try:
        return Stop(
            id=fit("id", sid, ID_CHARS),
            recipient=fit("name", d.recipient, NAME_CHARS),
            address=fit("address", d.display_address, ADDRESS_CHARS),
            unit=fit("unit", d.unit, SHORT_CHARS),
            location=location,
            boxes=delivery.boxes,
            windows=delivery.windows,
            phone=fit("phone", d.phone, SHORT_CHARS),
            notes=fit("notes", d.notes, NOTE_CHARS),
            language=fit("language", d.language, SHORT_CHARS),
            row=delivery.row,
            requires=frozenset(row.fit_all("requires", d.requires, SHORT_CHARS, MAX_TAGS)),
            driver=None if d.driver is None else fit("driver", d.driver, ID_CHARS),
            urgent=delivery.urgent,
            frozen=delivery.frozen,
            exclude_drivers=frozenset(
                row.fit_all("exclude_drivers", d.exclude_drivers, ID_CHARS, MAX_EXCLUDED)
            ),
            precision=precision if precision in _PLACEMENTS else "",
            matched=matched,
            service_s=delivery.service_s
            if delivery.service_s is not None
            else service_time_s(delivery.boxes, delivery.stairs),
        )
    except InputError as e:
        for p in e.problems:
            row.add(p.field, p.value, p.reason)
        return None
