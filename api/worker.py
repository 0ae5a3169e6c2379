"""Workers: take a job, solve it in a child process, report progress, store the plan.

One worker process solves one job at a time. It claims the job in the database, then runs
the solve in a forked child (so a cancel can stop it at once, and a crash of the solver
cannot take the worker down) and, while the child works, renews its lease every second and
watches for a cancel. The child writes progress (phase, seconds, stops placed, best cost)
and, at the end, the plan: both only while the job is still this attempt's.

Two ways to get work, one code path to do it:

- embedded (``aidroute serve`` starts ``AIDROUTE_WORKERS`` of these): :func:`run_embedded`
  polls the database for queued jobs;
- distributed (``AIDROUTE_QUEUE_URL=redis://...``): ``aidroute worker`` runs an RQ worker
  whose jobs call :func:`rq_job` with our job's id (see :mod:`api.queue`).

Either way every worker also reaps: a job whose worker stopped renewing its lease (SIGKILL,
out of memory, machine gone) is queued again, or failed with the reason after
``AIDROUTE_JOB_ATTEMPTS`` starts, within ``AIDROUTE_JOB_LEASE_S`` plus a few seconds.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import signal
import socket
import time
from datetime import timedelta
from typing import Any

from api.settings import Settings
from api.storage import jobs as jobstore
from api.storage.engine import Database
from api.storage.models import JobRecord, PlanRecord, utcnow

log = logging.getLogger("aidroute.worker")

#: Seconds between two progress writes of a solve (phases are written at once).
PROGRESS_EVERY_S = 0.5
#: Seconds between two reaps of a worker with nothing to do.
REAP_EVERY_S = 2.0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _store_result(
    db: Database,
    job: JobRecord,
    attempt: int,
    body: dict[str, Any],
    where: tuple[str, str],
    settings: Settings,
) -> None:
    """Store the plan (a new plan, published, or a new draft version) and mark the job done,
    in one transaction, only while the job is still this attempt's."""
    from datetime import date

    from api.storage.plans import add_version, create_plan, publish
    from api.storage.roster import remember_households

    request = json.loads(job.request or "{}")
    plan_request = request.get("plan", {})
    day = date.fromisoformat(body["date"]) if body.get("date") else None
    try:
        with db.session() as s:
            if job.kind == "version" and job.plan_id:
                plan = s.get(PlanRecord, job.plan_id)
                if plan is None or plan.purged_at is not None:
                    raise LookupError("the plan this edit was for is gone")
                version = add_version(s, plan, body, plan_request, job.change, job.note)
            else:
                plan = create_plan(
                    s,
                    group_id=job.group_id,
                    area=where[0],
                    privacy=where[1],
                    day=day,
                    retention_days=settings.retention_days,
                    week_id=_week_of(s, job.group_id, request.get("week_id")),
                )
                version = add_version(s, plan, body, plan_request, "plan", job.note)
                publish(s, plan, version.number)
                # In a savepoint, again on a collision with another worker's same household.
                remember_households(s, job.group_id, day, body)
            if not jobstore.finish(s, job.id, attempt, plan.id, version.number):
                raise _NotOursError
    except _NotOursError:
        return  # the job is not ours any more: nothing stored


def _week_of(s: Any, group_id: str, week_id: Any) -> str | None:
    """The week a new plan is for, when it is still the group's."""
    from api.storage.models import WeekRecord

    week = s.get(WeekRecord, week_id) if isinstance(week_id, str) and week_id else None
    return week.id if week is not None and week.group_id == group_id else None


class _NotOursError(Exception):
    """Raised to roll back a result whose job another attempt owns now."""


