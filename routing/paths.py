"""Where aidroute keeps things on disk.

``AIDROUTE_HOME`` (default ``~/.local/share/aidroute``) holds what a group creates:
imported areas under ``areas/``, the online-geocoding cache under ``cache/``, and the
API's database. The project's bundled data (demo area, sample week) is under ``data/``
next to the packages, or wherever ``AIDROUTE_DATA`` points.
"""

from __future__ import annotations

import os
from pathlib import Path


def aidroute_home(create: bool = True) -> Path:
    """The per-user data folder (created on first use, unless ``create`` is false: to look
    for something in it, which a home that cannot be written must not stop)."""
    env = os.environ.get("AIDROUTE_HOME")
    home = Path(env) if env else Path.home() / ".local" / "share" / "aidroute"
    if create:
        home.mkdir(parents=True, exist_ok=True)
    return home


def areas_dir(create: bool = True) -> Path:
    """Imported areas (created on first use, unless ``create`` is false)."""
    path = aidroute_home(create) / "areas"
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    path = aidroute_home() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def bundled_data() -> Path:
    """The project's ``data/`` folder (demo area and sample week)."""
    env = os.environ.get("AIDROUTE_DATA")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data"
