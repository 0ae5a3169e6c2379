"""Build a profile's road graph from OSM ways with numpy: osmnx's steps, without networkx.

osmnx turns ways into a ``MultiDiGraph`` (``graph_from_xml``), merges chains of
interstitial nodes (``simplify_graph``), then imputes speeds (``add_edge_speeds``) and
travel times (``add_edge_travel_times``). On a city (Porto: 256,000 nodes, 489,000 edge
segments) that takes 35-50 s and 1.3 GB in Python objects. This module does the same
steps on arrays in a couple of seconds and gives the same graph:

- one-way rules as osmnx's ``_is_path_one_way`` / ``_is_path_reversed``;
- segment lengths with ``osmnx.distance.great_circle``;
- endpoints by osmnx's rules (no incoming or no outgoing edge, or not exactly two
  neighbours with degree 2 or 4); each chain of interstitial nodes between endpoints
  becomes one edge whose length is the sum of its segments' (first parallel segment
  of each pair, as osmnx takes), whose shape is its interior nodes;
- ``maxspeed`` read as osmnx reads it (:mod:`routing.roads._maxspeed`), speeds imputed
  per highway type as the mean of known speeds over the whole simplified graph,
  ``fallback`` where a type has none; ``travel_time = length / speed``.

One difference, on purpose: where a merged chain mixes highway types, osmnx keeps
``list(set(types))[0]``, which depends on Python's string hashing (it changes from run to
run); we take the type of the chain's first segment, so imports are reproducible.
Components with no endpoint at all (isolated rings) are dropped, as osmnx does; the
caller keeps the largest strongly connected component anyway.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Any

import numpy as np

from routing.roads._maxspeed import clean_maxspeed, collapse_maxspeeds

if TYPE_CHECKING:
    pass

_ONEWAY = {"yes", "true", "1", "-1", "reverse", "T", "F"}
_REVERSED = {"-1", "reverse", "T"}


def _clean_speeds(values: list[str]) -> np.ndarray:
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        kph = clean_maxspeed(v)
        if kph is not None:
            out[i] = kph
    return out


def build_edges(
    ways: list[tuple[int, list[int], dict[str, str]]],
    coords: dict[int, tuple[float, float]],
    *,
    bidirectional: bool,
    speed_kph: float | None = None,
    fallback_kph: float | None = None,
) -> dict[str, Any]:
    """Simplified edges of the network made of ``ways``.

    Returns a dict with ``node_id``, ``lat``, ``lon`` (all nodes of the ways, sorted by
    id), and per edge ``u``, ``v`` (node indices), ``length_m``, ``travel_time_s``,
    ``speed_kph``, ``highway`` and the flat shape ``geom`` = ``(indptr, lat, lon)``.
    ``speed_kph`` set means one constant speed; else osmnx's imputation with
    ``fallback_kph``.
    """
    import pandas as pd
    from osmnx.distance import great_circle

    # --- segments, in osmnx's insertion order: per way, forward then backward ---------
    hw_codes: dict[str, int] = {}
    ms_codes: dict[str, int] = {}
    seg_nodes: list[np.ndarray] = []
    seg_way_hw: list[int] = []
    seg_way_ms: list[int] = []
    seg_counts: list[int] = []
    seg_twoway: list[bool] = []
    for _, refs, tags in ways:
        nodes = [k for k, _ in groupby(refs)]
        if len(nodes) < 2:
            continue
        oneway = not bidirectional and (
            tags.get("oneway") in _ONEWAY or tags.get("junction") == "roundabout"
        )
        if oneway and tags.get("oneway") in _REVERSED:
            nodes.reverse()
        seg_nodes.append(np.asarray(nodes, dtype=np.int64))
        seg_counts.append(len(nodes) - 1)
        seg_twoway.append(not oneway)
        hw = tags.get("highway")
        seg_way_hw.append(hw_codes.setdefault(hw, len(hw_codes)) if hw is not None else -1)
        ms = tags.get("maxspeed")
        seg_way_ms.append(ms_codes.setdefault(ms, len(ms_codes)) if ms is not None else -1)
    if not seg_nodes:
        raise ValueError("no ways with two or more nodes")
    counts = np.array(seg_counts, dtype=np.int64)
    twoway = np.array(seg_twoway, dtype=bool)
    # Each way contributes its forward segments, then (two-way) the reversed ones.
    fwd_u = np.concatenate([a[:-1] for a in seg_nodes])
    fwd_v = np.concatenate([a[1:] for a in seg_nodes])
    way_of_fwd = np.repeat(np.arange(len(counts)), counts)
    per_way = counts * (1 + twoway)
    start = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(per_way, out=start[1:])
    pos_in_way = np.arange(len(fwd_u)) - np.repeat(np.cumsum(counts) - counts, counts)
    fwd_pos = start[:-1][way_of_fwd] + pos_in_way
    back = twoway[way_of_fwd]
    back_pos = fwd_pos[back] + counts[way_of_fwd[back]]
    n_seg = int(start[-1])
    su = np.empty(n_seg, dtype=np.int64)
    sv = np.empty(n_seg, dtype=np.int64)
    sway = np.empty(n_seg, dtype=np.int64)
    su[fwd_pos], sv[fwd_pos], sway[fwd_pos] = fwd_u, fwd_v, way_of_fwd
    su[back_pos], sv[back_pos], sway[back_pos] = fwd_v[back], fwd_u[back], way_of_fwd[back]

    # Every node of a way is the head or tail of a forward segment.
    node_id = np.unique(np.concatenate((fwd_u, fwd_v)))
    su, sv = np.searchsorted(node_id, su), np.searchsorted(node_id, sv)
    n = len(node_id)
    get = coords.__getitem__
    latlon = np.array([get(i) for i in node_id.tolist()], dtype=float).reshape(-1, 2)
    lat, lon = latlon[:, 0].copy(), latlon[:, 1].copy()
    seg_len = great_circle(lat[su], lon[su], lat[sv], lon[sv])
    seg_len[np.isnan(seg_len)] = 0
    way_hw = np.array(seg_way_hw, dtype=np.int64)
    way_ms = np.array(seg_way_ms, dtype=np.int64)

    # --- endpoints (osmnx simplification._is_endpoint) --------------------------------
    in_deg = np.bincount(sv, minlength=n)
    out_deg = np.bincount(su, minlength=n)
    both = np.unique(np.concatenate((su * n + sv, sv * n + su)))
    nb_a, nb_b = both // n, both % n
    nb_count = np.bincount(nb_a, minlength=n)
    selfloop = np.zeros(n, dtype=bool)
    selfloop[su[su == sv]] = True
    deg = in_deg + out_deg
    endpoint = (
        selfloop | (in_deg == 0) | (out_deg == 0) | ~((nb_count == 2) & ((deg == 2) | (deg == 4)))
    )

    # --- unique directed pairs, each with its first segment (osmnx key 0) -------------
    keys = su * n + sv
    pkeys, pfirst = np.unique(keys, return_index=True)
    pu, pv = pkeys // n, pkeys % n
    # next pair after (u -> x) for an interstitial x: (x -> w), w = x's other neighbour
    nb_start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(nb_count, out=nb_start[1:])
    nxt = np.full(len(pkeys), -1, dtype=np.int64)
    inter = ~endpoint[pv]
    x = pv[inter]
    first_nb = nb_b[nb_start[x]]
    second_nb = nb_b[np.minimum(nb_start[x] + 1, len(nb_b) - 1)]
    w = np.where(first_nb == pu[inter], second_nb, first_nb)
    want = x * n + w
    at = np.minimum(np.searchsorted(pkeys, want), len(pkeys) - 1)
    nxt[inter] = np.where(pkeys[at] == want, at, -1)

    # --- chains from each endpoint through interstitial nodes -------------------------
    starts = np.flatnonzero(endpoint[pu] & ~endpoint[pv])
    n_chain = len(starts)
    c_len = np.zeros(n_chain)
    c_first = pfirst[starts]
    c_last = np.empty(n_chain, dtype=np.int64)
    ms_chain: list[np.ndarray] = []
    ms_code: list[np.ndarray] = []
    steps_chain: list[np.ndarray] = []
    steps_node: list[np.ndarray] = []
    chain = np.arange(n_chain)
    cur = starts
    guard = len(pkeys) + 1
    while cur.size and guard:
        guard -= 1
        c_len[chain] += seg_len[pfirst[cur]]
        ms = way_ms[sway[pfirst[cur]]]
        ms_chain.append(chain[ms >= 0])
        ms_code.append(ms[ms >= 0])
        c_last[chain] = pv[cur]
        head = pv[cur]
        go = ~endpoint[head] & (nxt[cur] >= 0)
        steps_chain.append(chain[go])
        steps_node.append(head[go])
        chain, cur = chain[go], nxt[cur[go]]
    # interior shape of each chain, in walking order
    sc = np.concatenate(steps_chain) if steps_chain else np.zeros(0, dtype=np.int64)
    sn = np.concatenate(steps_node) if steps_node else np.zeros(0, dtype=np.int64)
    order = np.argsort(sc, kind="stable")
    sc, sn = sc[order], sn[order]
    c_geo_ptr = np.zeros(n_chain + 1, dtype=np.int64)
    np.cumsum(np.bincount(sc, minlength=n_chain), out=c_geo_ptr[1:])

    # --- edges between two endpoints stay as they are, parallels included --------------
    direct = np.flatnonzero(endpoint[su] & endpoint[sv])
    e_u = np.concatenate((pu[starts], su[direct]))
    e_v = np.concatenate((c_last, sv[direct]))
    e_len = np.concatenate((c_len, seg_len[direct]))
    e_hw = np.concatenate((way_hw[sway[c_first]], way_hw[sway[direct]]))
    geo_ptr = np.concatenate((c_geo_ptr, c_geo_ptr[-1] + np.zeros(len(direct), dtype=np.int64)))
    geom = (geo_ptr, lat[sn], lon[sn])

    # --- speeds and travel times (osmnx add_edge_speeds / add_edge_travel_times) -------
    if speed_kph is not None:
        speed = np.full(len(e_u), float(speed_kph))
    else:
        ms_names = list(ms_codes)
        clean = np.append(_clean_speeds(ms_names), np.nan)  # code -1 (no tag) -> nan
        d_speed = clean[way_ms[sway[direct]]]
        # A chain's maxspeed: its one value, or osmnx's collapse of its distinct values.
        c_speed = np.full(n_chain, np.nan)
        mc = np.concatenate(ms_chain) if ms_chain else np.zeros(0, dtype=np.int64)
        mv = np.concatenate(ms_code) if ms_code else np.zeros(0, dtype=np.int64)
        pairs = np.unique(mc * (len(ms_names) + 1) + mv)
        pc, pm = pairs // (len(ms_names) + 1), pairs % (len(ms_names) + 1)
        n_vals = np.bincount(pc, minlength=n_chain)
        single = n_vals[pc] == 1
        c_speed[pc[single]] = clean[pm[single]]
        for c in np.unique(pc[~single]).tolist():
            val = collapse_maxspeeds([ms_names[i] for i in pm[pc == c].tolist()])
            c_speed[c] = np.nan if val is None else val
        speed = np.concatenate((c_speed, d_speed))
        hw_names = np.array([*hw_codes, None], dtype=object)
        frame = pd.DataFrame({"highway": hw_names[e_hw], "speed_kph": speed})
        avg = pd.Series(dtype=float)
        for hw, group in frame.groupby("highway"):
            avg.loc[hw] = np.mean(group["speed_kph"])
        avg = avg.fillna(np.nan if fallback_kph is None else fallback_kph).fillna(np.mean(avg))
        imputed = frame["highway"].map(avg).to_numpy(dtype=float)
        speed = np.where(np.isnan(speed), imputed, speed)
        if np.isnan(speed).all():
            raise ValueError("no maxspeed tags and no fallback speed")
    travel_time = (e_len / 1000) / (speed / (60 * 60))
    hw_list = [*hw_codes, ""]
    return {
        "node_id": node_id,
        "lat": lat,
        "lon": lon,
        "u": e_u,
        "v": e_v,
        "length_m": e_len,
        "travel_time_s": travel_time,
        "speed_kph": speed,
        "highway": [hw_list[i] for i in e_hw],
        "geom": geom,
    }
