"""Areas: the road graphs and the address table of one place, imported once, loaded fast.

An :class:`Area` is what a plan needs to know about a place: a
:class:`~routing.roads.graph.RoadGraph` per travel profile ("drive", and "bike"/"walk"
when imported) and the address table, all extracted from one OpenStreetMap file
(:mod:`routing.roads.build`) and saved as a folder (:mod:`routing.roads.cache`).

This module finds areas:

- :func:`load_named_area` takes only the name of an imported or bundled area, the one
  loader for names that come from users (the API, a form);
- :func:`load_area` also takes a saved folder or an OSM file (imported once, then read
  from a cache), for the command line, scripts and tests.

:class:`Area` itself is defined in :mod:`routing.roads.graph`, beside the graphs it holds,
so that building and saving areas need not import this module.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

from routing import paths
from routing.errors import AreaError, InputError, InputProblem
from routing.roads.build import check_profiles, import_area
from routing.roads.cache import file_cache_dir, read_area
from routing.roads.graph import Area
from routing.roads.osm import default_area_name, osm_format

__all__ = ["Area", "area_folders", "check_area_name", "load_area", "load_named_area"]

log = logging.getLogger(__name__)

#: What an area name looks like: a word character, then word characters, "." or "-".
#: No "/", "\\" or leading ".", so a name can never reach outside the areas folders.
AREA_NAME = re.compile(r"[\w][\w.-]*")


def check_area_name(name: str) -> str:
    """``name`` itself if it can be the name of an area, else :class:`InputError`.

    The one check of area names that come from users: a name, never a path, so it only
    ever picks among the folders :func:`area_folders` lists.
    """
    if not AREA_NAME.fullmatch(name):
        raise InputError(
            InputProblem(
                "area",
                name,
                "expected the name of an imported area (`aidroute area list`), not a path",
            )
        )
    return name


def area_folders(name: str) -> list[Path]:
    """Where an area called ``name`` may be saved, in the order they are searched:
    ``routing.paths.areas_dir()`` (imported areas), then the bundled ``data/areas``."""
    bases = (paths.areas_dir(create=False), paths.bundled_data() / "areas")
    return [base / name for base in bases]


def _read_named(name: str, folders: list[Path], hint: str) -> Area:
    """The area in the first of ``folders`` that holds one, else an :class:`AreaError`
    saying where it looked and how to import an area called ``hint``."""
    for folder in folders:
        if (folder / "meta.json").is_file():
            return read_area(folder)
    where = ", ".join(str(x) for x in folders) or str(Path(name))
    raise AreaError(
        f"no area {name!r} (looked in {where}); import one with "
        f"`aidroute area import FILE.osm.pbf --name {hint}`"
    )


def load_named_area(name: str) -> Area:
    """Load an imported or bundled area by its name, and nothing else.

    Unlike :func:`load_area`, never reads a folder or imports an OSM file given by path:
    this is the loader for names that come from users.

    Raises
    ------
    InputError
        ``name`` is not an area name (:func:`check_area_name`): a path, empty, ...
    AreaError
        There is no area of that name, or its folder is damaged or from another format.
    """
    check_area_name(name)
    return _read_named(name, area_folders(name), name)


def load_area(name_or_path: str | Path, *, profiles: Sequence[str] = ("drive",)) -> Area:
    """Load an area by name, from a saved folder, or from an OSM file.

    - a name (``"queens-village"``) looks in ``routing.paths.areas_dir()``, then in the
      bundled ``data/areas``;
    - a folder loads the area saved there;
    - an OSM file (``.osm.pbf``, ``.osm``, ``.osm.bz2``) is imported with ``profiles``, and
      the result cached, so the second load of the same unchanged file is fast. A cache
      that is damaged or from another aidroute version is rebuilt.

    Raises :class:`AreaError` when nothing is found or a saved area is unusable. For a
    name given by a user, use :func:`load_named_area`.
    """
    p = Path(name_or_path)
    if p.is_dir():
        return read_area(p)
    if p.is_file():
        osm_format(p)  # raises for a file that is not OSM
        profiles = check_profiles(profiles)
        cache = file_cache_dir(p, profiles)
        if cache.is_dir():
            try:
                return read_area(cache, check_version=True)
            except AreaError as e:
                log.warning("rebuilding cached area: %s", e)
        return import_area(p, default_area_name(p), profiles=profiles, out_dir=cache)
    name = str(name_or_path)
    if p.suffix.lower() in (".pbf", ".osm", ".bz2", ".gz", ".xml"):
        raise AreaError(f"{p}: no such OpenStreetMap file")
    plain = "/" not in name and "\\" not in name and not name.startswith(".")
    return _read_named(name, area_folders(name) if plain else [], p.name or name)
