"""Plan routes: OR-Tools vehicle routing over the domain model, a reason for every stop left out.

This is the only module of aidroute that imports ``ortools``. :func:`solve` takes a
:class:`~routing.model.Problem`, travel matrices and :class:`SolveOptions`, and returns a
:class:`~routing.model.Plan`. It does no I/O.

How the model is built
----------------------
* Every stop is a node; every (driver, hub) pair the driver may load at is a vehicle whose
  route starts at that hub (a driver who starts at home reaches the hub first: that leg is
  a fixed offset) and ends at the driver's end place (hub, home, or "anywhere": a free end).
  A driver who may pick among several hubs gets one vehicle per hub, of which at most one
  is used.
* Dimensions: time (service start at a stop; travel + service of the previous node as
  transit; the hub's loading time at the start), boxes, a second quantity when any stop
  has ``frozen``, a stop count for ``max_stops``, and distance for ``max_distance_m``.
* Every visit is optional with a large penalty (urgent ones a much larger one), so the
  search always has a complete plan and never fails outright.
* Stops that cannot be served by anyone whatever the plan (no location, no road, too many
  boxes, a skill nobody has, a window that meets no driver's hours) are taken out before
  the search with their reason; the search only sees the rest. Stops the search leaves out
  get ``capacity``, ``max_stops`` or ``time``, and a fix checked by the solver.

Search
------
``workers=2`` (default) runs two searches in two processes and keeps the better plan by
the OR-Tools objective. The main one gives a first complete plan within a fraction of a
second (OR-Tools, PATH_CHEAPEST_ARC with every visit optional) and reports progress. When
the ``pyvrp`` package is installed (``seeding="auto"``), both processes also take a first
plan from PyVRP's genetic search on a relaxation of the model (:mod:`routing.solve.seed`),
repair it with this module's own route check and let OR-Tools GLS keep improving it under
every constraint; without pyvrp, the second process runs GLS with the multi-armed-bandit
operator setting. OR-Tools owns the model: every plan returned passed through it, and the
product plans every constraint with OR-Tools alone.

Defaults a dispatcher would pick
--------------------------------
``balance="time"``: volunteers give their time, so the default spreads route minutes among
the available drivers: each minute of a route above the driver's fair share (the work
split in proportion to the drivers' hours) costs two minutes of travel on top. With it,
``[6, 2, 2, 2]`` stops beats ``[6, 6, 0, 0]``; ``"time_and_boxes"`` also evens out boxes.
``minimize_drivers=True`` instead uses as few drivers as possible (each driver used costs
more than any detour), freeing volunteers for another day. The default time limit grows
with the number of stops.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from routing.errors import InputError, InputProblem, SolverError
from routing.model import (
    REASONS,
    Driver,
    Hub,
    Plan,
    Problem,
    Route,
    Stop,
    TimeWindow,
    TravelMatrix,
    Unassigned,
    Visit,
    format_hhmm,
    home_key,
    hub_key,
    stop_key,
)

#: Travel time or distance standing for "no road": far beyond any shift, still an int64.
_BIG = 10**9

Balance = Literal["off", "time", "boxes", "time_and_boxes"]


@dataclass(frozen=True)
class SolveOptions:
    """How to search.

    Attributes
    ----------
    time_limit_s:
        Search time. ``None`` picks a default that grows with the number of stops
        (:func:`default_time_limit_s`: 2 s plus 0.1 s per stop, at most 60 s).
    seed:
        Seed of the randomised parts (the second search and any seeding heuristic).
    balance:
        ``"time"`` (default) evens out route minutes, ``"boxes"`` the boxes carried,
        ``"time_and_boxes"`` both, ``"off"`` minimises travel only.
    balance_weight:
        Extra cost of one second of route time above a driver's fair share, in seconds
        of travel (2.0: such minutes count three times). Boxes above the fair share cost
        ``balance_weight * 60`` seconds each.
    minimize_drivers:
        Use as few drivers as possible (overrides ``balance``).
    workers:
        Parallel searches (processes); 2 uses both cores of a small machine.
    objective:
        ``"time"`` minimises travel time (seconds), ``"distance"`` travel distance (metres).
    change_cost_s:
        With ``previous``: cost, in seconds of travel, of moving a stop to another driver.
    continuity:
        Stop id -> driver id from last week's plan; preferred, softly.
    continuity_cost_s:
        Cost of giving a stop in ``continuity`` to another driver.
    locked_routes:
        Driver id -> stop ids in order: that driver's route is exactly this.
    suggest_fixes:
        Look for, and check, a fix for every stop the search leaves out.
    max_vehicles:
        When not ``None``, at most this many drivers are used.
    seeding:
        ``"auto"`` lets the second worker start from a PyVRP solution when pyvrp is
        installed and the problem fits its model; ``"off"`` uses OR-Tools only.
    """

    time_limit_s: float | None = None
    seed: int = 0
    balance: Balance = "time"
    balance_weight: float = 2.0
    minimize_drivers: bool = False
    workers: int = 2
    objective: Literal["time", "distance"] = "time"
    change_cost_s: int = 1800
    continuity: Mapping[str, str] = field(default_factory=dict)
    continuity_cost_s: int = 600
    locked_routes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    suggest_fixes: bool = True
    max_vehicles: int | None = None
    seeding: Literal["auto", "off"] = "auto"

    def __post_init__(self) -> None:
        problems: list[InputProblem] = []
        if self.time_limit_s is not None and not self.time_limit_s > 0:
            problems.append(InputProblem("time_limit_s", str(self.time_limit_s), "must be > 0"))
        if self.balance not in ("off", "time", "boxes", "time_and_boxes"):
            problems.append(
                InputProblem(
                    "balance", str(self.balance), "must be off, time, boxes or time_and_boxes"
                )
            )
        if self.max_vehicles is not None and self.max_vehicles < 1:
            problems.append(
                InputProblem("max_drivers", str(self.max_vehicles), "must be 1 or more")
            )
        if self.workers < 1:
            problems.append(InputProblem("workers", str(self.workers), "must be 1 or more"))
        if self.objective not in ("time", "distance"):
            problems.append(
                InputProblem("objective", str(self.objective), "must be time or distance")
            )
        if problems:
            raise InputError(problems)


@dataclass(frozen=True)
class SolveProgress:
    """A snapshot of the search, passed to the ``progress`` callback."""

    elapsed_s: float
    objective: int
    assigned: int
    total: int
    time_limit_s: float

    @property
    def fraction(self) -> float:
        """Share of the time limit used, 0..1 (for a progress bar)."""
        return min(1.0, self.elapsed_s / self.time_limit_s) if self.time_limit_s else 1.0


def default_time_limit_s(n_stops: int) -> float:
    """Default search time for ``n_stops`` stops: 2 s + 0.1 s per stop, at most 60 s."""
    return float(min(60.0, 2.0 + 0.1 * n_stops))


# --- Internal model ----------------------------------------------------------------------


@dataclass
class _Vehicle:
    driver: Driver
    hub: Hub
    profile: str
    pre_travel_s: int  # home -> hub, when the driver starts at home
    pre_distance_m: int
    earliest_hub_s: int  # earliest arrival at the hub
    latest_hub_s: int
    end_key: str | None  # None: the route ends anywhere
    capacity: int
    capacity_frozen: int
    max_stops: int
    max_span_s: int  # route time after reaching the hub
    max_distance_m: int  # distance after reaching the hub


@dataclass
class _Data:
    """Everything the search and the plan builder need, in plain arrays."""

    problem: Problem
    options: SolveOptions
    stops: list[Stop]  # routable stops; node i < len(stops) is stops[i]
    vehicles: list[_Vehicle]
    allowed: list[list[int]]  # per stop: vehicles allowed
    travel: dict[str, np.ndarray]  # profile -> int seconds between nodes (BIG = none)
    dist: dict[str, np.ndarray]  # profile -> int metres
    loc_keys: list[str | None]
    service: np.ndarray
    horizon: int
    penalty: list[int]
    driver_alts: dict[str, list[int]]
    fixed_cost: int = 0
    previous: Plan | None = None

    @property
    def n_stops(self) -> int:
        return len(self.stops)

    def start_node(self, v: int) -> int:
        return self.n_stops + 2 * v

    def end_node(self, v: int) -> int:
        return self.n_stops + 2 * v + 1

    @property
    def n_nodes(self) -> int:
        return self.n_stops + 2 * len(self.vehicles)


def _matrices(matrix: TravelMatrix | Mapping[str, TravelMatrix]) -> dict[str, TravelMatrix]:
    if isinstance(matrix, TravelMatrix):
        return dict.fromkeys(("drive", "bike", "walk"), matrix) | {matrix.profile: matrix}
    return dict(matrix)


def _lookup(m: TravelMatrix, keys: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Durations (ceil to whole seconds) and distances between ``keys``; inf where unknown."""
    pos = np.array([m.index(k) if k is not None and k in m else -1 for k in keys], dtype=int)
    ok = pos >= 0
    safe = np.where(ok, pos, 0)
    dur = np.asarray(m.duration_s, dtype=float)[np.ix_(safe, safe)]
    dis = np.asarray(m.distance_m, dtype=float)[np.ix_(safe, safe)]
    mask = ~(ok[:, None] & ok[None, :])
    dur = np.where(mask, np.inf, dur)
    dis = np.where(mask, np.inf, dis)
    return dur, dis


