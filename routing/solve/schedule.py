"""Our own route arithmetic: the schedule of one vehicle over a sequence of stops.

:func:`evaluate` is the check every route passes: the plan builder recomputes each route
with it, the PyVRP seed and previous routes are repaired with it (:func:`keep_feasible`),
and every suggested fix is checked with it. :func:`time_shares`, :func:`box_shares` and
:func:`balance_coef` are the balance the OR-Tools model, the PyVRP seed and
:mod:`~routing.solve.cost` price.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from routing.model import Stop
from routing.solve.data import BIG, SolveData


@dataclass
class Schedule:
    """When vehicle ``vi`` reaches the hub, each stop and its end, and whether that fits."""

    feasible: bool
    why: str  # "", "time", "capacity", "max_stops", "distance", "window"
    hub_arrival_s: int = 0
    starts: list[int] = field(default_factory=list)
    arrivals: list[int] = field(default_factory=list)
    end_s: int = 0
    distance_m: int = 0
    boxes: int = 0
    over_s: int = 0  # how far past the driver's hours (or max route time) it ends


def _window_start(stop: Stop, arrival: int) -> int | None:
    """Earliest service start at or after ``arrival`` inside one of the stop's windows."""
    if not stop.windows:
        return arrival
    for w in stop.windows:
        if arrival <= w.end_s:
            return max(arrival, w.start_s)
    return None


def _window_open(stop: Stop, start: int) -> int:
    """Start of the window containing service start ``start`` (no window: unbounded)."""
    for w in stop.windows:
        if w.start_s <= start <= w.end_s:
            return w.start_s
    return -BIG


def _window_end(stop: Stop, start: int) -> int:
    """End of the window containing service start ``start`` (no window: unbounded)."""
    for w in stop.windows:
        if w.start_s <= start <= w.end_s:
            return w.end_s
    return BIG


def evaluate(
    data: SolveData, vi: int, seq: Sequence[int], extra_s: int = 0, extra_stops: int = 0
) -> Schedule:
    """Schedule vehicle ``vi`` over stop nodes ``seq`` with the least waiting, leaving the hub
    as early as that allows.

    ``extra_s`` lengthens the driver's hours (and max route time), ``extra_stops`` raises
    their maximum stops, for checking a fix.
    """
    v = data.vehicles[vi]
    tr, di = data.travel[v.profile], data.dist[v.profile]
    start, end = data.start_node(vi), data.end_node(vi)
    stops = data.stops
    boxes = sum(stops[i].boxes for i in seq)
    frozen = sum(stops[i].frozen for i in seq)
    if boxes > v.capacity or frozen > v.capacity_frozen:
        return Schedule(False, "capacity", boxes=boxes)
    if len(seq) > v.max_stops + extra_stops:
        return Schedule(False, "max_stops", boxes=boxes)

    def forward(t0: int) -> tuple[list[int], list[int], int, list[int]] | None:
        t = t0 + int(data.service[start])
        prev = start
        starts, arrivals, waits = [], [], []
        for i in seq:
            arr = t + int(tr[prev, i])
            st = _window_start(stops[i], arr)
            if st is None or arr >= BIG:
                return None
            arrivals.append(arr)
            starts.append(st)
            waits.append(st - arr)
            t = st + int(data.service[i])
            prev = i
        t_end = t + int(tr[prev, end])
        if t_end >= BIG:
            return None
        return starts, arrivals, t_end, waits

    shift_end = v.driver.shift.end_s + extra_s
    max_span = v.max_span_s + extra_s

    def settle(t0: int) -> tuple[int, tuple[list[int], list[int], int, list[int]]] | None:
        """Leave at ``t0``, then later while that removes waiting (the windows and the
        driver's hours allowing): the departure and its schedule."""
        res = forward(t0)
        for _ in range(len(seq) + 1):
            if res is None or not any(res[3]):
                break
            starts, _, t_end, waits = res
            delay = v.latest_hub_s - t0
            acc = 0
            for k, i in enumerate(seq):
                acc += waits[k]
                delay = min(delay, _window_end(stops[i], starts[k]) - starts[k] + acc)
            delay = min(delay, shift_end - t_end + acc, acc)  # no later than the waits need
            if delay <= 0:
                break
            later = forward(t0 + delay)
            if later is None:
                break
            t0, res = t0 + delay, later
        return None if res is None else (t0, res)

    settled = settle(v.earliest_hub_s)
    if settled is None:
        return Schedule(False, "window", boxes=boxes)
    t0, res = settled
    starts, arrivals, t_end, waits = res
    if seq and not any(waits):
        # Then come back as early as the same no-wait schedule allows: volunteers start
        # when their hours start and finish early, rather than idle before setting out.
        back = t0 - v.earliest_hub_s
        for k, i in enumerate(seq):
            back = min(back, starts[k] - _window_open(stops[i], starts[k]))
        if back > 0:
            t0 -= back
            earlier = forward(t0)
            assert earlier is not None
            res = earlier
            starts, arrivals, t_end, waits = res
    if any(waits) and any(len(stops[i].windows) > 1 for i in seq):
        # With several windows, leaving later can jump a stop to a later window and
        # shorten the route (less waiting): try every departure that meets some window's
        # start or end, each settled as above, as the search's own schedule does.
        earliest = v.earliest_hub_s
        cands = set()
        cum = int(data.service[start])
        prev = start
        for i in seq:
            cum += int(tr[prev, i])
            for w in stops[i].windows:
                # Meeting the window's start, or its very end (so that a later stop is
                # pushed past the window it would have waited in, to its next one).
                for at in (w.start_s - cum, w.end_s - cum):
                    if earliest <= at <= v.latest_hub_s:
                        cands.add(at)
            cum += int(data.service[i])
            prev = i
        for cand in sorted(cands):
            alt = settle(cand)
            if alt is None or alt[1][2] > shift_end:
                continue
            if alt[1][2] - alt[0] < t_end - t0:
                t0, res = alt
                starts, arrivals, t_end, _ = res
    distance = 0
    prev = start
    for i in seq:
        distance += int(di[prev, i])
        prev = i
    distance += int(di[prev, end])
    over = max(t_end - shift_end, (t_end - t0) - max_span, 0)
    sched = Schedule(True, "", t0, starts, arrivals, t_end, distance, boxes, over)
    if over > 0:
        sched.feasible, sched.why = False, "time"
    elif distance > v.max_distance_m:
        sched.feasible, sched.why = False, "distance"
    return sched


