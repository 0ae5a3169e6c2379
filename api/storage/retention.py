"""Retention: recipients' personal data does not outlive its use.

:func:`purge` (``aidroute purge``; the service runs it at start and once a day) removes,
for every plan past its expiry (``AIDROUTE_RETENTION_DAYS`` after its delivery day): its
versions' plan.json and request, its drivers' links, and the notes drivers wrote; for every
import past the same age (and read that long ago), its report and rows; households with no
delivery within the period; finished jobs' requests. What stays is counts: stops, boxes,
delivered, not home, refused, for the group's reports. On SQLite the file is then
checkpointed and vacuumed, so the removed text is gone from the file too (``secure_delete``
zeroes freed space as well).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from api.storage.engine import Database, is_sqlite
from api.storage.models import (
    DeliveryStatus,
    DriverLink,
    Household,
    ImportRecord,
    JobRecord,
    LoginAttempt,
    PlanRecord,
    PlanVersion,
    WebSession,
    utcnow,
)


@dataclass(frozen=True)
class Purged:
    plans: int
    imports: int
    households: int
    jobs: int

    def total(self) -> int:
        return self.plans + self.imports + self.households + self.jobs


def _status_counts(s: Session, plan_id: str) -> dict[str, int]:
    rows = s.execute(
        select(DeliveryStatus.status, func.count())
        .where(DeliveryStatus.plan_id == plan_id)
        .group_by(DeliveryStatus.status)
    )
    return {str(status): int(n) for status, n in rows}


def group_counts(s: Session, group_id: str) -> dict[str, object]:
    """A group's totals over all its plans, purged or not."""
    totals = {"plans": 0, "purged_plans": 0, "stops": 0, "assigned": 0, "boxes": 0}
    reported: dict[str, int] = {}
    for plan in s.scalars(select(PlanRecord).where(PlanRecord.group_id == group_id)):
        summary = json.loads(plan.summary or "{}")
        totals["plans"] += 1
        totals["purged_plans"] += plan.purged_at is not None
        for key in ("stops", "assigned", "boxes"):
            totals[key] += int(summary.get(key, 0))
        counts = summary.get("reports") if plan.purged_at else _status_counts(s, plan.id)
        for status, n in (counts or {}).items():
            reported[status] = reported.get(status, 0) + int(n)
    return {**totals, "reported": reported}


def purge_session(s: Session, retention_days: int, now: datetime) -> Purged:
    cutoff_day: date = (now - timedelta(days=retention_days)).date()
    plans = list(
        s.scalars(
            select(PlanRecord).where(PlanRecord.purged_at.is_(None), PlanRecord.expires_at < now)
        )
    )
    for plan in plans:
        summary = json.loads(plan.summary or "{}")
        summary["reports"] = _status_counts(s, plan.id)
        plan.summary = json.dumps(summary)
        plan.purged_at = now
        s.execute(
            update(PlanVersion)
            .where(PlanVersion.plan_id == plan.id)
            .values(body=None, request=None, note="")
        )
        s.execute(delete(DriverLink).where(DriverLink.plan_id == plan.id))
        s.execute(delete(DeliveryStatus).where(DeliveryStatus.plan_id == plan.id))
    # As a plan's (see plans.expiry): never before the period has passed since it was read,
    # so that a list read for a past day is not purged the moment it is stored.
    imports = s.execute(
        update(ImportRecord)
        .where(
            ImportRecord.purged_at.is_(None),
            ImportRecord.day < cutoff_day,
            ImportRecord.created_at < now - timedelta(days=retention_days),
        )
        .values(report=None, items=None, filename="", purged_at=now)
    ).rowcount  # type: ignore[attr-defined]
    cutoff = datetime.combine(cutoff_day, time(), UTC)
    households = s.execute(
        delete(Household).where(
            (Household.last_delivery < cutoff_day)
            | (Household.last_delivery.is_(None) & (Household.created_at < cutoff))
        )
    ).rowcount  # type: ignore[attr-defined]
    purged_ids = [p.id for p in plans]
    finished = JobRecord.status.in_(("done", "failed", "cancelled"))
    old_job = JobRecord.created_at < cutoff
    if purged_ids:
        old_job = (
            old_job | JobRecord.result_plan_id.in_(purged_ids) | JobRecord.plan_id.in_(purged_ids)
        )
    jobs = s.execute(delete(JobRecord).where(finished, old_job)).rowcount  # type: ignore[attr-defined]
    s.execute(delete(WebSession).where(WebSession.expires_at < now))
    s.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=1)))
    return Purged(len(plans), int(imports or 0), int(households or 0), int(jobs or 0))


def purge(db: Database, retention_days: int, now: datetime | None = None) -> Purged:
    """Purge what is past retention; on SQLite, also from the file's free pages and log."""
    with db.session() as s:
        purged = purge_session(s, retention_days, now or utcnow())
    if purged.total() and is_sqlite(db.engine):
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return purged
