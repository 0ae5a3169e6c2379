"""The aidroute command line: plan mutual-aid grocery runs.

``aidroute demo`` plans the bundled sample week; ``aidroute plan`` plans your own files;
``aidroute serve`` starts the API; ``aidroute area import`` builds an area from an OSM
extract. Bad input is reported as a table of row, column, value and reason, never a
traceback; the exit status is non-zero when nothing could be done.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.console import changes_table, console, err_console, left_out_line, problems_table
from routing.errors import AidrouteError, InputError, InputProblem

#: Subcommands contributed by their own modules (each defines ``register(subparsers)``).
COMMAND_MODULES = (
    "api.commands.import_check",
    "api.commands.vrplib",
    "api.commands.service",
    "api.commands.area",
)


def _summary_table(plan_dict: dict[str, Any]) -> Table:
    table = Table(title="Plan")
    for col, justify in (
        ("driver", "left"),
        ("stops", "right"),
        ("boxes", "right"),
        ("route min", "right"),
        ("km", "right"),
        ("hours", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in plan_dict["routes"]:
        if not r["stops"]:
            continue
        table.add_row(
            r["driver"],
            str(r["stops_count"]),
            str(r["boxes"]),
            f"{r['duration_min']:.0f}",
            f"{r['distance_km']:.1f}",
            f"{r['start']}-{r['end']}",
        )
    s = plan_dict["summary"]
    table.add_section()
    table.add_row(
        f"{s['drivers_used']} of {s['drivers']} drivers",
        str(s["assigned"]),
        str(s["boxes"]),
        f"{s['route_minutes']:.0f}",
        f"{s['distance_km']:.1f}",
        "",
    )
    return table


def _unassigned_table(plan_dict: dict[str, Any]) -> Table:
    from maps.words import reason_text

    table = Table(title=f"Unassigned: {len(plan_dict['unassigned'])}")
    for col in ("id", "row", "address", "reason", "what would fix it"):
        table.add_column(col, overflow="fold")
    for u in plan_dict["unassigned"]:
        table.add_row(
            str(u["id"]),
            "" if u["row"] is None else str(u["row"]),
            u["address"],
            reason_text(u["reason"], u["message"]),
            u.get("fix", ""),
        )
    return table


@dataclass(frozen=True)
class _Week:
    """What ``plan`` and ``demo`` plan: the two spreadsheets, the hub (an address or place
    name, or a hub as JSON), the area's name and the results folder."""

    deliveries: Path
    drivers: Path
    hub: str | dict[str, Any]
    area: str
    out: Path


def _run_plan(args: argparse.Namespace, week: _Week) -> int:
    from maps.outputs import Renderers

    # First, before planning's imports: the process that writes the maps and PDFs loads
    # their libraries meanwhile, on the core planning leaves idle.
    with Renderers() as renderers:
        return _plan_and_write(args, week, renderers)