def solve_in_child(settings: Settings, job_id: str, attempt: int) -> None:
    """The child's work: prepare, solve, store. Failures are written on the job."""
    from api.planning import Base, prepare, solve
    from api.schemas import PlanCreate
    from routing.errors import AidrouteError, InputError

    db = Database(settings.db_url())
    last = [0.0]

    def write(**fields: Any) -> None:
        with db.session() as s:
            jobstore.report(s, job_id, attempt, **fields)

    def on_phase(name: str) -> None:
        write(phase=name[:100])

    def progress(p: Any) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_S:
            last[0] = now
            write(assigned=p.assigned, objective=int(p.objective))

    try:
        with db.reader() as s:
            job = s.get(JobRecord, job_id)
            assert job is not None
            request = json.loads(job.request or "{}")
            body = PlanCreate.model_validate(request["plan"])
            base = Base(**request["base"]) if request.get("base") else None
            on_phase("checking the request")
            prepared = prepare(s, job.group_id, body, settings, base)
        write(
            stops=len(prepared.week.problem.stops),
            time_limit_s=float(prepared.week.options.time_limit_s or 0),
        )
        plan_body = solve(prepared, progress=progress, on_phase=on_phase)
        on_phase("storing the plan")
        where = (prepared.area_name, prepared.privacy)
        _store_result(db, job, attempt, plan_body, where, settings)
    except InputError as e:
        with db.session() as s:
            jobstore.fail(s, job_id, attempt, str(e), [p.to_dict() for p in e.problems])
    except (AidrouteError, LookupError) as e:
        with db.session() as s:
            jobstore.fail(s, job_id, attempt, str(e), [])
    except Exception as e:  # reported on the job, never lost in a process
        log.exception("job %s failed", job_id)
        with db.session() as s:
            jobstore.fail(s, job_id, attempt, f"internal error: {type(e).__name__}: {e}", [])
    finally:
        db.dispose()


