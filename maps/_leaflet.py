"""The maps' Folium pieces: safe popups and tooltips, markers, a map over its background,
and rendering it once into the parts a page template embeds.

Folium (with branca, Jinja and pandas) takes a good part of a second to import: this module
is imported by the functions that draw a map, never when ``maps`` is imported, so a command
that writes no page does not pay for it. Escaping follows :mod:`maps._render`.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from maps._render import OSM_DATA_CREDIT, MapParts, esc, js_string, templates_from_disk
from maps.assets import AssetMode, TileSettings, localize
from maps.basemap import add_streets
from routing.model import LatLon

with templates_from_disk():  # folium compiles its elements' templates as it is imported
    import folium
    from branca.element import Element, Figure, MacroElement
    from folium.template import Template


class SafePopup(MacroElement):
    """A Leaflet popup bound to its parent, whose content is an HTML string built with :func:`esc`.

    The string reaches JavaScript through :func:`js_string`, never inside a template literal.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.html_js }},
                {{ this.options|tojavascript }});
        {% endmacro %}
        """
    )

    def __init__(self, html_fragment: str, max_width: int = 320):
        super().__init__()
        self._name = "SafePopup"
        self.html_js = js_string(html_fragment)
        self.options = {"maxWidth": max_width}


class SafeTooltip(MacroElement):
    """A Leaflet tooltip bound to its parent; content as for :class:`SafePopup`."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindTooltip({{ this.html_js }},
                {{ this.options|tojavascript }});
        {% endmacro %}
        """
    )

    def __init__(self, html_fragment: str, permanent: bool = False):
        super().__init__()
        self._name = "SafeTooltip"
        self.html_js = js_string(html_fragment)
        self.options = {"sticky": False, "permanent": permanent, "direction": "top"}


def numbered_marker(
    location: LatLon,
    number: int | str,
    colour: str,
    *,
    popup: str = "",
    tooltip: str = "",
    shape: str = "",
    approximate: bool = False,
) -> folium.Marker:
    """A marker showing a stop's visit number in the route's colour; ``shape`` is a CSS class
    (:data:`PATTERNS`); an ``approximate`` pin (street-only or interpolated) has a dashed ring
    and a "≈"."""
    classes = " ".join(c for c in ("aid-num", shape, "aid-approx-pin" if approximate else "") if c)
    label = esc(number) + ("<sup>&#8776;</sup>" if approximate else "")
    html = f'<div class="{classes}" style="background:{colour}">{label}</div>'
    return _marker(location, html, 28, "aid-stop", popup, tooltip)


def _marker(
    location: LatLon, html: str, size: int, class_name: str, popup: str, tooltip: str
) -> folium.Marker:
    """A marker drawn as ``html`` (``size`` pixels square, centred on the place), with its
    (escaped) popup and tooltip, when given."""
    icon = folium.DivIcon(
        html=html,
        icon_size=(size, size),
        icon_anchor=(size // 2, size // 2),
        class_name=class_name,
    )
    marker = folium.Marker([location.lat, location.lon], icon=icon)
    if popup:
        marker.add_child(SafePopup(popup))
    if tooltip:
        marker.add_child(SafeTooltip(tooltip))
    return marker


def place_marker(
    location: LatLon,
    symbol: str,
    colour: str,
    css_class: str,
    *,
    popup: str = "",
    tooltip: str = "",
) -> folium.Marker:
    """A square marker for a hub (``symbol`` "H"), an end place ("E") or an unassigned stop."""
    html = f'<div class="{css_class}" style="background:{colour}">{esc(symbol)}</div>'
    return _marker(location, html, 30, "aid-place", popup, tooltip)


def new_map(
    points: list[tuple[float, float]], tiles: TileSettings, *, height: str = "100%"
) -> folium.Map:
    """A folium map fitted to ``points`` over the configured background: a tile server when
    one is set, else the area's own streets around ``points`` (:mod:`maps.basemap`)."""
    centre = _centre(points)
    m = folium.Map(location=centre, zoom_start=14, tiles=None, height=height, control_scale=True)
    if tiles.url:
        folium.TileLayer(
            tiles=tiles.url,
            attr=tiles.attribution,
            name="Map tiles",
            max_zoom=tiles.max_zoom,
            control=False,
        ).add_to(m)
    elif add_streets(m, tiles.streets, points):
        return _fit(m, points)  # streets.js credits OpenStreetMap itself
    if "OpenStreetMap" not in (tiles.attribution if tiles.url else ""):
        # Routes follow OSM roads: credit OSM even with other tiles or none.
        add_attribution_note(m, OSM_DATA_CREDIT)
    return _fit(m, points)


