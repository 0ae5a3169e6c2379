"""Many-to-many shortest travel times on a CSR road graph, fast and exact.

scipy's ``csgraph.dijkstra`` gives exact times but not the length of the path it found,
and one call runs on one core. The kernel here is a plain Dijkstra (binary heap, lazy
deletion) compiled with numba, releasing the GIL so that blocks of sources run on every
core at once. Along the fastest path it also sums the edge lengths, and it stops a search
as soon as every target is settled. Without numba the same answers come from scipy (one
core) and a walk back along its predecessor trees.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from routing.roads._heap import HAVE_NUMBA, heap_pop, heap_push, njit
from routing.roads._scipy import scipy_paths, scipy_rows


def _kernel_py(
    indptr: np.ndarray,
    indices: np.ndarray,
    w_time: np.ndarray,
    w_len: np.ndarray,
    sources: np.ndarray,
    target_slot: np.ndarray,
    n_targets: int,
    out_t: np.ndarray,
    out_d: np.ndarray,
    dist: np.ndarray,
    length: np.ndarray,
    done: np.ndarray,
    hk: np.ndarray,
    hv: np.ndarray,
) -> None:
    """Dijkstra from each of ``sources``; row ``i`` of ``out_t``/``out_d`` gets, at column
    ``target_slot[v]``, the travel time to ``v`` and the length of that fastest path.

    ``dist``, ``length`` (float64) and ``done`` (bool) have one slot per node, ``hk``
    (float64) and ``hv`` (int32) one per edge plus one: scratch space, allocated by the
    caller so that the kernel allocates nothing (see ``_COMPILE``)."""
    for row in range(sources.shape[0]):
        dist[:] = np.inf
        length[:] = 0.0
        done[:] = False
        s = sources[row]
        dist[s] = 0.0
        hk[0] = 0.0
        hv[0] = s
        size = 1
        remaining = n_targets
        while size > 0:
            k, v, size = heap_pop(hk, hv, size)
            if done[v]:
                continue
            done[v] = True
            slot = target_slot[v]
            if slot >= 0:
                out_t[row, slot] = k
                out_d[row, slot] = length[v]
                remaining -= 1
                if remaining == 0:
                    break
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                nd = k + w_time[e]
                if nd < dist[w]:
                    dist[w] = nd
                    length[w] = length[v] + w_len[e]
                    size = heap_push(hk, hv, size, nd, w)


#: Without reference counting: the kernels allocate nothing, and numba would otherwise
#: count references to the heap arrays at every pop (10-15% slower than the heap written
#: out by hand; with this, the same speed).
_COMPILE: dict[str, Any] = {"nogil": True, "cache": True, "_nrt": False}
_kernel = njit(**_COMPILE)(_kernel_py) if HAVE_NUMBA else None


def default_threads() -> int:
    """Threads to use: ``AIDROUTE_THREADS`` if set, else every core this process may use."""
    env = os.environ.get("AIDROUTE_THREADS")
    if env:
        return max(1, int(env))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def many_to_many(
    indptr: np.ndarray,
    indices: np.ndarray,
    w_time: np.ndarray,
    w_len: np.ndarray,
    sources: np.ndarray,
    targets: np.ndarray,
    *,
    threads: int | None = None,
    use_numba: bool | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Fastest travel times ``(len(sources), len(targets))`` and the lengths of those paths.

    ``sources`` and ``targets`` are node indices; ``np.inf`` time (and length) where no
    path exists. Times are exact shortest-path sums, as scipy's Dijkstra computes them.
    """
    sources = np.ascontiguousarray(sources, dtype=np.int64)
    targets = np.asarray(targets, dtype=np.int64)
    n = indptr.shape[0] - 1
    uniq_t, t_inv = np.unique(targets, return_inverse=True)
    out_t = np.full((len(sources), len(uniq_t)), np.inf)
    out_d = np.full((len(sources), len(uniq_t)), np.inf)
    if len(sources) and len(uniq_t):
        if use_numba is None:
            use_numba = HAVE_NUMBA
        if use_numba:
            _numba_rows(
                indptr,
                indices,
                w_time,
                w_len,
                sources,
                uniq_t,
                n,
                out_t,
                out_d,
                threads or default_threads(),
            )
        else:
            scipy_rows(indptr, indices, w_time, w_len, sources, uniq_t, out_t, out_d)
    return out_t[:, t_inv], out_d[:, t_inv]


