"""Edits and versions: each edit a new draft version re-planned with minimal change on a
worker; publishing makes it what drivers' links show and lists the drivers to tell; the
drivers' links stay the same; households remember their drivers for next week."""

from __future__ import annotations

from tests.helpers.api import plan_body
from tests.helpers.service import wait_job


def _stops(plan: dict) -> dict[str, str]:
    return {s["id"]: r["driver_id"] for r in plan["routes"] for s in r["stops"]}


def _edit(api, plan_id: str, **edit) -> dict:
    r = api.post(f"/plans/{plan_id}/edits", json={"time_limit_s": 1, **edit})
    assert r.status_code == 202, r.text
    job = wait_job(api, r.json()["id"])
    assert job["status"] == "done", job
    return job


def test_edits_make_versions_and_publishing_tells_who_changed(api):
    """Move a stop, add a late one, remove one, change hours, mark a driver unavailable:
    versions 2..6, each planned from the one before; the published version stays 1 until
    version 6 is published, and the drivers whose stops changed are named; every driver's
    link is the one they had."""
    out = api.post("/plans", json=plan_body(6)).json()
    plan_id, links = out["id"], {x["driver_id"]: x["url"] for x in out["driver_links"]}
    before = _stops(out["plan"])
    stop = next(iter(before))
    other = "bo" if before[stop] == "ana" else "ana"
    job = _edit(api, plan_id, change="move", stop_id=stop, driver_id=other)
    assert job["version"] == 2 and job["plan_id"] == plan_id
    v2 = api.get(f"/plans/{plan_id}/versions/2/plan").json()
    assert _stops(v2)[stop] == other
    moved = sum(before[k] != _stops(v2).get(k) for k in before)
    assert moved <= 2  # the move, and little else
    late = plan_body(7)["stops"][6]
    late["id"] = "late"
    assert _edit(api, plan_id, change="add_stop", stop=late)["version"] == 3
    assert "late" in _stops(api.get(f"/plans/{plan_id}/versions/3/plan").json())
    assert _edit(api, plan_id, change="remove_stop", stop_id="s5")["version"] == 4
    assert _edit(api, plan_id, change="driver_hours", driver_id="ana", shift="09:00-11:00")
    assert _edit(api, plan_id, change="unavailable", driver_id="bo")["version"] == 6
    v6 = api.get(f"/plans/{plan_id}/versions/6/plan").json()
    assert set(_stops(v6).values()) <= {"ana"} and "s5" not in _stops(v6)
    # Drafts do not reach drivers until published.
    assert api.get(f"/plans/{plan_id}").json()["published_version"] == 1
    versions = api.get(f"/plans/{plan_id}/versions").json()["data"]
    assert [v["number"] for v in versions] == [1, 2, 3, 4, 5, 6]
    assert [v["change"] for v in versions][1:] == [
        "move", "add_stop", "remove_stop", "driver_hours", "unavailable",
    ]  # fmt: skip
    assert versions[5]["changed_drivers"]  # differs from what drivers were shown
    published = api.post(f"/plans/{plan_id}/versions/6/publish").json()
    assert "bo" in published["changed_drivers"] and published["version"] == 6
    assert {x["driver_id"]: x["url"] for x in published["driver_links"]}.items() <= links.items()
    bo_page = api.get(links["bo"])
    assert bo_page.status_code == 200 and "No stops for you" in bo_page.text
    ana_stops = api.get(links["ana"] + "/stops").json()["stops"]
    assert {s["id"] for s in ana_stops} == set(_stops(v6))


def test_bad_edits_are_422_and_reoptimise_keeps_routes(api):
    """An edit naming nobody is refused at once; re-optimising moves nothing needlessly."""
    out = api.post("/plans", json=plan_body(5)).json()
    plan_id = out["id"]
    r = api.post(
        f"/plans/{plan_id}/edits", json={"change": "move", "stop_id": "zz", "driver_id": "ana"}
    )
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "stop_id"
    r = api.post(
        f"/plans/{plan_id}/edits",
        json={"change": "driver_hours", "driver_id": "nobody", "shift": "09:00-10:00"},
    )
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "driver_id"
    _edit(api, plan_id, change="reoptimise")
    again = api.get(f"/plans/{plan_id}/versions/2/plan").json()
    assert _stops(again) == _stops(out["plan"])


def test_households_remember_their_driver_for_next_week(api):
    """A published plan records each household's driver; next week's plan prefers them."""
    first = api.post("/plans", json=plan_body(4)).json()
    households = api.get("/households").json()
    assert households["count"] == 4
    drivers = {h["fields"]["address"]: h["drivers"][-1][1] for h in households["data"]}
    assert drivers == {
        s["address"]: r["driver_id"] for r in first["plan"]["routes"] for s in r["stops"]
    }
    assert all(h["last_delivery"] == first["plan"]["date"] for h in households["data"])
