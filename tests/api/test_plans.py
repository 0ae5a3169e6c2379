"""The /plans API through TestClient, on the bundled Queens Village area and a real SQLite file."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import urljoin

from pypdf import PdfReader

from api.app import create_app
from tests.helpers.api import plan_body
from tests.helpers.service import client


def test_post_plan_stores_it_and_every_stop_is_accounted_for(api):
    """POST /plans answers 201 with the plan; each stop is in one route or unassigned."""
    client = api
    body = plan_body()
    r = client.post("/plans", json=body)
    assert r.status_code == 201, r.text
    out = r.json()
    plan = out["plan"]
    ids = [s["id"] for route in plan["routes"] for s in route["stops"]]
    ids += [u["id"] for u in plan["unassigned"]]
    assert sorted(ids) == sorted(s["id"] for s in body["stops"])
    assert client.get(f"/plans/{out['id']}").json()["plan"] == plan
    listing = client.get("/plans").json()
    assert listing["count"] == 1 and listing["data"][0]["id"] == out["id"]


def test_plan_pages_render_and_a_driver_link_shows_only_their_stops(api):
    """The overview map and manifests are HTML; a driver's token page hides others' stops."""
    client = api
    out = client.post("/plans", json=plan_body()).json()
    assert "leaflet" in client.get(f"/plans/{out['id']}/map").text.lower()
    routes = [r for r in out["plan"]["routes"] if r["stops"]]
    assert len(routes) >= 1
    first = routes[0]
    manifest = client.get(f"/plans/{out['id']}/drivers/{first['driver_id']}/manifest")
    assert manifest.status_code == 200
    assert first["stops"][0]["name"] in manifest.text
    link = next(link for link in out["driver_links"] if link["driver_id"] == first["driver_id"])
    page = client.get(link["url"])
    assert page.status_code == 200
    mine = {s["name"] for s in first["stops"]}
    others = {s["name"] for r in routes[1:] for s in r["stops"]}
    assert all(name in page.text for name in mine)
    assert not any(f">{name}<" in page.text for name in others - mine)
    assert client.get("/d/not-a-token").status_code == 404


def test_plan_survives_a_restart(api, service, member):
    """A new app on the same database file still serves the plan and the drivers' links."""
    out = api.post("/plans", json=plan_body(4)).json()
    again = client(create_app(service.settings), member)
    assert again.get(f"/plans/{out['id']}").json()["plan"] == out["plan"]
    assert again.get(out["driver_links"][0]["url"]).status_code == 200


def test_bad_input_answers_422_naming_the_field(api):
    """A shift ending before it starts and a latitude of 200 are both named."""
    client = api
    body = plan_body(3)
    body["drivers"][0]["shift"] = "13:00-09:00"
    r = client.post("/plans", json=body)
    assert r.status_code == 422
    (problem,) = r.json()["problems"]
    assert (problem["field"], problem["value"]) == ("drivers[0].shift", "13:00-09:00")
    assert "before" in problem["reason"] or "after" in problem["reason"]
    body = plan_body(3)
    body["stops"][1]["lat"] = 200
    r = client.post("/plans", json=body)
    assert r.status_code == 422
    assert r.json()["problems"][0]["field"] == "stops.1.lat"


def test_unknown_plan_and_unknown_area_are_clear_errors(api):
    """A missing plan is 404; an area nobody imported is 422 with a message, not 500."""
    client = api
    assert client.get("/plans/nope").status_code == 404
    body = plan_body(2)
    body["area"] = "atlantis"
    r = client.post("/plans", json=body)
    assert r.status_code == 422
    assert "atlantis" in r.json()["detail"]


def test_delete_plan_forgets_it(api):
    """DELETE removes the plan and its driver links at once."""
    client = api
    out = client.post("/plans", json=plan_body(3)).json()
    assert client.delete(f"/plans/{out['id']}").status_code == 204
    assert client.get(f"/plans/{out['id']}").status_code == 404
    assert client.get(out["driver_links"][0]["url"]).status_code == 404


def test_dispatcher_privacy_choice_reaches_the_drivers_link(api):
    """With privacy 'initials', a driver's link shows initials, not the neighbours' full names;
    with 'no_phone', no phone number appears on it."""
    client = api
    body = plan_body(4)
    body["privacy"] = "initials"
    out = client.post("/plans", json=body).json()
    assert out["privacy"] == "initials"
    route = next(r for r in out["plan"]["routes"] if r["stops"])
    link = next(x for x in out["driver_links"] if x["driver_id"] == route["driver_id"])
    page = client.get(link["url"]).text
    assert not any(s["name"] in page for s in route["stops"])
    body["privacy"] = "no_phone"
    out = client.post("/plans", json=body).json()
    route = next(r for r in out["plan"]["routes"] if r["stops"])
    link = next(x for x in out["driver_links"] if x["driver_id"] == route["driver_id"])
    page = client.get(link["url"]).text
    phones = {s["phone"] for s in body["stops"]}
    assert not any(p in page for p in phones)
    assert any(s["name"] in page for s in route["stops"])