def _to_int(a: np.ndarray) -> np.ndarray:
    finite = np.isfinite(a)
    out = np.full(a.shape, _BIG, dtype=np.int64)
    out[finite] = np.minimum(np.ceil(a[finite] - 1e-9), _BIG).astype(np.int64)
    return out


def _skills_ok(stop: Stop, driver: Driver) -> bool:
    have = driver.skills | driver.languages
    return stop.requires <= have


def _hub_options(problem: Problem, driver: Driver) -> list[Hub]:
    if driver.hub is not None:
        return [problem.hub(driver.hub)]
    return list(problem.hubs)


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
    return -_BIG


def _window_end(stop: Stop, start: int) -> int:
    """End of the window containing service start ``start`` (no window: unbounded)."""
    for w in stop.windows:
        if w.start_s <= start <= w.end_s:
            return w.end_s
    return _BIG


def _build(
    problem: Problem,
    matrix: TravelMatrix | Mapping[str, TravelMatrix],
    options: SolveOptions,
    previous: Plan | None,
) -> tuple[_Data, list[Unassigned]]:
    """Sort stops into routable and unassigned-up-front, and lay out the nodes."""
    mats = _matrices(matrix)
    unassigned: list[Unassigned] = []
    locked = {d: list(seq) for d, seq in options.locked_routes.items()}
    locked_hub: dict[str, str] = {}
    if previous is not None:
        for r in previous.routes:
            locked_hub[r.driver_id] = r.hub_id

    # Vehicles: (driver, hub) pairs the driver can reach.
    vehicles: list[_Vehicle] = []
    driver_alts: dict[str, list[int]] = {}
    for d in problem.drivers:
        m = mats.get(d.profile)
        if m is None:
            continue
        hubs = _hub_options(problem, d)
        if d.id in locked and len(hubs) > 1:
            keep = locked_hub.get(d.id, hubs[0].id)
            hubs = [h for h in hubs if h.id == keep] or hubs[:1]
        for h in hubs:
            hk = hub_key(h.id)
            if hk not in m:
                continue
            pre_t, pre_d = 0, 0
            if d.start == "home":
                hk_home = home_key(d.id)
                if hk_home not in m:
                    continue
                t = m.duration(hk_home, hk)
                if not math.isfinite(t):
                    continue
                pre_t = math.ceil(t - 1e-9)
                pre_d = math.ceil(m.distance(hk_home, hk) - 1e-9)
            if d.end == "hub":
                end_key: str | None = hk
            elif d.end == "home":
                end_key = home_key(d.id)
                if end_key not in m:
                    continue
            else:
                end_key = None
            earliest = d.shift.start_s + pre_t
            latest = d.shift.end_s
            if h.open is not None:
                earliest = max(earliest, h.open.start_s)
                latest = min(latest, h.open.end_s)
            if earliest > latest:
                continue
            vehicles.append(
                _Vehicle(
                    driver=d,
                    hub=h,
                    profile=d.profile,
                    pre_travel_s=pre_t,
                    pre_distance_m=pre_d,
                    earliest_hub_s=earliest,
                    latest_hub_s=latest,
                    end_key=end_key,
                    capacity=d.capacity_boxes,
                    capacity_frozen=_BIG if d.capacity_frozen is None else d.capacity_frozen,
                    max_stops=_BIG if d.max_stops is None else d.max_stops,
                    max_span_s=_BIG if d.max_route_s is None else d.max_route_s - pre_t,
                    max_distance_m=_BIG if d.max_distance_m is None else d.max_distance_m - pre_d,
                )
            )
            driver_alts.setdefault(d.id, []).append(len(vehicles) - 1)

    locked_of = {s: d for d, seq in locked.items() for s in seq}
    # Per stop: which vehicles could take it on their own (hub -> stop -> end, in hours).
    candidates: list[Stop] = []
    cand_allowed: list[list[int]] = []
    for s in problem.stops:
        if s.location is None:
            unassigned.append(
                Unassigned(
                    s.id,
                    "address_not_found",
                    f"{REASONS['address_not_found']}: {s.full_address or '(no address)'}",
                )
            )
            continue
        sk = stop_key(s.id)
        reachable = []
        for vi, v in enumerate(vehicles):
            m = mats[v.profile]
            if sk not in m:
                continue
            t_in = m.duration(hub_key(v.hub.id), sk)
            t_out = 0.0 if v.end_key is None else m.duration(sk, v.end_key)
            if math.isfinite(t_in) and math.isfinite(t_out):
                reachable.append(vi)
        if not vehicles:
            unassigned.append(Unassigned(s.id, "time", "no driver is available"))
            continue
        if not reachable:
            unassigned.append(
                Unassigned(
                    s.id,
                    "unreachable",
                    "no road connects this address to the hub "
                    "(it is off the road network of the area)",
                )
            )
            continue
        max_cap = max(v.capacity for v in vehicles)
        max_frozen = max(v.capacity_frozen for v in vehicles)
        if s.boxes > max_cap:
            unassigned.append(
                Unassigned(
                    s.id,
                    "too_many_boxes",
                    f"{s.boxes} boxes, more than the largest car holds ({max_cap})",
                    _split(s.boxes, max_cap),
                )
            )
            continue
        if s.frozen > max_frozen:
            unassigned.append(
                Unassigned(
                    s.id,
                    "too_many_boxes",
                    f"{s.frozen} frozen bags, more than any car holds ({max_frozen})",
                    _split(s.frozen, max_frozen),
                )
            )
            continue
        skilled = [vi for vi in reachable if _skills_ok(s, vehicles[vi].driver)]
        if not skilled:
            missing = sorted(
                s.requires - set().union(*[d.skills | d.languages for d in problem.drivers])
            )
            need = ", ".join(missing or sorted(s.requires))
            unassigned.append(
                Unassigned(
                    s.id,
                    "no_driver_with_skill",
                    f"needs a driver with: {need}; no driver on the list has it"
                    if missing
                    else f"needs a driver with all of: {need}; none has all",
                )
            )
            continue
        pin = locked_of.get(s.id, s.driver)
        allowed = [
            vi
            for vi in skilled
            if vehicles[vi].driver.id not in s.exclude_drivers
            and (pin is None or vehicles[vi].driver.id == pin)
            and (s.id in locked_of or vehicles[vi].driver.id not in locked)
        ]
        if not allowed:
            who = f"pinned to {problem.driver(pin).name}" if pin else "every able driver"
            unassigned.append(
                Unassigned(s.id, "excluded", f"{who} is excluded, locked or cannot take it")
            )
            continue
        fits = [
            vi
            for vi in allowed
            if vehicles[vi].capacity >= s.boxes and vehicles[vi].capacity_frozen >= s.frozen
        ]
        if not fits:
            cap = max(vehicles[vi].capacity for vi in allowed)
            unassigned.append(
                Unassigned(
                    s.id,
                    "too_many_boxes",
                    f"{s.boxes} boxes, more than any driver who may take it carries ({cap})",
                    _split(s.boxes, cap),
                )
            )
            continue
        if all(vehicles[vi].max_stops < 1 for vi in fits):
            unassigned.append(Unassigned(s.id, "max_stops"))
            continue
        candidates.append(s)
        cand_allowed.append(fits)

    # Node layout: stops, then (start, end) per vehicle.
    loc_keys: list[str | None] = [stop_key(s.id) for s in candidates]
    for v in vehicles:
        loc_keys += [hub_key(v.hub.id), v.end_key]
    n_s = len(candidates)
    travel: dict[str, np.ndarray] = {}
    dist: dict[str, np.ndarray] = {}
    anywhere_cols = [n_s + 2 * vi + 1 for vi, v in enumerate(vehicles) if v.end_key is None]
    for p in {v.profile for v in vehicles}:
        dur, dis = _lookup(mats[p], loc_keys)
        dur[:, anywhere_cols] = 0.0
        dis[:, anywhere_cols] = 0.0
        np.fill_diagonal(dur, 0.0)
        np.fill_diagonal(dis, 0.0)
        travel[p], dist[p] = _to_int(dur), _to_int(dis)
    service = np.zeros(len(loc_keys), dtype=np.int64)
    service[:n_s] = [s.service_s for s in candidates]
    for vi, v in enumerate(vehicles):
        service[n_s + 2 * vi] = v.hub.loading_s
    horizon = max([v.driver.shift.end_s for v in vehicles], default=0) + 1

    data = _Data(
        problem=problem,
        options=options,
        stops=candidates,
        vehicles=vehicles,
        allowed=cand_allowed,
        travel=travel,
        dist=dist,
        loc_keys=loc_keys,
        service=service,
        horizon=horizon,
        penalty=[],
        driver_alts=driver_alts,
        previous=previous,
    )

    # Stops whose windows meet no allowed vehicle's hours, travel included.
    keep: list[int] = []
    for i, s in enumerate(candidates):
        checks = [(vi, _evaluate(data, vi, [i])) for vi in data.allowed[i]]
        ok = [vi for vi, c in checks if c.feasible]
        if ok:
            data.allowed[i] = ok
            keep.append(i)
        elif all(c.why == "distance" for _, c in checks):
            km = max(data.vehicles[vi].driver.max_distance_m or 0 for vi, _ in checks) / 1000
            unassigned.append(
                Unassigned(
                    s.id,
                    "time",
                    f"farther than any able driver's maximum distance allows (at most {km:g} km)",
                )
            )
        else:
            unassigned.append(Unassigned(s.id, "outside_all_hours", _hours_message(data, i)))
    if len(keep) < n_s:
        data = _subset(data, keep)
    _set_costs(data)
    return data, unassigned


