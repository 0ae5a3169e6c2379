"""Apply the bundled Alembic migrations: ``aidroute db upgrade``, and ``serve`` at start.

A database made by aidroute 0.1 (a ``plans`` table and no ``alembic_version``) is taken to
be at revision 0001 and upgraded from there, keeping every plan and driver link.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The PostgreSQL advisory lock migrations hold ("aidrou" in ASCII).
MIGRATION_LOCK = 0x616964726F75


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    script = ScriptDirectory(str(MIGRATIONS))
    return str(script.get_current_head())


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, target: str = "head") -> tuple[str | None, str]:
    """Bring the database to the newest revision (or ``target``); returns (from, to)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # serve and every worker upgrade as they start (systemd starts them together):
            # one at a time, the others then find the database at its revision.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config = _config(conn)
        before = MigrationContext.configure(conn).get_current_revision()
        if before is None and inspect(conn).has_table("plans"):
            command.stamp(config, "0001")  # aidroute 0.1's plan store
            before = "0001"
        command.upgrade(config, target)
    return before, head() if target == "head" else target


def pending(engine: Engine) -> bool:
    return current(engine) != head()
