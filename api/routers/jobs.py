"""``/jobs``: plan in the background and watch the search improve.

``POST /jobs`` checks the request at once (a bad one answers 422, as ``POST /plans``),
then answers 202 with a job id; ``GET /jobs/{id}`` reports the phase and the search's
progress (seconds used of the limit, stops placed, cost) and, when done, the stored
plan's id and URL. One plan is solved at a time (the solver already uses both cores);
others wait in line. Jobs live in the server's memory: a restart forgets unfinished
ones, never a finished plan (that is in the database).
"""

from __future__ import annotations

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from api.db import PlanStore
from api.deps import SettingsDep, StoreDep
from api.routers.plans import PlanJob, prepare_plan, run_plan
from api.schemas import PlanCreate
from routing.errors import AidrouteError, InputError
from routing.solve.options import SolveProgress

router = APIRouter(prefix="/jobs", tags=["jobs"])

Status = Literal["queued", "running", "done", "failed"]


class JobPublic(BaseModel):
    id: str
    status: Status
    phase: str
    elapsed_s: float
    time_limit_s: float
    stops: int
    assigned: int
    objective: int | None
    plan_id: str | None
    plan_url: str | None
    error: dict[str, Any] | None


@dataclass
class Job:
    id: str
    stops: int
    time_limit_s: float
    status: Status = "queued"
    phase: str = "waiting for the solver"
    started: float | None = None
    assigned: int = 0
    objective: int | None = None
    plan_id: str | None = None
    error: dict[str, Any] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class JobRunner:
    """A queue of plan jobs solved one at a time in a worker thread."""

    def __init__(self, keep: int = 200) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aidroute-job")
        self._jobs: dict[str, Job] = {}
        self._keep = keep

    def submit(self, prepared: PlanJob, store: PlanStore) -> Job:
        week = prepared.prepared
        job = Job(
            secrets.token_urlsafe(9), len(week.problem.stops), week.options.time_limit_s or 0.0
        )
        self._jobs[job.id] = job
        if len(self._jobs) > self._keep:  # forget the oldest finished jobs
            for old in [j for j in self._jobs.values() if j.status in ("done", "failed")][:10]:
                self._jobs.pop(old.id, None)
        self._pool.submit(self._run, job, prepared, store)
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def _run(self, job: Job, prepared: PlanJob, store: PlanStore) -> None:
        job.status, job.started, job.phase = "running", time.monotonic(), "starting"

        def on_phase(name: str) -> None:
            job.phase = name

        def progress(p: SolveProgress) -> None:
            with job.lock:
                job.assigned, job.objective = p.assigned, p.objective

        try:
            record = run_plan(prepared, store, progress=progress, on_phase=on_phase)
        except InputError as e:
            job.status, job.phase = "failed", "failed"
            job.error = {"detail": str(e), "problems": [p.to_dict() for p in e.problems]}
        except AidrouteError as e:
            job.status, job.phase = "failed", "failed"
            job.error = {"detail": str(e), "problems": []}
        except Exception as e:  # reported on the job, never lost in a thread
            job.status, job.phase = "failed", "failed"
            job.error = {"detail": f"internal error: {type(e).__name__}: {e}", "problems": []}
        else:
            job.plan_id, job.status, job.phase = record.id, "done", "done"

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _runner(request: Request) -> JobRunner:
    runner = getattr(request.app.state, "jobs", None)
    if runner is None:
        runner = request.app.state.jobs = JobRunner()
    return runner  # type: ignore[no-any-return]


def _public(job: Job, request: Request) -> JobPublic:
    elapsed = 0.0 if job.started is None else time.monotonic() - job.started
    url = str(request.url_for("get_plan", plan_id=job.plan_id)) if job.plan_id else None
    return JobPublic(
        id=job.id,
        status=job.status,
        phase=job.phase,
        elapsed_s=round(elapsed, 1),
        time_limit_s=job.time_limit_s,
        stops=job.stops,
        assigned=job.assigned,
        objective=job.objective,
        plan_id=job.plan_id,
        plan_url=url,
        error=job.error,
    )


@router.post("", response_model=JobPublic, status_code=202)
def create_job(
    body: PlanCreate, request: Request, store: StoreDep, settings: SettingsDep
) -> JobPublic:
    """Check the request now, plan it in the background; poll ``GET /jobs/{id}``."""
    job = _runner(request).submit(prepare_plan(body, store, settings), store)
    return _public(job, request)


@router.get("/{job_id}", response_model=JobPublic)
def get_job(job_id: str, request: Request) -> JobPublic:
    """Where a job is: queued, running (phase, seconds used, stops placed, cost), done
    (the plan's id and URL) or failed (why, with the problems)."""
    job = _runner(request).get(job_id)
    if job is None:
        raise HTTPException(
            404,
            f"no job {job_id!r} (jobs are forgotten when the server "
            "restarts; finished plans are not)",
        )
    return _public(job, request)
