"""The week page's Plan section through its own requests, as htmx sends them: plan the week
on a real worker (real solver, 1 s of search), watch the progress, apply a suggested fix,
move and pin a stop, undo, publish, the drivers' links, manifests and exports, a driver's
report shown; another group sees none of it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import secrets
import time

import pytest

from api.storage import accounts
from api.storage.engine import Database
from tests.helpers.service import client, new_member
from tests.helpers.web_week import csrf_of, set_up_week
from tests.web.conftest import PASSWORD


def login(app, settings, language: str | None = None):
    tag = secrets.token_hex(4)
    email = f"plan-{tag}@example.org"
    new_member(settings, f"Group {tag}", email)
    db = Database(settings.db_url())
    with db.session() as s:
        accounts.set_password(s, email, PASSWORD)
    db.dispose()
    c = client(app, follow_redirects=False)
    if language:
        c.headers["Accept-Language"] = language
    assert c.post("/login", data={"email": email, "password": PASSWORD}).status_code == 303
    return c


def htmx(c):
    return {"X-CSRF-Token": csrf_of(c), "HX-Request": "true"}


def poll(c, answer, timeout_s: float = 120):
    """Follow the progress bar (as htmx does) until the section answers whole; returns
    (that answer, the progress values seen)."""
    seen = []
    deadline = time.monotonic() + timeout_s
    while "hx-retarget" not in answer.headers:
        assert time.monotonic() < deadline, "still planning"
        bar = re.search(r'id="plan-progress" max="100" value="(\d+)"', answer.text)
        assert bar, answer.text[:2000]
        seen.append(int(bar.group(1)))
        url = re.search(r'id="plan-progress-box" hx-get="([^"]+)"', answer.text).group(1)
        time.sleep(0.3)
        answer = c.get(url.replace("&amp;", "&"), headers={"HX-Request": "true"})
        assert answer.status_code == 200
    return answer, seen


def version_json(c, plan_id: str, number: int) -> dict:
    return c.get(f"/plans/{plan_id}/versions/{number}/plan").json()


def plan_id_of(html: str) -> str:
    return re.search(r"/app/plans/(\w+)/manifests|/plans/(\w+)/map", html).group(2) or ""


@pytest.fixture(scope="module")
def planned(web_service):
    """A week with the demo's deliveries and 4 drivers, planned once: too few drivers, so
    stops are left out with fixes."""
    app, settings = web_service
    c = login(app, settings)
    week = set_up_week(c, drivers=4)
    started = c.post(week["path"] + "/plan", data={"time_limit_s": "1"}, headers=htmx(c))
    assert started.status_code == 200, started.text
    assert "<progress" in started.text and "Stop planning" in started.text
    done, seen = poll(c, started)
    plan_id = re.search(r'/plans/(\w+)/map\?version=1"', done.text).group(1)
    return {"c": c, "week": week, "plan_id": plan_id, "html": done.text, "seen": seen}


def test_planning_shows_progress_then_routes_map_and_left_out_stops(planned):
    """The bar moves while the worker solves; then the routes, the map's data, the stops
    left out with their reason and a fix button; the plan belongs to the week."""
    c, html = planned["c"], planned["html"]
    assert planned["seen"] and planned["seen"][-1] > planned["seen"][0]
    body = version_json(c, planned["plan_id"], 1)
    assert body["summary"]["unassigned"] > 0
    for route in body["routes"]:
        assert route["driver"] in html
    for stop in body["routes"][0]["stops"]:
        assert f'data-stop-status="{stop["id"]}"' in html
    data = json.loads(re.search(r'id="plan-map-data">(.*?)</script>', html, re.S).group(1))
    assert len(data["routes"]) == len(body["routes"])
    assert data["streets"]["ways"], "the background is drawn from the area's own streets"
    placed = {st["id"] for st in body["problem"]["stops"] if st.get("location")}
    assert len(data["unassigned"]) == sum(1 for u in body["unassigned"] if u["id"] in placed)
    assert "stops left out" in html and 'class="primary fix-button"' in html
    week = c.get(f"/weeks/{planned['week']['id']}").json()
    assert week["plan_ids"] == [planned["plan_id"]]
    # The page itself loads the section, with the map's script and stylesheet.
    page = c.get(planned["week"]["path"]).text
    assert 'hx-get="/app/weeks/' in page and "/static/web/plan.js" in page
    assert c.get("/static/web/plan.js").status_code == 200


def test_a_fix_applied_in_one_click_plans_again_as_a_new_version(planned):
    c = planned["c"]
    before = version_json(c, planned["plan_id"], 1)
    form = re.search(
        r'hx-post="(/app/weeks/\w+/plans/\w+/fix)".*?name="stop_id" value="([^"]+)".*?'
        r'class="primary fix-button">([^<]+)<',
        planned["html"],
        re.S,
    )
    url, stop_id, label = form.groups()
    assert "Add a driver from" in label
    started = c.post(url, data={"version": "1", "stop_id": stop_id}, headers=htmx(c))
    assert started.status_code == 200 and "<progress" in started.text
    done, _ = poll(c, started)
    assert "Version 2" in done.text and "Driver added" in done.text
    after = version_json(c, planned["plan_id"], 2)
    assert after["summary"]["unassigned"] < before["summary"]["unassigned"]
    assert any(d["name"] == "Extra driver 1" for d in after["problem"]["drivers"])
    assert "Draft: drivers' links still show version 1" in done.text
    planned["html"] = done.text


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _a_move_that_fits(body: dict):
    """The route with the most time and room to spare, and the stop of another route
    nearest to one of its stops."""
    drivers = {d["id"]: d for d in body["problem"]["drivers"]}

    def slack(r):
        d = drivers[r["driver_id"]]
        return min(_minutes(d["shift"][1]) - _minutes(r["end"]), d["capacity_boxes"] - r["boxes"])

    target = max(body["routes"], key=slack)
    free = {s["id"] for s in body["problem"]["stops"] if not s.get("windows")}
    others = [
        s
        for r in body["routes"]
        if r is not target
        for s in r["stops"]
        if s["boxes"] <= 2 and s["id"] in free
    ]
    stop = min(
        others,
        key=lambda s: min(
            (s["lat"] - t["lat"]) ** 2 + (s["lon"] - t["lon"]) ** 2 for t in target["stops"]
        ),
    )
    return target, stop


def test_move_a_stop_then_undo(web_service):
    """A stop moved to another driver is pinned there in a new version; undo brings back
    the version before as a new version."""
    app, settings = web_service
    c = login(app, settings)
    week = set_up_week(c, drivers=12)  # room to spare: a moved stop fits
    started = c.post(week["path"] + "/plan", data={"time_limit_s": "1"}, headers=htmx(c))
    html, _ = poll(c, started)
    html = html.text
    plan_id = re.search(r'/plans/(\w+)/map\?version=1"', html).group(1)
    n = json.loads(c.get(f"/plans/{plan_id}").text)["latest_version"]
    body = version_json(c, plan_id, n)
    second, stop = _a_move_that_fits(body)
    url = re.search(r'hx-post="(/app/weeks/\w+/plans/\w+/edit)"', html).group(1)
    data = {"version": str(n), "stop_id": stop["id"], "driver_id": second["driver_id"]}
    started = c.post(url, data={**data, "change": "move"}, headers=htmx(c))
    done, _ = poll(c, started)
    moved = version_json(c, plan_id, n + 1)
    assert "Stop moved" in done.text
    n += 1
    pinned = json.loads(c.get(f"/plans/{plan_id}/versions/{n}").text)
    assert pinned["change"] == "move"
    # The route with the most time and room to spare takes it, however short the search.
    assert _driver_of(moved, stop["id"]) == second["driver_id"]
    assert "📌" in done.text  # pinned there
    undo = re.search(r'hx-post="([^"]+/restore)".*?name="version" value="(\d+)"', done.text, re.S)
    assert undo.group(2) == str(n - 1)
    back = c.post(undo.group(1), data={"version": undo.group(2)}, headers=htmx(c))
    assert back.status_code == 200 and f"Went back to version {n - 1}" in back.text
    assert version_json(c, plan_id, n + 1)["routes"] == version_json(c, plan_id, n - 1)["routes"]


def _driver_of(body: dict, stop_id: str) -> str:
    return next(
        (r["driver_id"] for r in body["routes"] if stop_id in [s["id"] for s in r["stops"]]), ""
    )


def test_publish_gives_links_qr_codes_and_share_links(planned):
    c, plan_id = planned["c"], planned["plan_id"]
    latest = json.loads(c.get(f"/plans/{plan_id}").text)["latest_version"]
    url = re.search(r'hx-post="([^"]+/publish)"', planned["html"]).group(1)
    r = c.post(url, data={"version": str(latest)}, headers=htmx(c))
    assert r.status_code == 200
    assert f"Version {latest} is published." in r.text
    assert "Tell these drivers their route changed" in r.text
    assert "Published: drivers' links show this version" in r.text
    body = version_json(c, plan_id, latest)
    links = re.findall(r'data-copy="(http://127\.0\.0\.1/d/[\w-]+)"', r.text)
    assert len(links) == len(body["routes"])
    assert r.text.count("<svg") >= len(links)
    assert len(re.findall(r'href="sms:\+?\d*\?&amp;body=Hi%20', r.text)) == len(links)
    assert len(re.findall(r'href="https://wa\.me/\d*\?text=Hi%20', r.text)) == len(links)
    driver = c.get(links[0].replace("http://127.0.0.1", ""))
    assert driver.status_code == 200
    planned["links"] = links
    planned["html"] = r.text


def test_a_number_that_cannot_be_dialled_is_sent_no_link(web_service):
    """A driver's phone typed as "12" gets no share link of its own: the text message and
    WhatsApp open without a number, for the dispatcher to choose the contact, and the page
    says why; the other drivers' links go to their numbers."""
    app, settings = web_service
    c = login(app, settings)
    week = set_up_week(c, drivers=1)
    bob = {"name": "Bob Smith", "phone": "12", "capacity_boxes": 40, "shift": "9-13"}
    r = c.post("/drivers", json={**bob, "available": True}, headers={"X-CSRF-Token": csrf_of(c)})
    assert r.status_code == 201, r.text
    started = c.post(week["path"] + "/plan", data={"time_limit_s": "1"}, headers=htmx(c))
    done, _ = poll(c, started)
    items = dict(
        re.findall(r'<li class="driver-link" data-driver="[^"]+">\s*<p><strong>([^<]+)</strong>'
                   r"(.*?)</li>", done.text, re.S)
    )  # fmt: skip
    assert "Bob Smith" in items and len(items) == 2, list(items)
    assert 'href="sms:?&amp;body=Hi%20Bob' in items["Bob Smith"]
    assert 'href="https://wa.me/?text=Hi%20Bob' in items["Bob Smith"]
    assert "12 cannot be dialled" in items["Bob Smith"]
    (other,) = (html for name, html in items.items() if name != "Bob Smith")
    assert re.search(r'href="sms:\+1\d{10}\?&amp;body=Hi%20', other)
    assert re.search(r'href="https://wa\.me/1\d{10}\?text=Hi%20', other)
    assert "cannot be dialled" not in other


