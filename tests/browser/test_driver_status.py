"""A driver reports stops from their link on a phone, against a real ``aidroute serve`` on
127.0.0.1 with a published plan: delivered with the network cut, kept through a reload without
signal, sent when the signal is back and seen by the dispatcher; refused with a note; the page
in Spanish for a driver whose roster says so; no serious accessibility finding; no request
leaving this machine. Screenshots of each step go to ``$AIDROUTE_ARTIFACTS`` (else the test's
temporary folder)."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from api.settings import Settings
from tests.helpers.api import plan_body
from tests.helpers.chromium import launch
from tests.helpers.servers import serve
from tests.helpers.service import new_member
from tests.helpers.web_driver import (
    mark,
    open_link,
    outbox,
    phone_context,
    pressed,
    serious_violations,
    shoot,
    state,
    wait_state,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``aidroute serve`` with its worker on a SQLite file, and a dispatcher's API client."""
    tmp = tmp_path_factory.mktemp("driver-status")
    database = tmp / "aidroute.sqlite3"
    member = new_member(Settings(database=database), "Pantry", "d@example.org")
    env = {"AIDROUTE_HOME": str(tmp / "home"), "AIDROUTE_DATABASE": str(database)}
    env["AIDROUTE_WORKERS"] = "1"
    with (
        serve(env, tmp / "serve.log") as url,
        httpx.Client(base_url=url, headers=member.auth, timeout=120) as dispatcher,
    ):
        yield url, dispatcher


def _publish(
    dispatcher: httpx.Client, locale: str = "", extra: dict | None = None
) -> tuple[dict, dict, str]:
    """A plan for today, published (POST /plans publishes): the plan, a route, its link."""
    body = {**plan_body(4), **(extra or {})}
    body["date"] = dt.date.today().isoformat()
    for d in body["drivers"]:
        d["locale"] = locale
    out = dispatcher.post("/plans", json=body)
    assert out.status_code == 201, out.text
    plan = out.json()
    route = max(plan["plan"]["routes"], key=lambda r: len(r["stops"]))
    assert len(route["stops"]) >= 2
    link = next(x for x in plan["driver_links"] if x["driver_id"] == route["driver_id"])
    return plan, route, link["url"]


def _reported(dispatcher: httpx.Client, plan_id: str) -> dict[str, tuple[str, str]]:
    status = dispatcher.get(f"/plans/{plan_id}/status").json()
    return {s["stop_id"]: (s["status"], s["note"]) for s in status["stops"]}


def test_delivered_without_signal_is_kept_through_a_reload_and_sent_when_back(
    browser, served, tmp_path
):
    """Offline: "waiting to send", still queued after a reload without signal; online again:
    "sent", and the dispatcher's status has it. Refused with a note goes at once. A reload
    with the phone's storage wiped reads what the server has."""
    _url, dispatcher = served
    plan, route, link = _publish(dispatcher)
    first, second = route["stops"][0]["id"], route["stops"][1]["id"]
    outside: list[str] = []
    context = phone_context(browser, outside)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_link(page, link)
    assert state(page, 1) == "" and outbox(page) == ""
    assert serious_violations(page) == []
    shoot(page, tmp_path, "driver-1-opened")

    context.set_offline(True)
    mark(page, 1, "delivered")
    wait_state(page, 1, "Delivered ✓ · waiting to send")
    assert pressed(page, 1) == ["delivered"]
    assert "1 report is waiting to send" in outbox(page)
    shoot(page, tmp_path, "driver-2-delivered-offline")
    page.reload()
    page.wait_for_selector(".aid-report:not([hidden])")
    wait_state(page, 1, "Delivered ✓ · waiting to send")
    # Whether the server has heard it yet is not asked: as with a weak signal (a request
    # that arrives, its answer lost), Chromium's emulated offline sometimes lets a report
    # through a page its service worker serves while the page sees no answer. What counts
    # is that the page keeps it until the server says it has it.
    shoot(page, tmp_path, "driver-3-reloaded-offline")

    context.set_offline(False)
    wait_state(page, 1, "Delivered ✓ · sent")
    assert outbox(page) == ""
    assert _reported(dispatcher, plan["id"])[first] == ("delivered", "")
    shoot(page, tmp_path, "driver-4-sent")

    mark(page, 2, "refused", note="Said they did not order")
    wait_state(page, 2, "Refused · sent")
    assert _reported(dispatcher, plan["id"])[second] == ("refused", "Said they did not order")
    assert serious_violations(page) == []

    page.evaluate("localStorage.clear()")
    page.reload()
    wait_state(page, 1, "Delivered ✓ · sent")
    wait_state(page, 2, "Refused · sent")
    assert page.input_value("#aid-note-2") == "Said they did not order"
    shoot(page, tmp_path, "driver-5-read-back")
    context.close()
    assert errors == []
    assert outside == []


def test_spanish_driver_page_reports_in_spanish(browser, served, tmp_path):
    """A driver whose roster language is Spanish reads the buttons and the states in Spanish
    and the page says so (``<html lang="es">``)."""
    _url, dispatcher = served
    plan, route, link = _publish(dispatcher, locale="es")
    outside: list[str] = []
    context = phone_context(browser, outside)
    page = context.new_page()
    open_link(page, link)
    assert page.get_attribute("html", "lang") == "es"
    assert page.get_attribute("#stop-1 .aid-mark[data-status=not_home]", "aria-label") == (
        "Nadie en casa: parada 1"
    )
    context.set_offline(True)
    mark(page, 1, "not_home", note="Dejé una nota en la puerta")
    wait_state(page, 1, "Nadie en casa · pendiente de enviar")
    assert "1 aviso está pendiente de enviar" in outbox(page)
    shoot(page, tmp_path, "driver-es-offline")
    context.set_offline(False)
    wait_state(page, 1, "Nadie en casa · enviado")
    assert _reported(dispatcher, plan["id"])[route["stops"][0]["id"]] == (
        "not_home",
        "Dejé una nota en la puerta",
    )
    assert serious_violations(page) == []
    shoot(page, tmp_path, "driver-es-sent")
    context.close()
    assert outside == []


def test_reveal_mode_shows_the_next_stop_after_any_report(browser, served, tmp_path):
    """In the reveal mode only the next stop shows; reporting it (here: not home) shows the
    one after, and a reload keeps the place."""
    _url, dispatcher = served
    _plan, _route, link = _publish(dispatcher, extra={"privacy": "reveal"})
    context = phone_context(browser, [])
    page = context.new_page()
    open_link(page, link)
    assert page.is_visible("#stop-1") and not page.is_visible("#stop-2")
    mark(page, 1, "not_home")
    wait_state(page, 1, "Not home · sent")
    assert page.is_visible("#stop-2")
    page.reload()
    page.wait_for_selector("#stop-2:not([hidden])")
    assert serious_violations(page) == []
    shoot(page, tmp_path, "driver-reveal")
    context.close()