def _numba_rows(
    indptr: np.ndarray,
    indices: np.ndarray,
    w_time: np.ndarray,
    w_len: np.ndarray,
    sources: np.ndarray,
    uniq_t: np.ndarray,
    n: int,
    out_t: np.ndarray,
    out_d: np.ndarray,
    threads: int,
) -> None:
    slot = np.full(n, -1, dtype=np.int64)
    slot[uniq_t] = np.arange(len(uniq_t))
    args: tuple[Any, ...] = (
        np.ascontiguousarray(indptr, dtype=np.int64),
        np.ascontiguousarray(indices, dtype=np.int32),
        np.ascontiguousarray(w_time, dtype=np.float64),
        np.ascontiguousarray(w_len, dtype=np.float64),
    )
    n_blocks = min(len(sources), threads * 8) if threads > 1 else 1
    bounds = np.linspace(0, len(sources), n_blocks + 1).astype(int)

    def run(b: int) -> None:
        lo, hi = bounds[b], bounds[b + 1]
        if hi > lo:
            # Each block writes its own slice of rows and has its own scratch arrays: no
            # two threads share memory.
            cap = args[1].shape[0] + 1
            assert _kernel is not None  # only called with numba
            _kernel(
                *args,
                sources[lo:hi],
                slot,
                len(uniq_t),
                out_t[lo:hi],
                out_d[lo:hi],
                np.empty(n),
                np.empty(n),
                np.empty(n, dtype=np.bool_),
                np.empty(cap),
                np.empty(cap, dtype=np.int32),
            )

    if n_blocks == 1:
        run(0)
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(run, range(n_blocks)))


def _path_kernel_py(
    indptr: np.ndarray,
    indices: np.ndarray,
    w_time: np.ndarray,
    source: int,
    target: int,
    pred: np.ndarray,
    dist: np.ndarray,
    hk: np.ndarray,
    hv: np.ndarray,
) -> None:
    """Dijkstra from ``source`` that stops once ``target`` is settled; fills ``pred``."""
    dist[:] = np.inf
    pred[:] = -1
    dist[source] = 0.0
    hk[0] = 0.0
    hv[0] = source
    size = 1
    while size > 0:
        k, v, size = heap_pop(hk, hv, size)
        if k > dist[v]:
            continue
        if v == target:
            return
        for e in range(indptr[v], indptr[v + 1]):
            w = indices[e]
            nd = k + w_time[e]
            if nd < dist[w]:
                dist[w] = nd
                pred[w] = v
                size = heap_push(hk, hv, size, nd, w)


_path_kernel = njit(**_COMPILE)(_path_kernel_py) if HAVE_NUMBA else None


def shortest_path(
    indptr: np.ndarray,
    indices: np.ndarray,
    w_time: np.ndarray,
    source: int,
    target: int,
) -> list[int]:
    """Node indices of the fastest path ``source -> target`` (``[]`` if none).

    With numba the search stops as soon as the target is settled (a leg across town
    settles a few thousand nodes, not the whole city); without it, scipy's Dijkstra.
    """
    source, target = int(source), int(target)
    if source == target:
        return [source]
    n = indptr.shape[0] - 1
    if not HAVE_NUMBA:  # pragma: no cover
        return scipy_paths(indptr, indices, w_time, [(source, target)])[0]
    pred = np.empty(n, dtype=np.int64)
    dist = np.empty(n)
    hk = np.empty(indices.shape[0] + 1)
    hv = np.empty(indices.shape[0] + 1, dtype=np.int64)
    assert _path_kernel is not None
    _path_kernel(
        np.asarray(indptr, dtype=np.int64),
        np.asarray(indices, dtype=np.int32),
        np.asarray(w_time, dtype=np.float64),
        source,
        target,
        pred,
        dist,
        hk,
        hv,
    )
    if pred[target] < 0:
        return []
    out = [target]
    while out[-1] != source:
        out.append(int(pred[out[-1]]))
    return out[::-1]
