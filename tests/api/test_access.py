"""Who may do what: tokens, sessions with CSRF, invites, throttled logins, Host checks,
security headers; serve refuses to face the network without a public address."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from api.app import create_app
from api.settings import Settings
from tests.helpers.api import plan_body
from tests.helpers.service import client, new_member, settings_for

ROOT = Path(__file__).resolve().parents[2]


def _pythonpath() -> dict[str, str]:
    """This checkout's code in a child process too (not another installed copy)."""
    return {"PYTHONPATH": str(ROOT)}


@pytest.fixture
def app_and_member(tmp_path):
    settings = settings_for(tmp_path)
    member = new_member(settings, "A", "ana@example.org")
    return create_app(settings), member, settings


def test_dispatcher_endpoints_need_a_token_or_a_session(app_and_member):
    """No credentials, a wrong or revoked token: 401; the member's token works."""
    app, member, _ = app_and_member
    anonymous = client(app)
    for method, path in (("get", "/plans"), ("get", "/groups/me"), ("get", "/jobs")):
        assert getattr(anonymous, method)(path).status_code == 401
    assert anonymous.post("/plans", json=plan_body(2)).status_code == 401
    files = {"file": ("d.csv", b"Address\n98-20 218th St\n", "text/csv")}
    assert anonymous.post("/imports", files=files).status_code == 401
    wrong = client(app)
    wrong.headers["Authorization"] = "Bearer adr_not-a-token"
    assert wrong.get("/plans").status_code == 401
    mine = client(app, member)
    assert mine.get("/groups/me").json()["name"] == "A"
    tokens = mine.get("/tokens").json()["data"]
    assert len(tokens) == 1 and "token" not in tokens[0]
    assert mine.delete(f"/tokens/{tokens[0]['id']}").status_code == 204
    assert mine.get("/plans").status_code == 401  # that was its own token


def test_invite_login_session_and_csrf(app_and_member):
    """An invited dispatcher sets a password through the one-time link, logs in, reads with
    the cookie; a change needs the CSRF token from the same site; the link works once."""
    app, member, _ = app_and_member
    ana = client(app, member)
    invite = ana.post("/groups/me/invites", json={"email": "Bo@Example.org"}).json()
    assert invite["email"] == "bo@example.org"
    path = invite["invite_url"].removeprefix("http://127.0.0.1")
    browser = client(app)
    assert "Password" in browser.get(path).text
    assert browser.post(path, data={"password": "correct horse battery"}).status_code == 200
    assert browser.post(path, data={"password": "another one entirely"}).status_code == 422
    bad = browser.post("/auth/login", json={"email": "bo@example.org", "password": "nope nope"})
    assert bad.status_code == 401
    r = browser.post(
        "/auth/login", json={"email": "bo@example.org", "password": "correct horse battery"}
    )
    assert r.status_code == 200
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    forged = client(app).post(
        "/auth/login",
        json={"email": "bo@example.org", "password": "correct horse battery"},
        headers={"Origin": "https://evil.example"},
    )
    assert forged.status_code == 403
    csrf = r.json()["csrf_token"]
    assert browser.get("/groups/me").json()["name"] == "A"
    hub = {"id": "pantry", "name": "Pantry", "lat": 40.7073, "lon": -73.7505}
    assert browser.post("/hubs", json=hub).status_code == 403  # no CSRF token
    other_site = {"X-CSRF-Token": csrf, "Origin": "https://evil.example"}
    assert browser.post("/hubs", json=hub, headers=other_site).status_code == 403
    ok = browser.post("/hubs", json=hub, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201
    assert ana.get("/hubs").json()["count"] == 1  # same group
    assert browser.post("/auth/logout").status_code == 204
    assert browser.get("/groups/me").status_code == 401


def test_logins_are_throttled(app_and_member):
    """After five wrong passwords for an address, even the right one waits (429)."""
    app, member, _ = app_and_member
    from api.storage import accounts
    from api.storage.engine import Database

    db = Database(app.state.settings.db_url())
    with db.session() as s:
        accounts.set_password(s, member.email, "the right password")
    browser = client(app)
    for _ in range(5):
        r = browser.post("/auth/login", json={"email": member.email, "password": "wrong guess!"})
        assert r.status_code == 401
    r = browser.post("/auth/login", json={"email": member.email, "password": "the right password"})
    assert r.status_code == 429 and "Retry-After" in r.headers


def test_other_host_names_are_refused(app_and_member):
    """DNS rebinding: a page at attacker.example that points its name at 127.0.0.1 gets 400."""
    app, member, _ = app_and_member
    c = client(app, member)
    assert c.get("/plans", headers={"Host": "attacker.example"}).status_code == 400
    assert c.get("/plans", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert c.get("/plans", headers={"Host": "localhost"}).status_code == 200


def test_security_headers_and_docs_without_cdn(app_and_member):
    """Every answer says nosniff, no framing, no referrer, no caching of data; /docs loads
    its assets from this server."""
    app, member, _ = app_and_member
    c = client(app, member)
    r = c.get("/plans")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"
    docs = c.get("/docs").text
    assert "cdn" not in docs.lower() and "/docs/assets/swagger-ui-bundle.js" in docs
    assert c.get("/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_bodies_over_the_limit_are_refused(tmp_path):
    """A JSON body over AIDROUTE_MAX_BODY_BYTES is a 413, declared or streamed."""
    settings = settings_for(tmp_path, max_body_bytes=10_000)
    member = new_member(settings, "A", "a@example.org")
    c = client(create_app(settings), member)
    body = plan_body(2)
    body["stops"][0]["notes"] = "x" * 20_000
    assert c.post("/plans", json=body).status_code == 413

    def chunks():
        yield b'{"hubs": ['
        yield b" " * 20_000

    r = c.post("/plans", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_serve_refuses_other_hosts_without_a_public_address(tmp_path):
    """`aidroute serve --host 0.0.0.0` without AIDROUTE_PUBLIC_URL refuses to start, saying why."""
    env = {"PATH": "/usr/bin:/bin", "AIDROUTE_HOME": str(tmp_path), **_pythonpath()}
    run = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert "AIDROUTE_PUBLIC_URL" in run.stderr


def test_weak_shared_tokens_are_refused(tmp_path):
    """An empty, short or repetitive AIDROUTE_DISPATCHER_TOKEN is a settings error."""
    for weak in ("", "   ", "short", "a" * 16, "abababababababab"):
        with pytest.raises(ValidationError):
            Settings(database=tmp_path / "p.sqlite3", dispatcher_token=weak)


def test_serve_with_a_weak_token_in_the_environment_says_so(tmp_path):
    """AIDROUTE_DISPATCHER_TOKEN="" is reported as a bad setting, exit 2, no traceback."""
    env = {
        "PATH": "/usr/bin:/bin",
        "AIDROUTE_HOME": str(tmp_path),
        "AIDROUTE_DISPATCHER_TOKEN": "",
        **_pythonpath(),
    }
    run = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert run.returncode == 2 and "dispatcher_token" in run.stderr
    assert "Traceback" not in run.stderr


def test_api_areas_are_names_not_paths(app_and_member):
    """A request cannot make the server read a folder or file by path."""
    app, member, _ = app_and_member
    body = plan_body(2)
    body["area"] = "/etc"
    r = client(app, member).post("/plans", json=body)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "area"
