"""The area's streets as a map background: every road way with its name and kind.

aidroute draws its maps' background from the OpenStreetMap data it already holds, so that a
page shows streets and their names without asking a tile server (which would learn which
neighbourhood a group serves, and who is looking). :class:`Streets` keeps each way's shape
as arrays (CSR, like :class:`~routing.roads.graph.RoadGraph`), is saved with the area
(``streets.npz``) and is clipped to what a page shows (:meth:`Streets.clip`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

#: How a way is drawn, by its ``highway`` tag: the first matching class wins.
STREET_CLASSES: tuple[tuple[str, frozenset[str]], ...] = (
    ("major", frozenset({"motorway", "trunk", "primary", "motorway_link", "trunk_link"})),
    ("medium", frozenset({"secondary", "tertiary", "primary_link", "secondary_link"})),
    ("minor", frozenset({"residential", "unclassified", "living_street", "tertiary_link"})),
    ("service", frozenset({"service", "track", "road"})),
)
#: Ways of any other ``highway`` value (footway, cycleway, path, steps, pedestrian ...).
PATH_CLASS = "path"
#: Arrays of ``streets.npz``.
STREET_ARRAYS = ("name", "kind", "indptr", "lat", "lon")


def street_class(highway: str) -> str:
    """``"residential"`` -> ``"minor"``; see :data:`STREET_CLASSES`."""
    for cls, values in STREET_CLASSES:
        if highway in values:
            return cls
    return PATH_CLASS


@dataclass(frozen=True, eq=False)
class Streets:
    """Ways ``i`` = ``name[i]`` (``""`` when unnamed), drawn as ``kind[i]`` (a class of
    :data:`STREET_CLASSES`), through points ``lat/lon[indptr[i]:indptr[i + 1]]``."""

    name: np.ndarray
    kind: np.ndarray
    indptr: np.ndarray
    lat: np.ndarray
    lon: np.ndarray

    def __len__(self) -> int:
        return int(self.name.shape[0])

    @classmethod
    def empty(cls) -> Streets:
        return cls(
            np.array([], dtype=str),
            np.array([], dtype=str),
            np.zeros(1, dtype=np.int64),
            np.array([], dtype=np.float64),
            np.array([], dtype=np.float64),
        )

    @classmethod
    def from_ways(
        cls,
        ways: Iterable[tuple[int, list[int], Mapping[str, str]]],
        coords: Mapping[int, tuple[float, float]],
    ) -> Streets:
        """From OSM ways ``(way_id, node_ids, tags)``, each way once (a way in several
        travel profiles' networks is one street)."""
        seen: set[int] = set()
        names: list[str] = []
        kinds: list[str] = []
        indptr = [0]
        lat: list[float] = []
        lon: list[float] = []
        for way_id, refs, tags in ways:
            pts = [coords[r] for r in refs if r in coords]
            if way_id in seen or len(pts) < 2:
                continue
            seen.add(way_id)
            names.append((tags.get("name") or "").strip())
            kinds.append(street_class(tags.get("highway") or ""))
            lat += [p[0] for p in pts]
            lon += [p[1] for p in pts]
            indptr.append(len(lat))
        if not names:
            return cls.empty()
        return cls(
            np.array(names, dtype=str),
            np.array(kinds, dtype=str),
            np.array(indptr, dtype=np.int64),
            np.round(np.array(lat, dtype=np.float64), 6),
            np.round(np.array(lon, dtype=np.float64), 6),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: getattr(self, k) for k in STREET_ARRAYS}

    def clip(self, bbox: tuple[float, float, float, float]) -> Streets:
        """The ways with a point inside ``bbox`` (``min_lat, min_lon, max_lat, max_lon``),
        whole, so a street leaving the frame is still drawn to its end."""
        if not len(self):
            return self
        inside = (
            (self.lat >= bbox[0])
            & (self.lat <= bbox[2])
            & (self.lon >= bbox[1])
            & (self.lon <= bbox[3])
        )
        way_of_point = np.repeat(np.arange(len(self)), np.diff(self.indptr))
        keep = np.unique(way_of_point[inside])
        starts, ends = self.indptr[keep], self.indptr[keep + 1]
        parts = [np.arange(s, e) for s, e in zip(starts, ends, strict=True)]
        idx = np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)
        return Streets(
            self.name[keep],
            self.kind[keep],
            np.concatenate([[0], np.cumsum(ends - starts)]).astype(np.int64),
            self.lat[idx],
            self.lon[idx],
        )

    def to_json(self, digits: int = 5) -> dict[str, Any]:
        """What a page draws: ``{"classes": [...], "ways": [[class, name, [lat, lon, ...]]]}``,
        coordinates rounded to ``digits`` decimals (5: about a metre)."""
        classes = [c for c, _ in STREET_CLASSES] + [PATH_CLASS]
        index = {c: i for i, c in enumerate(classes)}
        # Every point at once (a page draws thousands of ways), then each way's slice.
        flat = np.empty(2 * len(self.lat))
        flat[0::2] = np.round(self.lat, digits)
        flat[1::2] = np.round(self.lon, digits)
        values, ends = flat.tolist(), (2 * self.indptr).tolist()
        kinds, names = self.kind.tolist(), self.name.tolist()
        ways = [
            [index[str(kinds[i])], str(names[i]), values[ends[i] : ends[i + 1]]]
            for i in range(len(self))
        ]
        return {"classes": classes, "ways": ways}
