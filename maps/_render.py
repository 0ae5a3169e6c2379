"""Shared pieces of aidroute's pages: escaping, colours, templates, a route's rows and figures.

Escaping rule, used everywhere in ``maps/``: every text that came from a spreadsheet goes through
:func:`esc` (HTML-escape, quotes included) before it becomes part of any HTML fragment, and every
HTML fragment that goes into JavaScript is JSON-encoded with ``<``, ``>``, ``&`` and ``'`` as
``\\uXXXX`` escapes (folium's ``tojavascript``), so it can neither close the ``<script>`` nor
break out of its string. Folium's own ``Popup`` and ``Tooltip`` paste text into JavaScript
template literals (where ``${...}`` would run); aidroute uses :class:`maps._leaflet.SafePopup`
and :class:`maps._leaflet.SafeTooltip` instead.

Nothing here imports Folium or Jinja when the module loads (a command that writes no page
does not pay for them): the maps' pieces live in :mod:`maps._leaflet`, imported by the
functions that draw a map, and Jinja is loaded with the first template.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import json
import os
import re
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from slugify import slugify

from maps import i18n
from maps.i18n import Language
from maps.privacy import shown_name, shown_phone, tel_href
from maps.words import languages_text, placement_note
from routing.model import Driver, Hub, LatLon, Plan, Route, Stop
from routing.paths import cache_dir
from routing.phones import display_phone

if TYPE_CHECKING:
    import jinja2

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


@functools.cache
def _templates(code: str) -> jinja2.Environment:
    """aidroute's page templates in language ``code``. Compiling them costs more than
    rendering a plan's pages: each is compiled once per process and language, and its
    compiled code (the same in every language: messages are looked up as it runs) kept in
    ``$AIDROUTE_HOME/cache/templates`` for the next run (recompiled when the file changes)."""
    import jinja2

    class QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
        """Jinja's on-disk cache of compiled templates, which a read-only home cannot stop."""

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        folder = cache_dir() / "templates"
        folder.mkdir(exist_ok=True)
        cache: jinja2.BytecodeCache | None = QuietBytecodeCache(str(folder))
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


@contextlib.contextmanager
def templates_from_disk() -> Iterator[None]:
    """While inside, a Jinja template compiled from a string is kept on disk (in
    ``$AIDROUTE_HOME/cache/templates``, next to the page templates' compiled code) and read
    from there by the next run instead of compiled again.

    Folium compiles the templates of its ~60 element classes from strings as it is imported,
    a third of a second that every run paid; :mod:`maps._leaflet` imports it in here. A
    kept template is found by everything its code depends on (its source and name, the
    environment's class and syntax options, the Python and Jinja versions); anything else
    (no cache folder, a damaged file) compiles as usual.
    """
    import marshal

    import jinja2

    compile_now: Callable[..., Any] = jinja2.Environment.compile
    folder: Path | None = None
    with contextlib.suppress(OSError):
        folder = cache_dir() / "templates"
        folder.mkdir(exist_ok=True)

    def compile_kept(
        env: jinja2.Environment,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if folder is None or raw or not isinstance(source, str):
            return compile_now(env, source, name, filename, raw, defer_init)
        options = tuple(repr(getattr(env, option, None)) for option in _CODE_OPTIONS) + tuple(
            sorted(env.extensions)
        )
        key = (source, name, filename, defer_init, type(env).__module__, type(env).__qualname__)
        about = repr((key, options, sys.version, jinja2.__version__))
        path = folder / f"src-{hashlib.sha256(about.encode()).hexdigest()}.code"
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            kept = marshal.loads(path.read_bytes())
            if isinstance(kept, types.CodeType):
                return kept
        code = compile_now(env, source, name, filename, raw, defer_init)
        with contextlib.suppress(OSError, ValueError):
            part = path.with_suffix(f".{os.getpid()}.part")
            part.write_bytes(marshal.dumps(code))
            part.replace(path)  # whole or not at all, should another run read it now
        return code

    jinja2.Environment.compile = compile_kept  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        jinja2.Environment.compile = compile_now  # type: ignore[method-assign]


#: What a Jinja environment's compiled code depends on besides the source. An option whose
#: value prints differently in each process (a function) simply never finds its code kept.
_CODE_OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "autoescape",
    "finalize",
    "is_async",
    "undefined",
    "code_generator_class",
    "context_class",
)


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


@dataclass(frozen=True, slots=True)
class MapParts:
    """A rendered folium map cut into what goes in ``<head>``, ``<body>`` and a ``<script>``."""

    head: str
    body: str
    script: str
    map_var: str


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
