"""Exports of a plan: GPX per driver for GPS apps, CSV and XLSX for the group's spreadsheet.

Spreadsheet cells that begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are
neutralised with a leading apostrophe (OWASP's advice against CSV/formula injection), so a
recipient named ``=HYPERLINK(...)`` stays text. Numbers (boxes, coordinates) stay numbers.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

from maps._render import page_language, route_summary, stop_rows
from maps.privacy import check_privacy
from routing.errors import InputError, InputProblem
from routing.model import Plan, format_hhmm

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Columns of the CSV and of the XLSX "Stops" sheet, in order.
COLUMNS: tuple[str, ...] = (
    "driver_id",
    "driver",
    "order",
    "arrival",
    "departure",
    "stop_id",
    "row",
    "recipient",
    "address",
    "matched_address",
    "unit",
    "phone",
    "boxes",
    "notes",
    "language",
    "window",
    "lat",
    "lon",
    "status",
    "reason",
    "message",
    "fix",
)


# Column widths of the "Stops" sheet, in characters, matching COLUMNS.
_WIDTHS = (8, 18, 6, 8, 9, 8, 5, 22, 26, 30, 8, 14, 6, 30, 9, 12, 10, 11, 10, 18, 40, 40)


def neutralise(value: Any) -> Any:
    """Prefix ``'`` to a string a spreadsheet would run as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def plan_rows(plan: Plan) -> list[dict[str, Any]]:
    """One dict per stop (keys :data:`COLUMNS`): routed stops in visit order, then unassigned."""
    problem = plan.problem
    out: list[dict[str, Any]] = []
    for route in plan.routes:
        driver = problem.driver(route.driver_id)
        for row, visit in zip(stop_rows(plan, route, "full"), route.visits, strict=True):
            out.append(
                _stop_dict(plan, row.stop.id)
                | {
                    "driver_id": driver.id,
                    "driver": driver.name,
                    "order": row.number,
                    "arrival": format_hhmm(visit.arrival_s),
                    "departure": format_hhmm(visit.departure_s),
                    "status": "assigned",
                }
            )
    for u in plan.unassigned:
        out.append(
            _stop_dict(plan, u.stop_id)
            | {
                "status": "unassigned",
                "reason": u.reason,
                "message": u.message,
                "fix": u.fix,
            }
        )
    return out


def _stop_dict(plan: Plan, stop_id: str) -> dict[str, Any]:
    s = plan.problem.stop(stop_id)
    d: dict[str, Any] = dict.fromkeys(COLUMNS, "")
    d.update(
        stop_id=s.id,
        row=s.row if s.row is not None else "",
        recipient=s.recipient,
        address=s.address,
        matched_address=s.matched,
        unit=s.unit,
        phone=s.phone,
        boxes=s.boxes,
        notes=s.notes,
        language=s.language,
        window=", ".join(str(w) for w in s.windows),
        lat=s.location.lat if s.location else "",
        lon=s.location.lon if s.location else "",
    )
    return d