def alone_feasible(
    data: SolveData, i: int, vehicles: Sequence[int], cols: dict[str, np.ndarray] | None = None
) -> np.ndarray:
    """Whether each of ``vehicles`` can serve stop node ``i`` on a route of its own: what
    ``evaluate(data, vi, [i]).feasible`` says, for all of them at once (a big week has
    hundreds of thousands of such pairs).

    The same arithmetic as :func:`evaluate` for one stop, in arrays: arrive as early as the
    hours allow, leave the hub later to cut the wait, and with several windows try leaving
    just in time for each. ``cols`` is :func:`vehicle_columns` (computed when not given).
    """
    vs = np.asarray(vehicles, dtype=np.int64)
    if not vs.size:
        return np.zeros(0, dtype=bool)
    stop = data.stops[i]
    cols = vehicle_columns(data) if cols is None else cols
    start_nodes = data.n_stops + 2 * vs
    tin = np.empty(vs.size, dtype=np.int64)
    tout = np.empty(vs.size, dtype=np.int64)
    dist = np.empty(vs.size, dtype=np.int64)
    profiles = cols["profile"][vs]
    for p in sorted(set(profiles.tolist())):
        where = np.flatnonzero(profiles == p)
        tr, di = data.travel[p], data.dist[p]
        tin[where] = tr[start_nodes[where], i]
        tout[where] = tr[i, start_nodes[where] + 1]
        dist[where] = di[start_nodes[where], i] + di[i, start_nodes[where] + 1]
    early, late = cols["early"][vs], cols["late"][vs]
    load, shift_end, max_span = cols["load"][vs], cols["shift_end"][vs], cols["max_span"][vs]
    serve = int(data.service[i])
    ok = (
        (stop.boxes <= cols["capacity"][vs])
        & (stop.frozen <= cols["frozen"][vs])
        & (cols["max_stops"][vs] >= 1)
    )
    arrive = early + load + tin
    ok &= arrive < BIG
    if stop.windows:
        w_start = np.array([w.start_s for w in stop.windows], dtype=np.int64)
        w_end = np.array([w.end_s for w in stop.windows], dtype=np.int64)
        fits = arrive[:, None] <= w_end[None, :]
        ok &= fits.any(axis=1)
        k = np.argmax(fits, axis=1)  # the first window still open on arrival
        open_s, close_s = w_start[k], w_end[k]
    else:
        open_s = np.full(vs.size, -BIG, dtype=np.int64)
        close_s = np.full(vs.size, BIG, dtype=np.int64)
    begin = np.maximum(arrive, open_s)
    end = begin + serve + tout
    ok &= end < BIG
    wait = begin - arrive
    # Leave the hub later to cut the wait (as evaluate does), within the window and hours.
    delay = np.minimum(np.minimum(late - early, close_s - begin + wait), shift_end - end + wait)
    delay = np.maximum(0, delay)
    depart = early + delay
    begin = np.maximum(arrive + delay, open_s)
    end = begin + serve + tout
    span = end - depart
    # Without a wait evaluate moves the whole route earlier: the span stays, the end only
    # gets earlier.
    back = np.where(begin == arrive + delay, np.minimum(depart - early, begin - open_s), 0)
    end -= np.maximum(0, back)
    if len(stop.windows) > 1:
        # Leaving just in time for a later window: the route without any wait (when the
        # route waits, as evaluate does).
        tight = load + tin + serve + tout
        better = np.zeros(vs.size, dtype=bool)
        tight_end = np.zeros(vs.size, dtype=np.int64)
        for w in sorted(stop.windows, key=lambda w: w.start_s):
            leave = w.start_s - (load + tin)
            good = (
                ~better
                & (early <= leave)
                & (leave <= late)
                & (w.start_s + serve + tout <= shift_end)
                & (w.start_s + serve + tout < BIG)
                & (tight < span)
            )
            tight_end = np.where(good, w.start_s + serve + tout, tight_end)
            better |= good
        end = np.where(better, tight_end, end)
        span = np.where(better, tight, span)
    ok &= (end <= shift_end) & (span <= max_span)
    ok &= dist <= cols["max_distance"][vs]
    return ok


