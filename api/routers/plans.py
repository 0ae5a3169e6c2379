"""``/plans``: plan a run from JSON, fetch it, and the pages dispatchers and drivers open.

Dispatcher views (``/plans/...``) show the whole plan. A driver gets a link with a
random token (``/d/{token}``) that shows only their own route and stops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from api.convert import week_from_request
from api.db import DriverLinkRecord, PlanRecord, PlanStore
from api.deps import SettingsDep, StoreDep, get_area, get_geocoder
from api.pages import (
    manifest_pdf_response,
    render_driver_page,
    render_manifest,
    render_overview,
)
from api.schemas import DriverLink, PlanCreate, PlanPublic, PlansPublic, PlanSummary
from api.settings import Settings
from maps.export import gpx
from routing.errors import InputError, InputProblem
from routing.model import Plan
from routing.pipeline import History, PreparedWeek, locator_for, prepare_week, solve_week
from routing.serialize import plan_from_dict, plan_to_dict
from routing.solve.options import SolveOptions, SolveProgress

router = APIRouter(prefix="/plans", tags=["plans"])
driver_router = APIRouter(tags=["drivers"])


def _public(record: PlanRecord, request: Request) -> PlanPublic:
    body = record.plan_dict()
    tokens = record.driver_tokens()
    names = {r["driver_id"]: r["driver"] for r in body["routes"]}
    links = [
        DriverLink(
            driver_id=d, driver=names.get(d, d), url=str(request.url_for("driver_view", token=t))
        )
        for d, t in tokens.items()
        if d in names
    ]
    return PlanPublic(
        id=record.id,
        area=record.area,
        created_at=record.created_at.isoformat(),
        expires_at=record.expires_at.isoformat(),
        map_url=str(request.url_for("plan_map", plan_id=record.id)),
        privacy=record.privacy,
        driver_links=links,
        plan=body,
    )


def _record(store: StoreDep, plan_id: str) -> PlanRecord:
    record = store.get(plan_id)
    if record is None:
        raise HTTPException(404, f"no plan {plan_id!r} (it may have expired)")
    return record


def _stored_plan(store: PlanStore, plan_id: str | None, field: str) -> Plan | None:
    if plan_id is None:
        return None
    record = store.get(plan_id)
    if record is None:
        raise InputError(
            InputProblem(field, plan_id, "no stored plan with this id (it may have expired)")
        )
    return plan_from_dict(record.plan_dict())


@dataclass(frozen=True)
class PlanJob:
    """A request checked and prepared for the solver, with what storing its plan needs."""

    prepared: PreparedWeek
    area_name: str
    privacy: str


def prepare_plan(body: PlanCreate, store: PlanStore, settings: Settings) -> PlanJob:
    """Place the addresses and check every input. Raises InputError / AreaError (422)."""
    area_name = body.area or settings.default_area
    area = get_area(area_name)
    week = week_from_request(body, locator_for(get_geocoder(area_name)))
    o = body.options
    history = History(
        previous=_stored_plan(store, o.previous_plan_id, "options.previous_plan_id"),
        last_week=_stored_plan(store, o.last_week_plan_id, "options.last_week_plan_id"),
    )
    options = SolveOptions(
        time_limit_s=o.time_limit_s,
        full_time=o.full_time,
        seed=o.seed,
        balance=o.balance,
        minimize_drivers=o.minimize_drivers,
        max_vehicles=o.max_drivers,
        objective=o.objective,
        locked_routes=o.locked_routes,
        change_cost_s=round(o.change_cost_min * 60),
    )
    try:
        prepared = prepare_week(
            week, area, options, history=history, max_time_limit_s=settings.max_time_limit_s
        )
    except InputError as e:  # locked routes are options of the request
        raise InputError(
            [
                replace(p, field=f"options.{p.field}")
                if p.field.startswith("locked_routes.")
                else p
                for p in e.problems
            ]
        ) from None
    return PlanJob(prepared, area_name, body.privacy or settings.driver_privacy)


def run_plan(
    job: PlanJob,
    store: PlanStore,
    progress: Callable[[SolveProgress], None] | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> PlanRecord:
    """Solve a prepared plan and store it with its drivers' links."""
    plan = solve_week(job.prepared, progress=progress, on_phase=on_phase).plan
    return store.add(
        plan_to_dict(plan),
        job.area_name,
        [r.driver_id for r in plan.routes if r.visits],
        privacy=job.privacy,
    )


@router.post("", response_model=PlanPublic, status_code=201)
def create_plan(
    body: PlanCreate, request: Request, store: StoreDep, settings: SettingsDep
) -> PlanPublic:
    """Plan a run and wait for it: place the addresses, solve, store the plan, return it with
    its links. For long solves, ``POST /jobs`` answers at once and reports progress."""
    return _public(run_plan(prepare_plan(body, store, settings), store), request)


@router.get("", response_model=PlansPublic)
def list_plans(store: StoreDep) -> PlansPublic:
    """Every stored plan that has not expired, newest first."""
    data = []
    for rec in store.list():
        body = rec.plan_dict()
        data.append(
            PlanSummary(
                id=rec.id,
                area=rec.area,
                date=body.get("date"),
                created_at=rec.created_at.isoformat(),
                summary=body["summary"],
            )
        )
    return PlansPublic(data=data, count=len(data))


