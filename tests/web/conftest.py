"""The web page's tests: one app on a real SQLite file per test module, a group with a
dispatcher who has a password, and a browser-like client logged in through the login form."""

from __future__ import annotations

import secrets

import pytest

from api.app import create_app
from api.storage import accounts
from api.storage.engine import Database
from tests.helpers.service import client, new_member, settings_for

PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def web_service(tmp_path_factory):
    settings = settings_for(tmp_path_factory.mktemp("web"), workers=1)
    app = create_app(settings)
    with client(app):  # the worker pool runs
        yield app, settings


@pytest.fixture
def dispatcher(web_service):
    """(email, password) of a new group's first dispatcher."""
    _app, settings = web_service
    tag = secrets.token_hex(4)
    email = f"dispatcher-{tag}@example.org"
    new_member(settings, f"Group {tag}", email)
    db = Database(settings.db_url())
    with db.session() as s:
        accounts.set_password(s, email, PASSWORD)
    db.dispose()
    return email, PASSWORD


@pytest.fixture
def logged_in(web_service, dispatcher):
    """A client that logged in through the login form (session cookie, no token)."""
    app, _settings = web_service
    c = client(app, follow_redirects=False)
    r = c.post("/login", data={"email": dispatcher[0], "password": dispatcher[1]})
    assert r.status_code == 303, r.text
    return c
