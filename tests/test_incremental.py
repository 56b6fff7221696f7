"""Incremental re-audits: a second audit of an unchanged farm costs about one request per portal and finds
the same; a portal changed in between is fetched again and seen as changed.

The farm (``tctt.gold.farm``) sends ETag and Last-Modified and answers 304; it runs in a thread of this
process, the crawls in child processes (Twisted's reactor runs once per process).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tctt.gold.farm import farm_portals, serve_farm

N = 6
SEED = 8


def _crawl(farm, db: Path, registry: Path) -> None:
    settings = farm.scrapy_settings()
    result = subprocess.run(
        [sys.executable, "-m", "tctt.cli", "crawl", "--registry", str(registry), "--db", str(db), "--allow-private",
         "--set", f"TWISTED_DNS_RESOLVER={settings['TWISTED_DNS_RESOLVER']}",
         "--set", f"TCTT_STATIC_HOSTS={json.dumps(settings['TCTT_STATIC_HOSTS'])}",
         "--set", "AUTOTHROTTLE_ENABLED=0", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "--set", "TCTT_TLS_PROBE=0"],
        capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]


def _rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def audits(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("incremental")
    db = work / "audits.db"
    portals, _ = farm_portals(N, SEED)
    out: dict = {"db": db}
    with serve_farm(portals, latency=0.0) as farm:
        registry = farm.write_registry(work / "registry.csv")
        port = farm.port
        _crawl(farm, db, registry)
        out["first"] = farm.stats.requests
        _crawl(farm, db, registry)
        out["second"] = farm.stats.requests - out["first"]
        out["second_statuses"] = dict(farm.stats.statuses)
    changed_portals, changed = farm_portals(N, SEED, changed=0.34, change_seed=3)
    with serve_farm(changed_portals, latency=0.0, changed=changed, port=port) as farm:
        _crawl(farm, db, registry)
        out["third"] = farm.stats.requests
        out["third_seen"] = dict(farm.stats.seen)
        out["hosts"] = dict(farm.addresses)
    out["changed"] = changed
    out["portals"] = {p.id: p for p in changed_portals}
    return out


def test_unchanged_reaudit_costs_about_one_request_per_portal(audits: dict):
    assert audits["first"] > 5 * N  # the first audit really crawled the portals
    # Home pages revalidated (304); the rest served from the HTTP cache; robots.txt and 404s again.
    assert audits["second"] <= 3 * N, audits["second"]
    assert audits["second_statuses"].get(304, 0) >= N


def test_unchanged_reaudit_stores_the_same_evidence(audits: dict):
    db = audits["db"]
    first = _rows(db, "select agency_id, url, status, sha256, title, text, links from pages where run_id = 1 order by 1, 2")
    second = _rows(db, "select agency_id, url, status, sha256, title, text, links from pages where run_id = 2 order by 1, 2")
    assert first and first == second
    sections = _rows(db, "select run_id, agency_id, status, section_url, section_confidence from agency_results "
                         "order by agency_id, run_id")
    by_agency: dict[str, set] = {}
    for run_id, agency, *rest in sections:
        if run_id in (1, 2):
            by_agency.setdefault(agency, set()).add(tuple(rest))
    assert len(by_agency) == N and all(len(v) == 1 for v in by_agency.values())


def test_a_changed_portal_is_fetched_again_and_seen_as_changed(audits: dict):
    db = audits["db"]
    assert audits["changed"]
    for agency in audits["changed"]:
        homes = _rows(db, "select run_id, sha256, text from pages where agency_id = ? and kind = 'home' order by run_id",
                      (agency,))
        assert len(homes) == 3
        assert homes[0][1] == homes[1][1] != homes[2][1]
        assert "Cập nhật lần 3" in homes[2][2] and "Cập nhật lần 3" not in homes[1][2]
        # Every page of a changed portal is revalidated: no stale copy is kept where the farm changed it.
        pairs = _rows(db, "select b.url, a.sha256, b.sha256, b.text like ? from pages a join pages b "
                          "on b.agency_id = a.agency_id and b.url = a.url and b.run_id = 3 "
                          "where a.run_id = 2 and a.agency_id = ? and a.doc_type = 'html'",
                      ("%Cập nhật lần 3%", agency))
        assert pairs
        for url, before, after, stamped in pairs:
            assert (before != after) == bool(stamped), url
    unchanged = [pid for pid in audits["portals"] if pid not in audits["changed"]]
    for agency in unchanged:
        rows = _rows(db, "select url, sha256 from pages where agency_id = ? and run_id in (2, 3) order by run_id, url",
                     (agency,))
        half = len(rows) // 2
        assert rows[:half] == rows[half:] or [r[1] for r in rows[:half]] == [r[1] for r in rows[half:]]


def test_no_page_is_asked_twice_within_one_reaudit(audits: dict):
    repeated = {url: n for url, n in audits["third_seen"].items() if n > 1}
    assert not repeated
