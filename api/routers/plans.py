"""``/plans``: plan a run from JSON, fetch it, and the pages dispatchers open.

Everything here is scoped to the caller's group: another group's plan is a 404, whatever
its id. ``POST /plans`` stores a job for the workers and waits for it (the request itself
solves nothing); ``POST /jobs`` answers at once instead. Drivers' pages are in
:mod:`api.routers.links`.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select

from api.deps import CallerDep, DbDep, QueueDep, SessionDep, SettingsDep, absolute
from api.pages import (
    manifest_pdf_response,
    render_driver_page,
    render_manifest,
    render_overview,
)
from api.resources import JobOut
from api.routers.common import (
    job_public,
    plan_or_404,
    plan_public,
    submit,
    version_or_404,
)
from api.schemas import PlanCreate, PlanPublic, PlansPublic, PlanSummary
from api.storage.models import JobRecord, PlanRecord
from api.storage.plans import delete_plan as delete_stored_plan
from api.storage.plans import links_of
from routing.serialize import plan_from_dict

router = APIRouter(prefix="/plans", tags=["plans"])

#: Seconds POST /plans waits beyond the search's time limit before answering 202 instead.
WAIT_MARGIN_S = 120.0


@router.post(
    "",
    response_model=PlanPublic,
    status_code=201,
    responses={202: {"model": JobOut, "description": "still solving: poll the job"}},
)
async def create_plan(
    body: PlanCreate,
    request: Request,
    caller: CallerDep,
    db: DbDep,
    settings: SettingsDep,
    queue: QueueDep,
) -> Any:
    """Plan a run and wait for it: the workers place the addresses, solve and store the plan;
    the answer is the plan with its drivers' links. For long solves, ``POST /jobs`` answers
    at once and reports progress."""

    def start() -> tuple[str, float]:
        with db.plain() as s:
            job = submit(s, caller, settings, queue, body)
            return job.id, job.time_limit_s

    job_id, limit = await run_in_threadpool(start)
    deadline = time.monotonic() + limit + WAIT_MARGIN_S

    def look() -> Any:
        with db.reader() as s:
            job = s.get(JobRecord, job_id)
            assert job is not None
            if job.status == "done" and job.result_plan_id:
                plan = s.get(PlanRecord, job.result_plan_id)
                assert plan is not None
                return plan_public(s, request, plan, settings)
            if job.status in ("failed", "cancelled"):
                error = json.loads(job.error) if job.error else {"detail": job.status}
                return JSONResponse(status_code=422, content={"problems": [], **error})
            if time.monotonic() > deadline:
                return JSONResponse(
                    status_code=202, content=job_public(job, request).model_dump(mode="json")
                )
            return None

    while True:
        answer = await run_in_threadpool(look)
        if answer is not None:
            return answer
        await asyncio.sleep(0.25)


@router.get("", response_model=PlansPublic)
def list_plans(caller: CallerDep, s: SessionDep) -> PlansPublic:
    """The group's plans whose personal data has not expired, newest first (their counts
    only: no plan.json is read to list them)."""
    rows = s.scalars(
        select(PlanRecord)
        .where(PlanRecord.group_id == caller.group_id, PlanRecord.purged_at.is_(None))
        .order_by(PlanRecord.created_at.desc())
        .limit(1000)
    )
    data = [
        PlanSummary(
            id=p.id,
            area=p.area,
            date=p.day.isoformat() if p.day else None,
            created_at=p.created_at.isoformat(),
            published_version=p.published_version,
            latest_version=p.latest_version,
            summary=json.loads(p.summary or "{}"),
        )
        for p in rows
    ]
    return PlansPublic(data=data, count=len(data))


@router.get("/{plan_id}", response_model=PlanPublic, name="get_plan")
def get_plan(
    plan_id: str, request: Request, caller: CallerDep, s: SessionDep, settings: SettingsDep
) -> PlanPublic:
    """The plan (its published version, else its newest) with its drivers' links."""
    return plan_public(s, request, plan_or_404(s, caller, plan_id), settings)


@router.delete("/{plan_id}", status_code=204)
def delete_plan(plan_id: str, caller: CallerDep, s: SessionDep) -> Response:
    """Delete a plan and everything it holds about recipients, now (its links stop working)."""
    delete_stored_plan(s, plan_or_404(s, caller, plan_id))
    return Response(status_code=204)


@router.get("/{plan_id}/map", response_class=HTMLResponse, name="plan_map")
def plan_map(
    plan_id: str,
    caller: CallerDep,
    s: SessionDep,
    settings: SettingsDep,
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> HTMLResponse:
    """The dispatcher's overview map: every route, unassigned stops and their reasons."""
    body = version_or_404(s, plan_or_404(s, caller, plan_id), version).plan_dict()
    return HTMLResponse(render_overview(plan_from_dict(body), settings))


def _driver_id(plan_body: dict[str, Any], driver: str) -> str:
    for r in plan_body["routes"]:
        if driver in (r["driver_id"], r["driver"]):
            return str(r["driver_id"])
    raise HTTPException(404, f"no route for driver {driver!r} in this plan")


@router.get("/{plan_id}/drivers/{driver}/manifest", response_class=HTMLResponse)
def driver_manifest(
    plan_id: str, driver: str, request: Request, caller: CallerDep, s: SessionDep
) -> HTMLResponse:
    """The printable manifest for one driver (by driver id or name)."""
    plan = plan_or_404(s, caller, plan_id)
    body = version_or_404(s, plan).plan_dict()
    driver_id = _driver_id(body, driver)
    token = next((k.token for k in links_of(s, plan.id) if k.driver_id == driver_id), None)
    url = absolute(request, "driver_view", token=token) if token else None
    return HTMLResponse(render_manifest(plan_from_dict(body), driver_id, url, plan.privacy))


@router.get(
    "/{plan_id}/drivers/{driver}/manifest.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the manifest"}},
)
def driver_manifest_pdf(
    plan_id: str, driver: str, request: Request, caller: CallerDep, s: SessionDep
) -> Response:
    """The printable manifest for one driver as a PDF, rendered on request."""
    plan = plan_or_404(s, caller, plan_id)
    body = version_or_404(s, plan).plan_dict()
    driver_id = _driver_id(body, driver)
    token = next((k.token for k in links_of(s, plan.id) if k.driver_id == driver_id), None)
    url = absolute(request, "driver_view", token=token) if token else None
    return manifest_pdf_response(plan_from_dict(body), driver_id, url, plan.privacy)


@router.get("/{plan_id}/drivers/{driver}", response_class=HTMLResponse)
def driver_page(
    plan_id: str, driver: str, caller: CallerDep, s: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """One driver's page, as the dispatcher sees it."""
    plan = plan_or_404(s, caller, plan_id)
    body = version_or_404(s, plan).plan_dict()
    driver_id = _driver_id(body, driver)
    return HTMLResponse(
        render_driver_page(plan_from_dict(body), driver_id, settings, privacy=plan.privacy)
    )
