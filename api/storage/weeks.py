"""A group's delivery days: what a week keeps as the plan step reads it, its plan and the
job making one, and giving a week another day.

A week's inputs (:func:`week_inputs`) are what the web page's Deliveries and Drivers sections
keep, turned into the body ``POST /jobs`` takes:

- stops: the ``items`` of the week's latest delivery import (``kind="deliveries"``), as the
  page left them: addresses fixed, households pinned (``lat``/``lon``), skipped rows removed
  (the report keeps them, as skipped);
- drivers: the roster's drivers ticked available (``RosterDriver.available``), each as the
  API's driver JSON (``fields()``);
- hubs: the group's hubs ticked in use (``HubRecord.in_use``);
- date: the week's day; area: the one the list was read in (None: the server's default).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.storage import jobs as jobstore
from api.storage.models import (
    HubRecord,
    ImportRecord,
    JobRecord,
    PlanRecord,
    RosterDriver,
    WeekRecord,
)

#: The import kind of a week's delivery list (as ``POST /imports`` stores it).
DELIVERIES = "deliveries"


def latest_import(
    s: Session, group_id: str, week_id: str, kind: str = DELIVERIES
) -> ImportRecord | None:
    """The week's newest import of ``kind`` still holding its rows (not purged)."""
    return s.scalar(
        select(ImportRecord)
        .where(
            ImportRecord.group_id == group_id,
            ImportRecord.week_id == week_id,
            ImportRecord.kind == kind,
            ImportRecord.purged_at.is_(None),
        )
        .order_by(ImportRecord.created_at.desc())
        .limit(1)
    )


def import_items(record: ImportRecord | None) -> dict[str, Any]:
    return json.loads(record.items or "{}") if record is not None else {}


def import_report(record: ImportRecord | None) -> dict[str, Any]:
    return json.loads(record.report or "{}") if record is not None else {}


def week_inputs(s: Session, group_id: str, week_id: str) -> dict[str, Any]:
    """The body ``POST /jobs`` takes for the group's week ``week_id``: ``stops``,
    ``drivers``, ``hubs``, ``date`` and ``area`` (lists empty where nothing is kept yet).

    Raises KeyError for a week the group does not have.
    """
    week = s.get(WeekRecord, week_id) if len(week_id) <= 32 else None
    if week is None or week.group_id != group_id:
        raise KeyError(week_id)
    record = latest_import(s, group_id, week_id)
    stops = list(import_items(record).get("stops", []))
    drivers = [
        d.fields()
        for d in s.scalars(
            select(RosterDriver)
            .where(RosterDriver.group_id == group_id, RosterDriver.available.is_(True))
            .order_by(RosterDriver.key)
        )
    ]
    hubs = [
        h.fields()
        for h in s.scalars(
            select(HubRecord)
            .where(HubRecord.group_id == group_id, HubRecord.in_use.is_(True))
            .order_by(HubRecord.key)
        )
    ]
    return {
        "area": import_report(record).get("area") or None,
        "date": week.date.isoformat(),
        "stops": stops,
        "drivers": drivers,
        "hubs": hubs,
    }


def input_counts(s: Session, group_id: str, week_id: str) -> dict[str, int]:
    """How many stops, drivers and hubs a plan of the week would take now: the Plan
    section says so, and every change to the Deliveries or Drivers sections updates it."""
    inputs = week_inputs(s, group_id, week_id)
    return {k: len(inputs[k]) for k in ("stops", "drivers", "hubs")}


def week_plan(s: Session, week: WeekRecord) -> PlanRecord | None:
    """The week's newest plan whose personal data is still kept."""
    return s.scalar(  # type: ignore[no-any-return]
        select(PlanRecord)
        .where(
            PlanRecord.week_id == week.id,
            PlanRecord.group_id == week.group_id,
            PlanRecord.purged_at.is_(None),
        )
        .order_by(PlanRecord.created_at.desc())
        .limit(1)
    )


def active_job(s: Session, week: WeekRecord, plan: PlanRecord | None) -> JobRecord | None:
    """A job planning this week (or a new version of its plan) that has not ended."""
    jobs = s.scalars(
        select(JobRecord)
        .where(JobRecord.group_id == week.group_id, JobRecord.status.in_(jobstore.ACTIVE))
        .order_by(JobRecord.created_at.desc())
    )
    for job in jobs:
        if job.kind == "version" and plan is not None and job.plan_id == plan.id:
            return job  # type: ignore[no-any-return]
        if job.kind == "plan" and json.loads(job.request or "{}").get("week_id") == week.id:
            return job  # type: ignore[no-any-return]
    return None


class WeekMoveError(Exception):
    """Why a week cannot take another day: ``"taken"`` (the group has a week on that day),
    ``"planned"`` (the week has a plan, whose drivers' links and pages carry its day) or
    ``"planning"`` (its first plan is being made, with the day it had)."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


def move_week(s: Session, week: WeekRecord, day: date) -> None:
    """Give ``week`` the day ``day`` (a mistyped day, put right): the lists read for it
    count their retention from the new day. Raises :class:`WeekMoveError`."""
    if day == week.date:
        return
    taken = s.scalar(
        select(WeekRecord.id).where(WeekRecord.group_id == week.group_id, WeekRecord.date == day)
    )
    if taken is not None:
        raise WeekMoveError("taken")
    if s.scalar(select(PlanRecord.id).where(PlanRecord.week_id == week.id).limit(1)):
        raise WeekMoveError("planned")
    if active_job(s, week, None) is not None:
        raise WeekMoveError("planning")
    week.date = day
    s.execute(update(ImportRecord).where(ImportRecord.week_id == week.id).values(day=day))
    s.flush()