@router.get("/{plan_id}", response_model=PlanPublic, name="get_plan")
def get_plan(plan_id: str, request: Request, store: StoreDep) -> PlanPublic:
    return _public(_record(store, plan_id), request)


@router.delete("/{plan_id}", status_code=204)
def delete_plan(plan_id: str, store: StoreDep) -> Response:
    """Delete a plan and everything it holds about recipients, now."""
    if not store.delete(plan_id):
        raise HTTPException(404, f"no plan {plan_id!r}")
    return Response(status_code=204)


@router.get("/{plan_id}/map", response_class=HTMLResponse, name="plan_map")
def plan_map(plan_id: str, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """The dispatcher's overview map: every route, unassigned stops and their reasons."""
    plan = plan_from_dict(_record(store, plan_id).plan_dict())
    return HTMLResponse(render_overview(plan, settings))


def _driver_id(plan_body: dict, driver: str) -> str:  # type: ignore[type-arg]
    for r in plan_body["routes"]:
        if driver in (r["driver_id"], r["driver"]):
            return str(r["driver_id"])
    raise HTTPException(404, f"no route for driver {driver!r} in this plan")


@router.get("/{plan_id}/drivers/{driver}/manifest", response_class=HTMLResponse)
def driver_manifest(
    plan_id: str, driver: str, request: Request, store: StoreDep, settings: SettingsDep
) -> HTMLResponse:
    """The printable manifest for one driver (by driver id or name)."""
    record = _record(store, plan_id)
    body = record.plan_dict()
    driver_id = _driver_id(body, driver)
    token = record.driver_tokens().get(driver_id)
    url = str(request.url_for("driver_view", token=token)) if token else None
    return HTMLResponse(render_manifest(plan_from_dict(body), driver_id, url, record.privacy))


@router.get("/{plan_id}/drivers/{driver}/manifest.pdf", response_class=Response)
def driver_manifest_pdf(plan_id: str, driver: str, request: Request, store: StoreDep) -> Response:
    """The printable manifest for one driver as a PDF, rendered on request."""
    record = _record(store, plan_id)
    body = record.plan_dict()
    driver_id = _driver_id(body, driver)
    token = record.driver_tokens().get(driver_id)
    url = str(request.url_for("driver_view", token=token)) if token else None
    return manifest_pdf_response(plan_from_dict(body), driver_id, url, record.privacy)


@router.get("/{plan_id}/drivers/{driver}", response_class=HTMLResponse)
def driver_page(plan_id: str, driver: str, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """One driver's page, as the dispatcher sees it."""
    record = _record(store, plan_id)
    body = record.plan_dict()
    driver_id = _driver_id(body, driver)
    return HTMLResponse(
        render_driver_page(plan_from_dict(body), driver_id, settings, privacy=record.privacy)
    )


@driver_router.get("/d/{token}", response_class=HTMLResponse, name="driver_view")
def driver_view(
    token: str, request: Request, store: StoreDep, settings: SettingsDep
) -> HTMLResponse:
    """What a driver opens from the link they were sent: their own route only."""
    link = _link(store, token)
    plan = plan_from_dict(link.plan.plan_dict())
    return HTMLResponse(
        render_driver_page(
            plan,
            link.driver_id,
            settings,
            privacy=link.plan.privacy,
            page_url=str(request.url_for("driver_view", token=token)),
            gpx_url=str(request.url_for("driver_gpx", token=token)),
            manifest_url=str(request.url_for("driver_own_manifest", token=token)),
        )
    )


def _link(store: StoreDep, token: str) -> DriverLinkRecord:
    link = store.by_token(token)
    if link is None:
        raise HTTPException(404, "this link is not valid (the plan may have expired)")
    return link


@driver_router.get("/d/{token}/manifest", response_class=HTMLResponse, name="driver_own_manifest")
def driver_own_manifest(token: str, request: Request, store: StoreDep) -> HTMLResponse:
    """The driver's own printable manifest."""
    link = _link(store, token)
    plan = plan_from_dict(link.plan.plan_dict())
    url = str(request.url_for("driver_view", token=token))
    return HTMLResponse(render_manifest(plan, link.driver_id, url, link.plan.privacy))


@driver_router.get("/d/{token}/manifest.pdf", response_class=Response)
def driver_own_manifest_pdf(token: str, request: Request, store: StoreDep) -> Response:
    """The driver's own manifest as a PDF, rendered on request."""
    link = _link(store, token)
    plan = plan_from_dict(link.plan.plan_dict())
    url = str(request.url_for("driver_view", token=token))
    return manifest_pdf_response(plan, link.driver_id, url, link.plan.privacy)


@driver_router.get("/d/{token}/route.gpx", name="driver_gpx")
def driver_gpx(token: str, store: StoreDep) -> Response:
    """The driver's route as GPX, for GPS apps."""
    link = _link(store, token)
    plan = plan_from_dict(link.plan.plan_dict())
    return Response(
        gpx(plan, link.driver_id, privacy=link.plan.privacy),
        media_type="application/gpx+xml",
        headers={"Content-Disposition": 'attachment; filename="route.gpx"'},
    )
