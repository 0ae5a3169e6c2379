"""Debian's Chromium driven by Playwright for the browser tests.

Playwright's own browser download is not needed: the tests launch ``/usr/bin/chromium``.
Without Playwright or Chromium a browser test skips, unless ``AIDROUTE_REQUIRE_BROWSER=1``
(CI), where it fails instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

#: Headless, asking nothing of the internet.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def unavailable(reason: str) -> None:
    """Skip the test, or fail it where browsers are required."""
    if os.environ.get("AIDROUTE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"AIDROUTE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@contextlib.contextmanager
def launch() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (a ``playwright`` Browser)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install playwright)")
    path = chromium_path()
    if path is None:
        unavailable("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
