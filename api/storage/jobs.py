"""Jobs in the database: submitted by the API, claimed by workers, leased, reaped.

The database is the truth about a job; a queue (RQ, or none in the embedded mode) only tells
workers that there is work. A worker claims a job with one conditional UPDATE (queued ->
running, attempt + 1), so a job carried twice by the queue still runs once. While it solves,
the worker renews a lease; :func:`reap` queues again (or fails, after ``attempts`` tries) any
job whose worker stopped renewing it: killed, crashed, or its machine gone.
Every write of a worker names its attempt, so a worker that lost its job cannot overwrite
what the next attempt does.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.storage.models import JobRecord, utcnow

ACTIVE = ("queued", "running")
FINISHED = ("done", "failed", "cancelled")


class QueueFullError(Exception):
    """Too many jobs waiting or running (for the group, or in all)."""


def submit(
    s: Session,
    *,
    group_id: str,
    request: dict[str, Any],
    stops: int,
    time_limit_s: float,
    max_per_group: int,
    max_total: int,
    kind: str = "plan",
    plan_id: str | None = None,
    change: str = "plan",
    note: str = "",
) -> JobRecord:
    active = select(func.count()).select_from(JobRecord).where(JobRecord.status.in_(ACTIVE))
    if (s.scalar(active.where(JobRecord.group_id == group_id)) or 0) >= max_per_group:
        raise QueueFullError(f"your group has {max_per_group} plans waiting or solving already")
    if (s.scalar(active) or 0) >= max_total:
        raise QueueFullError("the server has too many plans waiting; try again in a few minutes")
    job = JobRecord(
        group_id=group_id,
        kind=kind,
        plan_id=plan_id,
        change=change,
        note=note[:500],
        request=json.dumps(request),
        stops=stops,
        time_limit_s=time_limit_s,
        status="queued",
        phase="waiting for a worker",
        assigned=0,
        attempts=0,
        worker="",
        cancel_requested=False,
    )
    s.add(job)
    s.flush()
    return job


def queued_ids(s: Session, limit: int = 100) -> list[str]:
    q = select(JobRecord.id).where(JobRecord.status == "queued")
    return list(s.scalars(q.order_by(JobRecord.created_at).limit(limit)))


def claim(s: Session, job_id: str, worker: str, lease_s: float) -> JobRecord | None:
    """Take a queued job (queued -> running, attempt + 1). None when it is not queued."""
    now = utcnow()
    done = s.execute(
        update(JobRecord)
        .where(JobRecord.id == job_id, JobRecord.status == "queued")
        .values(
            status="running",
            phase="starting",
            attempts=JobRecord.attempts + 1,
            worker=worker[:200],
            started_at=now,
            lease_until=now + timedelta(seconds=lease_s),
        )
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return s.get(JobRecord, job_id, populate_existing=True)


def claim_next(s: Session, worker: str, lease_s: float) -> JobRecord | None:
    """The oldest queued job, claimed; None when there is none (or others took them all)."""
    for job_id in queued_ids(s, 20):
        job = claim(s, job_id, worker, lease_s)
        if job is not None:
            return job
    return None


def _mine(job_id: str, attempt: int) -> Any:
    return (JobRecord.id == job_id, JobRecord.attempts == attempt, JobRecord.status == "running")


def heartbeat(s: Session, job_id: str, attempt: int, lease_s: float) -> str:
    """Renew the lease. Returns "go" (keep solving), "cancel" (stop: cancel asked) or
    "lost" (the job is not ours any more)."""
    done = s.execute(
        update(JobRecord)
        .where(*_mine(job_id, attempt))
        .values(lease_until=utcnow() + timedelta(seconds=lease_s))
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return "lost"
    wanted = s.scalar(select(JobRecord.cancel_requested).where(JobRecord.id == job_id))
    return "cancel" if wanted else "go"


def report(s: Session, job_id: str, attempt: int, **fields: Any) -> bool:
    """Write progress (phase, assigned, objective, stops, time_limit_s) of our attempt."""
    done = s.execute(update(JobRecord).where(*_mine(job_id, attempt)).values(**fields))
    return done.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def finish(s: Session, job_id: str, attempt: int, plan_id: str, version: int) -> bool:
    return report(
        s,
        job_id,
        attempt,
        status="done",
        phase="done",
        finished_at=utcnow(),
        lease_until=None,
        result_plan_id=plan_id,
        result_version=version,
    )


def fail(s: Session, job_id: str, attempt: int, detail: str, problems: list[Any]) -> bool:
    return report(
        s,
        job_id,
        attempt,
        status="failed",
        phase="failed",
        finished_at=utcnow(),
        lease_until=None,
        error=json.dumps({"detail": detail, "problems": problems}),
    )


def cancelled(s: Session, job_id: str, attempt: int) -> bool:
    return report(
        s,
        job_id,
        attempt,
        status="cancelled",
        phase="cancelled",
        finished_at=utcnow(),
        lease_until=None,
    )


def cancel(s: Session, job: JobRecord) -> None:
    """Cancel a job: at once when it waits; a running one is stopped by its worker."""
    if job.status == "queued":
        done = s.execute(
            update(JobRecord)
            .where(JobRecord.id == job.id, JobRecord.status == "queued")
            .values(status="cancelled", phase="cancelled", finished_at=utcnow())
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            s.refresh(job)  # a worker claimed it meanwhile: ask that worker to stop
    if job.status == "running":
        job.cancel_requested = True
    s.flush()
    s.refresh(job)


def reap(s: Session, max_attempts: int, now: datetime | None = None) -> tuple[list[str], list[str]]:
    """Jobs whose worker stopped renewing its lease: queued again, or failed after
    ``max_attempts`` starts (cancelled, when a cancel was asked). Returns (requeued, failed)."""
    now = now or utcnow()
    stale = list(
        s.scalars(
            select(JobRecord).where(JobRecord.status == "running", JobRecord.lease_until < now)
        )
    )
    requeued: list[str] = []
    failed: list[str] = []
    for job in stale:
        base = (JobRecord.id == job.id, JobRecord.attempts == job.attempts)
        stmt = update(JobRecord).where(*base, JobRecord.status == "running")
        if job.cancel_requested:
            values: dict[str, Any] = {"status": "cancelled", "phase": "cancelled"}
        elif job.attempts >= max_attempts:
            values = {
                "status": "failed",
                "phase": "failed",
                "error": json.dumps(
                    {
                        "detail": f"the worker solving this plan stopped ({job.attempts} "
                        "times: killed, out of memory, or its machine went away); the plan "
                        "may be too large for the workers: try fewer stops or a shorter "
                        "time limit",
                        "problems": [],
                    }
                ),
            }
        else:
            values = {"status": "queued", "phase": "waiting for a worker (restarted)"}
        values.update(lease_until=None, worker="", finished_at=None)
        if values["status"] != "queued":
            values["finished_at"] = now
        if s.execute(stmt.values(**values)).rowcount == 1:  # type: ignore[attr-defined]
            (requeued if values["status"] == "queued" else failed).append(job.id)
    return requeued, failed


def job_for_group(s: Session, group_id: str, job_id: str) -> JobRecord | None:
    job = s.get(JobRecord, job_id) if len(job_id) <= 32 else None
    return job if job is not None and job.group_id == group_id else None


def release(s: Session, job_id: str, attempt: int) -> bool:
    """Give a job back to the queue (its worker is stopping); the start does not count."""
    done = s.execute(
        update(JobRecord)
        .where(*_mine(job_id, attempt))
        .values(
            status="queued",
            phase="waiting for a worker (restarted)",
            attempts=JobRecord.attempts - 1,
            worker="",
            lease_until=None,
        )
    )
    return done.rowcount == 1  # type: ignore[attr-defined, no-any-return]
