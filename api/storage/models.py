"""The tables: groups and who may act for them, the roster and households kept from week to
week, weeks and their imports, plans as versions, drivers' links, delivery status and jobs.

Every row a dispatcher can reach carries ``group_id``: queries filter on it (see
:mod:`api.storage.scoped`). JSON documents (plan.json, a request, an import's report) are kept
as text: they are read whole, never queried inside. Recipients' personal data lives only in
``plan_versions.body``/``request``, ``imports.report``/``items``, ``households`` and
``delivery_status.note``; :mod:`api.storage.retention` purges those.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def new_id() -> str:
    """A random object id (64 bits): ids are not secrets, but guessing one finds nothing."""
    return secrets.token_hex(8)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and read back timezone-aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime}


class Group(Base):
    """A mutual-aid group: its dispatchers see its data, and only theirs."""

    __tablename__ = "groups"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Dispatcher(Base):
    __tablename__ = "dispatchers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    invited_by: Mapped[str | None] = mapped_column(String(32), default=None)


class Invite(Base):
    """A one-time link that lets a dispatcher set their password."""

    __tablename__ = "invites"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    dispatcher_id: Mapped[str] = mapped_column(
        ForeignKey("dispatchers.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class ApiToken(Base):
    """A dispatcher's token for scripts, stored as its SHA-256 (the token has 256 random bits)."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    dispatcher_id: Mapped[str] = mapped_column(
        ForeignKey("dispatchers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters, shown in listings so a person can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class WebSession(Base):
    """A logged-in browser: the cookie holds the id, the table its SHA-256."""

    __tablename__ = "sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    dispatcher_id: Mapped[str] = mapped_column(
        ForeignKey("dispatchers.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class LoginAttempt(Base):
    """A failed login, kept a short while to slow down password guessing."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class KeyedItem:
    """A group's item kept as the JSON the API takes, under its own id (``key``)."""

    __table_args__ = (UniqueConstraint("group_id", "key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    data: Mapped[str] = mapped_column(Text)

    def fields(self) -> dict[str, Any]:
        return json.loads(self.data)  # type: ignore[no-any-return]


class HubRecord(KeyedItem, Base):
    """A pickup place of a group; ``key`` is its id in requests and plan.json ("pantry")."""

    __tablename__ = "hubs"

    #: Whether plans use this hub (ticked by the dispatcher on the web page).
    in_use: Mapped[bool] = mapped_column(Boolean, default=True)


class RosterDriver(KeyedItem, Base):
    """A volunteer driver on the group's roster: usual hours, car, languages (JSON)."""

    __tablename__ = "roster_drivers"

    #: Whether the driver is on this week's run (ticked by the dispatcher).
    available: Mapped[bool] = mapped_column(Boolean, default=True)


class Household(KeyedItem, Base):
    """A household the group delivers to, kept from week to week.

    ``drivers`` is its history: ``[[date, driver id], ...]``, newest last (continuity).
    Purged, with its personal data, when no delivery to it is within the retention period.
    """

    __tablename__ = "households"

    drivers: Mapped[str] = mapped_column(Text, default="[]")
    last_delivery: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WeekRecord(Base):
    """A delivery day of a group, with its imports and plans."""

    __tablename__ = "weeks"
    __table_args__ = (UniqueConstraint("group_id", "date"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportRecord(Base):
    """An uploaded delivery list or roster: its problems report and the rows it read."""

    __tablename__ = "imports"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    week_id: Mapped[str | None] = mapped_column(
        ForeignKey("weeks.id", ondelete="SET NULL"), index=True, default=None
    )
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The import's date (its week's, else the day it was made): retention counts from it.
    day: Mapped[date] = mapped_column(Date, index=True)
    summary: Mapped[str] = mapped_column(Text, default="{}")
    #: The whole report and the stops/drivers read; emptied by the purge.
    report: Mapped[str | None] = mapped_column(Text, default=None)
    items: Mapped[str | None] = mapped_column(Text, default=None)
    purged_at: Mapped[datetime | None] = mapped_column(default=None)


class PlanRecord(Base):
    """A run (one delivery day's routes), with its versions; drivers' links belong to it."""

    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    week_id: Mapped[str | None] = mapped_column(
        ForeignKey("weeks.id", ondelete="SET NULL"), index=True, default=None
    )
    area: Mapped[str] = mapped_column(String(200))
    privacy: Mapped[str] = mapped_column(String(20), default="full")
    day: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Personal data is purged after this; the row and its counts stay.
    expires_at: Mapped[datetime] = mapped_column(index=True)
    published_version: Mapped[int | None] = mapped_column(Integer, default=None)
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    #: Counts kept for the group's reports after the purge (stops, boxes, delivered, ...).
    summary: Mapped[str] = mapped_column(Text, default="{}")
    purged_at: Mapped[datetime | None] = mapped_column(default=None)


class PlanVersion(Base):
    """One version of a plan: plan.json, and the request that made it (edits start from it)."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: What made it: "plan", "move", "pin", "add_stop", "remove_stop", "driver_hours", ...
    change: Mapped[str] = mapped_column(String(40), default="plan")
    note: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str | None] = mapped_column(Text, default=None)
    request: Mapped[str | None] = mapped_column(Text, default=None)
    published_at: Mapped[datetime | None] = mapped_column(default=None)

    def plan_dict(self) -> dict[str, Any]:
        return json.loads(self.body or "{}")  # type: ignore[no-any-return]


class DriverLink(Base):
    """A driver's capability link for one run: it always shows the published version.

    It works until revoked or until the run day is over (:func:`api.storage.links.expiry`,
    computed from the plan's day and the settings, so a changed setting applies at once).
    """

    __tablename__ = "driver_links"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    driver_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class DeliveryStatus(Base):
    """What a driver reported at a stop: delivered, not_home or refused, with a short note."""

    __tablename__ = "delivery_status"
    __table_args__ = (UniqueConstraint("plan_id", "stop_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    stop_id: Mapped[str] = mapped_column(String(200))
    driver_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class JobRecord(Base):
    """A solve waiting for, or on, a worker. The database is the truth; queues only carry ids.

    A worker claims a job by moving it from queued to running (attempt + 1) and renews
    ``lease_until`` while it solves; a job whose lease ran out is queued again (or failed
    once ``attempts`` reaches the limit) by :func:`api.storage.jobs.reap`.
    """

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    #: "plan" (a new plan) or "version" (a new version of ``plan_id``).
    kind: Mapped[str] = mapped_column(String(20), default="plan")
    plan_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    change: Mapped[str] = mapped_column(String(40), default="plan")
    note: Mapped[str] = mapped_column(String(500), default="")
    request: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    phase: Mapped[str] = mapped_column(String(100), default="waiting for a worker")
    stops: Mapped[int] = mapped_column(Integer, default=0)
    assigned: Mapped[int] = mapped_column(Integer, default=0)
    objective: Mapped[int | None] = mapped_column(Integer, default=None)
    time_limit_s: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str] = mapped_column(String(200), default="")
    lease_until: Mapped[datetime | None] = mapped_column(default=None, index=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    result_plan_id: Mapped[str | None] = mapped_column(String(32), default=None)
    result_version: Mapped[int | None] = mapped_column(Integer, default=None)
