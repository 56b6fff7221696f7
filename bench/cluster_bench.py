"""Scale-out benchmark: one ``tctt crawl`` process, then ``tctt cluster`` with 1, 2 and 4 Redis workers.

    .venv/bin/python bench/cluster_bench.py --n 800 [--workers 1,2,4] [--latency 0.1] [--json out.json]

Against the same generated farm (``farms.gold.farm``, its own process, loopback 127.1.x.y, static DNS) and one
password-protected ``redis-server`` on 127.0.0.1 (free port, no persistence), each run on a fresh database:

- wall time, pages/s and requests/s the farm served, CPU seconds of the run's process tree (exact, from the
  kernel's accounting of waited-for children), split by process kind: the coordinator's own (sampled every
  0.2 s) and the workers' (the rest: workers and their page-reading and extraction processes); Redis's and
  the farm's beside it; peak RSS of the process tree (and of Redis);
- Redis commands per page (``INFO commandstats``, reset before each run; commands run inside our Lua
  scripts count too);
- per-worker throughput and efficiency (pages/s with k workers / (k x pages/s with 1 worker)), CPU per page
  per process kind, cores busy, the coordinator's and Redis's ceilings, and what a second machine would add
  (``bench/cluster_figures.py``: the projection and its assumptions are in the JSON);
- the findings (agency statuses, chosen sections, finding statuses per rule per agency, after ``tctt score``)
  of every run compared with the single process's; any difference is printed.

Every process (farm, Redis, crawlers) is stopped at the end, on failure too. Prints a table; writes JSON
(default ``out/bench/cluster-N.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from audit_bench import CRAWL_SETTINGS, PY, FarmProcess, compare_findings, findings_of, measure  # noqa: E402
from cluster_figures import derive, table  # noqa: E402

from core.secrets import REDIS_PASSWORD  # noqa: E402

REDIS_HOST = "127.0.0.1"


# -- redis-server on loopback -------------------------------------------------------------------------
def _free_port(address: str) -> int:
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


@contextmanager
def redis_server(folder: Path) -> Iterator[tuple[str, str, subprocess.Popen[bytes]]]:
    """A redis-server with a password on 127.0.0.1 (free port, no persistence); (url, password, process).
    The password reaches it on its standard input and the tctt processes through the environment."""
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not installed (scripts/apt-packages*.txt; ./scripts/setup.sh --test)")
    folder.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(16)
    port = _free_port(REDIS_HOST)
    proc = subprocess.Popen(["redis-server", "-"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        assert proc.stdin is not None
        proc.stdin.write(f"port {port}\nbind {REDIS_HOST}\ndir {folder}\nsave \"\"\nappendonly no\n"
                         f"requirepass {password}\n".encode())
        proc.stdin.close()
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection((REDIS_HOST, port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://{REDIS_HOST}:{port}", password, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


class KindCpu:
    """CPU seconds of our descendants by kind (the coordinator, each worker), their own and not their
    children's, sampled while they run: a process's last 0.2 s may be missed."""

    KINDS = {"cluster": "coordinator", "worker": "worker"}

    def __init__(self) -> None:
        self.seen: dict[int, tuple[str, float]] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self.done.is_set():
            for p in me.children(recursive=True):
                try:
                    kind = next((k for word, k in self.KINDS.items() if word in p.cmdline()[3:5]), None)
                    if kind:
                        t = p.cpu_times()
                        self.seen[p.pid] = (kind, t.user + t.system)
                except psutil.Error:
                    pass
            self.done.wait(0.2)

    def __enter__(self) -> KindCpu:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.done.set()
        self.thread.join()

    def of(self, kind: str) -> list[float]:
        return [round(cpu, 2) for k, cpu in self.seen.values() if k == kind]


def _redis_commands(client: Any) -> int:
    """Commands Redis ran since its statistics were reset, the benchmark's own left out."""
    stats = client.info("commandstats")
    own = {"cmdstat_info", "cmdstat_config|resetstat"}
    return sum(v["calls"] for k, v in stats.items() if k not in own)


# -- the runs -------------------------------------------------------------------------------------------
def _settings_args(hosts: Path) -> list[str]:
    """The audit benchmark's crawl settings, per worker, as ``--set`` arguments."""
    values = {**CRAWL_SETTINGS, "TWISTED_DNS_RESOLVER": "farms.gold.resolver.StaticResolver",
              "TCTT_STATIC_HOSTS": hosts.read_text(encoding="utf-8"), "TCTT_PROGRESS": "0"}
    out: list[str] = []
    for name, value in values.items():
        out += ["--set", f"{name}={value}"]
    return out


def stop_descendants() -> None:
    """Stop every process this benchmark started that is still running (a coordinator that failed may leave
    its workers behind): by process id, our own descendants only."""
    import psutil

    left = psutil.Process().children(recursive=True)
    for p in left:
        with suppress(psutil.Error):
            p.terminate()
    _, alive = psutil.wait_procs(left, timeout=10)
    for p in alive:
        with suppress(psutil.Error):
            p.kill()


def _last_run(db: Path) -> int:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute("select max(id) from runs").fetchone()[0]
    finally:
        conn.close()