def plan_csv(plan: Plan) -> str:
    """The plan as CSV text (UTF-8, header row, one line per stop), formula-safe."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in plan_rows(plan):
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return buf.getvalue()


def plan_xlsx(plan: Plan) -> bytes:
    """The plan as an XLSX workbook: a "Stops" sheet (as the CSV) and a "Routes" summary."""
    from openpyxl import Workbook  # a third of a second to import: only when asked for
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Stops"
    ws.append(list(COLUMNS))
    for row in plan_rows(plan):
        ws.append([_cell(neutralise(row[c])) for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLMNOPQRSTUV", _WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    summary = wb.create_sheet("Routes")
    summary.append(["driver_id", "driver", "stops", "boxes", "minutes", "km", "depart", "end"])
    for route in plan.routes:
        f = route_summary(plan, route)
        driver = plan.problem.driver(route.driver_id)
        summary.append(
            [
                _cell(neutralise(driver.id)),
                _cell(neutralise(driver.name)),
                f["stops"],
                f["boxes"],
                f["minutes"],
                f["km"],
                f["depart"],
                f["end"],
            ]
        )
    for cell in summary[1]:
        cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(value: Any) -> Any:
    # openpyxl treats any string starting with "=" as a formula; neutralise() has already
    # prefixed those, and empty strings become empty cells.
    return None if value == "" else value


GPX_NS = "http://www.topografix.com/GPX/1/1"


def gpx(plan: Plan, driver_id: str, *, privacy: str = "full", locale: str | None = None) -> str:
    """One driver's route as GPX 1.1: a waypoint per stop, the route, and the road track.

    Names follow the privacy mode (``reveal`` becomes initials and no phones, as on paper);
    the words a GPS app shows are in the driver's language (``Driver.locale``, else
    ``locale``, else English).
    """
    mode = check_privacy(privacy)
    route = plan.route_for(driver_id)
    if route is None:
        raise InputError(InputProblem("driver", driver_id, "has no route in this plan"))
    if mode == "reveal":
        mode = "reveal_print"  # type: ignore[assignment]
    driver = plan.problem.driver(driver_id)
    lang = page_language(plan, locale, driver)
    ET.register_namespace("", GPX_NS)
    root = ET.Element(f"{{{GPX_NS}}}gpx", {"version": "1.1", "creator": "aidroute"})
    meta = ET.SubElement(root, f"{{{GPX_NS}}}metadata")
    title = f"{driver.name} {plan.problem.date or ''}".strip()
    ET.SubElement(meta, f"{{{GPX_NS}}}name").text = title
    hub = plan.problem.hub(route.hub_id)
    hub_desc = "; ".join(x for x in (hub.address, hub.note) if x)
    hub_name = lang.gettext("Hub: %(name)s", name=hub.name)
    _wpt(root, "wpt", hub.location.lat, hub.location.lon, hub_name, hub_desc)
    rows = [r for r in stop_rows(plan, route, mode, lang) if r.stop.location is not None]
    for r in rows:
        loc = r.stop.location
        assert loc is not None
        desc = "; ".join(
            x
            for x in (
                r.full_address,
                lang.ngettext("%(num)s box", "%(num)s boxes", r.stop.boxes),
                lang.gettext("arrive %(time)s", time=r.arrival),
                r.phone,
                r.stop.notes,
                lang.gettext("speaks %(language)s", language=r.language) if r.language else "",
                r.placement,
            )
            if x
        )
        _wpt(root, "wpt", loc.lat, loc.lon, f"{r.number}. {r.name or r.stop.id}", desc)
    rte = ET.SubElement(root, f"{{{GPX_NS}}}rte")
    ET.SubElement(rte, f"{{{GPX_NS}}}name").text = title
    _wpt(rte, "rtept", hub.location.lat, hub.location.lon, lang.gettext("Hub"), "")
    for r in rows:
        loc = r.stop.location
        assert loc is not None
        _wpt(rte, "rtept", loc.lat, loc.lon, str(r.number), "")
    if route.path:
        trk = ET.SubElement(root, f"{{{GPX_NS}}}trk")
        ET.SubElement(trk, f"{{{GPX_NS}}}name").text = title
        seg = ET.SubElement(trk, f"{{{GPX_NS}}}trkseg")
        for lat, lon in route.path:
            ET.SubElement(seg, f"{{{GPX_NS}}}trkpt", {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}"})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _wpt(parent: ET.Element, tag: str, lat: float, lon: float, name: str, desc: str) -> None:
    el = ET.SubElement(parent, f"{{{GPX_NS}}}{tag}", {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}"})
    ET.SubElement(el, f"{{{GPX_NS}}}name").text = _xml_text(name)
    if desc:
        ET.SubElement(el, f"{{{GPX_NS}}}desc").text = _xml_text(desc)


def _xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry at all (control characters from a spreadsheet)."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def problems_csv(problems: Iterable[InputProblem]) -> str:
    """The input problems as CSV (row, column, value, problem, severity), formula-safe."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["row", "column", "value", "problem", "severity"])
    for p in problems:
        writer.writerow(
            [
                neutralise(x)
                for x in ("" if p.row is None else p.row, p.field, p.value, p.reason, p.severity)
            ]
        )
    return buf.getvalue()