def _split(amount: int, cap: int) -> str:
    if cap <= 0:
        return ""
    parts = math.ceil(amount / cap)
    return f"split the order into {parts} stops of at most {cap} each"


def _subset(data: _Data, keep: list[int]) -> _Data:
    """The same data with only the stops ``keep`` (node indices re-laid out)."""
    n_s = data.n_stops
    nodes = keep + list(range(n_s, data.n_nodes))
    idx = np.array(nodes, dtype=int)
    return replace(
        data,
        stops=[data.stops[i] for i in keep],
        allowed=[data.allowed[i] for i in keep],
        travel={p: a[np.ix_(idx, idx)] for p, a in data.travel.items()},
        dist={p: a[np.ix_(idx, idx)] for p, a in data.dist.items()},
        loc_keys=[data.loc_keys[i] for i in nodes],
        service=data.service[idx],
    )


def _hours_message(data: _Data, i: int) -> str:
    s = data.stops[i]
    when = ", ".join(str(w) for w in s.windows) or "any time"
    hours = sorted({str(v.driver.shift) for vi in data.allowed[i] for v in [data.vehicles[vi]]})
    return (
        f"its window ({when}) meets no driver's hours, travel included "
        f"(drivers who could take it: {', '.join(hours)})"
    )


def _set_costs(data: _Data) -> None:
    """Penalties for leaving a stop out, and the fixed cost of a driver."""
    opts = data.options
    finite = [a[a < _BIG] for a in data.travel.values()]
    max_arc = max([int(f.max()) for f in finite if f.size], default=1)
    if opts.objective == "distance":
        finite_d = [a[a < _BIG] for a in data.dist.values()]
        max_arc = max([int(f.max()) for f in finite_d if f.size] + [max_arc], default=1)
    max_service = int(data.service.max(initial=0))
    horizon = data.horizon
    if opts.minimize_drivers:
        data.fixed_cost = 2 * max(horizon, max_arc * 4)
    bal = 0 if opts.balance == "off" or opts.minimize_drivers else opts.balance_weight
    extra = (
        max(opts.change_cost_s, opts.continuity_cost_s)
        if (opts.continuity or opts.change_cost_s)
        else 0
    )
    bound = (
        data.fixed_cost
        + (1 + bal) * (2 * max_arc + max_service)
        + extra
        + 60 * bal * max((s.boxes for s in data.stops), default=0)
        + 1000
    )
    base = int(10 * bound)
    data.penalty = [base * 100 if s.urgent else base for s in data.stops]


# --- Route evaluation (our own arithmetic, also the check of every fix) ------------------


@dataclass
class _Schedule:
    feasible: bool
    why: str  # "", "time", "capacity", "max_stops", "distance", "window"
    hub_arrival_s: int = 0
    starts: list[int] = field(default_factory=list)
    arrivals: list[int] = field(default_factory=list)
    end_s: int = 0
    distance_m: int = 0
    boxes: int = 0
    over_s: int = 0  # how far past the driver's hours (or max route time) it ends


