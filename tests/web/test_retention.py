"""A week past its retention on the week page: its list removed by the purge, the page says
when and why (in the reader's language), rather than show the week as never started."""

from __future__ import annotations

import datetime as dt

from api.app import create_app
from api.storage import accounts
from api.storage.engine import Database
from api.storage.retention import purge
from tests.helpers.intake import DEMO
from tests.helpers.service import client, new_member, settings_for
from tests.helpers.web_intake import day, new_week, read
from tests.web.conftest import PASSWORD


def test_a_purged_week_says_its_list_was_removed(tmp_path):
    """After the purge, the week's Deliveries section names the day its list was removed,
    in English and in Spanish; a week whose list was never read says nothing of the kind."""
    settings = settings_for(tmp_path)
    app = create_app(settings)
    new_member(settings, "Queens Mutual Aid", "ana@x.org")
    db = Database(settings.db_url())
    with db.session() as s:
        accounts.set_password(s, "ana@x.org", PASSWORD)
    c = client(app, follow_redirects=False)

    def log_in() -> None:
        r = c.post("/login", data={"email": "ana@x.org", "password": PASSWORD})
        assert r.status_code == 303

    log_in()
    week = new_week(c, day(5))
    read(c, week, "deliveries.csv", (DEMO / "deliveries.csv").read_bytes(), {})
    untouched = new_week(c, day(12))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=60)
    assert purge(db, settings.retention_days, now=later).imports == 1
    db.dispose()
    log_in()  # the session, 60 days old by the purge's clock, was ended with the rest
    hx = {"HX-Request": "true"}
    page = c.get(f"{week}/deliveries", headers=hx).text
    assert "This week's list was removed on" in page
    assert f"{later:%B} {later.day}, {later.year}" in page  # the day it was removed
    assert "Drop in this week" in page  # a new list can still be read
    assert "was removed" not in c.get(f"{untouched}/deliveries", headers=hx).text
    c.headers["Accept-Language"] = "es"
    assert "La lista de esta semana se borró el" in c.get(f"{week}/deliveries", headers=hx).text
