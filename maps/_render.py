"""Shared pieces of aidroute's pages: escaping, safe Leaflet popups, markers, colours, templates.

Escaping rule, used everywhere in ``maps/``: every text that came from a spreadsheet goes through
:func:`esc` (HTML-escape, quotes included) before it becomes part of any HTML fragment, and every
HTML fragment that goes into JavaScript is JSON-encoded with ``<``, ``>``, ``&`` and ``'`` as
``\\uXXXX`` escapes (folium's ``tojavascript``), so it can neither close the ``<script>`` nor
break out of its string. Folium's own ``Popup`` and ``Tooltip`` paste text into JavaScript
template literals (where ``${...}`` would run); aidroute uses :class:`SafePopup` and
:class:`SafeTooltip` instead.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import jinja2
from branca.element import Element, Figure, MacroElement
from folium.template import Template
from markupsafe import Markup
from slugify import slugify

from maps import i18n
from maps.assets import AssetMode, TileSettings, localize
from maps.basemap import add_streets
from maps.i18n import Language
from maps.privacy import shown_name, shown_phone, tel_href
from maps.words import languages_text, placement_note
from routing.model import Driver, Hub, LatLon, Plan, Route, Stop
from routing.paths import cache_dir
from routing.phones import display_phone

#: One colour per route, none repeated up to 30 routes: colorcet's "glasbey_dark" (Kovesi,
#: CC-BY 4.0), colours chosen to be as far apart as possible for the eye and dark enough for
#: the white numbers on the markers.
PALETTE: tuple[str, ...] = (
    "#d60000",
    "#8c3bff",
    "#018700",
    "#00acc6",
    "#e6a500",
    "#ff7ed1",
    "#6b004f",
    "#573b00",
    "#005659",
    "#15e18c",
    "#0000dd",
    "#a17569",
    "#bcb6ff",
    "#bf03b8",
    "#645472",
    "#790000",
    "#0774d8",
    "#729a7c",
    "#ff7752",
    "#004b00",
    "#8e7b01",
    "#f2007b",
    "#8eba00",
    "#a57bb8",
    "#5901a3",
    "#e2afaf",
    "#a03a52",
    "#a1c8c8",
    "#9e4b00",
    "#546744",
)
#: Past 30 routes the colours come round again with another line pattern and marker shape:
#: (SVG dash array of the route line or None for solid, CSS class of its stop markers).
PATTERNS: tuple[tuple[str | None, str], ...] = (
    (None, ""),
    ("14 7", "aid-square"),
    ("3 7", "aid-ring"),
    ("14 7 3 7", "aid-square aid-ring"),
)
UNASSIGNED_COLOUR = "#444444"
HUB_COLOUR = "#000000"
OSM_DATA_CREDIT = (
    'Roads &copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


def esc(text: object) -> str:
    """HTML-escape any value for use in element content or a quoted attribute."""
    return html.escape("" if text is None else str(text), quote=True)


def js_string(text: str) -> str:
    """A JavaScript string literal of ``text``, safe inside an HTML ``<script>`` element.

    JSON-encoded (ASCII only, so U+2028/U+2029 are escaped too), with ``<``, ``>``, ``&``
    and ``'`` as ``\\uXXXX`` so no ``</script>`` or ``<!--`` can appear in the page.
    """
    return (
        json.dumps(str(text), ensure_ascii=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )


@dataclass(frozen=True, slots=True)
class RouteStyle:
    """How one route is drawn: its colour, its line's dash pattern, its markers' shape."""

    colour: str
    #: SVG dash array of the route line ("14 7"), or None for a solid line.
    dash: str | None = None
    #: Extra CSS class of the route's numbered markers ("" for round ones).
    shape: str = ""


def route_style(index: int) -> RouteStyle:
    """The style of the ``index``-th route of a plan: every route up to
    ``len(PALETTE) * len(PATTERNS)`` (120) differs from every other in colour or pattern."""
    colour = PALETTE[index % len(PALETTE)]
    dash, shape = PATTERNS[(index // len(PALETTE)) % len(PATTERNS)]
    return RouteStyle(colour, dash, shape)


def colour_for(index: int) -> str:
    """The route colour of the ``index``-th route of a plan."""
    return route_style(index).colour


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's on-disk cache of compiled templates, which a read-only home cannot stop."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.cache
def _templates(code: str) -> jinja2.Environment:
    """aidroute's page templates in language ``code``. Compiling them costs more than
    rendering a plan's pages: each is compiled once per process and language, and its
    compiled code (the same in every language: messages are looked up as it runs) kept in
    ``$AIDROUTE_HOME/cache/templates`` for the next run (recompiled when the file changes)."""
    try:
        folder = cache_dir() / "templates"
        folder.mkdir(exist_ok=True)
        cache: jinja2.BytecodeCache | None = _QuietBytecodeCache(str(folder))
    except OSError:
        cache = None
    env = i18n.environment(
        code,
        jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=cache,
        auto_reload=False,
    )
    env.filters["keep_words"] = keep_words
    return env


#: A word holding a hyphen ("Hernández-Villalobos", the house number "110-22") this long or
#: shorter is kept on one line; a longer one may still break, rather than overflow a phone.
KEEP_WHOLE_CHARS = 28


def keep_words(text: object) -> Markup:
    """``text`` escaped, with each hyphenated word kept whole on a line: a browser may
    otherwise break "Hernández-" / "Villalobos" or "110-" / "22" after the hyphen."""
    out = []
    for token in re.split(r"(\s+)", "" if text is None else str(text)):
        if "-" in token and len(token) <= KEEP_WHOLE_CHARS and not token.isspace():
            out.append(f'<span class="nowrap">{esc(token)}</span>')
        else:
            out.append(esc(token))
    return Markup("".join(out))


def render_template(name: str, lang: Language, **context: object) -> str:
    """Render ``maps/templates/<name>`` in ``lang`` (its messages, numbers and dates; the
    template reads ``lang``), with autoescaping on."""
    return _templates(lang.code).get_template(name).render(lang=lang, **context)


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
    icon = folium.DivIcon(
        html=f'<div class="{classes}" style="background:{colour}">{label}</div>',
        icon_size=(28, 28),
        icon_anchor=(14, 14),
        class_name="aid-stop",
    )
    return _marker(location, icon, popup, tooltip)


def _marker(location: LatLon, icon: folium.DivIcon, popup: str, tooltip: str) -> folium.Marker:
    """A marker with its (escaped) popup and tooltip, when given."""
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
    icon = folium.DivIcon(
        html=f'<div class="{css_class}" style="background:{colour}">{esc(symbol)}</div>',
        icon_size=(30, 30),
        icon_anchor=(15, 15),
        class_name="aid-place",
    )
    return _marker(location, icon, popup, tooltip)


def route_line(plan: Plan, route: Route) -> tuple[list[tuple[float, float]], bool]:
    """Points to draw for a route and whether they follow the roads.

    The road geometry ``route.path`` when the solver drew it; otherwise straight segments
    hub -> stops -> end place (drawn dashed), so the order still shows.
    """
    if len(route.path) >= 2:
        return [(float(lat), float(lon)) for lat, lon in route.path], True
    points = [(p.lat, p.lon) for p in route.places(plan.problem)]
    return points, False


def start_place(plan: Plan, route: Route) -> LatLon:
    """Where the deliveries start: the hub the driver loads at."""
    return plan.problem.hub(route.hub_id).location


def end_place(plan: Plan, route: Route) -> LatLon | None:
    """Where the driver finishes: home, the hub, or the last stop ("anywhere")."""
    driver = plan.problem.driver(route.driver_id)
    if driver.end == "home" and driver.home is not None:
        return driver.home
    if driver.end == "hub":
        return plan.problem.hub(route.hub_id).location
    return None


def end_label(driver: Driver, lang: Language) -> str:
    """Where the driver finishes, in words: "home", "back to the hub", "after the last stop"."""
    if driver.end == "home":
        return lang.gettext("home")
    if driver.end == "hub":
        return lang.gettext("back to the hub")
    return lang.gettext("after the last stop")


def page_language(plan: Plan, locale: str | None, driver: Driver | None = None) -> Language:
    """The language of a page: a driver's own (the roster's) for what that driver reads,
    else ``locale`` (None: English); numbers and dates as the plan's area writes them."""
    chosen = (driver.locale if driver is not None else "") or locale
    return i18n.language(chosen, plan.problem.region)


