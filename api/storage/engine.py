"""Engines: SQLite (WAL, ``secure_delete``, owner-only file) by default, PostgreSQL by URL.

``AIDROUTE_DATABASE_URL=postgresql+psycopg://user:pass@host/db`` selects PostgreSQL; without
it the database is the SQLite file ``AIDROUTE_DATABASE`` (default
``$AIDROUTE_HOME/aidroute.sqlite3``). Several processes (the API and its workers) share one
SQLite file safely: WAL lets readers go on while a worker writes, and ``busy_timeout`` makes
a writer wait its turn instead of failing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from routing.errors import InputError, InputProblem

#: What a PostgreSQL URL looks like, for the sentences that say one is wrong.
URL_FORM = "postgresql+psycopg://user:password@host:5432/database"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _private_file(path: Path) -> None:
    """Create the database file (and its folder) readable by its owner only: it holds
    recipients' names, addresses and phone numbers."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    else:
        path.chmod(0o600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 15000")
    cursor.execute("PRAGMA journal_mode = WAL")
    # Deleted rows are overwritten with zeros, not left readable in the file.
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (``sqlite:///file`` or ``postgresql+psycopg://...``)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            _private_file(Path(database))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class Database:
    """An engine and its sessions. ``with db.session() as s:`` commits on success."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s, s.begin():
            yield s

    @contextmanager
    def plain(self) -> Iterator[Session]:
        """A session that commits only when told to."""
        with self._sessions() as s:
            yield s

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reads only (nothing is committed)."""
        with self._sessions() as s:
            yield s

    def after_fork(self) -> None:
        """In a forked child: drop the parent's pooled connections without closing them."""
        self.engine.dispose(close=False)

    def dispose(self) -> None:
        self.engine.dispose()


def _shown(url: str) -> str:
    """``url`` with its password hidden (the text as given when it is not a URL)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def open_database(url: str) -> Database:
    """The database at ``url``, connected once: a mistyped ``AIDROUTE_DATABASE_URL``, a
    server that is down or refuses the user is said in words when a command starts (which
    setting, its value, what to do), not as a driver's traceback at the first query."""
    setting = "AIDROUTE_DATABASE" if url.startswith("sqlite") else "AIDROUTE_DATABASE_URL"
    try:
        db = Database(url)
    except (ArgumentError, ImportError):
        raise InputError(
            InputProblem(setting, _shown(url), f"not a database URL aidroute reads: {URL_FORM}")
        ) from None
    try:
        with db.engine.connect():
            pass
    except DBAPIError as e:
        db.dispose()
        said = str(e.orig).strip().splitlines()[0] if e.orig is not None else str(e)
        raise InputError(
            InputProblem(
                setting,
                _shown(url),
                f"cannot connect ({said}): check the host, port, user, password and database "
                "name, and that the server is running (the database itself is made once with "
                "createdb)",
            )
        ) from None
    return db