def test_a_drivers_report_shows_on_the_page(planned):
    c, plan_id = planned["c"], planned["plan_id"]
    token = planned["links"][0].rsplit("/", 1)[1]
    stops = c.get(f"/d/{token}/stops").json()["stops"]
    r = c.post(f"/d/{token}/status", json={"stop_id": stops[0]["id"], "status": "delivered"})
    assert r.status_code == 201
    page = c.get(planned["week"]["path"] + "/plan", headers={"HX-Request": "true"}).text
    cell = re.search(rf'data-stop-status="{re.escape(stops[0]["id"])}">([^<]*)<', page)
    assert cell.group(1).strip() == "Delivered"
    assert f'data-events="/plans/{plan_id}/status/events"' in page
    assert re.search(r'data-count="delivered">1<', page)


def test_manifests_and_exports(planned):
    c, plan_id = planned["c"], planned["plan_id"]
    body = c.get(f"/plans/{plan_id}").json()["plan"]
    page = c.get(f"/app/plans/{plan_id}/manifests")
    assert page.status_code == 200
    for route in body["routes"]:
        assert route["driver"] in page.text
    assert "<svg" in page.text  # each driver's QR code
    rows = list(csv.DictReader(io.StringIO(c.get(f"/app/plans/{plan_id}/plan.csv").text)))
    assert len(rows) >= body["summary"]["assigned"]
    xlsx = c.get(f"/app/plans/{plan_id}/plan.xlsx")
    assert xlsx.content[:2] == b"PK" and "attachment" in xlsx.headers["content-disposition"]
    assert c.get(f"/app/plans/{plan_id}/plan.json").json()["routes"] == body["routes"]
    assert c.get(f"/app/plans/{plan_id}/plan.exe").status_code == 404


