"""Setting up a group from the command line: create-group prints a one-time invite link,
set-password reads standard input, token prints the token as the last word, tokens are
listed and revoked, db upgrade and purge report what they did."""

from __future__ import annotations

import io
import sys

import pytest

from api.app import create_app
from api.cli import main
from api.settings import get_settings
from tests.helpers.service import client


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("AIDROUTE_DATABASE", str(tmp_path / "aidroute.sqlite3"))
    monkeypatch.setenv("AIDROUTE_PUBLIC_URL", "https://routes.example.org")
    monkeypatch.setenv("AIDROUTE_WORKERS", "0")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _last_word(text: str) -> str:
    return text.strip().splitlines()[-1].split()[-1]


def test_a_group_set_up_from_the_command_line(env, capsys, monkeypatch):
    assert main(["db", "upgrade"]) == 0
    assert "upgraded from empty" in capsys.readouterr().out
    assert (
        main(["admin", "create-group", "Queens Mutual Aid", "--dispatcher", "ana@example.org"]) == 0
    )
    invite = _last_word(capsys.readouterr().out)
    assert invite.startswith("https://routes.example.org/invite/")
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    assert main(["admin", "set-password", "ana@example.org"]) == 0
    assert main(["admin", "token", "ana@example.org", "--name", "scripts"]) == 0
    token = _last_word(capsys.readouterr().out)
    app = create_app(get_settings())
    c = client(app)
    c.headers["Host"] = "routes.example.org"
    me = c.get("/groups/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["name"] == "Queens Mutual Aid"
    login = c.post(
        "/auth/login", json={"email": "ana@example.org", "password": "a long enough password"}
    )
    assert login.status_code == 200
    assert main(["admin", "tokens", "ana@example.org"]) == 0
    listed = capsys.readouterr().out.strip().splitlines()
    assert len(listed) == 1 and "live" in listed[0] and token not in listed[0]
    token_id = listed[0].split()[0]
    assert main(["admin", "revoke-token", token_id]) == 0
    assert c.get("/groups/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert main(["admin", "invite", "bo@example.org", "--by", "ana@example.org"]) == 0
    assert "/invite/" in _last_word(capsys.readouterr().out)
    assert main(["purge"]) == 0
    assert "Purged personal data past 30 days" in capsys.readouterr().out


def test_bad_admin_input_is_a_clear_error(env, capsys, monkeypatch):
    assert main(["admin", "create-group", "G", "--dispatcher", "not-an-email"]) == 2
    assert "email" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    main(["admin", "create-group", "G", "--dispatcher", "g@example.org"])
    assert main(["admin", "set-password", "g@example.org"]) == 2
    assert "at least 10" in capsys.readouterr().err
    assert main(["admin", "token", "nobody@example.org"]) == 2
