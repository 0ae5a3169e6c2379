"""Service settings, read from the environment (``AIDROUTE_*``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from maps.assets import OSM_ATTRIBUTION, TileSettings
from routing.paths import aidroute_home
from routing.roads.streets import Streets

#: Names the service answers to on this machine (the Host header is checked against them).
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")


def weak_secret(value: str) -> str | None:
    """Why a shared secret is too weak to guard recipients' data, or None."""
    if len(value) < 16:
        return "must be at least 16 characters"
    if len(set(value)) < 8:
        return "must not repeat a few characters (use at least 8 different ones)"
    return None


class Settings(BaseSettings):
    """Everything the service can be told. Defaults suit one group on one machine."""

    model_config = SettingsConfigDict(env_prefix="AIDROUTE_", env_file=".env", extra="ignore")

    #: SQLAlchemy URL of the database; ``postgresql+psycopg://user:pass@host/db`` for
    #: PostgreSQL. Unset: the SQLite file ``database``.
    database_url: str | None = None
    #: SQLite file; defaults to ``$AIDROUTE_HOME/aidroute.sqlite3``.
    database: Path | None = None
    #: Where people reach the service (``https://routes.example.org``): drivers' links and
    #: invite links carry it, and the Host header must match it. Unset: the address the
    #: request came to, on this machine only.
    public_url: str | None = None
    #: Other host names the service answers to (besides loopback and ``public_url``'s).
    allowed_hosts: list[str] = []
    #: ``redis://host:6379/0``: jobs go through RQ to ``aidroute worker`` processes. Unset:
    #: ``aidroute serve`` runs ``workers`` worker processes itself.
    queue_url: str | None = None
    #: Worker processes ``aidroute serve`` starts when there is no queue_url (0: none).
    workers: int = Field(default=1, ge=0, le=32)
    #: Searches each solve runs in parallel (processes): 2 uses both cores of a small machine.
    solver_processes: int = Field(default=2, ge=1, le=8)
    #: Jobs waiting or running at once, per group and in all.
    max_jobs_per_group: int = Field(default=20, ge=1, le=10_000)
    max_jobs: int = Field(default=200, ge=1, le=100_000)
    #: Seconds a worker's claim on a job lasts without a heartbeat; then another takes it.
    job_lease_s: float = Field(default=30.0, ge=1, le=3600)
    #: Times a job is started before a worker that keeps dying on it marks it failed.
    job_attempts: int = Field(default=2, ge=1, le=10)
    #: Area used when a request names none.
    default_area: str = "queens-village"
    #: Time zone of delivery days (drivers' links expire after the day, in this zone).
    timezone: str = "UTC"
    #: Recipients' personal data (plans, lists, households, notes) is purged this many days
    #: after the delivery day; counts stay.
    retention_days: int = Field(default=30, ge=1, le=3650)
    #: Drivers' links work until this many hours after the end of the run day.
    link_hours_after_run: int = Field(default=6, ge=0, le=24 * 14)
    #: A tile server for the maps' background (a Leaflet URL template). Empty (the default):
    #: aidroute draws the area's own streets, and no tile server learns who looks where.
    tile_url: str = ""
    tile_attribution: str = OSM_ATTRIBUTION
    #: What drivers' pages and manifests show: full, initials, no_phone or reveal.
    driver_privacy: Literal["full", "initials", "no_phone", "reveal"] = "full"
    #: Seconds a plan request may spend searching, at most.
    max_time_limit_s: float = Field(default=120.0, gt=0, le=3600)
    #: Largest upload accepted by POST /imports, in bytes.
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, gt=0, le=1024**3)
    #: Largest JSON request body, in bytes.
    max_body_bytes: int = Field(default=2 * 1024 * 1024, gt=0, le=1024**3)
    #: Days a browser stays logged in.
    session_days: int = Field(default=14, ge=1, le=365)
    #: Failed logins allowed per address (and per client) in 15 minutes.
    login_attempts: int = Field(default=5, ge=1, le=1000)
    #: A shared bearer token acting as a dispatcher of the group "default" (aidroute 0.1's
    #: single-user setting; accounts are better).
    dispatcher_token: SecretStr | None = None

    @field_validator("dispatcher_token")
    @classmethod
    def _strong_token(cls, v: SecretStr | None) -> SecretStr | None:
        if v is None:
            return None
        value = v.get_secret_value().strip()
        why = weak_secret(value)
        if why:
            raise ValueError(
                f"AIDROUTE_DISPATCHER_TOKEN {why} (make one: python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'), or use `aidroute admin token EMAIL`"
            )
        return SecretStr(value)

    @field_validator("public_url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is None or not v.strip():
            return None
        parts = urlsplit(v.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("AIDROUTE_PUBLIC_URL must look like https://routes.example.org")
        return v.strip().rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r} (e.g. America/New_York)") from None
        return v

    def tiles(self, streets: Streets | None = None) -> TileSettings:
        """The maps' background: the tile server named here, else ``streets`` (an area's
        own streets, drawn by aidroute) when given."""
        if self.tile_url:
            return TileSettings(url=self.tile_url, attribution=self.tile_attribution)
        return TileSettings(url="", attribution=self.tile_attribution, streets=streets)

    def database_path(self) -> Path:
        return self.database or aidroute_home() / "aidroute.sqlite3"

    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.database_path()}"

    def host_names(self) -> set[str]:
        """Host names (without port) the service answers to."""
        names = {*LOOPBACK_NAMES, *(h.lower() for h in self.allowed_hosts)}
        if self.public_url:
            names.add((urlsplit(self.public_url).hostname or "").lower())
        return names

    def secure_cookies(self) -> bool:
        return bool(self.public_url and self.public_url.startswith("https://"))


@lru_cache
def get_settings() -> Settings:
    return Settings()
