"""Street corners: "Hollis Ave & 212th St", "corner of A and B", "esquina de A y B".

:func:`split_corner` says whether an address is written as the corner of two streets, and
which; :class:`Corners` knows where the area's named streets meet (the crossings an area
import keeps: a road node shared by ways of two names, see
:func:`routing.roads.osm.crossings`). The offline geocoder places a corner there, or says
the streets do not meet: never somewhere along one of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from string import capwords
from typing import TYPE_CHECKING

import numpy as np

from routing.geo import distance_m
from routing.geocoding.normalize import fold, street_key
from routing.geocoding.result import GeocodeResult
from routing.model import LatLon

if TYPE_CHECKING:
    import pandas as pd

#: "A & B", "A / B", "A @ B", and the words that open a corner: always a corner.
_STRONG = re.compile(
    r"^\s*(?:(?:at\s+)?(?:the\s+)?corner\s+of\s+|esquina\s+(?:de\s+)?|esq\.?\s+(?:de\s+)?|"
    r"cruce\s+de\s+|interseccion\s+de\s+)(?P<a>.+?)\s+(?:and|&|y|e|con|with|/)\s+(?P<b>.+)$"
    r"|^\s*(?P<c>[^&/@]+?)\s*(?:&|@|/|\+)\s*(?P<d>[^&/@]+)$"
)
#: "A and B", "A at B", "A y B", "A esq. B": a corner only when both are streets.
_WEAK = re.compile(r"^\s*(?P<a>.+?)\s+(?:and|at|y|e|esq\.?|esquina(?:\s+con)?|con|x)\s+(?P<b>.+)$")
#: "S/N", "s.n.": no house number (Mexico), not a corner.
_NO_NUMBER = re.compile(r"\bs\s*/\s*n\b\.?|\bs\.\s*n\.")
#: A trailing postcode or ", City, ST": not part of the second street's name.
_TAIL = re.compile(r"\s*(?:,.*|\b\d{5}(?:-\d{4})?\s*)$")
#: Several nodes of one corner (a divided road) lie within this; farther is two corners.
SAME_CORNER_M = 100.0


@dataclass(frozen=True)
class Corner:
    """An address written as the corner of two streets, as typed."""

    a: str
    b: str
    #: Written with "&", "/", "corner of", "esquina de": certainly a corner.
    strong: bool


def split_corner(text: str) -> Corner | None:
    """The two streets of an address written as a corner, or ``None``.

    ``"Hollis Ave & 212th St, 11429"`` -> ``Corner("hollis ave", "212th st", strong=True)``;
    ``"Hollis Ave and 212th St"`` -> weak (a street may have "and" in its name). An address
    that starts with a house number ("206-16 Hollis Ave") is no corner.
    """
    folded = " ".join(_NO_NUMBER.sub(" ", fold(text)).split())
    if re.match(r"^\d+(?:-\d+)?[a-z]?\s", folded) and not re.match(
        r"^\d+(?:st|nd|rd|th)?\s+(?:st|street|av|ave|avenue|rd|road|pl|place|dr|drive|ln|lane)\b",
        folded,
    ):
        return None  # "206-16 Hollis Ave": a house number, not a numbered street
    for pattern, strong in ((_STRONG, True), (_WEAK, False)):
        m = pattern.match(folded)
        if m is None:
            continue
        a = (m.group("a") if m.group("a") is not None else m.group("c")) if strong else m["a"]
        b = (m.group("b") if m.group("b") is not None else m.group("d")) if strong else m["b"]
        a, b = a.strip(" ,.-"), _TAIL.sub("", b).strip(" ,.-")
        if len(a) > 1 and len(b) > 1 and re.search(r"[a-z]", a) and re.search(r"[a-z0-9]", b):
            return Corner(a, b, strong)
    return None


class Corners:
    """Where the area's named streets meet, by street key (:func:`street_key`).

    An area imported before its crossings were kept has none: then two streets meet where
    their addresses (``points(key)``: their lats and lons) come within ``within_m``.
    """

    def __init__(
        self,
        crossings: pd.DataFrame | None,
        points: Callable[[str], tuple[np.ndarray, np.ndarray] | None] | None = None,
        within_m: float = 120.0,
    ) -> None:
        self._points, self._within_m = points, within_m
        self._at: dict[frozenset[str], list[LatLon]] = {}
        self.keys: frozenset[str] = frozenset()
        if crossings is None or crossings.empty:
            return
        keys: dict[str, str] = {}
        for a, b, lat, lon in crossings[["street_a", "street_b", "lat", "lon"]].itertuples(
            index=False
        ):
            ka = keys.get(a) or keys.setdefault(a, street_key(a).key)
            kb = keys.get(b) or keys.setdefault(b, street_key(b).key)
            if ka and kb and ka != kb:
                self._at.setdefault(frozenset((ka, kb)), []).append(LatLon(lat, lon))
        self.keys = frozenset(k for pair in self._at for k in pair)

    def __bool__(self) -> bool:
        return bool(self._at)

    def where(self, ka: str, kb: str) -> list[LatLon]:
        """The corners of the two streets: one point per place they meet (a divided road's
        nodes taken together)."""
        if not self._at and self._points is not None:
            a, b = self._points(ka), self._points(kb)
            found = None if a is None or b is None else nearest_between(*a, *b, self._within_m)
            return [found] if found is not None else []
        return _clusters(self._at.get(frozenset((ka, kb)), []))


def _clusters(points: Iterable[LatLon]) -> list[LatLon]:
    """Points within :data:`SAME_CORNER_M` of a cluster's first point taken together."""
    groups: list[list[LatLon]] = []
    for p in points:
        for g in groups:
            if distance_m(g[0], p) <= SAME_CORNER_M:
                g.append(p)
                break
        else:
            groups.append([p])
    return [
        LatLon(float(np.mean([p.lat for p in g])), float(np.mean([p.lon for p in g])))
        for g in groups
    ]


