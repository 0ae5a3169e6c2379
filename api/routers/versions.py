"""``/plans/{id}/versions``: every version of a plan, edits that make new ones, publishing.

An edit (move a stop, pin it, add a late stop, remove one, change a driver's hours or mark
them unavailable, re-optimise) is a job: a worker re-plans from the edited request with
minimal change from the version it starts from, and stores a new draft version. Publishing a
version makes it what drivers' links show, and lists the drivers whose route changed, so
the dispatcher can tell them.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request

from api.deps import CallerDep, QueueDep, SessionDep, SettingsDep
from api.plan_schema import PlanJson
from api.planning import Base
from api.resources import Edit, JobOut, Listing, Published, VersionOut
from api.routers.common import job_public, links_out, plan_or_404, submit, version_or_404
from api.schemas import PlanCreate
from api.storage.models import PlanVersion
from api.storage.plans import changed_drivers, counts, publish, version_of, versions_of
from api.storage.roster import remember_households
from routing.errors import InputError, InputProblem

router = APIRouter(prefix="/plans/{plan_id}", tags=["versions"])

Number = Annotated[int, Path(ge=1, le=1_000_000)]

#: Seconds of search for an edit's re-plan unless the edit says otherwise.
EDIT_TIME_LIMIT_S = 10.0


def _out(v: PlanVersion, published: dict[str, Any] | None, is_published: bool) -> VersionOut:
    body = v.plan_dict()
    return VersionOut(
        number=v.number,
        created_at=v.created_at.isoformat(),
        change=v.change,
        note=v.note,
        published=is_published,
        summary=counts(body),
        changed_drivers=changed_drivers(published, body) if published is not None else [],
    )


@router.get("/versions", response_model=Listing[VersionOut])
def list_versions(plan_id: str, caller: CallerDep, s: SessionDep) -> Listing[VersionOut]:
    """Every version, oldest first, each with the drivers whose stops differ from the
    published version's."""
    plan = plan_or_404(s, caller, plan_id)
    shown = version_of(s, plan.id, plan.published_version)
    published = shown.plan_dict() if shown is not None else None
    data = [_out(v, published, v.number == plan.published_version) for v in versions_of(s, plan.id)]
    return Listing[VersionOut](data=data, count=len(data))


@router.get("/versions/{number}", response_model=VersionOut)
def get_version(plan_id: str, number: Number, caller: CallerDep, s: SessionDep) -> VersionOut:
    """One version's summary; its plan.json is ``GET /plans/{id}/versions/{n}/plan``."""
    plan = plan_or_404(s, caller, plan_id)
    version = version_or_404(s, plan, number)
    shown = version_of(s, plan.id, plan.published_version)
    return _out(version, shown.plan_dict() if shown else None, number == plan.published_version)


@router.get("/versions/{number}/plan", response_model=PlanJson)
def get_version_plan(
    plan_id: str, number: Number, caller: CallerDep, s: SessionDep
) -> dict[str, Any]:
    """One version's plan.json (same shape as ``GET /plans/{id}``'s ``plan``)."""
    plan = plan_or_404(s, caller, plan_id)
    return version_or_404(s, plan, number).plan_dict()


@router.post("/versions/{number}/publish", response_model=Published)
def publish_version(
    plan_id: str,
    number: Number,
    request: Request,
    caller: CallerDep,
    s: SessionDep,
    settings: SettingsDep,
) -> Published:
    """Make this version the one drivers' links show; answers the drivers whose route
    changed (tell them) and every driver's link."""
    plan = plan_or_404(s, caller, plan_id)
    version = version_or_404(s, plan, number)
    changed = publish(s, plan, number)
    body = version.plan_dict()
    remember_households(s, caller.group_id, plan.day, body)
    names = {r["driver_id"]: r["driver"] for r in body.get("routes", [])}
    links = [x for x in links_out(s, request, plan, names, settings) if x.driver_id in names]
    return Published(version=number, changed_drivers=changed, driver_links=links)


def _edited(request: dict[str, Any], edit: Edit) -> dict[str, Any]:
    """The version's request with the edit applied (raises InputError naming the field)."""
    body = json.loads(json.dumps(request))
    stops, drivers = body["stops"], body["drivers"]
    driver_ids = [d.get("id") or f"d{i + 1}" for i, d in enumerate(drivers)]

    def stop_index() -> int:
        for i, st in enumerate(stops):
            if st["id"] == edit.stop_id:
                return i
        raise InputError(InputProblem("stop_id", str(edit.stop_id), "no stop with this id"))

    def driver_index() -> int:
        if edit.driver_id in driver_ids:
            return driver_ids.index(edit.driver_id)
        raise InputError(InputProblem("driver_id", str(edit.driver_id), "no driver with this id"))

    if edit.change in ("move", "pin"):
        i = stop_index()
        if edit.driver_id is not None:
            driver_index()
        elif edit.change == "move":
            raise InputError(InputProblem("driver_id", "", "move a stop to which driver?"))
        stops[i]["driver"] = edit.driver_id
    elif edit.change == "add_stop":
        if edit.stop is None:
            raise InputError(InputProblem("stop", "", "give the stop to add"))
        if any(st["id"] == edit.stop.id for st in stops):
            raise InputError(InputProblem("stop.id", edit.stop.id, "a stop with this id exists"))
        stops.append(edit.stop.model_dump(mode="json"))
    elif edit.change == "remove_stop":
        stops.pop(stop_index())
    elif edit.change == "driver_hours":
        if not edit.shift:
            raise InputError(InputProblem("shift", "", "give the new hours, HH:MM-HH:MM"))
        drivers[driver_index()]["shift"] = edit.shift
    elif edit.change == "unavailable":
        j = driver_index()
        if len(drivers) == 1:
            raise InputError(InputProblem("driver_id", str(edit.driver_id), "the only driver"))
        drivers.pop(j)
        gone = edit.driver_id
        for st in stops:
            if st.get("driver") == gone:
                st["driver"] = None
            st["exclude_drivers"] = [d for d in st.get("exclude_drivers", []) if d != gone]
        locked = body.get("options", {}).get("locked_routes", {})
        locked.pop(gone, None)
    if edit.time_limit_s is not None or edit.change != "reoptimise":
        body.setdefault("options", {})["time_limit_s"] = edit.time_limit_s or EDIT_TIME_LIMIT_S
    body.setdefault("options", {})["previous_plan_id"] = None
    return body


@router.post(
    "/edits",
    response_model=JobOut,
    status_code=202,
)
def edit_plan(
    plan_id: str,
    edit: Edit,
    request: Request,
    caller: CallerDep,
    s: SessionDep,
    settings: SettingsDep,
    queue: QueueDep,
) -> JobOut:
    """Change the plan: a worker re-plans with minimal change and stores a new draft version
    (poll ``GET /jobs/{id}``; publish it when it suits)."""
    plan = plan_or_404(s, caller, plan_id)
    base = version_or_404(s, plan, edit.version or plan.latest_version)
    if not base.request:
        raise HTTPException(
            409, "this plan was made by aidroute 0.1 without its request: plan it again"
        )
    body = PlanCreate.model_validate(_edited(json.loads(base.request), edit))
    note = edit.note or edit.change.replace("_", " ")
    job = submit(
        s,
        caller,
        settings,
        queue,
        body,
        base=Base(plan.id, base.number),
        change=edit.change,
        note=note,
    )
    return job_public(job, request)
