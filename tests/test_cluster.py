"""Scale-out: one audit crawled by two workers through a real Redis gives the same findings as one process,
fetches no URL twice, and loses nothing when a worker is killed with SIGKILL mid-run.

A ``redis-server`` is started on 127.0.0.1 (free port, temporary folder); the portals are a farm of
generated portals (``farms.gold.farm``) served from a thread of this process, which counts every request.
Workers share requests (scrapy-redis scheduler and dupefilter), so the pages of one agency are fetched by
both; the coordinator alone writes the database. In the SIGKILL case the coordinator waits for remote
workers (``--workers 0``) and the test starts two ``tctt worker`` processes itself, as on two machines.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.secrets import REDIS_PASSWORD
from farms.gold.farm import farm_portals, serve_farm

N = 50
BUDGET = 6
DEAD = "dead-1"
SEED = 5
pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="redis-server is not installed (scripts/apt-packages.txt)")


def _settings(farm) -> list[str]:
    settings = farm.scrapy_settings()
    out = []
    for name, value in (("TWISTED_DNS_RESOLVER", settings["TWISTED_DNS_RESOLVER"]),
                        ("TCTT_STATIC_HOSTS", json.dumps(settings["TCTT_STATIC_HOSTS"])),
                        ("AUTOTHROTTLE_ENABLED", "0"), ("TCTT_TLS_PROBE", "0"), ("CONCURRENT_REQUESTS_PER_DOMAIN", "4")):
        out += ["--set", f"{name}={value}"]
    return out


def _findings(db: Path, run_id: int) -> dict:
    conn = sqlite3.connect(str(db))
    try:
        results = {r[0]: r[1:] for r in conn.execute(
            "select agency_id, status, section_url, score from agency_results where run_id = ?", [run_id])}
        findings = sorted(conn.execute("select agency_id, rule_id, status from findings where run_id = ?", [run_id]))
        pages = conn.execute("select count(*), count(distinct agency_id || url) from pages where run_id = ?",
                             [run_id]).fetchone()
        by_agency = dict(conn.execute("select agency_id, count(*) from pages where run_id = ? group by agency_id",
                                      [run_id]))
    finally:
        conn.close()
    return {"results": results, "findings": findings, "pages": pages, "pages_by_agency": by_agency}


def _repeated(seen: dict[str, int], single: dict[str, int]) -> dict[str, int]:
    """URLs asked for more often than by one process. Agencies sharing a host (a province portal) each ask
    for the forms they both link, in one process too; robots.txt of such a host is read by each worker."""
    return {url: n for url, n in seen.items() if n > single.get(url, 0) and not url.endswith("/robots.txt")}


def _add_dead_agency(registry: Path) -> None:
    """A portal that refuses connections: its failed fetch is evidence, written by the coordinator too."""
    with registry.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows.append({**rows[0], "id": DEAD, "name": "Cổng không trả lời", "url": "http://127.0.0.1:9/", "section_url": ""})
    with registry.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def audits(tmp_path_factory: pytest.TempPathFactory, redis_url: str, tctt) -> dict:
    work = tmp_path_factory.mktemp("cluster")
    portals, _ = farm_portals(N, SEED)
    out: dict = {}
    with serve_farm(portals, latency=0.02) as farm:
        registry = farm.write_registry(work / "registry.csv")
        _add_dead_agency(registry)
        settings = _settings(farm)
        single = tctt("crawl", "--registry", str(registry), "--db", str(work / "single.db"),
                      "--allow-private", *settings)
        assert single.returncode == 0, single.stderr[-3000:]
        assert tctt("score", "--db", str(work / "single.db"), "--run", "1").returncode == 0
        out["single"] = _findings(work / "single.db", 1)
        out["single_seen"] = dict(farm.stats.seen)

        before = dict(farm.stats.seen)
        cluster = tctt("cluster", "--registry", str(registry), "--redis", redis_url, "--workers", "2",
                       "--db", str(work / "cluster.db"), "--allow-private", *settings)
        assert cluster.returncode == 0, cluster.stderr[-3000:]
        assert tctt("score", "--db", str(work / "cluster.db"), "--run", "1").returncode == 0
        out["cluster"] = _findings(work / "cluster.db", 1)
        out["cluster_seen"] = {u: n - before.get(u, 0) for u, n in farm.stats.seen.items() if n - before.get(u, 0)}

        # A page budget small enough to cut every agency: two workers share it without overspending.
        budget_db = work / "budget.db"
        budget = tctt("cluster", "--registry", str(registry), "--redis", redis_url, "--workers", "2",
                      "--db", str(budget_db), "--allow-private", *settings, "--set", f"TCTT_MAX_PAGES_PER_AGENCY={BUDGET}")
        assert budget.returncode == 0, budget.stderr[-3000:]
        conn = sqlite3.connect(str(budget_db))
        out["budget_pages"] = dict(conn.execute("select agency_id, count(*) from pages group by agency_id"))
        out["budget_cuts"] = dict(conn.execute("select agency_id, json_extract(cut, '$.pages') from agency_results"))
        conn.close()

        # A coordinator waiting for remote workers (--workers 0), and two workers started by hand; one is
        # killed with SIGKILL once a few agencies are done, with requests of others in flight.
        killed_db = work / "killed.db"
        before = dict(farm.stats.seen)
        coordinator = subprocess.Popen(
            [sys.executable, "-m", "tctt.cli", "cluster", "--registry", str(registry), "--redis", redis_url,
             "--workers", "0", "--db", str(killed_db), "--allow-private", *settings],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        worker = [sys.executable, "-m", "tctt.cli", "worker", "--redis", redis_url, "--run", "1",
                  "--allow-private", *settings]
        victim = subprocess.Popen(worker, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # The victim must have taken work before it is killed: the survivor starts once the farm has
        # answered the victim's first requests (on a slow machine it could otherwise do everything alone).
        requests_before = farm.stats.requests
        deadline = time.monotonic() + 120
        while farm.stats.requests < requests_before + 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        survivor = subprocess.Popen(worker, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        done = 0
        while time.monotonic() < deadline and coordinator.poll() is None:
            if killed_db.exists():
                conn = sqlite3.connect(str(killed_db))
                try:
                    done = conn.execute("select count(*) from agency_results").fetchone()[0]
                except sqlite3.OperationalError:  # the coordinator is still creating the schema
                    done = 0
                conn.close()
            if done >= 3:
                break
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        out["done_at_kill"] = done
        _, stderr = coordinator.communicate(timeout=240)
        assert coordinator.returncode == 0, stderr[-3000:]
        out["coordinator_log"] = stderr
        survivor.wait(60)
        assert tctt("score", "--db", str(killed_db), "--run", "1").returncode == 0
        out["killed"] = _findings(killed_db, 1)
        out["killed_seen"] = {u: n - before.get(u, 0) for u, n in farm.stats.seen.items() if n - before.get(u, 0)}
        hosts = farm.scrapy_settings()["TCTT_STATIC_HOSTS"]
        out["addresses"] = {p.id: {hosts[h] for h in p.hosts} for p in portals} | {DEAD: set()}
    return out


def test_two_workers_find_the_same_as_one_process(audits: dict):
    single, cluster = audits["single"], audits["cluster"]
    assert len(single["results"]) == N + 1
    assert single["results"][DEAD][0] == "unreachable"
    assert cluster["results"] == single["results"]
    assert cluster["findings"] == single["findings"]
    assert cluster["pages"] == single["pages"]


def test_two_workers_fetch_no_url_twice(audits: dict):
    assert audits["cluster_seen"]
    assert set(audits["cluster_seen"]) == set(audits["single_seen"])
    assert not _repeated(audits["cluster_seen"], audits["single_seen"])
    # robots.txt is read once per host for the run, shared through Redis, not once per worker: only two
    # workers asking for a host's first pages at the same moment both read it.
    robots = {u: n for u, n in audits["cluster_seen"].items() if u.endswith("/robots.txt")}
    assert robots and sum(robots.values()) < 1.75 * len(robots)  # once per worker: close to 2x


def test_two_workers_share_the_page_budget(audits: dict):
    # Every request taken from the budget leaves one stored page (fetched, failed or a sitemap).
    assert len(audits["budget_cuts"]) == N + 1
    assert max(audits["budget_pages"].values()) <= BUDGET
    over = [a for a, n in audits["single"]["pages_by_agency"].items() if n > BUDGET]
    assert over and all(audits["budget_cuts"][a] > 0 and audits["budget_pages"][a] == BUDGET for a in over)


def test_a_worker_killed_mid_run_loses_nothing(audits: dict):
    assert audits["done_at_kill"] < N  # the kill landed before the run was over
    assert "seeding again" in audits["coordinator_log"]  # the killed worker's agencies were started again
    killed = audits["killed"]
    assert killed["results"] == audits["single"]["results"]
    assert killed["findings"] == audits["single"]["findings"]
    assert killed["pages"] == audits["single"]["pages"]
    # A URL is fetched twice only if the killed worker had taken it from the shared queue and not finished
    # with it: it belongs to an agency the coordinator seeded again, and it is fetched twice, not more.
    reseeded = {agency for line in audits["coordinator_log"].splitlines() if "seeding again" in line
                for agency in line.split(": ", 1)[1].split(", ")}
    addresses = set().union(*(audits["addresses"][agency] for agency in reseeded))
    repeated = _repeated(audits["killed_seen"], audits["single_seen"])
    assert set(audits["killed_seen"]) == set(audits["single_seen"])
    assert all(n == audits["single_seen"][url] + 1 for url, n in repeated.items())
    assert {url.split("/", 1)[0] for url in repeated} <= addresses


def _client(redis_url: str):
    import redis

    return redis.Redis.from_url(redis_url.rsplit("/", 1)[0] + "/7", password=os.environ[REDIS_PASSWORD])


def test_redis_keeps_each_candidates_best_named_link_in_the_order_found(redis_url: str):
    """Workers finding one page by several paths, in any order: the coordinator reads the best-named link
    (a section page listed in the sitemap before a landing page names it), at the place first found."""
    from crawler.cluster import Shared, SharedCandidates

    server = _client(redis_url)
    server.flushdb()
    shared = Shared(server, 43)
    weak = {"url": "http://a/s", "anchor": "", "link_score": 0.48, "reasons": ["found in the sitemap"]}
    strong = {"url": "http://a/s", "anchor": "Tiếp cận thông tin", "link_score": 0.92, "reasons": ["text"]}
    other = {"url": "http://a/o", "anchor": "Công khai", "link_score": 0.5, "reasons": []}
    for run, order in enumerate(((weak, strong), (strong, weak))):
        first, second = SharedCandidates(shared, f"a{run}", 1), SharedCandidates(shared, f"a{run}", 1)  # two workers
        first.setdefault("s", order[0])
        first.setdefault("o", other)
        second.setdefault("s", order[1])  # another worker's first sight of it: the first finder's stays...
        second["s"] = order[1]  # ...unless its link is better named
        cand, candorder = first.keys
        assert [k.decode() for k in server.lrange(candorder, 0, -1)] == ["s", "o"]
        assert json.loads(server.hget(cand, "s"))["link_score"] == 0.92
        assert json.loads(server.hget(cand, "s"))["anchor"] == "Tiếp cận thông tin"


def test_a_page_another_worker_found_by_a_weaker_link_is_weighed_by_the_better_one(redis_url: str):
    """The spider's own path: worker 1 finds the section page in the sitemap (its slug only); worker 2 first
    sees it linked by name. Worker 2 must know the page as found, and replace the weak link in Redis, as one
    process does; it used to add it only (the first finder's stays), and the run chose no section."""
    from types import SimpleNamespace

    from crawler.candidates import CandidateSearch
    from crawler.cluster import Shared, SharedCandidates
    from crawler.urls import canonical

    class Search(CandidateSearch):
        def __init__(self) -> None:
            self._key = canonical

    server = _client(redis_url)
    server.flushdb()
    shared = Shared(server, 44)
    section = "http://so1.tinh.gov.test/3869/41001/56336/tiepcanthongtin"
    weak = {"url": section, "anchor": "", "link_score": 0.48, "reasons": ["found in the sitemap"]}
    strong = {"url": section, "anchor": "Chuyên mục tiếp cận thông tin", "link_score": 0.92,
              "reasons": ["text: 'Chuyên mục tiếp cận thông tin'"]}
    for run, (first, second) in enumerate(((weak, strong), (strong, weak))):
        workers = [SimpleNamespace(candidates=SharedCandidates(shared, f"b{run}", 1)) for _ in range(2)]
        for state, candidate in zip(workers, (first, second), strict=True):
            Search()._add_candidate(state, candidate, [{"url": section, "text": candidate["anchor"]}],
                                    "http://so1.tinh.gov.test/", "home")
        cand, candorder = workers[0].candidates.keys
        stored = json.loads(server.hget(cand, canonical(section)))
        assert stored["link_score"] == 0.92 and stored["anchor"] == "Chuyên mục tiếp cận thông tin"
        assert server.llen(candorder) == 1
        assert workers[1].candidates.get(canonical(section))["link_score"] == 0.92
    assert SharedCandidates(shared, "b0", 1).get("http://nowhere/") is None
    server.hset(SharedCandidates(shared, "b0", 1).keys[0], "bad", b"{not json")
    assert SharedCandidates(shared, "b0", 1).get("bad", "absent") == "absent"  # what Redis holds is checked


def test_agencies_are_admitted_as_others_end_not_in_waves(redis_url: str):
    """A worker starts agencies while the run holds fewer than its bound per registered worker in progress,
    and one more as soon as any agency ends (on any worker), not only when its own queue runs dry."""
    from crawler.cluster import Shared

    server = _client(redis_url)
    server.flushdb()
    shared, keys = Shared(server, 41), Shared(server, 41).keys
    server.rpush(keys.seeds, *[json.dumps({"id": f"a{i}", "gen": 1}) for i in range(10)])
    server.hset(keys.workers, mapping={"w1": "{}", "w2": "{}"})
    first = shared.admit(per_worker=3, batch=100)
    assert [json.loads(s)["id"] for s in first] == ["a0", "a1", "a2", "a3", "a4", "a5"]
    assert shared.admit(per_worker=3, batch=100) == []  # 2 workers x 3 in progress
    # a0 ends: its last callback brings its outstanding requests to zero, which frees one place.
    base = keys.agency("a0", 1)
    server.hset(base, "outstanding", 2)
    settle = [base, keys.items, keys.active]
    assert shared.settle(keys=settle, args=["", "done-a0"]) == 1
    assert shared.admit(per_worker=3, batch=100) == []
    assert shared.settle(keys=settle, args=["", "done-a0"]) == 0
    assert server.lrange(keys.items, 0, -1) == [b"done-a0"]
    assert [json.loads(s)["id"] for s in shared.admit(per_worker=3, batch=100)] == ["a6"]
    assert [json.loads(s)["id"] for s in shared.admit(per_worker=0, batch=2)] == ["a7", "a8"]  # 0: no bound
    assert int(server.get(keys.active)) == 8  # 6 - 1 + 1 + 2
    server.flushdb()


def test_the_coordinator_takes_waiting_items_in_one_round_trip(redis_url: str, tmp_path: Path):
    from crawler.coordinator import TAKE_BATCH, Coordinator

    server = _client(redis_url)
    server.flushdb()
    coordinator = Coordinator(str(tmp_path / "take.db"), server, 42, threshold=0.5)
    try:
        server.rpush(coordinator.keys.items, *[str(i) for i in range(TAKE_BATCH + 50)])
        assert coordinator.take(timeout=0.1) == [str(i).encode() for i in range(TAKE_BATCH)]
        server.rpush(coordinator.keys.items, "late")  # pushed after the first batch: comes after the rest
        assert coordinator.take(timeout=0.1) == [str(i).encode() for i in range(TAKE_BATCH, TAKE_BATCH + 50)] + [b"late"]
        started = time.monotonic()
        assert coordinator.take(timeout=0.2) == []
        assert time.monotonic() - started >= 0.15  # it waited for an item rather than polling
        server.script_flush()  # Redis restarted: the script is loaded again, the item popped is not lost
        server.rpush(coordinator.keys.items, "x", "y")
        assert coordinator.take(timeout=0.1) == [b"x", b"y"]
    finally:
        coordinator.close()
        server.flushdb()


def test_shared_robots_leans_on_scrapy_names_that_exist():
    """SharedRobotsTxtMiddleware overrides and reads these of Scrapy's RobotsTxtMiddleware: an upgrade that
    renames one fails here, by name."""
    import inspect

    from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

    assert list(inspect.signature(RobotsTxtMiddleware._parse_robots).parameters) == ["self", "response", "netloc",
                                                                                      "request"]
    assert inspect.iscoroutinefunction(RobotsTxtMiddleware._parse_robots)
    assert inspect.iscoroutinefunction(RobotsTxtMiddleware.robot_parser)
    source = inspect.getsource(RobotsTxtMiddleware)
    assert "self._parsers[netloc]" in source and "self._parserimpl" in source
