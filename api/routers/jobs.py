"""``/jobs``: plan in the background and watch the search improve.

``POST /jobs`` checks the request at once (a bad one answers 422, as ``POST /plans``),
stores the job and answers 202; a worker solves it. ``GET /jobs/{id}`` reports the phase and
the search's progress (seconds, stops placed, best cost) and, when done, the stored plan's
id and URL. ``POST /jobs/{id}/cancel`` stops it. Jobs are in the database: a restarted
server loses none, and a worker that dies mid-solve has its job taken by another.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select

from api.deps import CallerDep, QueueDep, SessionDep, SettingsDep
from api.resources import JobOut, Listing
from api.routers.common import job_or_404, job_public, submit
from api.schemas import PlanCreate
from api.storage import jobs as jobstore
from api.storage.models import JobRecord

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.post(
    "",
    response_model=JobOut,
    status_code=202,
)
def create_job(
    body: PlanCreate,
    request: Request,
    caller: CallerDep,
    s: SessionDep,
    settings: SettingsDep,
    queue: QueueDep,
) -> JobOut:
    """Check the request now, plan it on a worker; poll ``GET /jobs/{id}``."""
    return job_public(submit(s, caller, settings, queue, body), request)


@router.get("", response_model=Listing[JobOut])
def list_jobs(request: Request, caller: CallerDep, s: SessionDep) -> Listing[JobOut]:
    """The group's last 100 jobs, newest first."""
    rows = s.scalars(
        select(JobRecord)
        .where(JobRecord.group_id == caller.group_id)
        .order_by(JobRecord.created_at.desc())
        .limit(100)
    )
    data = [job_public(j, request) for j in rows]
    return Listing[JobOut](data=data, count=len(data))


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: str, request: Request, caller: CallerDep, s: SessionDep) -> JobOut:
    """Where a job is: queued, running (phase, seconds used, stops placed, cost), done
    (the plan's id and URL), failed (why, with the problems) or cancelled."""
    return job_public(job_or_404(s, caller, job_id), request)


@router.post("/{job_id}/cancel", response_model=JobOut)
def cancel_job(job_id: str, request: Request, caller: CallerDep, s: SessionDep) -> JobOut:
    """Cancel a job: a waiting one at once, a running one within a second or two."""
    job = job_or_404(s, caller, job_id)
    jobstore.cancel(s, job)
    return job_public(job, request)
