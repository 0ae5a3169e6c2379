"""Background planning: /jobs answers at once, a worker process solves, progress is reported,
the job ends in a stored plan, and a job can be cancelled."""

from __future__ import annotations

import time

from tests.helpers.api import plan_body
from tests.helpers.service import wait_job


def test_job_runs_in_the_background_and_ends_in_a_stored_plan(api):
    """POST /jobs answers 202 before the solve ends; polling shows it running, then done with
    every stop placed, and the plan is served like any other."""
    body = plan_body(8)
    body["options"]["time_limit_s"] = 3
    t0 = time.monotonic()
    r = api.post("/jobs", json=body)
    assert r.status_code == 202 and time.monotonic() - t0 < 3
    job = r.json()
    assert job["status"] == "queued" and job["stops"] == 8
    assert job["time_limit_s"] == 3
    second = api.post("/jobs", json=plan_body(3)).json()
    assert second["status"] == "queued"  # one worker: it waits for the first
    done = wait_job(api, job["id"])
    assert done["status"] == "done", done
    order = ["queued", "running", "done"]
    assert done["seen"] == sorted(done["seen"], key=order.index)  # never goes back
    assert "running" in done["seen"]
    assert done["assigned"] == 8 and done["objective"] is not None and done["attempts"] == 1
    plan = api.get(done["plan_url"]).json()
    assert plan["id"] == done["plan_id"] and plan["plan"]["summary"]["assigned"] == 8
    assert wait_job(api, second["id"])["status"] == "done"
    listed = api.get("/jobs").json()
    assert {j["id"] for j in listed["data"]} == {job["id"], second["id"]}


def test_bad_job_is_refused_at_once_and_unknown_jobs_are_404(api):
    """A request with a bad window is a 422 before any job exists; an unknown id is 404."""
    body = plan_body(2)
    body["stops"][0]["windows"] = ["noon till late"]
    r = api.post("/jobs", json=body)
    assert r.status_code == 422
    assert r.json()["problems"][0]["field"] == "stops[0].windows[0]"
    assert api.get("/jobs/nope").status_code == 404
    assert api.get("/jobs").json()["count"] == 0


def test_jobs_need_a_dispatcher(service):
    """Jobs reveal plans: no token, no job."""
    from tests.helpers.service import client

    anonymous = client(service.app)
    assert anonymous.post("/jobs", json=plan_body(2)).status_code == 401
    assert anonymous.get("/jobs/x").status_code == 401


def test_a_running_job_is_cancelled_and_its_solver_stopped(api):
    """Cancelling a running 60 s search stops it within seconds; no plan is stored."""
    body = plan_body(10)
    # The whole 60 s: a 10-stop week's plan stops improving within a second.
    body["options"].update(time_limit_s=60, full_time=True)
    job = api.post("/jobs", json=body).json()
    deadline = time.monotonic() + 60
    while api.get(f"/jobs/{job['id']}").json()["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    t0 = time.monotonic()
    assert api.post(f"/jobs/{job['id']}/cancel").status_code == 200
    done = wait_job(api, job["id"], timeout_s=15)
    assert done["status"] == "cancelled" and time.monotonic() - t0 < 10
    assert done["plan_id"] is None and api.get("/plans").json()["count"] == 0
    queued = api.post("/jobs", json=plan_body(2)).json()
    # A waiting job is cancelled at once (the worker is free again, so be quick about it).
    cancelled = api.post(f"/jobs/{queued['id']}/cancel").json()
    assert cancelled["status"] in ("cancelled", "running")


def test_locked_routes_naming_nobody_are_refused_before_the_job(api):
    """Locks naming an unknown driver or stop, or one stop twice, are a 422 at once."""
    body = plan_body(3)
    body["options"]["locked_routes"] = {"ana": ["s0", "zz"], "nobody": ["s1"], "bo": ["s0"]}
    r = api.post("/jobs", json=body)
    assert r.status_code == 422
    got = {(p["field"], p["value"]) for p in r.json()["problems"]}
    assert got == {
        ("options.locked_routes.ana", "zz"),
        ("options.locked_routes.nobody", "nobody"),
        ("options.locked_routes.bo", "s0"),
    }
