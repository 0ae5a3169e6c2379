"""From a request to a stored plan: checks in the API, the solve on a worker.

The API calls :func:`prepare` before it stores a job, so a bad request answers 422 at once
(nothing is solved in a request); the worker calls :func:`prepare` again on the stored
request and then :func:`solve`. Earlier plans (``previous_plan_id``, ``last_week_plan_id``,
an edit's base version) are looked up in the caller's group only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from api.convert import week_from_request
from api.schemas import PlanCreate
from api.settings import Settings
from api.storage.models import PlanRecord
from api.storage.plans import current_version, version_of
from api.storage.roster import continuity_for
from routing.errors import InputError, InputProblem
from routing.geocoding.offline import OfflineGeocoder
from routing.model import Plan
from routing.pipeline import History, PreparedWeek, locator_for, prepare_week, solve_week
from routing.roads.area import Area, load_named_area
from routing.serialize import plan_from_dict, plan_to_dict
from routing.solve.options import SolveOptions, SolveProgress


@dataclass(frozen=True)
class Base:
    """The version an edit starts from."""

    plan_id: str
    version: int


@dataclass(frozen=True)
class Prepared:
    """A request checked and prepared for the solver, with what storing its plan needs."""

    week: PreparedWeek
    area_name: str
    privacy: str


@lru_cache(maxsize=4)
def get_area(name: str) -> Area:
    """Load an area by name once per process (areas are read-only).

    Over HTTP an area is named, never given as a path: a folder or an OSM file would make
    the server read (and import) whatever it points at.
    """
    return load_named_area(name)


@lru_cache(maxsize=4)
def get_geocoder(name: str) -> OfflineGeocoder:
    """The area's offline geocoder, built once per process."""
    return OfflineGeocoder.from_area(get_area(name))


def plan_in_group(s: Session, group_id: str, plan_id: str) -> PlanRecord | None:
    plan = s.get(PlanRecord, plan_id) if len(plan_id) <= 32 else None
    if plan is None or plan.group_id != group_id or plan.purged_at is not None:
        return None
    return plan


def _stored(s: Session, group_id: str, plan_id: str | None, field: str) -> Plan | None:
    if plan_id is None:
        return None
    plan = plan_in_group(s, group_id, plan_id)
    version = current_version(s, plan) if plan is not None else None
    if version is None or not version.body:
        raise InputError(
            InputProblem(field, plan_id, "no stored plan with this id (it may have expired)")
        )
    return plan_from_dict(version.plan_dict())


def _base(s: Session, group_id: str, base: Base | None) -> Plan | None:
    if base is None:
        return None
    plan = plan_in_group(s, group_id, base.plan_id)
    version = version_of(s, base.plan_id, base.version) if plan is not None else None
    if version is None or not version.body:
        raise InputError(InputProblem("plan", base.plan_id, "this plan has expired"))
    return plan_from_dict(version.plan_dict())


def prepare(
    s: Session, group_id: str, body: PlanCreate, settings: Settings, base: Base | None = None
) -> Prepared:
    """Place the addresses and check every input. Raises InputError / AreaError (422)."""
    area_name = body.area or settings.default_area
    area = get_area(area_name)
    week = week_from_request(body, locator_for(get_geocoder(area_name)))
    o = body.options
    previous = _base(s, group_id, base) or _stored(
        s, group_id, o.previous_plan_id, "options.previous_plan_id"
    )
    history = History(
        previous=previous,
        last_week=_stored(s, group_id, o.last_week_plan_id, "options.last_week_plan_id"),
    )
    options = SolveOptions(
        time_limit_s=o.time_limit_s,
        seed=o.seed,
        balance=o.balance,
        minimize_drivers=o.minimize_drivers,
        max_vehicles=o.max_drivers,
        objective=o.objective,
        locked_routes=o.locked_routes,
        change_cost_s=round(o.change_cost_min * 60),
        workers=settings.solver_processes,
        continuity=continuity_for(s, group_id, week.stops, week.drivers),
    )
    try:
        prepared = prepare_week(
            week, area, options, history=history, max_time_limit_s=settings.max_time_limit_s
        )
    except InputError as e:  # locked routes are options of the request
        raise InputError(
            [
                replace(p, field=f"options.{p.field}")
                if p.field.startswith("locked_routes.")
                else p
                for p in e.problems
            ]
        ) from None
    return Prepared(prepared, area_name, body.privacy or settings.driver_privacy)


def solve(
    prepared: Prepared,
    progress: Callable[[SolveProgress], None] | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Solve a prepared request: plan.json's content."""
    return plan_to_dict(solve_week(prepared.week, progress=progress, on_phase=on_phase).plan)
