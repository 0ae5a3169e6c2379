"""OSM ``maxspeed`` values as km/h, read the way osmnx's ``add_edge_speeds`` reads them.

The array graph builder (:mod:`routing.roads._graphbuild`) needs osmnx's reading of one
``maxspeed`` value, and of the several values a merged chain of roads can carry. osmnx
does that only inside ``add_edge_speeds``, which takes a whole networkx graph; the
functions for one value (``osmnx.routing._clean_maxspeed`` and
``_collapse_multiple_maxspeed_values``) are private and may change without notice. So
this module is the same logic, and the same table of implicit speeds ("DE:urban" = 50),
as osmnx 2.1.1. The tests compare it with osmnx's private functions on every value of
the OSM fixtures and on every implicit one, and the whole builder with
``osmnx.graph_from_xml`` + ``add_edge_speeds``.

Adapted from osmnx (https://github.com/gboeing/osmnx), MIT License,
Copyright (c) 2016-2026 Geoff Boeing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    pass

#: km per mile, as osmnx converts "30 mph".
MILES_TO_KM = 1.60934

# A number, then an optional unit (osmnx's pattern, from the OSM wiki's).
_NUMBER = re.compile(r"^([0-9][\.,0-9]*?)(?:[ ]?(?:km/h|kmh|kph|mph|knots))?$")

#: Speeds of OSM's implicit ``maxspeed`` values ("DE:urban"), km/h, as osmnx 2.1.1 has them.
IMPLICIT_MAXSPEEDS: dict[str, float] = {
    "AR:rural": 110.0,
    "AR:urban": 40.0,
    "AR:urban:primary": 60.0,
    "AR:urban:secondary": 60.0,
    "AT:bicycle_road": 30.0,
    "AT:motorway": 130.0,
    "AT:rural": 100.0,
    "AT:trunk": 100.0,
    "AT:urban": 50.0,
    "BE-BRU:rural": 70.0,
    "BE-BRU:urban": 30.0,
    "BE-VLG:rural": 70.0,
    "BE-VLG:urban": 50.0,
    "BE-WAL:rural": 90.0,
    "BE-WAL:urban": 50.0,
    "BE:cyclestreet": 30.0,
    "BE:living_street": 20.0,
    "BE:motorway": 120.0,
    "BE:trunk": 120.0,
    "BE:zone30": 30.0,
    "BG:living_street": 20.0,
    "BG:motorway": 140.0,
    "BG:rural": 90.0,
    "BG:trunk": 120.0,
    "BG:urban": 50.0,
    "BY:living_street": 20.0,
    "BY:motorway": 110.0,
    "BY:rural": 90.0,
    "BY:urban": 60.0,
    "CA-AB:rural": 90.0,
    "CA-AB:urban": 65.0,
    "CA-BC:rural": 80.0,
    "CA-BC:urban": 50.0,
    "CA-MB:rural": 90.0,
    "CA-MB:urban": 50.0,
    "CA-ON:rural": 80.0,
    "CA-ON:urban": 50.0,
    "CA-QC:motorway": 100.0,
    "CA-QC:rural": 75.0,
    "CA-QC:urban": 50.0,
    "CA-SK:nsl": 80.0,
    "CH:motorway": 120.0,
    "CH:rural": 80.0,
    "CH:trunk": 100.0,
    "CH:urban": 50.0,
    "CZ:living_street": 20.0,
    "CZ:motorway": 130.0,
    "CZ:pedestrian_zone": 20.0,
    "CZ:rural": 90.0,
    "CZ:trunk": 110.0,
    "CZ:urban": 50.0,
    "CZ:urban_motorway": 80.0,
    "CZ:urban_trunk": 80.0,
    "DE:bicycle_road": 30.0,
    "DE:living_street": 15.0,
    "DE:motorway": 120.0,
    "DE:rural": 80.0,
    "DE:urban": 50.0,
    "DK:motorway": 130.0,
    "DK:rural": 80.0,
    "DK:urban": 50.0,
    "EE:rural": 90.0,
    "EE:urban": 50.0,
    "ES:living_street": 20.0,
    "ES:motorway": 120.0,
    "ES:rural": 90.0,
    "ES:trunk": 90.0,
    "ES:urban": 50.0,
    "ES:zone30": 30.0,
    "FI:motorway": 120.0,
    "FI:rural": 80.0,
    "FI:trunk": 100.0,
    "FI:urban": 50.0,
    "FR:motorway": 120.0,
    "FR:rural": 80.0,
    "FR:urban": 50.0,
    "FR:zone30": 30.0,
    "GB:nsl_restricted": 48.28,
    "GR:motorway": 130.0,
    "GR:rural": 90.0,
    "GR:trunk": 110.0,
    "GR:urban": 50.0,
    "HU:living_street": 20.0,
    "HU:motorway": 130.0,
    "HU:rural": 90.0,
    "HU:trunk": 110.0,
    "HU:urban": 50.0,
    "IT:motorway": 130.0,
    "IT:rural": 90.0,
    "IT:trunk": 110.0,
    "IT:urban": 50.0,
    "JP:express": 100.0,
    "JP:nsl": 60.0,
    "LT:rural": 90.0,
    "LT:urban": 50.0,
    "NO:rural": 80.0,
    "NO:urban": 50.0,
    "PH:express": 100.0,
    "PH:rural": 80.0,
    "PH:urban": 30.0,
    "PT:motorway": 120.0,
    "PT:rural": 90.0,
    "PT:trunk": 100.0,
    "PT:urban": 50.0,
    "RO:motorway": 130.0,
    "RO:rural": 90.0,
    "RO:trunk": 100.0,
    "RO:urban": 50.0,
    "RS:living_street": 10.0,
    "RS:motorway": 130.0,
    "RS:rural": 80.0,
    "RS:trunk": 100.0,
    "RS:urban": 50.0,
    "RU:living_street": 20.0,
    "RU:motorway": 110.0,
    "RU:rural": 90.0,
    "RU:urban": 60.0,
    "SE:rural": 70.0,
    "SE:urban": 50.0,
    "SI:motorway": 130.0,
    "SI:rural": 90.0,
    "SI:trunk": 110.0,
    "SI:urban": 50.0,
    "SK:living_street": 20.0,
    "SK:motorway": 130.0,
    "SK:motorway_urban": 90.0,
    "SK:rural": 90.0,
    "SK:trunk": 90.0,
    "SK:urban": 50.0,
    "TR:living_street": 20.0,
    "TR:motorway": 130.0,
    "TR:rural": 90.0,
    "TR:trunk": 110.0,
    "TR:urban": 50.0,
    "TR:zone30": 30.0,
    "UA:living_street": 20.0,
    "UA:motorway": 130.0,
    "UA:rural": 90.0,
    "UA:trunk": 110.0,
    "UA:urban": 50.0,
    "UK:motorway": 112.65,
    "UK:nsl_dual": 112.65,
    "UK:nsl_single": 96.56,
    "UZ:living_street": 30.0,
    "UZ:motorway": 110.0,
    "UZ:rural": 100.0,
    "UZ:urban": 70.0,
}


def clean_maxspeed(value: str) -> float | None:
    """One ``maxspeed`` tag value as km/h, or ``None`` when it is not a speed.

    ``"50"``, ``"50 km/h"`` and ``"30 mph"`` (converted) are numbers; ``"50|30"`` (one
    speed per lane) is their mean; otherwise the value is looked up among the implicit
    ones (``"DE:urban"``); anything else (``"signals"``, ``"none"``) is ``None``.
    """
    mph = "mph" in value.lower()
    speeds: list[float] = []
    for part in value.split("|"):
        match = _NUMBER.match(part)
        try:
            speed = float(match.group(1).replace(",", "."))  # type: ignore[union-attr]
        except (ValueError, AttributeError):
            return IMPLICIT_MAXSPEEDS.get(value)
        speeds.append(speed * MILES_TO_KM if mph else speed)
    return float(np.mean(speeds))


def collapse_maxspeeds(values: Sequence[str]) -> float | None:
    """The speed of a road merged from parts with different ``maxspeed`` values, km/h.

    The mean of the values that are speeds (:func:`clean_maxspeed`), or ``None`` when
    none is. osmnx takes it over a pandas Series, so do we: the same sum, to the bit.
    """
    import pandas as pd

    speeds = pd.Series([clean_maxspeed(v) for v in values], dtype=float).dropna()
    mean = float(np.mean(speeds)) if len(speeds) else float("nan")
    return None if np.isnan(mean) else mean
