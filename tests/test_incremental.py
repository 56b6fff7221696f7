"""Incremental re-audits: a second audit of an unchanged farm costs about one request per portal and finds
the same; a portal changed in between is fetched again and seen as changed. An unchanged agency whose
pages are all still fresh by HTTP is carried over from the earlier run in SQL (TCTT_CARRY_UNCHANGED), and
a portal that is down is not audited on the HTTP cache's old copy.

The farm (``farms.gold.farm``) sends ETag and Last-Modified and answers 304; it runs in a thread of this
process, the crawls in child processes (Twisted's reactor runs once per process).
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from farms.gold.farm import farm_portals, serve_farm

N = 6
SEED = 8


def _crawl(tctt, farm, db: Path, registry: Path, *extra: str, settings: dict | None = None) -> None:
    settings = settings or farm.scrapy_settings()
    result = tctt('crawl', '--registry', str(registry), '--db', str(db), '--allow-private', '--set',
                  f"TWISTED_DNS_RESOLVER={settings['TWISTED_DNS_RESOLVER']}", '--set',
                  f"TCTT_STATIC_HOSTS={json.dumps(settings['TCTT_STATIC_HOSTS'])}", '--set',
                  'AUTOTHROTTLE_ENABLED=0', '--set', 'CONCURRENT_REQUESTS_PER_DOMAIN=4', '--set',
                  'TCTT_TLS_PROBE=0', '--set', 'DOWNLOAD_TIMEOUT=5', '--set', 'RETRY_TIMES=0', *extra,
                  timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]


def _rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def audits(tmp_path_factory: pytest.TempPathFactory, tctt) -> dict:
    work = tmp_path_factory.mktemp("incremental")
    db = work / "audits.db"
    portals, _ = farm_portals(N, SEED)
    out: dict = {"db": db}
    with serve_farm(portals, latency=0.0) as farm:
        registry = farm.write_registry(work / "registry.csv")
        port = farm.port
        _crawl(tctt, farm, db, registry)
        out["first"] = farm.stats.requests
        _crawl(tctt, farm, db, registry)
        out["second"] = farm.stats.requests - out["first"]
        out["second_statuses"] = dict(farm.stats.statuses)
    changed_portals, changed = farm_portals(N, SEED, changed=0.34, change_seed=3)
    out["stale"], undo = _make_stale(db, sorted({p.id for p in changed_portals} - changed))
    with serve_farm(changed_portals, latency=0.0, changed=changed, port=port) as farm:
        settings = farm.scrapy_settings()
        _crawl(tctt, farm, db, registry)
        out["third"] = farm.stats.requests
        out["third_seen"] = dict(farm.stats.seen)
        _undo_stale(db, undo)
        out["hosts"] = dict(farm.addresses)
        _crawl(tctt, farm, db, registry, "--set", "TCTT_CARRY_UNCHANGED=0")  # run 4: the switch
        out["fourth"] = farm.stats.requests - out["third"]
    _crawl(tctt, None, db, registry, settings=settings)  # run 5: every portal down, their pages still in the cache
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
        homes = _rows(db, "select run_id, sha256, text from pages where agency_id = ? and kind = 'home' and run_id <= 3 "
                             "order by run_id",
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


def _make_stale(db: Path, unchanged: list[str]) -> tuple[dict[str, tuple[str, str]], list[tuple]]:
    """Before the third audit, two unchanged agencies' last audit (run 2) gets a page past its freshness:
    the first as it was (asked again, it answers the same: still carried), the second recorded with another
    status than the portal's (asked again, it differs: crawled as usual, that answer replayed)."""
    conn = sqlite3.connect(str(db))
    undo: list[tuple] = []
    try:
        chosen: dict[str, tuple[str, str]] = {}
        for agency in unchanged:
            row = conn.execute("select id, url from pages where run_id = 2 and agency_id = ? and kind in "
                               "('candidate', 'section') and status = 200 order by id limit 1", (agency,)).fetchone()
            if row is None or len(chosen) == 2:
                continue
            role = "differs" if chosen else "same"
            undo.append(conn.execute("select id, status, fresh_until from pages where id = ?", (row[0],)).fetchone())
            conn.execute("update pages set fresh_until = null, status = ? where id = ?",
                         (203 if role == "differs" else 200, row[0]))
            chosen[role] = (agency, row[1])
        conn.commit()
    finally:
        conn.close()
    assert len(chosen) == 2
    return chosen, undo


