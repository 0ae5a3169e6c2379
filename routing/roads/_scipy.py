"""Exact shortest paths with scipy's Dijkstra: no compiling, nothing to load.

For small work (a neighbourhood's graph, a week of a hundred stops) this is faster than
the compiled kernels of :mod:`routing.roads._dijkstra` and :mod:`routing.roads._ch` once
their loading is counted (importing numba and reading its cache take about 0.7 s), and it
is the fallback where numba is missing. Times are the same exact sums.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csgraph, csr_matrix


def _csr(indptr: np.ndarray, indices: np.ndarray, w_time: np.ndarray) -> csr_matrix:
    n = indptr.shape[0] - 1
    return csr_matrix((w_time, indices, indptr), shape=(n, n))


def scipy_rows(
    indptr: np.ndarray,
    indices: np.ndarray,
    w_time: np.ndarray,
    w_len: np.ndarray,
    sources: np.ndarray,
    uniq_t: np.ndarray,
    out_t: np.ndarray,
    out_d: np.ndarray,
    trees: dict[int, np.ndarray] | None = None,
) -> None:
    """Fill ``out_t[i, j]`` with the fastest time from ``sources[i]`` to ``uniq_t[j]``
    (sorted, unique node indices) and ``out_d`` with that path's length; keep each
    source's fastest-path tree in ``trees`` (for :func:`scipy_paths`)."""
    n = indptr.shape[0] - 1
    graph = _csr(indptr, indices, w_time)
    src_of_edge = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    keys = src_of_edge * n + indices
    block = max(1, int(2e7 // max(n, 1)))
    for lo in range(0, len(sources), block):
        srcs = sources[lo : lo + block]
        dist, pred = csgraph.dijkstra(graph, indices=srcs, return_predecessors=True)
        if trees is not None:
            trees.update(zip(srcs.tolist(), pred, strict=True))
        rows = np.arange(len(srcs))[:, None]
        out_t[lo : lo + len(srcs)] = dist[:, uniq_t]
        # Walk every (source, target) pair back to its source at once, adding edge lengths.
        cur = np.broadcast_to(uniq_t, (len(srcs), len(uniq_t))).copy()
        acc = np.zeros(cur.shape)
        reach = np.isfinite(dist[rows, cur])
        while True:
            p = pred[rows, cur]
            live = p >= 0
            if not live.any():
                break
            e = np.searchsorted(keys, p[live] * n + cur[live])
            acc[live] += w_len[e]
            cur[live] = p[live]
        out_d[lo : lo + len(srcs)] = np.where(reach, acc, np.inf)


def scipy_paths(
    indptr: np.ndarray,
    indices: np.ndarray,
    w_time: np.ndarray,
    legs: list[tuple[int, int]],
    trees: dict[int, np.ndarray] | None = None,
) -> list[list[int]]:
    """Node indices of the fastest path of each ``(source, target)`` leg (``[]`` where none
    exists), from one Dijkstra per distinct source, or the tree kept in ``trees`` (by
    :func:`scipy_rows`, or here) of a source searched from before."""
    sources = sorted({s for s, _ in legs})
    if not sources:
        return []
    kept = trees if trees is not None else {}
    # Each kept tree read once: another thread may clear them meanwhile.
    tree = {s: row for s in sources if (row := kept.get(s)) is not None}
    new = [s for s in sources if s not in tree]
    if new:
        _, pred = csgraph.dijkstra(
            _csr(indptr, indices, w_time), indices=new, return_predecessors=True
        )
        fresh = dict(zip(new, pred, strict=True))
        tree.update(fresh)
        kept.update(fresh)
    out: list[list[int]] = []
    for s, t in legs:
        p = tree[s]
        if s == t:
            out.append([s])
            continue
        if p[t] < 0:
            out.append([])
            continue
        path = [t]
        while path[-1] != s:
            path.append(int(p[path[-1]]))
        out.append(path[::-1])
    return out
