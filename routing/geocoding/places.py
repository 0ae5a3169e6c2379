"""Named places of an area ("Compare Foods", "Queens Reformed Church"), and the hub.

An area import keeps every named shop, amenity, office or park of the map
(:attr:`routing.roads.graph.Area.places`). :func:`find_places` looks a name up among them
the way people type it (case, accents, "St" for "Saint", a letter wrong), so that
:func:`find_hub` can take the hub as groups call it, as well as an address or ``LAT,LON``.
A whole street is no hub: drivers would not know where on it to load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from routing.errors import InputError, InputProblem
from routing.geocoding.normalize import fold
from routing.geocoding.result import Geocoder
from routing.model import Hub, LatLon

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

#: A name this close (0-100) to a place's is that place.
SAME_NAME = 90.0
#: This close, it is offered as "did you mean".
CLOSE_NAME = 75.0


@dataclass(frozen=True)
class Place:
    """One named place of the area."""

    name: str
    #: "shop=supermarket", "amenity=place_of_worship", ...
    kind: str
    #: Its address as the map gives it ("206-16 Hollis Avenue, 11429"), or "".
    address: str
    location: LatLon


def _key(name: str) -> str:
    text = re.sub(r"[^0-9a-z]+", " ", fold(name).replace("'", ""))
    return " ".join({"saint": "st", "mount": "mt"}.get(w, w) for w in text.split())


def _place(row: pd.Series) -> Place:
    street = " ".join(x for x in (str(row["housenumber"]), str(row["street"])) if x)
    address = ", ".join(x for x in (street, str(row["postcode"])) if x)
    return Place(
        str(row["name"]), str(row["kind"]), address, LatLon(float(row["lat"]), float(row["lon"]))
    )


def find_places(name: str, places: pd.DataFrame | None) -> tuple[list[Place], list[str]]:
    """The places named ``name`` (several when a name is shared, a chain's shops), and, when
    there is none, the names close to it ("did you mean").
    """
    if places is None or places.empty or not name.strip():
        return [], []
    keys = [_key(n) for n in places["name"]]
    want = _key(name)
    same = [i for i, k in enumerate(keys) if k == want]
    if not same:
        hits = process.extract(want, keys, scorer=fuzz.ratio, limit=5, score_cutoff=CLOSE_NAME)
        same = [i for _, score, i in hits if score >= SAME_NAME]
        if not same:
            close = list(dict.fromkeys(str(places["name"].iloc[i]) for _, _, i in hits))
            return [], close
        best = max(score for _, score, _ in hits)
        same = [i for _, score, i in hits if score == best]
    return [_place(places.iloc[i]) for i in same], []


def find_hub(
    text: str,
    geocoder: Geocoder,
    places: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    *,
    name: str | None = None,
    note: str = "",
    field: str = "--hub",
) -> tuple[Hub, list[InputProblem]]:
    """The hub ``text`` names: ``"LAT,LON"``, a named place of the area, or an address in
    it; and warnings about it (a corner, a weak match). ``name`` and ``note`` are what
    drivers read: the hub's name (default: the place's name, or the text) and its pickup
    note. ``places`` (the area's named places) may be a function that reads them, called
    only when the text is not a LAT,LON.

    Raises :class:`InputError` naming ``field`` for a street without a house number, a
    name several places share, or nothing found (with the names close to it).
    """
    text = text.strip()
    try:
        point = LatLon.parse(text, field)
    except InputError:
        point = None
    if point is not None:
        return Hub("hub", name or "Hub", point, address="", note=note), []
    found, close = find_places(text, places() if callable(places) else places)
    if len(found) == 1:
        p = found[0]
        return Hub("hub", name or p.name, p.location, address=p.address, note=note), []
    if found:
        where = "; ".join(p.address or str(p.location) for p in found)
        raise InputError(
            InputProblem(
                field,
                text,
                f"{len(found)} places are called so in this area ({where}): give the address "
                "or LAT,LON of the one drivers load at",
            )
        )
    result = geocoder.geocode(text)
    if result.placed and result.location is not None and result.precision != "given":
        if result.precision == "street":
            span = getattr(geocoder, "street_span_m", lambda _s: None)(result.matched)
            runs = f" runs {span / 1000:.1f} km in this area" if span else " is a whole street"
            raise InputError(
                InputProblem(
                    field,
                    text,
                    f"a street, not a place: {result.matched.split(',')[0]}{runs}. Give the "
                    "house number, the name of the place (a shop, a church), or LAT,LON",
                )
            )
        warnings = []
        if result.precision == "intersection" or result.score < 0.9:
            warnings.append(
                InputProblem(
                    field,
                    text,
                    f"the hub is placed at {result.matched} ({result.reason}); check it",
                    None,
                    "warning",
                )
            )
        hub = Hub("hub", name or text, result.location, address=result.matched, note=note)
        return hub, warnings
    hint = f" Did you mean {' or '.join(repr(c) for c in close[:3])}?" if close else ""
    raise InputError(
        InputProblem(
            field,
            text,
            "neither a named place nor an address of this area." + hint + " Give a place's "
            "name, an address with its house number, or LAT,LON",
        )
    )