def _evaluate(
    data: _Data, vi: int, seq: Sequence[int], extra_s: int = 0, extra_stops: int = 0
) -> _Schedule:
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
        return _Schedule(False, "capacity", boxes=boxes)
    if len(seq) > v.max_stops + extra_stops:
        return _Schedule(False, "max_stops", boxes=boxes)

    def forward(t0: int) -> tuple[list[int], list[int], int, list[int]] | None:
        t = t0 + int(data.service[start])
        prev = start
        starts, arrivals, waits = [], [], []
        for i in seq:
            arr = t + int(tr[prev, i])
            st = _window_start(stops[i], arr)
            if st is None or arr >= _BIG:
                return None
            arrivals.append(arr)
            starts.append(st)
            waits.append(st - arr)
            t = st + int(data.service[i])
            prev = i
        t_end = t + int(tr[prev, end])
        if t_end >= _BIG:
            return None
        return starts, arrivals, t_end, waits

    t0 = v.earliest_hub_s
    res = forward(t0)
    if res is None:
        return _Schedule(False, "window", boxes=boxes)
    starts, _, t_end, waits = res
    shift_end = v.driver.shift.end_s + extra_s
    max_span = v.max_span_s + extra_s
    # Leave the hub as late as the windows allow, so nobody waits at the first door.
    delay = v.latest_hub_s - t0
    acc = 0
    for k, i in enumerate(seq):
        acc += waits[k]
        delay = min(delay, _window_end(stops[i], starts[k]) - starts[k] + acc)
    delay = min(delay, shift_end - t_end + acc) if seq else 0
    delay = max(0, delay)
    if delay:
        res = forward(t0 + delay)
        assert res is not None
        starts, _, t_end, waits = res
        t0 += delay
    starts, arrivals, t_end, waits = res
    if seq and not any(waits):
        # Then come back as early as the same no-wait schedule allows: volunteers start
        # when their hours start and finish early, rather than idle before setting out.
        back = t0 - v.earliest_hub_s
        for k, i in enumerate(seq):
            back = min(back, starts[k] - _window_open(stops[i], starts[k]))
        if back > 0:
            t0 -= back
            res = forward(t0)
            assert res is not None
            starts, arrivals, t_end, _ = res
    if (t_end - t0) > max_span and any(len(stops[i].windows) > 1 for i in seq):
        # With several windows, leaving later can jump a stop to a later window and
        # shorten the route: try every departure that meets some window's start.
        earliest = v.earliest_hub_s
        cands = set()
        cum = int(data.service[start])
        prev = start
        for i in seq:
            cum += int(tr[prev, i])
            for w in stops[i].windows:
                if earliest <= w.start_s - cum <= v.latest_hub_s:
                    cands.add(w.start_s - cum)
            cum += int(data.service[i])
            prev = i
        for cand in sorted(cands):
            alt = forward(cand)
            if alt is None or alt[2] > shift_end:
                continue
            if alt[2] - cand < t_end - t0:
                t0, res = cand, alt
                starts, arrivals, t_end, _ = res
    distance = 0
    prev = start
    for i in seq:
        distance += int(di[prev, i])
        prev = i
    distance += int(di[prev, end])
    over = max(t_end - shift_end, (t_end - t0) - max_span, 0)
    sched = _Schedule(True, "", t0, starts, arrivals, t_end, distance, boxes, over)
    if over > 0:
        sched.feasible, sched.why = False, "time"
    elif distance > v.max_distance_m:
        sched.feasible, sched.why = False, "distance"
    return sched


# --- OR-Tools -----------------------------------------------------------------------------


def _balance_coef(data: _Data) -> int:
    return max(1, round(data.options.balance_weight))


def _time_shares(data: _Data) -> list[int] | None:
    """Each vehicle's fair share of route time (a soft bound), or ``None`` without time
    balance. The work is a lower bound: service, plus the cheapest way into every stop,
    split in proportion to the drivers' hours."""
    opts = data.options
    if (
        opts.balance not in ("time", "time_and_boxes")
        or opts.minimize_drivers
        or not data.n_stops
        or not data.vehicles
    ):
        return None
    tr = next(iter(data.travel.values()))
    n_s = data.n_stops
    into = tr[:, :n_s].astype(float).copy()
    into[np.arange(n_s), np.arange(n_s)] = np.inf
    into = np.where(into >= _BIG, np.inf, into)
    cheapest = np.min(into, axis=0)
    work = float(np.sum(data.service[:n_s]) + np.sum(cheapest[np.isfinite(cheapest)]))
    shifts = {v.driver.id: v.driver.shift.duration_s for v in data.vehicles}
    total_shift = sum(shifts.values()) or 1
    out = []
    for v in data.vehicles:
        share = work * shifts[v.driver.id] / total_shift + v.hub.loading_s
        out.append(int(min(share, v.driver.shift.duration_s)))
    return out


