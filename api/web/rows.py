"""The problems report as a table a person can act on: what happened to every row of a
delivery list, and the changes the dispatcher makes to it (fix an address, place a household
by a pin, skip a row, bring a skipped row back).

The stored import (``ImportRecord``) holds the report (``report``: one entry per row) and the
stops (``items["stops"]``, the API's JSON). A change updates both: a fixed or pinned stop is
placed in ``items``, a skipped one leaves ``items`` for ``report["skipped"]``; each report row
says what was done in ``action`` ("fixed", "pinned", "skipped"). Every row is accounted for:
placed as read, fixed, pinned, skipped, merged into another row, or still to look at.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from api.storage.models import ImportRecord
from routing.errors import InputError, InputProblem
from routing.geocoding.normalize import housenumber_value, parse_address
from routing.geocoding.result import Geocoder
from routing.model import LatLon

#: How a row stands, in the order the counts are shown.
STATES = ("placed", "fixed", "pinned", "skipped", "merged", "todo")
#: Placements good enough for a fixed address (a whole street is not a door).
DOOR = ("exact", "interpolated", "intersection", "given")


@dataclass(frozen=True)
class RowView:
    """One row of the list as the table shows it."""

    row: int
    id: str
    name: str
    address: str
    unit: str
    state: str
    precision: str
    matched: str
    #: The import's problems on this row, each {"field", "value", "reason", "severity"}.
    problems: list[dict[str, Any]]
    #: The geocoder's sentence on what to do (English, as the import writes it).
    suggestion: str
    #: Addresses of the area close to what was typed, each found at its door.
    candidates: tuple[str, ...] = ()
    has_stop: bool = True


def load(record: ImportRecord) -> tuple[dict[str, Any], dict[str, Any]]:
    return json.loads(record.report or "{}"), json.loads(record.items or "{}")


def save(record: ImportRecord, report: dict[str, Any], items: dict[str, Any]) -> None:
    stops = items.get("stops", [])
    summary = dict(report.get("summary", {}))
    summary["placed"] = sum(1 for st in stops if _placed(st))
    summary["skipped"] = len(report.get("skipped", {}))
    report["summary"] = summary
    record.report = json.dumps(report)
    record.items = json.dumps(items)
    record.summary = json.dumps(summary)


def _placed(stop: dict[str, Any]) -> bool:
    return stop.get("location") is not None or (
        stop.get("lat") is not None and stop.get("lon") is not None
    )


def _state(entry: dict[str, Any], stop: dict[str, Any] | None) -> str:
    action = entry.get("action", "")
    if action in ("fixed", "pinned", "skipped"):
        return str(action)
    if stop is None:
        return "todo" if entry.get("status") == "error" else "merged"
    return "placed" if _placed(stop) else "todo"


def views(
    report: dict[str, Any],
    items: dict[str, Any],
    geocoder: Geocoder | None = None,
    only: int | None = None,
    addresses: pd.DataFrame | None = None,
    typed: str = "",
) -> list[RowView]:
    """Every row of the report (or row ``only``), with the stops' names and addresses and,
    with a geocoder, addresses to suggest for the rows still to place."""
    stops = {str(st["id"]): st for st in items.get("stops", [])}
    skipped = report.get("skipped", {})
    out = []
    for entry in report.get("rows", []):
        if only is not None and entry.get("row") != only:
            continue
        rid = str(entry.get("id"))
        stop = stops.get(rid) or skipped.get(rid)
        state = _state(entry, stops.get(rid))
        # A row that gives no stop (or one merged into another row) is named as read.
        address = (stop or {}).get("address") or str(entry.get("address") or "")
        candidates: tuple[str, ...] = ()
        wanted = typed or address
        if geocoder is not None and state == "todo" and stop is not None and wanted:
            candidates = suggest(geocoder, wanted, stop.get("postcode", ""), addresses=addresses)
        out.append(
            RowView(
                row=int(entry.get("row") or 0),
                id=rid,
                name=(stop or {}).get("recipient")
                or (stop or {}).get("name")
                or str(entry.get("name") or ""),
                address=address,
                unit=(stop or {}).get("unit", ""),
                state=state,
                precision=str(entry.get("precision", "")),
                matched=str(entry.get("matched", "")),
                problems=list(entry.get("problems", [])),
                suggestion=str(entry.get("suggestion", "")),
                candidates=candidates,
                has_stop=stop is not None,
            )
        )
    return out


def counts(rows: list[RowView]) -> dict[str, int]:
    out = dict.fromkeys(STATES, 0)
    for r in rows:
        out[r.state] += 1
    out["rows"] = len(rows)
    return out


def needs_a_look(r: RowView) -> bool:
    """Rows the table lists: anything but a row placed as read without a problem."""
    return r.state != "placed" or bool(r.problems)


def suggest(
    geocoder: Geocoder,
    address: str,
    postcode: str = "",
    limit: int = 3,
    addresses: pd.DataFrame | None = None,
) -> tuple[str, ...]:
    """Addresses of the area close to ``address``: with the area's address table, the
    known doors nearest the house number on the street found; then the same house number
    on the streets whose names come closest, each placed at its door by the geocoder."""
    like = getattr(geocoder, "streets_like", None)
    if like is None:
        return ()
    parsed = parse_address(address)
    if not parsed.street:
        return ()
    out: list[str] = []
    first = geocoder.geocode(address, postcode=postcode)
    if first.precision == "street" and parsed.housenumber and addresses is not None:
        street = first.matched.split(",")[0]
        out.extend(doors_near(addresses, street, parsed.housenumber, limit))
    for name in like(parsed.street, limit):
        text = f"{parsed.housenumber} {name}".strip()
        for pc in dict.fromkeys((postcode, "")):
            found = geocoder.geocode(text, postcode=pc)
            if found.placed and found.precision in DOOR:
                matched = found.matched or text
                if matched not in out:
                    out.append(matched)
                break
    return tuple(out[:limit])


def doors_near(addresses: pd.DataFrame, street: str, number: str, limit: int = 3) -> list[str]:
    """The known addresses of ``street`` (as the table writes it) whose house numbers come
    closest to ``number``: "218-10 Hollis Ave" -> "218-12 Hollis Avenue, 11429"."""
    want = housenumber_value(number)
    if want is None:
        return []
    rows = addresses[addresses["street"].astype(str) == street]
    found = []
    for hn, pc in zip(rows["housenumber"].astype(str), rows["postcode"].astype(str), strict=True):
        value = housenumber_value(hn)
        if value is not None:
            distance = (value[1] != want[1]) * 10**9 + abs(value[0] - want[0])
            found.append((distance, f"{hn} {street}" + (f", {pc}" if pc.strip() else "")))
    return list(dict.fromkeys(text for _, text in sorted(found)))[:limit]


def _entry(report: dict[str, Any], row: int) -> dict[str, Any]:
    for entry in report.get("rows", []):
        if entry.get("row") == row:
            return entry  # type: ignore[no-any-return]
    raise KeyError(row)


def _stop(items: dict[str, Any], rid: str) -> dict[str, Any] | None:
    return next((st for st in items.get("stops", []) if str(st["id"]) == rid), None)


def fix_address(
    report: dict[str, Any], items: dict[str, Any], row: int, address: str, geocoder: Geocoder
) -> None:
    """Place row ``row``'s household at ``address`` as corrected. Raises KeyError for no such
    row, InputError (English reason, the geocoder's) when the address is not found at a door."""
    entry = _entry(report, row)
    stop = _stop(items, str(entry.get("id")))
    if stop is None:
        raise KeyError(row)
    found = geocoder.geocode(address, postcode=stop.get("postcode", ""))
    if not (found.placed and found.precision in DOOR and found.location is not None):
        if found.precision == "street":
            why = f"{found.reason}: only the street was found"
        else:
            why = found.reason or "not found in this area"
        raise InputError(InputProblem("address", address, why, row))
    stop.pop("lat", None)
    stop.pop("lon", None)
    stop.update(
        address=address,
        location={"lat": found.location.lat, "lon": found.location.lon},
        precision=found.precision,
        matched=found.matched,
    )
    entry.update(
        action="fixed",
        precision=found.precision,
        matched=found.matched,
        lat=found.location.lat,
        lon=found.location.lon,
    )


def pin(
    report: dict[str, Any],
    items: dict[str, Any],
    row: int,
    lat: float,
    lon: float,
    geocoder: Geocoder | None,
) -> None:
    """Place row ``row``'s household at a point on the map. Raises KeyError for no such row,
    InputError when the point is not a point or lies outside the area."""
    entry = _entry(report, row)
    stop = _stop(items, str(entry.get("id")))
    if stop is None:
        raise KeyError(row)
    point = LatLon(lat, lon)  # InputError for a latitude past 90
    contains = getattr(geocoder, "contains", None)
    if contains is not None and not contains(point):
        raise InputError(InputProblem("lat,lon", f"{lat},{lon}", "outside the area", row))
    stop.update(lat=lat, lon=lon, location={"lat": lat, "lon": lon}, precision="given")
    entry.update(action="pinned", precision="given", lat=lat, lon=lon)


def skip(report: dict[str, Any], items: dict[str, Any], row: int) -> None:
    """Leave row ``row`` out of the plan; its stop is kept in the report to bring back."""
    entry = _entry(report, row)
    rid = str(entry.get("id"))
    stop = _stop(items, rid)
    if stop is not None:
        items["stops"] = [st for st in items.get("stops", []) if str(st["id"]) != rid]
        report.setdefault("skipped", {})[rid] = stop
    entry["previous_action"] = entry.get("action", "")
    entry["action"] = "skipped"


def restore(report: dict[str, Any], items: dict[str, Any], row: int) -> None:
    """Bring a skipped row back, as it was before it was skipped."""
    entry = _entry(report, row)
    rid = str(entry.get("id"))
    stop = report.get("skipped", {}).pop(rid, None)
    if stop is not None:
        stops = [*items.get("stops", []), stop]
        items["stops"] = sorted(stops, key=lambda st: st.get("row") or 0)
    entry["action"] = entry.pop("previous_action", "")


#: The dispatcher's changes a new list of the week keeps (see :func:`carry_over`).
CARRIED = ("fixed", "pinned", "skipped")


def _written(entry: dict[str, Any]) -> tuple[str, str]:
    """A report row's household as written: its name and address, case and spaces aside."""
    return (
        " ".join(str(entry.get("name") or "").casefold().split()),
        " ".join(str(entry.get("address") or "").casefold().split()),
    )


def carry_over(
    old_report: dict[str, Any],
    old_items: dict[str, Any],
    report: dict[str, Any],
    items: dict[str, Any],
    geocoder: Geocoder | None,
) -> tuple[int, int]:
    """Make the changes made on the page to the week's earlier list (addresses fixed,
    households pinned, rows skipped) to the same rows of a new list, so that reading a
    corrected spreadsheet loses none of them. A row is the same when it names the same
    household as written (name and address): a row whose address the spreadsheet now
    writes differently keeps no fix (the spreadsheet fixed it). Returns how many changes
    were kept and how many found no such row (or no longer apply)."""
    rows_of: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for entry in report.get("rows", []):
        if any(_written(entry)):
            rows_of.setdefault(_written(entry), []).append(entry)
    placed = {str(st["id"]) for st in items.get("stops", [])}

    def same_row(old: dict[str, Any]) -> int | None:
        # A household written twice has two rows: the same row number as before, else the
        # one that gives the stop (the other is merged into it).
        found = rows_of.get(_written(old), [])
        ranked = sorted(
            found, key=lambda e: (e.get("row") != old.get("row"), str(e.get("id")) not in placed)
        )
        return int(ranked[0]["row"]) if ranked else None

    kept = lost = 0
    for old in old_report.get("rows", []):
        action = old.get("action")
        if action not in CARRIED:
            continue
        row = same_row(old)
        try:
            if row is None:
                raise KeyError(old.get("row"))
            if action == "skipped":
                skip(report, items, row)
            elif action == "pinned":
                pin(report, items, row, float(old["lat"]), float(old["lon"]), geocoder)
            else:
                fixed = _stop(old_items, str(old.get("id")))
                if fixed is None or geocoder is None:
                    raise KeyError(old.get("row"))
                fix_address(report, items, row, str(fixed["address"]), geocoder)
        except (KeyError, InputError, TypeError, ValueError):
            lost += 1
        else:
            kept += 1
    return kept, lost


def parse_point(text: str) -> tuple[float, float]:
    """``"40.71, -73.74"`` -> (40.71, -73.74); InputError for anything else."""
    parts = text.replace(";", ",").split(",")
    try:
        if len(parts) != 2:
            raise ValueError(text)
        return float(parts[0]), float(parts[1])
    except ValueError:
        raise InputError(
            InputProblem("lat,lon", text, "expected a point as LAT, LON (40.71, -73.74)")
        ) from None
