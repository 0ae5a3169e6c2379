"""The API's HTML pages: :mod:`maps`' renderers with the server's asset URLs and tile setting."""

from __future__ import annotations

from api.settings import Settings
from maps.assets import AssetMode, TileSettings
from maps.driver_page import driver_page
from maps.manifest import manifest_html
from maps.overview import overview_map
from routing.model import Plan

#: Leaflet and the pages' own assets, served by the API under /static/.
SERVED = AssetMode.served("/static/")


def tiles_of(settings: Settings) -> TileSettings:
    return TileSettings(url=settings.tile_url, attribution=settings.tile_attribution)


def render_overview(plan: Plan, settings: Settings) -> str:
    return overview_map(plan, assets=SERVED, tiles=tiles_of(settings))


def render_driver_page(
    plan: Plan,
    driver_id: str,
    settings: Settings,
    *,
    privacy: str | None = None,
    page_url: str | None = None,
    gpx_url: str | None = None,
    manifest_url: str | None = None,
) -> str:
    return driver_page(
        plan,
        driver_id,
        privacy=privacy or settings.driver_privacy,
        assets=SERVED,
        tiles=tiles_of(settings),
        page_url=page_url,
        gpx_url=gpx_url,
        manifest_url=manifest_url,
    )


def render_manifest(plan: Plan, driver_id: str, page_url: str | None, privacy: str) -> str:
    return manifest_html(plan, driver_id, privacy=privacy, driver_page_url=page_url)