def test_a_planned_week_keeps_its_day(planned):
    """Drivers' links and pages carry the plan's day: the week's day cannot change under
    them (a new day is made instead), on the page or by the API."""
    c, week = planned["c"], planned["week"]
    later = (dt.date.fromisoformat(week["date"]) + dt.timedelta(days=1)).isoformat()
    r = c.post(week["path"] + "/day", data={"date": later}, headers=htmx(c))
    assert r.status_code == 422 and "This day has a plan" in r.text
    r = c.patch(f"/weeks/{week['id']}", json={"date": later}, headers=htmx(c))
    assert r.status_code == 409 and "has a plan" in r.json()["detail"]
    assert c.get(f"/weeks/{week['id']}").json()["date"] == week["date"]


def test_a_week_is_planned_through_the_api_with_what_it_keeps(web_service):
    """POST /weeks/{id}/jobs plans a week from its list, roster and hubs, as the page's
    button does: a week lacking them is a 422 naming each; the first plan belongs to the
    week, and planning again makes that plan's next version (drivers keep their links)."""
    from tests.helpers.service import wait_job

    app, settings = web_service
    c = login(app, settings)
    h = {"X-CSRF-Token": csrf_of(c)}
    when = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    empty = c.post("/weeks", json={"date": when}, headers=h).json()
    r = c.post(f"/weeks/{empty['id']}/jobs", headers=h)
    assert r.status_code == 422
    assert [p["field"] for p in r.json()["problems"]] == ["stops", "drivers", "hubs"]
    week = set_up_week(c, drivers=4)
    r = c.post(f"/weeks/{week['id']}/jobs", json={"options": {"time_limit_s": 1}}, headers=h)
    assert r.status_code == 202, r.text
    first = wait_job(c, r.json()["id"])
    assert first["status"] == "done" and first["version"] == 1 and first["stops"] == 119
    assert c.get(f"/weeks/{week['id']}").json()["plan_ids"] == [first["plan_id"]]
    links = {
        d["driver_id"]: d["url"] for d in c.get(f"/plans/{first['plan_id']}").json()["driver_links"]
    }
    r = c.post(f"/weeks/{week['id']}/jobs", json={"options": {"time_limit_s": 1}}, headers=h)
    again = wait_job(c, r.json()["id"])
    assert again["status"] == "done" and again["plan_id"] == first["plan_id"]
    assert again["version"] == 2
    assert c.get(f"/weeks/{week['id']}").json()["plan_ids"] == [first["plan_id"]]
    still = {
        d["driver_id"]: d["url"] for d in c.get(f"/plans/{first['plan_id']}").json()["driver_links"]
    }
    assert still == links
    bad = c.post(f"/weeks/{week['id']}/jobs", json={"options": {"time_limit_s": -1}}, headers=h)
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "options.time_limit_s"