def test_driver_link_offers_own_gpx_and_manifest(api):
    """From a driver's link: their GPX has their stops as waypoints; their manifest lists them."""
    client = api
    out = client.post("/plans", json=plan_body(6)).json()
    route = next(r for r in out["plan"]["routes"] if r["stops"])
    link = next(x for x in out["driver_links"] if x["driver_id"] == route["driver_id"])
    page = client.get(link["url"]).text
    assert link["url"] + "/route.gpx" in page and link["url"] + "/manifest" in page
    gpx = client.get(link["url"] + "/route.gpx")
    assert gpx.status_code == 200 and gpx.headers["content-type"].startswith("application/gpx")
    assert gpx.text.count("<wpt") >= len(route["stops"])
    manifest = client.get(link["url"] + "/manifest").text
    assert all(s["name"] in manifest for s in route["stops"])


def test_impossible_or_past_dates_and_unknown_pins(api):
    """Date 2026-13-45 is a 422 on `date`; a past date keeps the plan (retention counts from
    now at least); a stop pinned to a driver nobody has is a 422 naming stops[i].driver."""
    client = api
    body = plan_body(2)
    body["date"] = "2026-13-45"
    r = client.post("/plans", json=body)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "date"
    body["date"] = (dt.date.today() - dt.timedelta(days=300)).isoformat()  # past retention
    out = client.post("/plans", json=body).json()
    assert client.get(f"/plans/{out['id']}").status_code == 200
    body["date"] = "9999-12-31"  # would outlive retention: refused
    r = client.post("/plans", json=body)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "date"
    body = plan_body(2)
    body["stops"][1]["driver"] = "nobody"
    r = client.post("/plans", json=body)
    assert r.status_code == 422
    assert [p["field"] for p in r.json()["problems"]] == ["stops[1].driver"]
    body = plan_body(2)
    body["drivers"][0]["shift"] = "nine till late"
    r = client.post("/plans", json=body)
    assert r.status_code == 422
    assert r.json()["problems"][0]["field"] == "drivers[0].shift"


def test_hub_outside_the_area_is_a_422(api):
    """A hub at 0,0 is refused with a message naming the distance, not planned."""
    client = api
    body = plan_body(2)
    body["hubs"][0].update(lat=0.0, lon=0.0)
    r = client.post("/plans", json=body)
    assert r.status_code == 422
    assert "km from the nearest road" in r.json()["problems"][0]["reason"]


def _drivers_of(plan: dict) -> dict[str, str]:
    return {s["id"]: r["driver_id"] for r in plan["routes"] for s in r["stops"]}


def test_options_fewest_drivers_locks_and_replanning(api):
    """minimize_drivers uses one car where balance uses two; a locked route is kept exactly;
    re-planning against a stored plan after adding a stop keeps the others' drivers."""
    client = api
    body = plan_body(6)
    for d in body["drivers"]:
        d["capacity_boxes"] = 20  # one car could take everything
    balanced = client.post("/plans", json=body).json()
    assert len([r for r in balanced["plan"]["routes"] if r["stops"]]) == 2
    body["options"]["minimize_drivers"] = True
    fewest = client.post("/plans", json=body).json()["plan"]
    assert len([r for r in fewest["routes"] if r["stops"]]) == 1

    body = plan_body(6)
    body["options"]["locked_routes"] = {"bo": ["s3", "s1"]}
    locked = client.post("/plans", json=body).json()["plan"]
    bo = next(r for r in locked["routes"] if r["driver_id"] == "bo")
    assert [s["id"] for s in bo["stops"]] == ["s3", "s1"]

    body = plan_body(6)
    first = client.post("/plans", json=body).json()
    extra = plan_body(7)["stops"][6]
    body["stops"].append(extra)
    body["options"]["previous_plan_id"] = first["id"]
    again = client.post("/plans", json=body).json()["plan"]
    before, after = _drivers_of(first["plan"]), _drivers_of(again)
    assert sum(before[k] != after.get(k) for k in before) <= 1
    # What changed is part of the stored plan: the new stop was added to someone's route.
    assert first["plan"]["changes"] is None
    told = {c["driver_id"] for c in again["changes"]["drivers"]}
    assert extra["id"] in [h["id"] for c in again["changes"]["drivers"] for h in c["added"]]
    assert told.isdisjoint(again["changes"]["unchanged"])
    body["options"]["previous_plan_id"] = "nope"
    r = client.post("/plans", json=body)
    assert r.status_code == 422
    assert r.json()["problems"][0]["field"] == "options.previous_plan_id"


