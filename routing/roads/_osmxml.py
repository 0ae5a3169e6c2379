"""OSM XML in and out: elements as Overpass-style dicts, and ways written back as a file.

:func:`read_elements` gives what osmnx's XML reader gives (``osmnx.graph_from_xml`` parses
a file into Overpass-like JSON first), limited to the fields an import uses. osmnx's
reader is private (``osmnx._osm_xml._overpass_json_from_xml``) and its public functions
return graphs or GeoDataFrames, never the raw ways, relations and timestamps; so this is
our own, streamed with :func:`xml.etree.ElementTree.iterparse`. A test compares both
readers' elements on the XML fixtures.

:func:`write_osm` writes nodes and ways as OSM XML, so the reference graph can be
built by osmnx's public ``graph_from_xml`` (see :func:`routing.roads.osm.osmnx_graph`).
"""

from __future__ import annotations

import bz2
import gzip
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import iterparse
from xml.sax.saxutils import quoteattr


def _open(path: Path) -> IO[bytes] | gzip.GzipFile:
    # By the last suffix, as osmnx opens them.
    if path.suffix == ".bz2":
        return bz2.open(path, "rb")
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return path.open("rb")


def read_elements(path: Path) -> list[dict[str, Any]]:
    """Every node, way and relation of an OSM XML file (plain, ``.bz2`` or ``.gz``).

    Each element is a dict with ``type``, ``id`` (int), ``tags`` and, when the file
    has it, ``timestamp``; a node also has ``lat`` and ``lon`` (floats), a way ``nodes``
    (its node ids) and a relation ``members`` (dicts of ``type``, ``ref``, ``role``).
    File order is kept.
    """
    elements: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    with _open(path) as f:
        events = iterparse(f, events=("start", "end"))
        _, root = next(events)
        for event, el in events:
            kind = el.tag
            if event == "end":
                if kind in ("node", "way", "relation"):
                    elements.append(current)
                    root.clear()  # drop what is parsed already: files can be large
                continue
            a = el.attrib
            if kind == "tag":
                current["tags"][a["k"]] = a["v"]
            elif kind == "nd":
                current["nodes"].append(int(a["ref"]))
            elif kind == "member":
                current["members"].append({**a, "ref": int(a["ref"])})
            elif kind in ("node", "way", "relation"):
                current = {"type": kind, "id": int(a["id"]), "tags": {}}
                if "timestamp" in a:
                    current["timestamp"] = a["timestamp"]
                if kind == "node":
                    current["lat"], current["lon"] = float(a["lat"]), float(a["lon"])
                elif kind == "way":
                    current["nodes"] = []
                else:
                    current["members"] = []
    return elements


def write_osm(
    path: Path,
    nodes: Iterable[tuple[int, float, float]],
    ways: Iterable[tuple[int, list[int], Mapping[str, str]]],
) -> None:
    """Write ``nodes`` (``(id, lat, lon)``) and ``ways`` (``(id, node ids, tags)``) as
    OSM XML. ``repr`` of a float reads back as the same float: coordinates are exact."""
    with path.open("w", encoding="utf-8") as f:
        f.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="aidroute">\n'
        )
        f.writelines(f' <node id="{n}" lat="{lat!r}" lon="{lon!r}"/>\n' for n, lat, lon in nodes)
        for way_id, refs, tags in ways:
            f.write(f' <way id="{way_id}">\n')
            f.writelines(f'  <nd ref="{n}"/>\n' for n in refs)
            f.writelines(f"  <tag k={quoteattr(k)} v={quoteattr(v)}/>\n" for k, v in tags.items())
            f.write(" </way>\n")
        f.write("</osm>\n")