def test_another_group_sees_nothing(web_service, planned):
    app, settings = web_service
    other = login(app, settings)
    week_path, plan_id = planned["week"]["path"], planned["plan_id"]
    assert other.get(week_path + "/plan").status_code == 404
    assert other.get(f"/app/plans/{plan_id}/manifests").status_code == 404
    assert other.get(f"/app/plans/{plan_id}/plan.csv").status_code == 404
    own = set_up_week(other, drivers=1)
    for action in ("publish", "restore", "edit", "fix"):
        r = other.post(
            f"{own['path']}/plans/{plan_id}/{action}",
            data={"version": "1", "stop_id": "2", "driver_id": "x"},
            headers=htmx(other),
        )
        assert r.status_code == 200 and "Plan the routes" in r.text, action
    assert json.loads(planned["c"].get(f"/plans/{plan_id}").text)["latest_version"] == 2


def test_what_is_missing_is_said_in_words(web_service):
    app, settings = web_service
    c = login(app, settings)
    h = htmx(c)
    when = (dt.date.today() + dt.timedelta(days=25)).isoformat()
    week = c.post("/weeks", json={"date": when}, headers=h).json()
    r = c.post(f"/app/weeks/{week['id']}/plan", data={}, headers=h)
    assert r.status_code == 422
    assert "Add this week&#39;s deliveries first." in r.text
    assert "Add the hub where drivers pick up the groceries." in r.text
    r = c.post(f"/app/weeks/{week['id']}/plan", data={"time_limit_s": "soon"}, headers=h)
    assert r.status_code == 422


def test_cancel_stops_planning(web_service):
    app, settings = web_service
    c = login(app, settings)
    week = set_up_week(c, drivers=12)
    started = c.post(week["path"] + "/plan", data={"time_limit_s": "60"}, headers=htmx(c))
    cancel = re.search(r'hx-post="([^"]+/cancel)"', started.text).group(1)
    r = c.post(cancel, headers=htmx(c))
    assert r.status_code == 200
    if "Planning was stopped" not in r.text:  # a running job stops within a second or two
        r, _ = poll(c, r if "plan-progress-box" in r.text else started, timeout_s=60)
    assert "Planning was stopped. Nothing changed." in r.text
    assert c.get(f"/weeks/{week['id']}").json()["plan_ids"] == []


