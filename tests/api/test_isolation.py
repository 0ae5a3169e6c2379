"""A group's data is visible to its own dispatchers only: the whole route table walked as a
dispatcher of group A against every object of group B (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from api.app import create_app
from api.settings import Settings
from tests.helpers.isolation import (
    check_isolation,
    check_page_isolation,
    page_routes,
    routes,
    seed_group,
)
from tests.helpers.service import client, new_member


@pytest.fixture
def two_groups(database_url, tmp_path):
    settings = Settings(database_url=database_url, workers=1)
    a = new_member(settings, "A", "a@example.org")
    b = new_member(settings, "B", "b@example.org")
    app = create_app(settings)
    with client(app):  # the worker pool runs
        yield app, client(app, a), client(app, b)


def test_group_a_gets_404_for_every_object_of_group_b(two_groups):
    """Every dispatcher route naming an object answers 404 to another group's dispatcher;
    listings never show another group's ids; only the known public routes skip the check."""
    app, a, b = two_groups
    ids = seed_group(b)
    checked = check_isolation(a, b, ids)
    naming = [r for r in routes(app.openapi()) if r[2] and "{" in r[1]]
    assert checked >= len(naming) >= 25
    assert check_page_isolation(app, a, ids) == len(page_routes(app)) >= 1
