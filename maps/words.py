"""How a plan's codes are said to people: language names, phone numbers, placements, reasons.

The model keeps what a machine compares: language codes (``"bn"``), phone numbers as typed,
reason codes (``"outside_all_hours"``), placement precisions (``"street"``). Everything a
person reads goes through here first: ``"Bengali"``, ``"(718) 555-0155"`` (dialled as
``tel:+17185550155``), "its time window meets no driver's hours", "placed on the street
only". Names of languages come from the Unicode CLDR through Babel, in English for now.
"""

from __future__ import annotations

import functools
import re

from babel import Locale, UnknownLocaleError

from routing.model import REASONS

#: Where CLDR's English name is not the one the groups and their households use: CLDR has
#: said "Bangla" since 2019; US agencies (the Census, New York City's language access
#: services) and the people of Queens say "Bengali".
_PREFERRED = {"bn": "Bengali"}

_TAG = re.compile(r"^([a-z]{2,3})(?:[-_]([a-z]{4}))?(?:[-_]([a-z]{2}|\d{3}))?$", re.I)


@functools.cache
def _english() -> Locale:
    return Locale("en")


@functools.cache
def language_name(code: str) -> str:
    """``"bn"`` -> ``"Bengali"``, ``"ht"`` -> ``"Haitian Creole"``, ``"es-MX"`` ->
    ``"Spanish (Mexico)"``; a value that is not a language code is shown as written, with a
    capital (``"tigrinya"`` -> ``"Tigrinya"``)."""
    text = str(code).strip()
    m = _TAG.match(text)
    if m is None:
        return text[:1].upper() + text[1:]
    language, script, region = m.group(1).lower(), m.group(2), m.group(3)
    try:
        en = _english()
    except UnknownLocaleError:  # pragma: no cover - Babel ships English
        return text
    name = _PREFERRED.get(language) or en.languages.get(language)
    if name is None:
        return text[:1].upper() + text[1:]
    extra = [
        part
        for part in (
            en.scripts.get(script.title()) if script else None,
            en.territories.get(region.upper()) if region else None,
        )
        if part
    ]
    return f"{name} ({', '.join(extra)})" if extra else name


def languages_text(text: str) -> str:
    """A cell of one or more codes, as names: ``"es, en"`` -> ``"Spanish, English"``."""
    parts = [p.strip() for p in re.split(r"[,;/|]", str(text or "")) if p.strip()]
    return ", ".join(dict.fromkeys(language_name(p) for p in parts))


#: Placement precisions that put a pin near, not at, the door.
APPROXIMATE = ("street", "interpolated")


def placement_note(precision: str) -> str:
    """What a driver or a dispatcher should know about where a pin is; ``""`` when it is at
    the door (or given as coordinates)."""
    if precision == "street":
        return "placed on the street only (the house number was not found): check the address"
    if precision == "interpolated":
        return "placed between the known house numbers of the street: the door may be a little off"
    return ""


def reason_text(reason: str, message: str = "") -> str:
    """Why a stop is in no route, in words: the solver's sentence, never its code.

    A message that starts with its code (``"outside_all_hours: ..."``) loses the code.
    """
    text = (message or "").strip()
    prefix = f"{reason}:"
    if text.startswith(prefix):
        text = text[len(prefix) :].strip()
    text = text or REASONS.get(reason, "") or reason.replace("_", " ")
    return text[:1].upper() + text[1:]
