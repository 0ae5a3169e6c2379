"""``/weeks``: the group's delivery days, with the lists imported for them and their plans
(``POST /weeks/{id}/jobs`` plans one with what it keeps, ``PATCH`` puts its day right);
``/imports/{id}``: a stored import's report and rows."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy import select

from api.deps import CallerDep, QueueDep, SessionDep, SettingsDep
from api.resources import ImportOut, JobOut, Listing, WeekIn, WeekOut, WeekPlanIn
from api.routers.common import job_public, submit_week
from api.storage.models import ImportRecord, PlanRecord, WeekRecord
from api.storage.weeks import WeekMoveError, move_week, week_inputs
from routing.errors import InputError, InputProblem

router = APIRouter(tags=["weeks"])


def _import(i: ImportRecord) -> ImportOut:
    return ImportOut(
        id=i.id,
        kind=i.kind,
        filename=i.filename,
        created_at=i.created_at.isoformat(),
        week_id=i.week_id,
        summary=json.loads(i.summary or "{}"),
        purged=i.purged_at is not None,
    )


def _week(s: Any, w: WeekRecord) -> WeekOut:
    imports = s.scalars(select(ImportRecord).where(ImportRecord.week_id == w.id))
    plans = s.scalars(select(PlanRecord.id).where(PlanRecord.week_id == w.id))
    return WeekOut(
        id=w.id,
        date=w.date.isoformat(),
        imports=[_import(i) for i in imports],
        plan_ids=list(plans),
    )


def _week_or_404(s: Any, group_id: str, week_id: str) -> WeekRecord:
    week = s.get(WeekRecord, week_id) if len(week_id) <= 32 else None
    if week is None or week.group_id != group_id:
        raise HTTPException(404, f"no week {week_id!r}")
    return week  # type: ignore[no-any-return]


@router.get("/weeks", response_model=Listing[WeekOut])
def list_weeks(caller: CallerDep, s: SessionDep) -> Listing[WeekOut]:
    """The group's delivery days, newest first."""
    rows = s.scalars(
        select(WeekRecord)
        .where(WeekRecord.group_id == caller.group_id)
        .order_by(WeekRecord.date.desc())
        .limit(200)
    )
    data = [_week(s, w) for w in rows]
    return Listing[WeekOut](data=data, count=len(data))


@router.post("/weeks", response_model=WeekOut, status_code=201)
def create_week(body: WeekIn, caller: CallerDep, s: SessionDep) -> WeekOut:
    """A delivery day (the one for this date when it exists already)."""
    week = s.scalar(
        select(WeekRecord).where(
            WeekRecord.group_id == caller.group_id, WeekRecord.date == body.date
        )
    )
    if week is None:
        week = WeekRecord(group_id=caller.group_id, date=body.date)
        s.add(week)
        s.flush()
    return _week(s, week)


@router.patch("/weeks/{week_id}", response_model=WeekOut)
def change_week(week_id: str, body: WeekIn, caller: CallerDep, s: SessionDep) -> WeekOut:
    """Give a week another day (a mistyped one put right); its lists' retention counts from
    it. 409 when the group has a week on that day, or this week has a plan (its drivers'
    links and pages carry the day: make a new week instead) or is being planned."""
    week = _week_or_404(s, caller.group_id, week_id)
    try:
        move_week(s, week, body.date)
    except WeekMoveError as e:
        why = {
            "taken": f"the group has a week on {body.date} already",
            "planned": "this week has a plan, whose drivers' links carry its day: make a new week",
            "planning": "this week is being planned with its day: cancel the job first",
        }[e.why]
        raise HTTPException(409, why) from None
    return _week(s, week)


#: Why a week cannot be planned yet, by what it lacks (the web page says it in words).
MISSING = {
    "stops": "the week has no delivery list yet: POST /imports with its week_id",
    "drivers": "no driver on the roster is ticked available: POST /drivers with available",
    "hubs": "no hub is in use: POST /hubs",
}


@router.post("/weeks/{week_id}/jobs", response_model=JobOut, status_code=202)
def plan_week(
    week_id: str,
    request: Request,
    caller: CallerDep,
    s: SessionDep,
    settings: SettingsDep,
    queue: QueueDep,
    body: WeekPlanIn | None = None,
) -> JobOut:
    """Plan the week with what it keeps, as the web page's Plan button does: its latest
    delivery list as fixed, the roster's drivers ticked available, the hubs in use. The
    week's first plan, or a new version of its plan moving as few stops as possible
    (drivers keep their links). 422 names what is missing; poll ``GET /jobs/{id}``."""
    week = _week_or_404(s, caller.group_id, week_id)
    inputs = week_inputs(s, caller.group_id, week.id)
    missing = [InputProblem(k, "", why) for k, why in MISSING.items() if not inputs[k]]
    if missing:
        raise InputError(missing)
    body = body or WeekPlanIn()
    options = body.options.model_dump(mode="json", exclude_unset=True)
    try:
        job = submit_week(s, caller, settings, queue, week, inputs, options, body.privacy)
    except ValidationError as e:
        raise RequestValidationError(e.errors()) from None
    return job_public(job, request)


@router.get("/weeks/{week_id}", response_model=WeekOut)
def get_week(week_id: str, caller: CallerDep, s: SessionDep) -> WeekOut:
    return _week(s, _week_or_404(s, caller.group_id, week_id))


def _import_or_404(s: Any, group_id: str, import_id: str) -> ImportRecord:
    record = s.get(ImportRecord, import_id) if len(import_id) <= 32 else None
    if record is None or record.group_id != group_id:
        raise HTTPException(404, f"no import {import_id!r}")
    return record  # type: ignore[no-any-return]


@router.get("/imports/{import_id}")
def get_import(import_id: str, caller: CallerDep, s: SessionDep) -> dict[str, Any]:
    """A stored import: its report and the stops (or drivers) it read, until purged."""
    record = _import_or_404(s, caller.group_id, import_id)
    out: dict[str, Any] = _import(record).model_dump()
    out["report"] = json.loads(record.report) if record.report else None
    out["items"] = json.loads(record.items) if record.items else None
    return out


@router.delete("/imports/{import_id}", status_code=204)
def delete_import(import_id: str, caller: CallerDep, s: SessionDep) -> Response:
    s.delete(_import_or_404(s, caller.group_id, import_id))
    return Response(status_code=204)
