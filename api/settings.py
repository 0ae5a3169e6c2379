"""Service settings, read from the environment (``AIDROUTE_*``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from maps.assets import OSM_ATTRIBUTION
from routing.paths import aidroute_home


class Settings(BaseSettings):
    """Everything the service can be told. Defaults suit one group on one machine."""

    model_config = SettingsConfigDict(env_prefix="AIDROUTE_", env_file=".env", extra="ignore")

    #: SQLite file holding plans; defaults to ``$AIDROUTE_HOME/aidroute.sqlite3``.
    database: Path | None = None
    #: Area used when a request names none.
    default_area: str = "queens-village"
    #: Plans (with recipients' names, addresses, phones) are deleted this many days after
    #: their delivery day, or after they were made when they have no day.
    retention_days: int = Field(default=30, ge=1)
    #: A tile server for the maps' background (a Leaflet URL template). Empty (the default):
    #: aidroute draws the area's own streets, and no tile server learns who looks where.
    tile_url: str = ""
    tile_attribution: str = OSM_ATTRIBUTION
    #: What drivers' pages and manifests show: full, initials, no_phone or reveal.
    driver_privacy: Literal["full", "initials", "no_phone", "reveal"] = "full"
    #: Seconds a plan request may spend searching, at most.
    max_time_limit_s: float = Field(default=120.0, gt=0)
    #: Largest upload accepted by POST /imports, in bytes.
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, gt=0)

    #: Bearer token dispatchers send (``Authorization: Bearer ...``) to plan, list and
    #: read whole plans. Unset: no token is asked, which is only allowed on loopback.
    dispatcher_token: SecretStr | None = None

    @field_validator("dispatcher_token")
    @classmethod
    def _strong_token(cls, v: SecretStr | None) -> SecretStr | None:
        if v is None:
            return None
        if len(v.get_secret_value().strip()) < 16:
            raise ValueError(
                "AIDROUTE_DISPATCHER_TOKEN must be at least 16 characters (make "
                "one: python -c 'import secrets; print(secrets.token_hex(16))')"
            )
        return SecretStr(v.get_secret_value().strip())

    def database_path(self) -> Path:
        return self.database or aidroute_home() / "aidroute.sqlite3"


@lru_cache
def get_settings() -> Settings:
    return Settings()
