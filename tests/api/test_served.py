"""The service as it runs: `aidroute serve` (uvicorn) on 127.0.0.1 with its worker process
and a real SQLite file. The isolation matrix over HTTP, drivers' links expiring and revoked,
a driver reporting from their link while the dispatcher watches, and the purge, read back
from the database file itself."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from tests.helpers.api import plan_body
from tests.helpers.isolation import check_isolation, seed_group
from tests.helpers.servers import ROOT, serve
from tests.helpers.service import new_member, wait_job

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("served")
    env = {
        "AIDROUTE_HOME": str(tmp / "home"),
        "AIDROUTE_DATABASE": str(tmp / "aidroute.sqlite3"),
        "AIDROUTE_WORKERS": "1",
        "AIDROUTE_LINK_HOURS_AFTER_RUN": "0",
        "AIDROUTE_JOB_LEASE_S": "5",
    }
    settings = Settings(database=tmp / "aidroute.sqlite3")
    a = new_member(settings, "A", "a@example.org")
    b = new_member(settings, "B", "b@example.org")
    with serve(env, tmp / "serve.log") as url:
        yield url, a, b, env, tmp


def _client(url: str, member) -> httpx.Client:
    return httpx.Client(base_url=url, headers=member.auth, timeout=120)


def test_isolation_matrix_over_http(served):
    """Every route of the served OpenAPI document, as group A, against group B's objects."""
    url, a, b, _env, _tmp = served
    ids = seed_group(_client(url, b))
    assert check_isolation(_client(url, a), _client(url, b), ids) >= 25


def test_links_expire_after_the_run_day_and_can_be_revoked(served):
    """Yesterday's run's link no longer opens; today's does until revoked; a re-issued link
    opens and the old one does not."""
    url, a, _b, _env, _tmp = served
    c = _client(url, a)
    body = plan_body(3)
    body["date"] = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    old = c.post("/plans", json=body).json()
    assert httpx.get(old["driver_links"][0]["url"]).status_code == 404
    body["date"] = dt.date.today().isoformat()
    today = c.post("/plans", json=body).json()
    link = today["driver_links"][0]
    page = httpx.get(link["url"])
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    new = c.post(f"/plans/{today['id']}/links/{link['driver_id']}/reissue")
    assert new.status_code == 201
    assert httpx.get(link["url"]).status_code == 404
    assert httpx.get(new.json()["url"]).status_code == 200
    assert c.post(f"/plans/{today['id']}/links/{link['driver_id']}/revoke").status_code == 204
    assert httpx.get(new.json()["url"]).status_code == 404


def test_a_driver_reports_from_the_link_and_the_dispatcher_sees_it_live(served):
    """The driver marks a stop delivered with a note; the dispatcher's event stream and status
    show it; a stop of another driver's route is refused."""
    url, a, _b, _env, _tmp = served
    c = _client(url, a)
    body = plan_body(4)
    body["date"] = dt.date.today().isoformat()
    plan = c.post("/plans", json=body).json()
    link = plan["driver_links"][0]["url"]
    mine = httpx.get(link + "/stops").json()["stops"]
    others = [s["id"] for r in plan["plan"]["routes"] for s in r["stops"]]
    others = [s for s in others if s not in {m["id"] for m in mine}]
    with (
        httpx.Client(base_url=url, headers=a.auth, timeout=30) as watcher,
        watcher.stream("GET", f"/plans/{plan['id']}/status/events") as events,
    ):
        lines = events.iter_lines()
        first = _next_event(lines)
        assert first["counts"]["pending"] == 4
        r = httpx.post(
            link + "/status",
            json={"stop_id": mine[0]["id"], "status": "delivered", "note": "left with neighbour"},
        )
        assert r.status_code == 201
        change = _next_event(lines)
        assert change["stops"] == [
            {**change["stops"][0], "stop_id": mine[0]["id"], "status": "delivered"}
        ]
        assert change["stops"][0]["note"] == "left with neighbour"
    if others:
        bad = httpx.post(link + "/status", json={"stop_id": others[0], "status": "refused"})
        assert bad.status_code == 404
    status = c.get(f"/plans/{plan['id']}/status").json()
    assert status["counts"]["delivered"] == 1
    assert httpx.get(link + "/stops").json()["stops"][0]["status"] == "delivered"


def _next_event(lines) -> dict:
    for line in lines:
        if line.startswith("data: "):
            return json.loads(line[6:])
    raise AssertionError("the event stream ended")


NAMES = ("Zebulon Quixotic", "Ximena Oddlyname")
ADDRESS = "93-22 202nd Street"
PHONE = "555-0177"


def test_purge_leaves_no_name_address_or_phone_in_the_database_file(served):
    """After `aidroute purge`, the database file (and its log) holds no name, address or phone
    of the purged week; the group's counts are still there."""
    url, a, _b, env, _tmp = served
    c = _client(url, a)
    body = plan_body(3)
    body["date"] = dt.date.today().isoformat()
    body["stops"][0].update(name=NAMES[0], phone=PHONE, notes="ring twice")
    plan = c.post("/plans", json=body).json()
    link = plan["driver_links"][0]["url"]
    stop = httpx.get(link + "/stops").json()["stops"][0]["id"]
    httpx.post(link + "/status", json={"stop_id": stop, "status": "not_home", "note": "no answer"})
    week = c.post("/weeks", json={"date": body["date"]}).json()
    upload = c.post(
        "/imports",
        files={"file": ("list.csv", f"Name,Address,Phone\n{NAMES[1]},{ADDRESS},{PHONE}\n")},
        data={"week_id": week["id"]},
    )
    assert upload.status_code == 200
    job = c.post("/jobs", json=body).json()
    assert wait_job(c, job["id"])["status"] == "done"
    database = Path(env["AIDROUTE_DATABASE"])
    assert NAMES[0].encode() in _file_bytes(database)  # the test can fail
    later = (dt.date.today() + dt.timedelta(days=45)).isoformat()
    run = subprocess.run(
        [sys.executable, "-m", "api.cli", "purge", "--as-of", later],
        env={**env, "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    data = _file_bytes(database)
    for secret in (*NAMES, ADDRESS, PHONE, "ring twice", "no answer", "left with neighbour"):
        assert secret.encode() not in data, secret
        assert secret.encode("utf-16-le") not in data, secret
    report = c.get("/groups/me/report").json()
    assert report["purged_plans"] >= 2 and report["stops"] >= 3
    assert report["reported"].get("not_home", 0) >= 1
    assert c.get(f"/plans/{plan['id']}").status_code == 404
    assert httpx.get(link).status_code == 404


def _file_bytes(database: Path) -> bytes:
    time.sleep(0.2)
    out = database.read_bytes()
    for extra in ("-wal", "-journal"):
        path = database.with_name(database.name + extra)
        if path.exists():
            out += path.read_bytes()
    return out
