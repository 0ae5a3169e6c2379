"""The offline geocoder's index, kept between runs in ``$AIDROUTE_HOME/cache/geocoder``.

Read back it takes 0.05 s, against 0.3 s to build (and half a second to import pandas to read
the area's tables). A kept index is named by the area's tables' checksums, its extent, the
Python version and this package's code (with the model it is made of): a re-imported area or
a new aidroute builds it again. An area without a folder (built in memory) keeps none, and a
file that cannot be read is built again; a read-only home keeps nothing.

Reading a pickle runs what it says, so a kept index is read only when no one but this user
could have written it: a file (not a link) this user owns that others cannot write, as ssh
treats its keys. It is written so (readable and writable by this user alone); any other file
in its place is built again and replaced. A home another account wrote (shared storage,
read-only) is therefore no help here: each process builds the index, about a second.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import sys
from pathlib import Path
from typing import Any

from routing.paths import cache_dir


def read_kept(area: Any) -> Any:
    """The index kept for ``area``, or None."""
    path = _index_path(area)
    if path is None:
        return None
    with contextlib.suppress(Exception):  # absent, unreadable or untrusted: built again
        kept = _own_bytes(path)
        if kept is not None:
            return pickle.loads(kept)
    return None


def _own_bytes(path: Path) -> bytes | None:
    """The bytes of ``path`` when only this user could have written it (a file, not a link,
    owned by this user and not writable by others), else None. Where there are no user ids
    (Windows) the folder's own permissions decide."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
            return None
        return f.read()


def keep(area: Any, geocoder: Any) -> None:
    """Keep ``geocoder`` (built for ``area``) for the next run."""
    path = _index_path(area)
    if path is None:
        return
    with contextlib.suppress(OSError):  # a read-only home: built each time
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.unlink(missing_ok=True)
        # This user's alone (see the module's docstring), whatever the umask.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pickle.dumps(geocoder, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)


def _index_path(area: Any) -> Path | None:
    """Where the geocoder's index of ``area`` is kept, or None for an area without a
    folder."""
    digest = getattr(area, "digest", None)
    if digest is None:
        return None
    tables = digest("addresses.csv.gz")
    if tables is None:
        return None
    key = hashlib.sha256()
    for part in (tables, digest("crossings.csv.gz") or "", repr(area.bbox), sys.version):
        key.update(part.encode() + b"|")
    here = Path(__file__).resolve().parent
    # The code that builds the index, and what its objects are made of.
    for source in [*sorted(here.glob("*.py")), here.parent / "model.py", here.parent / "geo.py"]:
        key.update(source.read_bytes())
    name = re.sub(r"[^A-Za-z0-9_-]", "_", str(area.name))[:40]
    try:
        folder = cache_dir() / "geocoder"
    except OSError:  # a home that cannot be written: nothing is kept
        return None
    return folder / f"{name}-{key.hexdigest()[:16]}.pickle"
