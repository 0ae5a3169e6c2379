"""Weeks remembered: the same households, drivers and hubs found again in a new week.

Matching is one to one and never guesses. It serves three things: re-planning a week drivers
already have with as few changes as possible (:func:`carry_over`), telling the dispatcher
which drivers' routes a re-plan changed (:func:`plan_changes`), and preferring each
household's driver from last week (:func:`continuity_from`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Literal

from routing.geo import distance_m
from routing.model import (
    Driver,
    Household,
    Move,
    Plan,
    PlanChanges,
    Problem,
    RouteChange,
    Stop,
)
from routing.phones import phone_key


def _stop_key(stop: Stop) -> str:
    return " ".join(f"{stop.address} {stop.unit}".casefold().replace(",", " ").split())


#: Two rows without an address are the same household when placed this close.
SAME_PLACE_M = 30.0


def _same_household(a: Stop, b: Stop) -> bool:
    ka, kb = _stop_key(a), _stop_key(b)
    if ka or kb:
        return ka == kb
    return (
        a.location is not None
        and b.location is not None
        and distance_m(a.location, b.location) <= SAME_PLACE_M
    )


def _same_ids(old_ids: list[str], new_ids: list[str]) -> dict[str, str]:
    """Ids present on both sides, matched to themselves."""
    present = set(new_ids)
    return {i: i for i in old_ids if i in present}


def _unique(candidates: list[str], taken: set[str]) -> str | None:
    free = [c for c in candidates if c not in taken]
    return free[0] if len(free) == 1 else None


def _name(problem: Problem, stop_id: str) -> str:
    return problem.stop(stop_id).recipient.casefold().strip()


def match_stops(old: Problem, new: Problem) -> dict[str, str]:
    """Old stop id -> new stop id for the same household, one to one.

    Ids are row numbers when a sheet has no id column, so an inserted row shifts them: a
    stop keeps its id only when it is the same household there (same address and unit;
    for rows without an address, placed within 30 m). Otherwise it matches the one other
    new stop with its address and unit (and, for two households at one door, its name),
    or, without an address, the one within 30 m. Ambiguous households (the same address
    and name twice) are left unmatched, never guessed.
    """
    new_ids = {s.id: s for s in new.stops}
    out: dict[str, str] = {}
    taken: set[str] = set()
    for stop in old.stops:
        same = new_ids.get(stop.id)
        if same is not None and same.id not in taken and _same_household(stop, same):
            out[stop.id] = same.id
            taken.add(same.id)
    by_key: dict[str, list[str]] = {}
    for stop in new.stops:
        by_key.setdefault(_stop_key(stop), []).append(stop.id)
    for stop in old.stops:
        if stop.id in out:
            continue
        key = _stop_key(stop)
        if key:
            found = _unique(by_key.get(key, []), taken)
            name = stop.recipient.casefold().strip()
            if found is None and name:  # two households at one door: their names differ
                namesakes = [i for i in by_key.get(key, []) if _name(new, i) == name]
                found = _unique(namesakes, taken)
        elif stop.location is not None:
            near = [
                s.id
                for s in new.stops
                if not _stop_key(s)
                and s.location is not None
                and distance_m(stop.location, s.location) <= SAME_PLACE_M
            ]
            found = _unique(near, taken)
        else:
            found = None
        if found is not None:
            out[stop.id] = found
            taken.add(found)
    return out


def match_drivers(old: Problem, new: Problem) -> dict[str, str]:
    """Old driver id -> new driver id, one to one: the same id, else the one driver with the
    same name (case-insensitive), else the one with the same phone number (a name typo
    fixed between runs). Phone numbers are compared as numbers ("(718) 555-0101" is
    "+1 718-555-0101"), each read in its own week's country."""
    out = _same_ids([d.id for d in old.drivers], [d.id for d in new.drivers])
    taken = set(out.values())
    keys: tuple[Callable[[Driver, Problem], str], ...] = (
        lambda d, _p: d.name.casefold().strip(),
        lambda d, p: phone_key(d.phone, p.region),
    )
    for key in keys:
        index: dict[str, list[str]] = {}
        for d in new.drivers:
            if key(d, new):
                index.setdefault(key(d, new), []).append(d.id)
        olds: dict[str, int] = {}
        for d in old.drivers:
            olds[key(d, old)] = olds.get(key(d, old), 0) + 1
        for d in old.drivers:
            k = key(d, old)
            if d.id in out or not k or olds[k] > 1:
                continue
            found = _unique(index.get(k, []), taken)
            if found is not None:
                out[d.id] = found
                taken.add(found)
    return out


