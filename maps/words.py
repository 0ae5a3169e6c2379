"""How a plan's codes are said to people: language names, placements, reasons, statuses.

The model keeps what a machine compares: language codes (``"bn"``), reason codes
(``"outside_all_hours"``), placement precisions (``"street"``), stop statuses
(``"not_home"``). Everything a person reads goes through here first, in the page's language
(:class:`maps.i18n.Language`, English when none is given): ``"Bengali"`` / ``"bengalí"``,
"its time window meets no driver's hours", "placed on the street only", "Nobody was home" /
"No había nadie". Names of languages come from the Unicode CLDR through Babel.
"""

from __future__ import annotations

import functools
import re

from babel import Locale

from maps.i18n import N_, Language, language
from routing.model import REASONS

#: Where CLDR's English name is not the one the groups and their households use: CLDR has
#: said "Bangla" since 2019; US agencies (the Census, New York City's language access
#: services) and the people of Queens say "Bengali".
_PREFERRED = {"en": {"bn": "Bengali"}}

_TAG = re.compile(r"^([a-z]{2,3})(?:[-_]([a-z]{4}))?(?:[-_]([a-z]{2}|\d{3}))?$", re.I)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@functools.cache
def language_name(code: str, lang: Language | None = None) -> str:
    """``"bn"`` -> ``"Bengali"``, ``"ht"`` -> ``"Haitian Creole"``, ``"es-MX"`` ->
    ``"Spanish (Mexico)"``, in ``lang`` (Spanish: ``"bengalí"``, ``"criollo haitiano"``,
    ``"español (México)"``); a value that is not a language code is shown as written, with a
    capital (``"tigrinya"`` -> ``"Tigrinya"``)."""
    text = str(code).strip()
    m = _TAG.match(text)
    if m is None:
        return _capital(text)
    language_code, script, region = m.group(1).lower(), m.group(2), m.group(3)
    said = (lang or language()).code
    names = Locale(said)
    name = _PREFERRED.get(said, {}).get(language_code) or names.languages.get(language_code)
    if name is None:
        return _capital(text)
    extra = [
        part
        for part in (
            names.scripts.get(script.title()) if script else None,
            names.territories.get(region.upper()) if region else None,
        )
        if part
    ]
    return f"{name} ({', '.join(extra)})" if extra else name


def languages_text(text: str, lang: Language | None = None) -> str:
    """A cell of one or more codes, as names: ``"es, en"`` -> ``"Spanish, English"``."""
    parts = [p.strip() for p in re.split(r"[,;/|]", str(text or "")) if p.strip()]
    return ", ".join(dict.fromkeys(language_name(p, lang) for p in parts))


#: Placement precisions that put a pin near, not at, the door.
APPROXIMATE = ("street", "interpolated")


def placement_note(precision: str, lang: Language | None = None) -> str:
    """What a driver or a dispatcher should know about where a pin is; ``""`` when it is at
    the door (or given as coordinates)."""
    lang = lang or language()
    if precision == "street":
        return lang.gettext(
            "placed on the street only (the house number was not found): check the address"
        )
    if precision == "interpolated":
        return lang.gettext(
            "placed between the known house numbers of the street: the door may be a little off"
        )
    return ""


def reason_text(reason: str, message: str = "", lang: Language | None = None) -> str:
    """Why a stop is in no route, in words: the solver's sentence, never its code.

    A message that starts with its code (``"outside_all_hours: ..."``) loses the code. In
    another language than English, a sentence with no translation (the solver's own, with
    its figures) gives way to the reason's translated sentence: see :func:`reason_detail`.
    """
    lang = lang or language()
    text = _message(reason, message)
    said = lang.gettext(text) if text else ""
    if lang.code != "en" and said == text and reason in REASONS:
        said = lang.gettext(REASONS[reason])
    return _capital(said or text or reason.replace("_", " "))


def reason_detail(reason: str, message: str = "", lang: Language | None = None) -> str:
    """The solver's own sentence when :func:`reason_text` in ``lang`` could not say it
    (it stays English for now: its figures are written into it), else ``""``."""
    lang = lang or language()
    text = _message(reason, message)
    if lang.code == "en" or not text or lang.gettext(text) != text or reason not in REASONS:
        return ""
    return _capital(text)


def _message(reason: str, message: str) -> str:
    text = (message or "").strip()
    prefix = f"{reason}:"
    if text.startswith(prefix):
        text = text[len(prefix) :].strip()
    return text or REASONS.get(reason, "")


#: What a driver reports about a stop, by code: what the driver's page and the dispatcher's
#: list say.
STATUSES: dict[str, str] = {
    "pending": N_("Not yet"),
    "delivered": N_("Delivered"),
    "not_home": N_("Nobody was home"),
    "refused": N_("Refused"),
}


def status_text(status: str, lang: Language | None = None) -> str:
    """``"not_home"`` -> ``"Nobody was home"`` (``"No había nadie"``); an unknown code as
    written."""
    said = STATUSES.get(status)
    return (lang or language()).gettext(said) if said else status
