"""The seam between the API and the workers: how a stored job reaches a worker.

- :class:`Embedded` (default): nothing to carry. ``aidroute serve`` starts
  ``AIDROUTE_WORKERS`` ``aidroute worker --embedded`` processes that poll the database.
- :class:`RedisQueue` (``AIDROUTE_QUEUE_URL=redis://...``): each job id goes through RQ to
  ``aidroute worker`` processes on any machine sharing the database and the areas.

Why RQ: the queue only has to carry a job id to a free worker. RQ does that on Redis alone
with plain functions named by import path, has no broker set-up or result backend to
configure, few dependencies, and ``rq info`` shows queues and workers to an organiser. What
the queue does not do is keep a job from being lost or run twice: the database does
(:mod:`api.storage.jobs`: claims, leases, reaping), so any message lost with a dead worker or
a restarted Redis is sent again by :meth:`RedisQueue.sweep`.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol
from urllib.parse import urlsplit

from api.settings import Settings
from api.storage import jobs as jobstore
from api.storage.engine import Database
from api.storage.models import JobRecord
from routing.errors import InputError, InputProblem

log = logging.getLogger("aidroute.queue")

QUEUE_NAME = "aidroute"


class JobQueue(Protocol):
    def send(self, job_id: str, attempts: int) -> None:
        """Tell the workers that this job (queued in the database) waits."""

    def sweep(self, db: Database) -> None:
        """Send again what the database says waits but the queue lost."""

    def workers(self) -> int | None:
        """How many workers take jobs from this queue now (None: not known)."""


class Embedded:
    """Workers poll the database: nothing to send."""

    def send(self, job_id: str, attempts: int) -> None:
        return None

    def sweep(self, db: Database) -> None:
        return None

    def workers(self) -> int | None:
        return None  # serve starts and watches its own


def rq_job_id(job_id: str, attempts: int) -> str:
    return f"aidroute-{job_id}-{attempts}"


def _lost(rq_id: str, redis: Any) -> bool:
    """Whether the queue no longer carries a job the database says waits: gone from Redis
    (restarted, expired), or ended there although the job was never claimed (a worker
    set up with another database took the message and could not find the job)."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        message = Job.fetch(rq_id, connection=redis)
    except NoSuchJobError:
        return True
    return message.get_status(refresh=False) in ("finished", "failed", "stopped", "canceled")


def shown_url(url: str) -> str:
    """A Redis URL with its password hidden."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


class RedisQueue:
    """Job ids through RQ on Redis. Redis away is no error: a job waits in the database,
    and :meth:`sweep` sends it once Redis answers again."""

    def __init__(self, url: str, job_timeout_s: float):
        from redis import Redis
        from rq import Queue

        try:
            self.redis = Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
        except ValueError as e:
            raise InputError(
                InputProblem(
                    "AIDROUTE_QUEUE_URL", shown_url(url), f"{e}: write redis://host:6379/0"
                )
            ) from None
        self.url = shown_url(url)
        self.queue = Queue(QUEUE_NAME, connection=self.redis)
        self.timeout = int(job_timeout_s)

    def unreachable(self) -> str:
        """Why Redis does not answer, or "" when it does."""
        from redis.exceptions import RedisError

        try:
            self.redis.ping()
        except RedisError as e:
            return str(e) or type(e).__name__
        return ""

    def send(self, job_id: str, attempts: int) -> None:
        from redis.exceptions import RedisError

        try:
            self.queue.enqueue(
                "api.worker.rq_job",
                job_id,
                job_id=rq_job_id(job_id, attempts),
                job_timeout=self.timeout,
                result_ttl=600,
                failure_ttl=3600,
            )
        except RedisError as e:
            log.warning("job %s waits in the database until Redis answers (%s)", job_id, e)

    def workers(self) -> int | None:
        from redis.exceptions import RedisError
        from rq import Worker

        try:
            return int(Worker.count(connection=self.redis, queue=self.queue))
        except RedisError:
            return None

    def sweep(self, db: Database) -> None:
        from redis.exceptions import RedisError

        with db.reader() as s:
            waiting = list(
                s.query(JobRecord.id, JobRecord.attempts).filter(JobRecord.status == "queued")
            )
        for job_id, attempts in waiting:
            rq_id = rq_job_id(job_id, attempts)
            try:
                lost = _lost(rq_id, self.redis)
            except RedisError as e:
                n = len(waiting)
                log.warning("%d jobs wait in the database until Redis answers (%s)", n, e)
                return
            if lost:
                log.info("sending job %s again (not in the queue)", job_id)
                self.send(job_id, attempts)


#: A queued job's phase while no worker takes jobs from the queue.
NO_WORKER = "waiting: no worker is running (the organiser starts them: aidroute worker)"


def phase_now(job: JobRecord, queue: JobQueue) -> str:
    """The job's phase, saying so when it waits with no worker to take it (none started,
    or all stopped): a dispatcher would otherwise wait for nothing."""
    if job.status == "queued" and queue.workers() == 0:
        return NO_WORKER
    return job.phase


def job_queue(settings: Settings) -> JobQueue:
    if settings.queue_url:
        return RedisQueue(settings.queue_url, settings.max_time_limit_s + 600)
    return Embedded()


def reap_and_resend(db: Database, queue: JobQueue, settings: Settings) -> None:
    """Queue again the jobs of workers that stopped, and send what the queue lost."""
    with db.session() as s:
        requeued, _failed = jobstore.reap(s, settings.job_attempts)
        again = {j.id: j.attempts for j in s.query(JobRecord).filter(JobRecord.id.in_(requeued))}
    for job_id, attempts in again.items():
        queue.send(job_id, attempts)
    queue.sweep(db)
