"""Web assets for the maps, served by aidroute itself: never from a CDN.

Folium's maps load Leaflet, jQuery, Bootstrap, Font Awesome and awesome-markers from CDNs by
default. aidroute's maps need only Leaflet (markers are numbered ``L.divIcon``s, popups plain
Leaflet popups), bundled under ``maps/static/`` with its licence. :func:`localize` rewrites every
folium element of a map to load the bundled copies instead, and refuses any asset it has no local
copy of, so a CDN link cannot slip into a page unnoticed.

Two ways to reach the files:

* ``AssetMode.relative("static/")``: the CLI copies the files next to the HTML it writes
  (:func:`copy_static`) and pages link them with relative URLs, so the output folder opens from
  disk with no network.
* ``AssetMode.served("/static/")``: the API mounts :func:`static_dir` under a URL prefix.

The map background is a setting too (:class:`TileSettings`): by default the area's own streets
drawn by aidroute (:mod:`maps.basemap`), or a tile server a group chooses.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from branca.element import Element

    from routing.roads.streets import Streets

#: Folium asset name -> file under ``static/``. Names folium uses that aidroute does not need.
LOCAL_ASSETS: dict[str, str] = {
    "leaflet": "leaflet/leaflet.js",
    "leaflet_css": "leaflet/leaflet.css",
    "aidroute_streets": "aidroute/streets.js",
}
UNUSED_ASSETS: frozenset[str] = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)

OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


def static_dir() -> Path:
    """The folder of bundled assets (Leaflet and its licence), for the API to mount."""
    return Path(__file__).resolve().parent / "static"


@dataclass(frozen=True, slots=True)
class AssetMode:
    """Where a page finds the bundled assets: a URL prefix ending in ``/``.

    ``"static/"`` or ``"../static/"`` for files copied next to the HTML, ``"/static/"`` when
    the API serves them.
    """

    prefix: str = "static/"

    def __post_init__(self) -> None:
        if not self.prefix.endswith("/"):
            object.__setattr__(self, "prefix", self.prefix + "/")
        if "://" in self.prefix or self.prefix.startswith("//"):
            raise ValueError(f"asset prefix {self.prefix!r} must be a local path, not another host")

    @classmethod
    def relative(cls, prefix: str = "static/") -> AssetMode:
        """Assets copied next to the page (``prefix`` relative to the page's folder)."""
        return cls(prefix)

    @classmethod
    def served(cls, prefix: str = "/static/") -> AssetMode:
        """Assets served by the API under an absolute URL path."""
        return cls(prefix if prefix.startswith("/") else "/" + prefix)

    def url(self, relative: str) -> str:
        """URL of a bundled file, e.g. ``url("leaflet/leaflet.js")``."""
        return self.prefix + relative


@dataclass(frozen=True, slots=True)
class TileSettings:
    """What is drawn under the routes.

    By default (``url=""``) aidroute draws the area's own ``streets`` and their names
    (:mod:`maps.basemap`): no tile server learns which neighbourhood is viewed, or by whom.
    ``url`` set to a Leaflet URL template uses that tile server instead, with
    ``attribution`` (HTML, a setting, not user data). No url and no streets: no background;
    routes, markers and lists still show.
    """

    url: str = ""
    attribution: str = OSM_ATTRIBUTION
    max_zoom: int = 19
    #: The area's streets (``Area.streets``), drawn when no tile server is set.
    streets: Streets | None = None

    @classmethod
    def from_env(cls) -> TileSettings:
        """Read ``AIDROUTE_TILE_URL`` and ``AIDROUTE_TILE_ATTRIBUTION``; unset: no tile server."""
        return cls(
            url=os.environ.get("AIDROUTE_TILE_URL", ""),
            attribution=os.environ.get("AIDROUTE_TILE_ATTRIBUTION", OSM_ATTRIBUTION),
        )


def _elements(root: Element) -> Iterator[Element]:
    yield root
    for child in list(root._children.values()):
        yield from _elements(child)


def localize(root: Element, assets: AssetMode) -> None:
    """Point every folium element under ``root`` at the bundled assets.

    Raises
    ------
    ValueError
        When an element wants an asset aidroute does not bundle (a folium plugin added
        without vendoring its files): better an error than a page that calls a CDN.
    """
    from branca.element import Figure
    from folium.elements import JSCSSMixin

    figure = root.get_root()
    nodes = list(_elements(figure if isinstance(figure, Figure) else root))
    for node in nodes:
        if not isinstance(node, JSCSSMixin):
            continue
        # Instance attributes shadow folium's class-level lists, which must stay untouched.
        node.default_js = _local_links(node.default_js, assets)
        node.default_css = _local_links(node.default_css, assets)


def _local_links(links: list[tuple[str, str]], assets: AssetMode) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, url in links:
        if name in LOCAL_ASSETS:
            out.append((name, assets.url(LOCAL_ASSETS[name])))
        elif name not in UNUSED_ASSETS:
            raise ValueError(f"folium asset {name!r} ({url}) is not bundled in maps/static/")
    return out


def copy_static(out_dir: Path) -> list[Path]:
    """Copy the bundled assets into ``out_dir / "static"``; return the files written."""
    target = out_dir / "static"
    written: list[Path] = []
    for src in sorted(static_dir().rglob("*")):
        if src.is_dir() or src.name.startswith(".") or "__pycache__" in src.parts:
            continue
        dest = target / src.relative_to(static_dir())
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        written.append(dest)
    return written
