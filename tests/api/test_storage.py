"""The service's database: migrations (from aidroute 0.1's file too), plans as versions,
links per driver per run, expiry. Runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from api.storage.engine import Database
from api.storage.migrate import current, head, upgrade
from api.storage.models import Base, DriverLink, PlanRecord, PlanVersion
from api.storage.plans import (
    add_version,
    create_plan,
    expiry,
    link_by_token,
    links_of,
    publish,
    reissue_link,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "service" / "aidroute-0.1.sqlite3"


def _body(routes: dict[str, list[str]], day: str | None = "2026-11-28") -> dict:
    return {
        "format": "aidroute.plan/1",
        "date": day,
        "summary": {"stops": sum(map(len, routes.values())), "assigned": 0},
        "routes": [
            {"driver_id": d, "driver": d.title(), "stops": [{"id": s} for s in stops]}
            for d, stops in routes.items()
        ],
        "unassigned": [],
    }


def test_a_database_of_aidroute_0_1_is_upgraded_and_loses_nothing(tmp_path):
    """Every plan of the 0.1 file (bodies byte for byte, privacy, expiry) and every driver's
    link (same tokens: drivers already have them) survive `aidroute db upgrade`."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, path)
    old = sqlite3.connect(path)
    plans = {r[0]: r[1:] for r in old.execute("SELECT id, body, privacy, expires_at FROM plans")}
    links = set(old.execute("SELECT token, plan_id, driver_id FROM driver_links"))
    old.close()
    assert len(plans) == 2 and len(links) == 4
    db = Database(f"sqlite:///{path}")
    assert upgrade(db.engine) == ("0001", head())
    with db.reader() as s:
        for plan_id, (body, privacy, expires) in plans.items():
            version = s.query(PlanVersion).filter_by(plan_id=plan_id, number=1).one()
            assert version.body == body and version.published_at is not None
            plan = s.get(PlanRecord, plan_id)
            assert plan.privacy == privacy and plan.published_version == 1
            assert plan.expires_at == datetime.fromisoformat(expires).replace(tzinfo=UTC)
        got = {(k.token, k.plan_id, k.driver_id) for k in s.query(DriverLink)}
        assert got == links
    # The upgraded links still open the routes they opened before.
    with db.reader() as s:
        for token, plan_id, _driver in links:
            found = link_by_token(s, token, 24, now=datetime(2026, 11, 28, 12, tzinfo=UTC))
            assert found is not None and found[1].id == plan_id
    assert upgrade(db.engine) == (head(), head())  # idempotent


def test_a_postgresql_database_of_the_0_1_schema_is_upgraded_too(database_url):
    """The same upgrade on PostgreSQL: the 0.1 tables filled with the 0.1 file's rows become
    plans with a published version and the same links."""
    db = Database(database_url)
    upgrade(db.engine, "0001")
    old = sqlite3.connect(FIXTURE)
    plans = old.execute("SELECT id, created_at, expires_at, area, body, privacy FROM plans")
    plans = plans.fetchall()
    links = old.execute("SELECT token, plan_id, driver_id FROM driver_links").fetchall()
    old.close()
    with db.engine.begin() as conn:
        for row in plans:
            conn.exec_driver_sql(
                "INSERT INTO plans (id, created_at, expires_at, area, body, privacy) "
                "VALUES (%s, %s, %s, %s, %s, %s)"
                if db.engine.dialect.name == "postgresql"
                else "INSERT INTO plans VALUES (?, ?, ?, ?, ?, ?)",
                tuple(row),
            )
        for row in links:
            conn.exec_driver_sql(
                "INSERT INTO driver_links VALUES (%s, %s, %s)"
                if db.engine.dialect.name == "postgresql"
                else "INSERT INTO driver_links VALUES (?, ?, ?)",
                tuple(row),
            )
    assert upgrade(db.engine) == ("0001", head())
    with db.reader() as s:
        assert {(k.token, k.plan_id, k.driver_id) for k in s.query(DriverLink)} == set(links)
        for plan_id, *_rest, body, privacy in plans:
            version = s.query(PlanVersion).filter_by(plan_id=plan_id, number=1).one()
            assert version.body == body and s.get(PlanRecord, plan_id).privacy == privacy
    db.dispose()


def test_models_and_migrations_agree(database_url):
    """A database built by the migrations has exactly the tables and columns of the models."""
    db = Database(database_url)
    upgrade(db.engine)
    assert current(db.engine) == head()
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    db.dispose()


