"""The Plan section's steps in a real browser (Playwright), to chain after the intake steps:
plan and watch the bar, apply a fix, move a stop, undo, publish, and see a driver's report
arrive. Each returns what a later step or an assertion needs."""

from __future__ import annotations

import time
from typing import Any

#: The Plan section answers whole after each step; a plan takes a few seconds of search.
TIMEOUT_MS = 120_000


def plan_and_wait(page: Any, time_limit_s: int | None = None) -> list[int]:
    """Press "Plan the routes" (or "Plan again") and wait for the map; returns the values
    the progress bar showed, in order."""
    panel = page.locator("#plan-panel")
    if time_limit_s is not None:
        panel.locator("details", has=page.locator("#plan-time-limit")).first.locator(
            "summary"
        ).click()
        page.fill("#plan-time-limit", str(time_limit_s))
    _mark_stale(page)
    page.locator("#plan-button").first.click()
    return _watch_progress(page)


def _mark_stale(page: Any) -> None:
    """Mark the map shown now, so that waiting for "the map" waits for the next one."""
    page.evaluate(
        "() => { const m = document.getElementById('plan-map');"
        " if (m) m.setAttribute('data-stale', '1'); }"
    )


def _watch_progress(page: Any) -> list[int]:
    seen: list[int] = []
    page.wait_for_selector("#plan-progress, #plan-map:not([data-stale])", timeout=TIMEOUT_MS)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        value = page.evaluate(
            "() => { const p = document.getElementById('plan-progress');"
            " return p ? Number(p.value) : null; }"
        )
        if value is None and page.locator("#plan-map:not([data-stale]) .leaflet-pane").count():
            return seen
        if value is not None and (not seen or seen[-1] != value):
            seen.append(int(value))
        page.wait_for_timeout(100)
    raise AssertionError("the plan did not appear")


def version_shown(page: Any) -> int:
    text = page.locator(".plan-summary strong").inner_text()
    return int("".join(ch for ch in text if ch.isdigit()))


def apply_first_fix(page: Any) -> str:
    """Click the first fix button among the stops left out; returns its words once the
    new version is shown."""
    before = version_shown(page)
    button = page.locator(".fix-button").first
    label = button.inner_text()
    _mark_stale(page)
    button.click()
    _watch_progress(page)
    assert version_shown(page) == before + 1
    return str(label)


def move_stop(page: Any, route: int, stop: int, driver: str) -> str:
    """Move the ``stop``-th stop (from 0) of the ``route``-th route to ``driver`` (their
    name); returns the stop's household name once the new version is shown."""
    before = version_shown(page)
    row = page.locator(".plan-route").nth(route).locator("tbody tr").nth(stop)
    name = row.locator("td").nth(2).inner_text().strip()
    row.locator("select").select_option(label=driver)
    _mark_stale(page)
    row.locator("button[value=move]").click()
    _watch_progress(page)
    assert version_shown(page) == before + 1
    return str(name)


def undo(page: Any) -> int:
    """Press Undo; returns the new version's number."""
    _mark_stale(page)
    page.locator("#undo-button").click()
    page.wait_for_selector(
        "#plan-map:not([data-stale]) .leaflet-pane", state="attached", timeout=TIMEOUT_MS
    )
    return version_shown(page)


def publish(page: Any) -> list[dict[str, str]]:
    """Publish the version shown; returns each driver's name, link, and share links."""
    _mark_stale(page)
    page.locator("#publish-button").click()
    page.wait_for_selector(
        "#plan-map:not([data-stale]) .leaflet-pane", state="attached", timeout=TIMEOUT_MS
    )
    assert page.locator(".badge.ok").count() == 1
    return links(page)


def links(page: Any) -> list[dict[str, str]]:
    """The drivers' links of the published version, as the page shows them."""
    out = []
    for item in page.locator(".driver-link").all():
        out.append(
            {
                "driver": item.locator("strong").first.inner_text(),
                "url": item.locator("[data-copy]").get_attribute("data-copy") or "",
                "sms": item.locator(".share-sms").get_attribute("href") or "",
                "whatsapp": item.locator(".share-whatsapp").get_attribute("href") or "",
                "qr": str(item.locator(".qr svg").count()),
            }
        )
    return out


def wait_status(page: Any, stop_id: str, words: str, timeout_ms: int = 20_000) -> None:
    """Wait until the stop's status cell in the list says ``words`` (arrived live)."""
    cell = page.locator(f'[data-stop-status="{stop_id}"]')
    cell.filter(has_text=words).wait_for(timeout=timeout_ms)
