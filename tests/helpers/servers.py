"""Real servers for the tests, started on free ports in temporary folders: PostgreSQL
(Debian's binaries, through initdb and pg_ctl), Redis (redis-server), and ``aidroute serve``
and ``aidroute worker`` themselves as processes.

Where a server's program is missing the test skips, except when ``AIDROUTE_REQUIRE_SERVERS=1``
(set by ``.ci/run``): then it fails, so CI never passes by skipping.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def required() -> bool:
    return os.environ.get("AIDROUTE_REQUIRE_SERVERS") == "1"


def missing(what: str) -> None:
    """Skip (or fail, where servers are required) a test that needs ``what``."""
    message = f"{what} is not installed (apt-get install postgresql redis-server)"
    if required():
        pytest.fail(message + " and AIDROUTE_REQUIRE_SERVERS=1")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Any, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {timeout_s} s")


def _pg_bin() -> Path | None:
    for found in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (found / "initdb").exists():
            return found
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A PostgreSQL server for this session; yields an admin URL (``postgresql+psycopg``).

    initdb refuses to run as root: as root, the cluster belongs to the ``postgres`` user
    that Debian's package creates, in a folder of its own."""
    bindir = _pg_bin()
    if bindir is None:
        missing("PostgreSQL (initdb, pg_ctl)")
    assert bindir is not None
    tmp = Path(tempfile.mkdtemp(prefix="aidroute-pg-"))
    data = tmp / "pgdata"
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(tmp, "postgres", "postgres")
    port = free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(
        [*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "aidroute", "-A", "trust",
         "-E", "UTF8", "--no-sync"],
        **run,
    )  # fmt: skip
    options = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off"
    options += " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    subprocess.run(
        [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-t", "60",
         "-l", str(tmp / "pg.log"), "start"],
        **run,
    )  # fmt: skip
    try:
        yield f"postgresql+psycopg://aidroute@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(tmp, ignore_errors=True)


def new_database(admin_url: str, name: str) -> str:
    """A fresh database on the server of ``admin_url``; returns its URL."""
    import psycopg

    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


@contextlib.contextmanager
def redis(tmp: Path) -> Iterator[str]:
    """A Redis server; yields its URL."""
    exe = shutil.which("redis-server")
    if exe is None:
        missing("redis-server")
    port = free_port()
    proc = subprocess.Popen(
        [str(exe), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--dir", str(tmp)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        import redis as redis_client

        client = redis_client.Redis(port=port)
        wait_for(client.ping, 20, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def aidroute(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start ``aidroute ARGS`` (this checkout's code) as a process of its own group."""
    full = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", *args],
        env=full,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop a process started by :func:`aidroute` and everything it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextlib.contextmanager
def serve(env: dict[str, str], log: Path) -> Iterator[str]:
    """``aidroute serve`` on a free port of 127.0.0.1 (uvicorn); yields its base URL."""
    port = free_port()
    proc = aidroute(["serve", "--port", str(port)], env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: httpx.get(url + "/health").status_code == 200, 90, "aidroute serve")
        yield url
    finally:
        stop(proc)
