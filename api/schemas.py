"""Request and response bodies of the HTTP API (pydantic), apart from storage and domain types."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from api.plan_schema import PlanJson


def clean_text(value: str) -> str:
    """Text a person could have typed: no lone surrogates (they cannot be stored or shown)
    and no control characters besides tab and newline."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a character that is not valid text (a lone surrogate)") from None
    if any((ord(c) < 32 and c not in "\t\n\r") or ord(c) == 127 for c in value):
        raise ValueError("contains a control character")
    return value


def Text(max_length: int) -> Any:  # noqa: N802 - reads as a type
    """A string of at most ``max_length`` characters of clean text."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(clean_text)]


Id = Text(200)
Name = Text(200)
Address = Text(500)
Short = Text(50)
Note = Text(2000)


def Number(lo: float, hi: float, **kw: Any) -> Any:  # noqa: N802 - reads as a type
    """A finite number between ``lo`` and ``hi``."""
    return Annotated[float, Field(ge=lo, le=hi, allow_inf_nan=False, **kw)]


def Count(lo: int, hi: int) -> Any:  # noqa: N802 - reads as a type
    return Annotated[int, Field(ge=lo, le=hi)]


Lat = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Lon = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Minutes = Number(0, 24 * 60)

#: How far from today a delivery day may be (a plan cannot outlive retention by its date).
MAX_DAYS_FROM_TODAY = 366


def near_today(value: datetime.date) -> datetime.date:
    today = datetime.date.today()
    if abs((value - today).days) > MAX_DAYS_FROM_TODAY:
        raise ValueError(f"must be within {MAX_DAYS_FROM_TODAY} days of today ({today})")
    return value


Day = Annotated[datetime.date, AfterValidator(near_today)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HubIn(Strict):
    id: Id = "hub"
    name: Name = "Hub"
    address: Address = ""
    lat: Lat | None = None
    lon: Lon | None = None
    loading_min: Minutes = 0


class StopIn(Strict):
    id: Id
    name: Name = ""
    address: Address = ""
    unit: Short = ""
    postcode: Short = ""
    lat: Lat | None = None
    lon: Lon | None = None
    boxes: Count(0, 1000) = 1  # type: ignore[valid-type]
    frozen: Count(0, 1000) = 0  # type: ignore[valid-type]
    #: Windows as "HH:MM-HH:MM" strings; empty = any time.
    windows: list[Short] = Field(default=[], max_length=4)  # type: ignore[valid-type]
    #: Minutes at the door; default: 3 + 1 per box (+ 5 with stairs), as for spreadsheets.
    service_min: Number(0, 240) | None = None  # type: ignore[valid-type]
    stairs: bool = False
    phone: Short = ""
    notes: Note = ""
    language: Short = ""
    requires: list[Short] = Field(default=[], max_length=20)  # type: ignore[valid-type]
    driver: Id | None = None
    exclude_drivers: list[Id] = Field(default=[], max_length=50)  # type: ignore[valid-type]
    urgent: bool = False


class DriverIn(Strict):
    id: Id | None = None
    name: Name
    phone: Short = ""
    capacity_boxes: Count(0, 10_000)  # type: ignore[valid-type]
    capacity_frozen: Count(0, 10_000) | None = None  # type: ignore[valid-type]
    #: Available hours "HH:MM-HH:MM".
    shift: Short
    home_address: Address = ""
    home_lat: Lat | None = None
    home_lon: Lon | None = None
    start: Literal["hub", "home"] = "hub"
    end: Literal["hub", "home", "anywhere"] = "hub"
    hub: Id | None = None
    languages: list[Short] = Field(default=[], max_length=20)  # type: ignore[valid-type]
    skills: list[Short] = Field(default=[], max_length=20)  # type: ignore[valid-type]
    profile: Literal["drive", "bike", "walk"] = "drive"
    max_stops: Count(0, 1000) | None = None  # type: ignore[valid-type]
    max_route_min: Minutes | None = None  # type: ignore[valid-type]
    max_distance_km: Number(0, 2000) | None = None  # type: ignore[valid-type]


class PlanOptionsIn(Strict):
    """How to plan. Defaults are what a dispatcher would pick: balanced route minutes."""

    time_limit_s: Number(0, 3600, gt=0) | None = None  # type: ignore[valid-type]
    seed: Count(0, 2**31 - 1) = 0  # type: ignore[valid-type]
    #: Even out route minutes ("time"), boxes, both, or not at all ("off").
    balance: Literal["time", "boxes", "time_and_boxes", "off"] = "time"
    #: Use as few drivers as possible instead, freeing volunteers.
    minimize_drivers: bool = False
    max_drivers: Count(1, 1000) | None = None  # type: ignore[valid-type]
    objective: Literal["time", "distance"] = "time"
    #: Driver id -> stop ids in order: that driver's route is exactly this.
    locked_routes: dict[Id, Annotated[list[Id], Field(max_length=5000)]] = Field(  # type: ignore[valid-type]
        default={}, max_length=500
    )
    #: A stored plan drivers already have: re-plan moving as few stops as possible.
    previous_plan_id: Short | None = None
    #: Minutes of travel one moved stop is worth avoiding (with previous_plan_id).
    change_cost_min: Minutes = 30
    #: Last week's stored plan: prefer each household's driver from it.
    last_week_plan_id: Short | None = None


#: A week in the bundled Queens Village area: what /docs offers to try, and what API tests
#: start from to reach the solver.
PLAN_EXAMPLE: dict[str, Any] = {
    "hubs": [{"id": "pantry", "name": "Compare Foods", "lat": 40.7073238, "lon": -73.7505106}],
    "stops": [
        {"id": "s0", "name": "Neighbour 0", "address": "203-06 109th Avenue", "lat": 40.7078007,
         "lon": -73.7548753, "boxes": 1, "phone": "555-0100", "windows": ["10:00-12:00"]},
        {"id": "s1", "name": "Neighbour 1", "address": "221-20 107th Avenue", "lat": 40.70895935,
         "lon": -73.733718, "boxes": 2, "phone": "555-0101"},
        {"id": "s2", "name": "Neighbour 2", "address": "247-16 82nd Avenue",
         "lat": 40.738589369112816, "lon": -73.7209336645168, "boxes": 3, "phone": "555-0102"},
    ],
    "drivers": [
        {"id": "ana", "name": "Ana", "capacity_boxes": 10, "shift": "09:00-13:00"},
        {"id": "bo", "name": "Bo", "capacity_boxes": 10, "shift": "09:00-13:00"},
    ],
    "options": {"time_limit_s": 1},
}  # fmt: skip


class PlanCreate(Strict):
    """A week's run to plan: hubs, stops and drivers as JSON."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [PLAN_EXAMPLE]})

    area: Text(100) | None = None  # type: ignore[valid-type]
    #: The delivery day (within a year of today); retention counts from it.
    date: Day | None = None
    hubs: list[HubIn] = Field(min_length=1, max_length=50)
    stops: list[StopIn] = Field(max_length=5000)
    drivers: list[DriverIn] = Field(min_length=1, max_length=500)
    options: PlanOptionsIn = PlanOptionsIn()
    #: What drivers' pages and manifests show: full, initials (instead of names),
    #: no_phone, or reveal (the driver page shows the next stop only).
    privacy: Literal["full", "initials", "no_phone", "reveal"] | None = None


class DriverLink(BaseModel):
    driver_id: str
    driver: str
    url: str


class PlanPublic(BaseModel):
    """A stored plan: its id, links for the dispatcher and each driver, and plan.json.

    ``plan`` is the version drivers' links show (``published_version``), or the newest
    when none is published yet; ``version`` says which it is.
    """

    id: str
    area: str
    created_at: str
    expires_at: str
    map_url: str
    privacy: str
    version: int
    published_version: int | None
    latest_version: int
    driver_links: list[DriverLink]
    plan: PlanJson


class PlanSummary(BaseModel):
    id: str
    area: str
    date: str | None
    created_at: str
    published_version: int | None
    latest_version: int
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
