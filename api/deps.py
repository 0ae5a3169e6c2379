"""FastAPI dependencies: settings, storage, areas, geocoders and the dispatcher check.

Routers import from here, never from :mod:`api.app` (which imports the routers).
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.db import PlanStore
from api.settings import Settings
from routing.geocoding.offline import OfflineGeocoder
from routing.roads.area import Area, load_named_area


@lru_cache(maxsize=4)
def get_area(name: str) -> Area:
    """Load an area by name once per process (areas are read-only).

    Over HTTP an area is named, never given as a path: a folder or an OSM file would make
    the server read (and import) whatever it points at.
    """
    return load_named_area(name)


@lru_cache(maxsize=4)
def get_geocoder(name: str) -> OfflineGeocoder:
    """The area's offline geocoder, built once per process."""
    return OfflineGeocoder.from_area(get_area(name))


def get_store(request: Request) -> PlanStore:
    return request.app.state.store  # type: ignore[no-any-return]


def app_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def require_dispatcher(request: Request) -> None:
    """Dispatcher endpoints need the bearer token when one is set (drivers' links never do)."""
    token = request.app.state.settings.dispatcher_token
    if token is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        given.encode(), token.get_secret_value().encode()
    ):
        raise HTTPException(
            401,
            "dispatcher token required: send Authorization: Bearer TOKEN",
            headers={"WWW-Authenticate": "Bearer"},
        )


StoreDep = Annotated[PlanStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(app_settings)]
