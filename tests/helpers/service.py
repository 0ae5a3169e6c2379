"""The service in tests: settings on a temporary database, a group with a dispatcher and an
API token, and clients that talk to the app as a browser on this machine would."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.settings import Settings
from api.storage import accounts
from api.storage.engine import Database
from api.storage.migrate import upgrade


def settings_for(tmp_path: Path, **kw: Any) -> Settings:
    kw.setdefault("database", tmp_path / "aidroute.sqlite3")
    kw.setdefault("workers", 0)
    return Settings(**kw)


@dataclass(frozen=True)
class Member:
    """A dispatcher of a group, with an API token."""

    email: str
    group_id: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def new_member(settings: Settings, group: str, email: str) -> Member:
    db = Database(settings.db_url())
    upgrade(db.engine)
    with db.session() as s:
        g, _invite = accounts.create_group(s, group, email)
        _record, token = accounts.new_api_token(s, email, "tests")
        group_id = g.id
    db.dispose()
    return Member(email, group_id, token)


def client(app: Any, member: Member | None = None, **kw: Any) -> TestClient:
    """A client for ``app`` at http://127.0.0.1 (a name the service answers to)."""
    c = TestClient(app, base_url="http://127.0.0.1", **kw)
    if member is not None:
        c.headers.update(member.auth)
    return c


def wait_job(c: TestClient, job_id: str, timeout_s: float = 120) -> dict[str, Any]:
    """Poll a job until it ends; the job's states seen are in ``seen``."""
    seen = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = c.get(f"/jobs/{job_id}").json()
        seen.append(job["status"])
        if job["status"] in ("done", "failed", "cancelled"):
            job["seen"] = seen
            return job
        time.sleep(0.2)
    raise AssertionError(f"job still {seen[-1]} after {timeout_s} s")
