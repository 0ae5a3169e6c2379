"""The languages aidroute's pages speak: gettext catalogs, choosing a page's language, and
numbers, dates and times as that language writes them.

English is the source: every message id is the English text, so English needs no catalog.
Each other language has ``maps/locale/<code>/LC_MESSAGES/aidroute.po``, read here when first
needed (a few milliseconds, once per process). No compiled ``.mo`` file is kept: a binary
built from the ``.po`` could fall out of step with it, and the package would need a build
step that an editable install skips.

- :func:`language` -> :class:`Language`: a page's messages (``gettext``, ``ngettext``) and
  formats (``number``, ``decimal``, ``time``, ``window``, ``date``), in the page's language
  and the area's conventions (Spanish in the US writes "14.3", in Spain "14,3").
- :func:`translations` -> the catalog of a language, as ``babel.support.Translations``.
- :func:`negotiate` -> the language of a browser's ``Accept-Language`` that aidroute writes.
- :func:`default_language` -> the language the environment asks for (``AIDROUTE_LANGUAGE``,
  then the POSIX ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.
- :func:`environment` -> a Jinja environment with the ``i18n`` extension, for templates.
- :func:`N_` marks a constant message for extraction; :func:`extract_constants` is the Babel
  extraction method that finds the core's sentences (``routing.model.REASONS``).

Messages take their values by name, ``%(name)s``, in Python and in templates alike:
``lang.gettext("Load at %(hub)s", hub=hub.name)``; ``ngettext`` also gives ``num``.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import functools
import io
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from routing.errors import InputError, InputProblem
from routing.model import DAY_S, PAGE_LANGUAGES, TimeWindow

if TYPE_CHECKING:
    import jinja2

#: The message domain: ``maps/locale/<code>/LC_MESSAGES/aidroute.po``.
DOMAIN = "aidroute"
#: The language of the message ids.
SOURCE = "en"
#: The languages aidroute writes pages in.
SUPPORTED: tuple[str, ...] = PAGE_LANGUAGES
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark, translate later"
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


def code_of(text: str | None) -> str | None:
    """The language aidroute writes that ``text`` names, or None: ``"es_MX.UTF-8"``,
    ``"es-MX"``, ``"ES"`` -> ``"es"``; ``"C"``, ``"fr"``, ``""`` -> None."""
    base = re.split(r"[-_.@:]", str(text or "").strip().lower(), maxsplit=1)[0]
    return base if base in SUPPORTED else None


def catalog_path(code: str) -> Path:
    """Where the catalog of ``code`` lives (English, the source, has none)."""
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(code: str) -> Translations:
    """The messages of ``code`` (one of :data:`SUPPORTED`); English gives an empty catalog,
    which answers every message with itself. Entries marked fuzzy (unchecked) are left out.

    Raises
    ------
    ValueError
        When aidroute has no pages in ``code``.
    """
    if code not in SUPPORTED:
        raise ValueError(f"no pages in {code!r}: aidroute writes {', '.join(SUPPORTED)}")
    if code == SOURCE:
        return Translations(domain=DOMAIN)
    with catalog_path(code).open("rb") as po:
        catalog = read_po(po, locale=code, domain=DOMAIN)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


@functools.lru_cache(maxsize=4096)
def _clock(locale: Locale, hours: int, minutes: int) -> str:
    """A time of day as ``locale`` writes it: Babel takes longer than a page's other work
    per time, and a plan's pages write each arrival up to eight times."""
    return format_skeleton("Hm", dt.time(hours, minutes), locale=locale)


