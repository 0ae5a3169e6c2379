"""Read an OpenStreetMap extract: the road ways of each travel profile, and the addresses.

Two readers feed one pipeline, so both file formats give the same area:

- ``.osm.pbf`` is streamed with pyosmium (``osmium``), node locations resolved as it goes;
- OSM XML (``.osm``, ``.osm.bz2``, ``.osm.gz``) is streamed by :mod:`routing.roads._osmxml`,
  which reads it as osmnx's XML reader (the one behind ``osmnx.graph_from_xml``) does.

Each reader keeps the ways that pass osmnx's network filter for each profile (see
:mod:`routing.roads._filters`; a raw ``graph_from_xml`` would turn every way, buildings
included, into an edge), drops node references that a clipped extract does not contain,
and collects every feature tagged with ``addr:housenumber`` and ``addr:street``, the named
places a hub may be (shops, amenities, offices, parks: :func:`place_kind`), the street
crossings (a road node shared by ways of two names) and the countries of the addresses.
:func:`osmnx_graph` builds the reference road graph with osmnx itself
(``graph_from_xml`` on the filtered ways, then its speeds and travel times);
:func:`routing.roads.build.road_graph` builds the same graph faster on arrays.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routing.errors import AreaError
from routing.roads._filters import way_filter
from routing.roads._osmxml import read_elements, write_osm
from routing.roads.streets import Streets

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

#: Columns of an area's address table, in order.
ADDRESS_COLUMNS = ("housenumber", "street", "postcode", "city", "lat", "lon")
#: Columns of an area's named places ("Compare Foods", shop=supermarket, ...), in order.
PLACE_COLUMNS = ("name", "kind", "housenumber", "street", "postcode", "lat", "lon")
#: Columns of an area's street crossings: two street names and where they meet.
CROSSING_COLUMNS = ("street_a", "street_b", "lat", "lon")
#: Keys whose named features are places a hub may be (a pantry, a church, a shop).
PLACE_KEYS = ("shop", "amenity", "office", "leisure", "tourism", "craft", "healthcare", "club")
#: Speed in km/h osmnx gives a drivable road whose type has no ``maxspeed`` tag anywhere in
#: the file (the West Oakland fixture has none): 40 km/h = 25 mph, a town's usual limit.
DRIVE_FALLBACK_KPH = 40.0
#: Constant speeds of the non-motorised profiles, km/h.
PROFILE_SPEED_KPH = {"bike": 15.0, "walk": 4.5}


def speed_kph(name: str) -> float:
    """A speed setting in km/h: ``"bike"``, ``"walk"`` or ``"drive_fallback"``.

    Defaults are :data:`PROFILE_SPEED_KPH` and :data:`DRIVE_FALLBACK_KPH`; the environment
    variables ``AIDROUTE_BIKE_KPH``, ``AIDROUTE_WALK_KPH`` and
    ``AIDROUTE_DRIVE_FALLBACK_KPH`` override them. Speeds are fixed when an area is
    imported (its ``meta.json`` records them): re-import to change them.
    """
    default = DRIVE_FALLBACK_KPH if name == "drive_fallback" else PROFILE_SPEED_KPH[name]
    raw = os.environ.get(f"AIDROUTE_{name.upper()}_KPH", "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (0 < value < 300):
        raise AreaError(f"AIDROUTE_{name.upper()}_KPH={raw!r}: expected a speed in km/h")
    return value


#: Profiles where a one-way street can be used both ways (as osmnx's
#: ``settings.bidirectional_network_types``).
BIDIRECTIONAL_PROFILES = frozenset({"walk"})

_ADDR_KEYS = ("addr:housenumber", "addr:street", "addr:postcode", "addr:city")
_TYPE_ORDER = {"node": 0, "way": 1, "relation": 2}


@dataclass
class OsmData:
    """What an import needs from one OSM file.

    ``ways[profile]`` holds ``(way_id, node_ids, tags)`` for the ways in that profile's
    network, node references missing from the file already dropped; ``coords`` maps every
    node id those ways use to ``(lat, lon)``.
    """

    source: Path
    coords: dict[int, tuple[float, float]]
    ways: dict[str, list[tuple[int, list[int], dict[str, str]]]]
    addresses: pd.DataFrame
    timestamp: str | None = None
    dropped_refs: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    #: Named places (see :data:`PLACE_COLUMNS`).
    places: pd.DataFrame = field(default_factory=lambda: _place_table([]))
    #: ``addr:country`` values of the file's addresses, counted.
    countries: Counter[str] = field(default_factory=Counter)

    @property
    def streets(self) -> Streets:
        """Every road way of the imported profiles, once, for the map background."""
        return Streets.from_ways((w for ways in self.ways.values() for w in ways), self.coords)

    @property
    def crossings(self) -> pd.DataFrame:
        """Street crossings (see :data:`CROSSING_COLUMNS`), from the roads' names."""
        return crossings((w for ways in self.ways.values() for w in ways), self.coords)