def test_driver_ids_are_checked_as_requested(api):
    """Two drivers with one id are named; a pin to a driver whose shift is bad reports only
    the shift, not a second, misleading 'no driver' problem."""
    client = api
    body = plan_body(2)
    body["drivers"][1]["id"] = "ana"
    r = client.post("/plans", json=body)
    assert r.status_code == 422
    assert [(p["field"], p["value"]) for p in r.json()["problems"]] == [("drivers[1].id", "ana")]
    body = plan_body(2)
    body["drivers"][0]["shift"] = "13:00-09:00"
    body["stops"][0]["driver"] = "ana"
    r = client.post("/plans", json=body)
    assert [p["field"] for p in r.json()["problems"]] == ["drivers[0].shift"]


def test_service_time_follows_the_spreadsheet_rule_unless_given(api):
    """JSON stops get 3 min + 1 per box (+5 with stairs) at the door, or the minutes given."""
    client = api
    body = plan_body(3)
    body["stops"][0].update(boxes=2, stairs=True)
    body["stops"][1].update(boxes=1, service_min=12)
    body["stops"][2].update(boxes=3)
    stops = client.post("/plans", json=body).json()["plan"]["problem"]["stops"]
    assert [s["service_min"] for s in stops] == [10, 12, 6]


def test_served_pages_load_every_asset_from_this_server(api):
    """Every script and stylesheet of the API's map and driver pages is served by the API
    itself (no CDN): each local src/href answers 200."""
    import re

    client = api
    out = client.post("/plans", json=plan_body(3)).json()
    pages = [f"/plans/{out['id']}/map", out["driver_links"][0]["url"]]
    for page in pages:
        html = client.get(page).text
        assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        assert assets, page
        for url in assets:
            assert not re.match(r"(https?:)?//", url) or url.startswith("http://127.0.0.1/"), url
            if url.startswith("/static/"):
                assert client.get(url).status_code == 200, url


def test_the_time_limit_is_a_cap_unless_full_time_is_asked(api):
    """By default a small week's search ends before its limit, once the plan stops
    improving; ``options.full_time`` has it search for the whole limit."""
    client = api
    body = plan_body(10)
    body["options"]["time_limit_s"] = 30
    stats = client.post("/plans", json=body).json()["plan"]["stats"]
    assert stats["stopped"] == "stalled" and stats["search_s"] < 30
    body["options"] = {"time_limit_s": 1.5, "full_time": True}
    stats = client.post("/plans", json=body).json()["plan"]["stats"]
    # Never stopped as stalled; "done" when a busy machine let OR-Tools' own limit (a
    # little past the cap) end a search before the cap was seen.
    assert stats["stopped"] in ("time limit", "done") and stats["search_s"] >= 1.5


def test_manifest_pdfs_are_rendered_when_asked_for_and_the_overview_links_them(api):
    """A PDF manifest is rendered on request, for the dispatcher (by plan and driver) and
    for the driver (from their link), numbered "page 1 of 1"; the overview links each
    driver's page, manifest and PDF, and every link it has opens (issue 13: the slow output
    only where asked for; issue 10: links from the overview)."""
    client = api
    out = client.post("/plans", json=plan_body(6)).json()
    route = next(r for r in out["plan"]["routes"] if r["stops"])
    pdf = client.get(f"/plans/{out['id']}/drivers/{route['driver_id']}/manifest.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert all(s["name"] in text for s in route["stops"]) and "page 1 of 1" in text
    link = next(x for x in out["driver_links"] if x["driver_id"] == route["driver_id"])
    own = client.get(link["url"] + "/manifest.pdf")
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    assert client.get("/d/not-a-token/manifest.pdf").status_code == 404
    assert client.get(f"/plans/{out['id']}/drivers/nobody/manifest.pdf").status_code == 404
    map_url = f"http://127.0.0.1/plans/{out['id']}/map"
    overview = client.get(map_url).text
    hrefs = re.findall(r'<a href="(drivers/[^"]+)"', overview)
    routes = [r for r in out["plan"]["routes"] if r["stops"]]
    assert len(hrefs) == 3 * len(routes)
    for href in hrefs:
        assert client.get(urljoin(map_url, href)).status_code == 200, href
