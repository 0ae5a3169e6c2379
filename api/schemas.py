"""Request and response bodies of the HTTP API (pydantic), apart from storage and domain types."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HubIn(Strict):
    id: str = "hub"
    name: str = "Hub"
    address: str = ""
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    loading_min: float = Field(default=0, ge=0)


class StopIn(Strict):
    id: str
    name: str = ""
    address: str = ""
    unit: str = ""
    postcode: str = ""
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    boxes: int = Field(default=1, ge=0)
    frozen: int = Field(default=0, ge=0)
    #: Windows as "HH:MM-HH:MM" strings; empty = any time.
    windows: list[str] = []
    #: Minutes at the door; default: 3 + 1 per box (+ 5 with stairs), as for spreadsheets.
    service_min: float | None = Field(default=None, ge=0)
    stairs: bool = False
    phone: str = ""
    notes: str = ""
    language: str = ""
    requires: list[str] = []
    driver: str | None = None
    exclude_drivers: list[str] = []
    urgent: bool = False


class DriverIn(Strict):
    id: str | None = None
    name: str
    phone: str = ""
    capacity_boxes: int = Field(ge=0)
    capacity_frozen: int | None = Field(default=None, ge=0)
    #: Available hours "HH:MM-HH:MM".
    shift: str
    home_address: str = ""
    home_lat: float | None = Field(default=None, ge=-90, le=90)
    home_lon: float | None = Field(default=None, ge=-180, le=180)
    start: Literal["hub", "home"] = "hub"
    end: Literal["hub", "home", "anywhere"] = "hub"
    hub: str | None = None
    languages: list[str] = []
    skills: list[str] = []
    profile: Literal["drive", "bike", "walk"] = "drive"
    max_stops: int | None = Field(default=None, ge=0)
    max_route_min: float | None = Field(default=None, ge=0)
    max_distance_km: float | None = Field(default=None, ge=0)


class PlanOptionsIn(Strict):
    """How to plan. Defaults are what a dispatcher would pick: balanced route minutes."""

    #: The longest the search may take (capped by the server's max_time_limit_s); it ends
    #: sooner once the plan stops improving, unless full_time.
    time_limit_s: float | None = Field(default=None, gt=0)
    #: Search for the whole time limit, even after the plan has stopped improving.
    full_time: bool = False
    seed: int = 0
    #: Even out route minutes ("time"), boxes, both, or not at all ("off").
    balance: Literal["time", "boxes", "time_and_boxes", "off"] = "time"
    #: Use as few drivers as possible instead, freeing volunteers.
    minimize_drivers: bool = False
    max_drivers: int | None = Field(default=None, ge=1)
    objective: Literal["time", "distance"] = "time"
    #: Driver id -> stop ids in order: that driver's route is exactly this.
    locked_routes: dict[str, list[str]] = {}
    #: A stored plan drivers already have: re-plan moving as few stops as possible.
    previous_plan_id: str | None = None
    #: Minutes of travel one moved stop is worth avoiding (with previous_plan_id).
    change_cost_min: float = Field(default=30, ge=0)
    #: Last week's stored plan: prefer each household's driver from it.
    last_week_plan_id: str | None = None


class PlanCreate(Strict):
    """A week's run to plan: hubs, stops and drivers as JSON."""

    area: str | None = None
    date: datetime.date | None = None
    hubs: list[HubIn] = Field(min_length=1)
    stops: list[StopIn]
    drivers: list[DriverIn] = Field(min_length=1)
    options: PlanOptionsIn = PlanOptionsIn()
    #: What drivers' pages and manifests show: full, initials (instead of names),
    #: no_phone, or reveal (the driver page shows the next stop only).
    privacy: Literal["full", "initials", "no_phone", "reveal"] | None = None


class DriverLink(BaseModel):
    driver_id: str
    driver: str
    url: str


class PlanPublic(BaseModel):
    """A stored plan: its id, links for the dispatcher and each driver, and plan.json."""

    id: str
    area: str
    created_at: str
    expires_at: str
    map_url: str
    privacy: str
    driver_links: list[DriverLink]
    plan: dict[str, Any]


class PlanSummary(BaseModel):
    id: str
    area: str
    date: str | None
    created_at: str
    summary: dict[str, Any]


class PlansPublic(BaseModel):
    data: list[PlanSummary]
    count: int


class ProblemOut(BaseModel):
    row: int | None
    field: str
    value: str
    reason: str
    severity: str


class ErrorOut(BaseModel):
    detail: str
    problems: list[ProblemOut] = []
