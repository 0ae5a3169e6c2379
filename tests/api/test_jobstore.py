"""Jobs in the database: one claim wins, leases run out, reaping queues again then fails with
a reason, a stale attempt cannot write; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.storage import jobs
from api.storage.accounts import create_group
from api.storage.engine import Database
from api.storage.migrate import upgrade
from api.storage.models import JobRecord, utcnow


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    upgrade(database.engine)
    yield database
    database.dispose()


def _submit(s, group_id: str, **kw) -> JobRecord:
    return jobs.submit(
        s,
        group_id=group_id,
        request={"plan": {}},
        stops=3,
        time_limit_s=1.0,
        max_per_group=kw.get("max_per_group", 5),
        max_total=kw.get("max_total", 10),
    )


def test_a_job_is_claimed_once_and_a_dead_worker_loses_it(db):
    """Two workers claim one job: one wins. When its lease runs out the job is queued again
    (attempt 2); the first attempt can no longer write; after the last attempt it fails
    with a reason a person can act on."""
    with db.session() as s:
        group, _ = create_group(s, "A", "a@example.org")
        job_id = _submit(s, group.id).id
    with db.session() as s:
        first = jobs.claim(s, job_id, "w1", 30)
        assert first is not None and first.attempts == 1 and first.status == "running"
    with db.session() as s:
        assert jobs.claim(s, job_id, "w2", 30) is None
        assert jobs.heartbeat(s, job_id, 1, 30) == "go"
    past = utcnow() + timedelta(seconds=60)
    with db.session() as s:
        assert jobs.reap(s, max_attempts=2, now=past) == ([job_id], [])
    with db.session() as s:
        assert jobs.heartbeat(s, job_id, 1, 30) == "lost"
        assert jobs.report(s, job_id, 1, phase="solving") is False
        second = jobs.claim_next(s, "w2", 30)
        assert second is not None and second.id == job_id and second.attempts == 2
    with db.session() as s:
        assert jobs.reap(s, max_attempts=2, now=utcnow() + timedelta(seconds=60)) == ([], [job_id])
    with db.reader() as s:
        job = s.get(JobRecord, job_id)
        assert job.status == "failed" and "stopped" in job.error


def test_cancel_and_queue_bounds(db):
    """A waiting job is cancelled at once, a running one asks its worker to stop; a group
    cannot queue more than its share."""
    with db.session() as s:
        group, _ = create_group(s, "A", "a@example.org")
        waiting = _submit(s, group.id)
        running = _submit(s, group.id)
    with db.session() as s:
        assert jobs.claim(s, running.id, "w", 30) is not None
    with db.session() as s:
        jobs.cancel(s, s.get(JobRecord, waiting.id))
        jobs.cancel(s, s.get(JobRecord, running.id))
    with db.session() as s:
        assert s.get(JobRecord, waiting.id).status == "cancelled"
        assert jobs.heartbeat(s, running.id, 1, 30) == "cancel"
        _submit(s, group.id, max_per_group=2)
        with pytest.raises(jobs.QueueFullError):
            _submit(s, group.id, max_per_group=2)
