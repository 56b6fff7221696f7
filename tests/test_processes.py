"""``tctt crawl --processes K``: the agencies are shared out by host name among K crawl processes writing to
one database; the run holds the same evidence, section choices and findings as a one-process crawl, and no
page is fetched twice.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured

from crawler.extensions.runlifecycle import parse_shard, shard_of
from farms.gold.farm import farm_portals, serve_farm

N = 12
SEED = 21


def _crawl(tctt, farm, db: Path, registry: Path, *extra: str) -> subprocess.CompletedProcess:
    settings = farm.scrapy_settings()
    return tctt('crawl', '--registry', str(registry), '--db', str(db), '--allow-private', '--set',
                f"TWISTED_DNS_RESOLVER={settings['TWISTED_DNS_RESOLVER']}", '--set',
                f"TCTT_STATIC_HOSTS={json.dumps(settings['TCTT_STATIC_HOSTS'])}", '--set',
                'AUTOTHROTTLE_ENABLED=0', '--set', 'CONCURRENT_REQUESTS_PER_DOMAIN=4', '--set',
                'TCTT_TLS_PROBE=0', '--set', 'TCTT_INCREMENTAL=0', *extra, timeout=240)


def _evidence(db: Path) -> dict:
    conn = sqlite3.connect(str(db))
    try:
        return {
            "results": sorted(conn.execute("select agency_id, status, section_url, section_confidence, pages "
                                           "from agency_results where run_id = 1")),
            "pages": sorted(conn.execute("select agency_id, url, status, sha256, kind from pages where run_id = 1")),
            "candidates": sorted(conn.execute("select agency_id, url, confidence, chosen from candidates "
                                              "where run_id = 1")),
            "run": conn.execute("select status, options from runs where id = 1").fetchone(),
        }
    finally:
        conn.close()


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory, tctt) -> dict:
    work = tmp_path_factory.mktemp("processes")
    portals, _ = farm_portals(N, SEED)
    out: dict = {"portals": portals}
    with serve_farm(portals, latency=0.01) as farm:
        registry = farm.write_registry(work / "registry.csv")
        one = _crawl(tctt, farm, work / "one.db", registry)
        assert one.returncode == 0, one.stderr[-3000:]
        before = dict(farm.stats.seen)
        two = _crawl(tctt, farm, work / "two.db", registry, "--processes", "2")
        assert two.returncode == 0, two.stderr[-3000:]
        out["two_seen"] = {u: n - before.get(u, 0) for u, n in farm.stats.seen.items() if n - before.get(u, 0)}
        out["one_seen"] = before
        out["hosts"] = {p.id: p.hosts for p in portals}
        port = farm.port
    # One agency at a time (TCTT_MAX_ACTIVE_AGENCIES=1), on a fresh farm so that its request log starts empty.
    with serve_farm(portals, latency=0.01, port=port) as farm:
        serial = _crawl(tctt, farm, work / "serial.db", registry, "--set", "TCTT_MAX_ACTIVE_AGENCIES=1")
        assert serial.returncode == 0, serial.stderr[-3000:]
        portal_of = {farm.addresses[host]: p.id for p in portals for host in p.hosts}
        out["serial_order"] = [portal_of.get(key.split("/", 1)[0]) for key in farm.stats.seen]
    out["one"], out["two"] = _evidence(work / "one.db"), _evidence(work / "two.db")
    out["serial"] = _evidence(work / "serial.db")
    return out


def test_agencies_in_progress_are_bounded(crawls: dict):
    """With at most one agency in progress, the farm sees each portal's requests as one run, never
    interleaved with another portal's; and the evidence is the same as with no bound."""
    order = [p for p in crawls["serial_order"] if p]
    runs = [p for i, p in enumerate(order) if i == 0 or order[i - 1] != p]
    assert len(runs) == len(set(runs)) == N, runs
    assert crawls["serial"]["results"] == crawls["one"]["results"]
    assert crawls["serial"]["pages"] == crawls["one"]["pages"]


def test_two_processes_gather_the_same_evidence_as_one(crawls: dict):
    one, two = crawls["one"], crawls["two"]
    assert len(one["results"]) == N and sum(1 for r in one["results"] if r[2]) >= N // 2
    assert two["results"] == one["results"]
    assert two["pages"] == one["pages"]
    assert two["candidates"] == one["candidates"]
    assert two["run"][0] == "complete"
    assert json.loads(two["run"][1])["processes"] == 2


def test_no_page_is_fetched_twice_across_processes(crawls: dict):
    # Whatever one process asked for once, two processes together ask for no more often.
    repeated = {u: n for u, n in crawls["two_seen"].items() if n > crawls["one_seen"].get(u, 0)}
    assert not repeated


def test_agencies_of_one_host_stay_in_one_process():
    urls = ["http://so-a.tinh.gov.vn/", "http://so-b.tinh.gov.vn/", "https://www.so-a.tinh.gov.vn/web/x",
            "http://so-a.tinh.gov.vn:8080/portal"]
    assert shard_of(urls[0], 4) == shard_of(urls[2], 4) == shard_of(urls[3], 4)
    spread = {shard_of(f"http://agency{i}.tinh.gov.vn/", 2) for i in range(40)}
    assert spread == {0, 1}


@pytest.mark.parametrize("bad", ["2/2", "-1/2", "x/2", "1", "1/0"])
def test_a_bad_shard_is_refused(bad: str):
    with pytest.raises(NotConfigured):
        parse_shard(bad)


def test_processes_must_be_positive(tmp_path: Path, tctt):
    result = tctt('crawl', '--registry', 'x.csv', '--db', str(tmp_path / 'x.db'), '--processes', '0', timeout=60)
    assert result.returncode == 2


def test_a_run_that_cannot_be_created_leaves_no_crawl_process(tmp_path: Path):
    """The crawl processes start while the run is created: when it cannot be, they end without crawling."""
    import multiprocessing

    from core.registry import RegistryError
    from tctt import stages

    with pytest.raises(RegistryError):
        stages.crawl(tmp_path / "missing.csv", tmp_path / "x.db", progress=False, processes=2)
    assert multiprocessing.active_children() == []  # ended and joined, not left behind
