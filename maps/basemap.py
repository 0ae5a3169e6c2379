"""The map background drawn from the area's own streets: private by default.

Asking a public tile server for the background tells it which neighbourhood a group serves,
and the IP address of whoever looks. By default aidroute draws the streets and their names
itself (``static/aidroute/streets.js``, a canvas layer) from the streets the area holds
(:class:`routing.roads.streets.Streets`), clipped to what the page shows and carried inside
the page, so it also works from disk and offline. A tile server stays a setting
(:class:`maps.assets.TileSettings`) for groups that prefer one.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import folium

    from routing.roads.streets import Streets

#: Streets this far beyond the page's places are drawn too, so the map has context.
MARGIN_M = 600.0


def frame(
    points: Sequence[tuple[float, float]], margin_m: float = MARGIN_M
) -> tuple[float, float, float, float]:
    """The box around ``points`` (lat, lon), ``margin_m`` wider on every side."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    dlat = margin_m / 111_320
    dlon = margin_m / (111_320 * max(0.1, math.cos(math.radians(sum(lats) / len(lats)))))
    return (min(lats) - dlat, min(lons) - dlon, max(lats) + dlat, max(lons) + dlon)


def add_streets(
    m: folium.Map, streets: Streets | None, points: Sequence[tuple[float, float]]
) -> bool:
    """Draw the streets around ``points`` under map ``m``; False when there are none."""
    if streets is None or not len(streets) or not points:
        return False
    data = _streets_data(streets, frame(points))
    if data is None:
        return False
    streets_layer()(data).add_to(m)
    return True


@functools.lru_cache(maxsize=32)
def _streets_data(streets: Streets, box: tuple[float, float, float, float]) -> str | None:
    """The streets inside ``box`` as the layer's JavaScript data, None when there are none.

    Kept for the next page of the same places: a published driver page shows what the
    driver's page in the folder does."""
    clipped = streets.clip(box)
    if not len(clipped):
        return None
    # Inside a <script>: no "</" may close it early (street names are OSM text).
    return json.dumps(clipped.to_json(), ensure_ascii=False).replace("</", "<\\/")


@functools.cache
def streets_layer() -> type[Any]:
    """The folium element class ``StreetsLayer(data)`` drawing streets (``data`` from
    :func:`_streets_data`) under everything else. Made on first use, so that importing
    this module does not import Folium."""
    from branca.element import MacroElement
    from folium.elements import JSCSSMixin
    from jinja2 import Template

    class StreetsLayer(JSCSSMixin, MacroElement):  # type: ignore[misc]
        _template = Template(
            "{% macro script(this, kwargs) %}"
            "L.aidrouteStreets({{ this.data }}).addTo({{ this._parent.get_name() }});"
            "{% endmacro %}"
        )
        default_js = [("aidroute_streets", "aidroute/streets.js")]  # noqa: RUF012 (folium's API)

        def __init__(self, data: str) -> None:
            super().__init__()
            self._name = "AidrouteStreets"
            self.data = data

    return StreetsLayer
