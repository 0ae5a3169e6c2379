"""Which OSM ways belong to a travel profile's road network: osmnx's network filters.

osmnx fetches a network from Overpass with a way filter such as
``["highway"]["area"!~"yes"]["highway"!~"footway|path|..."]``. Reading a local file we
apply the very same filter ourselves, evaluated with Overpass semantics:

- ``["key"]``: the tag must be present;
- ``["key"!~"regex"]``: the tag is absent, or its value does not match ``regex``;
- ``["key"~"regex"]``: the tag is present and its value matches ``regex``;
- ``["key"="value"]`` / ``["key"!="value"]``: exact (in)equality.

Overpass regexes are unanchored and case sensitive, like :func:`re.search`.

The filter strings are osmnx 2.1.1's, with its public ``settings.default_access`` clause:
osmnx builds them in a private function (``osmnx._overpass._get_network_filter``) and
has no public one, so we keep our copy; a test checks it still equals osmnx's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache

#: The filter of each travel profile, ``{access}`` standing for osmnx's
#: ``settings.default_access`` (``["access"!~"private"]`` unless changed).
NETWORK_FILTERS = {
    "drive": (
        '["highway"]["area"!~"yes"]{access}'
        '["highway"!~"abandoned|bridleway|bus_guideway|construction|corridor|cycleway|elevator|'
        "escalator|footway|no|path|pedestrian|planned|platform|proposed|raceway|razed|rest_area|"
        'service|services|steps|track"]["motor_vehicle"!~"no"]["motorcar"!~"no"]'
        '["service"!~"alley|driveway|emergency_access|parking|parking_aisle|private"]'
    ),
    "bike": (
        '["highway"]["area"!~"yes"]{access}'
        '["highway"!~"abandoned|bus_guideway|construction|corridor|elevator|escalator|footway|'
        'motor|no|planned|platform|proposed|raceway|razed|rest_area|services|steps"]'
        '["bicycle"!~"no"]["service"!~"private"]'
    ),
    "walk": (
        '["highway"]["area"!~"yes"]{access}'
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
    from osmnx import settings

    if profile not in NETWORK_FILTERS:
        raise ValueError(f"unknown travel profile {profile!r}; expected drive, bike or walk")
    return NETWORK_FILTERS[profile].format(access=settings.default_access)


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
