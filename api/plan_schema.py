"""``plan.json``'s shape for the OpenAPI document: the stable core, typed.

Each model allows more keys than it names (``plan.json`` may grow), but every key named here
is what :mod:`routing.serialize` writes, so a client generated from the OpenAPI document can
read routes, stops, times and reasons without guessing.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class LatLonOut(Open):
    lat: float
    lon: float


class VisitOut(Open):
    """A stop on a route, with its times on the delivery day."""

    id: str
    arrival: str
    start: str
    departure: str
    arrival_s: int
    start_s: int
    departure_s: int
    boxes: int
    name: str
    address: str
    unit: str
    lat: float | None
    lon: float | None


class RouteOut(Open):
    """One driver's route: hours, load and the stops in order."""

    driver: str
    driver_id: str
    hub: str
    start: str
    end: str
    depart_hub: str | None
    start_s: int
    end_s: int
    stops_count: int
    boxes: int
    duration_min: float
    distance_km: float
    stops: list[VisitOut]
    path: list[list[float]]


class UnassignedOut(Open):
    """A stop no route could take, why, and what would fix it."""

    id: str
    reason: str
    message: str
    fix: str
    row: int | None
    name: str
    address: str


class SummaryOut(Open):
    stops: int
    assigned: int
    unassigned: int
    unassigned_by_reason: dict[str, int]
    drivers: int
    drivers_used: int
    boxes: int
    route_minutes: float
    distance_km: float


class HubOut(Open):
    id: str
    name: str
    address: str
    location: LatLonOut | None


class StopOut(Open):
    id: str
    row: int | None
    recipient: str
    address: str
    unit: str
    location: LatLonOut | None
    boxes: int
    windows: list[list[str] | None]
    phone: str
    notes: str


class DriverOut(Open):
    id: str
    name: str
    phone: str
    capacity_boxes: int
    shift: list[str] | None


class ProblemOut(Open):
    """The whole input, so the plan can be rendered (and re-planned) again."""

    hubs: list[HubOut]
    stops: list[StopOut]
    drivers: list[DriverOut]
    date: str | None = None


class PlanJson(Open):
    """``plan.json``: the plan as files and scripts read it."""

    format: str
    date: str | None
    summary: SummaryOut
    routes: list[RouteOut]
    unassigned: list[UnassignedOut]
    problem: ProblemOut
    stats: dict[str, Any]