def match_hubs(old: Problem, new: Problem) -> dict[str, str]:
    """Old hub id -> new hub id, one to one: the same id, else the nearest new hub within
    200 m, else the only hub of each. A hub given as "LAT,LON" on one run and by name on
    the next is still the same hub."""
    out = _same_ids([h.id for h in old.hubs], [h.id for h in new.hubs])
    taken = set(out.values())
    for h in old.hubs:
        if h.id in out:
            continue
        near = sorted(
            (distance_m(h.location, n.location), n.id) for n in new.hubs if n.id not in taken
        )
        if near and near[0][0] < 200:
            out[h.id] = near[0][1]
            taken.add(near[0][1])
    if not out and len(old.hubs) == len(new.hubs) == 1:
        out[old.hubs[0].id] = new.hubs[0].id
    return out


def carry_over(previous: Plan, problem: Problem) -> Plan:
    """``previous``'s routes restated in ``problem``'s ids, for minimal-change re-planning.

    Stops and drivers that no longer exist are left out; the solver keeps the rest where
    they were unless moving them is worth the change cost.
    """
    stops = match_stops(previous.problem, problem)
    drivers = match_drivers(previous.problem, problem)
    hubs = match_hubs(previous.problem, problem)
    routes = []
    for r in previous.routes:
        if r.driver_id not in drivers or r.hub_id not in hubs:
            continue
        visits = tuple(replace(v, stop_id=stops[v.stop_id]) for v in r.visits if v.stop_id in stops)
        routes.append(
            replace(
                r, driver_id=drivers[r.driver_id], hub_id=hubs[r.hub_id], visits=visits, path=()
            )
        )
    return Plan(problem, tuple(routes), ())


def continuity_from(previous: Plan, problem: Problem) -> dict[str, str]:
    """New stop id -> the driver who served that household in ``previous`` (last week)."""
    stops = match_stops(previous.problem, problem)
    drivers = match_drivers(previous.problem, problem)
    return {
        stops[v.stop_id]: drivers[r.driver_id]
        for r in previous.routes
        for v in r.visits
        if v.stop_id in stops and r.driver_id in drivers
    }


#: A stop or driver of a re-plan: its id in the new plan, or ("was", id) in the old one only.
_Key = str | tuple[str, str]


def plan_changes(previous: Plan, plan: Plan) -> PlanChanges:
    """What changed between ``previous`` (the plan drivers already have) and ``plan``, a
    re-plan of it: for each driver, the households added to or removed from their route and
    whether the rest are visited in another order; households moved between drivers.

    Households and drivers are matched across the two plans as :func:`carry_over` matches
    them, so a household whose row moved (its id changed) is still the same household, and
    one that left the week shows as removed from its driver's route.
    """
    stops = match_stops(previous.problem, plan.problem)
    drivers = match_drivers(previous.problem, plan.problem)

    # Keys shared by both plans: this plan's ids, or ("was", id) for what only the old has.
    def stop_of(old_id: str) -> _Key:
        return stops.get(old_id, ("was", old_id))

    def driver_of(old_id: str) -> _Key:
        return drivers.get(old_id, ("was", old_id))

    before: dict[_Key, list[_Key]] = {
        driver_of(r.driver_id): [stop_of(v.stop_id) for v in r.visits]
        for r in previous.routes
        if r.visits
    }
    after: dict[_Key, list[_Key]] = {
        r.driver_id: [v.stop_id for v in r.visits] for r in plan.routes if r.visits
    }

    def household(key: _Key) -> Household:
        if isinstance(key, str):
            s = plan.problem.stop(key)
            return Household(s.id, s.recipient, s.shown_address)
        old = previous.problem.stop(key[1])
        return Household(old.id, old.recipient, old.shown_address, in_week=False)

    def name(key: _Key) -> tuple[str, str]:
        if isinstance(key, str):
            return key, plan.problem.driver(key).name
        return key[1], previous.problem.driver(key[1]).name

    changes: list[RouteChange] = []
    unchanged: list[str] = []
    for key in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(key, []), after.get(key, [])
        in_old, in_new = set(old), set(new)
        added = tuple(household(s) for s in new if s not in in_old)
        removed = tuple(household(s) for s in old if s not in in_new)
        reordered = [s for s in old if s in in_new] != [s for s in new if s in in_old]
        if not (added or removed or reordered):
            unchanged.append(name(key)[0])
            continue
        status: Literal["changed", "new", "dropped"] = (
            "new" if not old else "dropped" if not new else "changed"
        )
        driver_id, driver = name(key)
        changes.append(RouteChange(driver_id, driver, status, added, removed, reordered))

    was_with = {s: d for d, seq in before.items() for s in seq}
    moved = []
    for d, seq in after.items():
        for s in seq:
            if s in was_with and was_with[s] != d:
                from_id, from_name = name(was_with[s])
                to_id, to_name = name(d)
                moved.append(Move(household(s), from_id, from_name, to_id, to_name))
    return PlanChanges(tuple(changes), tuple(moved), tuple(unchanged))
