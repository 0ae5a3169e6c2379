"""``aidroute import check FILE``: read a delivery list (or a roster) and report on every row.

Prints the problems as a table and a one-line summary (rows read, placed, warnings,
errors), or with ``--json`` the report documented in :mod:`routing.intake.report`. The exit
status is 1 when any row is an error, 2 when the file cannot be read at all, else 0.
A file that cannot be read at all prints, with ``--json``,
``{"error": "...", "problems": [{"row", "field", "value", "reason", "severity"}, ...]}``.

Addresses stay on this machine unless ``--online URL`` is given: then only the addresses
the area could not place (address text and postcode) are sent to that service.
"""

from __future__ import annotations

import argparse
from typing import Any

from routing.errors import InputError, InputProblem


def cmd_import_check(args: argparse.Namespace) -> int:
    """Run the check; print a table or JSON; return the exit status."""
    geocoder: Any = None
    bbox = region = None
    if args.area:
        from routing.geocoding.offline import OfflineGeocoder
        from routing.roads.area import load_area

        area = load_area(args.area)
        geocoder, bbox, region = OfflineGeocoder.from_area(area), area.bbox, area.country
    online = None
    if args.online and geocoder is None:
        raise InputError(
            InputProblem(
                "--online",
                args.online,
                "needs --area: online geocoding is only for the addresses "
                "the area's own table cannot place, so that no more than those leave this machine",
            )
        )
    if args.online:
        from routing.geocoding.online import FallbackGeocoder, OnlineGeocoder

        online = OnlineGeocoder(args.online, service=args.online_service, bbox=bbox)
        geocoder = FallbackGeocoder(geocoder, online)
    try:
        return _check(args, geocoder, region)
    finally:
        if online is not None:
            online.close()


def _check(args: argparse.Namespace, geocoder: Any, region: str | None = None) -> int:
    from routing.intake.columns import parse_column_mapping
    from routing.intake.deliveries import import_deliveries
    from routing.intake.roster import import_drivers

    try:
        columns = parse_column_mapping(args.columns or (), "--columns")
        result: Any
        if args.drivers:
            result = import_drivers(
                args.file, sheet=args.sheet, columns=columns, geocoder=geocoder, region=region
            )
        else:
            result = import_deliveries(
                args.file,
                sheet=args.sheet,
                columns=columns,
                geocoder=geocoder,
                keep_duplicates=args.keep_duplicates,
                region=region,
            )
    except InputError as e:
        if not args.json:
            raise  # the CLI prints the problems table
        import json

        print(
            json.dumps(
                {"error": str(e), "problems": [p.to_dict() for p in e.problems]},
                indent=2,
                ensure_ascii=False,
            )
        )
        return 2
    if args.json:
        print(result.to_json())
    else:
        _print_report(result, geocoder is None)
    return 0 if result.ok else 1


def _print_report(result: Any, no_area: bool) -> None:
    """The columns (what each is read as, and why the others are not), the problems, and
    the one-line summary."""
    from rich.table import Table

    from api.console import console, left_out_line, problems_table

    notes: dict[str, str] = result.column_notes
    read_as = {header: field for field, header in result.columns.items()}
    columns = Table(title="Columns")
    for col in ("column", "read as", "note"):
        columns.add_column(col, overflow="fold")
    for header, field in read_as.items():
        how = "from the question's words" if field in result.guessed_columns else ""
        columns.add_row(header, field, notes.get(header) or how)
    for header in result.ignored_columns:
        columns.add_row(header, "[yellow]not read[/]", notes.get(header, ""))
    console.print(columns)
    # The columns' own warnings are in the table above.
    problems = [p for p in result.problems if not (p.row is None and p.field in notes)]
    if problems:
        console.print(problems_table(problems, "Problems"))
    if getattr(result, "left_out", None):
        console.print(left_out_line(result.left_out))
    console.print(str(result.summary))
    if no_area:
        what = "homes" if result.kind == "drivers" else "addresses"
        console.print(f"(no --area given: {what} were not placed on a map)")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``import check`` to the ``aidroute`` command line."""
    imp = subparsers.add_parser("import", help="check spreadsheets before planning")
    sub = imp.add_subparsers(dest="import_command", required=True)
    check = sub.add_parser(
        "check",
        help="report every row's problems and where its address was placed",
        description="Read a delivery list (or, with --drivers, a roster), place its "
        "addresses in the area, and report every row's problems. Exit status: "
        "0 all rows usable, 1 some row is an error, 2 the file cannot be read.",
    )
    check.add_argument("file", help="deliveries (or, with --drivers, roster): CSV, TSV or XLSX")
    check.add_argument(
        "--area", default=None, help="an imported area's name or path, to place the addresses"
    )
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument(
        "--columns",
        "--driver-columns",
        dest="columns",
        nargs="*",
        metavar='FIELD="Header"',
        help='map your headers, e.g. address="Where do you live?"',
    )
    check.add_argument(
        "--sheet",
        "--drivers-sheet",
        dest="sheet",
        default=None,
        help="Excel sheet name (default: the sheet that holds the table)",
    )
    check.add_argument("--drivers", action="store_true", help="the file is a drivers roster")
    check.add_argument(
        "--keep-duplicates",
        action="store_true",
        help="report every row as its own stop; by default one household written twice is "
        "merged into its later row",
    )
    check.add_argument(
        "--online",
        metavar="URL",
        default=None,
        help="ALSO send the addresses the area cannot place (address and postcode only) to "
        "this Nominatim/Photon service, 1 request/s, cached; off by default",
    )
    check.add_argument(
        "--online-service",
        choices=("nominatim", "photon"),
        default="nominatim",
        help="the API the --online service speaks",
    )
    check.set_defaults(func=cmd_import_check)
