"""The API's HTML pages: :mod:`maps`' renderers with the server's asset URLs and tile setting.

``locale`` is the language of the reader (``maps.i18n.negotiate`` of the request's
``Accept-Language``, or the dispatcher's choice): the overview's, and a driver's page's and
manifest's when the roster gives that driver no language of their own.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import Response

from api.deps import get_area
from api.settings import Settings
from maps.assets import AssetMode, TileSettings
from maps.driver_page import Reporting, driver_page
from maps.manifest import manifest_html, manifest_pdf
from maps.overview import RouteLinks, overview_map
from routing.errors import AreaError, InputError
from routing.model import Plan

#: Leaflet and the pages' own assets, served by the API under /static/.
SERVED = AssetMode.served("/static/")


def tiles_of(settings: Settings, area: str | None = None) -> TileSettings:
    """The map background: the tile server the settings name, else the streets of ``area``
    (by name: the area the plan was made in), drawn by aidroute itself."""
    streets = None
    if not settings.tile_url and area:
        try:
            streets = get_area(area).streets
        except (AreaError, InputError):  # an area removed since: the map still shows routes
            streets = None
    return settings.tiles(streets)


def _area(plan: Plan) -> str | None:
    area = plan.stats.get("area")
    return str(area) if area else None


def render_overview(plan: Plan, settings: Settings, *, locale: str | None = None) -> str:
    """The overview served at ``/plans/{id}/map``, linking each driver's page and manifests
    (``/plans/{id}/drivers/{driver}``, ``.../manifest``, ``.../manifest.pdf``)."""
    links = {}
    for route in plan.routes:
        page = f"drivers/{quote(route.driver_id, safe='')}"
        links[route.driver_id] = RouteLinks(page, f"{page}/manifest", f"{page}/manifest.pdf")
    return overview_map(
        plan, assets=SERVED, tiles=tiles_of(settings, _area(plan)), links=links, locale=locale
    )


def render_driver_page(
    plan: Plan,
    driver_id: str,
    settings: Settings,
    *,
    privacy: str | None = None,
    page_url: str | None = None,
    gpx_url: str | None = None,
    manifest_url: str | None = None,
    locale: str | None = None,
    reporting: Reporting | None = None,
) -> str:
    return driver_page(
        plan,
        driver_id,
        privacy=privacy or settings.driver_privacy,
        assets=SERVED,
        tiles=tiles_of(settings, _area(plan)),
        page_url=page_url,
        gpx_url=gpx_url,
        manifest_url=manifest_url,
        locale=locale,
        reporting=reporting,
    )


def render_manifest(
    plan: Plan, driver_id: str, page_url: str | None, privacy: str, *, locale: str | None = None
) -> str:
    return manifest_html(plan, driver_id, privacy=privacy, driver_page_url=page_url, locale=locale)


def manifest_pdf_response(
    plan: Plan, driver_id: str, page_url: str | None, privacy: str, *, locale: str | None = None
) -> Response:
    """A driver's manifest as a PDF, rendered when asked for (it is the slow output)."""
    body = manifest_pdf(plan, driver_id, privacy=privacy, driver_page_url=page_url, locale=locale)
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": 'inline; filename="manifest.pdf"'},
    )
