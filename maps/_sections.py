"""What a manifest says of each driver, before it is laid out as HTML (:mod:`maps.manifest`)
or PDF (:mod:`maps._pdf`)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from maps._render import Briefing, briefing, page_language, route_summary, stop_rows
from maps.i18n import N_, Language
from routing.errors import InputError, InputProblem
from routing.model import Driver, Hub, Plan, Route

UrlArg = str | Mapping[str, str] | None


@dataclass(frozen=True)
class Section:
    """One driver's part of a manifest, ready to lay out as HTML or PDF."""

    driver: Driver
    route: Route
    hub: Hub
    rows: list[Any]
    summary: dict[str, Any]
    url: str | None
    qr_svg: str
    brief: Briefing
    lang: Language


@functools.lru_cache(maxsize=256)
def qr_svg(url: str) -> str:
    """A QR code of ``url`` as an inline ``<svg>`` element (no image files, no network).

    Kept for the next call: a plan's folder prints each driver's code in up to three
    manifests, and encoding one takes longer than laying out a page."""
    import qrcode  # imported when a code is drawn
    import qrcode.image.svg

    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return img.to_string(encoding="unicode")  # type: ignore[no-any-return]


def check_url(url: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise InputError(
            InputProblem("driver_page_url", url, "must start with https:// or http://")
        )
    return url


def manifest_sections(
    plan: Plan,
    driver_id: str | None,
    mode: str,
    urls: UrlArg,
    locale: str | None,
    *,
    qr: bool = True,
) -> list[Section]:
    """The sections of a manifest; ``qr`` False leaves out the SVG codes (a PDF draws its own)."""
    if driver_id is None:
        routes = list(plan.routes)
    else:
        route = plan.route_for(driver_id)
        if route is None:
            known = {d.id for d in plan.problem.drivers}
            reason = "has no route in this plan" if driver_id in known else "no driver with this id"
            raise InputError(InputProblem("driver", driver_id, reason))
        routes = [route]
    sections = []
    for route in routes:
        if isinstance(urls, str):
            url: str | None = urls if driver_id is not None else None
        elif urls is not None:
            url = urls.get(route.driver_id)
        else:
            url = None
        url = check_url(url) if url else None
        driver = plan.problem.driver(route.driver_id)
        lang = page_language(plan, locale, driver)
        sections.append(
            Section(
                driver=driver,
                route=route,
                hub=plan.problem.hub(route.hub_id),
                rows=stop_rows(plan, route, mode, lang),
                summary=route_summary(plan, route, lang),
                url=url,
                qr_svg=qr_svg(url) if url and qr else "",
                brief=briefing(plan, plan.problem.hub(route.hub_id)),
                lang=lang,
            )
        )
    return sections


#: The line at the foot of every printed page, right.
CREDIT = N_("aidroute · map data © OpenStreetMap")
#: Stand-ins for the page counters of CSS inside a translated sentence.
PAGE, PAGES = "\x00", "\x01"


def page_of(lang: Language, page: object, pages: object) -> str:
    """The foot of a page, left: "page 1 of 2"."""
    return lang.gettext("page %(page)s of %(pages)s", page=page, pages=pages)


#: Columns of the stop table: header, and how each cell is laid out ("fixed" never wraps;
#: "words" wraps between words only).
COLUMNS = (
    ("", "fixed"),
    ("#", "fixed"),
    (N_("Arrive"), "fixed"),
    (N_("Name"), "words"),
    (N_("Address"), "words"),
    (N_("Phone"), "fixed"),
    (N_("Boxes"), "fixed"),
    (N_("Notes"), "words"),
)
