"""The SQLite plan store: plans survive a new engine, expire, and delete with their links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.db import PlanStore, make_engine


def _body(date: str | None = "2026-11-28") -> dict:
    return {
        "format": "aidroute.plan/1",
        "date": date,
        "routes": [],
        "unassigned": [],
        "summary": {},
    }


def test_plan_survives_a_new_engine_on_the_same_file(tmp_path):
    """What one process stored, a fresh engine on the same file reads back, links included."""
    path = tmp_path / "db.sqlite3"
    record = PlanStore(make_engine(path), 30).add(_body(), "queens-village", ["d1", "d2"])
    again = PlanStore(make_engine(path), 30)
    got = again.get(record.id)
    assert got is not None and got.plan_dict() == _body()
    tokens = got.driver_tokens()
    assert set(tokens) == {"d1", "d2"} and tokens["d1"] != tokens["d2"]
    link = again.by_token(tokens["d2"])
    assert link is not None and link.driver_id == "d2" and link.plan.id == record.id


def test_expiry_follows_the_delivery_day(tmp_path):
    """A plan for 28 November with 30 days' retention expires on 28 December, not before."""
    store = PlanStore(make_engine(tmp_path / "db.sqlite3"), 30)
    record = store.add(_body("2026-11-28"), "a", ["d1"])
    assert store.purge_expired(datetime(2026, 12, 27, tzinfo=UTC)) == 0
    assert store.purge_expired(datetime(2026, 12, 29, tzinfo=UTC)) == 1
    assert store.get(record.id) is None
    assert store.by_token("anything") is None


def test_undated_plan_expires_after_retention_from_creation(tmp_path):
    """Without a delivery day, retention counts from when the plan was made."""
    store = PlanStore(make_engine(tmp_path / "db.sqlite3"), 7)
    store.add(_body(None), "a", [])
    assert store.purge_expired(datetime.now(UTC) + timedelta(days=6)) == 0
    assert store.purge_expired(datetime.now(UTC) + timedelta(days=8)) == 1


def test_delete_removes_plan_and_driver_links(tmp_path):
    """Deleting a plan also kills its drivers' links."""
    store = PlanStore(make_engine(tmp_path / "db.sqlite3"), 30)
    record = store.add(_body(), "a", ["d1"])
    token = record.driver_tokens()["d1"]
    assert store.delete(record.id) is True
    assert store.by_token(token) is None
    assert store.delete(record.id) is False


def test_a_database_from_before_privacy_is_upgraded(tmp_path):
    """A plans table without the privacy column (an earlier aidroute) gains it on start."""
    import sqlite3

    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE plans (id VARCHAR(32) PRIMARY KEY, created_at DATETIME, "
        "expires_at DATETIME, area VARCHAR(200), body TEXT)"
    )
    con.commit()
    con.close()
    store = PlanStore(make_engine(path), 30)
    record = store.add(_body(), "a", ["d1"], privacy="initials")
    assert store.get(record.id).privacy == "initials"
