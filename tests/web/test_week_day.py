"""A week's day put right: a mistyped day is changed on the week's page (and by the API),
its list kept and counting its retention from the new day; a day the group has a week on
already, or a week with a plan, is refused in words."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from api.storage.engine import Database
from api.storage.models import ImportRecord
from tests.helpers.intake import DEMO
from tests.helpers.web_intake import day, headers, new_week, read


def _import_days(web_service, week_id: str) -> list[dt.date]:
    _app, settings = web_service
    db = Database(settings.db_url())
    with db.session() as s:
        out = list(s.scalars(select(ImportRecord.day).where(ImportRecord.week_id == week_id)))
    db.dispose()
    return out


def test_a_mistyped_day_is_put_right_and_the_list_follows(web_service, logged_in):
    week = new_week(logged_in, day(150))
    week_id = week.rsplit("/", 1)[1]
    read(logged_in, week, "deliveries.csv", (DEMO / "deliveries.csv").read_bytes(), {})
    assert _import_days(web_service, week_id) == [dt.date.fromisoformat(day(150))]
    page = logged_in.get(week).text
    assert 'hx-post="/app/weeks/' in page and "Change the day" in page
    h = headers(logged_in, week)
    r = logged_in.post(f"{week}/day", data={"date": day(157)}, headers=h)
    assert r.status_code == 204 and r.headers["hx-redirect"] == week
    assert logged_in.get(f"/weeks/{week_id}").json()["date"] == day(157)
    assert _import_days(web_service, week_id) == [dt.date.fromisoformat(day(157))]
    assert "This week's list: deliveries.csv." in logged_in.get(f"{week}/deliveries").text
    # A day the group has a week on already; a year off; no day at all: said, nothing moved.
    other = new_week(logged_in, day(164))
    r = logged_in.post(f"{week}/day", data={"date": day(164)}, headers=h)
    when = dt.date.fromisoformat(day(164))
    assert r.status_code == 422 and "You have a week on" in r.text
    assert f"{when:%B} {when.day}, {when.year}" in r.text
    spanish = logged_in.post(
        f"{week}/day", data={"date": day(164)}, headers={**h, "Accept-Language": "es"}
    )
    assert "Ya tienes una semana el" in spanish.text
    far = day(800)
    r = logged_in.post(f"{week}/day", data={"date": far}, headers=h)
    assert r.status_code == 422 and f"{far} is more than a year from today" in r.text
    r = logged_in.post(f"{week}/day", data={"date": "someday"}, headers=h)
    assert r.status_code == 422 and "someday is not a day" in r.text
    assert logged_in.get(f"/weeks/{week_id}").json()["date"] == day(157)
    # The API: the same rules, 409 for the day taken.
    api = {"X-CSRF-Token": h["X-CSRF-Token"]}
    r = logged_in.patch(f"/weeks/{week_id}", json={"date": day(164)}, headers=api)
    assert r.status_code == 409 and "has a week on" in r.json()["detail"]
    r = logged_in.patch(f"/weeks/{week_id}", json={"date": day(171)}, headers=api)
    assert r.status_code == 200 and r.json()["date"] == day(171)
    assert logged_in.patch(f"/weeks/{week_id}", json={"date": far}, headers=api).status_code == 422
    other_id = other.rsplit("/", 1)[1]
    assert logged_in.get(f"/weeks/{other_id}").json()["date"] == day(164)


def test_a_week_being_planned_keeps_its_day_until_the_planning_stops(web_service, logged_in):
    """The plan being made carries the day the week had: the day waits for it (or for the
    dispatcher to stop it)."""
    from tests.helpers.service import wait_job
    from tests.helpers.web_week import set_up_week

    week = set_up_week(logged_in, drivers=3, day=dt.date.fromisoformat(day(180)))
    h = headers(logged_in, week["path"])
    started = logged_in.post(week["path"] + "/plan", data={"time_limit_s": "60"}, headers=h)
    assert started.status_code == 200, started.text
    job = logged_in.get("/jobs").json()["data"][0]
    r = logged_in.post(week["path"] + "/day", data={"date": day(181)}, headers=h)
    assert r.status_code == 422 and "This day is being planned" in r.text
    api = {"X-CSRF-Token": h["X-CSRF-Token"]}
    r = logged_in.patch(f"/weeks/{week['id']}", json={"date": day(181)}, headers=api)
    assert r.status_code == 409 and "being planned" in r.json()["detail"]
    logged_in.post(f"/jobs/{job['id']}/cancel", headers=api)
    assert wait_job(logged_in, job["id"])["status"] == "cancelled"
    r = logged_in.post(week["path"] + "/day", data={"date": day(181)}, headers=h)
    assert r.status_code == 204
    assert logged_in.get(f"/weeks/{week['id']}").json()["date"] == day(181)
