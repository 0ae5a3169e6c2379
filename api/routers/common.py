"""What several routers share: finding a group's plan or job (404 for any other group's),
plan and job bodies as the API shows them, and submitting a job."""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import absolute, get_queue
from api.planning import Base, Prepared, plan_in_group, prepare
from api.queue import JobQueue, phase_now
from api.resources import DriverLinkOut, JobOut
from api.schemas import DriverLink, PlanCreate, PlanPublic
from api.settings import Settings
from api.storage import jobs as jobstore
from api.storage.accounts import Caller
from api.storage.models import Group, JobRecord, PlanRecord, PlanVersion, WeekRecord, utcnow
from api.storage.plans import current_version, link_expiry, links_of, version_of
from api.storage.weeks import active_job, week_plan


def iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def plan_or_404(s: Session, caller: Caller, plan_id: str) -> PlanRecord:
    plan = plan_in_group(s, caller.group_id, plan_id)
    if plan is None:
        raise HTTPException(404, f"no plan {plan_id!r} (it may have expired)")
    return plan


def version_or_404(s: Session, plan: PlanRecord, number: int | None = None) -> PlanVersion:
    version = current_version(s, plan) if number is None else version_of(s, plan.id, number)
    if version is None or not version.body:
        raise HTTPException(404, f"plan {plan.id!r} has no version {number}")
    return version


def job_or_404(s: Session, caller: Caller, job_id: str) -> JobRecord:
    job = jobstore.job_for_group(s, caller.group_id, job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id!r}")
    return job


def group_timezone(s: Session, group_id: str) -> str:
    group = s.get(Group, group_id)
    return group.timezone if group is not None else "UTC"


def links_out(
    s: Session, request: Request, plan: PlanRecord, names: dict[str, str], settings: Settings
) -> list[DriverLinkOut]:
    expires = link_expiry(plan, group_timezone(s, plan.group_id), settings.link_hours_after_run)
    return [
        DriverLinkOut(
            driver_id=link.driver_id,
            driver=names.get(link.driver_id, link.driver_id),
            url=absolute(request, "driver_view", token=link.token),
            created_at=link.created_at.isoformat(),
            revoked=link.revoked_at is not None,
            expires_at=expires.isoformat(),
        )
        for link in links_of(s, plan.id)
    ]


def plan_public(
    s: Session, request: Request, plan: PlanRecord, settings: Settings, number: int | None = None
) -> PlanPublic:
    version = version_or_404(s, plan, number)
    body = version.plan_dict()
    names = {r["driver_id"]: r["driver"] for r in body.get("routes", [])}
    published = plan.published_version is not None
    links = [
        DriverLink(driver_id=link.driver_id, driver=link.driver, url=link.url)
        for link in links_out(s, request, plan, names, settings)
        if link.driver_id in names
    ]
    return PlanPublic(
        id=plan.id,
        area=plan.area,
        created_at=plan.created_at.isoformat(),
        expires_at=plan.expires_at.isoformat(),
        map_url=str(request.url_for("plan_map", plan_id=plan.id)),
        privacy=plan.privacy,
        version=version.number,
        published_version=plan.published_version,
        latest_version=plan.latest_version,
        driver_links=links if published else [],
        plan=body,  # type: ignore[arg-type]
    )


def job_public(job: JobRecord, request: Request) -> JobOut:
    end = job.finished_at or utcnow()
    elapsed = 0.0 if job.started_at is None else (end - job.started_at).total_seconds()
    url = (
        str(request.url_for("get_plan", plan_id=job.result_plan_id)) if job.result_plan_id else None
    )
    return JobOut(
        id=job.id,
        status=job.status,  # type: ignore[arg-type]
        phase=phase_now(job, get_queue(request)),
        elapsed_s=round(max(0.0, elapsed), 1),
        time_limit_s=job.time_limit_s,
        stops=job.stops,
        assigned=job.assigned,
        objective=job.objective,
        attempts=job.attempts,
        plan_id=job.result_plan_id,
        plan_url=url,
        version=job.result_version,
        error=json.loads(job.error) if job.error else None,
    )


def submit(
    s: Session,
    caller: Caller,
    settings: Settings,
    queue: JobQueue,
    body: PlanCreate,
    *,
    base: Base | None = None,
    change: str = "plan",
    note: str = "",
    week_id: str | None = None,
) -> JobRecord:
    """Check the request now (422 at once when it is bad), store the job, commit, and send
    it to the workers. Nothing is solved here. A new plan is stored for ``week_id``."""
    prepared: Prepared = prepare(s, caller.group_id, body, settings, base)
    try:
        job = jobstore.submit(
            s,
            group_id=caller.group_id,
            request={
                "plan": body.model_dump(mode="json"),
                "base": None
                if base is None
                else {"plan_id": base.plan_id, "version": base.version},
                "week_id": week_id,
            },
            stops=len(prepared.week.problem.stops),
            time_limit_s=float(prepared.week.options.time_limit_s or 0),
            max_per_group=settings.max_jobs_per_group,
            max_total=settings.max_jobs,
            kind="plan" if base is None else "version",
            plan_id=None if base is None else base.plan_id,
            change=change,
            note=note,
        )
    except jobstore.QueueFullError as e:
        raise HTTPException(429, str(e), headers={"Retry-After": "30"}) from None
    s.commit()
    queue.send(job.id, job.attempts)
    return job


class PlanningAlreadyError(HTTPException):
    """The week is being planned by a job that has not ended (``job``): a second Plan
    (a double click, or two dispatchers of the group) would make a second plan for the week
    with drivers' links of its own."""

    def __init__(self, job: JobRecord):
        super().__init__(
            409,
            f"this week is being planned already (job {job.id}): follow GET /jobs/{job.id}, "
            f"or stop it with POST /jobs/{job.id}/cancel and plan again",
        )
        self.job = job


def submit_week(
    s: Session,
    caller: Caller,
    settings: Settings,
    queue: JobQueue,
    week: WeekRecord,
    inputs: dict[str, Any],
    options: dict[str, Any],
    privacy: str | None = None,
) -> JobRecord:
    """Plan ``week`` with what it keeps, ``inputs`` (its
    :func:`~api.storage.weeks.week_inputs`, which the caller has read to say first what
    is missing): its first plan, or a new version of its plan moving as few stops as possible
    (drivers keep their links). Raises what :func:`submit` raises, and pydantic's
    ValidationError where the week's lists break the API's limits, and
    :class:`PlanningAlreadyError` while another job plans the week."""
    body = PlanCreate.model_validate({**inputs, "options": options, "privacy": privacy})
    # One planning of a week at a time: the week's row stays locked (PostgreSQL) until the
    # job is stored, so a second request waits, then finds it.
    s.execute(select(WeekRecord.id).where(WeekRecord.id == week.id).with_for_update())
    plan = week_plan(s, week)
    busy = active_job(s, week, plan)
    if busy is not None:
        raise PlanningAlreadyError(busy)
    base = Base(plan.id, plan.latest_version) if plan is not None else None
    return submit(
        s, caller, settings, queue, body,
        base=base, change="replan" if base else "plan", week_id=week.id,
    )  # fmt: skip
