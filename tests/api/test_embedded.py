"""The embedded mode (`aidroute serve` alone): its worker processes give a job back when the
server stops, a restarted server solves it, and a worker killed mid-solve is replaced and
its job run again."""

from __future__ import annotations

import os
import signal
import time

import pytest

from api.app import create_app
from api.storage.engine import Database
from api.storage.models import JobRecord
from tests.helpers.api import plan_body
from tests.helpers.service import client, new_member, settings_for, wait_job

pytestmark = pytest.mark.slow


def _running(c, job_id: str, timeout_s: float = 60) -> dict:
    deadline = time.monotonic() + timeout_s
    while (job := c.get(f"/jobs/{job_id}").json())["status"] != "running":
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
    return job


def test_stopping_serve_gives_jobs_back_and_a_restart_solves_them(tmp_path):
    settings = settings_for(tmp_path, workers=1, job_lease_s=3)
    member = new_member(settings, "A", "a@example.org")
    body = plan_body(6)
    body["options"]["time_limit_s"] = 30
    with client(create_app(settings), member) as c:
        running = c.post("/jobs", json=body).json()
        waiting = c.post("/jobs", json=plan_body(3)).json()
        _running(c, running["id"])
    # The server stopped: its worker put the running job back, its start not counted.
    db = Database(settings.db_url())
    with db.reader() as s:
        back = s.get(JobRecord, running["id"])
        assert (back.status, back.attempts, back.worker) == ("queued", 0, "")
    db.dispose()
    with client(create_app(settings), member) as c:
        jobs = {j["id"]: j for j in c.get("/jobs").json()["data"]}
        assert jobs[waiting["id"]]["status"] in ("queued", "running", "done")
        assert jobs[running["id"]]["status"] in ("queued", "running")
        c.post(f"/jobs/{running['id']}/cancel")  # no need to wait 30 s for it
        assert wait_job(c, waiting["id"])["status"] == "done"
        assert wait_job(c, running["id"])["status"] == "cancelled"


def test_a_killed_embedded_worker_is_replaced_and_its_job_run_again(tmp_path):
    settings = settings_for(tmp_path, workers=1, job_lease_s=3)
    member = new_member(settings, "A", "a@example.org")
    body = plan_body(6)
    body["options"]["time_limit_s"] = 4
    app = create_app(settings)
    with client(app, member) as c:
        job = c.post("/jobs", json=body).json()
        _running(c, job["id"])
        (pid,) = app.state.pool.pids()
        os.kill(pid, signal.SIGKILL)
        done = wait_job(c, job["id"], timeout_s=90)
        assert done["status"] == "done" and done["attempts"] == 2, done
        assert app.state.pool.pids() != [pid]


def test_links_carry_the_public_address(tmp_path):
    """Behind a proxy, drivers' links and invite links use AIDROUTE_PUBLIC_URL, not the
    address the request came to."""
    public = "https://routes.example.org"
    settings = settings_for(tmp_path, workers=1, public_url=public)
    member = new_member(settings, "A", "a@example.org")
    with client(create_app(settings), member) as c:
        out = c.post("/plans", json=plan_body(3)).json()
        assert out["driver_links"] and all(
            x["url"].startswith(f"{public}/d/") for x in out["driver_links"]
        )
        invite = c.post("/groups/me/invites", json={"email": "b@example.org"}).json()
        assert invite["invite_url"].startswith(f"{public}/invite/")
        assert c.get("/plans", headers={"Host": "routes.example.org"}).status_code == 200
