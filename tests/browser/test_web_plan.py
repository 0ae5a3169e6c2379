"""The week page's Plan section in a real headless Chromium against ``aidroute serve`` on
127.0.0.1 (real database, worker and solver): plan with the progress bar seen moving, apply
a suggested fix, move a stop, undo, publish, the drivers' links with copy buttons, QR codes
and share links, and a status a driver reports arriving live on the page; in English and
Spanish, with screenshots of each step, axe-core finding nothing serious, and no request
leaving 127.0.0.1.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from api.settings import Settings
from api.storage import accounts
from api.storage.engine import Database
from tests.helpers import web_plan
from tests.helpers.chromium import launch
from tests.helpers.servers import serve
from tests.helpers.service import new_member
from tests.helpers.web_week import set_up_week

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long enough password"
WORDS = {"en": "Delivered", "es": "Entregado"}


@pytest.fixture(scope="module")
def browser():
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web-plan")
    env = {
        "AIDROUTE_HOME": str(tmp / "home"),
        "AIDROUTE_DATABASE": str(tmp / "aidroute.sqlite3"),
        "AIDROUTE_WORKERS": "1",
    }
    settings = Settings(database=tmp / "aidroute.sqlite3")
    emails = []
    for code in WORDS:
        email = f"dispatcher-{code}@example.org"
        new_member(settings, f"Group {code}", email)
        emails.append(email)
    db = Database(settings.db_url())
    with db.session() as s:
        for email in emails:
            accounts.set_password(s, email, PASSWORD)
    db.dispose()
    with serve(env, tmp / "serve.log") as url:
        yield url, tmp


def _artifacts(tmp: Path, code: str) -> Path:
    root = Path(os.environ.get("AIDROUTE_ARTIFACTS") or tmp)
    folder = root / f"web-plan-{code}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


# In English here; test_web_e2e takes the same steps in Spanish (and English) end to end.
@pytest.mark.parametrize("code", ["en"])
def test_plan_fix_move_undo_publish_and_live_status(browser, served, code):
    url, tmp = served
    shots = _artifacts(tmp, code)
    email = f"dispatcher-{code}@example.org"
    api = httpx.Client(base_url=url, timeout=120)
    assert api.post("/login", data={"email": email, "password": PASSWORD}).status_code == 303
    week = set_up_week(api, drivers=4)

    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, extra_http_headers={"Accept-Language": code}
    )
    elsewhere: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == url + "/app", page.content()[:3000]
    page.goto(url + week["path"])
    assert page.locator("html").get_attribute("lang") == code
    page.wait_for_selector("#plan-button")
    page.screenshot(path=str(shots / "1-before.png"), full_page=False)

    seen = web_plan.plan_and_wait(page, time_limit_s=3)
    assert len(seen) >= 2 and seen[-1] > seen[0], f"the bar did not move: {seen}"
    assert page.locator("#plan-map canvas.aid-streets").count() == 1  # our own streets
    assert page.locator(".plan-pin").count() > 10
    page.screenshot(path=str(shots / "2-planned.png"), full_page=False)
    assert _serious(page) == []

    label = web_plan.apply_first_fix(page)
    assert label
    page.screenshot(path=str(shots / "3-fixed.png"), full_page=False)

    drivers = page.locator(".plan-route summary strong").all_inner_texts()
    moved = web_plan.move_stop(page, route=0, stop=0, driver=drivers[1])
    assert moved
    page.screenshot(path=str(shots / "4-moved.png"), full_page=False)
    after_move = web_plan.version_shown(page)
    assert web_plan.undo(page) == after_move + 1
    page.screenshot(path=str(shots / "5-undone.png"), full_page=False)

    links = web_plan.publish(page)
    assert links and all(x["url"].startswith(url + "/d/") for x in links)
    assert all(x["sms"].startswith("sms:") and "body=" in x["sms"] for x in links)
    assert all(x["whatsapp"].startswith("https://wa.me/") for x in links)
    assert all(x["qr"] == "1" for x in links)
    page.locator(".driver-link details summary").first.click()
    page.screenshot(path=str(shots / "6-published.png"), full_page=True)
    assert _serious(page) == []

    token = links[0]["url"].rsplit("/", 1)[1]
    stop = httpx.get(f"{url}/d/{token}/stops").json()["stops"][0]
    page.wait_for_function(
        "() => document.getElementById('plan-live')"
        " && document.getElementById('plan-live').hasAttribute('data-updated')"
    )
    r = httpx.post(f"{url}/d/{token}/status", json={"stop_id": stop["id"], "status": "delivered"})
    assert r.status_code == 201
    web_plan.wait_status(page, stop["id"], WORDS[code])
    marker = page.locator(".plan-pin.status-delivered")
    assert marker.count() == 1
    page.screenshot(path=str(shots / "7-delivered.png"), full_page=False)

    assert elsewhere == [], f"requests left 127.0.0.1: {elsewhere}"
    assert errors == []
    context.close()