def vehicle_columns(data: SolveData) -> dict[str, np.ndarray]:
    """Each vehicle's hours and limits as arrays (for :func:`alone_feasible`)."""
    vs = data.vehicles
    return {
        "profile": np.array([v.profile for v in vs]),
        "early": np.array([v.earliest_hub_s for v in vs], dtype=np.int64),
        "late": np.array([v.latest_hub_s for v in vs], dtype=np.int64),
        "load": data.service[data.n_stops :: 2][: len(vs)].astype(np.int64),
        "shift_end": np.array([v.driver.shift.end_s for v in vs], dtype=np.int64),
        "max_span": np.array([v.max_span_s for v in vs], dtype=np.int64),
        "max_distance": np.array([v.max_distance_m for v in vs], dtype=np.int64),
        "capacity": np.array([v.capacity for v in vs], dtype=np.int64),
        "frozen": np.array([v.capacity_frozen for v in vs], dtype=np.int64),
        "max_stops": np.array([v.max_stops for v in vs], dtype=np.int64),
    }


def keep_feasible(data: SolveData, vi: int, seq: list[int]) -> list[int]:
    """``seq`` when vehicle ``vi`` can drive it; otherwise, in order, the stops that still
    fit, each kept when the route so far plus it passes :func:`evaluate`."""
    if not seq or evaluate(data, vi, seq).feasible:
        return seq
    kept: list[int] = []
    for i in seq:
        if evaluate(data, vi, [*kept, i]).feasible:
            kept.append(i)
    return kept


def balance_coef(data: SolveData) -> int:
    """Cost of one second of route time above a driver's fair share (a whole number)."""
    return max(1, round(data.options.balance_weight))


def time_shares(data: SolveData) -> list[int] | None:
    """Each vehicle's fair share of route time (a soft bound), or ``None`` without time
    balance. The work is a lower bound: service, plus the cheapest way into every stop (by
    any travel profile), split in proportion to the drivers' hours."""
    opts = data.options
    if (
        opts.balance not in ("time", "time_and_boxes")
        or opts.minimize_drivers
        or not data.n_stops
        or not data.vehicles
    ):
        return None
    # The cheapest way in by any profile of the fleet (with a bike among the cars, the
    # same work whichever profile's matrix comes first).
    n_s = data.n_stops
    into = np.minimum.reduce([tr[:, :n_s] for tr in data.travel.values()]).astype(float)
    into[np.arange(n_s), np.arange(n_s)] = np.inf
    into = np.where(into >= BIG, np.inf, into)
    cheapest = np.min(into, axis=0)
    work = float(np.sum(data.service[:n_s]) + np.sum(cheapest[np.isfinite(cheapest)]))
    shifts = {v.driver.id: v.driver.shift.duration_s for v in data.vehicles}
    total_shift = sum(shifts.values()) or 1
    out = []
    for v in data.vehicles:
        share = work * shifts[v.driver.id] / total_shift + v.hub.loading_s
        out.append(int(min(share, v.driver.shift.duration_s)))
    return out


def box_shares(data: SolveData) -> list[int] | None:
    """Each vehicle's fair share of the boxes (a soft bound, in proportion to its driver's
    car), or ``None`` without box balance."""
    opts = data.options
    if opts.balance not in ("boxes", "time_and_boxes") or opts.minimize_drivers:
        return None
    total = sum(s.boxes for s in data.stops)
    drivers = {v.driver.id: v.driver for v in data.vehicles}
    caps = sum(d.capacity_boxes for d in drivers.values()) or 1
    return [math.ceil(total * v.driver.capacity_boxes / caps) for v in data.vehicles]
