"""The distributed service under load: N plans submitted at once to `aidroute serve` with
AIDROUTE_QUEUE_URL, solved by 1 and then 2 `aidroute worker` processes (PostgreSQL and Redis
started here, on 127.0.0.1); throughput and the API's latency while solving, side by side.

Run::

    python -m benchmarks.service                       # 12 plans of 20 stops, 2 s each
    python -m benchmarks.service --plans 20 --stops 40 --time-limit 3

Each solve runs one search process (AIDROUTE_SOLVER_PROCESSES=1), so two workers can use
both cores of a small machine. Latency is measured by a client polling ``GET /jobs/{id}``
and ``GET /plans`` every 100 ms from the first submit to the last plan stored. Needs
Debian's ``postgresql`` and ``redis-server``.

Measured on the project's 2-core machine (shared), 12 plans of 20 stops, 2 s of search each,
November 2026:

======================== ========= =========
                         1 worker  2 workers
======================== ========= =========
wall time (s)            38.3      21.3
plans per minute         18.8      33.8
API p50 latency (ms)     43.1      56.1
API p95 latency (ms)     81.0      107.0
======================== ========= =========

Two workers plan x1.80 as many weeks a minute; the API answers in about 0.1 s at worst while
both cores solve. A job takes about 1 s more than its search (checking and placing the
stops, travel times, drawing routes, storing); workers load the area and warm the
travel-time kernels once, before their first job (before that: 3 s more per job).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from api.settings import Settings
from tests.helpers.api import plan_body
from tests.helpers.servers import aidroute, new_database, postgres, redis, serve, stop
from tests.helpers.service import new_member


def _wait(c: httpx.Client, ids: list[str], timeout_s: float = 900) -> None:
    deadline = time.monotonic() + timeout_s
    pending = set(ids)
    while pending and time.monotonic() < deadline:
        for job_id in list(pending):
            if c.get(f"/jobs/{job_id}").json()["status"] in ("done", "failed", "cancelled"):
                pending.discard(job_id)
        time.sleep(0.2)
    if pending:
        raise SystemExit(f"{len(pending)} jobs unfinished after {timeout_s} s")


def run(workers: int, args: argparse.Namespace, pg_url: str, tmp: Path) -> dict[str, float]:
    with redis(tmp) as queue_url:
        env = {
            "AIDROUTE_HOME": str(tmp / "home"),
            "AIDROUTE_DATABASE_URL": new_database(pg_url, f"bench{workers}"),
            "AIDROUTE_QUEUE_URL": queue_url,
            "AIDROUTE_SOLVER_PROCESSES": "1",
            "AIDROUTE_MAX_JOBS_PER_GROUP": "1000",
        }
        member = new_member(Settings(database_url=env["AIDROUTE_DATABASE_URL"]), "B", "b@x.org")
        procs = [aidroute(["worker"], env, tmp / "workers.log") for _ in range(workers)]
        try:
            with serve(env, tmp / "serve.log") as url:
                c = httpx.Client(base_url=url, headers=member.auth, timeout=120)
                body = plan_body(args.stops)
                body["options"]["time_limit_s"] = args.time_limit
                warm = [c.post("/jobs", json=plan_body(3)).json()["id"] for _ in range(workers)]
                _wait(c, warm)
                latencies: list[float] = []
                done = threading.Event()
                ids: list[str] = []

                def poll() -> None:
                    p = httpx.Client(base_url=url, headers=member.auth, timeout=30)
                    while not done.is_set():
                        for path in (f"/jobs/{ids[-1]}" if ids else "/jobs", "/plans"):
                            t0 = time.perf_counter()
                            p.get(path).raise_for_status()
                            latencies.append(time.perf_counter() - t0)
                        time.sleep(0.1)

                t0 = time.perf_counter()
                poller = threading.Thread(target=poll)
                poller.start()
                for _ in range(args.plans):
                    ids.append(c.post("/jobs", json=body).json()["id"])
                _wait(c, ids)
                wall = time.perf_counter() - t0
                done.set()
                poller.join()
        finally:
            for proc in procs:
                stop(proc)
    ms = sorted(x * 1000 for x in latencies)
    return {
        "wall time (s)": wall,
        "plans per minute": args.plans / wall * 60,
        "API p50 latency (ms)": statistics.median(ms),
        "API p95 latency (ms)": ms[int(0.95 * (len(ms) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--plans", type=int, default=12)
    parser.add_argument("--stops", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    results: dict[int, dict[str, float]] = {}
    with postgres() as pg_url:
        for n in args.workers:
            with tempfile.TemporaryDirectory() as tmp:
                results[n] = run(n, args, pg_url, Path(tmp))
                print(f"{n} worker(s): done", flush=True)
    heads = [f"{n} worker{'s' if n > 1 else ''}" for n in args.workers]
    print(f"\n{args.plans} plans of {args.stops} stops, {args.time_limit:g} s of search each")
    print(f"{'':24} " + " ".join(f"{h:>10}" for h in heads))
    for key in next(iter(results.values())):
        print(f"{key:24} " + " ".join(f"{results[n][key]:>10.1f}" for n in args.workers))
    if len(args.workers) > 1:
        a, b = args.workers[0], args.workers[-1]
        ratio = results[b]["plans per minute"] / results[a]["plans per minute"]
        print(f"throughput {b} vs {a} worker(s): x{ratio:.2f}")


if __name__ == "__main__":
    main()
