"""Households written twice: a form submitted again, a row copied into this week twice.

Two rows are one household when they name the same place (the address as placed, and the
same unit), or the same person (the same name and the same phone number). At an address
written without a unit, two different people are two households (a house split in flats
nobody numbered): they are only warned about. :func:`find_duplicates` groups the rows and
keeps the latest of each group, the corrected one when a form was sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: What a row merged into a later one says (callers add how to plan both where they can).
PLANNED_ONCE = "one household, planned once"


@dataclass(frozen=True)
class Household:
    """What tells one household from another, for one row."""

    #: Spreadsheet row.
    row: int
    #: The address as placed (or as typed) and the unit, normalised; ``None`` without one.
    place: tuple[str, str] | None
    #: The name folded, ``""`` when none.
    name: str
    #: The phone number's key (:func:`routing.phones.phone_key`), ``""`` when none.
    phone: str


@dataclass(frozen=True)
class Duplicate:
    """A row that is another row's household again."""

    #: The row left out (planned too with ``keep``).
    row: int
    #: The row planned: the latest of the household's rows.
    kept: int
    #: Why they are one household: "same address and unit", "same name and phone", ...
    why: str


def _same(a: Household, b: Household) -> str:
    """Why ``a`` and ``b`` are one household, or ``""``."""
    if a.place is not None and a.place == b.place:
        if a.place[1]:
            return "same address and unit"
        if a.name and a.name == b.name:
            return "same address and name"
        if a.phone and a.phone == b.phone:
            return "same address and phone"
    if a.name and a.phone and (a.name, a.phone) == (b.name, b.phone):
        return "same name and phone"
    return ""


def find_duplicates(
    households: Sequence[Household],
) -> tuple[list[Duplicate], list[tuple[int, int]]]:
    """The rows that repeat a household, each with the row kept (the latest of its
    group), and the pairs of rows that share an address without a unit but name
    different people (two households, or one written twice: someone should look)."""
    parent = list(range(len(households)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_key: dict[object, list[int]] = {}
    for i, h in enumerate(households):
        keys: list[object] = []
        if h.place is not None:
            keys.append(("place", h.place))
        if h.name and h.phone:
            keys.append(("person", h.name, h.phone))
        for key in keys:
            by_key.setdefault(key, []).append(i)
    shared: list[tuple[int, int]] = []
    for members in by_key.values():
        for k, i in enumerate(members):
            for j in members[:k]:
                if _same(households[j], households[i]):
                    a, b = root(i), root(j)
                    parent[min(a, b)] = max(a, b)
                elif households[i].place == households[j].place:
                    shared.append((households[j].row, households[i].row))
    groups: dict[int, list[int]] = {}
    for i in range(len(households)):
        groups.setdefault(root(i), []).append(i)
    out = []
    for members in groups.values():
        kept = households[max(members)]
        for i in members:
            if i != max(members):
                h = households[i]
                out.append(Duplicate(h.row, kept.row, _same(h, kept) or "same household"))
    out.sort(key=lambda d: d.row)
    merged = {d.row for d in out}
    pairs = dict.fromkeys((a, b) for a, b in shared if a not in merged and b not in merged)
    return out, list(pairs)