def test_sqlite_file_is_private_with_wal_and_secure_delete(tmp_path):
    """The file holds recipients' data: owner-only, WAL for many processes, deleted rows zeroed."""
    path = tmp_path / "db" / "aidroute.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db.engine)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_links_belong_to_the_driver_for_the_run_and_show_the_published_version(database_url):
    """Publishing version 2 keeps each driver's link; a driver who lost every stop keeps a link
    that shows none; the drivers whose stops changed are listed; a re-issued link replaces
    the old one."""
    db = Database(database_url)
    upgrade(db.engine)
    from api.storage.accounts import create_group

    with db.session() as s:
        group, _ = create_group(s, "A", "a@example.org")
        plan = create_plan(
            s,
            group_id=group.id,
            area="qv",
            privacy="full",
            day=date(2026, 11, 28),
            retention_days=30,
        )
        add_version(s, plan, _body({"ana": ["1", "2"], "bo": ["3"]}), {})
        assert publish(s, plan, 1) == ["ana", "bo"]
        first = {k.driver_id: k.token for k in links_of(s, plan.id)}
        add_version(s, plan, _body({"ana": ["1", "2", "3"]}), {})
        add_version(s, plan, _body({"ana": ["1", "2", "3"], "cy": []}), {})
        assert publish(s, plan, 3) == ["ana", "bo"]
        assert {k.driver_id: k.token for k in links_of(s, plan.id)} == first
        new = reissue_link(s, plan, "bo")
        plan_id = plan.id
    noon = datetime(2026, 11, 28, 12, tzinfo=UTC)
    with db.reader() as s:
        assert link_by_token(s, first["bo"], 6, now=noon) is None
        assert link_by_token(s, new.token, 6, now=noon) is not None
        assert link_by_token(s, first["ana"], 6, now=noon)[1].published_version == 3
        # The link stops working 6 hours after the run day ends (UTC here).
        late = datetime(2026, 11, 29, 6, 1, tzinfo=UTC)
        assert link_by_token(s, first["ana"], 6, now=late) is None
        assert len(new.token) >= 32 and plan_id


def test_expiry_follows_the_delivery_day_never_before_retention_from_now():
    """A run on 5 December with 30 days' retention expires on 4 January; a plan for a past
    day made today still lives 30 days."""
    made = datetime(2026, 11, 28, 10, tzinfo=UTC)
    assert expiry(date(2026, 12, 5), made, 30) == datetime(2027, 1, 4, tzinfo=UTC)
    assert expiry(date(2026, 1, 1), made, 30) == made + timedelta(days=30)
    assert expiry(None, made, 7) == made + timedelta(days=7)


def test_json_bodies_round_trip(database_url):
    """plan.json is stored as given."""
    db = Database(database_url)
    upgrade(db.engine)
    from api.storage.accounts import create_group

    body = _body({"ana": ["1"]})
    with db.session() as s:
        group, _ = create_group(s, "A", "a@example.org")
        plan = create_plan(
            s, group_id=group.id, area="qv", privacy="full", day=None, retention_days=30
        )
        version = add_version(s, plan, body, {"stops": []})
    with db.reader() as s:
        again = s.get(PlanVersion, version.id)
        assert again.plan_dict() == body and json.loads(again.request) == {"stops": []}


def test_the_service_purges_at_start(tmp_path):
    """A plan past its expiry is purged when the service starts (an idle or stopped server
    keeps nothing past retention): its plan.json and links go, its counts stay."""
    from sqlalchemy import update

    from api.app import create_app
    from api.storage.accounts import create_group
    from api.storage.models import PlanRecord
    from tests.helpers.service import client, settings_for

    settings = settings_for(tmp_path)
    db = Database(settings.db_url())
    upgrade(db.engine)
    with db.session() as s:
        group, _ = create_group(s, "A", "a@example.org")
        plan = create_plan(
            s, group_id=group.id, area="qv", privacy="full", day=None, retention_days=30
        )
        add_version(s, plan, _body({"ana": ["1", "2"]}), {"stops": ["Ana's neighbour"]})
        publish(s, plan, 1)
        s.execute(
            update(PlanRecord)
            .where(PlanRecord.id == plan.id)
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
        plan_id = plan.id
    with client(create_app(settings)):
        pass
    with db.reader() as s:
        plan = s.get(PlanRecord, plan_id)
        version = s.query(PlanVersion).filter_by(plan_id=plan_id).one()
        assert plan.purged_at is not None and version.body is None and version.request is None
        assert s.query(DriverLink).filter_by(plan_id=plan_id).count() == 0
        assert json.loads(plan.summary)["stops"] == 2


def test_a_list_read_for_a_past_day_lives_the_period_from_when_it_was_read(database_url):
    """Retention counts from the delivery day, but never from before the list was read: a
    list read today for a day 40 days ago is not purged at once (the dispatcher's rows and
    fixes would vanish under them), and is purged once 30 days have passed since."""
    from api.storage.accounts import create_group
    from api.storage.models import ImportRecord
    from api.storage.retention import purge_session

    db = Database(database_url)
    upgrade(db.engine)
    now = datetime.now(UTC)
    past_day = (now - timedelta(days=40)).date()
    with db.session() as s:
        group, _ = create_group(s, "A", "a@example.org")
        for name, read in (("today.csv", now), ("long-ago.csv", now - timedelta(days=41))):
            s.add(
                ImportRecord(
                    group_id=group.id, kind="deliveries", filename=name, created_at=read,
                    day=past_day, items='{"stops": [{"name": "Ana"}]}', report="{}",
                )
            )  # fmt: skip
    with db.session() as s:
        assert purge_session(s, 30, now).imports == 1
    with db.reader() as s:
        kept = {r.filename: r.items for r in s.query(ImportRecord)}
        assert kept == {"today.csv": '{"stops": [{"name": "Ana"}]}', "": None}
    with db.session() as s:
        assert purge_session(s, 30, now + timedelta(days=30, minutes=1)).imports == 1
    with db.reader() as s:
        assert [r.items for r in s.query(ImportRecord)] == [None, None]
