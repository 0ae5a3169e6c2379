"""A binary min-heap on two parallel arrays, for the compiled shortest-path kernels.

Keys (travel times, ``float64``) live in ``hk`` and values (node indices) in ``hv``;
``size`` is passed in and returned, so the heap is plain arrays a numba kernel can own
(no objects, no allocation while searching). Lazy deletion: a node may be pushed again
with a smaller key, and the caller skips stale pops (``key > dist[node]``). Used by
:mod:`routing.roads._dijkstra` and :mod:`routing.roads._ch`.

Both are compiled with ``inline="always"``. Inlined, numba counts references to
``hk``/``hv`` at every call (10-15% slower than the heap written out by hand), so a
kernel that wants full speed is compiled with ``_nrt=False`` and given its scratch
arrays by its caller (see ``routing.roads._dijkstra._COMPILE``); then it is as fast. Numba's
on-disk cache does not notice changes here: after editing this file, touch
``_dijkstra.py`` and ``_ch.py`` (or delete ``routing/__pycache__``) so that the kernels
are compiled again.

Without numba these are plain Python functions with the same results (slow, but the
modules that use them then fall back to scipy or to saved hierarchies).
"""

from __future__ import annotations

import os
from pathlib import Path

from routing.paths import aidroute_home


def _numba_cache_dir() -> None:
    """Numba keeps compiled kernels (``cache=True``) next to the sources; where an installed
    package's folder is read-only, keep them under ``AIDROUTE_HOME`` instead, so that only
    the first run after installing pays for compiling (several seconds). Must run before
    numba is imported; ``NUMBA_CACHE_DIR`` set by the user wins."""
    if "NUMBA_CACHE_DIR" in os.environ:
        return
    here = Path(__file__).resolve().parent
    cache = here / "__pycache__"
    if os.access(cache if cache.exists() else here, os.W_OK):
        return
    os.environ["NUMBA_CACHE_DIR"] = str(aidroute_home() / "numba")


_numba_cache_dir()

try:
    from numba import njit

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised only where numba is missing
    HAVE_NUMBA = False

    def njit(*_args, **_kwargs):  # type: ignore[no-redef]
        return lambda f: f


@njit(cache=True, nogil=True, inline="always")
def heap_push(hk, hv, size, key, val):  # type: ignore[no-untyped-def]
    """Add ``(key, val)`` to the heap of ``size`` items; return the new size.

    ``hk``/``hv`` must have room for ``size + 1`` items (the kernels size them to the
    number of edges + 1, the most pushes a lazy-deletion Dijkstra can make).
    """
    i = size
    while i > 0:
        p = (i - 1) >> 1
        if hk[p] > key:
            hk[i] = hk[p]
            hv[i] = hv[p]
            i = p
        else:
            break
    hk[i] = key
    hv[i] = val
    return size + 1


@njit(cache=True, nogil=True, inline="always")
def heap_pop(hk, hv, size):  # type: ignore[no-untyped-def]
    """Remove the smallest item of a non-empty heap: ``(key, val, new size)``."""
    k = hk[0]
    v = hv[0]
    size -= 1
    if size > 0:
        # Move the last item to the root and sift it down.
        lk = hk[size]
        lv = hv[size]
        i = 0
        while True:
            c = 2 * i + 1
            if c >= size:
                break
            if c + 1 < size and hk[c + 1] < hk[c]:
                c += 1
            if hk[c] < lk:
                hk[i] = hk[c]
                hv[i] = hv[c]
                i = c
            else:
                break
        hk[i] = lk
        hv[i] = lv
    return k, v, size
