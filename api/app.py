"""The FastAPI application: ``create_app()`` wires storage, routers, static assets and errors."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from api.db import PlanStore, make_engine
from api.deps import require_dispatcher
from api.routers import imports, jobs, plans
from api.settings import Settings, get_settings
from maps.assets import static_dir
from routing.errors import AreaError, InputError, SolverError

log = logging.getLogger("aidroute.api")


def _problems_body(e: InputError) -> dict[str, Any]:
    return {
        "detail": str(e.problems[0])
        if len(e.problems) == 1
        else f"{len(e.problems)} problems in the input",
        "problems": [p.to_dict() for p in e.problems],
    }


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. ``settings`` defaults to the environment's (``AIDROUTE_*``)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="aidroute",
        summary="Plan mutual-aid grocery delivery runs for volunteer drivers.",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.store = PlanStore(make_engine(settings.database_path()), settings.retention_days)

    @app.exception_handler(InputError)
    async def _input_error(_request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(status_code=422, content=_problems_body(exc))

    @app.exception_handler(SolverError)
    async def _solver_error(_request: Request, exc: SolverError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc), "problems": []})

    @app.exception_handler(AreaError)
    async def _area_error(_request: Request, exc: AreaError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc), "problems": []})

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            loc = [str(x) for x in err.get("loc", ()) if x != "body"]
            value = err.get("input")
            problems.append(
                {
                    "row": None,
                    "field": ".".join(loc),
                    "reason": err.get("msg", ""),
                    "value": "" if isinstance(value, dict | list) else str(value),
                    "severity": "error",
                }
            )
        detail = (
            f"{problems[0]['field']}: {problems[0]['reason']}"
            if len(problems) == 1
            else f"{len(problems)} problems in the request"
        )
        return JSONResponse(status_code=422, content={"detail": detail, "problems": problems})

    app.mount("/static", StaticFiles(directory=static_dir()), name="static")

    dispatcher = [Depends(require_dispatcher)]
    app.include_router(plans.router, dependencies=dispatcher)
    app.include_router(plans.driver_router)
    app.include_router(jobs.router, dependencies=dispatcher)
    app.include_router(imports.router, dependencies=dispatcher)

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
