"""The Deliveries table's changes, one row at a time: fix an address, place a household on
the map, skip a row, bring it back. Each answers the row again (and the counts), or the
reason next to what caused it with what was typed kept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep, SettingsDep
from api.planning import get_area, get_geocoder
from api.storage.models import ImportRecord
from api.storage.weeks import DELIVERIES, input_counts
from api.web import rows
from api.web.render import PageCaller, lang_of, not_found, render
from api.web.weeks import week_of
from routing.errors import InputError

router = APIRouter(include_in_schema=False)
PREFIX = "/app/weeks/{week_id}/imports/{import_id}/rows/{row}"


def _record(s: Any, group_id: str, week_id: str, import_id: str) -> ImportRecord | None:
    if week_of(s, group_id, week_id) is None or len(import_id) > 32:
        return None
    record = s.get(ImportRecord, import_id)
    if record is None or record.group_id != group_id or record.week_id != week_id:
        return None
    return record if record.kind == DELIVERIES and record.purged_at is None else None


def _answer(
    request: Request,
    caller: Any,
    s: Any,
    record: ImportRecord,
    report: dict[str, Any],
    items: dict[str, Any],
    row: int,
    settings: Any,
    **context: Any,
) -> HTMLResponse:
    """The row again, with the section's counts and the Plan section's (swapped out of
    band)."""
    area = report.get("area") or settings.default_area
    typed = context.get("typed", {}).get("address", "")
    found = rows.views(
        report, items, get_geocoder(area), only=row, addresses=get_area(area).addresses, typed=typed
    )
    view = found[0]
    counts = rows.counts(rows.views(report, items))
    status = 422 if context.get("error") else 200
    return render(
        request,
        "_row_answer.html",
        caller,
        status_code=status,
        r=view,
        record=record,
        counts=counts,
        inputs=input_counts(s, record.group_id, record.week_id or ""),
        **context,
    )


def _change(
    request: Request,
    caller: Any,
    s: Any,
    settings: Any,
    week_id: str,
    import_id: str,
    row: int,
    change: Any,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    lang = lang_of(request)
    record = _record(s, caller.group_id, week_id, import_id)
    if record is None:
        return not_found(request, caller, lang.gettext("No such list for this delivery day."))
    report, items = rows.load(record)
    try:
        change(report, items)
    except KeyError:
        return not_found(request, caller, lang.gettext("No row %(row)s in this list.", row=row))
    except InputError as e:
        report, items = rows.load(record)  # nothing half-changed
        return _answer(
            request, caller, s, record, report, items, row, settings, error=e, typed=typed or {}
        )
    rows.save(record, report, items)
    s.flush()
    return _answer(request, caller, s, record, report, items, row, settings)


@router.post(PREFIX + "/fix", response_class=HTMLResponse)
def fix_row(
    request: Request,
    week_id: str,
    import_id: str,
    row: int,
    caller: PageCaller,
    s: SessionDep,
    settings: SettingsDep,
    address: Annotated[str, Form(max_length=500)] = "",
    suggestion: Annotated[str, Form(max_length=500)] = "",
) -> HTMLResponse:
    """Place the row at the address as corrected (typed, or a suggestion chosen)."""
    text = (suggestion or address).strip()

    def change(report: dict[str, Any], items: dict[str, Any]) -> None:
        geocoder = get_geocoder(report.get("area") or settings.default_area)
        rows.fix_address(report, items, row, text, geocoder)

    return _change(request, caller, s, settings, week_id, import_id, row, change, {"address": text})


@router.post(PREFIX + "/pin", response_class=HTMLResponse)
def pin_row(
    request: Request,
    week_id: str,
    import_id: str,
    row: int,
    caller: PageCaller,
    s: SessionDep,
    settings: SettingsDep,
    point: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse:
    """Place the row's household at a point dropped on the map (or typed "lat, lon")."""

    def change(report: dict[str, Any], items: dict[str, Any]) -> None:
        lat, lon = rows.parse_point(point)
        geocoder = get_geocoder(report.get("area") or settings.default_area)
        rows.pin(report, items, row, lat, lon, geocoder)

    return _change(request, caller, s, settings, week_id, import_id, row, change, {"point": point})


@router.post(PREFIX + "/skip", response_class=HTMLResponse)
def skip_row(
    request: Request,
    week_id: str,
    import_id: str,
    row: int,
    caller: PageCaller,
    s: SessionDep,
    settings: SettingsDep,
) -> HTMLResponse:
    """Leave the row out of this week's plan (it stays in the list, to bring back)."""
    return _change(
        request, caller, s, settings, week_id, import_id, row,
        lambda report, items: rows.skip(report, items, row),
    )  # fmt: skip


@router.post(PREFIX + "/restore", response_class=HTMLResponse)
def restore_row(
    request: Request,
    week_id: str,
    import_id: str,
    row: int,
    caller: PageCaller,
    s: SessionDep,
    settings: SettingsDep,
) -> HTMLResponse:
    """Bring a skipped row back into the plan."""
    return _change(
        request, caller, s, settings, week_id, import_id, row,
        lambda report, items: rows.restore(report, items, row),
    )  # fmt: skip
