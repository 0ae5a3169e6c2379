"""Offline geocoding against an area's address table.

Recipients' addresses never leave the machine: they are matched against the table of
addresses extracted from the same OpenStreetMap file as the road graph
(:attr:`routing.roads.area.Area.addresses`). Both the table and the query go through
:mod:`routing.geocoding.normalize`, so abbreviations, case, accents, ordinals, hyphenated house
numbers, units and trailing ``", City, ST 12345"`` do not matter; street names are
matched fuzzily (rapidfuzz) with the numbers in a street's name matched exactly
("218th St" is never "219th St").

Every result says how it was placed (``precision``):

``exact``
    the house number was found on the street;
``interpolated``
    placed between the nearest known numbers on the same side of the same street;
``street``
    only the street was found (a warning: the point is somewhere on that street);
``intersection``
    a corner ("Hollis Ave & 212th St"), placed where the two streets meet;
``not_found``
    nothing matched well enough: never a guess;
``outside_area``
    the address (its postcode, or given coordinates) lies outside the area.

and carries a ``score`` from 0 to 1, the ``matched`` address, a ``reason`` sentence
(what happened) and, when someone should act, a ``suggestion`` sentence (what to do:
"Check the street name: did you mean 109th Avenue? Or give lat/lon.").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz import fuzz, process

from routing.errors import AreaError
from routing.geo import distance_m
from routing.geocoding.corners import Corner, Corners, comes_near, hinted, split_corner
from routing.geocoding.kept import keep, read_kept
from routing.geocoding.normalize import (
    ParsedAddress,
    StreetKey,
    housenumber_block,
    housenumber_key,
    housenumber_lookup_key,
    housenumber_value,
    hyphenated,
    parse_address,
    street_key,
)
from routing.geocoding.result import GeocodeResult
from routing.model import LatLon

if TYPE_CHECKING:
    import pandas as pd

#: A street match needs this fuzzy score (0-100) when the house number confirms it ...
MIN_SCORE_WITH_NUMBER = 72.0
#: ... and this much when it does not.
MIN_SCORE = 84.0
#: Known numbers further apart than this are too far to interpolate between.
MAX_INTERPOLATION_GAP_M = 250.0
#: A weaker street match is still taken when no other street comes within this margin.
CLEAR_WINNER_SCORE = 75.0
CLEAR_MARGIN = 10.0
#: Several table rows for one address closer than this are the same place.
SAME_PLACE_M = 100.0
_PRECISION_FACTOR = {"exact": 1.0, "interpolated": 0.9, "intersection": 0.9, "street": 0.6}
#: Without the area's crossings, two streets whose addresses come this close meet.
CORNER_FROM_ADDRESSES_M = 120.0
_CHECK_CORNER = "Check the corner's street names, or give a house number or lat/lon."
_GIVE_NUMBER = "Give a house number, or lat/lon."


def _join(number: str, street: str, number_first: bool) -> str:
    """An address in the order it was written: "12 Oak Street" or "Calle Sol 12"."""
    return f"{number} {street}" if number_first else f"{street} {number}"


@dataclass
class _Street:
    name: str
    key: str
    core: str
    kind: str
    numbers: tuple[str, ...]
    #: house number key -> table row positions
    by_number: dict[str, list[int]] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)
    postcodes: set[str] = field(default_factory=set)


class OfflineGeocoder:
    """Geocode addresses against an address table, with no network.

    Parameters
    ----------
    addresses:
        Table with columns ``housenumber``, ``street``, ``postcode`` (``""`` if missing),
        ``city``, ``lat``, ``lon``; one row per address point.
    bbox:
        The area's bounding box as ``(min_lat, min_lon, max_lat, max_lon)`` in degrees
        (:attr:`routing.roads.area.Area.bbox`); by default
        the table's extent plus about 200 m. Given coordinates outside it are reported
        ``outside_area``.

    Raises
    ------
    AreaError
        When the table lacks a required column.
    """

    def __init__(
        self,
        addresses: pd.DataFrame,
        *,
        bbox: Sequence[float] | None = None,
        crossings: pd.DataFrame | None = None,
    ) -> None:
        import pandas as pd

        missing = {"housenumber", "street", "lat", "lon"} - set(addresses.columns)
        if missing:
            raise AreaError(f"address table lacks columns: {', '.join(sorted(missing))}")
        table = addresses.reset_index(drop=True)
        n = len(table)
        self._hn = table["housenumber"].fillna("").astype(str).str.strip().to_numpy()
        self._pc = (
            table["postcode"].fillna("").astype(str).str.strip().to_numpy()
            if "postcode" in table
            else np.full(n, "", dtype=object)
        )
        self._lat = pd.to_numeric(table["lat"], errors="coerce").to_numpy(dtype=float)
        self._lon = pd.to_numeric(table["lon"], errors="coerce").to_numpy(dtype=float)
        raw_streets = table["street"].fillna("").astype(str).to_numpy()
        # Read once per distinct house number (a street's numbers repeat across streets).
        read = {h: (housenumber_value(h), housenumber_block(h)) for h in set(self._hn)}
        self._values: list[tuple[int, int] | None] = [read[h][0] for h in self._hn]
        self._blocks: list[str] = [read[h][1] for h in self._hn]
        number_keys = dict(zip(read, map(housenumber_lookup_key, read), strict=True))

        streets: dict[str, _Street] = {}
        names: dict[str, Counter[str]] = defaultdict(Counter)
        keys: dict[str, StreetKey] = {}
        finite = np.isfinite(self._lat) & np.isfinite(self._lon)
        for i in range(n):
            if not finite[i]:
                continue
            # Messy tables put "Nayarit, 301" in addr:street; the name is before the comma.
            raw = raw_streets[i].split(",")[0].strip()
            if not raw:
                continue
            sk = keys.get(raw)
            if sk is None:
                sk = keys[raw] = street_key(raw)
            if not sk.key:
                continue
            st = streets.get(sk.key)
            if st is None:
                st = streets[sk.key] = _Street(raw, sk.key, sk.core, sk.kind, sk.numbers)
            names[sk.key][raw] += 1
            st.rows.append(i)
            if self._pc[i]:
                st.postcodes.add(self._pc[i])
            hkey = number_keys[self._hn[i]]
            if hkey:
                st.by_number.setdefault(hkey, []).append(i)
        for key, st in streets.items():
            st.name = names[key].most_common(1)[0][0]
        self._streets = list(streets.values())
        self._by_key = {st.key: st for st in self._streets}
        self._by_core: dict[str, list[_Street]] = defaultdict(list)
        for st in self._streets:
            self._by_core[st.core].append(st)
        self._cores = list(self._by_core)
        self.postcodes: frozenset[str] = frozenset(p for p in self._pc if p)
        counts = Counter(p for p in self._pc if p)
        main = sorted(p for p, c in counts.items() if c >= 0.01 * n)
        edge = sorted(set(counts) - set(main))
        #: "11364, 11411, ...; at its edges 11003, ...": every postcode, the main ones first.
        self.postcode_list = ", ".join(main) + (f"; at its edges {', '.join(edge)}" if edge else "")
        # Judge "outside the area" by postcode only where the table mostly has them.
        self._postcodes_reliable = n > 0 and sum(1 for p in self._pc if p) >= 0.5 * n
        if bbox is None:
            ok = np.isfinite(self._lat) & np.isfinite(self._lon)
            if ok.any():
                pad = 0.002
                bbox = (
                    float(self._lat[ok].min()) - pad,
                    float(self._lon[ok].min()) - pad,
                    float(self._lat[ok].max()) + pad,
                    float(self._lon[ok].max()) + pad,
                )
        self.bbox: tuple[float, float, float, float] | None = (
            tuple(float(v) for v in bbox) if bbox is not None else None  # type: ignore[assignment]
        )
        self._candidates = lru_cache(maxsize=4096)(self._street_candidates)
        self._corners = Corners(crossings, self._street_points, CORNER_FROM_ADDRESSES_M)

    @classmethod
    def from_area(cls, area: Any) -> OfflineGeocoder:
        """Build from a :class:`routing.roads.area.Area` (its ``addresses``, ``bbox`` and
        street ``crossings``), or read the index kept from an earlier run (see
        :mod:`routing.geocoding.kept`)."""
        kept = read_kept(area)
        if isinstance(kept, cls):
            return kept
        geocoder = cls(
            area.addresses,
            bbox=getattr(area, "bbox", None),
            crossings=getattr(area, "crossings", None),
        )
        keep(area, geocoder)
        return geocoder

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["_candidates"]  # a cache of lookups, made again
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._candidates = lru_cache(maxsize=4096)(self._street_candidates)

    def __len__(self) -> int:
        return len(self._hn)

    # --- public -------------------------------------------------------------------------

    def contains(self, point: LatLon) -> bool:
        """True when ``point`` lies inside the area's bounding box."""
        if self.bbox is None:
            return True
        south, west, north, east = self.bbox
        return south <= point.lat <= north and west <= point.lon <= east

    def geocode(self, address: str, *, postcode: str = "", unit: str = "") -> GeocodeResult:
        """Place one address written the way people write them.

        ``postcode`` (from its own column) chooses between same-named streets; ``unit`` is
        accepted for the :class:`Geocoder` protocol and does not change the point. A corner
        ("Hollis Ave & 212th St") is placed where the two streets meet.
        """
        corner = split_corner(address)
        if corner is not None:
            # "Perseo 201 esq. Argo": a house number with the corner as a hint, as
            # addresses in Mexico are often written; the number wins where it is known.
            numbered = parse_address(corner.a)
            if numbered.housenumber:
                at = self._resolve(numbered, str(postcode or "").strip() or numbered.postcode)
                if at.precision in ("exact", "interpolated") and at.location is not None:
                    crossing = (
                        self._street_points(k) for _, k, _ in self._corner_streets(corner.b)
                    )
                    near = comes_near(at.location, (p for p in crossing if p is not None))
                    return hinted(at, corner.b, near)
            found = self._corner(corner, str(postcode or "").strip())
            if found is not None:
                return found
        parsed = parse_address(address)
        pc = str(postcode or "").strip() or parsed.postcode
        if (
            pc.isdigit()
            and len(pc) < 5
            and self.postcodes
            and any(len(p) == 5 for p in self.postcodes)
        ):
            pc = pc.zfill(5)  # a spreadsheet ate the leading zero: 02139 -> 2139
        found = self._resolve(parsed, pc)
        spaced = hyphenated(address)  # "98 12 218th St" is 98-12 when that is found
        if spaced and found.precision not in ("exact", "interpolated"):
            hyphened = self._resolve(parse_address(spaced), pc)
            if hyphened.precision in ("exact", "interpolated"):
                return hyphened
        return found

    def geocode_many(
        self,
        addresses: Sequence[str],
        *,
        postcodes: Sequence[str] | None = None,
        units: Sequence[str] | None = None,
    ) -> list[GeocodeResult]:
        """Place many addresses; street matches are cached, so repeated streets are cheap."""
        pcs: Iterable[str] = postcodes if postcodes is not None else [""] * len(addresses)
        return [self.geocode(a, postcode=p) for a, p in zip(addresses, pcs, strict=True)]

    # --- matching -----------------------------------------------------------------------

    def _street_candidates(self, text: str) -> tuple[tuple[float, str], ...]:
        """``(score 0-100, street key)`` pairs for a street as typed, best first.

        Words after the street name ("Hempstead Av Queens Village NY") are tolerated by
        also trying the leading words alone.
        """
        words = text.split()
        best: dict[str, float] = {}
        for k in range(len(words), 0, -1):
            dropped = len(words) - k
            for score, key in self._match_words(" ".join(words[:k])):
                score -= 0.5 * dropped
                if score > best.get(key, -1):
                    best[key] = score
            if best and max(best.values()) >= 99:
                break
            if k > 6 and dropped >= 4:
                break
        return tuple(sorted(((s, k) for k, s in best.items()), reverse=True))

    def _match_words(self, text: str) -> list[tuple[float, str]]:
        sk = street_key(text, fix_typos=True)
        if not sk.key:
            return []
        if sk.key in self._by_key:
            # Also the same name with another or no type ("Calle Aborada" / "Aborada"),
            # a little lower, so that the house number can choose between them.
            same = [
                (96.0, st.key)
                for st in self._by_core.get(sk.core, ())
                if st.key != sk.key and (not st.kind or not sk.kind)
            ]
            return [(100.0, sk.key), *same]
        out: list[tuple[float, str]] = []
        if not sk.core:
            return out
        hits = process.extract(sk.core, self._cores, scorer=fuzz.ratio, score_cutoff=60, limit=12)
        for core, score, _ in hits:
            for st in self._by_core[core]:
                if st.numbers != sk.numbers:
                    continue  # "218th St" is never "219th St"
                s = float(score)
                if st.kind != sk.kind:
                    s -= 4.0 if not st.kind or not sk.kind else 30.0
                out.append((s, st.key))
        # A type written as part of the name, or a name with no type at all.
        if not out and sk.kind:
            whole = process.extractOne(sk.key, self._cores, scorer=fuzz.ratio, score_cutoff=85)
            if whole:
                out.extend(
                    (float(whole[1]) - 4.0, st.key)
                    for st in self._by_core[whole[0]]
                    if st.numbers == sk.numbers
                )
        return out

    def _resolve(self, parsed: ParsedAddress, postcode: str) -> GeocodeResult:
        number, street = parsed.housenumber, parsed.street
        outside = bool(postcode) and self._postcodes_reliable and postcode not in self.postcodes
        if outside:
            elsewhere = GeocodeResult(
                None,
                "outside_area",
                0.0,
                "",
                f"postcode {postcode} is not in this area (its postcodes: {self.postcode_list})",
            )
            # A mistyped postcode on an address that exists here, number and all: place it,
            # with a lower score so that the importer asks someone to check.
            hkey = housenumber_key(number) if number else ""
            hits = [
                (s, k)
                for s, k in (self._candidates(street) if street else ())
                if hkey and s >= MIN_SCORE and hkey in self._by_key[k].by_number
            ]
            if not hits:
                return GeocodeResult(
                    None,
                    "outside_area",
                    0.0,
                    "",
                    elsewhere.reason,
                    f"Check the postcode ({postcode}); if it is right, this household is "
                    "outside the area and needs another pantry.",
                )
            score, key = hits[0]
            found = self._exact(self._by_key[key], hkey, "", score, parsed.number_first)
            if found.location is None:
                return elsewhere
            return GeocodeResult(
                found.location,
                "exact",
                round(found.score * 0.85, 3),
                found.matched,
                f"{elsewhere.reason}; matched without it",
                f"Check the postcode: {postcode} is not in this area, "
                f"the address was placed at {found.matched}.",
            )
        candidates = self._candidates(street) if street else ()
        if number and not candidates:
            # "Calle 7", "Route 66": the "house number" was part of the street's name.
            whole = f"{street} {number}".strip()
            cands = self._candidates(whole)
            if cands and cands[0][0] >= MIN_SCORE:
                candidates, number, street = cands, "", whole
        if not street and not candidates:
            return GeocodeResult(
                None,
                "not_found",
                0.0,
                "",
                "no street name in the address",
                "Add the street name (e.g. 12 Oak Street) or give lat/lon.",
            )
        hkey = housenumber_key(number) if number else ""

        # 1. The house number on a matching street: exact.
        if hkey:
            exact = [
                (self._postcode_match(self._by_key[k], postcode, hkey), s, k)
                for s, k in candidates
                if s >= MIN_SCORE_WITH_NUMBER and hkey in self._by_key[k].by_number
            ]
            if exact:
                _, score, key = max(exact)
                return self._exact(self._by_key[key], hkey, postcode, score, parsed.number_first)

        good = [(s, k) for s, k in candidates if s >= MIN_SCORE]
        if (
            not good
            and candidates
            and candidates[0][0] >= CLEAR_WINNER_SCORE
            and (len(candidates) == 1 or candidates[1][0] <= candidates[0][0] - CLEAR_MARGIN)
        ):
            good = [candidates[0]]  # "Dunotn Ave": one street comes close, none other does
        if not good:
            closest = self._by_key[candidates[0][1]].name if candidates else ""
            near = f" (closest: {closest})" if closest else ""
            fix = (
                f"Check the street name: did you mean {closest}? Or give lat/lon."
                if closest
                else "Check the street name and spelling, or give lat/lon."
            )
            return GeocodeResult(
                None, "not_found", 0.0, "", f"no street like {street!r} in this area{near}", fix
            )
        # Prefer a street in the given postcode among the good ones.
        top = max(
            good, key=lambda sk: (self._postcode_match(self._by_key[sk[1]], postcode, ""), sk[0])
        )
        score, key = top
        st = self._by_key[key]
        rows = self._in_postcode(st.rows, postcode)

        # 2. Between the nearest known numbers on the same side: interpolated.
        value = housenumber_value(number) if number else None
        if value is not None:
            placed = self._interpolate(st, rows, value, housenumber_block(number))
            if placed is not None:
                point, lo, hi = placed
                return GeocodeResult(
                    point,
                    "interpolated",
                    self._score(score, "interpolated"),
                    _join(number, st.name, parsed.number_first) + self._pc_suffix(rows),
                    f"house number {number} is not in the address table; placed between "
                    f"{self._hn[lo]} and {self._hn[hi]}",
                )

        # 3. The street only: a warning. At the nearest known number when there is one.
        if value is not None:
            nearest = self._nearest_number(rows, value)
            if nearest is not None:
                return GeocodeResult(
                    LatLon(float(self._lat[nearest]), float(self._lon[nearest])),
                    "street",
                    self._score(score, "street"),
                    f"{st.name}{self._pc_suffix(rows)}",
                    f"house number {number} not found on {st.name}; placed at the nearest "
                    f"known number, {self._hn[nearest]}",
                    f"Check the house number on {st.name}, or give lat/lon.",
                )
        point = self._street_point(rows)
        why = (
            f"house number {number} not found on {st.name}"
            if number
            else "no house number in the address"
        )
        fix = (
            f"Check the house number on {st.name}, or give lat/lon."
            if number
            else f"Add the house number on {st.name}, or give lat/lon."
        )
        return GeocodeResult(
            point,
            "street",
            self._score(score, "street"),
            f"{st.name}{self._pc_suffix(rows)}",
            f"{why}; placed in the middle of the street",
            fix,
        )

    def streets_like(self, street: str, limit: int = 3) -> list[str]:
        """The area's street names closest to ``street`` as typed, best first."""
        return [self._by_key[k].name for _, k in self._candidates(street)[:limit]]

    def street_span_m(self, street: str) -> float | None:
        """How far apart the known addresses of ``street`` (a name as the table writes it)
        lie, end to end; ``None`` for a street not in the table."""
        st = self._by_key.get(street_key(street.split(",")[0]).key)
        if st is None:
            return None
        lats, lons = self._lat[st.rows], self._lon[st.rows]
        return distance_m(LatLon(lats.min(), lons.min()), LatLon(lats.max(), lons.max()))

    def _corner_streets(self, text: str) -> list[tuple[float, str, str]]:
        """(score, key, name) of the streets ``text`` may be: the address table's, then the
        crossings' own names (a road with no addresses along it)."""
        out = [(s, k, self._by_key[k].name) for s, k in self._candidates(text) if s >= MIN_SCORE]
        key = street_key(text, fix_typos=True).key
        if not out and key in self._corners.keys:
            out.append((100.0, key, text))
        return out[:3]

    def _corner(self, corner: Corner, postcode: str) -> GeocodeResult | None:
        """Where the two streets of ``corner`` meet; not found when they do not; ``None``
        when it was no corner after all (neither part a street, with "and" or "y")."""
        streets_a, streets_b = self._corner_streets(corner.a), self._corner_streets(corner.b)
        if not streets_a or not streets_b:
            if not corner.strong and not streets_a and not streets_b:
                return None
            missing = corner.a if not streets_a else corner.b
            why = f"a corner of two streets, and no street like {missing!r} in this area"
            return GeocodeResult(None, "not_found", 0.0, "", why, _CHECK_CORNER)
        for sa, ka, name_a in streets_a:
            for sb, kb, name_b in streets_b:
                if ka == kb:
                    continue
                points = self._corners.where(ka, kb)
                if len(points) > 1:
                    why = f"{name_a} and {name_b} meet at {len(points)} places"
                    return GeocodeResult(None, "not_found", 0.0, "", why, _GIVE_NUMBER)
                if points:
                    score = self._score(min(sa, sb), "intersection")
                    pc = f", {postcode}" if postcode in self.postcodes else ""
                    return GeocodeResult(
                        points[0],
                        "intersection",
                        score,
                        f"{name_a} & {name_b}{pc}",
                        f"placed at the corner of {name_a} and {name_b}",
                    )
        why = f"{streets_a[0][2]} and {streets_b[0][2]} do not meet in this area"
        return GeocodeResult(None, "not_found", 0.0, "", why, _CHECK_CORNER)

    def _street_points(self, key: str) -> tuple[np.ndarray, np.ndarray] | None:
        st = self._by_key.get(key)
        return None if st is None else (self._lat[st.rows], self._lon[st.rows])

    def _nearest_number(self, rows: list[int], value: tuple[int, int]) -> int | None:
        """Row of the known number closest in value, same side of the street first."""
        best: tuple[int, int, int] | None = None
        for i in rows:
            v = self._values[i]
            if v is None:
                continue
            key = (int(v[1] != value[1]), abs(v[0] - value[0]), i)
            if best is None or key < best:
                best = key
        return best[2] if best is not None else None

    def _postcode_match(self, st: _Street, postcode: str, hkey: str) -> int:
        if not postcode:
            return 0
        if hkey:
            return int(any(self._pc[i] == postcode for i in st.by_number[hkey]))
        return int(postcode in st.postcodes)

    def _in_postcode(self, rows: list[int], postcode: str) -> list[int]:
        if postcode:
            same = [i for i in rows if self._pc[i] == postcode]
            if same:
                return same
        return rows

    def _exact(
        self, st: _Street, hkey: str, postcode: str, score: float, number_first: bool = True
    ) -> GeocodeResult:
        rows = self._in_postcode(st.by_number[hkey], postcode)
        lats, lons = self._lat[rows], self._lon[rows]
        point = LatLon(float(lats.mean()), float(lons.mean()))
        spread = max(
            distance_m(point, LatLon(float(a), float(b))) for a, b in zip(lats, lons, strict=True)
        )
        first = rows[0]
        matched = _join(self._hn[first], st.name, number_first) + self._pc_suffix([first])
        if spread > SAME_PLACE_M:
            # Same number and street in two places (two towns): say so rather than guess.
            where = ", ".join(sorted({self._pc[i] or "?" for i in rows}))
            return GeocodeResult(
                None,
                "not_found",
                0.0,
                matched,
                f"{len(rows)} places match (postcodes {where}); add the postcode",
            )
        reason = "" if score >= 99 else f"street matched to {st.name} (score {score:.0f})"
        return GeocodeResult(point, "exact", self._score(score, "exact"), matched, reason)

    def _interpolate(
        self, st: _Street, rows: list[int], value: tuple[int, int], block: str = ""
    ) -> tuple[LatLon, int, int] | None:
        target, parity = value
        lo = hi = None
        for i in rows:
            v = self._values[i]
            if v is None or v[1] != parity:
                continue
            if v[0] < target and (lo is None or v[0] > self._values[lo][0]):  # type: ignore[index]
                lo = i
            elif v[0] > target and (hi is None or v[0] < self._values[hi][0]):  # type: ignore[index]
                hi = i
        if lo is None or hi is None:
            return None
        if block and (self._blocks[lo] != block or self._blocks[hi] != block):
            return None  # "203-06" lies in block 203: numbers differ in scale across blocks
        a = LatLon(float(self._lat[lo]), float(self._lon[lo]))
        b = LatLon(float(self._lat[hi]), float(self._lon[hi]))
        if distance_m(a, b) > MAX_INTERPOLATION_GAP_M:
            return None
        v_lo, v_hi = self._values[lo][0], self._values[hi][0]  # type: ignore[index]
        t = (target - v_lo) / (v_hi - v_lo)
        return LatLon(a.lat + t * (b.lat - a.lat), a.lon + t * (b.lon - a.lon)), lo, hi

    def _street_point(self, rows: list[int]) -> LatLon:
        lats, lons = self._lat[rows], self._lon[rows]
        mid_lat, mid_lon = float(np.median(lats)), float(np.median(lons))
        i = int(np.argmin((lats - mid_lat) ** 2 + ((lons - mid_lon) * 0.75) ** 2))
        return LatLon(float(lats[i]), float(lons[i]))

    def _pc_suffix(self, rows: list[int]) -> str:
        pcs = [self._pc[i] for i in rows if self._pc[i]]
        return f", {Counter(pcs).most_common(1)[0][0]}" if pcs else ""

    @staticmethod
    def _score(street_score: float, precision: str) -> float:
        return round(max(0.0, min(1.0, street_score / 100)) * _PRECISION_FACTOR[precision], 3)