def test_spanish_page(web_service, planned):
    c = planned["c"]
    r = c.get(
        planned["week"]["path"] + "/plan",
        headers={"HX-Request": "true", "Accept-Language": "es"},
    )
    assert "Enlace de" in r.text or "Copiar enlace" in r.text
    assert "Imprimir todas las hojas de ruta" in r.text
    assert "Copy link" not in r.text


def test_the_browsers_own_forms_pass_the_same_site_check(web_service, dispatcher):
    """Pages send no referrer, so a browser's own form says "Origin: null"; the browser's
    Sec-Fetch-Site then tells a form of this site from another site's."""
    app, _ = web_service
    form = {"email": dispatcher[0], "password": dispatcher[1]}
    c = client(app, follow_redirects=False)
    own = c.post("/login", data=form, headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    assert own.status_code == 303
    for site in ("cross-site", "same-site", None):
        headers = {"Origin": "null", **({"Sec-Fetch-Site": site} if site else {})}
        r = client(app, follow_redirects=False).post("/login", data=form, headers=headers)
        assert r.status_code == 403, site


def test_a_week_is_planned_by_one_job_at_a_time(web_service):
    """Plan pressed twice (a double click, or two dispatchers of the group): the second
    request does not start a second plan of the week, with drivers' links of its own. The
    API answers 409 naming the job to follow; the page shows that job's progress. Once it
    has ended, the week is planned again as before."""
    from tests.helpers.service import wait_job

    app, settings = web_service
    c = login(app, settings)
    h = {"X-CSRF-Token": csrf_of(c)}
    week = set_up_week(c, drivers=4)
    first = c.post(f"/weeks/{week['id']}/jobs", json={"options": {"time_limit_s": 8}}, headers=h)
    assert first.status_code == 202, first.text
    job_id = first.json()["id"]
    again = c.post(f"/weeks/{week['id']}/jobs", headers=h)
    assert again.status_code == 409, again.text
    assert f"being planned already (job {job_id})" in again.json()["detail"]
    page = c.post(week["path"] + "/plan", data={"time_limit_s": "1"}, headers=htmx(c))
    assert page.status_code == 200 and "<progress" in page.text
    assert f"/jobs/{job_id}" in page.text
    assert c.post(f"/jobs/{job_id}/cancel", headers=h).status_code == 200
    wait_job(c, job_id)
    assert len(c.get("/jobs").json()["data"]) == 1
    r = c.post(f"/weeks/{week['id']}/jobs", json={"options": {"time_limit_s": 1}}, headers=h)
    assert r.status_code == 202, r.text
    done = wait_job(c, r.json()["id"])
    assert c.get(f"/weeks/{week['id']}").json()["plan_ids"] == [done["plan_id"]]


def test_a_plan_waiting_with_no_worker_running_says_so(tmp_path):
    """A coalition's serve with Redis but no `aidroute worker` started (or all stopped): the
    job's phase says no worker is running, in the API and on the page (in the reader's
    language), rather than waiting for a free one that never comes; once a worker listens,
    the job waits for it as usual."""
    from rq import Worker

    from api.app import create_app
    from api.queue import NO_WORKER, RedisQueue
    from tests.helpers.servers import redis
    from tests.helpers.service import settings_for

    with redis(tmp_path) as queue_url:
        settings = settings_for(tmp_path, queue_url=queue_url)
        app = create_app(settings)
        c = login(app, settings, language="es")
        week = set_up_week(c, drivers=4)
        page = c.post(week["path"] + "/plan", data={"time_limit_s": "1"}, headers=htmx(c))
        assert page.status_code == 200, page.text
        assert "no hay ningún proceso en marcha que calcule las rutas" in page.text
        job_id = c.get("/jobs").json()["data"][0]["id"]
        assert c.get(f"/jobs/{job_id}").json()["phase"] == NO_WORKER
        queue = RedisQueue(queue_url, 60)
        worker = Worker([queue.queue], connection=queue.redis)
        worker.register_birth()
        try:
            assert c.get(f"/jobs/{job_id}").json()["phase"] == "waiting for a worker"
        finally:
            worker.register_death()
