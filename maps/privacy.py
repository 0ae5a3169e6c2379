"""What a driver gets to see about the households they deliver to.

The dispatcher chooses one mode for everything a driver sees (driver page, manifest, GPX):

``full``
    names and phone numbers as given.
``initials``
    initials instead of names ("Maria del Carmen Ruiz" -> "M. d. C. R."); phones shown.
``no_phone``
    names shown, phone numbers left out (no call link).
``reveal``
    "reveal as you go": the driver page shows the next stop's details only, and the
    next one after the driver marks it delivered. Printed manifests, which cannot reveal
    anything later, fall back to initials and no phone numbers.

The reveal mode is a screen-level protection (a phone left on a car seat, a look over the
shoulder): a static page still carries every stop in its source, because it has to work offline
in a parking lot. The dispatcher's exports (CSV, XLSX) always carry everything.
"""

from __future__ import annotations

from typing import Literal

from routing.errors import InputError, InputProblem
from routing.model import Stop
from routing.phones import tel_uri

Privacy = Literal["full", "initials", "no_phone", "reveal"]
PRIVACY_MODES: tuple[str, ...] = ("full", "initials", "no_phone", "reveal")


def check_privacy(mode: str) -> Privacy:
    """Return ``mode`` if it is a privacy mode, else raise :class:`InputError` naming it."""
    if mode not in PRIVACY_MODES:
        raise InputError(
            InputProblem("privacy", str(mode), f"must be one of {', '.join(PRIVACY_MODES)}")
        )
    return mode  # type: ignore[return-value]


def initials(name: str) -> str:
    """``"Maria Gonzalez"`` -> ``"M. G."``; works letter by letter for any script."""
    parts = [p for p in str(name).replace("-", " ").split() if p]
    return " ".join(f"{p[0]}." for p in parts)


def shown_name(stop: Stop, mode: str) -> str:
    """The recipient's name as the driver sees it in ``mode``."""
    if mode in ("initials", "reveal_print"):
        return initials(stop.recipient)
    return stop.recipient


def shown_phone(stop: Stop, mode: str) -> str:
    """The recipient's phone as the driver sees it in ``mode`` ("" = not shown)."""
    if mode in ("no_phone", "reveal_print"):
        return ""
    return stop.phone


def print_mode(mode: str) -> str:
    """The mode to use on paper: ``reveal`` cannot hide anything once printed."""
    return "reveal_print" if check_privacy(mode) == "reveal" else mode


def tel_href(phone: str, region: str | None = None) -> str:
    """``"(718) 555-0155"`` in ``"US"`` -> ``"tel:+17185550155"`` (see
    :func:`routing.phones.tel_uri`); ``""`` when it has no digits."""
    return tel_uri(phone, region)
