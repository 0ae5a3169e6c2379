"""``aidroute area import|fetch|show|list``: the road networks and address tables plans use."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from api.console import console
from routing.errors import AidrouteError


def cmd_area_import(args: argparse.Namespace) -> int:
    from routing.roads.build import import_area

    t0 = time.perf_counter()
    with console.status(f"importing {args.file}"):
        area = import_area(
            Path(args.file),
            args.name,
            profiles=args.profiles,
            out_dir=Path(args.out) if args.out else None,
            country=args.country,
        )
    graph = area.graph("drive")
    console.print(
        f"Area [bold]{area.name}[/]: {len(graph.lat)} road nodes, "
        f"{len(area.addresses)} addresses, {len(area.places)} named places, profiles "
        f"{', '.join(area.roads)} ({time.perf_counter() - t0:.1f} s), saved in {area.path}"
    )
    if area.country:
        console.print(f"  country: {area.country} (phone numbers without +code are read so)")
    else:
        console.print(
            "  [yellow]country not known[/] (the addresses do not say): import again with "
            "--country CODE (US, MX, ...) so that phone numbers can be checked"
        )
    return 0


def cmd_area_fetch(args: argparse.Namespace) -> int:
    """Fetch an area online with osmnx: the one command that calls Overpass and Nominatim."""
    from routing.roads.build import area_from_place

    t0 = time.perf_counter()
    try:
        with console.status(f"fetching {args.place} from {args.overpass_url}"):
            area = area_from_place(
                args.place,
                args.name,
                profiles=args.profiles,
                overpass_url=args.overpass_url,
                nominatim_url=args.nominatim_url,
                timeout=args.timeout,
            )
    except AidrouteError:
        raise
    except Exception as e:  # network, HTTP or "place not found" errors from osmnx/requests
        raise AidrouteError(
            f"could not fetch {args.place!r} ({type(e).__name__}: {e}); this "
            "needs the internet, or --overpass-url/--nominatim-url of your own "
            "servers. Offline, use `aidroute area import FILE.osm.pbf`."
        ) from None
    console.print(
        f"Area [bold]{area.name}[/]: {len(area.addresses)} addresses, profiles "
        f"{', '.join(area.roads)} ({time.perf_counter() - t0:.1f} s), "
        f"saved in {area.path}"
    )
    return 0


def cmd_area_show(args: argparse.Namespace) -> int:
    from routing.roads.area import load_area

    area = load_area(args.area)
    console.print(f"{area!r}\n  from {area.path}")
    for key in ("source", "osm_timestamp", "built", "aidroute_version", "country"):
        if key in area.meta:
            console.print(f"  {key}: {area.meta[key]}")
    return 0


def cmd_area_list(_args: argparse.Namespace) -> int:
    from routing.paths import areas_dir, bundled_data

    for where in (areas_dir(create=False), bundled_data() / "areas"):
        if where.exists():
            for d in sorted(
                p for p in where.iterdir() if p.is_dir() and not p.name.startswith(".")
            ):
                print(f"{d.name}\t{d}")  # plain: one area per line, for scripts
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    area = subparsers.add_parser("area", help="road networks and address tables")
    area_sub = area.add_subparsers(dest="area_command", required=True)
    imp = area_sub.add_parser("import", help="build an area from an OSM extract")
    imp.add_argument("file", help=".osm.pbf, .osm or .osm.bz2")
    imp.add_argument("--name", required=True)
    imp.add_argument("--profiles", default="drive", help="comma-separated: drive,bike,walk")
    imp.add_argument("--out", default=None, help="folder to save to (default: AIDROUTE_HOME)")
    imp.add_argument(
        "--country",
        default=None,
        help="the area's country, ISO 3166 (US, MX): how phone numbers without a country code "
        "are read (default: the one the map's addresses agree on)",
    )
    imp.set_defaults(func=cmd_area_import)
    fetch = area_sub.add_parser(
        "fetch",
        help="download an area from OpenStreetMap's online services (needs internet)",
        description="Fetch roads and addresses for a place with osmnx. This sends the place "
        "name to Nominatim and the area's outline to Overpass; no recipient data.",
    )
    fetch.add_argument("place", help='e.g. "Queens Village, New York"')
    fetch.add_argument("--name", default=None)
    fetch.add_argument("--profiles", default="drive", help="comma-separated: drive,bike,walk")
    fetch.add_argument("--overpass-url", default="https://overpass-api.de/api")
    fetch.add_argument("--nominatim-url", default="https://nominatim.openstreetmap.org/")
    fetch.add_argument("--timeout", type=float, default=180)
    fetch.set_defaults(func=cmd_area_fetch)
    show = area_sub.add_parser("show", help="what an area holds and where it came from")
    show.add_argument("area", help="an area's name or path")
    show.set_defaults(func=cmd_area_show)
    lst = area_sub.add_parser("list", help="areas you can name with --area")
    lst.set_defaults(func=cmd_area_list)