def nearest_between(
    lat_a: np.ndarray, lon_a: np.ndarray, lat_b: np.ndarray, lon_b: np.ndarray, within_m: float
) -> LatLon | None:
    """Where two streets' addresses come closest, when closer than ``within_m``: the corner
    of an area imported without its crossings."""
    if not len(lat_a) or not len(lat_b):
        return None
    scale = np.cos(np.radians(float(np.mean(lat_a))))
    d = (lat_a[:, None] - lat_b[None, :]) ** 2 + ((lon_a[:, None] - lon_b[None, :]) * scale) ** 2
    i, j = np.unravel_index(int(np.argmin(d)), d.shape)
    a = LatLon(float(lat_a[i]), float(lon_a[i]))
    b = LatLon(float(lat_b[j]), float(lon_b[j]))
    if distance_m(a, b) > within_m:
        return None
    return LatLon((a.lat + b.lat) / 2, (a.lon + b.lon) / 2)


#: A cross street given as a house's corner ("Perseo 201 esq. Argo") is near it within this.
CORNER_HINT_M = 300.0


def comes_near(point: LatLon, streets: Iterable[tuple[np.ndarray, np.ndarray]]) -> bool:
    """Whether any of ``streets`` (each its points' lats and lons) comes within
    :data:`CORNER_HINT_M` of ``point``."""
    scale = np.cos(np.radians(point.lat))
    for lat, lon in streets:
        if len(lat):
            i = int(np.argmin((lat - point.lat) ** 2 + ((lon - point.lon) * scale) ** 2))
            if distance_m(point, LatLon(float(lat[i]), float(lon[i]))) <= CORNER_HINT_M:
                return True
    return False


def hinted(at: GeocodeResult, cross: str, near: bool) -> GeocodeResult:
    """A house placed by its number, its cross street ``cross`` given as a hint: said, and
    the house flagged for a look when that street is not ``near`` it."""
    name = capwords(cross)
    if near:
        return replace(at, reason="; ".join(x for x in (at.reason, f"near {name}") if x))
    why = f"{name}, given as its corner, is not near it"
    return replace(
        at,
        score=min(at.score, 0.8),
        reason="; ".join(x for x in (at.reason, why) if x),
        suggestion=f"Check the house number or the corner: {name} is not near this house.",
    )
