"""The week page's Deliveries section: this week's list, from a spreadsheet or from last week.

1. The dispatcher chooses a file (CSV, Excel or LibreOffice, a Google Forms export): the page
   shows which column is read as what, with a select per field to correct it
   (:mod:`api.web.columns`).
2. "Read the rows" reads the list with those columns, as ``POST /imports`` does, places the
   addresses in the area and stores the import for the week (``kind="deliveries"``, ``items``
   the stops as ``POST /jobs`` takes them), or starts from last week's list.
3. The problems report as a table (:mod:`api.web.rows`): fix an address (with the area's
   addresses closest to it), place a household on the map, skip a row.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select

from api.deps import SessionDep, SettingsDep
from api.planning import get_area, get_geocoder
from api.storage.imports import store_import
from api.storage.models import Household, ImportRecord, WeekRecord
from api.storage.weeks import DELIVERIES, import_report, input_counts, latest_import
from api.web import rows
from api.web.columns import columns_view, mapping_from_form, read_upload
from api.web.render import PageCaller, lang_of, render
from api.web.weeks import PageWeek
from maps.basemap import frame
from routing.errors import InputError, InputProblem
from routing.intake.deliveries import import_deliveries
from routing.serialize import stop_to_dict

router = APIRouter(include_in_schema=False)
#: Where a file that cannot be read is said, and what of an earlier file it clears (its
#: column step, which would read the new file with the old file's columns).
BAD_FILE = {
    kind: (f"{kind}-file-error", (f"{kind}-columns",)) for kind in ("deliveries", "drivers")
}


def problems_answer(
    request: Request,
    caller: Any,
    error: InputError,
    target: str,
    clear: tuple[str, ...] = (),
    *,
    english: bool = True,
    status_code: int = 422,
) -> HTMLResponse:
    """The problems of ``error`` as a fragment swapped into ``#target`` (next to what caused
    them): row, column, value and reason; ``english`` for the import's own reasons. A problem
    with the uploaded file itself names it as the page does ("the file"), not by the form's
    field name. The elements ``clear`` names are emptied (out of band): what showed for an
    earlier file."""
    labels = {"file": lang_of(request).gettext("The file")}
    response = render(
        request,
        "_errors.html",
        caller,
        status_code=status_code,
        problems=error.problems,
        english=english,
        labels=labels,
        clear=clear,
    )
    response.headers["HX-Retarget"] = f"#{target}"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


def section(
    request: Request,
    caller: Any,
    s: Any,
    week: WeekRecord,
    settings: Any,
    carried: tuple[int, int] | None = None,
) -> HTMLResponse:
    """The whole Deliveries section: the week's list and its table, or how to start one;
    ``carried``: the changes a list just read kept from the one before (kept, lost)."""
    record = latest_import(s, caller.group_id, week.id)
    context: dict[str, Any] = {
        "carried": carried,
        "week": week,
        "record": record,
        "area": settings.default_area,
        "inputs": input_counts(s, caller.group_id, week.id),
    }
    if record is not None:
        report, items = rows.load(record)
        area = report.get("area") or settings.default_area
        all_rows = rows.views(report, items, get_geocoder(area), addresses=get_area(area).addresses)
        context.update(
            rows=[r for r in all_rows if rows.needs_a_look(r)],
            counts=rows.counts(all_rows),
            report=report,
        )
    else:
        context.update(last_week=_last_week(s, caller.group_id, week) is not None)
        context.update(households=_households(s, caller.group_id, limit=1) != [])
        context.update(purged_on=_purged_on(s, caller.group_id, week))
    return render(request, "deliveries.html", caller, **context)


def _purged_on(s: Any, group_id: str, week: WeekRecord) -> Any:
    """When the week's list was removed for privacy (its retention ended), if it was: the
    page says so rather than show the week as never started."""
    return s.scalar(
        select(ImportRecord.purged_at)
        .where(
            ImportRecord.group_id == group_id,
            ImportRecord.week_id == week.id,
            ImportRecord.kind == DELIVERIES,
            ImportRecord.purged_at.is_not(None),
        )
        .order_by(ImportRecord.purged_at.desc())
        .limit(1)
    )


@router.get("/app/weeks/{week_id}/deliveries", response_class=HTMLResponse)
def deliveries(
    request: Request,
    week_id: str,
    caller: PageCaller,
    week: PageWeek,
    s: SessionDep,
    settings: SettingsDep,
) -> HTMLResponse:
    return section(request, caller, s, week, settings)


@router.post("/app/weeks/{week_id}/deliveries/columns", response_class=HTMLResponse)
def deliveries_columns(
    request: Request,
    week_id: str,
    caller: PageCaller,
    week: PageWeek,
    s: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    """Step 1: which column is read as what, before any row is read."""
    lang = lang_of(request)
    try:
        data, name = read_upload(file, settings, lang)
    except InputError as e:
        return problems_answer(request, caller, e, *BAD_FILE["deliveries"], english=False)
    try:
        view = columns_view(data, name, "deliveries", lang)
    except InputError as e:
        return problems_answer(request, caller, e, *BAD_FILE["deliveries"])
    return render(
        request, "_columns.html", caller, view=view, action=f"/app/weeks/{week.id}/deliveries"
    )


@router.post("/app/weeks/{week_id}/deliveries/read", response_class=HTMLResponse)
def deliveries_read(
    request: Request,
    week_id: str,
    caller: PageCaller,
    week: PageWeek,
    s: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile | None, File()] = None,
    sheet: Annotated[str, Form(max_length=200)] = "",
    columns: Annotated[list[str] | None, Form(max_length=1000)] = None,
) -> HTMLResponse:
    """Step 2: read the rows with the columns chosen, and store the list for the week."""
    lang = lang_of(request)
    try:
        data, name = read_upload(file, settings, lang)
        mapping = mapping_from_form(columns or [], "deliveries", lang)
    except InputError as e:
        return problems_answer(request, caller, e, "deliveries-read-error", english=False)
    area = settings.default_area
    try:
        found = import_deliveries(
            data,
            filename=name,
            sheet=sheet or None,
            columns=mapping,
            geocoder=get_geocoder(area),
            region=get_area(area).country,
        )
    except InputError as e:
        return problems_answer(request, caller, e, "deliveries-read-error")
    report = {**found.to_dict(), "area": area}
    items = {"stops": [stop_to_dict(st) for st in found.stops]}
    # A corrected spreadsheet read again keeps what was fixed on the page meanwhile.
    earlier = latest_import(s, caller.group_id, week.id)
    carried = None
    if earlier is not None:
        old_report, old_items = rows.load(earlier)
        carried = rows.carry_over(old_report, old_items, report, items, get_geocoder(area))
    record = store_import(s, caller.group_id, week.id, DELIVERIES, name, report, items)
    if carried and any(carried):
        rows.save(record, report, items)
    return section(request, caller, s, week, settings, carried=carried)


@router.post("/app/weeks/{week_id}/deliveries/last-week", response_class=HTMLResponse)
def deliveries_from_last_week(
    request: Request,
    week_id: str,
    caller: PageCaller,
    week: PageWeek,
    s: SessionDep,
    settings: SettingsDep,
) -> HTMLResponse:
    """Start from last week's list as it was left (fixes and skips kept), else from the
    households the group delivered to."""
    lang = lang_of(request)
    before = _last_week(s, caller.group_id, week)
    if before is not None:
        report, items = rows.load(before)
        name = before.filename
    else:
        report, items = _from_households(s, caller.group_id, settings.default_area)
        name = lang.gettext("Households delivered to before")
        if not report["rows"]:
            error = InputError(
                InputProblem("", "", lang.gettext("No earlier list and no household kept yet."))
            )
            return problems_answer(request, caller, error, "deliveries-last-error", english=False)
    store_import(s, caller.group_id, week.id, DELIVERIES, name, report, items)
    return section(request, caller, s, week, settings)


@router.get("/app/weeks/{week_id}/deliveries/streets")
def deliveries_streets(
    request: Request,
    week_id: str,
    caller: PageCaller,
    week: PageWeek,
    s: SessionDep,
    settings: SettingsDep,
) -> Response:
    """The area's streets for the pin map, drawn by the page (no tile server is asked)."""
    record = latest_import(s, caller.group_id, week.id)
    area = get_area(import_report(record).get("area") or settings.default_area)
    south, west, north, east = area.bbox
    points = [(south, west), (north, east)]
    streets = area.streets.clip(frame(points, 0)).to_json() if area.streets is not None else {}
    centre = [(south + north) / 2, (west + east) / 2]
    return JSONResponse({"streets": streets, "centre": centre, "bbox": [south, west, north, east]})


