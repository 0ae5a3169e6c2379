"""From a :class:`~routing.model.Problem` and travel matrices to the solver's plain data.

:func:`build` lays out the nodes and vehicles (every (driver, hub) pair the driver may load
at is a vehicle whose route starts at that hub; a driver who starts at home reaches the hub
first: that leg is a fixed offset), and takes out, with their reason, the stops nobody can
serve whatever the plan: no location, no road, too many boxes, a skill nobody has, a
window that meets no driver's hours. The search only sees the rest. It also sets the
penalty of leaving each stop out and the fixed cost of a driver.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from routing.model import (
    REASONS,
    Driver,
    Hub,
    Plan,
    Problem,
    Stop,
    TravelMatrix,
    Unassigned,
    home_key,
    hub_key,
    stop_key,
)
from routing.solve.data import BIG, Matrices, SolveData, Vehicle
from routing.solve.options import SolveOptions
from routing.solve.schedule import alone_feasible, evaluate, vehicle_columns


def _matrices(matrix: Matrices) -> dict[str, TravelMatrix]:
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
    out = np.full(a.shape, BIG, dtype=np.int64)
    out[finite] = np.minimum(np.ceil(a[finite] - 1e-9), BIG).astype(np.int64)
    return out


class _Roads:
    """Which vehicles have a road from their hub to a stop and on to their end place."""

    def __init__(self, mats: dict[str, TravelMatrix], vehicles: list[Vehicle]):
        self.mats = mats
        self.n = len(vehicles)
        # Per profile: its vehicles, their hubs' rows and end places' columns (-1: anywhere).
        self.groups = []
        for p in sorted({v.profile for v in vehicles}):
            m = mats[p]
            ks = [k for k, v in enumerate(vehicles) if v.profile == p]
            hubs = np.array([m.index(hub_key(vehicles[k].hub.id)) for k in ks], dtype=int)
            ends = [vehicles[k].end_key for k in ks]
            cols = np.array([-1 if e is None else m.index(e) for e in ends], dtype=int)
            self.groups.append((m, np.array(ks, dtype=int), hubs, cols))

    def reachable(self, stop: Stop) -> list[int]:
        """The vehicles (in order) that can drive hub -> stop -> end."""
        sk = stop_key(stop.id)
        ok = np.zeros(self.n, dtype=bool)
        for m, ks, hubs, cols in self.groups:
            if sk not in m:
                continue
            j = m.index(sk)
            back = np.where(cols < 0, 0.0, m.duration_s[j, np.maximum(cols, 0)])
            ok[ks] = np.isfinite(m.duration_s[hubs, j]) & np.isfinite(back)
        return np.flatnonzero(ok).tolist()


def _skills_ok(stop: Stop, driver: Driver) -> bool:
    have = driver.skills | driver.languages
    return stop.requires <= have


def _hub_options(problem: Problem, driver: Driver) -> list[Hub]:
    if driver.hub is not None:
        return [problem.hub(driver.hub)]
    return list(problem.hubs)


def build(
    problem: Problem,
    matrix: Matrices,
    options: SolveOptions,
    previous: Plan | None,
) -> tuple[SolveData, list[Unassigned]]:
    """Sort stops into routable and unassigned-up-front, and lay out the nodes."""
    mats = _matrices(matrix)
    unassigned: list[Unassigned] = []
    locked = {d: list(seq) for d, seq in options.locked_routes.items()}
    locked_hub: dict[str, str] = {}
    if previous is not None:
        for r in previous.routes:
            locked_hub[r.driver_id] = r.hub_id

    # Vehicles: (driver, hub) pairs the driver can reach.
    vehicles: list[Vehicle] = []
    driver_alts: dict[str, list[int]] = {}
    for d in problem.drivers:
        m = mats.get(d.profile)
        if m is None:
            continue
        hubs = _hub_options(problem, d)
        if d.id in locked and len(hubs) > 1:
            keep_hub = locked_hub.get(d.id, hubs[0].id)
            hubs = [h for h in hubs if h.id == keep_hub] or hubs[:1]
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
                Vehicle(
                    driver=d,
                    hub=h,
                    profile=d.profile,
                    pre_travel_s=pre_t,
                    pre_distance_m=pre_d,
                    earliest_hub_s=earliest,
                    latest_hub_s=latest,
                    end_key=end_key,
                    capacity=d.capacity_boxes,
                    capacity_frozen=BIG if d.capacity_frozen is None else d.capacity_frozen,
                    max_stops=BIG if d.max_stops is None else d.max_stops,
                    max_span_s=BIG if d.max_route_s is None else d.max_route_s - pre_t,
                    max_distance_m=BIG if d.max_distance_m is None else d.max_distance_m - pre_d,
                )
            )
            driver_alts.setdefault(d.id, []).append(len(vehicles) - 1)

    locked_of = {s: d for d, seq in locked.items() for s in seq}
    roads = _Roads(mats, vehicles)
    max_cap = max((v.capacity for v in vehicles), default=0)
    max_frozen = max((v.capacity_frozen for v in vehicles), default=0)
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
        reachable = roads.reachable(s)
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
    for p in sorted({v.profile for v in vehicles}):
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

    data = SolveData(
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
    cols = vehicle_columns(data)
    for i, s in enumerate(candidates):
        fit = alone_feasible(data, i, data.allowed[i], cols)
        if fit.any():
            data.allowed[i] = [vi for vi, f in zip(data.allowed[i], fit, strict=True) if f]
            keep.append(i)
            continue
        checks = [(vi, evaluate(data, vi, [i])) for vi in data.allowed[i]]
        if all(c.why == "distance" for _, c in checks):
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


def _subset(data: SolveData, keep: list[int]) -> SolveData:
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


def _hours_message(data: SolveData, i: int) -> str:
    s = data.stops[i]
    when = ", ".join(str(w) for w in s.windows) or "any time"
    hours = sorted({str(v.driver.shift) for vi in data.allowed[i] for v in [data.vehicles[vi]]})
    return (
        f"its window ({when}) meets no driver's hours, travel included "
        f"(drivers who could take it: {', '.join(hours)})"
    )


def _set_costs(data: SolveData) -> None:
    """Penalties for leaving a stop out, and the fixed cost of a driver."""
    opts = data.options
    finite = [a[a < BIG] for a in data.travel.values()]
    max_arc = max([int(f.max()) for f in finite if f.size], default=1)
    if opts.objective == "distance":
        finite_d = [a[a < BIG] for a in data.dist.values()]
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
