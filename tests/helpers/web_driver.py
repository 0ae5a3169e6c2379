"""A driver on their phone, step by step, in a real Chromium (Playwright): open their link,
mark a stop, lose and find the signal. Each step is a function of the page, so an end-to-end
test can chain them after the dispatcher's steps.

The states a stop shows (``state(page, 1)``) are the page's own words: "Delivered ✓ · waiting
to send", "Delivered ✓ · sent".
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: A phone held upright (the page is made for 360-430 px).
PHONE = {"width": 390, "height": 844}

LOCAL_HOSTS = ("127.0.0.1", "localhost")


def phone_context(browser: Any, outside: list[str]) -> Any:
    """A phone-sized context whose requests to any host but this machine are recorded in
    ``outside`` and aborted (those of the page's service worker too)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)

    def guard(route: Any) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    def seen(request: Any) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith("http") and host not in LOCAL_HOSTS:
            outside.append(request.url)

    context.route("**/*", guard)
    context.on("request", seen)
    return context


def open_link(page: Any, url: str) -> None:
    """Open a driver's link and wait until the page is ready to work without signal (its
    buttons shown, the page kept by its service worker)."""
    page.goto(url)
    page.wait_for_selector(".aid-report:not([hidden])")
    page.wait_for_selector("#aid-main[data-offline-ready=yes]", state="attached")


def mark(page: Any, stop_number: int, status: str, note: str = "") -> None:
    """Report stop ``stop_number`` (as the page numbers it) ``delivered``, ``not_home`` or
    ``refused``, with an optional note."""
    page.fill(f"#aid-note-{stop_number}", note)
    page.click(f"#stop-{stop_number} .aid-mark[data-status={status}]")


def state(page: Any, stop_number: int) -> str:
    """What the page says about a stop's report ("" before any)."""
    return page.locator(f"#aid-state-{stop_number}").text_content() or ""


def wait_state(page: Any, stop_number: int, text: str, timeout_ms: float = 15000) -> None:
    """Wait until stop ``stop_number`` says ``text`` (the whole state, in the page's words)."""
    from playwright.sync_api import expect

    expect(page.locator(f"#aid-state-{stop_number}")).to_have_text(text, timeout=timeout_ms)


def outbox(page: Any) -> str:
    """The line that counts reports waiting for signal ("" when every report is sent)."""
    return page.locator("#aid-outbox").text_content() or ""


def pressed(page: Any, stop_number: int) -> list[str]:
    """The statuses whose button shows as chosen for a stop."""
    buttons = page.locator(f"#stop-{stop_number} .aid-mark[aria-pressed=true]")
    return [buttons.nth(i).get_attribute("data-status") for i in range(buttons.count())]


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page, as "rule: target" lines."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']}: {node['target']}"
        for v in found
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]


def shoot(page: Any, folder: Path, name: str) -> Path:
    """A screenshot of the whole page into ``$AIDROUTE_ARTIFACTS`` (else ``folder``)."""
    target = Path(os.environ.get("AIDROUTE_ARTIFACTS") or folder)
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