def _undo_stale(db: Path, undo: list[tuple]) -> None:
    """Run 2 as it was stored, for the tests comparing it with run 1."""
    conn = sqlite3.connect(str(db))
    try:
        conn.executemany("update pages set status = ?, fresh_until = ? where id = ?",
                         [(status, fresh, page_id) for page_id, status, fresh in undo])
        conn.commit()
    finally:
        conn.close()


def _result_columns(db: Path, run_id: int) -> dict[str, tuple]:
    rows = _rows(db, "select agency_id, status, detail, http_status, final_url, section_url, section_confidence, cut, "
                     "carried from agency_results where run_id = ?", (run_id,))
    return {r[0]: r[1:] for r in rows}


def _expected_carried(db: Path, run_id: int) -> set[str]:
    """Agencies of ``run_id`` whose every page but the home page is still fresh by HTTP (from their rows)."""
    rows = _rows(db, "select r.agency_id, (select count(*) from pages p where p.run_id = r.run_id and "
                     "p.agency_id = r.agency_id and p.kind != 'home' and (p.fresh_until is null or p.fresh_until < ?)) "
                     "from agency_results r where r.run_id = ? and r.status = 'audited'", (time.time(), run_id))
    return {agency for agency, stale in rows if stale == 0}


def test_unchanged_agencies_are_carried_over_in_sql(audits: dict):
    db = audits["db"]
    expected = _expected_carried(db, 1)
    assert len(expected) >= N // 2, expected  # the farm's pages are cacheable: most agencies qualify
    second = _result_columns(db, 2)
    carried = {agency for agency, r in second.items() if r[-1]}
    assert carried == expected
    # A carried agency cost its home page and nothing else: the farm saw about one request per portal.
    assert audits["second"] <= N + 2 * (N - len(carried)), audits["second"]
    for agency in carried:
        why = json.loads(second[agency][-1])
        assert why["from_run"] == 1 and why["home"] == "304 Not Modified" and "RFC 2616" in why["why"]
        assert why["transport"].startswith("not probed")  # the tests run with TCTT_TLS_PROBE=0
        first, again = (_rows(db, "select url, final_url, status, sha256, kind, depth, referrer, title, text, tables, "
                                  "links, structure, signals, error, doc_type, size, fetched_at, fresh_until, "
                                  "carried_from_run from pages where run_id = ? and agency_id = ? order by id",
                              (run_id, agency)) for run_id in (1, 2))
        assert len(first) == len(again) > 1
        assert [r[:4] for r in first] == [r[:4] for r in again]  # same pages, in the same order
        for before, after in zip(first, again, strict=True):
            if after[4] == "home":  # asked for again in this run (304): a row of its own, same bytes
                assert after[-1] is None and after[3] == before[3]
            else:  # carried: the very row, with the run that fetched it and its fetch time
                assert after[:-1] == before[:-1] and after[-1] == 1, after[0]
        candidates = [_rows(db, "select url, anchor, link_score, content_score, confidence, chosen, reasons from "
                                "candidates where run_id = ? and agency_id = ? order by url", (r, agency)) for r in (1, 2)]
        assert candidates[0] == candidates[1]
    assert _rows(db, "select count(*) from candidates where run_id = 2") == _rows(
        db, "select count(*) from candidates where run_id = 1") != [(0,)]
    for agency in set(second) - carried:  # crawled as before (a page answered 404: not fresh, asked again)
        assert _rows(db, "select count(*) from pages where run_id = 2 and agency_id = ? and carried_from_run is not null",
                     (agency,)) == [(0,)]