class _OrModel:
    """The OR-Tools routing model of ``data``."""

    def __init__(self, data: _Data):
        self.data = data
        d = data
        nv = len(d.vehicles)
        starts = [d.start_node(v) for v in range(nv)]
        ends = [d.end_node(v) for v in range(nv)]
        self.manager = pywrapcp.RoutingIndexManager(d.n_nodes, nv, starts, ends)
        self.routing = pywrapcp.RoutingModel(self.manager)
        r, mgr, opts = self.routing, self.manager, d.options
        # RegisterTransitMatrix is indexed by node; OR-Tools maps indices itself.
        time_cb: dict[str, int] = {}
        cost_cb: dict[str, int] = {}
        dist_cb: dict[str, int] = {}
        for vi, v in enumerate(d.vehicles):
            p = v.profile
            if p not in time_cb:
                t = d.travel[p] + d.service[:, None]
                t = np.minimum(t, _BIG)
                time_cb[p] = r.RegisterTransitMatrix(t.tolist())
                base = d.dist[p] if opts.objective == "distance" else d.travel[p]
                cost_cb[p] = r.RegisterTransitMatrix(base.tolist())
            r.SetArcCostEvaluatorOfVehicle(cost_cb[p], vi)
        self._preferences()
        self.time = self._dimension(
            "time", [time_cb[v.profile] for v in d.vehicles], d.horizon, [d.horizon] * nv
        )
        tdim = self.time
        for vi, v in enumerate(d.vehicles):
            tdim.CumulVar(r.Start(vi)).SetRange(v.earliest_hub_s, v.latest_hub_s)
            tdim.CumulVar(r.End(vi)).SetMax(v.driver.shift.end_s)
            if v.max_span_s < _BIG:
                tdim.SetSpanUpperBoundForVehicle(max(0, v.max_span_s), vi)
        for i, s in enumerate(d.stops):
            if s.windows:
                cv = tdim.CumulVar(mgr.NodeToIndex(i))
                lo = min(s.windows[0].start_s, d.horizon)
                hi = min(max(w.end_s for w in s.windows), d.horizon)
                cv.SetRange(lo, hi)
                for a, b in zip(s.windows, s.windows[1:], strict=False):
                    if b.start_s > a.end_s + 1:
                        cv.RemoveInterval(a.end_s + 1, b.start_s - 1)
        # Loads.
        demand = [s.boxes for s in d.stops] + [0] * (2 * nv)
        self.boxes = self._unary("boxes", demand, [v.capacity for v in d.vehicles])
        if any(s.frozen for s in d.stops):
            frozen = [s.frozen for s in d.stops] + [0] * (2 * nv)
            self._unary("frozen", frozen, [v.capacity_frozen for v in d.vehicles])
        if any(v.max_stops < _BIG for v in d.vehicles):
            self._unary(
                "count",
                [1] * d.n_stops + [0] * (2 * nv),
                [min(v.max_stops, d.n_stops) for v in d.vehicles],
            )
        if any(v.max_distance_m < _BIG for v in d.vehicles):
            for p in {v.profile for v in d.vehicles}:
                dist_cb[p] = r.RegisterTransitMatrix(d.dist[p].tolist())
            self._dimension(
                "distance",
                [dist_cb[v.profile] for v in d.vehicles],
                0,
                [max(0, min(v.max_distance_m, _BIG)) for v in d.vehicles],
            )
        # Who may take what.
        for i in range(d.n_stops):
            idx = mgr.NodeToIndex(i)
            if len(d.allowed[i]) < nv:
                r.VehicleVar(idx).SetValues([-1, *d.allowed[i]])
            r.AddDisjunction([idx], d.penalty[i])
        solver = r.solver()
        for alts in d.driver_alts.values():
            if len(alts) > 1:
                solver.Add(solver.Sum([r.ActiveVehicleVar(v) for v in alts]) <= 1)
        if opts.max_vehicles is not None:
            r.SetMaximumNumberOfActiveVehicles(opts.max_vehicles)
        self._locks()
        # Fairness and fleet size.
        if d.fixed_cost:
            r.SetFixedCostOfAllVehicles(d.fixed_cost)
        elif opts.balance != "off":
            self._balance()

    def _dimension(self, name: str, cbs: list[int], slack: int, caps: list[int]) -> Any:
        self.routing.AddDimensionWithVehicleTransitAndCapacity(cbs, slack, caps, False, name)
        return self.routing.GetDimensionOrDie(name)

    def _unary(self, name: str, values: list[int], caps: list[int]) -> Any:
        cb = self.routing.RegisterUnaryTransitVector(values)
        self.routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, name)
        return self.routing.GetDimensionOrDie(name)

    def _preferred(self) -> dict[int, tuple[str, int]]:
        """Stop node -> (driver id it should stay with, cost of moving it)."""
        d, opts = self.data, self.data.options
        node = {s.id: i for i, s in enumerate(d.stops)}
        out: dict[int, tuple[str, int]] = {}
        for sid, drv in opts.continuity.items():
            if sid in node:
                out[node[sid]] = (drv, opts.continuity_cost_s)
        prev = d.previous
        if prev is not None and opts.change_cost_s:
            for route in prev.routes:
                for visit in route.visits:
                    if visit.stop_id in node:
                        out[node[visit.stop_id]] = (route.driver_id, opts.change_cost_s)
        return out

    def _preferences(self) -> None:
        """Cost of giving a stop to another driver than its preferred one.

        A dimension whose per-vehicle unary transit is that cost at each stop the vehicle's
        driver is not preferred for; its span (the sum) is charged at coefficient 1. Much
        lighter than one arc-cost matrix per driver.
        """
        prefer = self._preferred()
        if not prefer:
            return
        d, r = self.data, self.routing
        n = d.n_nodes
        cbs: dict[str, int] = {}
        per_vehicle = []
        for v in d.vehicles:
            if v.driver.id not in cbs:
                values = [0] * n
                for i, (drv, cost) in prefer.items():
                    if drv != v.driver.id:
                        values[i] = int(cost)
                cbs[v.driver.id] = r.RegisterUnaryTransitVector(values)
            per_vehicle.append(cbs[v.driver.id])
        total = sum(c for _, c in prefer.values()) + 1
        r.AddDimensionWithVehicleTransitAndCapacity(
            per_vehicle, 0, [total] * len(d.vehicles), True, "preference"
        )
        r.GetDimensionOrDie("preference").SetSpanCostCoefficientForAllVehicles(1)

    def _locks(self) -> None:
        d, r, mgr = self.data, self.routing, self.manager
        node = {s.id: i for i, s in enumerate(d.stops)}
        solver = r.solver()
        for drv, seq in d.options.locked_routes.items():
            alts = d.driver_alts.get(drv, [])
            nodes = [node[s] for s in seq if s in node]
            if not alts or not nodes:
                continue
            vi = alts[0]
            chain = [r.Start(vi)] + [mgr.NodeToIndex(i) for i in nodes] + [r.End(vi)]
            for a, b in itertools.pairwise(chain):
                solver.Add(r.NextVar(a) == b)

    def _balance(self) -> None:
        """Soft upper bounds at each driver's fair share of the work."""
        d, r, opts = self.data, self.routing, self.data.options
        nv = len(d.vehicles)
        if not d.n_stops or not nv:
            return
        coef = _balance_coef(d)
        drivers = {v.driver.id: v for v in d.vehicles}
        for vi, bound in enumerate(_time_shares(d) or []):
            self.time.SetSoftSpanUpperBoundForVehicle(pywrapcp.BoundCost(bound, coef), vi)
        if opts.balance in ("boxes", "time_and_boxes"):
            total = sum(s.boxes for s in d.stops)
            caps = sum(v.driver.capacity_boxes for v in drivers.values()) or 1
            for vi, v in enumerate(d.vehicles):
                share = math.ceil(total * v.driver.capacity_boxes / caps)
                self.boxes.SetCumulVarSoftUpperBound(r.End(vi), share, 60 * coef)

    def routes_of(self, assignment: Any) -> list[list[int]]:
        """Stop nodes per vehicle in the assignment."""
        r, mgr = self.routing, self.manager
        out = []
        for vi in range(len(self.data.vehicles)):
            seq = []
            idx = assignment.Value(r.NextVar(r.Start(vi)))
            while not r.IsEnd(idx):
                seq.append(mgr.IndexToNode(idx))
                idx = assignment.Value(r.NextVar(idx))
            out.append(seq)
        return out

    params: Any = None


def _search_params(time_limit_s: float, variant: int, n_stops: int = 100) -> Any:
    p = pywrapcp.DefaultRoutingSearchParameters()
    fs = routing_enums_pb2.FirstSolutionStrategy
    ls = routing_enums_pb2.LocalSearchMetaheuristic
    p.first_solution_strategy = fs.PATH_CHEAPEST_ARC
    # GLS runs to the time limit; for a handful of stops a local optimum is the optimum
    # in practice, and greedy descent stops there (fixes are checked with such solves).
    p.local_search_metaheuristic = ls.GREEDY_DESCENT if n_stops <= 3 else ls.GUIDED_LOCAL_SEARCH
    if variant == 1:
        p.use_multi_armed_bandit_concatenate_operators = True
    secs = max(0.05, time_limit_s)
    p.time_limit.seconds = int(secs)
    p.time_limit.nanos = int((secs - int(secs)) * 1e9)
    return p


def _run_search(
    data: _Data,
    time_limit_s: float,
    variant: int,
    initial: list[list[int]] | None,
    progress: Callable[[SolveProgress], None] | None,
    t_start: float,
    total_limit_s: float,
) -> tuple[list[list[int]] | None, int, float | None]:
    """One OR-Tools search. Returns (routes, objective, seconds to the first solution)."""
    model = _OrModel(data)
    model.params = _search_params(time_limit_s, variant, data.n_stops)
    r = model.routing
    first: list[float] = []
    n_total = len(data.problem.stops)

    def cb() -> None:
        now = time.monotonic() - t_start
        if not first:
            first.append(now)
        if progress is not None:
            assigned = 0
            for i in range(data.n_stops):
                idx = model.manager.NodeToIndex(i)
                if r.NextVar(idx).Value() != idx:
                    assigned += 1
            progress(SolveProgress(now, int(r.CostVar().Value()), assigned, n_total, total_limit_s))

    r.AddAtSolutionCallback(cb)
    r.CloseModelWithParameters(model.params)
    sol = None
    if initial is not None:
        start = r.ReadAssignmentFromRoutes(initial, True)
        if start is not None:
            sol = r.SolveFromAssignmentWithParameters(start, model.params)
    if sol is None:
        sol = r.SolveWithParameters(model.params)
    if sol is None:
        return None, 0, None
    return model.routes_of(sol), int(sol.ObjectiveValue()), (first[0] if first else None)


