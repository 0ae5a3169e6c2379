"""Build areas: road graphs and an address table from an OSM file, or fetched online.

:func:`import_area` reads an extract (:func:`routing.roads.osm.read_osm`), builds one
:class:`~routing.roads.graph.RoadGraph` per travel profile (:func:`road_graph`), and
saves the :class:`~routing.roads.graph.Area` (:func:`routing.roads.cache.save_area`).
:func:`area_from_place` does the same from Overpass and Nominatim through osmnx: the one
function of aidroute that needs the internet.

Rebuild an area from the command line with::

    aidroute area import FILE.osm.pbf --name NAME [--out DIR] [--profiles drive,bike]
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from routing import paths
from routing.errors import AreaError
from routing.model import PROFILES
from routing.roads._graphbuild import build_edges
from routing.roads.cache import aidroute_version, save_area
from routing.roads.graph import Area, RoadGraph
from routing.roads.osm import (
    ADDRESS_COLUMNS,
    BIDIRECTIONAL_PROFILES,
    OsmData,
    default_area_name,
    osmnx_graph,
    read_osm,
    speed_kph,
)

if TYPE_CHECKING:
    pass


def check_profiles(profiles: Sequence[str] | str) -> tuple[str, ...]:
    """Travel profiles as a tuple, each once, with "drive" added first when missing.

    Takes a sequence or a comma-separated string; raises :class:`AreaError` naming an
    unknown profile.
    """
    if isinstance(profiles, str):
        profiles = [p.strip() for p in profiles.split(",") if p.strip()]
    out = tuple(dict.fromkeys(profiles))
    bad = [p for p in out if p not in PROFILES]
    if bad or not out:
        raise AreaError(
            f"unknown travel profile(s) {', '.join(bad) or '(none)'}; "
            f"expected some of {', '.join(PROFILES)}"
        )
    if "drive" not in out:
        out = ("drive", *out)
    return out


def road_graph(data: OsmData, profile: str = "drive", *, engine: str = "numpy") -> RoadGraph:
    """The road graph of ``profile`` from what :func:`routing.roads.osm.read_osm` read.

    ``engine="numpy"`` (default) runs osmnx's graph steps on arrays
    (:mod:`routing.roads._graphbuild`, seconds for a city); ``engine="osmnx"`` runs osmnx
    itself (:func:`routing.roads.osm.osmnx_graph`: ``graph_from_xml``, ``add_edge_speeds``),
    the reference the tests compare against. Raises :class:`AreaError` when the profile
    has no roads.
    """
    if engine == "osmnx":
        return RoadGraph.from_osmnx(osmnx_graph(data, profile), profile)
    if not data.ways.get(profile):
        raise AreaError(f"{data.source}: no {profile} roads in this file")
    try:
        e = build_edges(
            data.ways[profile],
            data.coords,
            bidirectional=profile in BIDIRECTIONAL_PROFILES,
            speed_kph=None if profile == "drive" else speed_kph(profile),
            fallback_kph=speed_kph("drive_fallback"),
        )
    except ValueError as err:
        raise AreaError(f"{data.source}: cannot build the {profile} graph ({err})") from err
    return RoadGraph.from_edges(
        profile,
        e["node_id"],
        e["lat"],
        e["lon"],
        e["u"],
        e["v"],
        e["travel_time_s"],
        e["length_m"],
        e["geom"],
    )


#: The country an area is in is the most common ``addr:country`` of its addresses when at
#: least this many carry one and this share of them agree.
MIN_COUNTRY_TAGS, MIN_COUNTRY_SHARE = 20, 0.8


def area_country(data: OsmData) -> str | None:
    """The country (ISO 3166 code) most addresses of the file say they are in, or None
    when too few say so, or they disagree."""
    if not data.countries:
        return None
    code, count = data.countries.most_common(1)[0]
    total = sum(data.countries.values())
    if count < MIN_COUNTRY_TAGS or count < MIN_COUNTRY_SHARE * total:
        return None
    return code if len(code) == 2 and code.isalpha() else None


def build_area(
    data: OsmData,
    name: str,
    profiles: Sequence[str] = ("drive",),
    *,
    engine: str = "numpy",
    country: str | None = None,
) -> Area:
    """Build an :class:`Area` (not saved) from what :func:`routing.roads.osm.read_osm` read.

    ``country`` (ISO 3166, "US") is recorded in ``meta["country"]``; by default the one
    the file's addresses agree on (:func:`area_country`), if any.
    """
    roads = {p: road_graph(data, p, engine=engine) for p in profiles}
    lats = [g.lat for g in roads.values()] + [data.addresses["lat"].to_numpy()]
    lons = [g.lon for g in roads.values()] + [data.addresses["lon"].to_numpy()]
    all_lat, all_lon = np.concatenate(lats), np.concatenate(lons)
    bbox = (float(all_lat.min()), float(all_lon.min()), float(all_lat.max()), float(all_lon.max()))
    meta: dict[str, Any] = {
        "source_file": data.source.name,
        "source_size": data.source.stat().st_size,
        "osm_timestamp": data.timestamp,
        "aidroute_version": aidroute_version(),
        "built": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "profiles": list(profiles),
        "dropped_node_refs": data.dropped_refs,
        "speeds": _speeds_meta(profiles),
    }
    country = check_country(country) if country else area_country(data)
    if country:
        meta["country"] = country
    return Area(
        name,
        roads,
        data.addresses,
        bbox,
        meta,
        places=data.places,
        crossings=data.crossings,
        streets=data.streets,
    )


def check_country(code: str) -> str:
    """``"us"`` -> ``"US"``; :class:`AreaError` for what is not a two-letter country code."""
    code = code.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise AreaError(
            f"country {code!r}: expected a two-letter country code (ISO 3166), such as US or MX"
        )
    return code


def _speeds_meta(profiles: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in profiles:
        if p == "drive":
            out[p] = f"osmnx maxspeed imputation, fallback {speed_kph('drive_fallback'):g} km/h"
        else:
            out[p] = speed_kph(p)
    return out


def import_area(
    osm_path: str | Path,
    name: str | None = None,
    *,
    profiles: Sequence[str] = ("drive",),
    out_dir: str | Path | None = None,
    country: str | None = None,
) -> Area:
    """Import an OSM extract as an area and save it.

    Parameters
    ----------
    osm_path
        An ``.osm.pbf`` (read with pyosmium) or OSM XML file (``.osm``, ``.osm.bz2``;
        read with osmnx's XML reader). Both give the same area for the same data.
    name
        The area's name; defaults to the file name without extensions.
    profiles
        Travel profiles to build road graphs for: "drive", "bike", "walk".
    out_dir
        Folder to save to; defaults to ``routing.paths.areas_dir() / name``.
    country
        The area's country (ISO 3166, "US"): how phone numbers written without a country
        code are read. By default the one its addresses' ``addr:country`` agree on.

    Raises
    ------
    AreaError
        The file is missing, unreadable, or has no roads for a profile.
    """
    osm_path = Path(osm_path)
    profiles = check_profiles(profiles)
    country = check_country(country) if country else None
    name = name or default_area_name(osm_path)
    t0 = time.perf_counter()
    area = build_area(read_osm(osm_path, profiles), name, profiles, country=country)
    area.meta["import_s"] = round(time.perf_counter() - t0, 3)
    save_area(area, Path(out_dir) if out_dir else paths.areas_dir() / name)
    return area


def area_from_place(
    place: str,
    name: str | None = None,
    *,
    profiles: Sequence[str] = ("drive",),
    overpass_url: str | None = None,
    nominatim_url: str | None = None,
    timeout: float | None = None,
) -> Area:
    """Fetch an area online with osmnx (``graph_from_place`` and address features).

    Needs the network (Overpass and Nominatim); no test uses it. Saved like an import.
    ``overpass_url``, ``nominatim_url`` and ``timeout`` (seconds per request) set
    osmnx's settings of the same names, which default to the public servers; osmnx
    caches its answers under ``routing.paths.cache_dir() / "osmnx"``. Network and HTTP
    errors come from osmnx and requests as they are.
    """
    import osmnx as ox
    import pandas as pd

    if overpass_url is not None:
        ox.settings.overpass_url = overpass_url
    if nominatim_url is not None:
        ox.settings.nominatim_url = nominatim_url
    if timeout is not None:
        ox.settings.requests_timeout = timeout
    ox.settings.cache_folder = str(paths.cache_dir() / "osmnx")
    profiles = check_profiles(profiles)
    name = name or place.split(",")[0].strip().lower().replace(" ", "-")
    roads: dict[str, RoadGraph] = {}
    for profile in profiles:
        graph_nx = ox.graph_from_place(place, network_type=profile, retain_all=True)
        if profile == "drive":
            graph_nx = ox.add_edge_speeds(graph_nx, fallback=speed_kph("drive_fallback"))
        else:
            import networkx as nx

            nx.set_edge_attributes(graph_nx, speed_kph(profile), "speed_kph")
        roads[profile] = RoadGraph.from_osmnx(ox.add_edge_travel_times(graph_nx), profile)
    try:
        feats = ox.features_from_place(place, tags={"addr:housenumber": True})
    except Exception:  # no addressed features at all
        feats = None
    rows = []
    if feats is not None and "addr:street" in feats:
        feats = feats[feats["addr:street"].notna() & feats["addr:housenumber"].notna()]
        cent = feats.geometry.centroid
        for (_, f), c in zip(feats.iterrows(), cent, strict=True):
            rows.append(
                (
                    str(f["addr:housenumber"]),
                    str(f["addr:street"]),
                    str(f.get("addr:postcode") if pd.notna(f.get("addr:postcode")) else ""),
                    str(f.get("addr:city") if pd.notna(f.get("addr:city")) else ""),
                    float(c.y),
                    float(c.x),
                )
            )
    addresses = pd.DataFrame(rows, columns=list(ADDRESS_COLUMNS))
    g = roads["drive"]
    bbox = (float(g.lat.min()), float(g.lon.min()), float(g.lat.max()), float(g.lon.max()))
    meta = {
        "source_file": f"osmnx place query: {place}",
        "osm_timestamp": None,
        "aidroute_version": aidroute_version(),
        "built": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "profiles": list(profiles),
        "speeds": _speeds_meta(profiles),
    }
    area = Area(name, roads, addresses, bbox, meta)
    save_area(area, paths.areas_dir() / name)
    return area
