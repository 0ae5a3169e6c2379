"""A group's delivery days: giving one another day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.storage.models import ImportRecord, PlanRecord, WeekRecord
from api.storage.week_inputs import active_job


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
