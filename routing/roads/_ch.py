"""Contraction hierarchies: exact many-to-many travel times on city graphs in a blink.

A plain Dijkstra from each of 2,000 sources settles the whole city 2,000 times (Porto:
50,000 nodes, about 5-10 ms each). A contraction hierarchy (Geisberger et al., 2008)
orders the nodes by importance and adds "shortcut" edges so that every shortest path
goes up the order and then down. Then:

- from each target, a backward search that only climbs settles a few hundred nodes and
  leaves ``(target, time, length)`` in a bucket at each;
- from each source, a forward search that only climbs scans the buckets it meets; the
  best meeting point gives the exact shortest time.

Contraction is done once per graph (a few seconds for a city) and can be saved with the
area. Shortcuts carry both the time and the length of the two edges they replace, so
the length of each fastest path comes out too. Witness searches are bounded, which can
only add unneeded shortcuts, never lose a path: answers stay exact (checked against
scipy in the tests and in ``benchmarks/roads.py``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

# Without numba, hierarchies cannot be built or queried; saved ones still load.
from routing.roads._heap import HAVE_NUMBA, njit
from routing.roads._heap import heap_pop as _pop
from routing.roads._heap import heap_push as _push

INF = np.inf
#: Nodes a witness search may settle before giving up (then a shortcut is added).
WITNESS_SETTLE_LIMIT = 60


@njit(cache=True)
def _process(
    v,
    do_it,
    m,
    cap,
    src,
    dst,
    wt,
    wl,
    onext,
    inext,
    ohead,
    ihead,
    contracted,
    dist,
    touched,
    hk,
    hv,
    settle_limit,
):
    """Simulate (``do_it`` False) or do the contraction of ``v``; edge difference first."""
    hcap = hk.shape[0]
    shortcuts = 0
    degree = 0
    e_in = ihead[v]
    while e_in != -1:
        u = src[e_in]
        if contracted[u] or u == v:
            e_in = inext[e_in]
            continue
        degree += 1
        t_uv = wt[e_in]
        max_out = -1.0
        e_out = ohead[v]
        while e_out != -1:
            w = dst[e_out]
            if not contracted[w] and w != u and w != v and wt[e_out] > max_out:
                max_out = wt[e_out]
            e_out = onext[e_out]
        if max_out < 0:
            e_in = inext[e_in]
            continue
        max_d = t_uv + max_out
        # bounded witness search from u, avoiding v
        ntouch = 1
        dist[u] = 0.0
        touched[0] = u
        size = _push(hk, hv, 0, 0.0, u)
        settled = 0
        while size > 0:
            k, x, size = _pop(hk, hv, size)
            if k > dist[x]:
                continue
            if k > max_d:
                break
            settled += 1
            if settled > settle_limit:
                break
            e = ohead[x]
            while e != -1:
                y = dst[e]
                if not contracted[y] and y != v:
                    nd = k + wt[e]
                    if nd < dist[y]:
                        if dist[y] == INF:
                            touched[ntouch] = y
                            ntouch += 1
                        dist[y] = nd
                        if size < hcap:
                            size = _push(hk, hv, size, nd, y)
                e = onext[e]
        e_out = ohead[v]
        while e_out != -1:
            w = dst[e_out]
            if not contracted[w] and w != u and w != v:
                via = t_uv + wt[e_out]
                if dist[w] > via:
                    shortcuts += 1
                    if do_it:
                        lv = wl[e_in] + wl[e_out]
                        found = -1
                        f = ohead[u]
                        while f != -1:
                            if dst[f] == w:
                                found = f
                                break
                            f = onext[f]
                        if found >= 0:
                            if via < wt[found]:
                                wt[found] = via
                                wl[found] = lv
                        else:
                            if m == cap:
                                cap2 = cap * 2
                                src2 = np.empty(cap2, np.int64)
                                src2[:cap] = src
                                dst2 = np.empty(cap2, np.int64)
                                dst2[:cap] = dst
                                wt2 = np.empty(cap2, np.float64)
                                wt2[:cap] = wt
                                wl2 = np.empty(cap2, np.float64)
                                wl2[:cap] = wl
                                on2 = np.empty(cap2, np.int64)
                                on2[:cap] = onext
                                in2 = np.empty(cap2, np.int64)
                                in2[:cap] = inext
                                src, dst, wt, wl, onext, inext = src2, dst2, wt2, wl2, on2, in2
                                cap = cap2
                            src[m] = u
                            dst[m] = w
                            wt[m] = via
                            wl[m] = lv
                            onext[m] = ohead[u]
                            ohead[u] = m
                            inext[m] = ihead[w]
                            ihead[w] = m
                            m += 1
            e_out = onext[e_out]
        for i in range(ntouch):
            dist[touched[i]] = INF
        e_in = inext[e_in]
    e_out = ohead[v]
    while e_out != -1:
        if not contracted[dst[e_out]] and dst[e_out] != v:
            degree += 1
        e_out = onext[e_out]
    return shortcuts - degree, m, cap, src, dst, wt, wl, onext, inext


@njit(cache=True)
def _contract(n, src0, dst0, t0, l0, settle_limit):
    """Contract every node; return (rank, edge src, dst, time, length) incl. shortcuts."""
    cap = max(16, 4 * src0.shape[0])
    src = np.empty(cap, np.int64)
    dst = np.empty(cap, np.int64)
    wt = np.empty(cap, np.float64)
    wl = np.empty(cap, np.float64)
    onext = np.empty(cap, np.int64)
    inext = np.empty(cap, np.int64)
    ohead = np.full(n, -1, np.int64)
    ihead = np.full(n, -1, np.int64)
    m = 0
    for e in range(src0.shape[0]):
        u = src0[e]
        v = dst0[e]
        src[m] = u
        dst[m] = v
        wt[m] = t0[e]
        wl[m] = l0[e]
        onext[m] = ohead[u]
        ohead[u] = m
        inext[m] = ihead[v]
        ihead[v] = m
        m += 1
    contracted = np.zeros(n, np.bool_)
    cn = np.zeros(n, np.int64)
    rank = np.full(n, -1, np.int64)
    dist = np.full(n, INF)
    touched = np.empty(n, np.int64)
    hcap = cap + n + 16
    hk = np.empty(hcap, np.float64)
    hv = np.empty(hcap, np.int64)
    nbr_seen = np.full(n, -1, np.int64)

    # initial priorities
    pk = np.empty(n + 1, np.float64)
    pv = np.empty(n + 1, np.int64)
    psize = 0
    for v in range(n):
        ed, m, cap, src, dst, wt, wl, onext, inext = _process(
            v,
            False,
            m,
            cap,
            src,
            dst,
            wt,
            wl,
            onext,
            inext,
            ohead,
            ihead,
            contracted,
            dist,
            touched,
            hk,
            hv,
            settle_limit,
        )
        psize = _push(pk, pv, psize, 2.0 * ed, v)
    order = 0
    while psize > 0:
        _k, v, psize = _pop(pk, pv, psize)
        if contracted[v]:
            continue
        ed, m, cap, src, dst, wt, wl, onext, inext = _process(
            v,
            False,
            m,
            cap,
            src,
            dst,
            wt,
            wl,
            onext,
            inext,
            ohead,
            ihead,
            contracted,
            dist,
            touched,
            hk,
            hv,
            settle_limit,
        )
        prio = 2.0 * ed + cn[v]
        if psize > 0 and prio > pk[0]:
            psize = _push(pk, pv, psize, prio, v)
            continue
        ed, m, cap, src, dst, wt, wl, onext, inext = _process(
            v,
            True,
            m,
            cap,
            src,
            dst,
            wt,
            wl,
            onext,
            inext,
            ohead,
            ihead,
            contracted,
            dist,
            touched,
            hk,
            hv,
            settle_limit,
        )
        contracted[v] = True
        rank[v] = order
        order += 1
        # neighbours get one more contracted neighbour
        e = ohead[v]
        while e != -1:
            y = dst[e]
            if not contracted[y] and nbr_seen[y] != v:
                nbr_seen[y] = v
                cn[y] += 1
            e = onext[e]
        e = ihead[v]
        while e != -1:
            y = src[e]
            if not contracted[y] and nbr_seen[y] != v:
                nbr_seen[y] = v
                cn[y] += 1
            e = inext[e]
    return rank, src[:m].copy(), dst[:m].copy(), wt[:m].copy(), wl[:m].copy()


@dataclass(frozen=True, eq=False)
class Hierarchy:
    """A contracted graph: ``rank`` per node and two upward graphs in CSR form.

    ``up_*``: edges ``u -> w`` with ``rank[u] < rank[w]`` (forward searches);
    ``down_*``: for each node ``w``, edges from higher-ranked ``u`` into it, stored as
    ``w -> u`` (backward searches climb them).
    """

    rank: np.ndarray
    up_indptr: np.ndarray
    up_indices: np.ndarray
    up_t: np.ndarray
    up_l: np.ndarray
    down_indptr: np.ndarray
    down_indices: np.ndarray
    down_t: np.ndarray
    down_l: np.ndarray

    def arrays(self) -> dict[str, np.ndarray]:
        return {f"ch_{k}": getattr(self, k) for k in _FIELDS}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Hierarchy:
        return cls(**{k: arrays[f"ch_{k}"] for k in _FIELDS})


_FIELDS = (
    "rank",
    "up_indptr",
    "up_indices",
    "up_t",
    "up_l",
    "down_indptr",
    "down_indices",
    "down_t",
    "down_l",
)


def _csr(n: int, a: np.ndarray, b: np.ndarray, t: np.ndarray, ln: np.ndarray):
    order = np.lexsort((b, a))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=indptr[1:])
    return indptr, b[order].astype(np.int32), t[order], ln[order]


def build_hierarchy(
    indptr: np.ndarray,
    indices: np.ndarray,
    w_time: np.ndarray,
    w_len: np.ndarray,
    settle_limit: int = WITNESS_SETTLE_LIMIT,
) -> Hierarchy:
    """Contract a CSR graph (times ``w_time``, lengths ``w_len``) into a hierarchy.

    Raises ``ImportError`` without numba (contraction in pure Python would take minutes).
    """
    if not HAVE_NUMBA:
        raise ImportError("contraction hierarchies need numba")
    n = len(indptr) - 1
    src = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    rank, s, d, t, ln = _contract(
        n,
        src,
        np.asarray(indices, dtype=np.int64),
        np.asarray(w_time, dtype=np.float64),
        np.asarray(w_len, dtype=np.float64),
        settle_limit,
    )
    keep = s != d
    s, d, t, ln = s[keep], d[keep], t[keep], ln[keep]
    up = rank[s] < rank[d]
    ui, uj, ut, ul = _csr(n, s[up], d[up], t[up], ln[up])
    di, dj, dt, dl = _csr(n, d[~up], s[~up], t[~up], ln[~up])
    return Hierarchy(rank, ui, uj, ut, ul, di, dj, dt, dl)


@njit(cache=True, nogil=True)
def _upward(indptr, indices, wt, wl, s, dist, length, touched, hk, hv, si, sj, st):
    """Dijkstra on an upward graph from ``s``, with stall-on-demand.

    ``touched[:k]`` are the settled, unstalled nodes (their ``dist``/``length`` exact);
    ``touched[n:n + r]`` every node reached, for the caller to reset to inf. A node is
    stalled when one of its higher neighbours (edges ``si/sj/st``: the other direction's
    upward graph) already offers a shorter way to it: it is neither expanded nor scanned,
    which shrinks the searches without losing any shortest path.
    """
    ntouch = 0
    nreached = 1
    dist[s] = 0.0
    length[s] = 0.0
    reached = touched[touched.shape[0] // 2 :]
    reached[0] = s
    size = _push(hk, hv, 0, 0.0, s)
    while size > 0:
        k, x, size = _pop(hk, hv, size)
        if k > dist[x]:
            continue
        stalled = False
        for e in range(si[x], si[x + 1]):
            if dist[sj[e]] + st[e] < k:
                stalled = True
                break
        if stalled:
            continue
        touched[ntouch] = x
        ntouch += 1
        for e in range(indptr[x], indptr[x + 1]):
            y = indices[e]
            nd = k + wt[e]
            if nd < dist[y]:
                if dist[y] == INF:
                    reached[nreached] = y
                    nreached += 1
                dist[y] = nd
                length[y] = length[x] + wl[e]
                size = _push(hk, hv, size, nd, y)
    return ntouch, nreached


@njit(cache=True, nogil=True)
def _backward_buckets(di, dj, dt, dl, targets, n, ui, uj, ut):
    """Backward upward searches from every target; buckets sorted by node (CSR)."""
    dist = np.full(n, INF)
    length = np.zeros(n)
    touched = np.empty(2 * n, np.int64)
    hk = np.empty(dj.shape[0] + 16, np.float64)
    hv = np.empty(dj.shape[0] + 16, np.int64)
    cap = max(1024, targets.shape[0] * 256)
    b_node = np.empty(cap, np.int64)
    b_tgt = np.empty(cap, np.int64)
    b_t = np.empty(cap, np.float64)
    b_l = np.empty(cap, np.float64)
    m = 0
    for j in range(targets.shape[0]):
        k, r = _upward(di, dj, dt, dl, targets[j], dist, length, touched, hk, hv, ui, uj, ut)
        if m + k > cap:
            cap2 = max(2 * cap, m + k)
            x1 = np.empty(cap2, np.int64)
            x1[:m] = b_node[:m]
            x2 = np.empty(cap2, np.int64)
            x2[:m] = b_tgt[:m]
            x3 = np.empty(cap2, np.float64)
            x3[:m] = b_t[:m]
            x4 = np.empty(cap2, np.float64)
            x4[:m] = b_l[:m]
            b_node, b_tgt, b_t, b_l, cap = x1, x2, x3, x4, cap2
        for i in range(k):
            x = touched[i]
            b_node[m] = x
            b_tgt[m] = j
            b_t[m] = dist[x]
            b_l[m] = length[x]
            m += 1
        reached = touched[n:]
        for i in range(r):
            dist[reached[i]] = INF
    order = np.argsort(b_node[:m], kind="mergesort")
    ptr = np.zeros(n + 1, np.int64)
    for i in range(m):
        ptr[b_node[i] + 1] += 1
    for i in range(n):
        ptr[i + 1] += ptr[i]
    return ptr, b_tgt[:m][order], b_t[:m][order], b_l[:m][order]


@njit(cache=True, nogil=True)
def _forward_rows(ui, uj, ut, ul, sources, n, ptr, b_tgt, b_t, b_l, out_t, out_d, di, dj, dt):
    dist = np.full(n, INF)
    length = np.zeros(n)
    touched = np.empty(2 * n, np.int64)
    hk = np.empty(uj.shape[0] + 16, np.float64)
    hv = np.empty(uj.shape[0] + 16, np.int64)
    for row in range(sources.shape[0]):
        k, r = _upward(ui, uj, ut, ul, sources[row], dist, length, touched, hk, hv, di, dj, dt)
        for i in range(k):
            x = touched[i]
            dx = dist[x]
            lx = length[x]
            for b in range(ptr[x], ptr[x + 1]):
                j = b_tgt[b]
                d = dx + b_t[b]
                if d < out_t[row, j]:
                    out_t[row, j] = d
                    out_d[row, j] = lx + b_l[b]
        reached = touched[n:]
        for i in range(r):
            dist[reached[i]] = INF


def many_to_many_ch(
    h: Hierarchy, sources: np.ndarray, targets: np.ndarray, threads: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Exact fastest times ``(len(sources), len(targets))`` and their path lengths."""
    n = len(h.rank)
    sources = np.ascontiguousarray(sources, dtype=np.int64)
    targets = np.ascontiguousarray(targets, dtype=np.int64)
    ptr, b_tgt, b_t, b_l = _backward_buckets(
        h.down_indptr,
        h.down_indices,
        h.down_t,
        h.down_l,
        targets,
        n,
        h.up_indptr,
        h.up_indices,
        h.up_t,
    )
    out_t = np.full((len(sources), len(targets)), np.inf)
    out_d = np.full((len(sources), len(targets)), np.inf)
    blocks = max(1, min(len(sources), threads * 4)) if threads > 1 else 1
    bounds = np.linspace(0, len(sources), blocks + 1).astype(int)

    def run(b: int) -> None:
        lo, hi = bounds[b], bounds[b + 1]
        if hi > lo:
            _forward_rows(
                h.up_indptr,
                h.up_indices,
                h.up_t,
                h.up_l,
                sources[lo:hi],
                n,
                ptr,
                b_tgt,
                b_t,
                b_l,
                out_t[lo:hi],
                out_d[lo:hi],
                h.down_indptr,
                h.down_indices,
                h.down_t,
            )

    if blocks == 1:
        run(0)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(run, range(blocks)))
    return out_t, out_d
