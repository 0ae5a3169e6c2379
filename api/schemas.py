"""Request and response bodies of the HTTP API (pydantic), apart from storage and domain types."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field

from api.plan_schema import PlanJson
from routing.intake.cells import MAX_BOXES, MAX_CAPACITY, MAX_STOPS
from routing.intake.limits import (
    ADDRESS_CHARS,
    ID_CHARS,
    MAX_EXCLUDED,
    MAX_TAGS,
    MAX_WINDOWS,
    NAME_CHARS,
    NOTE_CHARS,
    SHORT_CHARS,
)


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


#: Clean text of at most so many characters (ids, names, addresses, short fields, notes):
#: a spreadsheet's cells are cut to the same (routing.intake.limits), so that what
#: ``POST /imports`` reads can always be planned.
Id = Annotated[str, Field(max_length=ID_CHARS), AfterValidator(clean_text)]
Name = Annotated[str, Field(max_length=NAME_CHARS), AfterValidator(clean_text)]
Address = Annotated[str, Field(max_length=ADDRESS_CHARS), AfterValidator(clean_text)]
Short = Annotated[str, Field(max_length=SHORT_CHARS), AfterValidator(clean_text)]
Label = Annotated[str, Field(max_length=100), AfterValidator(clean_text)]
Remark = Annotated[str, Field(max_length=500), AfterValidator(clean_text)]
Note = Annotated[str, Field(max_length=NOTE_CHARS), AfterValidator(clean_text)]
Email = Annotated[str, Field(max_length=254), AfterValidator(clean_text)]
Password = Annotated[str, Field(max_length=1024), AfterValidator(clean_text)]

Lat = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Lon = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Minutes = Annotated[float, Field(ge=0, le=24 * 60, allow_inf_nan=False)]


#: How far from today a delivery day may be (a plan cannot outlive retention by its date).
MAX_DAYS_FROM_TODAY = 366


def near_today(value: datetime.date) -> datetime.date:
    today = datetime.date.today()
    if abs((value - today).days) > MAX_DAYS_FROM_TODAY:
        raise ValueError(f"must be within {MAX_DAYS_FROM_TODAY} days of today ({today})")
    return value


Day = Annotated[datetime.date, AfterValidator(near_today)]


def reason_of(error: Any) -> str:
    """A pydantic error's reason as our validators word it, without pydantic's
    ``Value error,`` in front (``error``: one of ``ValidationError.errors()``)."""
    return str(error.get("msg", "")).removeprefix("Value error, ")


#: A window or a shift as a spreadsheet holds it ("10-12", "10am-12pm", "morning", "after
#: 3pm") or as plan.json and POST /imports write it: ["10:00", "12:00"].
WindowText = Short | Annotated[list[Short], Field(max_length=2)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LatLonIn(Strict):
    lat: Lat
    lon: Lon


class HubIn(Strict):
    id: Id = "hub"
    name: Name = "Hub"
    address: Address = ""
    lat: Lat | None = None
    lon: Lon | None = None
    loading_min: float = Field(default=0, ge=0, le=240, allow_inf_nan=False)


class StopIn(Strict):
    """A stop as JSON; what ``POST /imports`` answers in ``stops`` is accepted as it is."""

    id: Id
    #: The recipient; ``recipient`` (as ``POST /imports`` writes it) is the same field.
    name: Name = Field(default="", validation_alias=AliasChoices("name", "recipient"))
    address: Address = ""
    unit: Short = ""
    postcode: Short = ""
    lat: Lat | None = None
    lon: Lon | None = None
    #: Where ``POST /imports`` placed the address, how ("exact", ...) and as what.
    location: LatLonIn | None = None
    precision: Literal["", "given", "exact", "interpolated", "intersection", "street"] = ""
    matched: Address = ""
    #: Spreadsheet row, kept to point a dispatcher at it.
    row: int | None = Field(default=None, ge=1, le=10_000_000)
    boxes: int = Field(default=1, ge=0, le=MAX_BOXES)
    frozen: int = Field(default=0, ge=0, le=MAX_BOXES)
    #: Windows as a spreadsheet holds them ("10-12", "10am-12pm", "morning", "11-1", "after
    #: 3pm") or as ["10:00", "12:00"] pairs; empty = any time.
    windows: list[WindowText] = Field(default=[], max_length=MAX_WINDOWS)
    #: Minutes at the door; default: 3 + 1 per box (+ 5 with stairs), as for spreadsheets.
    service_min: float | None = Field(default=None, ge=0, le=240, allow_inf_nan=False)
    stairs: bool = False
    phone: Short = ""
    notes: Note = ""
    language: Short = ""
    requires: list[Short] = Field(default=[], max_length=MAX_TAGS)
    driver: Id | None = None
    exclude_drivers: list[Id] = Field(default=[], max_length=MAX_EXCLUDED)
    urgent: bool = False


class DriverIn(Strict):
    """A driver as JSON; what ``POST /imports`` answers in ``drivers`` is accepted as it is."""

    id: Id | None = None
    name: Name
    phone: Short = ""
    capacity_boxes: int = Field(ge=0, le=MAX_CAPACITY)
    capacity_frozen: int | None = Field(default=None, ge=0, le=MAX_BOXES)
    #: Available hours as a roster holds them ("9-13", "9am-1pm", "09:00-13:00") or as
    #: ["09:00", "13:00"].
    shift: WindowText
    home_address: Address = ""
    home_lat: Lat | None = None
    home_lon: Lon | None = None
    #: The home as ``POST /imports`` placed it.
    home: LatLonIn | None = None
    row: int | None = Field(default=None, ge=1, le=10_000_000)
    start: Literal["hub", "home"] = "hub"
    end: Literal["hub", "home", "anywhere"] = "hub"
    hub: Id | None = None
    languages: list[Short] = Field(default=[], max_length=MAX_TAGS)
    skills: list[Short] = Field(default=[], max_length=MAX_TAGS)
    profile: Literal["drive", "bike", "walk"] = "drive"
    max_stops: int | None = Field(default=None, ge=0, le=MAX_STOPS)
    max_route_min: Minutes | None = None
    max_distance_km: float | None = Field(default=None, ge=0, le=1000, allow_inf_nan=False)
    #: The language of the driver's page and manifest ("es"), "" for the reader's.
    locale: Short = ""


class PlanOptionsIn(Strict):
    """How to plan. Defaults are what a dispatcher would pick: balanced route minutes."""

    #: The longest the search may take (capped by the server's max_time_limit_s); it ends
    #: sooner once the plan stops improving, unless full_time.
    time_limit_s: float | None = Field(default=None, gt=0, le=3600, allow_inf_nan=False)
    #: Search for the whole time limit, even after the plan has stopped improving.
    full_time: bool = False
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    #: Even out route minutes ("time"), boxes, both, or not at all ("off").
    balance: Literal["time", "boxes", "time_and_boxes", "off"] = "time"
    #: Use as few drivers as possible instead, freeing volunteers.
    minimize_drivers: bool = False
    max_drivers: int | None = Field(default=None, ge=1, le=10_000)
    objective: Literal["time", "distance"] = "time"
    #: Driver id -> stop ids in order: that driver's route is exactly this.
    locked_routes: dict[Id, Annotated[list[Id], Field(max_length=5000)]] = Field(
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

    area: Label | None = None
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
