"""The whole week on the web page, end to end, as a new dispatcher and a driver live it, in a
real headless Chromium against ``aidroute serve`` on 127.0.0.1 (real database, worker,
solver): log in, upload the demo spreadsheet, correct a column, fix a bad row with a
suggestion, place one by a pin, read the roster, add the hub, plan, apply a suggested fix,
move a stop, publish, open a driver's link on a phone-sized page, mark a stop delivered with
the network cut and restored, and see it on the dispatcher's page; in English and in
Spanish. Screenshots of each step (``$AIDROUTE_ARTIFACTS`` in CI); axe-core finds no
serious or critical violation on any page; no request leaves 127.0.0.1.

Each part's own tests (``test_web_intake``, ``test_web_plan``, ``test_driver_status``) go
into the details; this one proves the parts make one way through the week.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.helpers import web_driver, web_intake, web_plan
from tests.helpers.chromium import launch
from tests.helpers.intake import DEMO
from tests.helpers.servers import ROOT, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long enough password"
#: The words each language's pages use for what the test checks.
WORDS = {
    "en": {"still": "0 still to look at", "delivered": "Delivered"},
    "es": {"still": "0 por revisar", "delivered": "Entregado"},
}


@pytest.fixture(scope="module")
def browser():
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """``aidroute serve`` on a new database, with a group per language set up as an
    organiser would: ``aidroute admin create-group`` and ``set-password``."""
    home = tmp_path_factory.mktemp("e2e")
    env = {
        "AIDROUTE_HOME": str(home),
        "AIDROUTE_DATABASE": str(home / "db.sqlite3"),
        "AIDROUTE_WORKERS": "1",
    }
    full = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "api.cli", "admin"]
    run = {"env": full, "check": True, "capture_output": True, "timeout": 120}
    for code in WORDS:
        email = f"dispatcher-{code}@example.org"
        subprocess.run([*cli, "create-group", f"Mutual Aid {code}", "--dispatcher", email], **run)
        subprocess.run([*cli, "set-password", email], input=PASSWORD.encode(), **run)
    with serve(env, home / "serve.log") as url:
        yield url


def _folder(tmp_path: Path, code: str) -> Path:
    root = os.environ.get("AIDROUTE_ARTIFACTS")
    folder = Path(root) / "web_e2e" / code if root else tmp_path / code
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def _guarded(browser, outside: list[str], **options):
    context = browser.new_context(**options)

    def guard(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context


@pytest.mark.parametrize("code", list(WORDS))
def test_a_week_from_spreadsheet_to_a_delivered_stop(browser, service, tmp_path, code):
    from playwright.sync_api import expect

    words = WORDS[code]
    folder = _folder(tmp_path, code)
    outside: list[str] = []
    errors: list[str] = []
    desk = _guarded(
        browser,
        outside,
        viewport={"width": 1280, "height": 900},
        extra_http_headers={"Accept-Language": f"{code},en;q=0.5"},
    )
    page = desk.new_page()
    page.on("pageerror", lambda e: errors.append(f"dispatcher: {e}"))
    phone = web_driver.phone_context(browser, outside)
    try:
        # 1. Log in: the browser's language is the page's.
        web_intake.login(page, service, f"dispatcher-{code}@example.org", PASSWORD)
        assert page.locator("html").get_attribute("lang") == code
        # Next week's day: a driver's link works until the end of its run day.
        web_intake.open_week(page, (dt.date.today() + dt.timedelta(days=7)).isoformat())
        web_intake.shot(page, folder, "01-week")

        # 2. Import: the spreadsheet, a column corrected, a row fixed, one placed by a pin.
        web_intake.upload(page, DEMO / "deliveries.csv")
        web_intake.set_column(page, "notes", "")
        web_intake.shot(page, folder, "02-columns")
        assert _serious(page) == []
        web_intake.read_rows(page)
        assert web_intake.fix_with_suggestion(page, 99, "218-10 Hollis Ave")
        web_intake.pin_row(page, 100)
        web_intake.skip_row(page, 36)
        assert words["still"] in web_intake.counts(page)
        web_intake.shot(page, folder, "03-rows")

        # 3. Drivers and the hub.
        web_intake.upload_roster(page, DEMO / "drivers.csv")
        # Four drivers cannot come this week: some stops will not fit, and the page
        # suggests what would fix it.
        for name in ("Ana Delgado", "Marcus Bell", "Jean-Robert Joseph", "Rosa Méndez"):
            web_intake.tick_driver(page, name, False)
        web_intake.add_hub(page, "Compare Foods")
        web_intake.shot(page, folder, "04-drivers")
        assert _serious(page) == []

        # 4. Plan, with the bar moving; then a suggested fix in one click.
        seen = web_plan.plan_and_wait(page, time_limit_s=5)
        assert seen and seen[-1] > 0, seen
        web_intake.shot(page, folder, "05-planned")
        assert _serious(page) == []
        assert page.locator(".fix-button").count() >= 1
        assert web_plan.apply_first_fix(page)
        web_intake.shot(page, folder, "06-fixed")

        # 5. Adjust: a stop to another driver.
        drivers = page.locator(".plan-route summary strong").all_inner_texts()
        assert web_plan.move_stop(page, route=0, stop=0, driver=drivers[1])
        web_intake.shot(page, folder, "07-moved")

        # 6. Publish: every driver's link, with its QR code and share links.
        links = web_plan.publish(page)
        assert links and all(x["url"].startswith(service + "/d/") for x in links)
        assert all(x["qr"] == "1" and x["sms"].startswith("sms:") for x in links)
        web_intake.shot(page, folder, "08-published")
        assert _serious(page) == []

        # 7. The driver, on a phone, without signal, then with it again.
        driver = phone.new_page()
        driver.on("pageerror", lambda e: errors.append(f"driver: {e}"))
        runs = {x["url"]: httpx.get(x["url"] + "/stops") for x in links}
        link = next(
            (u for u, r in runs.items() if r.status_code == 200 and r.json()["stops"]), None
        )
        assert link, {u: (r.status_code, r.text[:200]) for u, r in runs.items()}
        web_driver.open_link(driver, link)
        assert driver.locator("html").get_attribute("lang") in ("en", "es")
        phone.set_offline(True)
        web_driver.mark(driver, 1, "delivered")
        assert web_driver.outbox(driver), "the report waits on the phone"
        driver.screenshot(path=str(folder / "09-offline.png"), full_page=True)
        phone.set_offline(False)
        sent = re.compile("sent|enviado")  # the driver's page is in their own language
        expect(driver.locator("#aid-state-1")).to_contain_text(sent, timeout=30_000)
        driver.screenshot(path=str(folder / "10-sent.png"), full_page=True)
        assert web_driver.serious_violations(driver) == []

        # ... and the dispatcher sees it, live.
        stop_id = driver.locator("#stop-1 .aid-report").get_attribute("data-stop")
        web_plan.wait_status(page, stop_id, words["delivered"], timeout_ms=30_000)
        web_intake.shot(page, folder, "11-seen")
    finally:
        desk.close()
        phone.close()
    assert errors == []
    assert outside == [], f"requests left 127.0.0.1: {outside}"
