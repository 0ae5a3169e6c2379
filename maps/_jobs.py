"""Writing an output folder's files, shared between two processes when it pays: the jobs
(:data:`_Job`), their costs, and :func:`write_jobs`."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

#: A file to write: its path under the output folder, a rough cost (in milliseconds of a 2026
#: laptop core, measured on the demo with its streets drawn, in a process that has rendered
#: before: 60 the overview, 10 a driver's page, 15 their PDF manifest, 50 the workbook), and
#: what renders its content.
_Job = tuple[str, int, Callable[[], str | bytes]]
#: Below this total cost (0.2 s), writing in one process is faster than forking a second.
PARALLEL_MIN_COST = 200
#: What a process pays once before its first job of a kit, in the jobs' units: importing
#: the library and loading what it keeps (folium, the page templates, the locale data and
#: the phone number metadata for "map": maps, drivers' pages, HTML manifests, GPX and the
#: CSV; reportlab and the fonts for "pdf", openpyxl for "xlsx"). Measured on the demo,
#: first run against the next: more than all the jobs of the kit together, so a kit's jobs
#: share one process.
KIT_COST = {"map": 600, "pdf": 250, "xlsx": 225}


def write_jobs(
    out_dir: Path,
    jobs: Sequence[_Job],
    workers: int | None = None,
    kits: Sequence[str] | None = None,
) -> list[Path]:
    """Render and write ``jobs`` into ``out_dir``; return the paths, in the jobs' order.

    With ``workers`` None (the default) the work is shared with a second process, forked,
    when there is enough of it and an idle core to run it (see :func:`_may_fork`);
    ``workers=1`` never forks, ``workers=2`` does wherever ``os.fork`` exists. ``kits``
    names, per job, what it needs loaded first (:data:`KIT_COST`; "" for nothing): the
    jobs of a kit go to the same process, so only one of the two pays for loading it.
    Should the second process fail, this one renders its share again, so an error is
    raised here as it would be without it.
    """
    paths = [out_dir / relative for relative, _, _ in jobs]
    kits = list(kits) if kits is not None else [""] * len(jobs)
    if workers is None:
        cost = sum(w for _, w, _ in jobs) + sum(KIT_COST.get(k, 0) for k in set(kits))
        workers = 2 if _may_fork() and cost >= PARALLEL_MIN_COST else 1
    if workers < 2 or not hasattr(os, "fork"):
        for relative, _, render in jobs:
            _write(out_dir / relative, render())
        return paths
    theirs = _half(jobs, kits)
    with warnings.catch_warnings():
        # Python 3.12 warns about forking a process with threads (the CLI's progress bar,
        # OpenBLAS's idle workers): the second process only renders and writes files,
        # takes no lock another thread may hold, and leaves with os._exit.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the second process: its share, then leave at once (no cleanup, no flush)
        status = 1
        try:
            for k in sorted(theirs):
                _write(paths[k], jobs[k][2]())
            status = 0
        finally:
            os._exit(status)
    try:
        for k, (_, _, render) in enumerate(jobs):
            if k not in theirs:
                _write(paths[k], render())
    finally:
        _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        for k in sorted(theirs):
            _write(paths[k], jobs[k][2]())
    return paths


def _half(jobs: Sequence[_Job], kits: Sequence[str] | None = None) -> set[int]:
    """The jobs for the second process: about half of the cost, the heaviest spread evenly.

    The jobs of one kit (``kits``, per job) count as one, with the kit's :data:`KIT_COST`,
    and go to the same process."""
    units: dict[object, list[int]] = {}
    for k, kit in enumerate(kits if kits is not None else [""] * len(jobs)):
        units.setdefault(kit or ("job", k), []).append(k)

    def cost(unit: object) -> int:
        return sum(jobs[k][1] for k in units[unit]) + KIT_COST.get(str(unit), 0)

    mine = theirs = 0
    out: set[int] = set()
    for unit in sorted(units, key=lambda u: -cost(u)):
        if theirs < mine:
            out.update(units[unit])
            theirs += cost(unit)
        else:
            mine += cost(unit)
    return out


def _may_fork() -> bool:
    """Whether a second process would run beside this one: on Linux (on macOS a forked child
    of a process that loaded system frameworks may die), with a core left idle over the last
    minute (on a busy machine the two processes only take turns, and forking costs)."""
    if not sys.platform.startswith("linux"):
        return False
    cores = os.cpu_count() or 1
    return cores >= 2 and os.getloadavg()[0] <= cores - 1


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
