"""Drivers' links and what drivers report.

Drivers have no accounts: each gets a capability link per run (``/d/{token}``, 192 random
bits) that shows their own stops in the published version only, stops working after the run
day (``AIDROUTE_LINK_HOURS_AFTER_RUN``) or when the dispatcher revokes it, and through which
they mark each stop delivered, not home or refused, with a short note. Driver pages are
never cached (``Cache-Control: no-store``) and send no referrer.

The dispatcher lists, revokes and re-issues links, and follows the run: ``GET
/plans/{id}/status`` (``?since=`` for what changed) or the server-sent events of
``/plans/{id}/status/events``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from api.deps import CallerDep, DbDep, SessionDep, SettingsDep, absolute
from api.pages import manifest_pdf_response, render_driver_page, render_manifest
from api.resources import (
    DriverLinkOut,
    DriverRun,
    DriverStop,
    Listing,
    PlanStatus,
    StatusIn,
    StatusOut,
    StopStatus,
)
from api.routers.common import links_out, plan_or_404, version_or_404
from api.storage.accounts import Caller
from api.storage.models import DriverLink, PlanRecord
from api.storage.plans import (
    link_by_token,
    record_status,
    reissue_link,
    revoke_links,
    routes_by_driver,
    statuses_of,
)
from maps.assets import static_dir
from maps.driver_page import Reporting
from maps.export import gpx
from maps.privacy import initials
from routing.serialize import plan_from_dict

router = APIRouter(tags=["links"])
driver_router = APIRouter(tags=["drivers"])

#: How long one server-sent-events connection stays open (the browser reconnects).
SSE_SECONDS = 300


def _link(s: Any, token: str, settings: Any) -> tuple[DriverLink, PlanRecord, dict[str, Any]]:
    found = link_by_token(s, token, settings.link_hours_after_run)
    if found is None:
        raise HTTPException(
            404,
            "this link is not valid (it may have expired or been replaced: ask your dispatcher)",
        )
    link, plan = found
    return link, plan, version_or_404(s, plan, plan.published_version).plan_dict()


#: The service worker that keeps a driver's page on the phone (served under /d/ so that it
#: may look after every driver link of this server).
WORKER = static_dir() / "aidroute" / "driver-worker.js"


@driver_router.get("/d/worker.js", include_in_schema=False, name="driver_worker")
def driver_worker() -> Response:
    """The driver pages' service worker: the page and its assets stay on the phone, so a
    driver without signal can still open (or reload) their route and report stops."""
    return Response(
        WORKER.read_bytes(),
        media_type="text/javascript",
        headers={
            # The worker fetches from this server only; it runs no other code.
            "Content-Security-Policy": "default-src 'none'; connect-src 'self'",
        },
    )


@driver_router.get("/d/{token}", response_class=HTMLResponse, name="driver_view")
def driver_view(token: str, request: Request, s: SessionDep, settings: SettingsDep) -> HTMLResponse:
    """What a driver opens from the link they were sent: their own route only."""
    link, plan, body = _link(s, token, settings)
    if link.driver_id not in routes_by_driver(body):
        return HTMLResponse(
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            "content='width=device-width, initial-scale=1'><title>No stops</title></head><body>"
            "<main><h1>No stops for you on this run</h1><p>Your dispatcher moved your stops to "
            "other drivers. Thank you!</p></main></body></html>"
        )
    return HTMLResponse(
        render_driver_page(
            plan_from_dict(body),
            link.driver_id,
            settings,
            privacy=plan.privacy,
            page_url=absolute(request, "driver_view", token=token),
            gpx_url=absolute(request, "driver_gpx", token=token),
            manifest_url=absolute(request, "driver_own_manifest", token=token),
            # Relative to the page (/d/{token}), so they hold behind any proxy's prefix.
            reporting=Reporting(
                status_url=f"{token}/status", stops_url=f"{token}/stops", worker_url="worker.js"
            ),
        )
    )


@driver_router.get("/d/{token}/manifest", response_class=HTMLResponse, name="driver_own_manifest")
def driver_own_manifest(
    token: str, request: Request, s: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """The driver's own printable manifest."""
    link, plan, body = _link(s, token, settings)
    url = absolute(request, "driver_view", token=token)
    return HTMLResponse(render_manifest(plan_from_dict(body), link.driver_id, url, plan.privacy))


