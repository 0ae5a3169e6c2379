"""One service for the API tests: a real app on a real SQLite file with one worker process,
started once per session. Each test gets a group of its own (a dispatcher and a token), so
tests see only their own plans, as two groups on one server would."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.helpers.service import Member, client, new_member, settings_for


@dataclass
class Service:
    app: Any
    settings: Settings


@pytest.fixture(scope="session")
def service(tmp_path_factory):
    """The app with its worker pool running (its lifespan entered) for the whole session."""
    settings = settings_for(tmp_path_factory.mktemp("service"), workers=1)
    app = create_app(settings)
    with client(app):
        yield Service(app, settings)


@pytest.fixture
def member(service) -> Member:
    tag = secrets.token_hex(4)
    return new_member(service.settings, f"group {tag}", f"dispatcher-{tag}@example.org")


@pytest.fixture
def api(service, member) -> TestClient:
    """A client of the session's service, as a dispatcher of a group of this test's own."""
    return client(service.app, member)


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server for the session (skips, or fails in CI, without one)."""
    from tests.helpers.servers import postgres

    with postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """An empty database: a SQLite file, then a fresh database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'aidroute.sqlite3'}"
    from tests.helpers.servers import new_database

    return new_database(request.getfixturevalue("pg_server"), f"t_{secrets.token_hex(6)}")