def _fit(m: folium.Map, points: list[tuple[float, float]]) -> folium.Map:
    if len(points) >= 2:
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30))
    return m


def _centre(points: list[tuple[float, float]]) -> list[float]:
    if not points:
        return [0.0, 0.0]
    return [sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)]


_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>', re.S)


class RawText(Element):
    """Text that goes into the page as it is: never parsed as a template."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawText"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _RenderOnce(MacroElement):
    """What branca's ``MacroElement.render`` does, with the macros' output kept as text.

    branca wraps the HTML and JavaScript each element renders in a new ``Element(text)``,
    which compiles that text as a Jinja template and renders it a second time: about 1,400
    templates compiled per plan, and any ``{{ ... }}`` a spreadsheet put in a name, already
    escaped for HTML and JavaScript, would run as template code. Here each element's macros
    (compiled once, with its class) render once, into :class:`RawText`.
    """

    def get_name(self) -> str:
        # branca builds the name again on every call (a regular expression each time), and
        # rendering asks for it about four times per element.
        name: str | None = self.__dict__.get("_aid_name")
        if name is None:
            name = self.__dict__["_aid_name"] = super().get_name()
        return name

    # Returns nothing, as branca's MacroElement.render does (its Element.render says str).
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        figure = self.get_root()
        assert isinstance(figure, Figure), "an element renders inside a Figure"
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                target = getattr(figure, part)
                target.add_child(RawText(str(macro(self, kwargs))), name=self.get_name())
        for element in self._children.values():  # after the parent, which they are added to
            _render_once(element)  # folium adds some children while rendering (SetIcon ...)
            element.render(**kwargs)


@functools.cache
def _render_once_class(cls: type[MacroElement]) -> type[MacroElement]:
    # cls's own render() (folium's Marker, Layer, Map ...) runs first; its super().render()
    # then reaches _RenderOnce.render instead of MacroElement.render.
    return type(cls.__name__, (cls, _RenderOnce), {})


def _render_once(element: Element) -> None:
    """Give every macro element of the tree :class:`_RenderOnce`'s rendering."""
    for child in element._children.values():
        _render_once(child)
    if isinstance(element, MacroElement) and not isinstance(element, _RenderOnce):
        # A class is hashable; branca's stubs type its __hash__ so that mypy doubts it.
        element.__class__ = _render_once_class(type(element))  # type: ignore[arg-type]


def render_map(m: folium.Map, assets: AssetMode) -> MapParts:
    """Render a folium map with local assets, for embedding in one of aidroute's templates."""
    localize(m, assets)
    figure = m.get_root()
    assert isinstance(figure, Figure)
    _render_once(figure)
    for child in figure._children.values():
        child.render()
    head = figure.header.render()
    # Folium forbids zooming the page (user-scalable=no); our templates set their own viewport.
    head = _VIEWPORT.sub("", head)
    return MapParts(
        head=head, body=figure.html.render(), script=figure.script.render(), map_var=m.get_name()
    )


class _AttributionNote(MacroElement):
    """A line in the map's attribution control, added once the map exists."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text }});"
        "{% endmacro %}"
    )

    def __init__(self, text_html: str) -> None:
        super().__init__()
        self._name = "AttributionNote"
        self.text = js_string(text_html)


def add_attribution_note(m: folium.Map, text_html: str) -> None:
    """Add a prefix to the map's attribution control (e.g. data credit when tiles are off)."""
    _AttributionNote(text_html).add_to(m)