@driver_router.get(
    "/d/{token}/manifest.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the manifest"}},
)
def driver_own_manifest_pdf(
    token: str, request: Request, s: SessionDep, settings: SettingsDep
) -> Response:
    """The driver's own manifest as a PDF, rendered on request."""
    link, plan, body = _link(s, token, settings)
    url = absolute(request, "driver_view", token=token)
    return manifest_pdf_response(plan_from_dict(body), link.driver_id, url, plan.privacy)


@driver_router.get(
    "/d/{token}/route.gpx",
    name="driver_gpx",
    response_class=Response,
    responses={200: {"content": {"application/gpx+xml": {}}, "description": "GPX 1.1"}},
)
def driver_gpx(token: str, s: SessionDep, settings: SettingsDep) -> Response:
    """The driver's route as GPX, for GPS apps."""
    link, plan, body = _link(s, token, settings)
    return Response(
        gpx(plan_from_dict(body), link.driver_id, privacy=plan.privacy),
        media_type="application/gpx+xml",
        headers={"Content-Disposition": 'attachment; filename="route.gpx"'},
    )


def _shown_name(name: str, privacy: str) -> str:
    return initials(name) if privacy == "initials" else name


@driver_router.get("/d/{token}/stops", response_model=DriverRun, name="driver_stops")
def driver_stops(token: str, s: SessionDep, settings: SettingsDep) -> DriverRun:
    """The driver's stops in order with what they reported (for the page, and offline use)."""
    link, plan, body = _link(s, token, settings)
    route = next((r for r in body["routes"] if r["driver_id"] == link.driver_id), None)
    reported = {st.stop_id: st for st in statuses_of(s, plan.id)}
    problem = {st["id"]: st for st in body.get("problem", {}).get("stops", [])}
    stops = []
    for v in route["stops"] if route else []:
        given = problem.get(v["id"], {})
        status = reported.get(v["id"])
        stops.append(
            DriverStop(
                id=v["id"],
                arrival=v["arrival"],
                name=_shown_name(v.get("name", ""), plan.privacy),
                address=v.get("address", ""),
                unit=v.get("unit", ""),
                phone="" if plan.privacy in ("no_phone",) else given.get("phone", ""),
                notes=given.get("notes", ""),
                boxes=v.get("boxes", 0),
                lat=v.get("lat"),
                lon=v.get("lon"),
                status=status.status if status else "pending",
                status_note=status.note if status else "",
            )
        )
    return DriverRun(
        driver=route["driver"] if route else link.driver_id,
        date=body.get("date"),
        start=route["start"] if route else None,
        end=route["end"] if route else None,
        stops=stops,
    )


@driver_router.post("/d/{token}/status", response_model=StatusOut, status_code=201)
def report_status(token: str, body: StatusIn, s: SessionDep, settings: SettingsDep) -> StatusOut:
    """Mark one of the driver's stops delivered, not home or refused, with a short note.
    Sending again corrects it. Only the driver's own stops in the published version."""
    link, plan, plan_body = _link(s, token, settings)
    if body.stop_id not in routes_by_driver(plan_body).get(link.driver_id, []):
        raise HTTPException(404, f"stop {body.stop_id!r} is not on your route")
    row = record_status(s, plan.id, link.driver_id, body.stop_id, body.status, body.note)
    return StatusOut(
        stop_id=row.stop_id,
        driver_id=row.driver_id,
        status=row.status,
        note=row.note,
        at=row.at.isoformat(),
    )


@router.get("/plans/{plan_id}/links", response_model=Listing[DriverLinkOut])
def list_links(
    plan_id: str, request: Request, caller: CallerDep, s: SessionDep, settings: SettingsDep
) -> Listing[DriverLinkOut]:
    """Each driver's link for this run (revoked ones are left out)."""
    plan = plan_or_404(s, caller, plan_id)
    body = version_or_404(s, plan).plan_dict()
    names = {r["driver_id"]: r["driver"] for r in body.get("routes", [])}
    data = links_out(s, request, plan, names, settings)
    return Listing[DriverLinkOut](data=data, count=len(data))


