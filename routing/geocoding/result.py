"""What a geocoder answers (:class:`GeocodeResult`), and what the importer needs from one
(:class:`Geocoder`): the offline one (:mod:`routing.geocoding.offline`) and the online ones
(:mod:`routing.geocoding.online`) alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from routing.model import LatLon

Precision = Literal[
    "given", "exact", "interpolated", "intersection", "street", "not_found", "outside_area"
]
#: Precisions that put a point on the map.
PLACED: frozenset[str] = frozenset({"given", "exact", "interpolated", "intersection", "street"})


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """Where an address was placed, how precisely, and what it was matched to.

    ``reason`` says what happened; ``suggestion`` is one short sentence telling the
    dispatcher how to fix it (empty when nothing needs fixing).
    """

    location: LatLon | None
    precision: Precision
    score: float = 0.0
    matched: str = ""
    reason: str = ""
    suggestion: str = ""

    @property
    def placed(self) -> bool:
        """True when the result puts a point on the map."""
        return self.location is not None and self.precision in PLACED


@runtime_checkable
class Geocoder(Protocol):
    """What the importer needs from a geocoder, offline or online."""

    def geocode(self, address: str, *, postcode: str = "", unit: str = "") -> GeocodeResult:
        """Place one address."""
        ...

    def geocode_many(
        self,
        addresses: Sequence[str],
        *,
        postcodes: Sequence[str] | None = None,
        units: Sequence[str] | None = None,
    ) -> list[GeocodeResult]:
        """Place many addresses; same order as given."""
        ...
