"""Request and response bodies of the HTTP API (pydantic), apart from storage and domain types."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from routing.intake.cells import MAX_BOXES, MAX_CAPACITY, MAX_STOPS, check_plan_day

#: A window or a shift as a spreadsheet holds it ("10-12", "10am-12pm", "morning", "after
#: 3pm") or as plan.json and POST /imports write it: ["10:00", "12:00"].
WindowText = str | list[str]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LatLonIn(Strict):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class HubIn(Strict):
    id: str = "hub"
    name: str = "Hub"
    address: str = ""
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    loading_min: float = Field(default=0, ge=0, le=240)


class StopIn(Strict):
    """A stop as JSON; what ``POST /imports`` answers in ``stops`` is accepted as it is."""

    id: str
    #: The recipient; ``recipient`` (as ``POST /imports`` writes it) is the same field.
    name: str = Field(default="", validation_alias=AliasChoices("name", "recipient"))
    address: str = ""
    unit: str = ""
    postcode: str = ""
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    #: Where ``POST /imports`` placed the address, how ("exact", ...) and as what.
    location: LatLonIn | None = None
    precision: Literal["", "given", "exact", "interpolated", "intersection", "street"] = ""
    matched: str = ""
    #: Spreadsheet row, kept to point a dispatcher at it.
    row: int | None = None
    boxes: int = Field(default=1, ge=0, le=MAX_BOXES)
    frozen: int = Field(default=0, ge=0, le=MAX_BOXES)
    #: Windows as a spreadsheet holds them ("10-12", "10am-12pm", "morning", "11-1", "after
    #: 3pm") or as ["10:00", "12:00"] pairs; empty = any time.
    windows: list[WindowText] = []
    #: Minutes at the door; default: 3 + 1 per box (+ 5 with stairs), as for spreadsheets.
    service_min: float | None = Field(default=None, ge=0, le=240)
    stairs: bool = False
    phone: str = ""
    notes: str = ""
    language: str = ""
    requires: list[str] = []
    driver: str | None = None
    exclude_drivers: list[str] = []
    urgent: bool = False


class DriverIn(Strict):
    """A driver as JSON; what ``POST /imports`` answers in ``drivers`` is accepted as it is."""

    id: str | None = None
    name: str
    phone: str = ""
    capacity_boxes: int = Field(ge=0, le=MAX_CAPACITY)
    capacity_frozen: int | None = Field(default=None, ge=0, le=MAX_BOXES)
    #: Available hours as a roster holds them ("9-13", "9am-1pm", "09:00-13:00") or as
    #: ["09:00", "13:00"].
    shift: WindowText
    home_address: str = ""
    home_lat: float | None = Field(default=None, ge=-90, le=90)
    home_lon: float | None = Field(default=None, ge=-180, le=180)
    #: The home as ``POST /imports`` placed it.
    home: LatLonIn | None = None
    row: int | None = None
    start: Literal["hub", "home"] = "hub"
    end: Literal["hub", "home", "anywhere"] = "hub"
    hub: str | None = None
    languages: list[str] = []
    skills: list[str] = []
    profile: Literal["drive", "bike", "walk"] = "drive"
    max_stops: int | None = Field(default=None, ge=0, le=MAX_STOPS)
    max_route_min: float | None = Field(default=None, ge=0, le=24 * 60)
    max_distance_km: float | None = Field(default=None, ge=0, le=1000)
    #: The language of the driver's page and manifest ("es"), "" for the reader's.
    locale: str = Field(default="", max_length=35)


class PlanOptionsIn(Strict):
    """How to plan. Defaults are what a dispatcher would pick: balanced route minutes."""

    time_limit_s: float | None = Field(default=None, gt=0)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    #: Even out route minutes ("time"), boxes, both, or not at all ("off").
    balance: Literal["time", "boxes", "time_and_boxes", "off"] = "time"
    #: Use as few drivers as possible instead, freeing volunteers.
    minimize_drivers: bool = False
    max_drivers: int | None = Field(default=None, ge=1, le=10_000)
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

    @field_validator("date")
    @classmethod
    def _plan_day(cls, day: datetime.date | None) -> datetime.date | None:
        """A delivery day from 2000 to two years ahead, as on the command line."""
        if day is not None:
            try:
                check_plan_day(day)
            except ValueError as e:
                raise ValueError(e.args[0] if e.args else str(e)) from None
        return day


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