def _plain(data: _Data) -> bool:
    """Whether PyVRP sees the whole objective: travel, fleet size and time balance
    (as overtime above each driver's fair share), but no box balance or preferences."""
    opts = data.options
    return (opts.balance in ("off", "time") or opts.minimize_drivers) and not (
        opts.continuity or data.previous is not None
    )


def _seeded_search(
    data: _Data,
    limit_s: float,
    seed: int,
    initial: list[list[int]] | None,
    t0: float,
    progress: Callable[[SolveProgress], None] | None = None,
    total_limit_s: float = 0.0,
    last: tuple[int, int] = (0, 0),
) -> tuple[list[list[int]] | None, int, float | None, str]:
    """PyVRP's plan for most of ``limit_s``, then OR-Tools GLS from it under the full model.

    Travel-only problems give PyVRP 90 % of the time; with balance or preferences, which
    PyVRP does not see, OR-Tools gets 40 % to rework its plan.
    """
    from routing.solve.seed import pyvrp_routes

    start = time.monotonic()
    tick = None
    if progress is not None:
        n_total = len(data.problem.stops)

        def tick() -> None:
            progress(SolveProgress(time.monotonic() - t0, last[0], last[1], n_total, total_limit_s))

    frac = 0.9 if _plain(data) else 0.6
    try:
        seeded = pyvrp_routes(data, limit_s * frac, seed, tick)
    except Exception:  # a seed is an extra; OR-Tools alone still plans everything
        seeded = None
    name = "ortools-gls"
    if seeded is not None:
        initial = _with_locks(data, seeded)
        name = "pyvrp+ortools-gls"
    rest = max(0.1, limit_s - (time.monotonic() - start))
    routes, obj, first = _run_search(data, rest, 0, initial, progress, t0, total_limit_s)
    return routes, obj, first, name


def _worker(
    data: _Data, limit_s: float, variant: int, initial: list[list[int]] | None, conn: Any
) -> None:
    """Second search, in a child process: send back (routes, objective, first_s, name)."""
    try:
        t0 = time.monotonic()
        if variant == 2:
            routes, obj, first, name = _seeded_search(data, limit_s, data.options.seed, initial, t0)
        else:
            name = "ortools-gls-bandit"
            routes, obj, first = _run_search(data, limit_s, variant, initial, None, t0, limit_s)
        conn.send((routes, obj, first, name))
    except Exception as e:  # pragma: no cover - reported, the main search still counts
        conn.send((None, 0, None, f"error: {e!r}"))
    finally:
        conn.close()


def _with_locks(data: _Data, routes: list[list[int]]) -> list[list[int]]:
    """``routes`` with every locked route put back exactly (PyVRP knows no locks)."""
    if not data.options.locked_routes:
        return routes
    locks = _initial_from(data, None) or []
    locked_nodes = {i for seq in locks for i in seq}
    locked_drivers = set(data.options.locked_routes)
    out = []
    for vi, seq in enumerate(routes):
        if data.vehicles[vi].driver.id in locked_drivers:
            out.append(list(locks[vi]))
        else:
            out.append([i for i in seq if i not in locked_nodes])
    return out