def _plan_and_write(args: argparse.Namespace, week_in: _Week, renderers: Any) -> int:
    from api.settings import get_settings
    from maps.i18n import default_language
    from maps.outputs import previous_tokens, write_outputs
    from routing.intake.cells import check_plan_date
    from routing.intake.columns import parse_column_mapping
    from routing.model import Instructions
    from routing.pipeline import History, plan_week, read_week
    from routing.roads.area import load_area
    from routing.serialize import plan_to_dict
    from routing.solve.options import SolveOptions

    t_start = time.perf_counter()
    out = week_in.out
    # Everything that can be checked before the slow part, so mistakes fail fast.
    check_out_folder(out)
    date = check_plan_date(args.date) if args.date else None
    previous = _read_plan(args.previous, "--previous")
    last_week = _read_plan(args.last_week, "--last-week")
    columns = parse_column_mapping(args.columns or ())
    driver_columns = parse_column_mapping(args.driver_columns or (), "--driver-columns")
    language = args.language or default_language()
    settings = get_settings()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as progress:
        task = progress.add_task("loading area", total=None, detail=week_in.area)

        def on_phase(name: str) -> None:
            progress.update(task, description=name, total=None, detail="")

        minutes = [0.0]  # of the best plan so far; some snapshots do not carry them

        def on_solve(p: Any) -> None:
            minutes[0] = getattr(p, "route_s", 0) / 60 or minutes[0]
            best = f", best plan so far {minutes[0]:,.0f} route minutes" if minutes[0] else ""
            progress.update(
                task,
                description="solving",
                total=p.time_limit_s,
                completed=min(p.elapsed_s, p.time_limit_s),
                detail=f"{p.assigned}/{p.total} stops placed{best}",
            )

        area = load_area(week_in.area)
        tiles = settings.tiles(area.streets)
        with _online_geocoder(args, area) as online:
            week = read_week(
                week_in.deliveries,
                week_in.drivers,
                week_in.hub,
                area,
                columns=columns,
                driver_columns=driver_columns,
                sheet=args.sheet,
                drivers_sheet=args.drivers_sheet,
                keep_duplicates=args.keep_duplicates,
                date=date,
                online=online,
                on_phase=on_phase,
                hub_name=args.hub_name,
                hub_note=args.hub_note or "",
                instructions=Instructions(
                    dispatcher_phone=args.dispatcher_phone or "",
                    nobody_home=args.nobody_home or "",
                ),
            )
        options = SolveOptions(
            time_limit_s=args.time_limit,
            full_time=args.full_time,
            seed=args.seed,
            balance=args.balance,
            minimize_drivers=args.fewest_drivers,
            max_vehicles=args.max_drivers,
        )
        result = plan_week(
            week,
            area,
            options,
            history=History(previous=previous, last_week=last_week),
            on_phase=on_phase,
            progress=on_solve,
        )
        plan = result.plan
        progress.update(task, description="writing outputs", total=None, detail=str(out))
        tokens = (
            previous_tokens(Path(args.previous).parent, previous, plan.problem)
            if previous
            else None
        )
        written = write_outputs(
            plan,
            out,
            problems=result.problems,
            privacy=args.privacy,
            base_url=args.base_url,
            tiles=tiles,
            tokens=tokens,
            locale=language,
            renderers=renderers,
        )
        progress.update(task, description="done", total=1, completed=1, detail="")

    body = plan_to_dict(plan)
    console.print(_summary_table(body))
    if body["changes"] is not None:
        console.print(changes_table(body["changes"]))
    if body["unassigned"]:
        console.print(_unassigned_table(body))
    for warning in plan.stats.get("warnings", ()):
        console.print(f"[yellow]check:[/] {warning}")
    if result.problems:
        console.print(problems_table(result.problems, f"Input problems: {len(result.problems)}"))
    if week.left_out:
        console.print(left_out_line(week.left_out))
    console.print(
        f"Unassigned: {len(body['unassigned'])}   total {time.perf_counter() - t_start:.1f} s"
    )
    _print_written(out, written)
    return 0


def check_out_folder(out: Path) -> None:
    """Refuse a results folder that is a file, or a folder holding files aidroute did not
    write: planning would mix recipients' data with them (or, as root, write into /etc)."""
    from maps.outputs import MARKER

    if out.exists() and not out.is_dir():
        raise InputError(
            InputProblem("--out", str(out), "is a file, not a folder; give a new or empty folder")
        )
    if out.is_dir() and not (out / MARKER).exists():
        try:
            others = sorted(p.name for p in out.iterdir())
        except OSError as e:
            raise InputError(
                InputProblem("--out", str(out), f"cannot open it: {e.strerror or e}")
            ) from None
        if others:
            shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
            raise InputError(
                InputProblem(
                    "--out",
                    str(out),
                    f"already holds files aidroute did not write ({shown}); give a new or "
                    "empty folder, or one an earlier plan wrote",
                )
            )


@contextlib.contextmanager
def _online_geocoder(args: argparse.Namespace, area: Any) -> Iterator[Any]:
    """The online geocoder ``--online`` turns on (closed afterwards), or None."""
    if not getattr(args, "online", None):
        yield None
        return
    from routing.geocoding.online import OnlineGeocoder

    remote = OnlineGeocoder(args.online, service=args.online_service, bbox=area.bbox)
    try:
        yield remote
    finally:
        remote.close()


def _print_written(out: Path, written: Sequence[Path]) -> None:
    """The files a person opens first, then each folder with how many files it got."""
    console.print(f"Wrote {len(written)} files to {out}:")
    folders: dict[Path, int] = {}
    for path in written:
        if path.parent == out:
            console.print(f"  {path}")
        else:
            top = out / path.relative_to(out).parts[0]
            folders[top] = folders.get(top, 0) + 1
    for folder, count in folders.items():
        console.print(f"  {folder}/  ({count} files)")


