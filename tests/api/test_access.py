"""Access control: dispatcher endpoints behind a bearer token; drivers' links stay open."""

from __future__ import annotations

import subprocess
import sys

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.helpers.api import plan_body


def test_dispatcher_token_guards_plans_but_not_driver_links(tmp_path):
    """With a token set, planning and listing need it; a driver's link works without it."""
    settings = Settings(database=tmp_path / "p.sqlite3", dispatcher_token="s3cret-token-0123")
    client = TestClient(create_app(settings))
    assert client.get("/plans").status_code == 401
    assert client.post("/plans", json=plan_body(3)).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.get("/plans", headers=wrong).status_code == 401
    auth = {"Authorization": "Bearer s3cret-token-0123"}
    out = client.post("/plans", json=plan_body(3), headers=auth)
    assert out.status_code == 201
    assert client.get("/plans", headers=auth).json()["count"] == 1
    link = out.json()["driver_links"][0]["url"]
    assert client.get(link).status_code == 200
    assert client.get(f"/plans/{out.json()['id']}/map").status_code == 401
    files = {"file": ("d.csv", b"Address\n98-20 218th St\n", "text/csv")}
    assert client.post("/imports", files=files).status_code == 401


def test_serve_refuses_other_hosts_without_a_token(tmp_path):
    """`aidroute serve --host 0.0.0.0` without a token refuses to start and says why."""
    env = {"PATH": "/usr/bin:/bin", "AIDROUTE_HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert "AIDROUTE_DISPATCHER_TOKEN" in run.stderr


def test_short_or_empty_tokens_are_refused(tmp_path):
    """An empty or short token is a settings error, never an open door."""
    import pytest
    from pydantic import ValidationError

    for weak in ("", "   ", "short"):
        with pytest.raises(ValidationError, match="at least 16"):
            Settings(database=tmp_path / "p.sqlite3", dispatcher_token=weak)


def test_serve_with_a_weak_token_in_the_environment_says_so(tmp_path):
    """AIDROUTE_DISPATCHER_TOKEN="" is reported as a bad setting, exit 2, no traceback."""
    env = {"PATH": "/usr/bin:/bin", "AIDROUTE_HOME": str(tmp_path), "AIDROUTE_DISPATCHER_TOKEN": ""}
    run = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert run.returncode == 2 and "dispatcher_token" in run.stderr
    assert "Traceback" not in run.stderr


def test_api_areas_are_names_not_paths(tmp_path):
    """A request cannot make the server read a folder or file by path."""
    client = TestClient(create_app(Settings(database=tmp_path / "p.sqlite3")))
    body = plan_body(2)
    body["area"] = "/etc"
    r = client.post("/plans", json=body)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "area"
