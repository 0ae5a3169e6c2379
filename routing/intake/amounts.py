"""Box and frozen-bag counts as people write them: ``"2"``, ``"2 bags"``, ``"two"``,
``"2.5"`` (rounded up), ``"yes"`` for one frozen bag; a count that cannot be guessed
(``"-3"``, ``"1e9"``) leaves its row out, with the reason."""

from __future__ import annotations

import math
import re

from routing.geocoding.normalize import fold
from routing.intake.cells import MAX_BOXES, parse_count
from routing.intake.rows import RowCells

#: Above this a count is warned about (still read).
MANY_BOXES = 20


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
