"""The FastAPI application: ``create_app()`` wires storage, workers, routers, assets and errors.

At start the database is migrated (pending Alembic revisions applied) and purged of what is
past retention; while the server runs, a maintenance task purges once a day, re-queues jobs
whose worker stopped, and keeps the embedded worker pool at its size.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from api.planning import get_geocoder
from api.pool import WorkerPool
from api.queue import job_queue, reap_and_resend
from api.routers import accounts, imports, jobs, links, plans, roster, versions, weeks
from api.schemas import reason_of
from api.security import Guard, redact_access_log
from api.settings import Settings, get_settings
from api.storage.engine import open_database
from api.storage.migrate import upgrade
from api.storage.retention import purge
from api.web import auth as web_auth
from api.web import drivers as web_drivers
from api.web import intake as web_intake
from api.web import intake_rows as web_intake_rows
from api.web import plan as web_plan
from api.web import publish as web_publish
from api.web import weeks as web_weeks
from api.web.render import STATIC as WEB_STATIC
from api.web.render import LoginRequiredError, PageNotFoundError, login_url, not_found
from maps.assets import static_dir
from routing.errors import AreaError, InputError, SolverError

log = logging.getLogger("aidroute.api")

#: Seconds between two rounds of maintenance (reaping jobs, watching the pool).
MAINTENANCE_EVERY_S = 2.0
PURGE_EVERY_S = 24 * 3600.0


#: The errors any operation may answer, all as JSON ``{"detail", "problems"}`` (also for
#: operations whose own answer is a page).
_ERROR_JSON = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": _ERROR_JSON}
    for code, text in (
        (400, "a Host name the service does not answer to"),
        (401, "no dispatcher: log in or send a token"),
        (403, "a change without the session's CSRF token"),
        (404, "no such object in your group (or expired)"),
        (413, "the request body is too large"),
        (422, "bad input: each problem with its field"),
        (429, "too many plans waiting, or failed logins"),
    )
}


#: What a request meets while the database does not answer (restarting, or down).
DATABASE_AWAY = {
    "detail": "the database does not answer just now: nothing was changed; try again in a "
    "minute (if it lasts, the service's organiser should check that the database is running)",
    "problems": [],
}


def printable(value: Any) -> str:
    """Text safe to put in a JSON answer (a lone surrogate would make the answer fail)."""
    text = value if isinstance(value, str) else str(value)
    return text.encode("utf-8", "replace").decode("utf-8")[:500]


def _problems_body(e: InputError) -> dict[str, Any]:
    problems = []
    for p in e.problems:
        d = p.to_dict()
        problems.append({k: printable(v) if isinstance(v, str) else v for k, v in d.items()})
    return {
        "detail": printable(str(e.problems[0]))
        if len(e.problems) == 1
        else f"{len(e.problems)} problems in the input",
        "problems": problems,
    }


def _swagger_assets() -> Any:
    import swagger_ui_bundle

    return swagger_ui_bundle.swagger_ui_path


def _maintain(app: FastAPI) -> None:
    state = app.state
    reap_and_resend(state.db, state.queue, state.settings)
    if state.pool is not None:
        state.pool.check()
    if time.monotonic() - state.last_purge > PURGE_EVERY_S:
        state.last_purge = time.monotonic()
        purge(state.db, state.settings.retention_days)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    state = app.state
    settings: Settings = state.settings
    redact_access_log()
    await run_in_threadpool(purge, state.db, settings.retention_days)
    state.last_purge = time.monotonic()
    with contextlib.suppress(Exception):  # a missing default area is said per request
        await run_in_threadpool(get_geocoder, settings.default_area)  # first request fast
    if not settings.queue_url and settings.workers > 0:
        state.pool = WorkerPool(settings, settings.workers)
        state.pool.start()

    async def maintenance() -> None:
        while True:
            await asyncio.sleep(MAINTENANCE_EVERY_S)
            try:
                await run_in_threadpool(_maintain, app)
            except Exception:  # a hiccup (database busy, Redis away) is retried next round
                log.exception("maintenance failed")

    task = asyncio.create_task(maintenance())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if state.pool is not None:
            await run_in_threadpool(state.pool.stop)
            state.pool = None


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. ``settings`` defaults to the environment's (``AIDROUTE_*``)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="aidroute",
        summary="Plan mutual-aid grocery delivery runs for volunteer drivers.",
        version="0.2.0",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = open_database(settings.db_url())
    upgrade(app.state.db.engine)
    app.state.queue = job_queue(settings)
    app.state.pool = None
    app.state.last_purge = 0.0

    @app.exception_handler(InputError)
    async def _input_error(_request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(status_code=422, content=_problems_body(exc))

    @app.exception_handler(SolverError)
    async def _solver_error(_request: Request, exc: SolverError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": printable(exc), "problems": []})

    @app.exception_handler(AreaError)
    async def _area_error(_request: Request, exc: AreaError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": printable(exc), "problems": []})

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            loc = [str(x) for x in err.get("loc", ()) if x != "body"]
            value = err.get("input")
            problems.append(
                {
                    "row": None,
                    "field": printable(".".join(loc)),
                    "reason": printable(reason_of(err)),
                    "value": "" if isinstance(value, dict | list) else printable(value),
                    "severity": "error",
                }
            )
        detail = (
            f"{problems[0]['field']}: {problems[0]['reason']}"
            if len(problems) == 1
            else f"{len(problems)} problems in the request"
        )
        return JSONResponse(status_code=422, content={"detail": detail, "problems": problems})

    @app.exception_handler(OperationalError)
    async def _database_away(_request: Request, exc: OperationalError) -> JSONResponse:
        # The database restarting or down: a passing state, not a fault of the request.
        log.warning("the database does not answer: %s", str(exc.orig or exc).strip()[:300])
        return JSONResponse(status_code=503, content=DATABASE_AWAY, headers={"Retry-After": "30"})

    @app.exception_handler(PageNotFoundError)
    async def _page_not_found(request: Request, exc: PageNotFoundError) -> HTMLResponse:
        return not_found(request, exc.caller, exc.message)

    @app.exception_handler(LoginRequiredError)
    async def _login(_request: Request, exc: LoginRequiredError) -> RedirectResponse:
        return RedirectResponse(login_url(exc.next_path), status_code=303)

    app.mount("/static/web", StaticFiles(directory=WEB_STATIC), name="web_static")
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    app.mount("/docs/assets", StaticFiles(directory=_swagger_assets()), name="docs_assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="aidroute API",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon-32x32.png",
        )

    for router in (
        accounts.public_router,
        accounts.router,
        plans.router,
        versions.router,
        links.router,
        links.driver_router,
        jobs.router,
        imports.router,
        weeks.router,
        roster.router,
    ):
        app.include_router(router, responses=ERRORS)
    # The web page (HTML, not in the API's document; the same callers and checks).
    for router in (
        web_auth.router,
        web_weeks.router,
        web_intake.router,
        web_intake_rows.router,
        web_drivers.router,
        web_plan.router,
        web_publish.router,
    ):
        app.include_router(router)

    @app.get("/health", tags=["meta"])
    def health() -> JSONResponse:
        """``ok`` when the database answers (503 otherwise), for a proxy or a monitor."""
        with app.state.db.reader() as s:
            s.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok"})

    app.add_middleware(Guard, settings=settings)
    return app
