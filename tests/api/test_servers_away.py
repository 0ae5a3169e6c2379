"""A coalition's servers when something is wrong with them: a mistyped or unreachable
database URL and Redis away are said in words (which setting, its value, what to do) by
every command, never as a traceback; a plan asked for while Redis is down is kept in the
database and sent to the workers once Redis answers again."""

from __future__ import annotations

import pytest

from api import console
from api.app import create_app
from api.cli import main
from api.queue import QUEUE_NAME, RedisQueue, reap_and_resend
from api.settings import get_settings
from api.storage.engine import Database
from api.storage.models import JobRecord
from tests.helpers.api import plan_body
from tests.helpers.servers import free_port, new_database, redis
from tests.helpers.service import client, new_member, settings_for


@pytest.fixture
def wide(monkeypatch, tmp_path):
    """The command line's tables on one line each, and a home of this test's own."""
    monkeypatch.setattr(console.err_console, "width", 400)
    monkeypatch.setenv("AIDROUTE_DATABASE", str(tmp_path / "aidroute.sqlite3"))
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def _said(capsys) -> str:
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return out.err


COMMANDS = (
    ["db", "upgrade"],
    ["admin", "create-group", "Queens Mutual Aid", "--dispatcher", "ana@example.org"],
    ["admin", "tokens"],
    ["purge"],
    ["worker", "--burst"],
    ["serve", "--port", "1"],
)


def test_a_database_nobody_answers_at_is_said_by_every_command(wide, capsys):
    """A PostgreSQL URL whose port nobody listens on: each command says which setting,
    with its value (password hidden), that it cannot connect and what to check."""
    port = free_port()
    wide.setenv("AIDROUTE_DATABASE_URL", f"postgresql+psycopg://aidroute:s3cret@127.0.0.1:{port}/x")
    get_settings.cache_clear()
    for args in COMMANDS:
        assert main(args) == 2, args
        said = _said(capsys)
        assert "AIDROUTE_DATABASE_URL" in said and f"127.0.0.1:{port}" in said, args
        assert "cannot connect" in said and "check the host, port" in said, args
        assert "s3cret" not in said


@pytest.mark.parametrize("url", ["postgres://aidroute@db.internal/aidroute", "db.internal"])
def test_a_database_url_aidroute_cannot_read_is_said(wide, capsys, url):
    """A URL of another form (Heroku's ``postgres://``, a bare host name) is refused with
    the form to write."""
    wide.setenv("AIDROUTE_DATABASE_URL", url)
    get_settings.cache_clear()
    assert main(["db", "upgrade"]) == 2
    said = _said(capsys)
    assert url in said and "postgresql+psycopg://user:password@host:5432/database" in said


def test_a_missing_database_or_role_on_a_real_server_is_said(wide, capsys, pg_server):
    """On a running PostgreSQL: the server's own sentence says which part is wrong."""
    base = pg_server.rsplit("/", 1)[0]
    wide.setenv("AIDROUTE_DATABASE_URL", base + "/nosuchdb")
    get_settings.cache_clear()
    assert main(["db", "upgrade"]) == 2
    assert 'database "nosuchdb" does not exist' in _said(capsys)
    wide.setenv("AIDROUTE_DATABASE_URL", base.replace("//aidroute@", "//nobody@") + "/postgres")
    get_settings.cache_clear()
    assert main(["admin", "tokens"]) == 2
    assert 'role "nobody" does not exist' in _said(capsys)


@pytest.mark.parametrize("url", ["redis://127.0.0.1:{port}/0", "127.0.0.1:{port}"])
def test_a_worker_without_redis_says_so(wide, capsys, url):
    """A worker whose Redis does not answer (or whose URL is not one) stops at once with
    the setting and what to do (systemd starts it again)."""
    wide.setenv("AIDROUTE_QUEUE_URL", url.format(port=free_port()))
    get_settings.cache_clear()
    assert main(["worker", "--burst"]) == 2
    said = _said(capsys)
    assert "AIDROUTE_QUEUE_URL" in said and "redis://" in said


def test_a_plan_asked_for_while_redis_is_down_is_sent_when_it_is_back(tmp_path):
    """Redis down: POST /jobs still answers 202 and the job waits in the database (not a
    500 for a job that was stored anyway); once Redis answers, the sweep every worker and
    ``serve`` run sends it."""
    settings = settings_for(tmp_path, queue_url=f"redis://127.0.0.1:{free_port()}/0")
    member = new_member(settings, "Queens Mutual Aid", "ana@example.org")
    c = client(create_app(settings), member)
    r = c.post("/jobs", json=plan_body(3))
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    db = Database(settings.db_url())
    with db.reader() as s:
        job = s.get(JobRecord, job_id)
        assert job is not None and job.status == "queued"
    with redis(tmp_path) as queue_url:
        back = settings.model_copy(update={"queue_url": queue_url})
        queue = RedisQueue(queue_url, 60)
        reap_and_resend(db, queue, back)
        sent = [j.args for j in queue.queue.jobs]
        assert queue.queue.name == QUEUE_NAME and sent == [(job_id,)]
    db.dispose()


