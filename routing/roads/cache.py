"""Area folders: save an area, read it back fast, refuse a damaged or foreign one.

An imported area is saved as a compact folder::

    NAME/meta.json            format version, source file, OSM timestamp, checksums
    NAME/roads-drive.npz      one compressed array bundle per profile (hierarchy included)
    NAME/addresses.csv.gz     housenumber, street, postcode, city, lat, lon
    NAME/places.csv.gz        named shops, amenities, parks: name, kind, address, lat, lon
    NAME/crossings.csv.gz     where two named streets meet: street_a, street_b, lat, lon
    NAME/streets.npz          every road way with its name and kind, for the map background

:func:`read_area` loads one in well under a second (arrays, no Python object per edge)
after checking every file against its checksum and the folder's format version. An OSM
file loaded by path is imported once into :func:`file_cache_dir`, then read from there.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from routing import paths
from routing.errors import AreaError
from routing.roads.graph import GRAPH_ARRAYS, Area, RoadGraph
from routing.roads.osm import (
    ADDRESS_COLUMNS,
    CROSSING_COLUMNS,
    PLACE_COLUMNS,
    default_area_name,
)
from routing.roads.streets import STREET_ARRAYS, Streets

if TYPE_CHECKING:
    import pandas as pd

#: Version of the on-disk layout. Bump it when the files change meaning; older folders
#: are then refused with a message saying how to rebuild them.
FORMAT_VERSION = 1


def aidroute_version() -> str:
    """The installed aidroute version ("0+unknown" when run from a bare checkout)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("aidroute")
    except PackageNotFoundError:  # pragma: no cover
        return "0+unknown"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save_area(area: Area, folder: str | Path) -> Path:
    """Write ``area`` to ``folder`` (replacing what was there) and return the folder.

    Files are written to a temporary folder first, then moved into place, so a crash
    never leaves a half-written area behind.
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    tmp.chmod(0o755)
    try:
        files: dict[str, str] = {}
        for profile, g in area.roads.items():
            fname = f"roads-{profile}.npz"
            arrays: dict[str, Any] = g.arrays(with_hierarchy=True)
            np.savez_compressed(tmp / fname, **arrays)
            files[fname] = _sha256(tmp / fname)
        tables = {
            "addresses.csv.gz": area.addresses,
            "places.csv.gz": area.places,
            "crossings.csv.gz": area.crossings,
        }
        for fname, table in tables.items():
            if fname != "addresses.csv.gz" and table.empty:
                continue  # an area from osmnx, or from before places were kept
            table.to_csv(tmp / fname, index=False, compression={"method": "gzip", "mtime": 0})
            files[fname] = _sha256(tmp / fname)
        if len(area.streets):
            street_arrays: dict[str, Any] = area.streets.arrays()
            np.savez_compressed(tmp / "streets.npz", **street_arrays)
            files["streets.npz"] = _sha256(tmp / "streets.npz")
        meta = dict(area.meta)
        meta.update(
            {
                "format": "aidroute-area",
                "format_version": FORMAT_VERSION,
                "name": area.name,
                "bbox": list(area.bbox),
                "profiles": list(area.roads),
                "counts": {
                    **{f"{p}_nodes": g.n_nodes for p, g in area.roads.items()},
                    **{f"{p}_edges": g.n_edges for p, g in area.roads.items()},
                    "addresses": len(area.addresses),
                    "places": len(area.places),
                    "crossings": len(area.crossings),
                },
                "files": files,
            }
        )
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
        if folder.exists():
            old = folder.with_name(f".{folder.name}-old-{time.time_ns()}")
            folder.rename(old)
            tmp.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    area.meta = meta
    area.path = folder
    return folder


def _rebuild_hint(meta: Mapping[str, Any] | None, folder: Path) -> str:
    source = (meta or {}).get("source_file") or "FILE.osm.pbf"
    name = (meta or {}).get("name") or folder.name
    return f"re-import it: aidroute area import {source} --name {name}"


def read_area(folder: str | Path, *, check_version: bool = False) -> Area:
    """Load a saved area folder.

    Raises :class:`AreaError` when the folder is missing, damaged (a file missing or not
    matching its checksum), from another area format version, or — with
    ``check_version`` — written by another aidroute version.
    """
    folder = Path(folder)
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        raise AreaError(f"{folder}: not an aidroute area (no meta.json)")
    try:
        meta = json.loads(meta_path.read_text())
        if not isinstance(meta, dict):
            raise ValueError("meta.json is not an object")
    except (OSError, ValueError) as e:
        raise AreaError(
            f"{folder}: area is damaged, meta.json unreadable ({e}); {_rebuild_hint(None, folder)}"
        ) from e
    version = meta.get("format_version")
    if meta.get("format") != "aidroute-area" or version != FORMAT_VERSION:
        raise AreaError(
            f"{folder}: area format version {version!r} (written by aidroute "
            f"{meta.get('aidroute_version', '?')}); this aidroute {aidroute_version()} reads "
            f"version {FORMAT_VERSION}; {_rebuild_hint(meta, folder)}"
        )
    if check_version and meta.get("aidroute_version") != aidroute_version():
        raise AreaError(
            f"{folder}: built by aidroute {meta.get('aidroute_version')!r}, this is "
            f"{aidroute_version()}; {_rebuild_hint(meta, folder)}"
        )
    try:
        files = meta["files"]
        for fname, digest in files.items():
            if _sha256(folder / fname) != digest:
                raise ValueError(f"{fname} does not match its checksum")
        roads: dict[str, RoadGraph] = {}
        for profile in meta["profiles"]:
            with np.load(folder / f"roads-{profile}.npz", allow_pickle=False) as z:
                arrays = {k: z[k] for k in GRAPH_ARRAYS}
                ch_arrays = {k: z[k] for k in z.files if k.startswith("ch_")}
            roads[profile] = RoadGraph(profile=profile, **arrays)
            if ch_arrays:  # made a Hierarchy when first used
                roads[profile].ch = ch_arrays
        if "addresses.csv.gz" not in files:
            raise ValueError("it has no addresses.csv.gz")
        # Read when first used (their checksums were checked above).
        addresses, places, crossings = (
            _table_reader(folder, meta, files, fname, columns)
            for fname, columns in (
                ("addresses.csv.gz", ADDRESS_COLUMNS),
                ("places.csv.gz", PLACE_COLUMNS),
                ("crossings.csv.gz", CROSSING_COLUMNS),
            )
        )
        streets = Streets.empty()
        if "streets.npz" in files:
            with np.load(folder / "streets.npz", allow_pickle=False) as z:
                streets = Streets(**{k: z[k] for k in STREET_ARRAYS})
        bbox = tuple(float(x) for x in meta["bbox"])
    except AreaError:
        raise
    except (
        OSError,
        KeyError,
        ValueError,
        TypeError,
        zipfile.BadZipFile,
        EOFError,
        gzip.BadGzipFile,
    ) as e:
        raise AreaError(f"{folder}: area is damaged ({e}); {_rebuild_hint(meta, folder)}") from e
    return Area(
        str(meta.get("name") or folder.name),
        roads,
        addresses,
        bbox,  # type: ignore[arg-type]
        meta,
        folder,
        places,
        crossings,
        streets,
    )


def _table_reader(
    folder: Path,
    meta: Mapping[str, Any],
    files: Mapping[str, str],
    fname: str,
    columns: Sequence[str],
) -> Callable[[], pd.DataFrame]:
    """How to read a table of the area: empty with its columns when the area has none (an
    older import); :class:`AreaError` when it cannot be read or its columns are not
    ``columns``."""

    def read() -> pd.DataFrame:
        import pandas as pd

        if fname not in files:
            return pd.DataFrame(columns=list(columns))
        text = [c for c in columns if c not in ("lat", "lon")]
        try:
            table = pd.read_csv(
                folder / fname,
                dtype=dict.fromkeys(text, str) | {"lat": float, "lon": float},
                keep_default_na=False,
                na_filter=False,
            )
            if tuple(table.columns) != tuple(columns):
                raise ValueError(f"{fname} columns {list(table.columns)}")
        except (OSError, ValueError, EOFError, gzip.BadGzipFile) as e:
            raise AreaError(
                f"{folder}: area is damaged ({e}); {_rebuild_hint(meta, folder)}"
            ) from e
        return table

    return read


def file_cache_dir(osm_path: Path, profiles: Sequence[str]) -> Path:
    """Where :func:`routing.roads.area.load_area` caches the import of an OSM file.

    One folder per file path, size, modification time and profiles, so a changed file
    is imported again.
    """
    st = osm_path.stat()
    key = f"{osm_path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{','.join(profiles)}"
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    return paths.areas_dir() / ".from-file" / f"{default_area_name(osm_path)}-{digest}"