def _fresh(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    import psutil

    from farms.gold.server import address_of

    work = Path(args.work or f"out/bench/cluster-work-{args.n}")
    work.mkdir(parents=True, exist_ok=True)
    port = args.port or _free_port(address_of(0))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    figures: dict[str, Any] = {"n": args.n, "seed": args.seed, "latency_s": args.latency,
                               "host_connections": args.host_connections, "cpus": os.cpu_count(),
                               "crawl_settings_per_process": CRAWL_SETTINGS, "runs": {}}
    reference: dict[str, Any] | None = None
    differences: dict[str, list[str]] = {}

    def farm() -> FarmProcess:
        return FarmProcess(work, args.n, args.seed, args.latency, args.host_connections, port, tag="farm")

    def finish(label: str, measured: dict[str, Any], db: Path, the_farm: FarmProcess, **extra: Any) -> None:
        nonlocal reference
        run_id = _last_run(db)
        subprocess.run([PY, "-m", "tctt.cli", "score", "--db", str(db), "--run", str(run_id)], env=env,
                       check=True, capture_output=True)
        found = findings_of(db, run_id)
        conn = sqlite3.connect(str(db))
        try:
            pages = conn.execute("select count(*) from pages where run_id = ? and status is not null",
                                 [run_id]).fetchone()[0]
        finally:
            conn.close()
        wall = measured["wall_s"]
        requests = the_farm.stats.get("requests") or 0
        row = {**{k: measured[k] for k in ("wall_s", "cpu_s", "peak_rss_mb")}, "pages": pages,
               "farm_requests": requests, "requests_per_s": round(requests / wall, 1),
               "pages_per_s": round(pages / wall, 1), "farm_cpu_s": the_farm.cpu_s,
               "agencies": len(found["statuses"]), "findings": len(found["findings"]),
               # Runnable processes on the machine (ours included) over the last minute: above the cores, the
               # machine was shared, and wall times and CPU per page are inflated by the contention.
               "load_average_1min": round(os.getloadavg()[0], 2), **extra}
        if reference is None:
            reference = found
        else:
            differences[label] = compare_findings(reference, found)
            row["finding_differences"] = len(differences[label])
        figures["runs"][label] = row
        if not args.quiet:
            print(f"  {label}: {wall:.1f} s, {row['requests_per_s']} requests/s", file=sys.stderr, flush=True)

    # (a) one process
    db = work / "one-process.db"
    _fresh(db)
    if not args.quiet:
        print(f"farm of {args.n} portals; one tctt crawl process…", file=sys.stderr, flush=True)
    with farm() as the_farm:
        figures["farm"] = {k: the_farm.info[k] for k in ("portals", "hosts", "pages")}
        measured = measure([PY, str(ROOT / "bench" / "audit_bench.py"), "_crawl", "--db", str(db),
                            "--hosts", str(the_farm.hosts), "--registry", str(the_farm.registry),
                            "--processes", "1"], env, work / "one-process.log")
    finish("one_process", measured, db, the_farm)

    # (b) the cluster, each worker count on its own Redis database and audit database
    with redis_server(work / "redis") as (url, password, redis_proc):
        import redis

        redis_ps = psutil.Process(redis_proc.pid)
        client = redis.Redis.from_url(url, password=password)
        cluster_env = {**env, REDIS_PASSWORD: password}
        for index, k in enumerate(args.workers, start=1):
            label = f"cluster_{k}"
            db = work / f"{label}.db"
            _fresh(db)
            if not args.quiet:
                print(f"tctt cluster --workers {k}…", file=sys.stderr, flush=True)
            client.config_resetstat()
            redis_cpu0 = sum(redis_ps.cpu_times()[:2])
            with farm() as the_farm, KindCpu() as kinds:
                cmd = [PY, "-m", "tctt.cli", "cluster", "--redis", f"{url}/{index}", "--registry",
                       str(the_farm.registry), "--db", str(db), "--workers", str(k), "--allow-private",
                       *_settings_args(the_farm.hosts)]
                measured = measure(cmd, cluster_env, work / f"{label}.log")
                redis_rss = redis_ps.memory_info().rss
            coordinator_cpu = round(sum(kinds.of("coordinator")), 2)
            finish(label, measured, db, the_farm, workers=k, coordinator_cpu_s=coordinator_cpu,
                   workers_cpu_s=round(measured["cpu_s"] - coordinator_cpu, 2),
                   worker_own_cpu_s=sorted(kinds.of("worker"), reverse=True),
                   redis_cpu_s=round(sum(redis_ps.cpu_times()[:2]) - redis_cpu0, 2),
                   redis_rss_mb=round(redis_rss / 2**20, 1), redis_commands=_redis_commands(client))
    figures["finding_differences"] = differences
    derive(figures)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=800, help="portals in the farm (%(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per response (%(default)s)")
    parser.add_argument("--host-connections", type=int, default=4, help="requests served at once per host (%(default)s)")
    parser.add_argument("--workers", default="1,2,4", help="worker counts of the cluster runs (%(default)s)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--work", default=None, help="work folder (default out/bench/cluster-work-N)")
    parser.add_argument("--json", default=None, help="write the figures here (default out/bench/cluster-N.json)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    args.workers = [int(k) for k in args.workers.split(",") if k.strip()]
    if not args.workers or min(args.workers) < 1:
        parser.error("--workers: positive counts, e.g. 1,2,4")
    if 1 not in args.workers:
        args.workers.insert(0, 1)  # the per-worker efficiency is measured against one worker
    try:
        figures = run(args)
    finally:
        stop_descendants()
    out = Path(args.json or f"out/bench/cluster-{args.n}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    print(table(figures))
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
