"""Shared fixtures.

The raw OSM extracts and VRP instances live in ``../shared/data`` on the developers' and
CI's machines only. Tests that read them skip with a clear reason where it is absent;
everything else runs on what the project ships under ``data/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = Path(os.environ.get("AIDROUTE_SHARED_DATA", ROOT.parent / "shared" / "data"))


def shared_file(relative: str) -> Path:
    """Path of a file under ../shared/data, or skip the test when it is not there."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(
            f"{relative} not found under {SHARED} (../shared/data is only on dev/CI machines)"
        )
    return path


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep every test's imported areas, caches and databases out of the user's home."""
    home = tmp_path_factory.mktemp("aidroute-home")
    monkeypatch.setenv("AIDROUTE_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """Pages in English whatever the machine's language (LANG=es_MX.UTF-8 would make the
    CLI write Spanish): a test that wants another language asks for it."""
    monkeypatch.setenv("AIDROUTE_LANGUAGE", "en")