def test_serve_says_a_database_it_cannot_reach_and_warns_of_redis_away(wide, capsys, pg_server):
    """``serve`` refuses to start on a database it cannot reach; with Redis away it only
    warns (plans wait in the database), then goes on to serve."""
    wide.setenv("AIDROUTE_DATABASE_URL", pg_server.rsplit("/", 1)[0] + "/nosuchdb")
    get_settings.cache_clear()
    assert main(["serve", "--port", str(free_port())]) == 2
    assert "nosuchdb" in _said(capsys)
    wide.setenv("AIDROUTE_DATABASE_URL", new_database(pg_server, "serve_redis_away"))
    wide.setenv("AIDROUTE_QUEUE_URL", f"redis://127.0.0.1:{free_port()}/0")
    get_settings.cache_clear()
    from api import cli

    cli._check_servers(get_settings())
    said = _said(capsys)
    assert "warning" in said and "Redis does not answer" in said
    assert "plans wait in the database" in said


def test_while_the_database_is_away_requests_are_told_to_come_back(tmp_path, pg_server):
    """PostgreSQL refusing connections (restarting, or down) while ``serve`` runs: a
    request answers 503 in words with Retry-After, not a bare 500, and /health says so;
    once the database is back, the same requests are answered again."""
    import psycopg

    name = "away_" + tmp_path.name[-12:].replace("-", "_").lower()
    url = new_database(pg_server, name)
    settings = settings_for(tmp_path, database_url=url)
    c = client(create_app(settings), new_member(settings, "Queens Mutual Aid", "ana@x.org"))
    assert c.get("/plans").status_code == 200
    admin = pg_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        try:
            for path in ("/plans", "/weeks", "/groups/me"):
                r = c.get(path)
                assert r.status_code == 503, (path, r.text)
                assert "the database does not answer" in r.json()["detail"]
                assert r.headers["Retry-After"] == "30"
            assert c.get("/health").status_code == 503
        finally:
            conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert c.get("/plans").status_code == 200
    assert c.get("/health").json() == {"status": "ok"}


def test_serve_and_workers_started_together_upgrade_an_empty_database_once(tmp_path, pg_server):
    """systemd starts serve (its ExecStartPre: db upgrade) and every worker at once, and
    each upgrades the database as it starts: on an empty PostgreSQL database they take
    turns, and every one of them starts."""
    import os
    import subprocess
    import sys

    from tests.helpers.servers import ROOT

    url = new_database(pg_server, "upgraded_together")
    env = {**os.environ, "AIDROUTE_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    env["AIDROUTE_HOME"] = str(tmp_path)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "api.cli", "db", "upgrade"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(4)
    ]
    said = [p.communicate(timeout=120)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], said
    assert sum("upgraded from empty" in s for s in said) == 1
    assert sum("already at revision" in s for s in said) == 3


def test_a_worker_set_up_with_another_database_loses_no_plan(tmp_path):
    """A worker machine missing AIDROUTE_DATABASE_URL (so on a SQLite file of its own) takes
    a job's message from Redis and cannot find the job: it says which setting to fix, and
    the sweep sends the job again at once instead of leaving it waiting while Redis keeps
    the spent message."""
    from tests.helpers.servers import aidroute

    with redis(tmp_path) as queue_url:
        settings = settings_for(tmp_path, queue_url=queue_url)
        c = client(create_app(settings), new_member(settings, "Queens Mutual Aid", "a@x.org"))
        job_id = c.post("/jobs", json=plan_body(3)).json()["id"]
        other = tmp_path / "other"
        env = {
            "AIDROUTE_QUEUE_URL": queue_url,
            "AIDROUTE_DATABASE_URL": "",
            "AIDROUTE_HOME": str(other),
            "AIDROUTE_DATABASE": str(other / "aidroute.sqlite3"),
        }
        log = tmp_path / "worker.log"
        assert aidroute(["worker", "--burst"], env, log).wait(timeout=120) == 0
        said = log.read_text()
        assert f"job {job_id} is not in this worker's database" in said
        assert "set AIDROUTE_DATABASE_URL as aidroute serve has it" in said
        queue = RedisQueue(queue_url, 60)
        assert queue.queue.count == 0
        db = Database(settings.db_url())
        reap_and_resend(db, queue, settings)
        assert [j.args for j in queue.queue.jobs] == [(job_id,)]
        reap_and_resend(db, queue, settings)  # sent once, not again while it waits
        assert queue.queue.count == 1
        db.dispose()
