"""Plans as versions, drivers' links per run, and what drivers report at each stop.

A plan is one run (a delivery day's routes). Every solve or edit adds a version; publishing a
version makes it the one drivers' links show. A driver's link belongs to the driver for the
run, not to a version: when a later version is published, the same link shows the new route
(or says there are no stops left for them), so two drivers never hold one door.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.storage.models import (
    DeliveryStatus,
    DriverLink,
    Group,
    PlanRecord,
    PlanVersion,
    utcnow,
)

#: What a driver can report at a stop.
STATUSES = ("delivered", "not_home", "refused")


def new_link_token() -> str:
    """A driver's capability: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def expiry(day: date | None, created_at: datetime, retention_days: int) -> datetime:
    """When a plan's personal data is purged: ``retention_days`` after its day, and never
    before ``retention_days`` from when it was made (a plan for a past day is not purged the
    moment it is stored)."""
    floor = created_at + timedelta(days=retention_days)
    if day is None:
        return floor
    return max(floor, datetime.combine(day, time(), UTC) + timedelta(days=retention_days))


def counts(body: dict[str, Any]) -> dict[str, Any]:
    """The aggregate numbers of a plan.json, kept after its personal data is purged."""
    s = body.get("summary") or {}
    keep = ("stops", "assigned", "unassigned", "drivers_used", "boxes", "route_minutes")
    return {k: s[k] for k in keep if k in s}


def routes_by_driver(body: dict[str, Any]) -> dict[str, list[str]]:
    """Driver id -> stop ids in order, for drivers with at least one stop."""
    return {
        r["driver_id"]: [st["id"] for st in r.get("stops", [])]
        for r in body.get("routes", [])
        if r.get("stops")
    }