def osm_format(path: Path) -> str:
    """``"pbf"`` or ``"xml"`` by the file name, or raise :class:`AreaError`."""
    name = path.name.lower()
    if name.endswith(".pbf"):
        return "pbf"
    if name.endswith((".osm", ".osm.bz2", ".osm.gz", ".xml", ".xml.bz2", ".xml.gz")):
        return "xml"
    raise AreaError(
        f"{path}: not an OpenStreetMap file; expected .osm.pbf, .osm, .osm.bz2 or .osm.gz"
    )


def default_area_name(osm_path: Path) -> str:
    """The name an area imported from ``osm_path`` gets unless given one.

    The file name without its extensions, ``_`` as ``-``, lower case:
    ``queens_village_ny.osm.pbf`` -> ``queens-village-ny``.
    """
    name = osm_path.name
    for suffix in (".pbf", ".bz2", ".gz", ".osm", ".xml"):
        name = name.removesuffix(suffix)
    return name.replace("_", "-").lower() or "area"


def read_osm(path: str | Path, profiles: Sequence[str] = ("drive",)) -> OsmData:
    """Read an OSM extract: each profile's road ways and the address table.

    Raises :class:`AreaError` when the file is missing or cannot be read.
    """
    path = Path(path)
    if not path.is_file():
        raise AreaError(f"{path}: no such OpenStreetMap file")
    fmt = osm_format(path)
    filters = {p: way_filter(p) for p in profiles}
    try:
        if fmt == "pbf":
            return _read_pbf(path, filters)
        return _read_xml(path, filters)
    except AreaError:
        raise
    except Exception as e:  # a truncated or foreign file: say which and why
        raise AreaError(f"{path}: cannot read this OpenStreetMap file ({e})") from e


def _useful(tags: Any) -> dict[str, str]:
    from osmnx import settings

    return {k: tags[k] for k in settings.useful_tags_way if k in tags}


def _address(tags: Any) -> tuple[str, str, str, str] | None:
    number = tags.get("addr:housenumber")
    street = tags.get("addr:street")
    if not number or not street:
        return None
    return (number, street, tags.get("addr:postcode") or "", tags.get("addr:city") or "")


def place_kind(tags: Any) -> str:
    """``"shop=supermarket"`` for a named feature a hub may be; ``""`` for any other."""
    if not tags.get("name"):
        return ""
    for key in PLACE_KEYS:
        value = tags.get(key)
        if value and value != "no":
            return f"{key}={value}"
    return ""


def _place_row(tags: Any, kind: str, lat: float, lon: float) -> tuple[Any, ...]:
    return (
        tags.get("name"),
        kind,
        tags.get("addr:housenumber") or "",
        tags.get("addr:street") or "",
        tags.get("addr:postcode") or "",
        lat,
        lon,
    )