def _read_plan(path: str | None, option: str) -> Any:
    """A plan.json from an earlier run, or None."""
    if not path:
        return None
    from routing.serialize import plan_from_dict

    try:
        return plan_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise InputError(InputProblem(option, path, f"not a readable plan.json: {e}")) from None


def cmd_demo(args: argparse.Namespace) -> int:
    from routing.paths import bundled_data

    demo = bundled_data() / "demo"
    hub = json.loads((demo / "hub.json").read_text(encoding="utf-8"))
    args.columns = args.driver_columns = args.sheet = args.drivers_sheet = args.online = None
    args.online_service = "nominatim"
    args.keep_duplicates = False
    week = _Week(
        demo / "deliveries.csv", demo / "drivers.csv", hub, "queens-village", Path(args.out)
    )
    return _run_plan(args, week)


def cmd_plan(args: argparse.Namespace) -> int:
    week = _Week(Path(args.deliveries), Path(args.drivers), args.hub, args.area, Path(args.out))
    return _run_plan(args, week)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.security import redact_access_log
    from api.settings import get_settings

    settings = get_settings()
    if args.host not in LOOPBACK and not (settings.public_url or settings.allowed_hosts):
        raise InputError(
            InputProblem(
                "--host",
                args.host,
                "serving beyond this machine: set AIDROUTE_PUBLIC_URL (https://...) first, "
                "the address people reach the service at (links carry it; other Host names "
                "are refused)",
            )
        )
    _check_servers(settings)
    redact_access_log()
    os.umask(0o077)  # the database, its log and caches hold recipients' data: owner only
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips,
        log_config=None if args.quiet else uvicorn.config.LOGGING_CONFIG,
        access_log=not args.quiet,
    )
    return 0


def _check_servers(settings: Any) -> None:
    """Say a database that cannot be reached before serving, as the admin commands do;
    Redis away is only a warning: plans wait in the database until it answers."""
    from api.queue import RedisQueue
    from api.storage.engine import open_database

    open_database(settings.db_url()).dispose()
    if settings.queue_url:
        queue = RedisQueue(settings.queue_url, 0)
        why = queue.unreachable()
        if why:
            err_console.print(
                f"[yellow]warning:[/] AIDROUTE_QUEUE_URL {queue.url}: Redis does not answer "
                f"({why}); plans wait in the database and go to the workers once it does"
            )