def _mp_context() -> Any:
    """``fork`` from the main thread (fast); ``forkserver`` from other threads (an API
    server's worker threads), where forking a threaded process is unsafe; ``spawn`` where
    neither exists."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.current_thread() is threading.main_thread():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["routing.solve.solver"])
        return ctx
    return multiprocessing.get_context("spawn")


def _portfolio(
    data: _Data,
    limit_s: float,
    initial: list[list[int]] | None,
    progress: Callable[[SolveProgress], None] | None,
    t0: float,
) -> tuple[list[list[int]], int, float | None, str, dict[str, Any]]:
    """Run one search here and, with ``workers >= 2``, a differently set one in a child."""
    opts = data.options
    child = None
    conn = None
    info: dict[str, Any] = {}
    variant = 0
    if opts.workers >= 2 and data.n_stops >= 8 and limit_s >= 0.5:
        from routing.solve import seed as _seed

        variant = 2 if opts.seeding == "auto" and _seed.pyvrp_fits(data) else 1
        ctx = _mp_context()
        conn, child_conn = ctx.Pipe(duplex=False)
        child = ctx.Process(
            target=_worker, args=(data, limit_s, variant, initial, child_conn), daemon=True
        )
        child.start()
        child_conn.close()
    name = "ortools-gls"
    if child is not None and variant == 2 and _plain(data):
        # Travel only: a first plan from OR-Tools at once, then a second PyVRP seed here.
        quick = min(1.0, 0.1 * limit_s)
        routes, obj, first = _run_search(data, quick, 0, initial, progress, t0, limit_s)
        info["ortools-gls"] = obj if routes is not None else None
        rest = limit_s - (time.monotonic() - t0)
        if rest > 0.5:
            done = sum(map(len, routes)) if routes else 0
            r2, o2, _, n2 = _seeded_search(
                data, rest, opts.seed + 1, routes or initial, t0, progress, limit_s, (obj, done)
            )
            info[n2 + " (seed 2)"] = o2 if r2 is not None else None
            if r2 is not None and (routes is None or o2 < obj):
                routes, obj, name = r2, o2, n2 + " (seed 2)"
    else:
        routes, obj, first = _run_search(data, limit_s, 0, initial, progress, t0, limit_s)
        info["ortools-gls"] = obj if routes is not None else None
    if child is not None and conn is not None:
        got = None
        if conn.poll(limit_s + 10):
            try:
                got = conn.recv()
            except EOFError:
                got = None
        child.join(timeout=1)
        if child.is_alive():
            child.terminate()
            child.join()
        if got is not None:
            c_routes, c_obj, c_first, c_name = got
            info[c_name] = c_obj if c_routes is not None else None
            if c_routes is not None and (routes is None or c_obj < obj):
                routes, obj, name = c_routes, c_obj, c_name
                if first is None:
                    first = c_first
    if routes is None:
        raise SolverError("the search found no plan at all, not even an empty one")
    return routes, obj, first, name, info


def _initial_from(data: _Data, previous: Plan | None) -> list[list[int]] | None:
    """Previous routes, as stop nodes per vehicle, for stops still in the problem."""
    locked = data.options.locked_routes
    if previous is None and not locked:
        return None
    node = {s.id: i for i, s in enumerate(data.stops)}
    routes: list[list[int]] = [[] for _ in data.vehicles]
    used: set[int] = set()
    seqs: list[tuple[str, str | None, Sequence[str]]] = []
    if previous is not None:
        seqs += [
            (r.driver_id, r.hub_id, [v.stop_id for v in r.visits])
            for r in previous.routes
            if r.driver_id not in locked
        ]
    seqs += [(d, None, seq) for d, seq in locked.items()]
    for drv, hub, seq in seqs:
        alts = data.driver_alts.get(drv, [])
        if not alts:
            continue
        vi = next((a for a in alts if data.vehicles[a].hub.id == hub), alts[0])
        nodes = [
            node[s]
            for s in seq
            if s in node and node[s] not in used and vi in data.allowed[node[s]]
        ]
        if drv not in locked and nodes and not _evaluate(data, vi, nodes).feasible:
            # Edited stops can break an old route: keep, in order, what still fits.
            kept: list[int] = []
            for i in nodes:
                if _evaluate(data, vi, [*kept, i]).feasible:
                    kept.append(i)
            nodes = kept
        used.update(nodes)
        routes[vi] = nodes
    return routes


def _check_locks(data: _Data) -> None:
    problems = []
    known = {s.id for s in data.problem.stops}
    node = {s.id: i for i, s in enumerate(data.stops)}
    for drv, seq in data.options.locked_routes.items():
        if drv not in data.problem._drivers_by_id:
            problems.append(InputProblem("locked_routes", drv, "no driver with this id"))
            continue
        bad = [s for s in seq if s not in known]
        if bad:
            problems.append(
                InputProblem("locked_routes", f"{drv}: {', '.join(bad)}", "no stop with this id")
            )
            continue
        alts = data.driver_alts.get(drv)
        nodes = [node[s] for s in seq if s in node]
        if not alts:
            problems.append(
                InputProblem(
                    "locked_routes", drv, "this driver cannot reach any hub in their hours"
                )
            )
        elif nodes and not _evaluate(data, alts[0], nodes).feasible:
            why = _evaluate(data, alts[0], nodes).why
            problems.append(
                InputProblem(
                    "locked_routes",
                    drv,
                    f"the locked order cannot be driven as given ({why or 'time'} does not fit)",
                )
            )
    if problems:
        raise InputError(problems)


def solve(
    problem: Problem,
    matrix: TravelMatrix | Mapping[str, TravelMatrix],
    options: SolveOptions | None = None,
    progress: Callable[[SolveProgress], None] | None = None,
    previous: Plan | None = None,
) -> Plan:
    """Plan the routes of ``problem``.

    Parameters
    ----------
    problem:
        Hubs, stops and drivers.
    matrix:
        Travel times and distances between ``problem.places()`` keys; one matrix, or one per
        travel profile (``"drive"``, ``"bike"``, ``"walk"``; each driver uses the one of
        ``driver.profile``).
    options:
        Search settings; see :class:`SolveOptions`.
    progress:
        Called with a :class:`SolveProgress` whenever the main search improves.
    previous:
        A plan drivers already have: the search starts from it, and moving one of its stops
        to another driver costs ``options.change_cost_s``.

    Returns
    -------
    Plan
        Every stop is in exactly one route or in ``unassigned`` with a reason. Routes keep
        capacity, windows, hours, skills, pins, locks and the drivers' limits.

    Raises
    ------
    InputError
        When ``options.locked_routes`` names unknown drivers or stops, or a locked order
        cannot be driven.
    SolverError
        When OR-Tools cannot run at all.
    """
    options = options or SolveOptions()
    t0 = time.monotonic()
    data, unassigned = _build(problem, matrix, options, previous)
    _check_locks(data)
    limit = options.time_limit_s or default_time_limit_s(len(problem.stops))
    stats: dict[str, Any] = {
        "solver": "ortools",
        "seed": options.seed,
        "time_limit_s": round(limit, 3),
        "workers": options.workers,
        "vehicles": len(data.vehicles),
    }
    if data.n_stops and data.vehicles:
        initial = _initial_from(data, previous)
        routes, obj, first, name, info = _portfolio(data, limit, initial, progress, t0)
        if progress is not None:
            progress(
                SolveProgress(
                    time.monotonic() - t0, obj, sum(map(len, routes)), len(problem.stops), limit
                )
            )
        stats.update(
            solver=name,
            objective=obj,
            searches=info,
            first_solution_s=None if first is None else round(first, 3),
        )
    else:
        routes = [[] for _ in data.vehicles]
        stats.update(objective=0, first_solution_s=0.0)
    plan_routes, warnings = _plan_routes(data, routes)
    dropped = sorted(set(range(data.n_stops)) - {i for seq in routes for i in seq})
    unassigned += _explain(data, routes, dropped, matrix)
    if options.suggest_fixes:
        unassigned = _hours_fixes(data, unassigned, matrix)
    order = {s.id: k for k, s in enumerate(problem.stops)}
    unassigned.sort(key=lambda u: order[u.stop_id])
    stats["solve_s"] = round(time.monotonic() - t0, 3)
    idle = [d.id for d in problem.drivers if d.id not in data.driver_alts]
    if idle:
        warnings.append(
            f"drivers left out of the plan ({', '.join(idle)}): no hub they can load at in "
            f"their hours, no travel matrix for their profile, or home not on the map"
        )
    if warnings:
        stats["warnings"] = warnings
    return Plan(
        problem=problem, routes=tuple(plan_routes), unassigned=tuple(unassigned), stats=stats
    )


def _plan_routes(data: _Data, routes: list[list[int]]) -> tuple[list[Route], list[str]]:
    out: list[Route] = []
    warnings: list[str] = []
    for vi, seq in enumerate(routes):
        if not seq:
            continue
        v = data.vehicles[vi]
        sched = _evaluate(data, vi, seq)
        if not sched.feasible:
            warnings.append(f"route of {v.driver.id} does not recheck: {sched.why}")
        tr, di = data.travel[v.profile], data.dist[v.profile]
        prev = data.start_node(vi)
        load = sched.boxes
        visits = []
        for k, i in enumerate(seq):
            s = data.stops[i]
            visits.append(
                Visit(
                    stop_id=s.id,
                    arrival_s=sched.arrivals[k],
                    start_s=sched.starts[k],
                    departure_s=sched.starts[k] + s.service_s,
                    travel_s=int(tr[prev, i]),
                    distance_m=int(di[prev, i]),
                    load_boxes=load,
                )
            )
            load -= s.boxes
            prev = i
        out.append(
            Route(
                driver_id=v.driver.id,
                hub_id=v.hub.id,
                start_s=sched.hub_arrival_s - v.pre_travel_s,
                end_s=sched.end_s,
                visits=tuple(visits),
                distance_m=sched.distance_m + v.pre_distance_m,
                depart_hub_s=sched.hub_arrival_s + v.hub.loading_s,
            )
        )
    return out, warnings


# --- Reasons and fixes for stops the search left out --------------------------------------


def _explain(
    data: _Data,
    routes: list[list[int]],
    dropped: list[int],
    matrix: TravelMatrix | Mapping[str, TravelMatrix],
) -> list[Unassigned]:
    if not dropped:
        return []
    d = data
    drivers = {v.driver.id: v.driver for v in d.vehicles}
    total_boxes = sum(s.boxes for s in d.stops)
    total_cap = sum(drv.capacity_boxes for drv in drivers.values())
    reasons: dict[int, tuple[str, str]] = {}
    for i in dropped:
        s = d.stops[i]
        able = d.allowed[i]
        if all(len(routes[vi]) >= d.vehicles[vi].max_stops for vi in able):
            reasons[i] = (
                "max_stops",
                "every driver who could take it has reached their maximum number of stops",
            )
        elif total_boxes > total_cap:
            reasons[i] = (
                "capacity",
                f"the cars are full: {total_boxes} boxes to deliver, "
                f"{total_cap} boxes of room in all cars "
                f"({total_boxes - total_cap} short)",
            )
        elif all(
            sum(d.stops[j].boxes for j in routes[vi]) + s.boxes > d.vehicles[vi].capacity
            for vi in able
        ):
            reasons[i] = (
                "capacity",
                f"every car that could take it is full (it has {s.boxes} boxes)",
            )
        else:
            reasons[i] = (
                "time",
                "the drivers' hours are full: no driver who could take it "
                "has time left for the trip",
            )
    fixes: dict[int, str] = {}
    if d.options.suggest_fixes:
        # One driver's longer hours: checked per stop, for a handful of stops only (each
        # check tries every position of every route).
        for i in dropped[:_MAX_SINGLE_FIXES]:
            if reasons[i][0] == "max_stops":
                fix = _stops_fix(d, routes, i)
            else:
                fix = _extension_fix(d, routes, i)
            if fix:
                fixes[i] = fix
        group = [
            i
            for i in dropped
            if reasons[i][0] in ("time", "capacity") and (i not in fixes or len(dropped) > 1)
        ]
        if group:
            covered, sentence = _extra_driver_fix(d, [d.stops[i] for i in group], matrix)
            node = {s.id: i for i, s in enumerate(d.stops)}
            for sid in covered:
                fixes[node[sid]] = sentence
    return [
        Unassigned(d.stops[i].id, reasons[i][0], reasons[i][1], fixes.get(i, "")) for i in dropped
    ]


_MAX_SINGLE_FIXES = 25


def _round_up(seconds: int, step: int) -> int:
    return -(-seconds // step) * step


def _extension_fix(data: _Data, routes: list[list[int]], i: int) -> str:
    """The smallest lengthening of one driver's hours that fits stop ``i``, checked."""
    best: tuple[int, int, list[int]] | None = None
    used_drivers = {data.vehicles[vi].driver.id: vi for vi, r in enumerate(routes) if r}
    for vi in data.allowed[i]:
        v = data.vehicles[vi]
        if v.driver.id in used_drivers and used_drivers[v.driver.id] != vi:
            continue  # this driver loads at another hub in the plan
        seq = routes[vi]
        for p in range(len(seq) + 1):
            trial = [*seq[:p], i, *seq[p:]]
            sched = _evaluate(data, vi, trial)
            if sched.feasible:
                need = 0
            elif sched.why == "time":
                need = sched.over_s
            else:
                continue
            if best is None or need < best[0]:
                best = (need, vi, trial)
    if best is None or best[0] > 3 * 3600:
        return ""
    need, vi, trial = best
    extra = _round_up(max(need, 1), 300)
    if not _evaluate(data, vi, trial, extra_s=extra).feasible:
        return ""
    v = data.vehicles[vi]
    until = format_hhmm(v.driver.shift.end_s + extra)
    return f"{v.driver.name}'s route can take it with {extra // 60} more minutes (until {until})"