def changed_drivers(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """Drivers whose stops or their order differ between two plan.json bodies."""
    a = routes_by_driver(old or {})
    b = routes_by_driver(new)
    return sorted(d for d in set(a) | set(b) if a.get(d) != b.get(d))


def create_plan(
    s: Session,
    *,
    group_id: str,
    area: str,
    privacy: str,
    day: date | None,
    retention_days: int,
    week_id: str | None = None,
) -> PlanRecord:
    now = utcnow()
    plan = PlanRecord(
        group_id=group_id,
        week_id=week_id,
        area=area,
        privacy=privacy,
        day=day,
        created_at=now,
        expires_at=expiry(day, now, retention_days),
        latest_version=0,
        summary="{}",
    )
    s.add(plan)
    s.flush()
    return plan


def add_version(
    s: Session,
    plan: PlanRecord,
    body: dict[str, Any],
    request: dict[str, Any] | None,
    change: str = "plan",
    note: str = "",
) -> PlanVersion:
    plan.latest_version += 1
    version = PlanVersion(
        plan_id=plan.id,
        number=plan.latest_version,
        change=change,
        note=note[:500],
        body=json.dumps(body),
        request=json.dumps(request) if request is not None else None,
    )
    s.add(version)
    if plan.published_version is None:
        plan.summary = json.dumps(counts(body))
    s.flush()
    return version


def version_of(s: Session, plan_id: str, number: int | None) -> PlanVersion | None:
    if number is None:
        return None
    return s.scalar(
        select(PlanVersion).where(PlanVersion.plan_id == plan_id, PlanVersion.number == number)
    )


def versions_of(s: Session, plan_id: str) -> list[PlanVersion]:
    q = select(PlanVersion).where(PlanVersion.plan_id == plan_id)
    return list(s.scalars(q.order_by(PlanVersion.number)))


def current_version(s: Session, plan: PlanRecord) -> PlanVersion | None:
    """The published version, else the newest."""
    return version_of(s, plan.id, plan.published_version or plan.latest_version)


def publish(s: Session, plan: PlanRecord, number: int) -> list[str]:
    """Make version ``number`` the one drivers see; returns the drivers whose route changed
    from the version published before (all drivers with stops, the first time)."""
    new = version_of(s, plan.id, number)
    if new is None:
        raise LookupError(number)
    old = version_of(s, plan.id, plan.published_version)
    new_body = new.plan_dict()
    changed = changed_drivers(old.plan_dict() if old else None, new_body)
    plan.published_version = number
    new.published_at = utcnow()
    plan.summary = json.dumps(counts(new_body))
    ensure_links(s, plan, list(routes_by_driver(new_body)))
    return changed


def ensure_links(s: Session, plan: PlanRecord, driver_ids: list[str]) -> None:
    """Give each driver a link for this run, once (revoked ones are not brought back)."""
    have = set(s.scalars(select(DriverLink.driver_id).where(DriverLink.plan_id == plan.id)))
    for driver_id in driver_ids:
        if driver_id not in have:
            s.add(DriverLink(token=new_link_token(), plan_id=plan.id, driver_id=driver_id))
    s.flush()


def links_of(s: Session, plan_id: str, live_only: bool = True) -> list[DriverLink]:
    q = select(DriverLink).where(DriverLink.plan_id == plan_id)
    if live_only:
        q = q.where(DriverLink.revoked_at.is_(None))
    return list(s.scalars(q.order_by(DriverLink.driver_id, DriverLink.created_at)))


def link_expiry(plan: PlanRecord, timezone: str, hours_after_run: int) -> datetime:
    """A link works until ``hours_after_run`` hours after the end of the run day (in the
    group's time zone); without a day, until two days after the plan was made."""
    if plan.day is None:
        return plan.created_at + timedelta(days=2)
    end = datetime.combine(plan.day + timedelta(days=1), time(), ZoneInfo(timezone))
    return (end + timedelta(hours=hours_after_run)).astimezone(UTC)


def link_by_token(
    s: Session, token: str, hours_after_run: int, now: datetime | None = None
) -> tuple[DriverLink, PlanRecord] | None:
    """The live link with this token and its plan, or None: unknown, revoked, expired,
    or its plan's personal data already purged."""
    if not token or len(token) > 64:
        return None
    link = s.get(DriverLink, token)
    if link is None or link.revoked_at is not None:
        return None
    plan = s.get(PlanRecord, link.plan_id)
    if plan is None or plan.purged_at is not None or plan.published_version is None:
        return None
    group = s.get(Group, plan.group_id)
    tz = group.timezone if group is not None else "UTC"
    if (now or utcnow()) >= link_expiry(plan, tz, hours_after_run):
        return None
    return link, plan


def revoke_links(s: Session, plan_id: str, driver_id: str) -> int:
    n = 0
    for link in links_of(s, plan_id):
        if link.driver_id == driver_id:
            link.revoked_at = utcnow()
            n += 1
    return n


def reissue_link(s: Session, plan: PlanRecord, driver_id: str) -> DriverLink:
    """Revoke the driver's link and give them a new one (a lost or forwarded phone)."""
    revoke_links(s, plan.id, driver_id)
    link = DriverLink(token=new_link_token(), plan_id=plan.id, driver_id=driver_id)
    s.add(link)
    s.flush()
    return link


def record_status(
    s: Session, plan_id: str, driver_id: str, stop_id: str, status: str, note: str
) -> DeliveryStatus:
    """Record (or correct) what the driver reports at a stop: one row per stop, the latest
    report wins. The same report sent again (a phone that lost the answer and sends once
    more) changes nothing, not even the time, so watchers see it once."""
    row = s.scalar(
        select(DeliveryStatus).where(
            DeliveryStatus.plan_id == plan_id, DeliveryStatus.stop_id == stop_id
        )
    )
    if row is None:
        row = DeliveryStatus(plan_id=plan_id, stop_id=stop_id, driver_id=driver_id)
        s.add(row)
    elif (row.driver_id, row.status, row.note) == (driver_id, status, note):
        return row
    row.driver_id, row.status, row.note, row.at = driver_id, status, note, utcnow()
    s.flush()
    return row


def statuses_of(s: Session, plan_id: str, since: datetime | None = None) -> list[DeliveryStatus]:
    q = select(DeliveryStatus).where(DeliveryStatus.plan_id == plan_id)
    if since is not None:
        q = q.where(DeliveryStatus.at > since)
    return list(s.scalars(q.order_by(DeliveryStatus.at, DeliveryStatus.id)))


def delete_plan(s: Session, plan: PlanRecord) -> None:
    """Delete a plan now, with its versions, links and statuses."""
    for table in (DeliveryStatus, DriverLink, PlanVersion):
        s.execute(delete(table).where(table.plan_id == plan.id))
    s.delete(plan)
