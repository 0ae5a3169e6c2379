"""A week's inputs as ``POST /jobs`` takes them, read from what the group stored.

The week's stops are the rows of its latest delivery import; its drivers the roster's drivers
ticked available; its hubs the group's hubs. (A minimal version: the Deliveries and Drivers
sections of the page keep these.)
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.storage.models import HubRecord, ImportRecord, RosterDriver, WeekRecord


def week_inputs(s: Session, group_id: str, week_id: str) -> dict[str, Any]:
    """The body of ``POST /jobs`` for the group's week: ``stops``, ``drivers``, ``hubs``,
    ``date`` and ``area`` (None: the server's). Empty lists for what is missing."""
    week = s.get(WeekRecord, week_id)
    if week is None or week.group_id != group_id:
        raise LookupError(week_id)
    latest = s.scalar(
        select(ImportRecord)
        .where(
            ImportRecord.group_id == group_id,
            ImportRecord.week_id == week_id,
            ImportRecord.kind == "deliveries",
            ImportRecord.purged_at.is_(None),
        )
        .order_by(ImportRecord.created_at.desc())
        .limit(1)
    )
    items = json.loads(latest.items) if latest is not None and latest.items else {}
    drivers = []
    roster = select(RosterDriver).where(
        RosterDriver.group_id == group_id, RosterDriver.available.is_(True)
    )
    for d in s.scalars(roster.order_by(RosterDriver.key)):
        fields = d.fields()
        fields["id"] = fields.get("id") or d.key
        drivers.append(fields)
    hubs = [h.fields() for h in s.scalars(select(HubRecord).where(HubRecord.group_id == group_id))]
    return {
        "stops": items.get("stops", []),
        "drivers": drivers,
        "hubs": hubs,
        "date": week.date.isoformat(),
        "area": None,
    }
