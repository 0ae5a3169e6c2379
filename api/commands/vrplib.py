"""``aidroute vrplib INSTANCE.vrp --time-limit S --out SOLUTION.sol``: solve a benchmark instance.

Reads a VRPLIB CVRP or VRPTW instance (conventions in :mod:`routing.vrplib`), solves it
with aidroute's solver, writes the solution in VRPLIB ``.sol`` format (``Route #k: ...``
lines and a ``Cost`` line) and prints the cost, routes and time; when a best-known
``.sol`` lies next to the instance, also the gap to it. Exit status 0 when every customer
is served, 1 when some could not be, 2 when the instance cannot be read.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def cmd_vrplib(args: argparse.Namespace) -> int:
    """Solve, write the ``.sol``, print a one-line summary; return the exit status."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from routing.solve.options import SolveProgress
    from routing.vrplib import plan_cost, read_instance, read_solution, solve_instance

    console = Console(stderr=True)
    instance = read_instance(args.instance, vehicles=args.vehicles)
    limit = args.time_limit
    t0 = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=args.quiet,
    ) as bar:
        task = bar.add_task(f"solving {instance.name}", total=limit or 1.0, detail="")

        def on_progress(p: SolveProgress) -> None:
            cost = p.objective / instance.scale
            bar.update(
                task,
                total=p.time_limit_s,
                completed=p.elapsed_s,
                detail=f"objective {cost:.1f}, {p.assigned}/{p.total} served",
            )

        plan = solve_instance(
            instance,
            limit,
            seed=args.seed,
            workers=args.workers,
            progress=on_progress,
            seeding=args.seeding,
            full_time=args.full_time,
        )
    elapsed = time.perf_counter() - t0
    out = Path(args.out) if args.out else Path(args.instance).with_suffix(".aidroute.sol")
    from routing.vrplib import write_solution

    write_solution(out, instance, plan)
    cost = plan_cost(instance, plan)
    line = (
        f"{instance.name}: cost {cost:g}, {len(plan.routes)} routes, "
        f"{len(plan.unassigned)} unserved, {elapsed:.1f} s -> {out}"
    )
    bks_path = Path(args.instance).with_suffix(".sol")
    if bks_path.exists() and bks_path.resolve() != out.resolve():
        _, bks = read_solution(bks_path)
        if bks == bks and bks > 0:
            line += f" (best known {bks:g}, gap {100 * (cost - bks) / bks:.2f} %)"
    print(line)
    return 1 if plan.unassigned else 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``vrplib`` to the ``aidroute`` command line."""
    p = subparsers.add_parser(
        "vrplib",
        help="solve a VRPLIB CVRP/VRPTW instance and write a .sol",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    p.add_argument("instance", help="the .vrp file")
    p.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="SECONDS",
        help="the longest the search may take (default: grows with the instance size); "
        "it ends sooner once the solution stops improving",
    )
    p.add_argument(
        "--full-time",
        action="store_true",
        help="search for the whole --time-limit, even after the solution stops improving",
    )
    p.add_argument(
        "--out",
        default=None,
        metavar="SOLUTION.sol",
        help="where to write the solution (default: INSTANCE.aidroute.sol)",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=2, help="parallel searches (processes)")
    p.add_argument(
        "--vehicles",
        type=int,
        default=None,
        help="fleet size (default: the instance's, or a bound from the demand)",
    )
    p.add_argument(
        "--seeding",
        choices=("auto", "off"),
        default="auto",
        help="'off': OR-Tools only, no PyVRP first plan",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_vrplib)