def route_stops(plan: Plan, route: Route) -> list[Stop]:
    return [plan.problem.stop(v.stop_id) for v in route.visits]


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


@dataclass(frozen=True, slots=True)
class MapParts:
    """A rendered folium map cut into what goes in ``<head>``, ``<body>`` and a ``<script>``."""

    head: str
    body: str
    script: str
    map_var: str


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

    def render(self, **kwargs: Any) -> None:
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
        element.__class__ = _render_once_class(type(element))


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


@dataclass(frozen=True, slots=True)
class StopRow:
    """One visit of a route as a driver sees it, after the privacy mode is applied."""

    number: int
    stop: Stop
    arrival: str
    window: str
    name: str
    #: Where to go: the address as the geocoder matched it (else as typed), without the unit.
    address: str
    #: The phone in the local format ("(718) 555-0155"), "" when not shown.
    phone: str
    #: The phone as a ``tel:`` link in E.164, "" when not shown.
    tel: str
    #: The household's languages by name ("Bengali").
    language: str
    #: What to know about an approximate pin ("placed on the street only ..."), or "".
    placement: str

    @property
    def full_address(self) -> str:
        """The address with the unit: what a driver reads on paper."""
        return f"{self.address}, {self.stop.unit}" if self.stop.unit else self.address


