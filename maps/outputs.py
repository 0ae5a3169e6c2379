"""Write a plan's whole output folder: what the CLI leaves for a dispatcher to open from disk.

Layout (every page works offline from disk, loading Leaflet from ``static/``)::

    overview.html              the dispatcher's map of every route
    drivers/<slug>.html        one page per driver with a route (phone-sized)
    drivers/<slug>.gpx         the route for GPS apps
    manifests/<slug>.html      printable manifest per driver (HTML + print CSS)
    manifests/<slug>.pdf       the same as PDF
    manifests/all.html, .pdf   every driver in one document
    plan.csv, plan.xlsx        the plan for the group's spreadsheet
    plan.json                  everything, for scripts (routing.serialize)
    problems.csv               rows of the inputs that need a look (only when there are any)
    static/                    bundled Leaflet with its licence

With a ``base_url`` (where the group will publish pages for drivers' phones), also::

    publish/<token>/index.html   a driver's page, under a random, unguessable name
    publish/<token>/route.gpx    and manifest.html: that driver's own files only
    publish/static/              Leaflet for the published pages
    driver-links.csv             driver -> link, for the dispatcher to send (not to publish)

Only ``publish/`` is meant to be put online: everything else holds every recipient.
A new run into the same folder first removes what an earlier run wrote there, so last
week's pages do not linger.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import multiprocessing
import os
import re
import secrets
import shutil
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from maps._jobs import _Job, _write, write_jobs
from maps._render import slug
from maps.assets import AssetMode, TileSettings, copy_static
from maps.driver_page import driver_page
from maps.export import gpx, neutralise, plan_csv, plan_xlsx, problems_csv
from maps.manifest import manifest_html, manifest_pdf
from maps.overview import RouteLinks, overview_map
from maps.privacy import check_privacy
from routing.errors import InputError, InputProblem
from routing.history import match_drivers
from routing.model import Plan, Problem
from routing.phones import display_phone
from routing.serialize import plan_to_dict


def driver_slugs(plan: Plan) -> dict[str, str]:
    """A unique, file-name-safe slug per driver with a route: from the name, else the id."""
    taken = {"all"}
    return {
        r.driver_id: slug(plan.problem.driver(r.driver_id).name, taken, fallback=r.driver_id)
        for r in plan.routes
    }


def write_outputs(
    plan: Plan,
    out_dir: Path,
    *,
    problems: Sequence[InputProblem] = (),
    privacy: str = "full",
    base_url: str | None = None,
    tiles: TileSettings | None = None,
    pdf: bool = True,
    tokens: Mapping[str, str] | None = None,
    workers: int | None = None,
    locale: str | None = None,
    renderers: Renderers | None = None,
) -> list[Path]:
    """Write the whole output folder (the layout above); return the paths written.

    Parameters
    ----------
    plan
        The plan to write out.
    out_dir
        The folder (created if needed). Existing files of the same names are replaced.
    problems
        What reading the inputs found, written to ``problems.csv`` (removed when empty, so
        an earlier run's does not mislead).
    privacy
        Privacy mode of what drivers see (driver pages, manifests, GPX).
    base_url
        Where this folder will be published (``https://example.org/week-48/``), if anywhere:
        manifests then carry a QR code of each driver page. Without it they have none, since a
        phone cannot open a path on this computer.
    tiles
        Tile server for the maps; default :meth:`TileSettings.from_env`.
    pdf
        Also write PDF manifests.
    tokens
        Driver id -> the folder name their published page had before (see
        :func:`published_tokens`), so a re-plan keeps the links drivers already have.
    workers
        Processes that render (see :func:`write_jobs`): None shares the work with a second
        process when it pays, 1 renders everything here.
    locale
        The dispatcher's language (``"en"``, the default, or ``"es"``): the overview's, and
        that of every driver the roster gives no language of their own (``Driver.locale``).
    renderers
        Processes started before the plan was made (:class:`Renderers`), which render the
        files that need a library they have loaded meanwhile; ``workers`` is then unused.
    """
    mode = check_privacy(privacy)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clear_previous(out_dir)
    (out_dir / MARKER).write_text(json.dumps({"written_by": "aidroute"}), encoding="utf-8")
    (out_dir / "drivers").mkdir(exist_ok=True)
    (out_dir / "manifests").mkdir(exist_ok=True)
    base = (base_url.rstrip("/") + "/") if base_url else None
    # Hex: unguessable (96 bits), and never starting with "-" as a shell option would.
    keep = {d: t for d, t in (tokens or {}).items() if re.fullmatch(r"[0-9a-f]{24}", t)}
    tokens = {d: keep.get(d) or secrets.token_hex(12) for d in driver_slugs(plan)} if base else {}
    (out_dir / MARKER).write_text(
        json.dumps({"written_by": "aidroute", "publish": tokens}), encoding="utf-8"
    )
    spec = _Outputs(
        tuple(problems), mode, base, dict(tokens), tiles or TileSettings.from_env(), pdf, locale
    )
    jobs, kits = _output_jobs(plan, spec)
    if renderers is not None and renderers.started:
        written = renderers.write(out_dir, plan, spec, jobs, kits)
    else:
        written = write_jobs(out_dir, jobs, workers, kits)
    if tokens:
        written += copy_static(out_dir / "publish")
    written += copy_static(out_dir)
    return written


@dataclass(frozen=True)
class _Outputs:
    """What :func:`write_outputs` was asked for, once checked: enough, with the plan, for
    another process to list the same files (:func:`_output_jobs`)."""

    problems: tuple[InputProblem, ...]
    mode: str
    base: str | None
    tokens: dict[str, str]
    tiles: TileSettings
    pdf: bool
    locale: str | None


def _output_jobs(plan: Plan, spec: _Outputs) -> tuple[list[_Job], list[str]]:
    """Every file of the output folder, as jobs, and the kit each needs (see
    :func:`write_jobs`)."""
    mode, base, tokens, tiles, pdf, locale = (
        spec.mode,
        spec.base,
        spec.tokens,
        spec.tiles,
        spec.pdf,
        spec.locale,
    )
    problems = spec.problems
    jobs: list[_Job] = []
    kits: list[str] = []

    def put(relative: str, weight: int, render: Callable[[], str | bytes], kit: str = "") -> None:
        jobs.append((relative, weight, render))
        kits.append(kit)

    slugs = driver_slugs(plan)
    links = {
        d: RouteLinks(
            f"drivers/{s}.html", f"manifests/{s}.html", f"manifests/{s}.pdf" if pdf else None
        )
        for d, s in slugs.items()
    }
    put(
        "overview.html",
        60,
        lambda: overview_map(
            plan, assets=AssetMode.relative("static/"), tiles=tiles, links=links, locale=locale
        ),
        "map",
    )
    urls = {d: f"{base}{t}/" for d, t in tokens.items()}
    for driver_id, t in tokens.items():
        url = urls[driver_id]
        put(
            f"publish/{t}/index.html",
            10,
            partial(
                driver_page,
                plan,
                driver_id,
                privacy=mode,
                assets=AssetMode.relative("../static/"),
                page_url=url,
                tiles=tiles,
                gpx_url="route.gpx",
                manifest_url="manifest.html",
                locale=locale,
            ),
            "map",
        )
        put(
            f"publish/{t}/route.gpx",
            2,
            partial(gpx, plan, driver_id, privacy=mode, locale=locale),
            "map",
        )
        put(
            f"publish/{t}/manifest.html",
            2,
            partial(
                manifest_html, plan, driver_id, privacy=mode, driver_page_url=url, locale=locale
            ),
            "map",
        )
    if tokens:
        # An empty index, so a server that lists folders does not list drivers' folders.
        put("publish/index.html", 0, lambda: "<!doctype html><title>aidroute</title>\n")
        put("driver-links.csv", 0, lambda: _links_csv(plan, urls))
    for driver_id, s in slugs.items():
        page_url = urls.get(driver_id)
        put(
            f"drivers/{s}.html",
            10,
            partial(
                driver_page,
                plan,
                driver_id,
                privacy=mode,
                assets=AssetMode.relative("../static/"),
                page_url=page_url,
                tiles=tiles,
                gpx_url=f"{s}.gpx",
                manifest_url=f"../manifests/{s}.html",
                locale=locale,
            ),
            "map",
        )
        put(
            f"drivers/{s}.gpx",
            2,
            partial(gpx, plan, driver_id, privacy=mode, locale=locale),
            "map",
        )
        put(
            f"manifests/{s}.html",
            2,
            partial(
                manifest_html,
                plan,
                driver_id,
                privacy=mode,
                driver_page_url=page_url,
                locale=locale,
            ),
            "map",
        )
        if pdf:
            put(
                f"manifests/{s}.pdf",
                15,
                partial(
                    manifest_pdf,
                    plan,
                    driver_id,
                    privacy=mode,
                    driver_page_url=page_url,
                    locale=locale,
                ),
                "pdf",
            )
    put(
        "manifests/all.html",
        2 * len(slugs),
        lambda: manifest_html(plan, None, privacy=mode, driver_page_url=urls, locale=locale),
        "map",
    )
    if pdf:
        put(
            "manifests/all.pdf",
            8 * len(slugs),
            lambda: manifest_pdf(plan, None, privacy=mode, driver_page_url=urls, locale=locale),
            "pdf",
        )
    # The CSV's times and phone numbers need the locale data and phone metadata the pages load.
    put("plan.csv", 5, lambda: plan_csv(plan), "map")
    put("plan.xlsx", 50, lambda: plan_xlsx(plan), "xlsx")
    put("plan.json", 20, lambda: json.dumps(plan_to_dict(plan), indent=1, ensure_ascii=False))
    if problems:
        put("problems.csv", 0, lambda: problems_csv(problems))
    return jobs, kits


class Renderers:
    """A process that loads the rendering libraries while this one plans, on the core the
    planning leaves idle until the search, then renders the files that need them.

    Started before the slow imports of planning (forked, with little loaded), it renders
    a one-stop plan (:func:`_warm_up`), which loads every library the files need (one
    process: planning keeps the other core). Given to :func:`write_outputs`, it forks
    ``copies - 1`` copies of itself, already loaded, and the copies share the files that
    need a library by their cost, while this process writes the rest. A file they could
    not write is rendered here, so an error is raised here as it would be without them.
    Unlike :func:`write_jobs`' second process it starts on a busy machine too: each library
    is still loaded once, only elsewhere. Only on Linux (see :func:`maps._jobs._may_fork`);
    :attr:`started` says whether it runs. Use as a context manager, or :meth:`close`.
    """

    def __init__(self, copies: int = 2):
        self.copies = max(1, copies)
        self._conn: Any = None
        self._process: Any = None
        #: Whether it was given files to write.
        self.used = False
        if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
            return
        ctx = multiprocessing.get_context("fork")
        mine, theirs = ctx.Pipe()
        # The new process closes its copy of this end, so that it sees the end of the pipe
        # when this process closes it.
        self._process = ctx.Process(target=_renderer, args=(theirs, mine), daemon=True)
        with warnings.catch_warnings():  # see write_jobs
            warnings.simplefilter("ignore", DeprecationWarning)
            self._process.start()
        theirs.close()
        self._conn = mine

    @property
    def started(self) -> bool:
        return self._process is not None

    def write(
        self,
        out_dir: Path,
        plan: Plan,
        spec: _Outputs,
        jobs: Sequence[_Job],
        kits: Sequence[str],
    ) -> list[Path]:
        """Render and write ``jobs`` (as :func:`write_jobs`), the kits' jobs in the
        renderer and its copies; return the paths, in the jobs' order."""
        paths = [out_dir / relative for relative, _, _ in jobs]
        self.used = True
        shares = _shares([k for k, kit in enumerate(kits) if kit], jobs, self.copies)
        taken = {k for share in shares for k in share}
        try:
            self._conn.send((out_dir, plan, spec, [[(k, jobs[k][0]) for k in s] for s in shares]))
        except (OSError, ValueError):
            taken = set()  # the process has gone: everything is rendered here
        for k, (_, _, render) in enumerate(jobs):
            if k not in taken:
                _write(paths[k], render())
        if taken:
            try:
                failed: list[int] = self._conn.recv()
            except (EOFError, OSError):
                failed = sorted(taken)
            for k in failed:
                _write(paths[k], jobs[k][2]())
        return paths

    def close(self) -> None:
        """Stop the process: once it has written, it ends as soon as its pipe closes;
        never used (planning failed), it is stopped at once, loading or not."""
        if self._process is None:
            return
        self._conn.close()
        if not self.used:
            self._process.terminate()
        self._process.join(timeout=2)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
        self._process = None

    def __enter__(self) -> Renderers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _shares(indices: Sequence[int], jobs: Sequence[_Job], n: int) -> list[list[int]]:
    """``indices`` of ``jobs`` in ``n`` shares of about the same cost (the heaviest first,
    each to the lightest share so far); empty shares left out, each in the jobs' order."""
    shares: list[list[int]] = [[] for _ in range(n)]
    cost = [0] * n
    for k in sorted(indices, key=lambda k: -jobs[k][1]):
        light = cost.index(min(cost))
        shares[light].append(k)
        cost[light] += jobs[k][1]
    return [sorted(share) for share in shares if share]


def _renderer(conn: Any, parents: Any) -> None:
    """The :class:`Renderers` process: warm up, then write the files asked for, until the
    pipe closes. A request names the jobs of each copy; the answer lists the jobs that could
    not be written. ``parents``: the other end of the pipe, closed here."""
    parents.close()
    with contextlib.suppress(Exception):  # rendering the plan's files will say what fails
        _import_folium_without_pandas()
        _warm_up()
    while True:
        try:
            out_dir, plan, spec, shares = conn.recv()
        except (EOFError, OSError):
            break
        # One copy of this process per group after the first; each leaves with its status.
        children = {}
        for share in shares[1:]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
            if pid == 0:
                os._exit(_render_share(out_dir, plan, spec, share))
            children[pid] = share
        failed = [] if _render_share(out_dir, plan, spec, shares[0]) == 0 else shares[0]
        for pid, share in children.items():
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                failed = failed + share
        conn.send([k for k, _ in failed])


def _import_folium_without_pandas() -> None:
    """Import folium (by way of :mod:`maps._leaflet`, which keeps its templates) with pandas
    out of sight: folium imports pandas, when installed, only to recognise a DataFrame
    among the places it is given, and aidroute gives it none; pandas takes a third of a
    second to import. Only in the renderer, a process of one thread: elsewhere another
    thread could be importing pandas meanwhile. A process with pandas loaded keeps it."""
    hide = "pandas" not in sys.modules
    if hide:
        sys.modules["pandas"] = None  # type: ignore[assignment]  # "import pandas" fails
    try:
        import maps._leaflet  # noqa: F401
    finally:
        if hide and sys.modules.get("pandas", ...) is None:
            del sys.modules["pandas"]


def _warm_up() -> list[str]:
    """Render every file of a one-stop plan, in every page language, and throw them away:
    what the first page, PDF and workbook of a process load as they go (locale data, phone
    number metadata, fonts, folium's element templates; a tenth of a second for the first
    page or PDF, some hundredths for a language's first) is then loaded before the plan is
    ready, in the renderer and so in its copies. Returns the files' names."""
    from routing.model import PAGE_LANGUAGES, Driver, Hub, LatLon, Route, Stop, TimeWindow, Visit

    here, there = LatLon(40.7184, -73.7374), LatLon(40.7208, -73.7360)
    hub = Hub("hub", "Hub", here, address="1 Main St")
    stop = Stop("s1", location=there, recipient="A", address="2 Main St", phone="555-0101")
    driver = Driver("d1", "D", 10, TimeWindow(9 * 3600, 12 * 3600), phone="555-0102")
    visit = Visit("s1", arrival_s=33000, start_s=33000, departure_s=33300, load_boxes=1)
    path = ((here.lat, here.lon), (there.lat, there.lon))
    route = Route("d1", "hub", 32400, 34000, (visit,), path=path)
    plan = Plan(Problem((hub,), (stop,), (driver,), date="2026-01-01"), (route,), ())
    base, tokens = "https://example.org/", {"d1": "0" * 24}  # the published pages too
    for language in PAGE_LANGUAGES:
        spec = _Outputs((), "full", base, tokens, TileSettings(), True, language)
        jobs = _output_jobs(plan, spec)[0]
        for _, _, render in jobs:
            render()
    return [relative for relative, _, _ in jobs]


def _render_share(
    out_dir: Path, plan: Plan, spec: _Outputs, share: Sequence[tuple[int, str]]
) -> int:
    """Write the jobs ``share`` names; 0 when all were written."""
    try:
        jobs, _ = _output_jobs(plan, spec)
        for k, relative in share:
            if jobs[k][0] != relative:
                raise RuntimeError(f"asked for {relative}, would write {jobs[k][0]}")
            _write(out_dir / relative, jobs[k][2]())
    except Exception:  # the planning process renders them again, and says what failed
        return 1
    return 0


#: What :func:`write_outputs` writes into a folder, removed before it writes again.
OWNED_DIRS = ("drivers", "manifests", "publish", "static")
OWNED_FILES = (
    "overview.html",
    "plan.csv",
    "plan.xlsx",
    "plan.json",
    "problems.csv",
    "driver-links.csv",
)
#: Left in a folder aidroute wrote, so a later run knows what it may remove.
MARKER = ".aidroute-output"


def published_tokens(out_dir: Path) -> dict[str, str]:
    """Driver id -> published folder name, as the last run into ``out_dir`` wrote them."""
    try:
        marker = json.loads((out_dir / MARKER).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in marker.get("publish", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def previous_tokens(previous_dir: Path, previous: Plan, problem: Problem) -> dict[str, str]:
    """The published page names of the run that wrote ``previous_dir``, keyed by the new
    problem's driver ids (drivers matched across the runs), so a re-plan keeps the links
    drivers already have."""
    old = published_tokens(previous_dir)
    drivers = match_drivers(previous.problem, problem)
    return {drivers[d]: t for d, t in old.items() if d in drivers}


def clear_previous(out_dir: Path) -> None:
    """Remove what an earlier run wrote into ``out_dir``, and nothing else.

    Only a folder carrying :data:`MARKER` (written by an earlier run) is cleared, and only
    aidroute's own files and subfolders in it; a link is unlinked, never followed. A
    folder without the marker that already holds any of those names is refused, since
    they may be the user's (a ``drivers/`` folder of rosters, say).
    """
    present = [
        n
        for n in (*OWNED_DIRS, *OWNED_FILES)
        if (out_dir / n).exists() or (out_dir / n).is_symlink()
    ]
    if not (out_dir / MARKER).exists():
        if present:
            raise InputError(
                InputProblem(
                    "--out",
                    str(out_dir),
                    f"already holds {', '.join(present)} that aidroute did "
                    "not write; choose an empty or new folder",
                )
            )
        return
    for name in present:
        path = out_dir / name
        if path.is_symlink() or path.is_file():
            path.unlink()
        else:
            shutil.rmtree(path)


def _links_csv(plan: Plan, urls: dict[str, str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["driver", "phone", "link"])
    for driver_id, url in urls.items():
        d = plan.problem.driver(driver_id)
        phone = display_phone(d.phone, plan.problem.region)
        writer.writerow([neutralise(d.name), neutralise(phone), url])
    return buf.getvalue()
