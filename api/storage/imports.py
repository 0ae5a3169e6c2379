"""Stored imports: an uploaded list's problems report and the rows it read, for its week."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from api.storage.models import ImportRecord, WeekRecord, utcnow
from routing.errors import InputError, InputProblem


def store_import(
    s: Session,
    group_id: str,
    week_id: str | None,
    kind: str,
    filename: str,
    report: dict[str, Any],
    items: dict[str, Any],
) -> ImportRecord:
    """Keep an import for its week (retention counts from the week's day, else today)."""
    day = utcnow().date()
    if week_id is not None:
        week = s.get(WeekRecord, week_id)
        if week is None or week.group_id != group_id:
            raise InputError(InputProblem("week_id", week_id, "no week with this id"))
        day = week.date
    record = ImportRecord(
        group_id=group_id,
        week_id=week_id,
        kind=kind,
        filename=filename[:300],
        day=day,
        summary=json.dumps(report.get("summary", {})),
        report=json.dumps(report),
        items=json.dumps(items),
    )
    s.add(record)
    s.flush()
    return record