def _stops_fix(data: _Data, routes: list[list[int]], i: int) -> str:
    """One more stop allowed on a full driver's route, if that fits stop ``i``, checked."""
    for vi in data.allowed[i]:
        v = data.vehicles[vi]
        seq = routes[vi]
        if len(seq) < v.max_stops:
            continue
        for p in range(len(seq) + 1):
            trial = [*seq[:p], i, *seq[p:]]
            if _evaluate(data, vi, trial, extra_stops=1).feasible:
                return (
                    f"{v.driver.name}'s route can take it if their maximum goes from "
                    f"{v.max_stops} to {v.max_stops + 1} stops"
                )
    return ""


def _extra_driver_fix(
    data: _Data,
    group: Sequence[Stop],
    matrix: TravelMatrix | Mapping[str, TravelMatrix],
    hours: tuple[int, int] | None = None,
) -> tuple[list[str], str]:
    """Solve ``group`` for one extra driver; the sentence says who would cover which stops.

    ``hours`` bounds the extra driver's day (default: from the earliest to the latest
    driver's hours). Returns the ids of the stops covered and the sentence.
    """
    d = data
    hubs = [v.hub for v in d.vehicles] or list(d.problem.hubs)
    hub = max(set(hubs), key=lambda h: (hubs.count(h), h.id))
    if hours is None:
        starts = [v.driver.shift.start_s for v in d.vehicles] or [6 * 3600]
        ends = [v.driver.shift.end_s for v in d.vehicles] or [22 * 3600]
        hours = (min(starts), max(ends))
    stops = [replace(s, driver=None, exclude_drivers=frozenset()) for s in group]
    boxes = sum(s.boxes for s in stops)
    frozen = sum(s.frozen for s in stops)
    skills: frozenset[str] = frozenset().union(*[s.requires for s in stops])
    profiles = [v.profile for v in d.vehicles] or ["drive"]
    extra = Driver(
        id="__extra__",
        name="one more driver",
        capacity_boxes=boxes,
        shift=TimeWindow(*hours),
        skills=skills,
        profile=max(set(profiles), key=profiles.count),
        capacity_frozen=frozen if frozen else None,
    )
    sub = Problem(hubs=(hub,), stops=tuple(stops), drivers=(extra,))
    opts = SolveOptions(
        time_limit_s=min(2.0, 0.3 + 0.02 * len(stops)),
        workers=1,
        balance="off",
        suggest_fixes=False,
        seeding="off",
        objective=d.options.objective,
    )
    try:
        plan = solve(sub, matrix, opts)
    except Exception:  # pragma: no cover - a fix is a courtesy, never a failure
        return [], ""
    if not plan.routes:
        return [], ""
    route = plan.routes[0]
    covered = [v.stop_id for v in route.visits]
    carried = sum(s.boxes for s in stops if s.id in set(covered))
    start = format_hhmm(route.start_s // 900 * 900)
    end = format_hhmm(_round_up(route.end_s, 900))
    who = f" who has {', '.join(sorted(skills))}" if skills else ""
    n = len(covered)
    what = "this stop" if n == 1 else f"these {n} stops"
    if n < len(group):
        what = f"{n} of the {len(group)} stops left out"
    box_word = "box" if carried == 1 else "boxes"
    return covered, (
        f"one more driver{who} with {carried} {box_word} from {start} to {end} "
        f"(loading at {hub.name}) covers {what}"
    )


def _hours_fixes(
    data: _Data, unassigned: list[Unassigned], matrix: TravelMatrix | Mapping[str, TravelMatrix]
) -> list[Unassigned]:
    """For stops outside everyone's hours, or needing a skill nobody has: one more driver
    (with those hours, or that skill) who would take it, checked by solving."""
    out = []
    tried = 0
    for u in unassigned:
        kind = u.reason
        if (
            kind not in ("outside_all_hours", "no_driver_with_skill")
            or u.fix
            or (tried >= _MAX_SINGLE_FIXES)
            or data.problem.stop(u.stop_id).location is None
        ):
            out.append(u)
            continue
        tried += 1
        stop = data.problem.stop(u.stop_id)
        if kind == "no_driver_with_skill":
            hours = None  # the drivers' usual hours
            _, sentence = _extra_driver_fix(data, [stop], matrix, hours=hours)
            out.append(replace(u, fix=sentence) if sentence else u)
            continue
        if stop.windows:
            lo = max(0, stop.windows[0].start_s - 3 * 3600)
            hi = stop.windows[-1].end_s + 3 * 3600
        else:
            lo, hi = 0, 2 * 24 * 3600
        _, sentence = _extra_driver_fix(data, [stop], matrix, hours=(lo, hi))
        out.append(replace(u, fix=sentence) if sentence else u)
    return out