def _die_with_parent() -> None:
    """Linux: the kernel kills this process when the worker that forked it dies (SIGKILL
    included), so a killed worker leaves no solve running unseen."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _child_main(settings: Settings, job_id: str, attempt: int) -> None:
    os.setpgid(0, 0)  # its own process group: a cancel stops the solver's helpers too
    _die_with_parent()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    solve_in_child(settings, job_id, attempt)


def _preload(job: JobRecord | None, settings: Settings) -> None:
    """Load the job's area (or the default one) here, once per worker: every forked solve
    then has it at once."""
    from api.planning import get_area, get_geocoder
    from routing.model import LatLon
    from routing.roads.matrix import travel_matrix

    try:
        name = json.loads(job.request or "{}").get("plan", {}).get("area") if job else None
        get_geocoder(name or settings.default_area)
        area = get_area(name or settings.default_area)
        # The first travel-time matrix of a process loads the compiled kernels and builds the
        # road network's shortcuts: done here once, every forked solve inherits them.
        rows = area.addresses.head(2)
        places = {
            str(i): LatLon(float(r.lat), float(r.lon)) for i, r in enumerate(rows.itertuples())
        }
        for profile in area.roads:
            travel_matrix(area.graph(profile), places)
    except Exception:  # the child reports a bad area on the job
        return


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


#: Set by SIGTERM: the worker is asked to stop (systemd stop, a restart of serve).
_STOP = {"asked": False}


def _on_sigterm(previous: Any) -> Any:
    def handler(signum: int, frame: Any) -> None:
        _STOP["asked"] = True
        if callable(previous):  # RQ's own handler: stop after this job
            previous(signum, frame)

    return handler


def run_job(db: Database, job: JobRecord, settings: Settings, parent_pid: int | None = None) -> str:
    """Solve a claimed job in a child process while renewing its lease; returns how it ended:
    "done", "failed", "cancelled", "lost" (another attempt owns it), "released" (this worker
    was asked to stop: the job waits for another) or "orphaned"."""
    attempt = job.attempts
    _preload(job, settings)
    with db.session() as s:  # loading an area can take seconds: renew the claim first
        if jobstore.heartbeat(s, job.id, attempt, settings.job_lease_s) == "lost":
            return "lost"
    ctx = multiprocessing.get_context("fork")
    db.dispose()  # the child opens its own connections
    child = ctx.Process(target=_child_main, args=(settings, job.id, attempt), daemon=False)
    child.start()
    previous = signal.signal(signal.SIGTERM, _on_sigterm(signal.getsignal(signal.SIGTERM)))
    ended = "running"
    try:
        while child.is_alive():
            child.join(timeout=1.0)
            if not child.is_alive():
                break
            if _STOP["asked"]:
                _kill_group(child.pid or 0)
                with db.session() as s:
                    jobstore.release(s, job.id, attempt)
                ended = "released"
                break
            if parent_pid is not None and os.getppid() != parent_pid:
                ended = "orphaned"  # the server that started us is gone
                break
            with db.session() as s:
                state = jobstore.heartbeat(s, job.id, attempt, settings.job_lease_s)
            if state == "cancel":
                _kill_group(child.pid or 0)
                with db.session() as s:
                    jobstore.cancelled(s, job.id, attempt)
                ended = "cancelled"
                break
            if state == "lost":
                ended = "lost"
                break
    finally:
        signal.signal(signal.SIGTERM, previous)
        if child.is_alive():
            _kill_group(child.pid or 0)
        child.join(timeout=5)
    if ended != "running":
        return ended
    with db.session() as s:
        current = s.get(JobRecord, job.id, populate_existing=True)
        if current is not None and current.status == "running" and current.attempts == attempt:
            # The child died without a word (killed, out of memory): let the reaper decide
            # between another attempt and failing it.
            current.lease_until = utcnow() - timedelta(seconds=1)
            current.phase = f"solver process ended (exit code {child.exitcode})"
        else:
            return current.status if current is not None else "lost"
    reap(db, settings)
    return "crashed"


def reap(db: Database, settings: Settings) -> list[str]:
    """Queue again (or fail) jobs whose worker stopped renewing its lease; returns the ids
    queued again (a queue must carry them to a worker again)."""
    with db.session() as s:
        requeued, failed = jobstore.reap(s, settings.job_attempts)
    for job_id in failed:
        log.warning("job %s failed: its worker kept stopping", job_id)
    return requeued


def run_embedded(settings: Settings, parent_pid: int | None = None, once: bool = False) -> None:
    """Poll the database for queued jobs and solve them, one at a time, until stopped (or
    until the parent process is gone)."""
    db = Database(settings.db_url())
    name = worker_name()
    last_reap = 0.0
    _preload(None, settings)
    log.info("worker %s polling %s", name, db.engine.url.render_as_string(hide_password=True))
    signal.signal(signal.SIGTERM, _on_sigterm(None))
    while True:
        if _STOP["asked"] or (parent_pid is not None and os.getppid() != parent_pid):
            return
        if time.monotonic() - last_reap > REAP_EVERY_S:
            reap(db, settings)
            last_reap = time.monotonic()
        with db.session() as s:
            job = jobstore.claim_next(s, name, settings.job_lease_s)
        if job is not None:
            run_job(db, job, settings, parent_pid)
            continue
        if once:
            return
        time.sleep(0.3)


def rq_job(job_id: str) -> str:
    """What an RQ worker runs for one queued message: claim our job and solve it."""
    from api.settings import get_settings

    settings = get_settings()
    db = _rq_db(settings)
    with db.session() as s:
        job = jobstore.claim(s, job_id, worker_name(), settings.job_lease_s)
        known = job is not None or s.get(JobRecord, job_id) is not None
    if not known:  # serve's sweep sends it again, to a worker of the right database
        log.error(
            "job %s is not in this worker's database (%s): set AIDROUTE_DATABASE_URL as "
            "aidroute serve has it",
            job_id,
            db.engine.url.render_as_string(hide_password=True),
        )
        return "not in this worker's database"
    if job is None:
        return "not queued (already taken, finished or cancelled)"
    return run_job(db, job, settings)


_DB: dict[str, Database] = {}


def _rq_db(settings: Settings) -> Database:
    url = settings.db_url()
    if url not in _DB:
        _DB[url] = Database(url)
    return _DB[url]


def run_rq(settings: Settings, burst: bool = False) -> None:
    """An RQ worker on ``AIDROUTE_QUEUE_URL``: takes job ids, solves them one at a time, and
    every few seconds reaps jobs of workers that stopped and re-sends lost messages."""
    from rq import SimpleWorker

    from api.queue import RedisQueue, reap_and_resend
    from routing.errors import InputError, InputProblem

    assert settings.queue_url
    queue = RedisQueue(settings.queue_url, settings.max_time_limit_s + 600)
    why = queue.unreachable()
    if why:
        raise InputError(
            InputProblem(
                "AIDROUTE_QUEUE_URL",
                queue.url,
                f"Redis does not answer ({why}): start redis-server there, or correct the URL",
            )
        )
    db = _rq_db(settings)
    _preload(None, settings)

    class Worker(SimpleWorker):
        # SimpleWorker runs our function in this process; run_job forks the solve itself.
        def run_maintenance_tasks(self) -> None:
            super().run_maintenance_tasks()
            try:
                reap_and_resend(db, queue, settings)
            except Exception:  # a database hiccup must not stop the worker
                log.exception("reaping jobs failed")

    worker = Worker(
        [queue.queue],
        connection=queue.redis,
        name=f"aidroute-{worker_name()}",
        worker_ttl=20,
        maintenance_interval=5,
    )
    worker.work(burst=burst, logging_level="WARNING")