def _last_week(s: Any, group_id: str, week: WeekRecord) -> Any:
    """The newest delivery list of an earlier week of the group."""
    earlier = s.scalars(
        select(WeekRecord)
        .where(WeekRecord.group_id == group_id, WeekRecord.date < week.date)
        .order_by(WeekRecord.date.desc())
        .limit(12)
    )
    for w in earlier:
        record = latest_import(s, group_id, w.id)
        if record is not None:
            return record
    return None


def _households(s: Any, group_id: str, limit: int = 5000) -> list[Household]:
    q = select(Household).where(Household.group_id == group_id).order_by(Household.key)
    return list(s.scalars(q.limit(limit)))


def _from_households(s: Any, group_id: str, area: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A list of the households kept (delivered to in earlier weeks), one row each."""
    report_rows, stops = [], []
    for n, h in enumerate(_households(s, group_id), start=2):
        f = h.fields()
        placed = f.get("lat") is not None and f.get("lon") is not None
        stop = {
            "id": f"h{n - 1}",
            "row": n,
            "recipient": f.get("name", ""),
            "address": f.get("address", ""),
            "unit": f.get("unit", ""),
            "postcode": f.get("postcode", ""),
            "phone": f.get("phone", ""),
            "language": f.get("language", ""),
            "location": {"lat": f["lat"], "lon": f["lon"]} if placed else None,
            "precision": "given" if placed else "",
            "boxes": 1,
        }
        stops.append(stop)
        report_rows.append(
            {
                "row": n,
                "id": stop["id"],
                "status": "ok" if placed else "error",
                "precision": stop["precision"],
                "matched": "",
                "lat": f.get("lat"),
                "lon": f.get("lon"),
                "suggestion": "",
                "problems": [],
            }
        )
    n_placed = sum(1 for r in report_rows if r["lat"] is not None)
    summary = {"rows": len(stops), "placed": n_placed, "warnings": 0, "errors": 0, "blank_rows": 0}
    report = {"kind": DELIVERIES, "summary": summary, "columns": {}, "rows": report_rows}
    return {**report, "problems": [], "area": area}, {"stops": stops}
