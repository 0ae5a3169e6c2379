"""``POST /imports``: upload a delivery list or a drivers roster, get the stops and a report.

The answer is the JSON report of :mod:`routing.intake.report` (summary, columns, one entry per
row, problems) plus the stops (or drivers) it read, as ``plan.json`` writes them. A file
that cannot be read at all (empty, binary, only headers, no address column) answers 422
with ``detail`` and ``problems``; a file over the size limit answers 413.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, UploadFile

from api.deps import CallerDep, SessionDep, SettingsDep, get_area, get_geocoder
from api.storage.imports import store_import
from routing.errors import InputError, InputProblem
from routing.intake.columns import parse_column_mapping
from routing.intake.deliveries import import_deliveries
from routing.intake.roster import import_drivers
from routing.serialize import driver_to_dict, stop_to_dict

router = APIRouter(prefix="/imports", tags=["imports"])


def parse_columns(text: str | None) -> dict[str, str]:
    """The ``columns`` form field: a JSON object ``{"address": "Where do you live?"}`` or
    lines of ``field=Header``."""
    if not text or not text.strip():
        return {}
    text = text.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(InputProblem("columns", text, f"not valid JSON: {e.msg}")) from None
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise InputError(
                InputProblem("columns", text, 'expected {"field": "Header in file", ...}')
            )
        return value
    lines = [line for line in text.replace(";", "\n").splitlines() if line.strip()]
    return parse_column_mapping(lines, "columns")


@router.post("", summary="Check a spreadsheet and read its stops or drivers")
def create_import(
    settings: SettingsDep,
    caller: CallerDep,
    s: SessionDep,
    file: Annotated[UploadFile, File(description="CSV, TSV, .xlsx or .ods")],
    kind: Annotated[Literal["deliveries", "drivers"], Form()] = "deliveries",
    area: Annotated[
        str | None, Form(max_length=100, description="area name; default: the server's")
    ] = None,
    sheet: Annotated[
        str | None, Form(max_length=200, description="Excel sheet; default: the first")
    ] = None,
    columns: Annotated[
        str | None,
        Form(
            max_length=20_000,
            description='header mapping: {"address": "Where do you live?"} or field=Header lines',
        ),
    ] = None,
    keep_duplicates: Annotated[
        bool, Form(description="plan a household written twice twice (default: merged)")
    ] = False,
    week_id: Annotated[str | None, Form(max_length=32, description="the week it is for")] = None,
) -> dict[str, Any]:
    """Read the upload, place its addresses in the area, and report on every row."""
    limit = settings.max_upload_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(
            413, f"the file is larger than {limit / 1e6:.1f} MB; split it or remove columns"
        )
    mapping = parse_columns(columns)
    # The same geocoder object as POST /plans: built once per area and process.
    name = area or settings.default_area
    geocoder = get_geocoder(name)
    region = get_area(name).country
    filename = file.filename or "upload.csv"
    if kind == "drivers":
        roster = import_drivers(
            data, filename=filename, sheet=sheet, columns=mapping, geocoder=geocoder, region=region
        )
        report = roster.to_dict()
        items = {"drivers": [driver_to_dict(d) for d in roster.drivers]}
    else:
        stops = import_deliveries(
            data,
            filename=filename,
            sheet=sheet,
            columns=mapping,
            geocoder=geocoder,
            keep_duplicates=keep_duplicates,
            region=region,
        )
        report = stops.to_dict()
        items = {"stops": [stop_to_dict(st) for st in stops.stops]}
    record = store_import(s, caller.group_id, week_id, kind, filename, report, items)
    return {"id": record.id, **report, **items}
