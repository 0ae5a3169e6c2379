"""Box and frozen-bag counts as people write them: ``"2"``, ``"2 bags"``, ``"two"``,
``"2.5"`` (rounded up), ``"yes"`` for one frozen bag; a count that cannot be guessed
(``"-3"``, ``"1e9"``) leaves its row out, with the reason."""

from __future__ import annotations

import math
import re

from routing.geocoding.normalize import fold
from routing.intake.cells import MAX_BOXES
from routing.intake.rows import RowCells

#: Above this a count is warned about (still read).
MANY_BOXES = 20

_NUMBER_WORDS = {
    **dict.fromkeys(("a", "an", "one", "uno", "una", "un", "single"), 1),
    **{
        w: n
        for n, words in enumerate(
            (
                "two dos double",
                "three tres",
                "four cuatro",
                "five cinco",
                "six seis",
                "seven siete",
                "eight ocho",
                "nine nueve",
                "ten diez",
                "eleven once",
                "twelve doce",
                "thirteen trece",
                "fourteen catorce",
                "fifteen quince",
                "sixteen dieciseis",
                "seventeen diecisiete",
                "eighteen dieciocho",
                "nineteen diecinueve",
                "twenty veinte",
            ),
            start=2,
        )
        for w in words.split()
    },
    **{"thirty": 30, "treinta": 30, "forty": 40, "cuarenta": 40, "fifty": 50, "cincuenta": 50},
}
#: "a dozen", "two dozen", "half a dozen", "media docena", "a couple", "un par".
_GROUPS = {"dozen": 12, "docena": 12, "couple": 2, "par": 2}
#: After "a" / "un": words that say no number.
_VAGUE = frozenset(
    [
        "lot",
        "lots",
        "few",
        "bunch",
        "full",
        "whole",
        "big",
        "large",
        "small",
        "monton",
        "poco",
        "pocos",
        "chingo",
    ]
)
_HALF = re.compile(r"^(?:half an?|media|medio)\s+(dozen|docena)\b")

#: "about 15", "~15", "aprox. 15", "up to 15", "maybe 15": the number volunteers mean.
_ABOUT = re.compile(
    r"^(?:about|around|approx(?:imately)?\.?|roughly|aprox(?:imadamente)?\.?|unos|unas|"
    r"como|mas o menos|cerca de|alrededor de|up to|at least|at most|max(?:imum)?\.?|"
    r"maybe|probably|hasta|al menos|maximo|quizas|tal vez|~)\s*(?=\d|[a-z])"
)


def parse_count(text: str) -> int | None:
    """``"2"``, ``"2 bags"``, ``"2.0"``, ``"two"``, ``"dos cajas"``, ``"about 2"``,
    ``"~2"``, ``"aprox. 2"``, ``"up to 2"`` -> 2; ``"15+"`` -> 15; ``"fifteen"``,
    ``"quince"`` -> 15; ``"a dozen"`` -> 12, ``"half a dozen"`` -> 6; else ``None`` (``"a
    lot"``, ``"a few"``: no number to read)."""
    t = _ABOUT.sub("", fold(text).strip())
    m = re.match(r"^(\d+)(?:\.0+)?\s*\+?(?:\s*[a-z ()]*)?$", t)
    if m:
        digits = m.group(1).lstrip("0") or "0"
        return int(digits) if len(digits) <= 15 else 10**15  # far over any limit
    if _HALF.match(t):
        return 6
    # A number word only where the cell starts ("two bags"), never further in ("2 a 3
    # cajas", "once a week"), and alone: "twenty-five" is no twenty.
    words = t.split()
    first = words[0] if words else ""
    if first not in _NUMBER_WORDS or (len(words) > 1 and words[1] in _NUMBER_WORDS):
        return None
    n = _NUMBER_WORDS[first]
    group = _GROUPS.get(words[1].rstrip("s")) if len(words) > 1 else None
    if group is not None:
        return n * group  # "a dozen", "two dozen", "dos docenas", "un par"
    if first in ("a", "an", "un", "una") and len(words) > 1 and words[1] in _VAGUE:
        return None  # "a bag" is one; "a lot", "a few", "un montón" say no number
    return n


def read_boxes(row: RowCells) -> int | None:
    """The row's box count, or ``None`` when the count makes the row unplannable.

    - blank, or words with no number (``"lots"``): 1 box assumed, with a warning;
    - ``"2"``, ``"2 bags"``, ``"two"``: 2; more than :data:`MANY_BOXES`: a warning;
    - a fraction (``"2.5"``): rounded up, with a warning: a part box is still a box to
      carry, and a car loaded for 3 can take 2;
    - negative, more than :data:`MAX_BOXES` (``"1e9"``) or not finite: an error, and the
      row gives no stop (the number cannot be guessed; the problem says so).
    """
    if "boxes" not in row.cols:
        return 1
    text = row.get("boxes")
    if not text:
        row.add("boxes", "", "no number of boxes; 1 assumed", "warning")
        return 1
    return _read_quantity(row, "boxes", text, "boxes")


def read_frozen(row: RowCells) -> int | None:
    """The row's frozen bags, read like boxes; ``None`` when that makes the row unplannable.

    Blank, ``"no"`` or ``"-"`` is 0 (most households get none); ``"yes"`` or ``"x"`` is 1;
    words with no number (``"some"``): 1 assumed, with a warning.
    """
    text = row.get("frozen")
    if not text or fold(text).strip() in ("no", "none", "-", "n", "n a", "na", "ninguno"):
        return 0
    if fold(text).strip() in ("yes", "y", "x", "si", "true"):
        return 1
    return _read_quantity(row, "frozen", text, "frozen bags")


def _read_quantity(row: RowCells, fld: str, text: str, noun: str) -> int | None:
    n = parse_count(text)
    if n is None:
        m = re.fullmatch(
            r"([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)(?:\s*[a-z ()]*)?", fold(text).strip()
        )
        if m is None:
            row.add(
                fld,
                text,
                f'expected a number of {noun} such as 2 or "2 bags"; 1 assumed',
                "warning",
            )
            return 1
        value = float(m.group(1))
        if value < 0:
            row.add(
                fld,
                text,
                f"a negative number of {noun}; write how many {noun} this "
                "household gets (the stop is left out until then)",
            )
            return None
        if not value <= MAX_BOXES:
            row.add(fld, text, _too_many(noun))
            return None
        n = math.ceil(value)
        if n != value:
            row.add(
                fld,
                text,
                f"{m.group(1)} {noun} read as {n} (part {noun} are rounded "
                "up); write a whole number to be sure",
                "warning",
            )
    if n == 0:
        if fld == "boxes":
            row.add(fld, text, "0 boxes: nothing to deliver", "warning")
    elif n > MAX_BOXES:
        row.add(fld, text, _too_many(noun))
        return None
    elif n > MANY_BOXES:
        row.add(fld, text, f"unusually many {noun}; check the number", "warning")
    return n


def _too_many(noun: str) -> str:
    return (
        f"more than {MAX_BOXES} {noun} for one household; check the "
        "number (the stop is left out until then)"
    )
