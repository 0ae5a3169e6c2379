"""The week page's Deliveries and Drivers in a real headless Chromium, against a real
``aidroute serve`` on 127.0.0.1: log in, upload the demo spreadsheet, correct a column, fix a
row with a suggestion, place one by a pin, skip one, read the roster, untick a driver, add
the hub; in English and in Spanish. Screenshots of each step; axe-core finds no serious or
critical violation; no request leaves 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.test_maps_browser import browser  # noqa: F401 (the fixture)
from tests.helpers import web_intake as steps
from tests.helpers.intake import DEMO
from tests.helpers.servers import ROOT, serve

pytestmark = pytest.mark.browser

EMAIL = "ana@example.org"
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """``aidroute serve`` on a new database with one group and its dispatcher."""
    home = tmp_path_factory.mktemp("service")
    env = {"AIDROUTE_HOME": str(home), "AIDROUTE_DATABASE": str(home / "db.sqlite3")}
    full = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "api.cli", "admin"]
    run = {"env": full, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([*cli, "create-group", "Queens Mutual Aid", "--dispatcher", EMAIL], **run)
    subprocess.run([*cli, "set-password", EMAIL], input=PASSWORD.encode(), **run)
    with serve(env, home / "serve.log") as url:
        yield url


def _artifacts(tmp_path: Path, code: str) -> Path:
    root = os.environ.get("AIDROUTE_ARTIFACTS")
    folder = Path(root) / "web_intake" / code if root else tmp_path / code
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


# In English here; test_web_e2e takes the same steps in Spanish (and English) end to end.
@pytest.mark.parametrize(("code", "day"), [("en", steps.day(3))])
def test_deliveries_and_drivers_in_a_browser(
    browser,  # noqa: F811
    service,
    tmp_path,
    code,
    day,
):
    folder = _artifacts(tmp_path, code)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    outside: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        steps.login(page, service, EMAIL, PASSWORD)
        if code == "es":
            steps.choose_language(page, "es")
        assert page.locator("html").get_attribute("lang") == code
        steps.open_week(page, day)
        steps.shot(page, folder, "1-week")
        steps.upload(page, DEMO / "deliveries.csv")
        steps.set_column(page, "notes", "")  # the dispatcher does not want the notes read
        steps.shot(page, folder, "2-columns")
        assert not _serious(page)
        steps.read_rows(page)
        steps.shot(page, folder, "3-rows")
        chosen = steps.fix_with_suggestion(page, 99, "218-10 Hollis Ave")
        assert "Hollis Avenue" in chosen
        steps.pin_row(page, 100, folder)
        steps.skip_row(page, 36)
        steps.shot(page, folder, "4-fixed")
        text = steps.counts(page)
        still = "0 still to look at" if code == "en" else "0 por revisar"
        fixed = "1 fixed" if code == "en" else "1 corregidas"
        assert still in text and fixed in text, text
        assert not _serious(page)
        steps.upload_roster(page, DEMO / "drivers.csv")
        steps.tick_driver(page, "Ana Delgado", False)
        steps.add_hub(page, "Compare Foods")
        steps.shot(page, folder, "5-drivers")
        assert not _serious(page)
        assert page.locator("ul.hubs input[type=checkbox]").first.is_checked()
    finally:
        context.close()
    assert not errors, errors
    assert outside == []


def _week_page(browser, service, day):  # noqa: F811
    """A logged-in page on a new delivery day, and the errors the page raised."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    steps.login(page, service, EMAIL, PASSWORD)
    steps.open_week(page, day)
    return context, page, errors


def test_a_new_file_replaces_what_the_last_one_said(browser, service, tmp_path):  # noqa: F811
    """A file that is no spreadsheet, then a good one: the red line about the first goes
    as the second's columns show; a bad file again: its reason shows and the good file's
    column step goes (it would read the new file with the old one's columns)."""
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    context, page, errors = _week_page(browser, service, steps.day(10))
    try:
        page.locator("#deliveries-file").set_input_files(str(binary))
        error = page.locator("#deliveries-file-error")
        error.locator("li").wait_for()
        assert "binary.csv" in error.inner_text()
        steps.upload(page, DEMO / "deliveries.csv")
        assert error.inner_text().strip() == ""
        assert error.get_attribute("class") == "error"  # the place for the next one stays
        page.locator("#deliveries-file").set_input_files(str(binary))
        error.locator("li").wait_for()
        assert page.locator("#deliveries-columns select").count() == 0
        steps.shot(page, _artifacts(tmp_path, "en"), "bad-then-good")
    finally:
        context.close()
    assert not errors, errors


def test_the_plan_section_counts_follow_each_change(browser, service, tmp_path):  # noqa: F811
    """The Plan section's "N deliveries, N drivers, N hubs" follows the list read, a row
    skipped, a driver added and unticked, a hub added and unticked, without a reload."""
    context, page, errors = _week_page(browser, service, steps.day(17))
    plan = page.locator("#plan-inputs")

    def says(stops: int, drivers: int, hubs: int) -> None:
        def n(num: int, word: str) -> str:
            return f"{num} {word}" if num == 1 else f"{num} {word}s"

        text = f"{stops} deliveries, {n(drivers, 'driver')}, {n(hubs, 'hub')}."
        page.wait_for_function(
            "t => document.querySelector('#plan-inputs').innerText.replace(/\\s+/g, ' ') === t",
            arg=text,
            timeout=10_000,
        )

    try:
        plan.wait_for()
        drivers = int(plan.inner_text().split(", ")[1].split()[0])  # the group's, so far
        hubs = int(plan.inner_text().split(", ")[2].split()[0])
        steps.upload(page, DEMO / "deliveries.csv")
        steps.read_rows(page)
        says(119, drivers, hubs)
        steps.skip_row(page, 36)
        says(118, drivers, hubs)
        page.locator("#drivers-body details summary", has_text="Add a driver").click()
        page.locator("#new-driver-name").fill("Dee Lopez")
        page.locator("#new-driver-hours").fill("9-13")
        page.locator("#new-driver-boxes").fill("12")
        page.locator("#new-driver-boxes").press("Enter")
        says(118, drivers + 1, hubs)
        steps.tick_driver(page, "Dee Lopez", False)
        says(118, drivers, hubs)
        steps.add_hub(page, "206-16 Hollis Avenue")
        says(118, drivers, hubs + 1)
        page.locator("ul.hubs li", has_text="206-16").locator("input[type=checkbox]").click()
        says(118, drivers, hubs)
        steps.shot(page, _artifacts(tmp_path, "en"), "plan-counts")
    finally:
        context.close()
    assert not errors, errors
