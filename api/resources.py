"""Request and response bodies of the service's resources (accounts, roster, weeks, versions,
links, delivery status, jobs), apart from storage models and the domain model."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from api.schemas import (
    Day,
    DriverIn,
    Email,
    HubIn,
    Id,
    Label,
    Password,
    PlanOptionsIn,
    Remark,
    Short,
    StopIn,
    Strict,
)


class Login(Strict):
    email: Email
    password: Password


class SetPassword(Strict):
    password: Password


class Session(BaseModel):
    """A logged-in browser: send ``csrf_token`` as ``X-CSRF-Token`` with every change."""

    email: str
    group: str
    csrf_token: str


class DispatcherOut(BaseModel):
    email: str
    created_at: str
    has_password: bool


class GroupOut(BaseModel):
    id: str
    name: str
    timezone: str
    dispatchers: list[DispatcherOut]


class GroupReport(BaseModel):
    """The group's counts over every plan, kept after personal data is purged."""

    plans: int
    purged_plans: int
    stops: int
    assigned: int
    boxes: int
    reported: dict[str, int]


class InviteIn(Strict):
    email: Email


class InviteOut(BaseModel):
    email: str
    invite_url: str


class TokenIn(Strict):
    name: Label = ""


class TokenOut(BaseModel):
    id: str
    name: str
    prefix: str
    email: str
    created_at: str
    last_used_at: str | None
    revoked: bool


class NewToken(TokenOut):
    """The token itself is shown this once; only its hash is stored."""

    token: str


class HubOut(BaseModel):
    """A hub the group keeps (``id`` is its record's; ``hub.id`` the one plans use)."""

    id: str
    hub: HubIn


class RosterDriverIn(DriverIn):
    #: On this week's run.
    available: bool = True


class RosterDriverOut(BaseModel):
    id: str
    available: bool
    driver: DriverIn


class HouseholdOut(BaseModel):
    id: str
    key: str
    last_delivery: str | None
    #: The drivers that brought its groceries, ``[[date, driver id], ...]``, newest last.
    drivers: list[list[str]]
    fields: dict[str, Any]


T = TypeVar("T")


class Listing(BaseModel, Generic[T]):
    data: list[T]
    count: int


class WeekIn(Strict):
    date: Day


class WeekPlanIn(Strict):
    """How to plan a week from what it keeps (its list, the roster, the hubs)."""

    options: PlanOptionsIn = PlanOptionsIn()
    #: What drivers' pages and manifests show (see ``POST /plans``).
    privacy: Literal["full", "initials", "no_phone", "reveal"] | None = None


class ImportOut(BaseModel):
    id: str
    kind: str
    filename: str
    created_at: str
    week_id: str | None
    summary: dict[str, Any]
    purged: bool


class WeekOut(BaseModel):
    id: str
    date: str
    imports: list[ImportOut]
    plan_ids: list[str]


class VersionOut(BaseModel):
    number: int
    created_at: str
    change: str
    note: str
    published: bool
    summary: dict[str, Any]
    #: Drivers whose stops differ from the published version's.
    changed_drivers: list[str]


class Edit(Strict):
    """A change to a plan; each makes a new (draft) version, re-planned with minimal change.

    - ``move``: ``stop_id`` to ``driver_id`` (pinned there for this version);
    - ``pin``: keep ``stop_id`` with ``driver_id`` from now on (``driver_id`` null: unpin);
    - ``add_stop``: a late ``stop``; ``remove_stop``: ``stop_id``;
    - ``driver_hours``: ``driver_id``'s ``shift`` ("HH:MM-HH:MM");
    - ``unavailable``: ``driver_id`` is not driving (their stops go to others);
    - ``reoptimise``: plan again, moving as few stops as possible.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"change": "move", "stop_id": "s1", "driver_id": "bo", "time_limit_s": 1}]
        },
    )

    change: Literal[
        "move", "pin", "add_stop", "remove_stop", "driver_hours", "unavailable", "reoptimise"
    ]
    stop_id: Id | None = None
    driver_id: Id | None = None
    stop: StopIn | None = None
    shift: Short | None = None
    #: Seconds of search for the re-plan (default: short, minimal change matters more).
    time_limit_s: float | None = Field(default=None, gt=0, le=600, allow_inf_nan=False)
    #: From which version (default: the newest).
    version: int | None = Field(default=None, ge=1, le=1_000_000)
    note: Remark = ""


class Published(BaseModel):
    version: int
    #: Drivers whose route changed from what they were shown: tell them.
    changed_drivers: list[str]
    driver_links: list[DriverLinkOut]


class DriverLinkOut(BaseModel):
    driver_id: str
    driver: str
    url: str
    created_at: str
    revoked: bool
    expires_at: str


class StatusIn(Strict):
    stop_id: Id
    status: Literal["delivered", "not_home", "refused"]
    note: Remark = ""


class StatusOut(BaseModel):
    stop_id: str
    driver_id: str
    status: str
    note: str
    at: str


class PlanStatus(BaseModel):
    """Every stop of the published version with what its driver reported (or ``pending``)."""

    plan_id: str
    version: int | None
    counts: dict[str, int]
    stops: list[StopStatus]
    #: Pass back as ``since`` to get only what changed.
    updated_at: str


class StopStatus(BaseModel):
    stop_id: str
    driver_id: str
    status: str
    note: str
    at: str | None


class DriverStop(BaseModel):
    id: str
    arrival: str
    name: str
    address: str
    unit: str
    phone: str
    notes: str
    boxes: int
    lat: float | None
    lon: float | None
    status: str
    status_note: str


class DriverRun(BaseModel):
    """A driver's own stops in order, as their link shows them (privacy applied)."""

    driver: str
    date: str | None
    start: str | None
    end: str | None
    stops: list[DriverStop]


class JobOut(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    phase: str
    elapsed_s: float
    time_limit_s: float
    stops: int
    assigned: int
    objective: int | None
    attempts: int
    plan_id: str | None
    plan_url: str | None
    version: int | None
    error: dict[str, Any] | None
