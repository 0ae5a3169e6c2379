"""Phone numbers as people write them, read with Google's libphonenumber (``phonenumbers``).

A number written without its country code ("(718) 555-0155") is read in the area's country
(``region``, an ISO 3166 code such as ``"US"``); one written with it ("+44 20 7946 0958") is
read as given. What cannot be read as a possible number is left as typed, never guessed.
"""

from __future__ import annotations

import functools

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat


@functools.lru_cache(maxsize=4096)
def parse_phone(text: str, region: str | None = None) -> PhoneNumber | None:
    """The number ``text`` holds, or None when it is not a possible phone number.

    Cached: a plan's pages read each number a dozen times, and reading one takes
    libphonenumber about 0.2 ms. The number returned is shared: do not change it."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def e164(text: str, region: str | None = None) -> str:
    """``"(718) 555-0155"`` in ``"US"`` -> ``"+17185550155"``; ``""`` when not a number."""
    number = parse_phone(text, region)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164) if number else ""


def is_valid_phone(text: str, region: str | None = None) -> bool:
    """Whether ``text`` is a number that can be dialled (right length and prefix for its
    country), as libphonenumber knows the numbering plans."""
    number = parse_phone(text, region)
    return number is not None and phonenumbers.is_valid_number(number)


@functools.lru_cache(maxsize=4096)
def _dialable(text: str, region: str | None) -> PhoneNumber | None:
    """The number ``text`` holds when it can be dialled as read (a valid number)."""
    number = parse_phone(text, region)
    return number if number is not None and phonenumbers.is_valid_number(number) else None


@functools.lru_cache(maxsize=4096)
def display_phone(text: str, region: str | None = None) -> str:
    """How a person in ``region`` writes the number (``"(718) 555-0155"``; with its country
    code when it is from another country); as typed when it is not a number that can be
    dialled as read (``"555-0101"``, no area code: reformatting would only mislead)."""
    number = _dialable(text, region)
    if number is None:
        return (text or "").strip()
    same_country = region and phonenumbers.region_code_for_number(number) == region.upper()
    style = PhoneNumberFormat.NATIONAL if same_country else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def tel_uri(text: str, region: str | None = None) -> str:
    """A ``tel:`` link in E.164 (``"tel:+17185550155"``), so a phone dials it from anywhere;
    from the digits as written when the number cannot be dialled as read (the phone then
    dials it as a local number); ``""`` without digits."""
    number = _dialable(text, region)
    if number is not None:
        return "tel:" + phonenumbers.format_number(number, PhoneNumberFormat.E164)
    digits = "".join(ch for ch in text if ch.isdigit() and ch.isascii())
    if not digits:
        return ""
    return "tel:" + ("+" if text.strip().startswith("+") else "") + digits


def phone_key(text: str, region: str | None = None) -> str:
    """What makes two writings of one number equal, for matching people across weeks:
    E.164 when it can be read, else the last ten digits (seven at least), else ``""``."""
    number = e164(text, region)
    if number:
        return number
    digits = "".join(ch for ch in text if ch.isdigit() and ch.isascii())
    return digits[-10:] if len(digits) >= 7 else ""