def test_carried_agencies_score_the_same(audits: dict, tctt):
    db = audits["db"]
    for run_id in (1, 2):
        result = tctt('score', '--db', str(db), '--run', str(run_id), timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]

    def findings(run_id: int) -> list[tuple]:
        rows = _rows(db, "select agency_id, rule_id, status, score, message, evidence, details from findings "
                         "where run_id = ? order by agency_id, rule_id", (run_id,))
        # The fetch time and the archived record (core/archive.py) of a page asked for again are this run's.
        return [(*head, [{**e, "fetched_at": None, "warc_record": None} for e in json.loads(evidence or "[]")], details)
                for *head, evidence, details in rows]

    first, second = findings(1), findings(2)
    assert first and first == second
    # The fetch times cited by a carried agency's findings are its home page's (asked for again) or those of
    # the earlier run's fetches: nothing pretends to have been fetched in this run.
    for agency, row in _result_columns(db, 2).items():
        if not row[-1]:
            continue
        times = {t for (t,) in _rows(db, "select fetched_at from pages where agency_id = ? and (run_id = 1 or "
                                         "(run_id = 2 and kind = 'home'))", (agency,))} | {None}
        for (evidence,) in _rows(db, "select evidence from findings where run_id = 2 and agency_id = ?", (agency,)):
            assert {e.get("fetched_at") for e in json.loads(evidence or "[]")} <= times, agency
    scores = [_rows(db, "select agency_id, score, band from agency_results where run_id = ? order by 1", (r,))
              for r in (1, 2)]
    assert scores[0] == scores[1] and all(s is not None for _, s, _ in scores[0])


def test_changed_portals_are_crawled_and_the_rest_carried_again(audits: dict):
    db = audits["db"]
    third = _result_columns(db, 3)
    for agency in audits["changed"]:
        assert third[agency][-1] is None  # its home page changed: crawled, not carried
        assert _rows(db, "select count(*) from pages where run_id = 3 and agency_id = ? and carried_from_run is not null",
                     (agency,)) == [(0,)]
    stale = audits["stale"]
    unchanged = set(third) - set(audits["changed"]) - {stale["differs"][0]}
    assert len(unchanged) >= 2
    for agency in unchanged:
        assert json.loads(third[agency][-1])["from_run"] == 2
        # Carried twice, the rows still name the run that fetched them, but for a page asked for again.
        rows = _rows(db, "select url, carried_from_run from pages where run_id = 3 and agency_id = ? and kind != 'home'",
                     (agency,))
        again = {stale["same"][1]} if agency == stale["same"][0] else set()
        assert {url for url, run in rows if run is None} == again
        assert {run for url, run in rows if url not in again} == {1}


def test_a_stale_page_is_asked_again_and_decides(audits: dict):
    db = audits["db"]
    third = _result_columns(db, 3)
    (same, same_url), (differs, differs_url) = audits["stale"]["same"], audits["stale"]["differs"]
    # Answered as before: carried, the page a row of this run with its new fetch time and freshness.
    why = json.loads(third[same][-1])
    assert [v["url"] for v in why["verified"]] == [same_url] and "answered as before" in why["why"]
    assert _rows(db, "select status, fresh_until > ?, carried_from_run from pages where run_id = 3 and agency_id = ? "
                     "and url = ?", (time.time(), same, same_url)) == [(200, 1, None)]
    # Answered otherwise (the store says 203, the portal 200): crawled as usual, not carried, the answer
    # replayed rather than asked for twice, and the evidence that of a full crawl.
    assert third[differs][-1] is None
    assert _rows(db, "select status from pages where run_id = 3 and agency_id = ? and url = ?",
                 (differs, differs_url)) == [(200,)]
    assert _rows(db, "select url, sha256 from pages where run_id = 3 and agency_id = ? order by url", (differs,)) == \
        _rows(db, "select url, sha256 from pages where run_id = 1 and agency_id = ? order by url", (differs,))
    assert _result_columns(db, 3)[differs][:6] == _result_columns(db, 1)[differs][:6]
    # Each was asked for once in the third audit.
    asked = {url: n for url, n in audits["third_seen"].items() if url.endswith(tuple(
        u.split("/", 3)[-1] for u in (same_url, differs_url)))}
    assert sorted(asked.values()) == [1, 1], asked


def test_carrying_can_be_switched_off(audits: dict):
    db = audits["db"]
    assert all(r[-1] is None for r in _result_columns(db, 4).values())
    assert _rows(db, "select count(*) from pages where run_id = 4 and carried_from_run is not null") == [(0,)]
    assert audits["fourth"] >= N  # every home page asked for again
    assert _rows(db, "select agency_id, url, sha256 from pages where run_id = 4 order by 1, 2") == \
        _rows(db, "select agency_id, url, sha256 from pages where run_id = 3 order by 1, 2")


