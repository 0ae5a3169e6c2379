"""The distributed mode as a coalition runs it: PostgreSQL, Redis, `aidroute serve` with
AIDROUTE_QUEUE_URL and separate `aidroute worker` processes (RQ). Twenty jobs at once all
finish; a worker killed with SIGKILL mid-solve loses no job; a restarted serve loses none;
the API answers quickly while four solves run."""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import time

import httpx
import pytest

from api.settings import Settings
from tests.helpers.api import plan_body
from tests.helpers.servers import aidroute, new_database, redis, serve, stop
from tests.helpers.service import new_member

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def coalition(tmp_path_factory, pg_server):
    tmp = tmp_path_factory.mktemp("coalition")
    with redis(tmp) as queue_url:
        env = {
            "AIDROUTE_HOME": str(tmp / "home"),
            "AIDROUTE_DATABASE_URL": new_database(pg_server, "coalition"),
            "AIDROUTE_QUEUE_URL": queue_url,
            "AIDROUTE_SOLVER_PROCESSES": "1",
            "AIDROUTE_JOB_LEASE_S": "4",
            "AIDROUTE_MAX_JOBS_PER_GROUP": "50",
        }
        member = new_member(Settings(database_url=env["AIDROUTE_DATABASE_URL"]), "A", "a@x.org")
        yield env, member, tmp


class Workers:
    """`aidroute worker` processes, started and stopped by the test."""

    def __init__(self, env: dict[str, str], log):
        self.env, self.log, self.procs = env, log, []

    def start(self, n: int) -> None:
        self.procs += [aidroute(["worker"], self.env, self.log) for _ in range(n)]

    def stop_all(self) -> None:
        for proc in self.procs:  # all asked at once, then each waited for
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            stop(proc)
        self.procs = []


@pytest.fixture
def workers(coalition):
    env, _member, tmp = coalition
    pool = Workers(env, tmp / "workers.log")
    yield pool
    pool.stop_all()


def _submit(c: httpx.Client, n: int, limit_s: float) -> list[str]:
    body = plan_body(6)
    body["options"]["time_limit_s"] = limit_s
    ids = []
    for _ in range(n):
        r = c.post("/jobs", json=body)
        assert r.status_code == 202, r.text
        ids.append(r.json()["id"])
    return ids


def _wait_all(c: httpx.Client, ids: list[str], timeout_s: float) -> dict[str, dict]:
    deadline = time.monotonic() + timeout_s
    done: dict[str, dict] = {}
    while time.monotonic() < deadline and len(done) < len(ids):
        for job_id in ids:
            if job_id not in done:
                job = c.get(f"/jobs/{job_id}").json()
                if job["status"] in ("done", "failed", "cancelled"):
                    done[job_id] = job
        time.sleep(0.5)
    missing = [c.get(f"/jobs/{i}").json() for i in ids if i not in done]
    assert not missing, f"{len(missing)} jobs unfinished after {timeout_s} s: {missing[:2]}"
    return done


def test_twenty_jobs_at_once_all_finish_on_two_workers(coalition, workers):
    env, member, tmp = coalition
    workers.start(2)
    with serve(env, tmp / "serve.log") as url:
        c = httpx.Client(base_url=url, headers=member.auth, timeout=60)
        ids = _submit(c, 20, 1)
        done = _wait_all(c, ids, 240)
        assert [j["status"] for j in done.values()] == ["done"] * 20
        assert len({j["plan_id"] for j in done.values()}) == 20


def test_a_worker_killed_mid_solve_loses_no_job(coalition, workers):
    """SIGKILL the worker solving a job: the other worker takes it after the lease, and it
    ends done on its second attempt."""
    env, member, tmp = coalition
    workers.start(2)
    with serve(env, tmp / "serve.log") as url:
        c = httpx.Client(base_url=url, headers=member.auth, timeout=60)
        (job_id,) = _submit(c, 1, 8)
        deadline = time.monotonic() + 60
        while (job := c.get(f"/jobs/{job_id}").json())["status"] != "running":
            assert time.monotonic() < deadline, job
            time.sleep(0.2)
        time.sleep(1.5)  # mid-solve
        running = c.get(f"/jobs/{job_id}").json()
        assert running["status"] == "running"
        pid = int(_worker_pid(env, job_id))
        assert pid in [p.pid for p in workers.procs]
        os.kill(pid, signal.SIGKILL)
        t0 = time.monotonic()
        done = _wait_all(c, [job_id], 120)[job_id]
        assert done["status"] == "done" and done["attempts"] == 2, done
        assert time.monotonic() - t0 < 60


def _worker_pid(env: dict[str, str], job_id: str) -> str:
    from api.storage.engine import Database
    from api.storage.models import JobRecord

    db = Database(env["AIDROUTE_DATABASE_URL"])
    with db.reader() as s:
        worker = s.get(JobRecord, job_id).worker
    db.dispose()
    return worker.rsplit(":", 1)[1]


def test_a_restarted_serve_loses_no_queued_job(coalition, workers):
    """Jobs queued while no worker runs survive a restart of serve, then all finish."""
    env, member, tmp = coalition
    with serve(env, tmp / "serve.log") as url:
        c = httpx.Client(base_url=url, headers=member.auth, timeout=60)
        ids = _submit(c, 4, 1)
    with serve(env, tmp / "serve.log") as url:
        c = httpx.Client(base_url=url, headers=member.auth, timeout=60)
        assert {c.get(f"/jobs/{i}").json()["status"] for i in ids} == {"queued"}
        workers.start(2)
        done = _wait_all(c, ids, 120)
        assert {j["status"] for j in done.values()} == {"done"}


def test_the_api_answers_quickly_while_four_solves_run(coalition, workers):
    """With four workers each solving, GETs answer in well under a second."""
    env, member, tmp = coalition
    workers.start(4)
    with serve(env, tmp / "serve.log") as url:
        c = httpx.Client(base_url=url, headers=member.auth, timeout=60)
        ids = _submit(c, 4, 12)
        deadline = time.monotonic() + 60
        while sum(c.get(f"/jobs/{i}").json()["status"] == "running" for i in ids) < 4:
            assert time.monotonic() < deadline
            time.sleep(0.3)
        seconds = []
        for i in range(20):
            t0 = time.monotonic()
            assert c.get(f"/jobs/{ids[i % 4]}").status_code == 200
            assert c.get("/plans").status_code == 200
            seconds.append(time.monotonic() - t0)
        assert sum(c.get(f"/jobs/{i}").json()["status"] == "running" for i in ids) == 4
        assert max(seconds) < 1.0 and statistics.median(seconds) < 0.3, seconds
        for job_id in ids:
            c.post(f"/jobs/{job_id}/cancel")
