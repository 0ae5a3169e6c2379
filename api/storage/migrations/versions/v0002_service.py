"""The dispatcher service: groups, dispatchers and their credentials, the roster and households,
weeks and imports, plans as versions, drivers' links per run, delivery status, jobs.

Plans stored by aidroute 0.1 move, with their bodies and drivers' links (same tokens: the
drivers already have them), to the group ``default`` as published version 1; the legacy
``AIDROUTE_DISPATCHER_TOKEN`` acts for that group.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LEGACY_GROUP = "default"


def _ts(name: str, nullable: bool = False, index: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, index=index)


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.String(32), primary_key=True)


def _fk(name: str, target: str, nullable: bool = False, ondelete: str = "CASCADE") -> Any:
    return sa.Column(
        name,
        sa.String(32),
        sa.ForeignKey(target, ondelete=ondelete),
        nullable=nullable,
        index=True,
    )


def _create_service_tables() -> None:
    op.create_table(
        "groups",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        _ts("created_at"),
    )
    op.create_table(
        "dispatchers",
        _id(),
        _fk("group_id", "groups.id"),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200)),
        _ts("created_at"),
        sa.Column("invited_by", sa.String(32)),
    )
    op.create_table(
        "invites",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        _fk("dispatcher_id", "dispatchers.id"),
        _ts("expires_at"),
        _ts("used_at", nullable=True),
    )
    op.create_table(
        "api_tokens",
        _id(),
        _fk("dispatcher_id", "dispatchers.id"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(12), nullable=False),
        _ts("created_at"),
        _ts("last_used_at", nullable=True),
        _ts("revoked_at", nullable=True),
    )
    op.create_table(
        "sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        _fk("dispatcher_id", "dispatchers.id"),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        _ts("created_at"),
        _ts("expires_at", index=True),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(300), nullable=False, index=True),
        _ts("at", index=True),
    )
    for table in ("hubs", "roster_drivers", "households"):
        extra: list[Any] = []
        if table == "roster_drivers":
            extra = [sa.Column("available", sa.Boolean, nullable=False)]
        if table == "households":
            extra = [
                sa.Column("drivers", sa.Text, nullable=False),
                sa.Column("last_delivery", sa.Date, index=True),
                _ts("created_at"),
            ]
        op.create_table(
            table,
            _id(),
            _fk("group_id", "groups.id"),
            sa.Column("key", sa.String(200), nullable=False),
            sa.Column("data", sa.Text, nullable=False),
            *extra,
            sa.UniqueConstraint("group_id", "key"),
        )
    op.create_table(
        "weeks",
        _id(),
        _fk("group_id", "groups.id"),
        sa.Column("date", sa.Date, nullable=False, index=True),
        _ts("created_at"),
        sa.UniqueConstraint("group_id", "date"),
    )
    op.create_table(
        "imports",
        _id(),
        _fk("group_id", "groups.id"),
        _fk("week_id", "weeks.id", nullable=True, ondelete="SET NULL"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        _ts("created_at"),
        sa.Column("day", sa.Date, nullable=False, index=True),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("report", sa.Text),
        sa.Column("items", sa.Text),
        _ts("purged_at", nullable=True),
    )
    op.create_table(
        "plans",
        _id(),
        _fk("group_id", "groups.id"),
        _fk("week_id", "weeks.id", nullable=True, ondelete="SET NULL"),
        sa.Column("area", sa.String(200), nullable=False),
        sa.Column("privacy", sa.String(20), nullable=False),
        sa.Column("day", sa.Date, index=True),
        _ts("created_at"),
        _ts("expires_at", index=True),
        sa.Column("published_version", sa.Integer),
        sa.Column("latest_version", sa.Integer, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        _ts("purged_at", nullable=True),
    )
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _fk("plan_id", "plans.id"),
        sa.Column("number", sa.Integer, nullable=False),
        _ts("created_at"),
        sa.Column("change", sa.String(40), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("body", sa.Text),
        sa.Column("request", sa.Text),
        _ts("published_at", nullable=True),
        sa.UniqueConstraint("plan_id", "number"),
    )
    op.create_table(
        "driver_links",
        sa.Column("token", sa.String(64), primary_key=True),
        _fk("plan_id", "plans.id"),
        sa.Column("driver_id", sa.String(200), nullable=False),
        _ts("created_at"),
        _ts("revoked_at", nullable=True),
    )
    op.create_table(
        "delivery_status",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _fk("plan_id", "plans.id"),
        sa.Column("stop_id", sa.String(200), nullable=False),
        sa.Column("driver_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        _ts("at", index=True),
        sa.UniqueConstraint("plan_id", "stop_id"),
    )
    op.create_table(
        "jobs",
        _id(),
        _fk("group_id", "groups.id"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("plan_id", sa.String(32), index=True),
        sa.Column("change", sa.String(40), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("request", sa.Text),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("phase", sa.String(100), nullable=False),
        sa.Column("stops", sa.Integer, nullable=False),
        sa.Column("assigned", sa.Integer, nullable=False),
        sa.Column("objective", sa.Integer),
        sa.Column("time_limit_s", sa.Float, nullable=False),
        _ts("created_at", index=True),
        _ts("started_at", nullable=True),
        _ts("finished_at", nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("worker", sa.String(200), nullable=False),
        _ts("lease_until", nullable=True, index=True),
        sa.Column("cancel_requested", sa.Boolean, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("result_plan_id", sa.String(32)),
        sa.Column("result_version", sa.Integer),
    )


def _aware(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _day(body: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(body["date"]) if body.get("date") else None
    except (TypeError, ValueError):
        return None


def _counts(body: dict[str, Any]) -> str:
    s = body.get("summary") or {}
    keep = ("stops", "assigned", "unassigned", "drivers_used", "boxes", "route_minutes")
    return json.dumps({k: s[k] for k in keep if k in s})


def _move_legacy_rows(conn: sa.Connection) -> None:
    plans = conn.execute(
        sa.text("SELECT id, created_at, expires_at, area, body, privacy FROM plans_v01")
    ).fetchall()
    links = conn.execute(
        sa.text("SELECT token, plan_id, driver_id FROM driver_links_v01")
    ).fetchall()
    if not plans:
        return
    now = datetime.now(UTC)
    conn.execute(
        sa.text("INSERT INTO groups (id, name, timezone, created_at) VALUES (:i, :n, 'UTC', :t)"),
        {"i": LEGACY_GROUP, "n": "default", "t": now},
    )
    for p in plans:
        body = json.loads(p.body)
        created = _aware(p.created_at)
        conn.execute(
            sa.text(
                "INSERT INTO plans (id, group_id, week_id, area, privacy, day, created_at, "
                "expires_at, published_version, latest_version, summary, purged_at) VALUES "
                "(:id, :g, NULL, :area, :privacy, :day, :c, :e, 1, 1, :summary, NULL)"
            ),
            {
                "id": p.id,
                "g": LEGACY_GROUP,
                "area": p.area,
                "privacy": p.privacy,
                "day": _day(body),
                "c": created,
                "e": _aware(p.expires_at),
                "summary": _counts(body),
            },
        )
        conn.execute(
            sa.text(
                "INSERT INTO plan_versions (plan_id, number, created_at, change, note, body, "
                "request, published_at) VALUES (:p, 1, :c, 'plan', 'made by aidroute 0.1', :b, "
                "NULL, :c)"
            ),
            {"p": p.id, "c": created, "b": p.body},
        )
    for link in links:
        conn.execute(
            sa.text(
                "INSERT INTO driver_links (token, plan_id, driver_id, created_at, revoked_at) "
                "VALUES (:t, :p, :d, :c, NULL)"
            ),
            {"t": link.token, "p": link.plan_id, "d": link.driver_id, "c": now},
        )


def upgrade() -> None:
    op.drop_index("ix_driver_links_plan_id", table_name="driver_links")
    op.drop_index("ix_plans_expires_at", table_name="plans")
    op.rename_table("driver_links", "driver_links_v01")
    op.rename_table("plans", "plans_v01")
    _create_service_tables()
    _move_legacy_rows(op.get_bind())
    op.drop_table("driver_links_v01")
    op.drop_table("plans_v01")


def downgrade() -> None:
    raise NotImplementedError("the service's data cannot be put back in aidroute 0.1's tables")
