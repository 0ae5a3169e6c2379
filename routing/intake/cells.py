"""Cell values as people write them: counts, time windows, languages, durations,
distances, yes/no flags and lists of names.

Every parser takes the cell's text and returns the value, or ``None`` (or raises
:class:`ValueError`, for :func:`parse_windows`) when the text cannot be read. Reporting a
problem on the row is left to the row readers (:mod:`routing.intake.deliveries`,
:mod:`routing.intake.roster`); :func:`parse_windows` only hands them notes on guesses.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from routing.errors import InputError, InputProblem
from routing.geocoding.normalize import fold
from routing.model import DAY_S, TimeWindow

#: More boxes (or bags) than this for one household is a typo, not a count.
MAX_BOXES = 200
#: More boxes than this in one car (a van, a truck) is a typo, as are more stops.
MAX_CAPACITY = 1_000
MAX_STOPS = 1_000
#: A delivery day at most this many years ahead (a plan is kept until some days after
#: its day), and not before this year.
MAX_YEARS_AHEAD = 2
MIN_YEAR = 2000

_TIME = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p|hrs|h)?"
#: "10-12", "9am to 1pm", "9 a 12": a start and an end (groups: start h, m, am/pm; end h,
#: m, am/pm).
_RANGE = rf"{_TIME}\s*(?:-|to|a|until|till|and|hasta)\s*(?:las )?{_TIME}"
_NAMED_WINDOWS = {
    "morning": (9, 12),
    "manana": (9, 12),
    "la manana": (9, 12),
    "am": (9, 12),
    "afternoon": (12, 17),
    "tarde": (12, 17),
    "la tarde": (12, 17),
    "pm": (12, 17),
    "evening": (17, 20),
    "noche": (17, 21),
    "midday": (11, 13),
    "lunch": (11, 13),
}
#: Words that say "the whole day" (a volunteer's hours: "Anytime Saturday").
_ALL_DAY = frozenset(
    {"anytime", "any time", "all day", "whenever", "flexible", "cualquier hora", "todo el dia"}
)
#: A delivery window that says any time: those, or nothing said ("n/a", "-", "no preference").
_ANYTIME = _ALL_DAY | {"", "any", "n a", "na", "none", "no preference", "-", "x", "any time ok"}


def means_all_day(text: str) -> bool:
    """Whether ``text`` says any time of the day, in words ("Anytime Saturday", "todo el
    día"); not a blank, "n/a" or "-"."""
    t = _WEEKDAYS.sub(" ", fold(text).lower())
    return " ".join(re.sub(r"[^a-z ]", " ", t).split()) in _ALL_DAY


# "Sat 10-12", "Saturday only: 10-12", "sábado 10 a 12": the day is the plan's day.
_WEEKDAYS = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?s?\b\.?|\b(?:saturday|"
    r"wednesday|lunes|martes|miercoles|jueves|viernes|sabado|domingo)\b|\bonly\b|\bsolo\b"
)


def _hour(h: str, m: str | None, ampm: str | None) -> int:
    hour, minute = int(h), int(m or 0)
    if minute > 59 or hour > 24:
        raise ValueError
    tag = (ampm or "").replace(".", "")
    if tag in ("pm", "p") and hour < 12:
        hour += 12
    elif tag in ("am", "a") and hour == 12:
        hour = 0
    return hour * 3600 + minute * 60


def parse_windows(text: str, notes: list[str] | None = None) -> tuple[TimeWindow, ...]:
    """Time windows as people write them -> :class:`TimeWindow` tuple (empty = any time).

    ``"10-12"``, ``"10am-12pm"``, ``"10:00–12:00"``, ``"9:30 to 11"``, ``"after 3pm"``,
    ``"before noon"``, ``"morning"``, ``"de 10 a 12"``, ``"después de las 3"``,
    ``"10-12 or 2-4"``, and a form's choice labels with their hours inside:
    ``"Morning (9-12)"``, ``"Evening: 5-8pm"``, ``"Mañana (9 a 12)"`` (see
    :func:`_label_window`; a label with two different ranges cannot be read).

    Hours without am/pm are read by two rules:

    1. hours 1-7 are afternoon (nobody means 2 a.m.): ``"10-2"`` is 10:00-14:00 and
       ``"11-1"`` 11:00-13:00, read silently since that is how these are always meant;
    2. an end still at or before its start is moved 12 hours later: ``"12-10"`` is
       12:00-22:00, ``"9-9"`` 09:00-21:00. This is a guess (``"12-10"`` may be a typo
       for ``"10-12"``), so a sentence saying how the window was read is appended to
       ``notes`` when a list is given (the importer shows it as a warning).

    Raises :class:`ValueError` when the text cannot be read.
    """
    t = fold(text).strip().lower()
    t = re.sub(r"[\u2012-\u2015\u2212~]", "-", t)
    t = re.sub(r"\bnoon\b|\bmediodia\b|\b12 ?m\b", "12pm", t)
    t = re.sub(r"\bmidnight\b|\bmedianoche\b", "24", t)
    t = _WEEKDAYS.sub(" ", t)
    t = _POLITE.sub(" ", t) if _POLITE.sub("", t).strip() else t  # "please" alone: unread
    t = re.sub(r"\b(despues|antes) del\b", r"\1 de", t)
    t = re.sub(rf"\b({_HOUR})\s*-?ish\b", r"around \1", t)  # "11ish"
    t = re.sub(r"\s+", " ", t).strip(" .:")
    if " ".join(re.sub(r"[^a-z ]", " ", t).split()) in _ANYTIME and not re.search(r"\d", t):
        return ()
    joined = _BETWEEN.sub(lambda m: f"{m['a1'] or m['a2']}".strip() + f"-{m['b1'] or m['b2']}", t)
    found: list[str] = []
    try:
        windows = _windows_or_labels(joined, found)
    except ValueError:
        if joined == t:
            raise
        found = []  # "after 6pm and before 8am": two windows, as written
        windows = _windows_or_labels(t, found)
    if notes is not None:
        notes.extend(found)
    return tuple(windows)


def _windows_or_labels(t: str, found: list[str]) -> list[TimeWindow]:
    try:
        return _parse_spans(t, found)
    except ValueError:
        # Labels of a form's choices, "Morning (9-12)", "Mañana / Morning (9 a 12)", each
        # read as one window; a form joins the boxes ticked with ", ".
        found.clear()
        chunks = [c for c in (x.strip() for x in re.split(r"[,;]", t)) if c]
        if not chunks:
            raise
        return list(dict.fromkeys(w for c in chunks for w in _spans_or_label(c, found)))


#: An hour as written, without groups: "10", "10:30", "2pm", "10h".
_HOUR = r"\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|hrs|h)?"
#: "between 10 and 12", "entre 10 y 12", "after 11 but before 3", "después de las 10 y
#: antes de las 12": one range, read before "and" / "y" split a cell into spans.
_BETWEEN = re.compile(
    rf"\b(?:(?:between|entre)\s+(?:las\s+)?(?P<a1>{_HOUR})\s*(?:and|y|&)\s+(?:las\s+)?"
    rf"(?P<b1>{_HOUR})|(?:after|from|desde|despues de|not before)\s+(?:las\s+)?(?P<a2>{_HOUR})"
    rf"\s*,?\s*(?:and|but|y|pero)\s+(?:before|until|no later than|antes de|hasta)\s+"
    rf"(?:las\s+)?(?P<b2>{_HOUR}))"
)
#: Words of courtesy or preference around a window: "morning please", "de preferencia 10-12".
_POLITE = re.compile(
    r"\b(?:please|pls|por favor|preferably|preferred|ideally|if possible|de preferencia|"
    r"si es posible|si se puede)\b"
)
#: What joins several windows: "10-12 or 2-4", "10-12, 2-4", "de 9 a 11 y de 3 a 5".
_SPANS = re.compile(r"\s*(?:\bor\b|\bo\b|/|;|,|&|\band\b|\by\b)\s*")
#: A range among other words: "Morning (9-12)", "Evening: 5-8pm".
_RANGE_IN_WORDS = re.compile(rf"(?<![\w:.]){_RANGE}(?!\w)")
#: The only words a form's choice label may hold around its hours: parts of the day and
#: week, "any time", "delivery" (English and Spanish). Any other word may turn the hours
#: round ("not 10-12", "I work 9-5", "excepto 2 a 4"): such a label is not read.
_LABEL_WORDS = frozenset(
    re.findall(
        r"\w+",
        "morning mornings afternoon afternoons evening evenings night nights early late midday "
        "any anytime time weekday weekdays weekend weekends delivery preferred slot window "
        "manana mananas tarde tardes noche noches temprano cualquier hora horario entrega "
        "la las el los de del por en in the at",
    )
)
#: Words that put hours written without am/pm after noon ("Evening (6-9)") or before it
#: ("Morning (7-10)").
_LATE_WORDS = frozenset(
    re.findall(
        r"\w+", "afternoon afternoons evening evenings night nights tarde tardes noche noches"
    )
)
_EARLY_WORDS = frozenset({"morning", "mornings", "manana", "mananas", "temprano"})


def _label_window(t: str, notes: list[str]) -> TimeWindow | None:
    """The hours in a label such as a form's choice (``"Morning (9-12)"``,
    ``"Afternoon (1pm - 4pm)"``, ``"Tarde (2-5 pm)"``): the range decides, not the word
    (``"Morning (1-4pm)"`` is 13:00-16:00), but hours written without am/pm take the
    word's half of the day (``"Evening (6-9)"`` is 18:00-21:00, ``"Morning (7-10)"``
    07:00-10:00).

    ``None`` when ``t`` holds no readable range, two different ones, other numbers, a word
    that is not a part of the day or week (``"not 10-12"``), or an evening that ends at 12
    (midnight or noon: not guessed).
    """
    matches = list(_RANGE_IN_WORDS.finditer(t))
    rest = _RANGE_IN_WORDS.sub(" ", t)
    words = set(re.findall(r"[a-z]+", rest))
    if not matches or re.search(r"\d", rest) or not words <= _LABEL_WORDS:
        return None
    late = bool(words & _LATE_WORDS) and not words & _EARLY_WORDS
    early = bool(words & _EARLY_WORDS) and not words & _LATE_WORDS
    found: list[str] = []
    windows = set()
    for m in matches:
        text = m.group(0)
        start, start_min, start_ampm, end, end_min, end_ampm = m.groups()
        if start_ampm is None and end_ampm is None and (late or early):
            sh, eh = int(start), int(end)
            if late and eh == 12:
                return None
            if late:
                text = f"{start}{':' + start_min if start_min else ''}pm-{end}"
                text += f"{':' + end_min if end_min else ''}pm"
            elif sh != 12:
                after_noon = eh == 12 or eh < sh
                text = f"{start}{':' + start_min if start_min else ''}am-{end}"
                text += f"{':' + end_min if end_min else ''}{'pm' if after_noon else 'am'}"
        try:
            windows.add(_parse_one_window(text, found))
        except ValueError:
            return None
    if len(windows) != 1:
        return None
    notes.extend(found)
    return windows.pop()


def _parse_spans(t: str, notes: list[str]) -> list[TimeWindow]:
    """``"10-12 or 2-4"`` -> its windows; raises ValueError when one cannot be read."""
    parts = [p for p in (x.strip() for x in _SPANS.split(t)) if p]
    if not parts:
        raise ValueError(t)
    return [_parse_one_window(part, notes) for part in parts]


def _spans_or_label(t: str, notes: list[str]) -> list[TimeWindow]:
    found: list[str] = []
    try:
        windows = _parse_spans(t, found)
    except ValueError:
        found = []
        label = _label_window(t, found)
        if label is None:
            raise
        windows = [label]
    notes.extend(found)
    return windows


def _parse_one_window(t: str, notes: list[str] | None = None) -> TimeWindow:
    # "in the morning", "por la tarde", "mornings": the named part of the day.
    named = re.sub(r"^(?:in the|por la|en la|por las|en las|durante la)\s+", "", t)
    named = re.sub(r"(?<=[a-z]{4})s$", "", named)
    if named in _NAMED_WINDOWS:
        t = named
    if t in _NAMED_WINDOWS:
        a, b = _NAMED_WINDOWS[t]
        return TimeWindow(a * 3600, b * 3600)
    m = re.fullmatch(
        rf"(?:after|from|desde|despues de(?: las)?|a partir de(?: las)?|not before)"
        rf"\s*{_TIME}",
        t,
    )
    if m:
        return TimeWindow(_guess_pm(_hour(*m.groups()), m.group(3)), DAY_S)
    m = re.fullmatch(
        rf"(?:before|by|until|till|antes de(?: las)?|hasta(?: las)?|no later than)"
        rf"\s*{_TIME}",
        t,
    )
    if m:
        return TimeWindow(0, _guess_pm(_hour(*m.groups()), m.group(3)))
    m = re.fullmatch(rf"(?:de |from |between )?(?:las )?{_RANGE}", t)
    if m:
        g = m.groups()
        start_ampm, end_ampm = g[2], g[5]
        if start_ampm is None and end_ampm in ("pm", "p", "p.m."):
            # "10-12pm": 10 is a.m. when 10 < 12, "1-3pm": both p.m.
            h = int(g[0])
            start_ampm = "pm" if h < int(g[3]) < 12 else None
        start = _hour(g[0], g[1], start_ampm)
        end = _hour(g[3], g[4], end_ampm)
        if start_ampm is None:
            start = _guess_pm(start, None)
        if end_ampm is None:
            end = _guess_pm(end, None)
            if end <= start and end + 12 * 3600 > start:
                end += 12 * 3600  # "12-10" is 12:00-22:00: said, since it may be a typo
                if notes is not None:
                    notes.append(_shifted_note(t, start, end))
        return TimeWindow(start, end)
    m = re.fullmatch(rf"(?:at |around |about |a las |~)?{_TIME}", t)
    if m and (m.group(3) or m.group(2) or t.startswith(("at", "around", "about", "a las"))):
        # "around 11": an hour either side.
        mid = _guess_pm(_hour(*m.groups()), m.group(3))
        return TimeWindow(max(0, mid - 3600), mid + 3600)
    raise ValueError(t)


def _ampm(seconds: int) -> str:
    """``50400`` -> ``"2pm"``, ``45000`` -> ``"12:30pm"``."""
    h, m = divmod(seconds // 60 % (24 * 60), 60)
    text = f"{(h - 1) % 12 + 1}" + (f":{m:02d}" if m else "")
    return text + ("am" if h < 12 else "pm")


def _shifted_note(t: str, start: int, end: int) -> str:
    window = TimeWindow(start, end)
    return (
        f"{t!r} read as {window} (the end taken 12 hours later); write "
        f"{_ampm(start)}-{_ampm(end)} or {window} to be sure"
    )


def _guess_pm(seconds: int, ampm: str | None) -> int:
    """Hours 1-7 with no am/pm are afternoon: deliveries happen in the day."""
    if ampm is None and 1 * 3600 <= seconds < 8 * 3600:
        return seconds + 12 * 3600
    return seconds


_LANGUAGES = {
    "en": "english ingles eng anglais",
    "es": "spanish espanol castellano spa espagnol",
    "ht": "haitian creole kreyol creole haitian kreyol ayisyen haitiano criollo",
    "fr": "french francais frances",
    "bn": "bengali bangla bengalí",
    "hi": "hindi",
    "ur": "urdu",
    "pa": "punjabi panjabi",
    "zh": "chinese mandarin cantonese chino",
    "ko": "korean coreano",
    "ru": "russian ruso",
    "ar": "arabic arabe",
    "pt": "portuguese portugues",
    "pl": "polish polaco",
    "tl": "tagalog filipino",
    "vi": "vietnamese",
    "yi": "yiddish",
    "el": "greek griego",
    "it": "italian italiano",
    "ja": "japanese japones",
    "de": "german aleman deutsch",
    "gu": "gujarati",
    "ne": "nepali",
    "ta": "tamil",
    "te": "telugu",
    "fa": "farsi persian",
    "he": "hebrew",
    "sw": "swahili",
    "so": "somali",
    "am": "amharic",
    "uk": "ukrainian",
    "tr": "turkish",
    "yo": "yoruba",
    "ig": "igbo",
    "jam": "patois jamaican patois",
}
_LANGUAGE_CODES: dict[str, str] = {}
for _code, _names in _LANGUAGES.items():
    _LANGUAGE_CODES[_code] = _code
    _LANGUAGE_CODES.update(dict.fromkeys(_names.split(), _code))
_LANGUAGE_CODES.update(
    {"haitian creole": "ht", "kreyol ayisyen": "ht", "creole": "ht", "jamaican patois": "jam"}
)
# Native scripts people type.
_LANGUAGE_CODES.update(
    {
        "বাংলা": "bn",
        "中文": "zh",
        "한국어": "ko",
        "русский": "ru",
        "عربي": "ar",
        "العربية": "ar",
        "اردو": "ur",
        "ਪੰਜਾਬੀ": "pa",
        "हिन्दी": "hi",
        "हिंदी": "hi",
    }
)


def parse_languages(text: str) -> list[str]:
    """``"Haitian Creole, English"`` -> ``["ht", "en"]``; unknown names kept, lower case."""
    out: list[str] = []
    for part in re.split(r"[,;/&+|]|\band\b|\by\b", str(text)):
        raw = part.strip()
        if not raw:
            continue
        key = " ".join(fold(raw).replace("(", " ").replace(")", " ").split())
        code = _LANGUAGE_CODES.get(raw.lower()) or _LANGUAGE_CODES.get(key)
        if code is None:
            words = key.split()
            code = next(
                (_LANGUAGE_CODES[w] for w in words if w in _LANGUAGE_CODES and len(w) > 2), None
            )
        code = code or key
        if code not in out:
            out.append(code)
    return out


def only_digits(text: str) -> str:
    """``"(718) 555-0101"`` -> ``"7185550101"``."""
    return re.sub(r"\D", "", str(text))


def parse_float(text: str) -> float | None:
    """``"40.71"``, ``"40,71"`` -> 40.71; ``None`` when not a finite number."""
    try:
        v = float(str(text).strip().replace(",", "."))
    except ValueError:
        return None
    return v if v == v and abs(v) != float("inf") else None


def is_yes(text: str) -> bool:
    """``"yes"``, ``"x"``, ``"sí"``, ``"urgent"``, ``"high"`` -> ``True``; else ``False``."""
    return fold(text).strip() in {
        "y",
        "yes",
        "true",
        "1",
        "x",
        "si",
        "urgent",
        "high",
        "urgente",
        "alta",
        "priority",
    }


_NUM = r"(\d+(?:[.,]\d+)?|[.,]\d+)"
_MINUTE_UNITS = r"m|min|mins|minute|minutes|minuto|minutos|mn"
_HOUR_UNITS = r"h|hr|hrs|hour|hours|hora|horas"


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_duration_min(text: str, default_unit: Literal["min", "h"] = "min") -> float | None:
    """A duration as people write it -> minutes, or ``None`` when it cannot be read.

    ``"90"``, ``"90 min"``, ``"1.5 h"``, ``"1,5 horas"``, ``"1h30"``, ``"1 hr 30 min"``,
    ``"1:30"`` (hours:minutes) -> 90. A bare number is in ``default_unit`` (``"h"``
    when the column's header says hours).
    """
    t = " ".join(fold(text).strip().split())
    m = re.fullmatch(rf"{_NUM}\s*(?:({_MINUTE_UNITS})|({_HOUR_UNITS}))?\.?", t)
    if m:
        value = _number(m.group(1))
        hours = m.group(3) is not None or (m.group(2) is None and default_unit == "h")
        return value * 60 if hours else value
    m = re.fullmatch(
        rf"(\d+)\s*(?:{_HOUR_UNITS})\s*(?:and\s*|y\s*)?(\d{{1,2}})\s*"
        rf"(?:{_MINUTE_UNITS})?\.?",
        t,
    )
    if m is None:
        m = re.fullmatch(r"(\d+):(\d{2})", t)
    if m and int(m.group(2)) < 60:
        return int(m.group(1)) * 60 + int(m.group(2))
    return None


_KM_UNITS = r"km|kms|k|kilometer|kilometers|kilometre|kilometres|kilometro|kilometros"
_MILE_UNITS = r"mi|mile|miles|milla|millas"
_METRE_UNITS = r"meter|meters|metre|metres|metro|metros"
#: Metres in a statute mile.
MILE_M = 1609.344


def parse_distance_km(text: str, default_unit: Literal["km", "mi"] = "km") -> float | None:
    """A distance as people write it -> kilometres, or ``None`` when it cannot be read.

    ``"25"``, ``"25 km"``, ``"25km"``, ``"2500 metres"`` -> 25 (for the last: 2.5); miles
    are converted: ``"10 miles"``, ``"10 mi"`` -> 16.09. A bare number is in
    ``default_unit`` (``"mi"`` when the column's header says miles).
    """
    t = " ".join(fold(text).strip().split())
    m = re.fullmatch(rf"{_NUM}\s*(?:({_KM_UNITS})|({_MILE_UNITS})|({_METRE_UNITS}))?\.?", t)
    if m is None:
        return None
    value = _number(m.group(1))
    if m.group(4):
        return value / 1000
    if m.group(3) or (m.group(2) is None and default_unit == "mi"):
        return value * MILE_M / 1000
    return value


_FLAG_NO = {
    "n",
    "no",
    "false",
    "0",
    "none",
    "nope",
    "-",
    "no stairs",
    "sin escaleras",
    "elevator",
    "has elevator",
    "lift",
    "has lift",
    "ascensor",
    "con ascensor",
    "elevador",
    "hay ascensor",
    "ground floor",
    "planta baja",
    "n a",
    "na",
}
_FLAG_YES = {
    "y",
    "yes",
    "true",
    "x",
    "si",
    "yes stairs",
    "stairs",
    "walk up",
    "walkup",
    "no elevator",
    "no lift",
    "sin ascensor",
    "sin elevador",
    "escaleras",
    "escalera",
    "steps",
}


def parse_flag(text: str) -> bool | None:
    """A yes/no cell -> ``True``/``False``; ``None`` when it says neither.

    ``"yes"``, ``"x"``, ``"sí"``, ``"walk-up"``, ``"no elevator"``, a number of floors or
    flights (``"3"``) -> ``True``; ``"no"``, ``"0"``, ``"elevator"``, ``"planta baja"``
    -> ``False``. Blank is ``False``.
    """
    if text.strip() in ("\u2713", "\u2714", "\u2611"):  # check marks
        return True
    t = " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())
    if not t or t in _FLAG_NO:
        return False
    if t in _FLAG_YES or re.fullmatch(r"[1-9]\d?", t):
        return True
    if re.search(
        r"\b(stairs|walk up|walkup|no elevator|sin ascensor|escaleras|flights?)\b", t
    ) and not re.search(r"\b(no|sin) (stairs|escaleras)\b", t):
        return True
    return None


def parse_tags(text: str) -> frozenset[str]:
    """``"Wheelchair; Spanish / lift"`` -> ``{"wheelchair", "spanish", "lift"}``: lower case."""
    return frozenset(x for x in (s.strip().lower() for s in re.split(r"[,;/]", text)) if x)


def parse_names(text: str) -> frozenset[str]:
    """``"Ana; Marcus / d7"`` -> ``{"Ana", "Marcus", "d7"}``: names or ids as written."""
    return frozenset(x for x in (p.strip() for p in re.split(r"[,;/]", str(text))) if x)


def check_plan_date(text: str, field: str = "--date", today: dt.date | None = None) -> str:
    """The delivery day ``"2026-11-28"`` as given, once checked: a real day, from
    :data:`MIN_YEAR` to :data:`MAX_YEARS_AHEAD` years after ``today``.

    Raises :class:`InputError` naming ``field``, with what was expected.
    """
    text = str(text).strip()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            InputProblem(field, text, "expected a day as YYYY-MM-DD, such as 2026-11-28")
        ) from None
    check_plan_day(day, field, today)
    return day.isoformat()


def check_plan_day(day: dt.date, field: str = "date", today: dt.date | None = None) -> None:
    """Raise :class:`InputError` when ``day`` is before :data:`MIN_YEAR` or more than
    :data:`MAX_YEARS_AHEAD` years after ``today``."""
    today = today or dt.date.today()
    if not MIN_YEAR <= day.year <= today.year + MAX_YEARS_AHEAD:
        raise InputError(
            InputProblem(
                field,
                day.isoformat(),
                f"expected a delivery day from {MIN_YEAR} to {today.year + MAX_YEARS_AHEAD}",
            )
        )
