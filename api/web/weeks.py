"""The web page's weeks: the group's delivery days, and one day's page (deliveries, drivers,
plan), each section filled by its own module."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from api.deps import SessionDep
from api.schemas import near_today
from api.storage.models import WeekRecord
from api.storage.weeks import WeekMoveError, move_week
from api.web.render import PageCaller, PageNotFoundError, lang_of, render

router = APIRouter(include_in_schema=False)


def redirect(request: Request, url: str) -> Response:
    """Go to ``url``: htmx follows ``HX-Redirect``, a plain form the 303."""
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return Response(status_code=303, headers={"Location": url})


def week_of(s: Any, group_id: str, week_id: str) -> WeekRecord | None:
    """The group's week ``week_id``; None for another group's or an unknown one."""
    week = s.get(WeekRecord, week_id) if len(week_id) <= 32 else None
    return week if week is not None and week.group_id == group_id else None


def page_week(request: Request, week_id: str, caller: PageCaller, s: SessionDep) -> WeekRecord:
    """The group's week named in the path; another group's or an unknown one is a 404 page
    (raised, so every page of a week answers it before reading its form)."""
    week = week_of(s, caller.group_id, week_id)
    if week is None:
        raise PageNotFoundError(caller, lang_of(request).gettext("No such delivery day."))
    return week


#: The week a page of ``/app/weeks/{week_id}/...`` is about.
PageWeek = Annotated[WeekRecord, Depends(page_week)]


@router.get("/app", response_class=HTMLResponse)
def weeks_page(request: Request, caller: PageCaller, s: SessionDep) -> HTMLResponse:
    weeks = list(
        s.scalars(
            select(WeekRecord)
            .where(WeekRecord.group_id == caller.group_id)
            .order_by(WeekRecord.date.desc())
            .limit(100)
        )
    )
    today = dt.date.today()
    return render(request, "weeks.html", caller, weeks=weeks, next_day=today.isoformat())


def _day(date: str, request: Request) -> dt.date | HTMLResponse:
    """The day a form gave, or the 422 answer saying why it is none (in the reader's
    language): not a day, or more than a year from today, as the API's weeks."""
    lang = lang_of(request)
    try:
        day = dt.date.fromisoformat(date.strip())
    except ValueError:
        message = lang.gettext("%(value)s is not a day: choose one in the calendar.", value=date)
        return HTMLResponse(message, status_code=422)
    try:
        near_today(day)
    except ValueError:
        # A day that far off cannot be planned, and its lists would be past their retention
        # (or kept for years) as soon as they were read.
        message = lang.gettext(
            "%(value)s is more than a year from today: check the year.", value=day.isoformat()
        )
        return HTMLResponse(message, status_code=422)
    return day


@router.post("/app/weeks", response_class=HTMLResponse)
def new_week(
    request: Request,
    caller: PageCaller,
    s: SessionDep,
    date: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    day = _day(date, request)
    if isinstance(day, HTMLResponse):
        return day
    week = s.scalar(
        select(WeekRecord).where(WeekRecord.group_id == caller.group_id, WeekRecord.date == day)
    )
    if week is None:
        week = WeekRecord(group_id=caller.group_id, date=day)
        s.add(week)
        s.flush()
    return redirect(request, f"/app/weeks/{week.id}")


@router.post("/app/weeks/{week_id}/day", response_class=HTMLResponse)
def change_day(
    request: Request,
    caller: PageCaller,
    week: PageWeek,
    s: SessionDep,
    date: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Give the week another day (a mistyped one put right), while it has no plan."""
    day = _day(date, request)
    if isinstance(day, HTMLResponse):
        return day
    lang = lang_of(request)
    try:
        move_week(s, week, day)
    except WeekMoveError as e:
        if e.why == "taken":
            message = lang.gettext(
                "You have a week on %(day)s already: open it from the list of days.",
                day=lang.date(day),
            )
        elif e.why == "planning":
            message = lang.gettext(
                "This day is being planned, with its day: stop the planning first, then change "
                "the day."
            )
        else:
            message = lang.gettext(
                "This day has a plan, and drivers' links carry its day: make a new day instead "
                "and start it from this one's list."
            )
        return HTMLResponse(message, status_code=422)
    return redirect(request, f"/app/weeks/{week.id}")


@router.get("/app/weeks/{week_id}", response_class=HTMLResponse)
def week_page(request: Request, caller: PageCaller, week: PageWeek) -> HTMLResponse:
    return render(request, "week.html", caller, week=week)