def stop_rows(plan: Plan, route: Route, mode: str, lang: Language | None = None) -> list[StopRow]:
    """The route's visits in order, with names and phones as ``mode`` shows them, times,
    languages and placements in ``lang`` (English by default)."""
    region = plan.problem.region
    lang = lang or i18n.language(None, region)
    rows = []
    for n, visit in enumerate(route.visits, 1):
        stop = plan.problem.stop(visit.stop_id)
        phone = shown_phone(stop, mode)
        rows.append(
            StopRow(
                number=n,
                stop=stop,
                arrival=lang.time(visit.arrival_s),
                window=", ".join(lang.window(w) for w in stop.windows),
                name=shown_name(stop, mode),
                address=stop.matched or stop.address,
                phone=display_phone(phone, region),
                tel=tel_href(phone, region),
                language=languages_text(stop.language, lang),
                placement=placement_note(stop.precision, lang),
            )
        )
    return rows


def stop_popup(row: StopRow, lang: Language, *, typed: bool = False) -> str:
    """Popup HTML for a stop marker in ``lang``; every value escaped. ``typed`` adds the
    address as the spreadsheet had it, when the geocoder matched it to another (for the
    dispatcher)."""
    s = row.stop
    parts = [f"<b>{esc(row.number)}. {esc(row.name) or esc(s.id)}</b>"]
    if row.full_address:
        parts.append(esc(row.full_address))
    if typed and s.matched and s.matched != s.address:
        parts.append(f"<i>{esc(lang.gettext('typed: %(address)s', address=s.address))}</i>")
    if row.placement:
        parts.append(f'<span class="aid-approx">&#8776; {esc(row.placement)}</span>')
    boxes = lang.ngettext("%(num)s box", "%(num)s boxes", s.boxes)
    parts.append(f"{esc(row.arrival)} &middot; {esc(boxes)}")
    if row.window:
        parts.append(esc(lang.gettext("window %(window)s", window=row.window)))
    if row.phone:
        parts.append(esc(row.phone))
    if s.notes:
        parts.append(f"<i>{esc(s.notes)}</i>")
    if row.language:
        parts.append(esc(lang.gettext("speaks %(language)s", language=row.language)))
    return "<br>".join(parts)


@dataclass(frozen=True, slots=True)
class Briefing:
    """What every driver of a plan is told besides their stops, ready to show."""

    #: The hub's pickup note: where to park, which door, whom to ask.
    pickup: str
    #: The dispatcher's phone in the local format, and as a ``tel:`` link.
    dispatcher_phone: str
    dispatcher_tel: str
    #: What to do when nobody answers the door.
    nobody_home: str


def briefing(plan: Plan, hub: Hub | None) -> Briefing:
    """The plan's instructions and ``hub``'s note, phone numbers in the area's format."""
    said = plan.problem.instructions
    region = plan.problem.region
    return Briefing(
        pickup=(hub.note if hub is not None else "").strip(),
        dispatcher_phone=display_phone(said.dispatcher_phone, region),
        dispatcher_tel=tel_href(said.dispatcher_phone, region),
        nobody_home=said.nobody_home.strip(),
    )


def route_summary(plan: Plan, route: Route, lang: Language | None = None) -> dict[str, Any]:
    """Figures a legend or a manifest header shows for a route: counts and kilometres as
    numbers, times of day as ``lang`` writes them (English, "09:10", by default)."""
    lang = lang or i18n.language()
    return {
        "stops": len(route.visits),
        "boxes": route.boxes(plan.problem),
        "minutes": round(route.duration_s / 60),
        "km": round(route.distance_m / 1000, 1),
        "start": lang.time(route.start_s),
        "depart": lang.time(
            route.depart_hub_s if route.depart_hub_s is not None else route.start_s
        ),
        "end": lang.time(route.end_s),
    }


def slug(text: str, taken: set[str], fallback: str = "driver") -> str:
    """A file-name-safe, unique slug for ``text``: transliterated to ASCII letters, digits and
    ``-`` ("Nadège Côté" -> "nadege-cote", "王芳" -> "wang-fang"), ``fallback`` when nothing is
    left, with ``-2``, ``-3`` ... when taken."""
    base = slugify(text, max_length=40, word_boundary=True) or slugify(fallback) or "driver"
    name, k = base, 2
    while name in taken:
        name, k = f"{base}-{k}", k + 1
    taken.add(name)
    return name
