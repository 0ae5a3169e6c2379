"""Address normalisation shared by the offline geocoder and the spreadsheet importer.

Nothing here knows a city. Both the address table and what people type go through the
same many-to-one canonical form, so it does not matter which side abbreviates:

- case, accents and punctuation: ``"Avenida Convención, 1914"`` -> ``"av convencion 1914"``;
- street types and their abbreviations, English, Spanish, German and French:
  ``Street/St``, ``Avenue/Ave/Av/Avenida/Avda``, ``Boulevard/Blvd``, ``Calle/C``,
  ``Straße/Strasse/Str.`` (also glued on: ``Hauptstr.`` -> ``haupt st``) ...;
- directions: ``North/N/Norte``, ``East/E/Oriente/Ote`` ...;
- ordinals: ``109th``, ``1st``, ``1a``, ``1º``, ``first`` -> ``109``, ``1``;
- house numbers: ``"203-06"``, ``"20306"`` and ``"203 - 06"`` share the key ``"20306"``;
- units: ``Apt 3B``, ``#3B``, ``Unit 2``, ``2nd floor``, ``Basement``, ``Depto 4`` are pulled
  out of the address into their own field;
- trailing place names and postcodes (``", Queens, NY 11429"``) are split off.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Every spelling of a street type, keyed to one canonical token.
STREET_TYPES: dict[str, str] = {}
for _canon, _spellings in {
    "st": "st street str strt stret strasse strabe",
    "av": "av ave avenue avn avnue aven avenida avda avd",
    "blvd": "blvd boulevard boul bvd blv bulevar blvr",
    "rd": "rd road",
    "pl": "pl place plaza",
    "dr": "dr drive doctor",
    "ln": "ln lane",
    "ct": "ct court crt",
    "pkwy": "pkwy parkway pky",
    "ter": "ter terr terrace",
    "tpke": "tpke turnpike tpk",
    "hwy": "hwy highway",
    "cir": "cir circle",
    "sq": "sq square",
    "expy": "expy expressway",
    "way": "way wy",
    "cres": "cres crescent",
    "aly": "aly alley",
    "trl": "trl trail",
    "calle": "calle cll c",
    "calz": "calz calzada",
    "carr": "carr carretera",
    "prol": "prol prolongacion",
    "priv": "priv privada",
    "cjon": "cjon callejon",
    "cto": "cto circuito",
    "ret": "ret retorno",
    "paseo": "paseo pso",
    "weg": "weg",
    "gasse": "gasse",
    "platz": "platz",
    "rue": "rue",
    "chemin": "chemin",
}.items():
    for _s in _spellings.split():
        STREET_TYPES[_s] = _canon
#: Canonical tokens that count as a street's type when they open or close its name.
TYPE_TOKENS = frozenset(STREET_TYPES.values())

_OTHER_WORDS: dict[str, str] = {
    "north": "n",
    "norte": "n",
    "south": "s",
    "sur": "s",
    "east": "e",
    "este": "e",
    "oriente": "e",
    "ote": "e",
    "west": "w",
    "oeste": "w",
    "poniente": "w",
    "pte": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
    "saint": "st",
    "san": "san",
    "mount": "mt",
    "mt": "mt",
    "fort": "ft",
    "ft": "ft",
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
    "sixth": "6",
    "seventh": "7",
    "eighth": "8",
    "ninth": "9",
    "tenth": "10",
    "eleventh": "11",
    "twelfth": "12",
}
# Glued German street types: "Hauptstraße", "Hauptstr." -> "haupt st".
_GLUED = re.compile(r"^(\w{3,}?)(strasse|strabe|str|weg|gasse|platz)$")
# "109th", "1st", "1a", "1er", "2eme" and also typos of them ("109tg"): a number with a
# short letter tail in a street name is that number.
_ORDINAL = re.compile(r"^(\d+)([a-z]{1,3})$")
_POSTCODE = re.compile(r"^(\d{5})(?:-\d{4})?$|^\d{4}$|^\d{6}$")
_NUMBER = re.compile(r"^\d+[a-z]?(?:-\d+[a-z]?)?$|^\d+-?[a-z]$")

_UNIT_WORD = (
    r"apt|apartment|apto|apartamento|unit|suite|ste|rm|room|flat|depto|dpto|departamento"
    r"|int|interior|piso|fl|floor|bldg|building|edificio"
)
_UNIT_PATTERNS = [
    # "Apt 3B", "apt. #4", "Unit 2", "Depto 4", "Fl 2", "Floor 3"
    re.compile(
        rf"\b(?:{_UNIT_WORD})\b\.?\s*(?:no\.?\s*)?#?\s*[a-z0-9]+(?:-[a-z0-9]+)?\b", re.IGNORECASE
    ),
    # "2nd floor", "3rd fl", "1er piso"
    re.compile(r"\b\d+\s*(?:st|nd|rd|th|er|o|º)?\s*(?:floor|fl|piso)\b\.?", re.IGNORECASE),
    re.compile(r"\b(?:basement|bsmt|upstairs|downstairs|ground floor|penthouse)\b", re.IGNORECASE),
    # "214-39 Rear Jamaica Ave": the back house, right after the number.
    re.compile(r"(?<=\d)\s+rear\b(?=\s+\S+\s+\S)", re.IGNORECASE),
]
_HASH_UNIT = re.compile(r"#\s*[a-z0-9]+(?:-[a-z0-9]+)?\b", re.IGNORECASE)
_NO_NUMBER = re.compile(r"\b(?:s\s*/\s*n|s\.\s*n\.|sin\s+n[uú]mero)(?=\W|$)", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower case, accents off (``"Ñ"`` -> ``"n"``, ``"ß"`` -> ``"ss"``)."""
    text = str(text).replace("ß", "ss").replace("ẞ", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokens(text: str) -> list[str]:
    """Canonical tokens of a street name (see the module docstring)."""
    out: list[str] = []
    for raw in re.split(r"[^0-9a-z]+", fold(text)):
        if not raw:
            continue
        glued = _GLUED.match(raw)
        if glued:
            out.append(glued.group(1))
            raw = glued.group(2)
        ordinal = _ORDINAL.match(raw)
        if ordinal:
            out.append(str(int(ordinal.group(1))))
        elif raw.isdigit():
            out.append(str(int(raw)))
        else:
            out.append(STREET_TYPES.get(raw) or _OTHER_WORDS.get(raw) or raw)
    return out


@dataclass(frozen=True, slots=True)
class StreetKey:
    """A street name in canonical form: its ``core`` (name without its type), its ``kind``
    (canonical type token, or ``""``) and the numbers in its name, which must match exactly."""

    key: str
    core: str
    kind: str
    numbers: tuple[str, ...]


_TYPE_SPELLINGS = [s for s in STREET_TYPES if len(s) >= 4]


def _fix_type_typo(token: str) -> str:
    """``"avnue"`` -> ``"av"``, ``"boulevrd"`` -> ``"blvd"``; other words unchanged."""
    if token in TYPE_TOKENS or len(token) < 4 or not token.isalpha():
        return token
    from rapidfuzz import fuzz, process

    best = process.extractOne(token, _TYPE_SPELLINGS, scorer=fuzz.ratio, score_cutoff=80)
    return STREET_TYPES[best[0]] if best else token


def street_key(name: str, *, fix_typos: bool = False) -> StreetKey:
    """``"109th Avenue"`` -> ``StreetKey("109 av", core="109", kind="av", numbers=("109",))``.

    With ``fix_typos``, a misspelt type at either end (``"Hollis Avnue"``) is recognised.
    """
    toks = tokens(name)
    if fix_typos and len(toks) > 1:
        toks[-1] = _fix_type_typo(toks[-1])
        if toks[-1] not in TYPE_TOKENS:
            toks[0] = _fix_type_typo(toks[0])
    kind = ""
    core = toks
    if len(toks) > 1 and toks[-1] in TYPE_TOKENS:
        kind, core = toks[-1], toks[:-1]
    elif len(toks) > 1 and toks[0] in TYPE_TOKENS:
        kind, core = toks[0], toks[1:]
    numbers = tuple(sorted(t for t in core if t.isdigit()))
    return StreetKey(" ".join(toks), " ".join(core), kind, numbers)


def housenumber_key(text: str) -> str:
    """``"203-06"``, ``"20306"``, ``"203 - 06"`` -> ``"20306"``; ``"12 B"`` -> ``"12b"``."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def housenumber_value(text: str) -> tuple[int, int] | None:
    """Number for interpolation and its side of the street (parity), or ``None``.

    ``"203-06"`` -> ``(20306, 0)``; ``"407"`` -> ``(407, 1)``; ``"12B"`` -> ``(12, 0)``.
    """
    groups = re.findall(r"\d+", str(text))
    if not groups:
        return None
    digits = "".join(groups)
    if len(digits) > 9:
        return None
    return int(digits), int(groups[-1]) % 2


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    """What :func:`parse_address` read from one line of free text."""

    housenumber: str
    street: str
    postcode: str
    unit: str
    #: The text after the street (city, state, country), kept for "outside the area" checks.
    place: str
    #: True when the number was written before the street ("12 Oak St"), False after
    #: ("Calle Sol 12").
    number_first: bool = True


def split_unit(address: str) -> tuple[str, str]:
    """Pull an apartment/unit out of an address: ``"12 Oak St Apt 3B"`` -> ``("12 Oak St",
    "Apt 3B")``. A ``#`` counts as a unit only after a leading house number (in much of
    the world ``"Calle Sol #12"`` is the house number)."""
    text = str(address)
    units: list[str] = []
    for pattern in _UNIT_PATTERNS:
        for m in list(pattern.finditer(text)):
            units.append(m.group(0).strip())
        text = pattern.sub(" ", text)
    if re.match(r"^\s*\d", text):
        for m in list(_HASH_UNIT.finditer(text)):
            units.append(m.group(0).strip())
        text = _HASH_UNIT.sub(" ", text)
    text = re.sub(r"\s+,", ",", re.sub(r"[ \t]+", " ", text)).strip(" ,;")
    return text, ", ".join(units)


def parse_address(address: str) -> ParsedAddress:
    """Split free text into house number, street, postcode, unit and trailing place.

    Handles the number before the street (``"203-06 109th Ave"``) and after it
    (``"Avenida Ayuntamiento 407"``, ``"Calle Sol #12"``, ``"Nayarit, 301"``), and a
    trailing ``", City, ST 12345"``.
    """
    text, unit = split_unit(address)
    text = _NO_NUMBER.sub(" ", text)
    parts = [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]
    if not parts:
        return ParsedAddress("", "", "", unit, "")
    postcode = ""
    # A postcode sits in the tail: last token of the last parts ("NY 11429", "20000 Ags.").
    for i in range(len(parts) - 1, 0, -1):
        for tok in parts[i].split():
            if _POSTCODE.match(tok):
                postcode = tok[:5] if len(tok) == 10 else tok
                break
        if postcode:
            break
    street_words = parts[0].split()
    rest = parts[1:]
    number = ""
    number_first = True
    if street_words and _NUMBER.match(fold(street_words[0])):
        number = street_words.pop(0)
        # "203 - 06 Hollis Ave"
        if len(street_words) >= 2 and street_words[0] == "-" and street_words[1].isdigit():
            number += "-" + street_words[1]
            del street_words[:2]
    else:
        # Number after the street: "Avenida Ayuntamiento 407", "Calle Sol #12", "No. 5".
        m = re.search(
            r"(?:#|\bno\.?|\bnum\.?|\bn[uú]mero)?\s*(\d+[a-z]?(?:-\d+[a-z]?)?)\s*$",
            parts[0],
            re.IGNORECASE,
        )
        number_first = False
        if m and len(parts[0][: m.start()].split()) >= 1:
            number = m.group(1)
            street_words = parts[0][: m.start()].split()
        elif rest and _NUMBER.match(fold(rest[0])):  # "Nayarit, 301"
            number = rest.pop(0)
    # No comma before the postcode: "21773 Hempstead Av Queens Village NY 11429".
    if not rest and len(street_words) > 1 and _POSTCODE.match(street_words[-1]) and number:
        postcode = postcode or street_words.pop()
    street = " ".join(street_words).strip(" -#.")
    return ParsedAddress(number, street, postcode, unit, ", ".join(rest), number_first)


def housenumber_lookup_key(housenumber: str) -> str:
    """The key a house number is looked up by, or ``""`` when it holds no digit."""
    key = housenumber_key(housenumber)
    return key if any(c.isdigit() for c in key) else ""


def housenumber_block(housenumber: str) -> str:
    """``"203-06"`` -> ``"203"`` (the block of a hyphenated number); ``"407"`` -> ``""``."""
    head, sep, _ = str(housenumber).partition("-")
    return head.strip() if sep and head.strip().isdigit() else ""


#: Two numbers before the street, as a hyphenated house number is typed without its hyphen.
_SPACED_NUMBER = re.compile(r"^\s*(\d{2,3})\s+(\d{1,3})\s+(?=\S*[a-zA-Z])")


def hyphenated(address: str) -> str | None:
    """``"98 12 218th St"`` -> ``"98-12 218th St"`` (a Queens number typed without its
    hyphen); ``None`` for an address not written so."""
    if not _SPACED_NUMBER.match(address):
        return None
    return _SPACED_NUMBER.sub(r"\1-\2 ", address)