def _place_table(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    import pandas as pd

    table = pd.DataFrame(rows, columns=list(PLACE_COLUMNS))
    for col in PLACE_COLUMNS[:5]:
        table[col] = table[col].astype(str)
    for col in ("lat", "lon"):
        table[col] = table[col].astype(float)
    return table


def crossings(
    ways: Iterable[tuple[int, list[int], dict[str, str]]], coords: dict[int, tuple[float, float]]
) -> pd.DataFrame:
    """Where streets of two names meet: each road node shared by ways of different
    ``name`` tags, once per pair of names (see :data:`CROSSING_COLUMNS`)."""
    names: dict[int, set[str]] = {}
    seen: set[int] = set()
    for way_id, refs, tags in ways:
        name = (tags.get("name") or "").strip()
        if not name or way_id in seen:
            continue
        seen.add(way_id)
        for ref in refs:
            names.setdefault(ref, set()).add(name)
    rows: list[tuple[str, str, float, float]] = []
    for ref, here in sorted(names.items()):
        if len(here) < 2 or ref not in coords:
            continue
        ordered = sorted(here)
        for i, a in enumerate(ordered):
            rows.extend((a, b, *coords[ref]) for b in ordered[i + 1 :])
    import pandas as pd

    table = pd.DataFrame(rows, columns=list(CROSSING_COLUMNS))
    for col in ("lat", "lon"):
        table[col] = table[col].astype(float)
    return table


def _read_pbf(path: Path, filters: dict[str, Any]) -> OsmData:
    import osmium

    # Relations come last in a file, after the ways they are made of: find the addressed
    # ones first, so the ways pass below can keep their members' coordinates.
    rel_addr: list[tuple[int, tuple[str, str, str, str], list[int]]] = []
    # osmium yields a union of its object types; is_node() tells them apart below.
    r: Any
    o: Any
    for r in osmium.FileProcessor(str(path), osmium.osm.RELATION).with_filter(
        osmium.filter.KeyFilter("addr:housenumber")
    ):
        a = _address(r.tags)
        if a:
            rel_addr.append((r.id, a, [m.ref for m in r.members if m.type == "w"]))
    member_ways = {w for _, _, ws in rel_addr for w in ws}
    member_coords: dict[int, list[tuple[float, float]]] = {}

    coords: dict[int, tuple[float, float]] = {}
    ways: dict[str, list[tuple[int, list[int], dict[str, str]]]] = {p: [] for p in filters}
    addr_rows: list[tuple[int, int, tuple[str, str, str, str], float, float]] = []
    place_rows: list[tuple[Any, ...]] = []
    countries: Counter[str] = Counter()
    dropped = 0
    proc = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
    if not member_ways:
        proc = proc.with_filter(osmium.filter.KeyFilter("highway", "addr:housenumber", "name"))
    for o in proc:
        tags = o.tags
        if "addr:country" in tags:
            countries[tags["addr:country"].strip().upper()] += 1
        kind = place_kind(tags)
        if o.is_node():
            loc = o.location
            if "addr:housenumber" in tags:
                a = _address(tags)
                if a:
                    addr_rows.append((0, o.id, a, loc.lat, loc.lon))
            if kind and loc.valid():
                place_rows.append(_place_row(tags, kind, loc.lat, loc.lon))
            continue
        a = _address(tags) if "addr:housenumber" in tags else None
        road = [p for p, keep in filters.items() if "highway" in tags and keep(tags)]
        if not (a or road or kind or o.id in member_ways):
            continue
        refs: list[int] = []
        pts: list[tuple[float, float]] = []
        for n in o.nodes:
            loc = n.location
            if loc.valid():
                refs.append(n.ref)
                pts.append((loc.lat, loc.lon))
        if road:
            dropped += len(o.nodes) - len(refs)
            useful = _useful(tags)
            for p in road:
                ways[p].append((o.id, refs, useful))
            coords.update(zip(refs, pts, strict=True))
        if a and pts:
            lat, lon = centroid(pts)
            addr_rows.append((1, o.id, a, lat, lon))
        if kind and pts:
            place_rows.append(_place_row(tags, kind, *centroid(pts)))
        if o.id in member_ways:
            member_coords[o.id] = pts
    for rid, a, ws in rel_addr:
        parts = [centroid(member_coords[w]) for w in ws if member_coords.get(w)]
        if parts:
            addr_rows.append((2, rid, a, *_mean(parts)))
    header = osmium.io.Reader(str(path), osmium.osm.NOTHING).header()
    ts = header.get("timestamp") or header.get("osmosis_replication_timestamp") or None
    return OsmData(
        path,
        coords,
        ways,
        _address_table(addr_rows),
        ts,
        dropped,
        places=_place_table(place_rows),
        countries=countries,
    )


def _read_xml(path: Path, filters: dict[str, Any]) -> OsmData:
    elements = read_elements(path)
    all_coords: dict[int, tuple[float, float]] = {
        e["id"]: (e["lat"], e["lon"]) for e in elements if e["type"] == "node"
    }
    coords: dict[int, tuple[float, float]] = {}
    ways: dict[str, list[tuple[int, list[int], dict[str, str]]]] = {p: [] for p in filters}
    addr_rows: list[tuple[int, int, tuple[str, str, str, str], float, float]] = []
    place_rows: list[tuple[Any, ...]] = []
    countries: Counter[str] = Counter()
    way_pts: dict[int, list[tuple[float, float]]] = {}
    dropped = 0
    newest = ""
    for e in elements:
        newest = max(newest, e.get("timestamp") or "")
        tags = e.get("tags") or {}
        kind = e["type"]
        if "addr:country" in tags:
            countries[tags["addr:country"].strip().upper()] += 1
        if kind == "way":
            refs = [n for n in e["nodes"] if n in all_coords]
            pts = [all_coords[n] for n in refs]
            way_pts[e["id"]] = pts
            road = [p for p, keep in filters.items() if "highway" in tags and keep(tags)]
            if road:
                dropped += len(e["nodes"]) - len(refs)
                useful = _useful(tags)
                for p in road:
                    ways[p].append((e["id"], refs, useful))
                coords.update(zip(refs, pts, strict=True))
        what = place_kind(tags)
        if what and kind == "node":
            place_rows.append(_place_row(tags, what, e["lat"], e["lon"]))
        elif what and kind == "way" and way_pts[e["id"]]:
            place_rows.append(_place_row(tags, what, *centroid(way_pts[e["id"]])))
        a = _address(tags)
        if not a:
            continue
        if kind == "node":
            addr_rows.append((0, e["id"], a, e["lat"], e["lon"]))
        elif kind == "way":
            if way_pts[e["id"]]:
                addr_rows.append((1, e["id"], a, *centroid(way_pts[e["id"]])))
        else:
            members = [m["ref"] for m in e.get("members", []) if m.get("type") == "way"]
            parts = [centroid(way_pts[w]) for w in members if way_pts.get(w)]
            if parts:
                addr_rows.append((2, e["id"], a, *_mean(parts)))
    return OsmData(
        path,
        coords,
        ways,
        _address_table(addr_rows),
        newest or None,
        dropped,
        places=_place_table(place_rows),
        countries=countries,
    )


def _address_table(
    rows: list[tuple[int, int, tuple[str, str, str, str], float, float]],
) -> pd.DataFrame:
    import pandas as pd

    rows.sort(key=lambda r: (r[0], r[1]))
    table = pd.DataFrame(
        [(*a, lat, lon) for _, _, a, lat, lon in rows], columns=list(ADDRESS_COLUMNS)
    )
    for col in ADDRESS_COLUMNS[:4]:
        table[col] = table[col].astype(str)
    for col in ("lat", "lon"):
        table[col] = table[col].astype(float)
    return table


def _mean(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    return (
        math.fsum(p[0] for p in points) / len(points),
        math.fsum(p[1] for p in points) / len(points),
    )


def centroid(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Centroid of a way given as ``(lat, lon)`` vertices.

    A closed ring (a building outline) gives its area centroid; an open line the middle of
    its length; a single point itself. Planar formulas in degrees, fine at building scale.
    """
    if len(points) == 1:
        return points[0]
    lat0, lon0 = points[0]
    ys = [p[0] - lat0 for p in points]
    xs = [p[1] - lon0 for p in points]
    if len(points) >= 4 and points[0] == points[-1]:
        a = cx = cy = 0.0
        for i in range(len(points) - 1):
            cross = xs[i] * ys[i + 1] - xs[i + 1] * ys[i]
            a += cross
            cx += (xs[i] + xs[i + 1]) * cross
            cy += (ys[i] + ys[i + 1]) * cross
        if abs(a) > 1e-18:
            return (lat0 + cy / (3 * a), lon0 + cx / (3 * a))
    total = cx = cy = 0.0
    for i in range(len(points) - 1):
        seg = math.hypot(xs[i + 1] - xs[i], ys[i + 1] - ys[i])
        total += seg
        cx += (xs[i] + xs[i + 1]) / 2 * seg
        cy += (ys[i] + ys[i + 1]) / 2 * seg
    if total == 0:
        return points[0]
    return (lat0 + cy / total, lon0 + cx / total)


def osmnx_graph(data: OsmData, profile: str = "drive") -> nx.MultiDiGraph:
    """The profile's road graph as osmnx builds it: a simplified ``MultiDiGraph``.

    ``osmnx.graph_from_xml(..., retain_all=True)`` on the filtered ways (written to a
    temporary OSM XML file), then ``add_edge_speeds`` (``fallback=speed_kph("drive_fallback")``
    for "drive"; a constant speed for "bike" and "walk") and ``add_edge_travel_times``.
    Every component is kept; the caller keeps the largest strongly connected one.
    """
    import networkx as nx
    import osmnx as ox

    ways = data.ways[profile]
    if not ways:
        raise AreaError(f"{data.source}: no {profile} roads in this file")
    used: set[int] = set()
    for _, refs, _ in ways:
        used.update(refs)
    with tempfile.TemporaryDirectory(prefix="aidroute-osmnx-") as tmp:
        xml = Path(tmp) / f"{profile}.osm"
        write_osm(
            xml,
            ((n, *data.coords[n]) for n in sorted(used)),
            (way for way in ways if len(way[1]) >= 2),
        )
        g = ox.graph_from_xml(
            xml, bidirectional=profile in BIDIRECTIONAL_PROFILES, simplify=True, retain_all=True
        )
    if profile == "drive":
        g = ox.add_edge_speeds(g, fallback=speed_kph("drive_fallback"))
    else:
        nx.set_edge_attributes(g, speed_kph(profile), "speed_kph")
    return ox.add_edge_travel_times(g)
