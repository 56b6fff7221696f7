"""End-to-end audit benchmark on a farm of generated portals (``farms.gold.farm``).

    .venv/bin/python bench/audit_bench.py --n 500 [--latency 0.1] [--host-connections 4] [--json out.json]

In one run, against the same farm (its own process, loopback 127.1.x.y):

1. the farm's own capacity (no latency, many connections, a raw asyncio client): requests/s it can serve;
2. the first audit (``tctt crawl``'s code path, in a child process): wall time, pages/s, agencies/min,
   CPU seconds per page (crawler and its document workers), peak RSS of the crawler's process tree;
3. a bare Scrapy spider downloading the same URL set with the same concurrency (no parsing, no store):
   the framework's ceiling here, and our pages/s as a share of it;
4. re-scoring every agency from the store (``tctt score``, no network);
5. a second audit of the unchanged farm, and one of the farm with ``--changed`` (10%) of portals altered:
   wall time, requests the farm served, and the speed-up over the first audit.

With ``--network realistic`` the farm's hosts answer as real portals do (heavy-tailed latency, hanging
pages, dead hosts, slow documents: ``farms.gold.network``) and the figures add the lower bound on wall time
that those latencies impose under the crawl's concurrency limits, the first audit's wall time as a ratio
of it, and the slot utilisation over time (requests in flight ÷ requests allowed). ``--polite`` crawls with
the production settings (AutoThrottle on, two requests at a time per portal, the production timeout and
retries) instead of the uniform farm's tuned ones. The bare spider always runs with the same number of
processes, the same per-host limit and the same total concurrency as our crawl.

Prints a table and writes every figure as JSON (default ``out/bench/audit-N.json``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable
# The farm is ours, on loopback: no AutoThrottle; per-host concurrency matches the farm's connection limit.
CRAWL_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 64, "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
                  "DOWNLOAD_TIMEOUT": 30, "RETRY_TIMES": 0, "CONCURRENT_ITEMS": 8}


def production_settings() -> dict[str, Any]:
    """What a real audit runs with (crawler/settings.py): politeness on."""
    from crawler import settings as production

    keys = ("AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_MAX_DELAY",
            "AUTOTHROTTLE_TARGET_CONCURRENCY", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
            "DOWNLOAD_TIMEOUT", "RETRY_TIMES", "CONCURRENT_ITEMS", "SCRAPER_SLOT_MAX_ACTIVE_SIZE",
            "DOWNLOAD_DELAY_JITTER", "TCTT_MAX_ACTIVE_AGENCIES", "TCTT_MAX_SECONDS_PER_AGENCY", "TCTT_RETRY_PAGE_TIMEOUTS")
    return {key: getattr(production, key) for key in keys if hasattr(production, key)}


# -- helpers run in child processes --------------------------------------------------------------
def child_crawl(args: argparse.Namespace) -> int:
    from tctt import stages

    hosts = json.loads(Path(args.hosts).read_text(encoding="utf-8"))
    settings = {**json.loads(args.settings or "{}"),
                "TWISTED_DNS_RESOLVER": "farms.gold.resolver.StaticResolver", "TCTT_STATIC_HOSTS": hosts}
    outcome = stages.crawl(args.registry if not args.resume else None, args.db, allow_private=True, progress=False,
                           settings=settings, resume=args.resume, processes=args.processes)
    print(json.dumps({"run_id": outcome.run_id, "status": outcome.status}))
    return 0


def _host_share(url: str, processes: int) -> int:
    """Which of ``processes`` bare spiders downloads ``url``: by host, as ``tctt crawl --processes`` shares."""
    import zlib
    from urllib.parse import urlsplit

    return zlib.crc32((urlsplit(url).hostname or "").encode()) % processes


def child_bare(args: argparse.Namespace) -> int:
    """Spiders that only download: the Scrapy ceiling on this URL set, with our crawl's processes and limits."""
    if args.processes > 1 and args.index is None:
        children = [subprocess.Popen([PY, __file__, "_bare", "--urls", args.urls, "--hosts", args.hosts,
                                      "--settings", args.settings, "--processes", str(args.processes),
                                      "--index", str(i)], stdout=subprocess.PIPE, text=True)
                    for i in range(args.processes)]
        totals: dict[str, int] = {}
        for child in children:
            out, _ = child.communicate()
            for key, value in json.loads(out.strip().splitlines()[-1]).items():
                totals[key] = totals.get(key, 0) + value
        print(json.dumps(totals))
        return 0
    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = Path(args.urls).read_text(encoding="utf-8").split()
    settings = json.loads(args.settings or "{}")
    if args.processes > 1:
        urls = [u for u in urls if _host_share(u, args.processes) == args.index]
        settings["CONCURRENT_REQUESTS"] = max(1, settings.get("CONCURRENT_REQUESTS", 16) // args.processes)
    hosts = json.loads(Path(args.hosts).read_text(encoding="utf-8"))
    counted = {"responses": 0, "bytes": 0}

    class Bare(scrapy.Spider):
        name = "bare"

        async def start(self):  # type: ignore[override]
            for url in urls:
                yield scrapy.Request(url, dont_filter=True, callback=self.parse, errback=self.failed)

        def parse(self, response: Any) -> None:
            counted["responses"] += 1
            counted["bytes"] += len(response.body)

        def failed(self, failure: Any) -> None:
            counted.setdefault("errors", 0)
            counted["errors"] += 1

    process = CrawlerProcess({**settings, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "ERROR", "COOKIES_ENABLED": False,
                              "HTTPERROR_ALLOW_ALL": True, "DOWNLOAD_MAXSIZE": 50 * 1024 * 1024,
                              "TWISTED_DNS_RESOLVER": "farms.gold.resolver.StaticResolver",
                              "TCTT_STATIC_HOSTS": hosts, "TELNETCONSOLE_ENABLED": False})
    process.crawl(Bare)
    process.start()
    print(json.dumps(counted))
    return 0


# -- measuring a child process --------------------------------------------------------------------
def process_kind(cmdline: list[str]) -> str:
    """What a process of the crawl's tree is, from its command line (for peak RSS per kind)."""
    line = " ".join(cmdline)
    if "resource_tracker" in line:
        return "resource tracker"
    if "spawn_main" in line:
        return "crawl process"
    if "-m" in cmdline[:-1]:
        return cmdline[cmdline.index("-m") + 1]
    program = Path(cmdline[0]).name if cmdline else "?"
    return "parent" if program.startswith("python") else program


def _rss_tree(root: Any) -> dict[int, tuple[str, int, int, float]]:
    """pid → (kind, RSS, PSS, CPU seconds so far) of ``root`` and its descendants. RSS counts a page shared
    by several processes in each (a process forked to start a worker counts its parent's memory again until
    it runs the worker's program); PSS shares it out between them."""
    import psutil

    out = {}
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return out
    for p in procs:
        try:
            full = p.memory_full_info()
            times = p.cpu_times()
            out[p.pid] = (process_kind(p.cmdline()), full.rss, getattr(full, "pss", full.rss),
                          times.user + times.system)
        except psutil.Error:
            continue
    return out


def measure(cmd: list[str], env: dict[str, str] | None = None, log: Path | None = None,
            watch: Any = None) -> dict[str, Any]:
    """Run ``cmd``; wall time, CPU seconds of it and its descendants, peak RSS of its process tree (in all,
    and per kind of process: the largest one, and the most the processes of a kind held at once), the tree's RSS over time, and the peak RSS of
    ``watch`` (a psutil.Process: the farm) while it ran."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    peak = {"rss": 0, "pss": 0, "watch": 0}
    per_process: dict[int, tuple[str, int]] = {}
    per_kind: dict[str, int] = {}  # the largest sum over the processes of a kind alive at once
    cpu_seen: dict[int, tuple[str, float]] = {}  # pid → (kind, its CPU seconds when last sampled)
    series: list[tuple[float, float]] = []
    done = threading.Event()

    def sample() -> None:
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        last = -1e9
        while not done.is_set():
            tree = _rss_tree(root)
            total = sum(rss for _, rss, _, _ in tree.values())
            peak["pss"] = max(peak["pss"], sum(pss for _, _, pss, _ in tree.values()))
            at_once: dict[str, int] = {}
            for pid, (kind, rss, _, cpu_so_far) in tree.items():
                if kind == "?" and pid in cpu_seen:  # exiting: its command line is gone, its kind was known
                    kind = cpu_seen[pid][0]
                cpu_seen[pid] = (kind, cpu_so_far)
                at_once[kind] = at_once.get(kind, 0) + rss
                if rss > per_process.get(pid, ("", 0))[1]:
                    per_process[pid] = (kind, rss)
            for kind, rss in at_once.items():
                per_kind[kind] = max(per_kind.get(kind, 0), rss)
            peak["rss"] = max(peak["rss"], total)
            if watch is not None:
                with suppress(psutil.Error):
                    peak["watch"] = max(peak["watch"], watch.memory_info().rss)
            elapsed = time.monotonic() - started
            if elapsed - last >= 5:
                series.append((round(elapsed, 1), round(total / 2**20, 1)))
                last = elapsed
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.monotonic() - started
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if log is not None:
        log.write_text(err, encoding="utf-8")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}… failed ({proc.returncode}):\n{err[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    last = out.strip().splitlines()[-1] if out.strip() else "{}"
    try:
        result = json.loads(last)
    except ValueError:
        result = {"stdout": last}
    kinds: dict[str, dict[str, float]] = {}
    for kind, rss in per_process.values():
        row = kinds.setdefault(kind, {"processes": 0, "peak_rss_mb": 0.0,
                                      "peak_together_mb": round(per_kind.get(kind, 0) / 2**20, 1)})
        row["processes"] += 1
        row["peak_rss_mb"] = max(row["peak_rss_mb"], round(rss / 2**20, 1))
    # CPU per kind of process, as last sampled (every 0.25 s): what short-lived processes (OCR, pdftotext) and
    # the last moments of the others used is the remainder.
    cpu_by_kind: dict[str, float] = {}
    for kind, seconds in cpu_seen.values():
        cpu_by_kind[kind] = cpu_by_kind.get(kind, 0.0) + seconds
    cpu_by_kind = {kind: round(seconds, 2) for kind, seconds in sorted(cpu_by_kind.items(), key=lambda kv: -kv[1])}
    cpu_by_kind["unsampled"] = round(max(0.0, cpu - sum(cpu_by_kind.values())), 2)
    figures = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "cpu_s_by_kind": cpu_by_kind, "peak_rss_mb": round(peak["rss"] / 2**20, 1),
               "peak_pss_mb": round(peak["pss"] / 2**20, 1), "peak_rss_by_kind": kinds, "rss_mb_over_time": series, "result": result}
    if watch is not None:
        figures["farm_peak_rss_mb"] = round(peak["watch"] / 2**20, 1)
    return figures


class FarmProcess:
    """The farm in its own process, so that it never competes with the crawler for the GIL."""

    def __init__(self, work: Path, n: int, seed: int, latency: float, host_connections: int, port: int,
                 changed: float = 0.0, tag: str = "farm", network: str = "uniform"):
        self.stats_path = work / f"{tag}-stats.json"
        self.registry = work / "registry.csv"
        self.hosts = work / "hosts.json"
        self.cmd = [PY, "-m", "farms.gold.farm", "--n", str(n), "--seed", str(seed), "--latency", str(latency),
                    "--host-connections", str(host_connections), "--port", str(port), "--changed", str(changed),
                    "--registry", str(self.registry), "--hosts", str(self.hosts), "--stats", str(self.stats_path),
                    "--network", network]
        self.proc: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}

    def __enter__(self) -> FarmProcess:
        import psutil

        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the farm did not start")
        self.info = json.loads(line)
        self.ps = psutil.Process(self.proc.pid)
        self.cpu0 = sum(self.ps.cpu_times()[:2])
        return self

    def cpu(self) -> float:
        return sum(self.ps.cpu_times()[:2]) - self.cpu0

    def __exit__(self, *exc: Any) -> None:
        assert self.proc is not None
        self.cpu_s = round(self.cpu(), 2)
        self.proc.terminate()
        self.proc.wait(60)
        self.stats = json.loads(self.stats_path.read_text(encoding="utf-8")) if self.stats_path.exists() else {}


async def _load(urls: list[tuple[str, int, str, str]], concurrency: int, seconds: float) -> dict[str, Any]:
    """Hammer the farm with keep-alive GETs from ``concurrency`` connections for ``seconds``."""
    done = 0
    errors = 0
    stop_at = time.monotonic() + seconds

    async def worker(k: int) -> None:
        nonlocal done, errors
        mine = urls[k::concurrency] or urls
        i = 0
        while time.monotonic() < stop_at:
            address, port, host, path = mine[i % len(mine)]
            try:
                reader, writer = await asyncio.open_connection(address, port)
                for _ in range(20):
                    address2, _, host2, path2 = mine[i % len(mine)]
                    if address2 != address:
                        break
                    writer.write(f"GET {path2} HTTP/1.1\r\nHost: {host2}\r\n\r\n".encode())
                    await writer.drain()
                    head = await reader.readuntil(b"\r\n\r\n")
                    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                      if line.lower().startswith(b"content-length")))
                    await reader.readexactly(length)
                    done += 1
                    i += 1
                writer.close()
            except (OSError, asyncio.IncompleteReadError, StopIteration):
                errors += 1
                i += 1

    started = time.monotonic()
    await asyncio.gather(*(worker(k) for k in range(concurrency)))
    elapsed = time.monotonic() - started
    return {"requests": done, "errors": errors, "seconds": round(elapsed, 2), "requests_per_s": round(done / elapsed, 1)}


def farm_capacity(work: Path, n: int, seed: int, port: int, urls: list[str]) -> dict[str, Any]:
    from urllib.parse import urlsplit

    with FarmProcess(work, n, seed, 0.0, 1000, port, tag="capacity") as farm:
        hosts = json.loads(farm.hosts.read_text(encoding="utf-8"))
        targets = []
        for url in urls:
            parts = urlsplit(url)
            if parts.hostname in hosts:
                targets.append((hosts[parts.hostname], parts.port or 80, parts.hostname,
                                parts.path + (f"?{parts.query}" if parts.query else "")))
        targets.sort()
        result = asyncio.run(_load(targets, 64, 8.0))
        result["farm_cpu_s"] = round(farm.cpu(), 2)
    result["farm_cpu_per_request_ms"] = round(1000 * result["farm_cpu_s"] / max(1, result["requests"]), 3)
    return result


def _db_counts(db: Path, run_id: int) -> dict[str, Any]:
    import sqlite3

    conn = sqlite3.connect(str(db))
    try:
        pages = conn.execute("select count(*) from pages where run_id = ?", [run_id]).fetchone()[0]
        fetched = conn.execute("select count(*) from pages where run_id = ? and status is not null", [run_id]).fetchone()[0]
        agencies = conn.execute("select count(*) from agency_results where run_id = ?", [run_id]).fetchone()[0]
        statuses = dict(conn.execute("select status, count(*) from agency_results where run_id = ? group by status",
                                     [run_id]).fetchall())
        sections = conn.execute("select count(*) from agency_results where run_id = ? and section_url is not null",
                                [run_id]).fetchone()[0]
    finally:
        conn.close()
    return {"pages": pages, "fetched": fetched, "agencies": agencies, "statuses": statuses, "sections_found": sections}


def _urls(db: Path, run_id: int, path: Path) -> list[str]:
    """What the audit asked the farm for: every page and document (as asked and as answered) and the
    robots.txt of every host (Scrapy's RobotsTxtMiddleware reads one per host before its first page)."""
    import sqlite3
    from urllib.parse import urlsplit

    conn = sqlite3.connect(str(db))
    try:
        urls = [r[0] for r in conn.execute(
            "select url from pages where run_id = ? and status is not null union "
            "select final_url from pages where run_id = ? and status is not null and final_url is not null",
            [run_id, run_id])]
    finally:
        conn.close()
    robots = sorted({f"{p.scheme}://{p.netloc}/robots.txt" for p in map(urlsplit, urls)} - set(urls))
    urls = sorted(set(urls)) + robots
    path.write_text("\n".join(urls), encoding="utf-8")
    return urls


# -- findings ---------------------------------------------------------------------------------------
def findings_of(db: Path, run_id: int) -> dict[str, dict[str, Any]]:
    """What an inspector reads of a run: each agency's crawl status and chosen section, and each finding's
    status per rule per agency (after scoring)."""
    conn = sqlite3.connect(str(db))
    try:
        results = conn.execute("select agency_id, status, section_url from agency_results where run_id = ?",
                               [run_id]).fetchall()
        findings = conn.execute("select agency_id, rule_id, status from findings where run_id = ?",
                                [run_id]).fetchall()
    finally:
        conn.close()
    return {"statuses": {a: s for a, s, _ in results}, "sections": {a: u for a, _, u in results},
            "findings": {f"{a} {r}": s for a, r, s in findings}}


def compare_findings(reference: dict[str, dict[str, Any]], other: dict[str, dict[str, Any]]) -> list[str]:
    """Every difference between two runs' findings, one line each (empty: the same findings)."""
    lines = []
    for part in ("statuses", "sections", "findings"):
        ref, got = reference.get(part, {}), other.get(part, {})
        for key in sorted(set(ref) | set(got)):
            if ref.get(key, "<none>") != got.get(key, "<none>"):
                lines.append(f"{part}: {key}: {ref.get(key, '<none>')} -> {got.get(key, '<none>')}")
    return lines


def _agency_hosts(db: Path, run_id: int) -> dict[str, set[str]]:
    """The host names each agency's pages were fetched from."""
    import sqlite3
    from urllib.parse import urlsplit

    conn = sqlite3.connect(str(db))
    try:
        rows = conn.execute("select agency_id, url, final_url from pages where run_id = ?", [run_id]).fetchall()
    finally:
        conn.close()
    hosts: dict[str, set[str]] = {}
    for agency, url, final in rows:
        for u in (url, final):
            if u:
                hosts.setdefault(agency, set()).add(urlsplit(u).hostname or "")
    return hosts


def same_findings(reference: dict[str, dict[str, Any]], other: dict[str, dict[str, Any]],
                  hosts: dict[str, set[str]], faults: dict[str, list[str]]) -> dict[str, Any]:
    """The realistic run's findings against the uniform farm's, agency by agency: those whose every host
    answers every page must be the same; dead and hanging portals must end with their own statuses
    (``unreachable``, or audited with the pages that hung recorded as failed), never with no result."""
    def of(agency: str, part: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        return {"statuses": {agency: part["statuses"].get(agency)}, "sections": {agency: part["sections"].get(agency)},
                "findings": {k: v for k, v in part["findings"].items() if k.split(" ", 1)[0] == agency}}

    groups: dict[str, list[str]] = {}
    for agency in sorted(reference["statuses"]):
        wrong = sorted({w for h in hosts.get(agency, ()) for w in faults.get(h, [])})
        kind = ("dead" if any(w.startswith("dead") for w in wrong) else "hanging" if "hangs" in wrong
                else "slow documents" if wrong else "answering")
        groups.setdefault(kind, []).append(agency)
    out: dict[str, Any] = {}
    for kind, agencies in groups.items():
        differing = {a: compare_findings(of(a, reference), of(a, other)) for a in agencies}
        differing = {a: d for a, d in differing.items() if d}
        statuses: dict[str, int] = {}
        for a in agencies:
            status = other["statuses"].get(a) or "<no result>"
            statuses[status] = statuses.get(status, 0) + 1
        out[kind] = {"agencies": len(agencies), "same": len(agencies) - len(differing), "statuses": statuses,
                     "differences": {a: d[:4] + ([f"… {len(d) - 4} more"] if len(d) > 4 else [])
                                     for a, d in list(differing.items())[:10]}}
    return out


def _network_figures(wall: float, farm: FarmProcess, settings: dict[str, Any], host_connections: int) -> dict[str, Any]:
    """The lower bound the farm's latencies impose on this crawl, and how busy the crawl kept its slots."""
    from farms.gold.network import lower_bound

    work = farm.stats.get("work") or {}
    total = int(settings["CONCURRENT_REQUESTS"])
    bound = lower_bound(work.get("seconds", {}), work.get("hung", {}),
                        per_host=min(int(settings["CONCURRENT_REQUESTS_PER_DOMAIN"]), host_connections),
                        total=total, timeout=float(settings["DOWNLOAD_TIMEOUT"]))
    samples = [n for t, n in farm.stats.get("in_flight", []) if t <= wall]
    utilisation = [round(n / total, 3) for n in samples]
    per_tenth = [round(sum(part) / len(part), 3) for part in
                 (utilisation[i * len(utilisation) // 10:(i + 1) * len(utilisation) // 10] for i in range(10)) if part]
    return {**bound, "ratio_to_bound": round(wall / bound["bound_s"], 3) if bound["bound_s"] else None,
            "slot_utilisation_mean": round(sum(utilisation) / len(utilisation), 3) if utilisation else None,
            "slot_utilisation_by_tenth": per_tenth, "hung_requests": sum(work.get("hung", {}).values())}


def _crawl_figures(measured: dict[str, Any], counts: dict[str, Any], farm: FarmProcess) -> dict[str, Any]:
    wall = measured["wall_s"]
    return {**measured, **counts, "pages_per_s": round(counts["fetched"] / wall, 1),
            "agencies_per_min": round(counts["agencies"] * 60 / wall, 1),
            "cpu_s_per_page": round(measured["cpu_s"] / max(1, counts["fetched"]), 4),
            "farm_requests": farm.stats.get("requests"), "farm_statuses": farm.stats.get("statuses"),
            "farm_repeated_urls": farm.stats.get("repeated_urls"), "farm_cpu_s": farm.cpu_s}


def _bare_phase(args: argparse.Namespace, figures: dict[str, Any], work: Path, port: int, urls: list[str],
                settings: str, env: dict[str, str]) -> None:
    """The bare Scrapy spider on the first audit's URL set, with our processes and limits: the ceiling."""
    if not args.quiet:
        print("bare Scrapy spider on the same URL set…", file=sys.stderr, flush=True)
    with FarmProcess(work, args.n, args.seed, args.latency, args.host_connections, port, tag="bare",
                     network=args.network) as farm:
        bare = measure([PY, __file__, "_bare", "--urls", str(work / "urls.txt"), "--hosts", str(work / "hosts.json"),
                        "--settings", settings, "--processes", str(args.processes)], env)
    bare_rate = len(urls) / bare["wall_s"]
    figures["bare_scrapy"] = {**bare, "urls": len(urls), "pages_per_s": round(bare_rate, 1),
                              "cpu_s_per_page": round(bare["cpu_s"] / max(1, len(urls)), 4), "farm_cpu_s": farm.cpu_s,
                              "farm_requests": farm.stats.get("requests")}
    # Throughput as the farm saw it: requests served per second of wall time, the same URL set on both sides
    # (robots.txt and redirect hops included); the pages-only figure is kept beside it.
    first = figures["first_audit"]
    ours_rps = (first["farm_requests"] or 0) / first["wall_s"]
    bare_rps = (farm.stats.get("requests") or len(urls)) / bare["wall_s"]
    first["requests_per_s"] = round(ours_rps, 1)
    figures["bare_scrapy"]["requests_per_s"] = round(bare_rps, 1)
    figures["ratio_to_ceiling"] = round(ours_rps / bare_rps, 3)
    figures["ratio_to_ceiling_pages"] = round(first["pages_per_s"] / (len(urls) / bare["wall_s"]), 3)


def _suffix(args: argparse.Namespace) -> str:
    return "-realistic" if args.network == "realistic" else ""


def run(args: argparse.Namespace) -> dict[str, Any]:
    from farms.gold.farm import _free_port
    from farms.gold.server import address_of

    work = Path(args.work or f"out/bench/work-{args.n}{_suffix(args)}")
    work.mkdir(parents=True, exist_ok=True)
    for old in (work / "memtrace").glob("memtrace-*.json"):
        old.unlink()
    db = work / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    port = args.port or _free_port(address_of(0))
    crawl_settings = {**(production_settings() if args.polite else CRAWL_SETTINGS), **json.loads(args.settings or "{}")}
    if args.tracemalloc or args.memstats:  # each crawl process writes its memory figures (bench/memtrace.py)
        from crawler.settings import EXTENSIONS

        crawl_settings["EXTENSIONS"] = {**EXTENSIONS, "bench.memtrace.MemTrace": 900}
        crawl_settings["TCTT_MEMTRACE_DIR"] = str((work / "memtrace").resolve())
        crawl_settings["TCTT_MEMTRACE_TRACEMALLOC"] = bool(args.tracemalloc)
    settings = json.dumps(crawl_settings)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    figures: dict[str, Any] = {"n": args.n, "seed": args.seed, "latency_s": args.latency,
                               "host_connections": args.host_connections, "cpus": os.cpu_count(),
                               "crawl_processes": args.processes, "network": args.network, "polite": args.polite,
                               "crawl_settings": crawl_settings}

    def crawl_cmd(*extra: str) -> list[str]:
        return [PY, __file__, "_crawl", "--db", str(db), "--hosts", str(work / "hosts.json"),
                "--settings", settings, "--processes", str(args.processes), *extra]

    partial = Path(args.json or f"out/bench/audit-{args.n}{_suffix(args)}.json").with_suffix(".partial.json")
    partial.parent.mkdir(parents=True, exist_ok=True)

    def log(m: str) -> None:  # each phase starts by saving what was measured so far
        partial.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
        if not args.quiet:
            print(m, file=sys.stderr, flush=True)

    say = log
    farm = FarmProcess(work, args.n, args.seed, args.latency, args.host_connections, port, network=args.network)
    with farm:
        figures["farm"] = {k: farm.info[k] for k in ("portals", "hosts", "pages", "start_seconds", "network")}
        say(f"farm: {farm.info['portals']} portals, {farm.info['pages']} files; first audit…")
        measured = measure(crawl_cmd("--registry", str(farm.registry)), env, work / "first_audit.log", farm.ps)
    run_id = measured["result"]["run_id"]
    figures["first_audit"] = _crawl_figures(measured, _db_counts(db, run_id), farm)
    traces = sorted((work / "memtrace").glob("memtrace-*.json")) if (args.tracemalloc or args.memstats) else []
    if traces:  # every crawl process's memory over time: memo sizes, RSS, malloc and (traced) the top sites
        figures["first_audit"]["memtrace"] = [json.loads(t.read_text(encoding="utf-8")) for t in traces]
    figures["first_audit"]["network"] = _network_figures(measured["wall_s"], farm, crawl_settings,
                                                         args.host_connections)
    urls = _urls(db, run_id, work / "urls.txt")

    if args.no_rescore:
        return figures
    if not args.no_score:
        say("rescoring…")
        score = measure([PY, "-m", "tctt.cli", "score", "--db", str(db), "--run", str(run_id)], env)
        figures["rescore"] = {"wall_s": score["wall_s"], "cpu_s": score["cpu_s"], "peak_rss_mb": score["peak_rss_mb"],
                              "agencies_per_s": round(args.n / score["wall_s"], 1)}

    if args.network == "realistic" and not args.no_reference and not args.no_score:
        say("the same audit on the uniform farm (reference findings)…")
        reference_db = work / "uniform.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(reference_db) + suffix).unlink(missing_ok=True)
        with FarmProcess(work, args.n, args.seed, args.latency, args.host_connections, port, tag="uniform") as uniform:
            ref = measure([PY, __file__, "_crawl", "--db", str(reference_db), "--hosts", str(work / "hosts.json"),
                           "--settings", json.dumps(CRAWL_SETTINGS), "--processes", str(args.processes),
                           "--registry", str(uniform.registry)], env, work / "uniform_audit.log")
        ref_id = ref["result"]["run_id"]
        subprocess.run([PY, "-m", "tctt.cli", "score", "--db", str(reference_db), "--run", str(ref_id)], env=env,
                       check=True, capture_output=True)
        figures["same_findings_as_uniform"] = same_findings(
            findings_of(reference_db, ref_id), findings_of(db, run_id), _agency_hosts(reference_db, ref_id),
            farm.stats.get("conditions") or {})
    if args.first_only:
        return figures
    if not args.no_bare:
        _bare_phase(args, figures, work, port, urls, settings, env)


    if not args.no_reaudit:
        for label, changed in (("reaudit_unchanged", 0.0), ("reaudit_changed", args.changed)):
            say(f"{label}…")
            with FarmProcess(work, args.n, args.seed, args.latency, args.host_connections, port, changed,
                             tag=label, network=args.network) as farm:
                measured = measure(crawl_cmd("--registry", str(farm.registry)), env, work / f"{label}.log")
            rid = measured["result"]["run_id"]
            figures[label] = _crawl_figures(measured, _db_counts(db, rid), farm)
            figures[label]["changed_share"] = changed
            figures[label]["speedup_vs_first"] = round(figures["first_audit"]["wall_s"] / measured["wall_s"], 2)
            figures[label]["requests_per_portal"] = round((farm.stats.get("requests") or 0) / args.n, 2)

    if not args.no_capacity:
        say("farm capacity…")
        figures["farm_capacity"] = farm_capacity(work, args.n, args.seed, port, urls)
    return figures


def table(f: dict[str, Any]) -> str:
    rows = [("run", "wall s", "pages", "pages/s", "agencies/min", "CPU s/page", "peak RSS MB", "farm requests")]
    for key in ("first_audit", "bare_scrapy", "reaudit_unchanged", "reaudit_changed"):
        r = f.get(key)
        if not r:
            continue
        rows.append((key, f"{r['wall_s']:.1f}", str(r.get("fetched", r.get("urls", ""))), f"{r['pages_per_s']:.1f}",
                     str(r.get("agencies_per_min", "")), f"{r['cpu_s_per_page']:.4f}", f"{r['peak_rss_mb']:.0f}",
                     str(r.get("farm_requests", ""))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"Benchmark: {f['n']} portals, latency {f['latency_s'] * 1000:.0f} ms, {f['host_connections']} "
             f"connections per host, {f['cpus']} CPUs, {f.get('crawl_processes', 1)} crawl process(es) "
             f"(bare Scrapy: the same), {f['crawl_settings']['CONCURRENT_REQUESTS']} requests at a time in all, "
             f"network {f.get('network', 'uniform')}, {'production politeness' if f.get('polite') else 'tuned settings'}"]
    lines += ["  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
              for row in rows]
    if "ratio_to_ceiling" in f:
        lines.append(f"ours / bare Scrapy ceiling (requests/s, same URL set): {f['ratio_to_ceiling']:.2f} "
                     f"({f['first_audit'].get('requests_per_s')} vs {f['bare_scrapy'].get('requests_per_s')} requests/s)")
    net = f["first_audit"].get("network")
    if net and f.get("network") == "realistic":
        lines.append(f"lower bound from the farm's latencies: {net['bound_s']} s (slowest host {net['slowest_host_s']} s, "
                     f"work over every slot {net['work_over_slots_s']} s); first audit / bound: {net['ratio_to_bound']}; "
                     f"slots busy {net['slot_utilisation_mean']} on average, by tenth of the run "
                     f"{net['slot_utilisation_by_tenth']}; {net['hung_requests']} requests hung")
    if "same_findings_as_uniform" in f:
        lines.append("findings against the uniform farm's: " + "; ".join(
            f"{kind} {g['same']}/{g['agencies']} the same (statuses {g['statuses']})"
            for kind, g in f["same_findings_as_uniform"].items()))
    rs = f.get("rescore")
    if rs:
        lines.append(f"re-score {f['n']} agencies (no network): {rs['wall_s']:.1f} s ({rs['agencies_per_s']} agencies/s)")
    for key in ("reaudit_unchanged", "reaudit_changed"):
        if key in f:
            lines.append(f"{key}: {f[key]['speedup_vs_first']}x faster than the first audit, "
                         f"{f[key]['requests_per_portal']} requests per portal")
    if "farm_capacity" in f:
        c = f["farm_capacity"]
        lines.append(f"farm capacity (no latency, 64 connections): {c['requests_per_s']} requests/s, "
                     f"{c['farm_cpu_per_request_ms']} ms farm CPU per request")
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in ("_crawl", "_bare"):
        parser = argparse.ArgumentParser()
        parser.add_argument("mode")
        parser.add_argument("--db")
        parser.add_argument("--hosts")
        parser.add_argument("--registry")
        parser.add_argument("--urls")
        parser.add_argument("--resume", type=int, default=None)
        parser.add_argument("--settings", default="{}")
        parser.add_argument("--processes", type=int, default=1)
        parser.add_argument("--index", type=int, default=None)
        args = parser.parse_args()
        return child_crawl(args) if args.mode == "_crawl" else child_bare(args)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500, help="portals in the farm (%(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per response (%(default)s)")
    parser.add_argument("--host-connections", type=int, default=4, help="requests served at once per host (%(default)s)")
    parser.add_argument("--changed", type=float, default=0.1, help="share of portals changed for the re-audit (%(default)s)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--work", default=None, help="work folder (default out/bench/work-N)")
    parser.add_argument("--settings", default="{}", help="extra Scrapy settings as JSON")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="crawl processes of our audits (tctt crawl --processes; default: one per CPU, %(default)s); "
                             "the total concurrency is the same as the bare spider's")
    parser.add_argument("--json", default=None, help="write the figures here (default out/bench/audit-N.json)")
    parser.add_argument("--no-reaudit", action="store_true")
    parser.add_argument("--no-capacity", action="store_true")
    parser.add_argument("--no-reference", action="store_true",
                        help="realistic network: skip the uniform farm's audit whose findings the run is compared with")
    parser.add_argument("--no-bare", action="store_true", help="no bare Scrapy spider (no ceiling ratio)")
    parser.add_argument("--first-only", action="store_true",
                        help="the first audit, its score and (realistic network) the reference findings, nothing more")
    parser.add_argument("--no-rescore", action="store_true", help="stop after the first audit (no score, no reference)")
    parser.add_argument("--no-score", action="store_true",
                        help="no re-scoring of the first audit, and so no reference findings; the other phases run "
                             "(re-audits at 5,000 realistic portals without the quarter-hour score)")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="each crawl process writes its heap's top allocation sites and memo sizes to "
                             "WORK/memtrace/ (slower: not for timing)")
    parser.add_argument("--memstats", action="store_true",
                        help="each crawl process writes its memo sizes, RSS and malloc figures to WORK/memtrace/")
    parser.add_argument("--network", choices=("uniform", "realistic"), default="uniform",
                        help="the farm's network: uniform latency, or heavy-tailed with faults (farms.gold.network)")
    parser.add_argument("--polite", action="store_true",
                        help="crawl with the production settings (AutoThrottle on, 2 requests per portal)")
    args = parser.parse_args()
    figures = run(args)
    out = Path(args.json or f"out/bench/audit-{args.n}{_suffix(args)}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    print(table(figures))
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