def test_a_portal_down_is_not_audited_on_its_cached_copy(audits: dict):
    db = audits["db"]
    fifth = _result_columns(db, 5)
    assert len(fifth) == N
    for agency, (status, detail, *_rest, carried) in fifth.items():
        assert status == "unreachable" and carried is None, (agency, status, detail)
        assert "cached copy" in detail


def test_an_older_database_gains_the_new_columns(tmp_path: Path):
    from core.store import Store

    db = tmp_path / "old.db"
    conn = sqlite3.connect(str(db))
    conn.execute("create table pages (id integer primary key, run_id int, agency_id text, url text, sha256 text, "
                 "kind text)")
    conn.execute("create table agency_results (run_id int, agency_id text, status text, cut text, "
                 "primary key (run_id, agency_id))")
    conn.execute("insert into pages (run_id, agency_id, url, kind) values (1, 'a', 'http://127.0.0.1/', 'home')")
    conn.commit()
    conn.close()
    store = Store(db)
    try:
        assert {"fresh_until", "carried_from_run"} <= set(store.db["pages"].columns_dict)
        assert "carried" in store.db["agency_results"].columns_dict
        assert store.carry_source("a", 2) is None  # no result in the old file: nothing to carry
    finally:
        store.close()


def test_an_interrupted_reaudit_resumes(tmp_path: Path, tctt):
    """A re-audit stopped before some agencies were done (as SIGKILL leaves it) is resumed: an agency with
    nothing stored is carried over; one whose pages were stored is finished from them, not fetched again."""
    db = tmp_path / "audits.db"
    portals, _ = farm_portals(3, SEED)
    with serve_farm(portals, latency=0.0) as farm:
        registry = farm.write_registry(tmp_path / "registry.csv")
        _crawl(tctt, farm, db, registry)
        _crawl(tctt, farm, db, registry)
        agencies = sorted(p.id for p in portals)
        before = _rows(db, "select agency_id, url, sha256, fetched_at from pages where run_id = 2 order by 1, 2")
        conn = sqlite3.connect(str(db))
        try:  # the first agency had not begun, the second had its pages stored but no result
            conn.execute("delete from pages where run_id = 2 and agency_id = ?", (agencies[0],))
            conn.execute("delete from candidates where run_id = 2 and agency_id in (?, ?)", agencies[:2])
            conn.execute("delete from agency_results where run_id = 2 and agency_id in (?, ?)", agencies[:2])
            conn.execute("update runs set status = 'incomplete' where id = 2")
            conn.commit()
        finally:
            conn.close()
        asked = farm.stats.requests
        settings = farm.scrapy_settings()
        result = tctt('crawl', '--resume', '2', '--db', str(db), '--set',
                      f"TWISTED_DNS_RESOLVER={settings['TWISTED_DNS_RESOLVER']}", '--set',
                      f"TCTT_STATIC_HOSTS={json.dumps(settings['TCTT_STATIC_HOSTS'])}", '--set',
                      'TCTT_TLS_PROBE=0', timeout=240)
        assert result.returncode == 0, result.stderr[-3000:]
        asked = farm.stats.requests - asked
    results = _result_columns(db, 2)
    assert set(results) == set(agencies) and all(r[0] == "audited" for r in results.values())
    assert json.loads(results[agencies[0]][-1])["from_run"] == 1  # nothing stored: carried over
    assert results[agencies[1]][-1] is None  # its stored pages replayed
    assert results[agencies[1]][:6] == _result_columns(db, 1)[agencies[1]][:6]
    assert asked <= 2, asked  # the first agency's home page (and perhaps a robots.txt); nothing replayed
    after = _rows(db, "select agency_id, url, sha256, fetched_at from pages where run_id = 2 order by 1, 2")
    assert [r for r in after if r[0] != agencies[0]] == [r for r in before if r[0] != agencies[0]]
    assert [r[:3] for r in after if r[0] == agencies[0]] == [r[:3] for r in before if r[0] == agencies[0]]
    assert _rows(db, "select status from runs where id = 2") == [("complete",)]
