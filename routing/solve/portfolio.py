"""The search portfolio: one or two searches in parallel processes, the better plan kept.

``workers=2`` (default) runs two searches in two processes and keeps the better plan by
the OR-Tools objective. The main one gives a first complete plan within a fraction of a
second (OR-Tools, PATH_CHEAPEST_ARC with every visit optional) and reports progress. When
the ``pyvrp`` package is installed (``seeding="auto"``), both processes also take a first
plan from PyVRP's genetic search on a relaxation of the model (:mod:`routing.solve.seed`),
repair it with the solver's own route check and let OR-Tools GLS keep improving it under
every constraint; without pyvrp, the second process runs GLS with the multi-armed-bandit
operator setting. OR-Tools owns the model: every plan returned passed through it, and the
product plans every constraint with OR-Tools alone.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from typing import Any

from routing.errors import SolverError
from routing.solve.data import SolveData
from routing.solve.locks import with_locks
from routing.solve.options import SolveProgress
from routing.solve.ortools_model import run_search
from routing.solve.seed import pyvrp_fits, pyvrp_routes


def _plain(data: SolveData) -> bool:
    """Whether PyVRP sees the whole objective: travel, fleet size and time balance
    (as overtime above each driver's fair share), but no box balance or preferences."""
    opts = data.options
    return (opts.balance in ("off", "time") or opts.minimize_drivers) and not (
        opts.continuity or data.previous is not None
    )


def _seeded_search(
    data: SolveData,
    limit_s: float,
    seed: int,
    initial: list[list[int]] | None,
    t0: float,
    progress: Callable[[SolveProgress], None] | None = None,
    total_limit_s: float = 0.0,
    last: tuple[int, int] = (0, 0),
) -> tuple[list[list[int]] | None, int, float | None, str]:
    """PyVRP's plan for most of ``limit_s``, then OR-Tools GLS from it under the full model.

    Travel-only problems give PyVRP 90 % of the time; with balance or preferences, which
    PyVRP does not see, OR-Tools gets 40 % to rework its plan.
    """
    start = time.monotonic()
    tick = None
    if progress is not None:
        n_total = len(data.problem.stops)

        def tick() -> None:
            progress(SolveProgress(time.monotonic() - t0, last[0], last[1], n_total, total_limit_s))

    frac = 0.9 if _plain(data) else 0.6
    try:
        seeded = pyvrp_routes(data, limit_s * frac, seed, tick)
    except Exception:  # a seed is an extra; OR-Tools alone still plans everything
        seeded = None
    name = "ortools-gls"
    if seeded is not None:
        initial = with_locks(data, seeded)
        name = "pyvrp+ortools-gls"
    rest = max(0.1, limit_s - (time.monotonic() - start))
    routes, obj, first = run_search(data, rest, 0, initial, progress, t0, total_limit_s)
    return routes, obj, first, name


def _worker(
    data: SolveData, limit_s: float, variant: int, initial: list[list[int]] | None, conn: Any
) -> None:
    """Second search, in a child process: send back (routes, objective, first_s, name)."""
    try:
        t0 = time.monotonic()
        if variant == 2:
            routes, obj, first, name = _seeded_search(data, limit_s, data.options.seed, initial, t0)
        else:
            name = "ortools-gls-bandit"
            routes, obj, first = run_search(data, limit_s, variant, initial, None, t0, limit_s)
        conn.send((routes, obj, first, name))
    except Exception as e:  # pragma: no cover - reported, the main search still counts
        conn.send((None, 0, None, f"error: {e!r}"))
    finally:
        conn.close()


def _mp_context() -> Any:
    """``fork`` from the main thread (fast); ``forkserver`` from other threads (an API
    server's worker threads), where forking a threaded process is unsafe; ``spawn`` where
    neither exists."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.current_thread() is threading.main_thread():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["routing.solve.portfolio"])
        return ctx
    return multiprocessing.get_context("spawn")


def run_portfolio(
    data: SolveData,
    limit_s: float,
    initial: list[list[int]] | None,
    progress: Callable[[SolveProgress], None] | None,
    t0: float,
) -> tuple[list[list[int]], int, float | None, str, dict[str, Any]]:
    """Run one search here and, with ``workers >= 2``, a differently set one in a child."""
    opts = data.options
    child = None
    conn = None
    info: dict[str, Any] = {}
    variant = 0
    if opts.workers >= 2 and data.n_stops >= 8 and limit_s >= 0.5:
        variant = 2 if opts.seeding == "auto" and pyvrp_fits(data) else 1
        ctx = _mp_context()
        conn, child_conn = ctx.Pipe(duplex=False)
        child = ctx.Process(
            target=_worker, args=(data, limit_s, variant, initial, child_conn), daemon=True
        )
        child.start()
        child_conn.close()
    name = "ortools-gls"
    if child is not None and variant == 2 and _plain(data):
        # Travel only: a first plan from OR-Tools at once, then a second PyVRP seed here.
        quick = min(1.0, 0.1 * limit_s)
        routes, obj, first = run_search(data, quick, 0, initial, progress, t0, limit_s)
        info["ortools-gls"] = obj if routes is not None else None
        rest = limit_s - (time.monotonic() - t0)
        if rest > 0.5:
            done = sum(map(len, routes)) if routes else 0
            r2, o2, _, n2 = _seeded_search(
                data, rest, opts.seed + 1, routes or initial, t0, progress, limit_s, (obj, done)
            )
            info[n2 + " (seed 2)"] = o2 if r2 is not None else None
            if r2 is not None and (routes is None or o2 < obj):
                routes, obj, name = r2, o2, n2 + " (seed 2)"
    else:
        routes, obj, first = run_search(data, limit_s, 0, initial, progress, t0, limit_s)
        info["ortools-gls"] = obj if routes is not None else None
    if child is not None and conn is not None:
        got = None
        if conn.poll(limit_s + 10):
            try:
                got = conn.recv()
            except EOFError:
                got = None
        child.join(timeout=1)
        if child.is_alive():
            child.terminate()
            child.join()
        if got is not None:
            c_routes, c_obj, c_first, c_name = got
            info[c_name] = c_obj if c_routes is not None else None
            if c_routes is not None and (routes is None or c_obj < obj):
                routes, obj, name = c_routes, c_obj, c_name
                if first is None:
                    first = c_first
    if routes is None:
        raise SolverError("the search found no plan at all, not even an empty one")
    return routes, obj, first, name, info
