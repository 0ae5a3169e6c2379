"""What a week is planned with, through the API: hubs placed when they are added (by a
place's name, as the page and --hub take them), and a week planned by several requests at
once on PostgreSQL (two dispatchers of a group, or a double click reaching two server
processes): one job plans it, the others answer 409 naming that job, so the week gets one
plan and one set of drivers' links."""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from api.app import create_app
from tests.helpers.servers import new_database
from tests.helpers.service import client, new_member, settings_for

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def test_requests_at_once_make_one_job_for_the_week(tmp_path, pg_server):
    """Six POST /weeks/{id}/jobs at the same moment: one 202, five 409 naming its job."""
    settings = settings_for(tmp_path, database_url=new_database(pg_server, "week_at_once"))
    member = new_member(settings, "Queens Mutual Aid", "ana@x.org")
    app = create_app(settings)
    c = client(app, member)
    day = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    week = c.post("/weeks", json={"date": day}).json()["id"]
    for kind, name in (("deliveries", "deliveries.csv"), ("drivers", "drivers.csv")):
        files = {"file": (name, (DEMO / name).read_bytes(), "text/csv")}
        r = c.post("/imports", files=files, data={"kind": kind, "week_id": week})
        assert r.status_code == 200, r.text
        for d in r.json().get("drivers", [])[:3]:
            assert c.post("/drivers", json={k: v for k, v in d.items() if v is not None}).is_success
    assert c.post("/hubs", json=json.loads((DEMO / "hub.json").read_text())).is_success

    def plan(_: int) -> tuple[int, str]:
        r = client(app, member).post(f"/weeks/{week}/jobs", json={"options": {"time_limit_s": 1}})
        return r.status_code, r.json().get("id") or r.json()["detail"]

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(plan, range(6)))
    started = [said for code, said in answers if code == 202]
    assert len(started) == 1, answers
    assert sorted(code for code, _ in answers) == [202, 409, 409, 409, 409, 409]
    assert all(f"(job {started[0]})" in said for code, said in answers if code == 409)
    assert [j["id"] for j in c.get("/jobs").json()["data"]] == started


def test_a_hub_is_placed_when_it_is_added(api):
    """POST /hubs with a place's name and no lat/lon places it at once, as the page does;
    a whole street, a name the area does not know, or nothing at all is a 422 naming the
    address, not a surprise at the first plan."""
    r = api.post("/hubs", json={"id": "cf", "address": "Compare Foods"})
    assert r.status_code == 201, r.text
    hub = r.json()["hub"]
    assert hub["name"] == "Compare Foods"
    assert abs(hub["lat"] - 40.7073) < 0.001 and abs(hub["lon"] + 73.7505) < 0.001
    for body in (
        {"id": "street", "address": "Hollis Avenue"},
        {"id": "nowhere", "address": "Zzyzx Quux Bakery"},
        {"id": "nothing"},
    ):
        r = api.post("/hubs", json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["problems"][0]["field"] == "address"
    assert api.get("/hubs").json()["count"] == 1
