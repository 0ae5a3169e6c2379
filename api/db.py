"""Plan storage in SQLite through SQLAlchemy: plans survive a restart, and expire."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    DateTime,
    ForeignKey,
    String,
    Text,
    create_engine,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
)


class Base(DeclarativeBase):
    pass


class PlanRecord(Base):
    """A stored plan. ``body`` is the plan.json content; ``links`` are the drivers' links."""

    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    area: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    privacy: Mapped[str] = mapped_column(String(20), default="full")
    links: Mapped[list[DriverLinkRecord]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", lazy="selectin"
    )

    def plan_dict(self) -> dict[str, Any]:
        return json.loads(self.body)  # type: ignore[no-any-return]

    def driver_tokens(self) -> dict[str, str]:
        return {link.driver_id: link.token for link in self.links}


class DriverLinkRecord(Base):
    """A driver's secret link to their own route in one plan."""

    __tablename__ = "driver_links"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    driver_id: Mapped[str] = mapped_column(String(200))
    plan: Mapped[PlanRecord] = relationship(back_populates="links")


def make_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    Base.metadata.create_all(engine)
    _add_missing_columns(engine)
    return engine


def _add_missing_columns(engine: Engine) -> None:
    """Bring a database file from an earlier aidroute up to date (columns added since)."""
    with engine.begin() as conn:
        have = {c["name"] for c in inspect(conn).get_columns("plans")}
        if "privacy" not in have:
            conn.execute(
                text("ALTER TABLE plans ADD COLUMN privacy VARCHAR(20) NOT NULL DEFAULT 'full'")
            )


class PlanStore:
    """Save, fetch and expire plans."""

    def __init__(self, engine: Engine, retention_days: int):
        self.engine = engine
        self.retention = timedelta(days=retention_days)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def session(self) -> Iterator[Session]:
        with self._sessions() as s:
            yield s

    def expiry(self, plan_date: str | None, now: datetime) -> datetime:
        """Retention counts from the delivery day, and never ends before ``now + retention``.

        So a plan made today for a past day is not deleted the moment it is stored.
        """
        floor = now + self.retention
        if plan_date:
            try:
                day = date.fromisoformat(plan_date)
            except ValueError:
                return floor
            return max(floor, datetime(day.year, day.month, day.day, tzinfo=UTC) + self.retention)
        return floor

    def add(
        self, body: dict[str, Any], area: str, drivers: list[str], privacy: str = "full"
    ) -> PlanRecord:
        now = datetime.now(UTC)
        record = PlanRecord(
            id=secrets.token_hex(8),
            created_at=now,
            expires_at=self.expiry(body.get("date"), now),
            area=area,
            privacy=privacy,
            body=json.dumps(body),
            links=[DriverLinkRecord(token=secrets.token_urlsafe(16), driver_id=d) for d in drivers],
        )
        with self._sessions() as s, s.begin():
            s.add(record)
        return record

    def get(self, plan_id: str) -> PlanRecord | None:
        self.purge_expired()
        with self._sessions() as s:
            return s.get(PlanRecord, plan_id)

    def by_token(self, token: str) -> DriverLinkRecord | None:
        """The driver link with this token, with its plan, unless expired."""
        self.purge_expired()
        with self._sessions() as s:
            link = s.get(DriverLinkRecord, token)
            if link is not None:
                _ = link.plan.body  # load before the session closes
            return link

    def list(self) -> list[PlanRecord]:
        self.purge_expired()
        with self._sessions() as s:
            return list(s.scalars(select(PlanRecord).order_by(PlanRecord.created_at.desc())))

    def delete(self, plan_id: str) -> bool:
        with self._sessions() as s, s.begin():
            record = s.get(PlanRecord, plan_id)
            if record is None:
                return False
            s.delete(record)
            return True

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete plans past their expiry; returns how many went."""
        now = now or datetime.now(UTC)
        with self._sessions() as s, s.begin():
            old = list(s.scalars(select(PlanRecord).where(PlanRecord.expires_at < now)))
            for record in old:
                s.delete(record)
            return len(old)
