"""Setting up a group from the command line: create-group prints a one-time invite link,
set-password reads standard input, token prints the token as the last word, tokens are
listed and revoked, db upgrade and purge report what they did."""

from __future__ import annotations

import io
import sys

import pytest

from api import console
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


def test_a_second_group_of_the_same_name_is_refused(env, capsys, monkeypatch):
    """Dispatchers know their group by its name: a coalition's organiser who runs
    create-group twice (or two groups who chose one name) is told which group has it and
    how to add a dispatcher to it, whatever the letters' case."""
    monkeypatch.setattr(console.err_console, "width", 400)
    assert main(["admin", "create-group", "Queens Mutual Aid", "--dispatcher", "a@x.org"]) == 0
    group_id = capsys.readouterr().out.split("(id ")[1].split(")")[0]
    assert main(["admin", "create-group", "queens mutual aid ", "--dispatcher", "b@x.org"]) == 2
    said = capsys.readouterr().err
    assert "a group of this name exists" in said and group_id in said
    assert "aidroute admin invite" in said
    assert main(["admin", "token", "b@x.org"]) == 2  # nobody was added
    assert main(["admin", "create-group", "Hollis Food Share", "--dispatcher", "b@x.org"]) == 0


def test_listing_the_tokens_of_an_unknown_dispatcher_says_so(env, capsys, monkeypatch):
    """``admin tokens EMAIL`` with a mistyped email says there is no such dispatcher rather
    than printing nothing; a dispatcher without tokens is told so on standard error."""
    monkeypatch.setattr(console.err_console, "width", 400)
    assert main(["admin", "create-group", "G", "--dispatcher", "g@example.org"]) == 0
    capsys.readouterr()
    assert main(["admin", "tokens", "gg@example.org"]) == 2
    said = capsys.readouterr().err
    assert "gg@example.org" in said and "no dispatcher with this email" in said
    assert main(["admin", "tokens", "g@example.org"]) == 0
    out = capsys.readouterr()
    assert out.out == "" and "no API token of g@example.org yet" in out.err


def test_what_an_organiser_types_is_printed_as_typed(env, capsys, monkeypatch):
    """Brackets in a group's name or an email are text, not the terminal's markup: a name
    keeps its "[west]", and "[/]" in a refused value is shown rather than a traceback."""
    monkeypatch.setattr(console.err_console, "width", 400)
    assert main(["admin", "create-group", "G", "--dispatcher", "a[/]b"]) == 2
    assert "a[/]b" in capsys.readouterr().err
    assert main(["admin", "create-group", "Pantry [west]", "--dispatcher", "w@x.org"]) == 0
    assert "Pantry [west]" in capsys.readouterr().out


def test_tokens_say_whose_they_are(env, capsys):
    """An organiser of several groups lists every token with its dispatcher and group, to
    know which one to revoke; the database's address stays on one line for scripts."""
    assert main(["db", "upgrade"]) == 0
    done = capsys.readouterr().out.strip().splitlines()
    assert len(done) == 1 and done[0].endswith(" upgraded from empty to " + done[0].split()[-1])
    for group, email in (("Queens Mutual Aid", "ana@x.org"), ("Hollis Food Share", "dee@x.org")):
        assert main(["admin", "create-group", group, "--dispatcher", email]) == 0
        assert main(["admin", "token", email]) == 0
    capsys.readouterr()
    assert main(["admin", "tokens"]) == 0
    listed = [line.split("\t") for line in capsys.readouterr().out.strip().splitlines()]
    assert [(row[1], row[2]) for row in listed] == [
        ("ana@x.org", "Queens Mutual Aid"),
        ("dee@x.org", "Hollis Food Share"),
    ]


def test_a_group_s_time_zone_is_checked_when_it_is_made(env, capsys, monkeypatch):
    """A mistyped --timezone is refused when the group is made: stored, it made every
    listing of the group's drivers' links, and each link, fail later."""
    monkeypatch.setattr(console.err_console, "width", 400)
    args = ["admin", "create-group", "G", "--dispatcher", "g@x.org", "--timezone"]
    assert main([*args, "America/NewYork"]) == 2
    said = capsys.readouterr().err
    assert "America/NewYork" in said and "unknown time zone" in said
    assert main([*args, "America/New_York"]) == 0