def _number(kind: type, low: float, high: float) -> Any:
    """An argparse type: a number of ``kind`` from ``low`` to ``high``, else a sentence."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, not {text!r}") from None
        if not low <= value <= high:  # also refuses nan and inf
            raise argparse.ArgumentTypeError(f"expected {low:g} to {high:g}, not {text}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aidroute", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def plan_options(p: argparse.ArgumentParser, out_default: str) -> None:
        p.add_argument("--out", default=out_default, help="folder for the results")
        p.add_argument(
            "--time-limit",
            type=_number(float, 0.1, 86_400),
            default=None,
            help="the longest the search may take, in seconds (default: scaled to the number "
            "of stops); it ends sooner once the plan stops improving",
        )
        p.add_argument(
            "--full-time",
            action="store_true",
            help="search for the whole --time-limit, even after the plan stops improving",
        )
        p.add_argument("--seed", type=_number(int, 0, 2**31 - 1), default=0)
        p.add_argument("--date", default=None, help="delivery day, YYYY-MM-DD")
        p.add_argument(
            "--privacy",
            default="full",
            choices=("full", "initials", "no_phone", "reveal"),
            help="what drivers' pages and manifests show",
        )
        p.add_argument(
            "--language",
            default=None,
            choices=("en", "es"),  # maps.i18n.SUPPORTED, not imported: starting stays cheap
            help="the overview's language, and drivers' when the roster gives none "
            "(default: AIDROUTE_LANGUAGE, else your system's language if en or es, else en)",
        )
        p.add_argument(
            "--balance",
            default="time",
            choices=("time", "boxes", "time_and_boxes", "off"),
            help="even out route minutes (default), boxes, both, or not at all",
        )
        p.add_argument(
            "--fewest-drivers",
            action="store_true",
            help="use as few drivers as possible, freeing volunteers",
        )
        p.add_argument(
            "--max-drivers",
            type=_number(int, 1, 10_000),
            default=None,
            metavar="N",
            help="use at most N drivers",
        )
        p.add_argument(
            "--previous",
            metavar="PLAN.json",
            default=None,
            help="re-plan a week drivers already have: move as few stops as possible",
        )
        p.add_argument(
            "--last-week",
            metavar="PLAN.json",
            default=None,
            help="prefer each household's driver from last week's plan",
        )
        p.add_argument(
            "--hub-name", default=None, help='what drivers call the hub ("Compare Foods")'
        )
        p.add_argument(
            "--hub-note",
            default=None,
            help='what drivers should know at pickup ("park at the back, ask for Rosa")',
        )
        p.add_argument("--dispatcher-phone", default=None, help="whom drivers call with a question")
        p.add_argument(
            "--nobody-home",
            default=None,
            metavar="TEXT",
            help='what drivers do when nobody answers ("leave it with a neighbour, text us")',
        )
        p.add_argument(
            "--base-url",
            default=None,
            help="where you will publish the results folder (https://...): "
            "manifests then carry a QR code of each driver's page",
        )

    demo = sub.add_parser("demo", help="plan the bundled Queens Village sample week")
    plan_options(demo, "aidroute-demo")
    demo.set_defaults(func=cmd_demo)

    plan = sub.add_parser("plan", help="plan a run from your own spreadsheets")
    plan.add_argument("deliveries", help="deliveries spreadsheet (CSV, TSV or XLSX)")
    plan.add_argument("--drivers", required=True, help="drivers roster (CSV, TSV or XLSX)")
    plan.add_argument(
        "--hub",
        required=True,
        help='pickup hub: a named place of the area ("Compare Foods"), "ADDRESS" or "LAT,LON"',
    )
    plan.add_argument("--area", required=True, help="an imported area's name, or its path")
    plan.add_argument(
        "--columns",
        nargs="*",
        metavar='FIELD="Header"',
        help='map the deliveries\' headers, e.g. address="Where do you live?"',
    )
    plan.add_argument(
        "--driver-columns",
        nargs="*",
        metavar='FIELD="Header"',
        help='map the roster\'s headers, e.g. capacity="Capacidad (cajas)"',
    )
    plan.add_argument("--sheet", default=None, help="the deliveries' sheet, in an Excel workbook")
    plan.add_argument(
        "--drivers-sheet", default=None, help="the roster's sheet, in an Excel workbook"
    )
    plan.add_argument(
        "--keep-duplicates",
        action="store_true",
        help="plan every row; by default one household written twice (same address and "
        "unit, or same name and phone) is planned once, as its later row",
    )
    plan.add_argument(
        "--online",
        metavar="URL",
        default=None,
        help="a Nominatim-compatible geocoder, asked (1/s) only for addresses "
        "the area's own table cannot place; off unless given",
    )
    plan.add_argument(
        "--online-service",
        choices=("nominatim", "photon"),
        default="nominatim",
        help="the kind of service --online points at",
    )
    plan_options(plan, "aidroute-plan")
    plan.set_defaults(func=cmd_plan)

    serve = sub.add_parser("serve", help="start the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-* from the reverse proxy in --forwarded-allow-ips",
    )
    serve.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    serve.add_argument("--quiet", action="store_true", help="no access log")
    serve.set_defaults(func=cmd_serve)

    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name != module_name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except InputError as e:
        err_console.print(problems_table(e.problems, "Cannot continue: fix these and run again"))
        return 2
    except ValidationError as e:  # settings from the environment or .env
        for err in e.errors():
            err_console.print(
                f"[bold red]setting {'.'.join(map(str, err['loc']))}:[/] {err['msg']}"
            )
        return 2
    except (AidrouteError, OSError) as e:
        err_console.print(f"[bold red]error:[/] {e}")
        return 2
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130


#: Thread pools of the numerical libraries, set to one thread unless the user set them.
ONE_THREAD = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


def one_thread_per_process() -> None:
    """Keep numpy's BLAS to one thread per process (unless the environment says otherwise).

    A plan runs several processes at once (the search's two lanes, the renderers) on a
    dispatcher's few cores, and its matrix products are small: BLAS's own threads only
    spin beside them (on the demo, a seventh of all the CPU time the command took). It must
    run before numpy is first imported; ``aidroute`` does it first thing."""
    for name in ONE_THREAD:
        os.environ.setdefault(name, "1")


def run() -> None:
    """The ``aidroute`` command: :func:`main`, then leave at once. Tearing the interpreter
    down (the solver's, the maps' and the spreadsheets' libraries, object by object) takes
    most of a second after a plan, and every file is written and closed by then."""
    one_thread_per_process()
    code = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