@router.post("/plans/{plan_id}/links/{driver_id}/revoke", status_code=204)
def revoke_link(plan_id: str, driver_id: str, caller: CallerDep, s: SessionDep) -> Response:
    """Stop a driver's link working now."""
    plan = plan_or_404(s, caller, plan_id)
    if not revoke_links(s, plan.id, driver_id):
        raise HTTPException(404, f"no live link for driver {driver_id!r}")
    return Response(status_code=204)


@router.post(
    "/plans/{plan_id}/links/{driver_id}/reissue", response_model=DriverLinkOut, status_code=201
)
def reissue(
    plan_id: str,
    driver_id: str,
    request: Request,
    caller: CallerDep,
    s: SessionDep,
    settings: SettingsDep,
) -> DriverLinkOut:
    """Give a driver a new link (the old one stops working): a lost or shared phone."""
    plan = plan_or_404(s, caller, plan_id)
    body = version_or_404(s, plan).plan_dict()
    names = {r["driver_id"]: r["driver"] for r in body.get("routes", [])}
    if driver_id not in names or plan.published_version is None:
        raise HTTPException(404, f"no driver {driver_id!r} in this plan's published version")
    link = reissue_link(s, plan, driver_id)
    return next(
        x for x in links_out(s, request, plan, names, settings) if x.url.endswith(link.token)
    )


def _status(s: Any, plan: PlanRecord, since: datetime | None) -> PlanStatus:
    body = (
        version_or_404(s, plan, plan.published_version).plan_dict()
        if plan.published_version
        else {}
    )
    reported = {st.stop_id: st for st in statuses_of(s, plan.id)}
    stops, counts = [], {"pending": 0, "delivered": 0, "not_home": 0, "refused": 0}
    for driver_id, stop_ids in routes_by_driver(body).items():
        for stop_id in stop_ids:
            st = reported.get(stop_id)
            status = st.status if st else "pending"
            counts[status] = counts.get(status, 0) + 1
            if since is None or (st is not None and st.at > since):
                stops.append(
                    StopStatus(
                        stop_id=stop_id,
                        driver_id=driver_id,
                        status=status,
                        note=st.note if st else "",
                        at=st.at.isoformat() if st else None,
                    )
                )
    latest = max((st.at for st in reported.values()), default=None)
    return PlanStatus(
        plan_id=plan.id,
        version=plan.published_version,
        counts=counts,
        stops=stops,
        updated_at=(latest or plan.created_at).isoformat(),
    )


Since = Annotated[datetime | None, Query(description="only stops reported after this time")]


@router.get("/plans/{plan_id}/status", response_model=PlanStatus)
def plan_status(plan_id: str, caller: CallerDep, s: SessionDep, since: Since = None) -> PlanStatus:
    """Every stop of the published version and what its driver reported (``pending`` until
    then). Poll with ``since=updated_at`` to get only what changed."""
    return _status(s, plan_or_404(s, caller, plan_id), since)


@router.get(
    "/plans/{plan_id}/status/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def plan_status_events(
    plan_id: str, caller: CallerDep, db: DbDep, request: Request
) -> StreamingResponse:
    """Server-sent events: a ``status`` event with the whole status at once, then one each
    time a driver reports. The stream ends after a few minutes; browsers reconnect."""

    def load(since: datetime | None) -> PlanStatus | None:
        with db.reader() as s:
            plan = _group_plan(s, caller, plan_id)
            return None if plan is None else _status(s, plan, since)

    first = await run_in_threadpool(load, None)
    if first is None:
        raise HTTPException(404, f"no plan {plan_id!r} (it may have expired)")

    async def events() -> AsyncIterator[str]:
        current: PlanStatus | None = first
        yield f"event: status\ndata: {current.model_dump_json()}\n\n"  # type: ignore[union-attr]
        since = datetime.fromisoformat(current.updated_at)  # type: ignore[union-attr]
        end = time.monotonic() + SSE_SECONDS
        while time.monotonic() < end and not await request.is_disconnected():
            await asyncio.sleep(1.0)
            current = await run_in_threadpool(load, since)
            if current is None:
                break
            if current.stops:
                since = datetime.fromisoformat(current.updated_at)
                yield f"event: status\ndata: {current.model_dump_json()}\n\n"
            else:
                yield ": keep-alive\n\n"

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"}
    )


def _group_plan(s: Any, caller: Caller, plan_id: str) -> PlanRecord | None:
    from api.planning import plan_in_group

    return plan_in_group(s, caller.group_id, plan_id)
