"""Background planning: /jobs answers at once, reports progress, and ends in a stored plan."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.helpers.api import plan_body


def _wait(client: TestClient, job_id: str, timeout_s: float = 120) -> dict:
    seen = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}").json()
        seen.append(job["status"])
        if job["status"] in ("done", "failed"):
            job["seen"] = seen
            return job
        time.sleep(0.2)
    raise AssertionError(f"job still {seen[-1]} after {timeout_s} s")


def test_job_runs_in_the_background_and_ends_in_a_stored_plan(tmp_path):
    """POST /jobs answers 202 before the solve ends; polling shows it running, then done with
    every stop placed, and the plan is served like any other."""
    client = TestClient(create_app(Settings(database=tmp_path / "p.sqlite3")))
    body = plan_body(8)
    body["options"]["time_limit_s"] = 3
    t0 = time.monotonic()
    r = client.post("/jobs", json=body)
    assert r.status_code == 202 and time.monotonic() - t0 < 3
    job = r.json()
    assert job["status"] in ("queued", "running") and job["stops"] == 8
    assert job["time_limit_s"] == 3
    second = client.post("/jobs", json=plan_body(3)).json()
    assert second["status"] == "queued"  # one solve at a time: it waits for the first
    done = _wait(client, job["id"])
    assert done["status"] == "done", done
    order = ["queued", "running", "done"]
    assert done["seen"] == sorted(done["seen"], key=order.index)  # never goes back
    assert done["assigned"] == 8 and done["objective"] is not None
    plan = client.get(done["plan_url"]).json()
    assert plan["id"] == done["plan_id"] and plan["plan"]["summary"]["assigned"] == 8
    assert _wait(client, second["id"])["status"] == "done"


def test_bad_job_is_refused_at_once_and_unknown_jobs_are_404(tmp_path):
    """A request with a bad window is a 422 before any job exists; an unknown id is 404."""
    client = TestClient(create_app(Settings(database=tmp_path / "p.sqlite3")))
    body = plan_body(2)
    body["stops"][0]["windows"] = ["noon till late"]
    r = client.post("/jobs", json=body)
    assert r.status_code == 422
    assert r.json()["problems"][0]["field"] == "stops[0].windows[0]"
    assert client.get("/jobs/nope").status_code == 404


def test_jobs_need_the_dispatcher_token_when_one_is_set(tmp_path):
    """Jobs reveal plans: behind the same token as /plans."""
    settings = Settings(database=tmp_path / "p.sqlite3", dispatcher_token="t0ken-t0ken-t0ken")
    client = TestClient(create_app(settings))
    assert client.post("/jobs", json=plan_body(2)).status_code == 401
    assert client.get("/jobs/x").status_code == 401


def test_locked_routes_naming_nobody_are_refused_before_the_job(tmp_path):
    """Locks naming an unknown driver or stop, or one stop twice, are a 422 at once."""
    client = TestClient(create_app(Settings(database=tmp_path / "p.sqlite3")))
    body = plan_body(3)
    body["options"]["locked_routes"] = {"ana": ["s0", "zz"], "nobody": ["s1"], "bo": ["s0"]}
    r = client.post("/jobs", json=body)
    assert r.status_code == 422
    got = {(p["field"], p["value"]) for p in r.json()["problems"]}
    assert got == {
        ("options.locked_routes.ana", "zz"),
        ("options.locked_routes.nobody", "nobody"),
        ("options.locked_routes.bo", "s0"),
    }