@dataclass(frozen=True, eq=False)
class Language:
    """One page's language: its messages, and how it writes numbers, dates and times."""

    #: The language's code, as ``<html lang>`` takes it: "en", "es".
    code: str
    #: The language with the area's country, for formats: "es_US".
    locale: Locale
    translations: Translations

    def gettext(self, message: str, /, **values: object) -> str:
        """``message`` in this language, with ``%(name)s`` filled from ``values``."""
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The form of ``singular``/``plural`` this language uses for ``n``; ``%(num)s`` is
        ``n`` written as this language writes numbers."""
        text = self.translations.ngettext(singular, plural, n)
        return text % {"num": self.number(n), **values}

    def number(self, value: int) -> str:
        """A count: ``1234`` -> ``"1,234"`` (English), ``"1234"`` (Spanish)."""
        return format_decimal(value, locale=self.locale)

    def decimal(self, value: float, places: int = 1) -> str:
        """``14.25`` -> ``"14.3"`` in English, ``"14,3"`` in Spanish (``"14.3"`` in the US)."""
        pattern = "#,##0." + "0" * places if places > 0 else "#,##0"
        return format_decimal(value, format=pattern, locale=self.locale)

    def time(self, seconds: float) -> str:
        """A time of day on the 24-hour clock, as the language writes it: ``"09:13"`` in
        English, ``"9:13"`` in Spanish. Past midnight it keeps counting (``"24:15"``)."""
        hours, minutes = divmod(round(seconds / 60), 60)
        if 0 <= hours < 24:
            return _clock(self.locale, hours, minutes)
        return f"{hours}:{minutes:02d}"

    def window(self, window: TimeWindow) -> str:
        """``"10:00-12:00"`` (English), ``"10:00-12:00"`` / ``"9:00-11:00"`` (Spanish); a
        window open at one end as a spreadsheet said it ("before noon", "after 3pm"):
        ``"before 12:00"``, ``"after 15:00"`` rather than from or to midnight."""
        opens, closes = window.start_s <= 0, window.end_s >= DAY_S
        if opens and closes:
            return self.gettext("any time")
        if opens:
            return self.gettext("before %(time)s", time=self.time(window.end_s))
        if closes:
            return self.gettext("after %(time)s", time=self.time(window.start_s))
        return f"{self.time(window.start_s)}-{self.time(window.end_s)}"

    def date(self, iso: str | dt.date | None, format: str = "full") -> str:
        """An ISO day in words: ``"2026-11-28"`` -> ``"Saturday, November 28, 2026"``,
        ``"sábado, 28 de noviembre de 2026"``; ``format`` is ``full``, ``long``, ``medium``,
        ``short`` or a CLDR skeleton (``"MMMMEEEEd"``); a :class:`datetime.date` as well.
        ``""`` for no day; a text that is no ISO day is returned as it is."""
        if not iso:
            return ""
        try:
            day = dt.date.fromisoformat(str(iso))
        except ValueError:
            return str(iso)
        if format in ("full", "long", "medium", "short"):
            return format_date(day, format, locale=self.locale)
        return format_skeleton(format, day, locale=self.locale)


def language(code: str | None = None, region: str | None = None) -> Language:
    """The :class:`Language` of ``code`` (None or a language aidroute does not write:
    English), writing numbers and dates as people do in ``region`` (ISO 3166: "US") when
    CLDR knows the pair. One object per language and area, made once."""
    territory = region.upper() if region and re.fullmatch(r"[A-Za-z]{2}|\d{3}", region) else None
    return _language(code_of(code) or SOURCE, territory)


@functools.cache
def _language(code: str, territory: str | None) -> Language:
    locale = Locale(code)
    if territory:
        # No such pair in CLDR (English in Mexico): the language's own formats.
        with contextlib.suppress(UnknownLocaleError):
            locale = Locale(code, territory=territory)
    return Language(code, locale, translations(code))


#: Longest Accept-Language header read, and most languages in it: a header is input.
_MAX_HEADER, _MAX_RANGES = 1000, 40


def negotiate(
    accept_language: str | None,
    supported: Sequence[str] = SUPPORTED,
    default: str = SOURCE,
) -> str:
    """The first language of a browser's ``Accept-Language`` header, by preference, that
    is in ``supported``: ``"es-MX,es;q=0.9,en;q=0.8"`` -> ``"es"``; ``default`` when none
    is (or the header is missing or unreadable)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(str(accept_language or "")[:_MAX_HEADER].split(",")[:_MAX_RANGES]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        weight = re.search(r"q\s*=\s*([01](?:\.\d{0,3})?)", params)
        if params.strip() and weight is None:
            continue
        if weight:
            q = float(weight.group(1))
        if tag.strip() and q > 0:
            ranked.append((-q, i, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        base = tag.split("-")[0]
        if base in supported:
            return base
    return default


#: Where the environment says which language to use, first found first.
_ENVIRONMENT = ("AIDROUTE_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: ``AIDROUTE_LANGUAGE``, then the POSIX
    variables (``LANGUAGE`` may list several: ``"es:en"``), the first that aidroute writes;
    English when none does.

    Raises
    ------
    InputError
        When ``AIDROUTE_LANGUAGE`` names a language aidroute does not write (a desktop in
        French is no mistake: English it is).
    """
    env = os.environ if environ is None else environ
    chosen = env.get(_ENVIRONMENT[0], "").strip()
    if chosen and code_of(chosen) is None:
        reason = f"aidroute writes pages in {', '.join(SUPPORTED)}"
        raise InputError(InputProblem(_ENVIRONMENT[0], chosen, reason))
    for name in _ENVIRONMENT:
        for value in env.get(name, "").split(":"):
            if code := code_of(value):
                return code
    return SOURCE


def environment(code: str, loader: jinja2.BaseLoader, **options: Any) -> jinja2.Environment:
    """A Jinja environment for templates in ``code``: autoescaping, the ``i18n``
    extension with ``_``, ``gettext`` and ``ngettext`` (new style: ``_("%(n)s", n=1)``
    escapes ``n``), and ``{% trans %}`` blocks trimmed as the extraction reads them.
    ``options`` go to :class:`jinja2.Environment`. Render with ``lang=language(code, ...)``
    for numbers and dates."""
    import jinja2

    env = jinja2.Environment(
        loader=loader, autoescape=True, extensions=["jinja2.ext.i18n"], **options
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(code), newstyle=True)  # type: ignore[attr-defined]
    return env


def extract_constants(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Sequence[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """A Babel extraction method: the texts of the module-level dicts named by the
    ``names`` option (``"REASONS"``), sentences the core keeps that pages show translated.

    The core (``routing``) knows nothing of languages; its fixed sentences are found here,
    where they are written, so that a new one is a message to translate at once.
    """
    names = {n.strip() for n in str(options.get("names", "")).split(",") if n.strip()}
    tree = ast.parse(fileobj.read())
    for node in tree.body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign):
            target, table = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, table = node.targets[0], node.value
        else:
            continue
        if not (isinstance(target, ast.Name) and target.id in names):
            continue
        if not isinstance(table, ast.Dict):
            continue
        for key, value in zip(table.keys, table.values, strict=True):
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                where = f"{target.id}[{ast.literal_eval(key) if key else ''}]"
                yield value.lineno, "", value.value, [where]
