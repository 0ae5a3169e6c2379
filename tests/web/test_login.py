"""Logging in to the web page: labelled fields, errors in words with the email kept, the
session cookie, the way back to the page asked for, languages."""

from __future__ import annotations

import datetime as dt
import re

from tests.helpers.service import client


def test_login_page_has_labelled_email_and_password(web_service):
    app, _ = web_service
    page = client(app).get("/login").text
    for field, label in (("email", "Email"), ("password", "Password")):
        assert re.search(rf'<label for="{field}">{label}</label>', page)
        assert f'id="{field}" name="{field}"' in page
    assert '<html lang="en">' in page


def test_wrong_password_says_so_and_keeps_the_email(web_service, dispatcher):
    app, _ = web_service
    c = client(app, follow_redirects=False)
    r = c.post("/login", data={"email": dispatcher[0], "password": "not it at all"})
    assert r.status_code == 401
    assert "Wrong email or password." in r.text
    assert f'value="{dispatcher[0]}"' in r.text
    assert "aidroute_session" not in r.headers.get("set-cookie", "")


def test_login_sets_a_session_and_goes_back_to_the_page_asked_for(web_service, dispatcher):
    app, _ = web_service
    c = client(app, follow_redirects=False)
    asked = c.get("/app")
    assert asked.status_code == 303 and asked.headers["location"] == "/login"
    r = c.post("/login", data={"email": dispatcher[0], "password": dispatcher[1], "next": "/app"})
    assert r.status_code == 303 and r.headers["location"] == "/app"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    page = c.get("/app")
    assert page.status_code == 200 and dispatcher[0] in page.text
    # The session's CSRF token goes with every htmx change.
    assert re.search(r'hx-headers=\'{"X-CSRF-Token": "[\w-]{20,}"}\'', page.text)


def test_login_never_sends_elsewhere(web_service, dispatcher):
    app, _ = web_service
    c = client(app, follow_redirects=False)
    for target in ("https://evil.example/", "//evil.example/app", "/app//evil"):
        r = c.post(
            "/login", data={"email": dispatcher[0], "password": dispatcher[1], "next": target}
        )
        assert r.headers["location"] == "/app", target


def test_login_from_another_site_is_refused(web_service, dispatcher):
    app, _ = web_service
    c = client(app, follow_redirects=False)
    r = c.post(
        "/login",
        data={"email": dispatcher[0], "password": dispatcher[1]},
        headers={"Origin": "https://evil.example"},
    )
    assert r.status_code == 403 and "set-cookie" not in r.headers


def test_spanish_from_the_browser_or_by_choice(web_service):
    app, _ = web_service
    c = client(app, follow_redirects=False)
    page = c.get("/login", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}).text
    assert '<html lang="es">' in page and "Contraseña" in page and "Correo electrónico" in page
    r = c.post("/language", data={"code": "es", "back": "/login"})
    assert r.status_code == 303
    page = c.get("/login", headers={"Accept-Language": "en"}).text
    assert '<html lang="es">' in page
    c.post("/language", data={"code": "en", "back": "/login"})
    assert '<html lang="en">' in c.get("/login").text


def test_a_new_week_opens_its_page_and_another_group_cannot(web_service, logged_in):
    app, _ = web_service
    page = logged_in.get("/app").text
    csrf = re.search(r'"X-CSRF-Token": "([\w-]+)"', page).group(1)
    when = dt.date.today() + dt.timedelta(days=6)
    no_token = logged_in.post("/app/weeks", data={"date": when.isoformat()})
    assert no_token.status_code == 403
    r = logged_in.post(
        "/app/weeks",
        data={"date": when.isoformat()},
        headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
    )
    assert r.status_code == 204
    week_url = r.headers["hx-redirect"]
    assert f"{when:%A}, {when:%B} {when.day}, {when.year}" in logged_in.get(week_url).text
    bad = logged_in.post("/app/weeks", data={"date": "2026-13-45"}, headers={"X-CSRF-Token": csrf})
    assert bad.status_code == 422 and "2026-13-45 is not a day" in bad.text
    stranger = client(app, follow_redirects=False)
    assert stranger.get(week_url).status_code == 303  # to the login page


def test_a_day_a_year_off_is_refused_when_the_week_is_made(logged_in):
    """A mistyped year is refused at once, in the reader's language: such a week could not
    be planned, and a list read for it would be past its retention the moment it was read.
    The JSON API refuses it too, in our words rather than pydantic's."""
    page = logged_in.get("/app").text
    headers = {"X-CSRF-Token": re.search(r'"X-CSRF-Token": "([\w-]+)"', page).group(1)}
    today = dt.date.today()
    for day in (today.replace(year=today.year - 1) - dt.timedelta(days=5),
                today + dt.timedelta(days=3 * 365)):  # fmt: skip
        r = logged_in.post("/app/weeks", data={"date": day.isoformat()}, headers=headers)
        assert r.status_code == 422
        assert f"{day.isoformat()} is more than a year from today: check the year." in r.text
        spanish = logged_in.post(
            "/app/weeks",
            data={"date": day.isoformat()},
            headers={**headers, "Accept-Language": "es"},
        )
        assert "está a más de un año de hoy: revisa el año." in spanish.text
        api = logged_in.post("/weeks", json={"date": day.isoformat()}, headers=headers)
        assert api.status_code == 422 and "Value error" not in api.text
        assert api.json()["problems"][0]["reason"].startswith("must be within 366 days of today")
    assert logged_in.get("/weeks").json()["count"] == 0
    # A run a few weeks past can still be written down.
    past = (today - dt.timedelta(days=20)).isoformat()
    r = logged_in.post("/app/weeks", data={"date": past}, headers={**headers, "HX-Request": "true"})
    assert r.status_code == 204 and logged_in.get("/weeks").json()["count"] == 1


def test_the_invite_link_sets_the_password_in_the_readers_language(web_service, logged_in):
    """The invite page is a page of the site: labelled, translated, errors in words, once."""
    app, _ = web_service
    page = logged_in.get("/app").text
    csrf = re.search(r'"X-CSRF-Token": "([\w-]+)"', page).group(1)
    invite = logged_in.post(
        "/groups/me/invites", json={"email": "new@example.org"}, headers={"X-CSRF-Token": csrf}
    ).json()
    path = invite["invite_url"].removeprefix("http://127.0.0.1")
    browser = client(app, follow_redirects=False)
    spanish = {"Accept-Language": "es"}
    form = browser.get(path, headers=spanish).text
    assert '<html lang="es">' in form and 'label for="password"' in form
    short = browser.post(path, data={"password": "short"}, headers=spanish)
    assert short.status_code == 422 and "demasiado corta" in short.text
    done = browser.post(path, data={"password": "a long enough password"})
    assert (
        done.status_code == 200 and "new@example.org" in done.text and 'href="/login"' in done.text
    )
    again = browser.post(path, data={"password": "another long password"})
    assert again.status_code == 422 and "used already or has expired" in again.text
    r = browser.post(
        "/login", data={"email": "new@example.org", "password": "a long enough password"}
    )
    assert r.status_code == 303
