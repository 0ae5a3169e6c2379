"""Which OSM ways belong to a travel profile's road network: osmnx's own network filters.

osmnx fetches a network from Overpass with a way filter such as
``["highway"]["area"!~"yes"]["highway"!~"footway|path|..."]``. Reading a local file we
apply the very same filter ourselves: we take the filter string from osmnx (so a newer
osmnx's filter is followed automatically) and evaluate it with Overpass semantics:

- ``["key"]``: the tag must be present;
- ``["key"!~"regex"]``: the tag is absent, or its value does not match ``regex``;
- ``["key"~"regex"]``: the tag is present and its value matches ``regex``;
- ``["key"="value"]`` / ``["key"!="value"]``: exact (in)equality.

Overpass regexes are unanchored and case sensitive, like :func:`re.search`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache

#: The profile name each of our travel profiles takes its filter from in osmnx.
OSMNX_NETWORK_TYPE = {"drive": "drive", "bike": "bike", "walk": "walk"}

#: The filters of osmnx 2.1.1, used only if osmnx's private helper ever disappears.
_FALLBACK_FILTERS = {
    "drive": (
        '["highway"]["area"!~"yes"]["access"!~"private"]'
        '["highway"!~"abandoned|bridleway|bus_guideway|construction|corridor|cycleway|elevator|'
        "escalator|footway|no|path|pedestrian|planned|platform|proposed|raceway|razed|rest_area|"
        'service|services|steps|track"]["motor_vehicle"!~"no"]["motorcar"!~"no"]'
        '["service"!~"alley|driveway|emergency_access|parking|parking_aisle|private"]'
    ),
    "bike": (
        '["highway"]["area"!~"yes"]["access"!~"private"]'
        '["highway"!~"abandoned|bus_guideway|construction|corridor|elevator|escalator|footway|'
        'motor|no|planned|platform|proposed|raceway|razed|rest_area|services|steps"]'
        '["bicycle"!~"no"]["service"!~"private"]'
    ),
    "walk": (
        '["highway"]["area"!~"yes"]["access"!~"private"]'
        '["highway"!~"abandoned|bus_guideway|construction|cycleway|motor|no|planned|platform|'
        'proposed|raceway|razed|rest_area|services"]["foot"!~"no"]["service"!~"private"]'
        '["sidewalk"!~"separate"]["sidewalk:both"!~"separate"]["sidewalk:left"!~"separate"]'
        '["sidewalk:right"!~"separate"]'
    ),
}

_CLAUSE = re.compile(r'\["([^"]+)"(?:(!~|~|!=|=)"([^"]*)")?\]')

Clause = tuple[str, str, "re.Pattern[str] | str | None"]


def overpass_filter(profile: str) -> str:
    """The Overpass way filter osmnx uses for ``profile`` ("drive", "bike" or "walk")."""
    if profile not in OSMNX_NETWORK_TYPE:
        raise ValueError(f"unknown travel profile {profile!r}; expected drive, bike or walk")
    try:
        from osmnx import _overpass

        return str(_overpass._get_network_filter(OSMNX_NETWORK_TYPE[profile]))
    except (ImportError, AttributeError, TypeError, ValueError):  # pragma: no cover
        return _FALLBACK_FILTERS[profile]


def parse_filter(text: str) -> list[Clause]:
    """Split an Overpass filter string into ``(key, op, value)`` clauses.

    ``op`` is ``"has"``, ``"~"``, ``"!~"``, ``"="`` or ``"!="``; regex values are compiled.
    Raises ``ValueError`` when part of the text is not a clause we understand, so a
    changed osmnx filter cannot be silently half-applied.
    """
    clauses: list[Clause] = []
    pos = 0
    for m in _CLAUSE.finditer(text):
        if text[pos : m.start()].strip():
            raise ValueError(f"cannot parse network filter near {text[pos : m.start()]!r}")
        key, op, value = m.group(1), m.group(2), m.group(3)
        if op is None:
            clauses.append((key, "has", None))
        elif op in ("~", "!~"):
            clauses.append((key, op, re.compile(value)))
        else:
            clauses.append((key, op, value))
        pos = m.end()
    if text[pos:].strip():
        raise ValueError(f"cannot parse network filter near {text[pos:]!r}")
    return clauses


def matches(clauses: list[Clause], tags: Mapping[str, str]) -> bool:
    """Whether a way with ``tags`` passes every clause (Overpass semantics)."""
    for key, op, value in clauses:
        v = tags.get(key)
        if op == "has":
            if v is None:
                return False
        elif op == "!~":
            if v is not None and value.search(v):  # type: ignore[union-attr]
                return False
        elif op == "~":
            if v is None or not value.search(v):  # type: ignore[union-attr]
                return False
        elif op == "=":
            if v != value:
                return False
        elif v == value:  # "!="
            return False
    return True


@cache
def way_filter(profile: str) -> Callable[[Mapping[str, str]], bool]:
    """A predicate ``tags -> bool`` for ways in ``profile``'s network."""
    clauses = parse_filter(overpass_filter(profile))

    def keep(tags: Mapping[str, str]) -> bool:
        return matches(clauses, tags)

    return keep
