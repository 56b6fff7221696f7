"""The evidence archive end to end: a real crawl of loopback portals writes one WARC file per run, findings
cite its records, and once the portals are stopped the report still shows the pages as crawled — in a
sandbox where a hostile page's scripts and images never run or load (checked in headless Chromium against a
beacon server whose hits are counted; the same page opened live does hit it). A bounded archive stays under
its bound; retention deletes old runs' files but keeps those a kept run still cites."""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from warcio.archiveiterator import ArchiveIterator

from core.archive import ensure_index, prune, run_summary
from core.store import Store
from reports.archive import archive_page, sanitise_html
from tctt.sampleserver import SAMPLE_DIR, serve_sample_province

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BOUND = 40_000


class _Beacon(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's API
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def _hostile(beacon: str) -> dict[str, str]:
    section = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Tiếp cận thông tin</title>
<script>new Image().src = "{beacon}/script-ran";</script></head>
<body onload="fetch('{beacon}/onload-ran')">
<h1>Chuyên mục tiếp cận thông tin</h1>
<p>Đầu mối cung cấp thông tin: bà Nguyễn Thị Beacon, điện thoại 0203.3999.111, email dau-moi@beacon.example.vn</p>
<img src="{beacon}/image-loaded" alt="tracker">
<a href="javascript:fetch('{beacon}/link-clicked')">Danh mục thông tin phải được công khai</a>
<iframe src="{beacon}/frame-loaded"></iframe>
</body></html>"""
    home = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Cổng Beacon</title></head><body>
<nav><a href="/tiep-can-thong-tin/">Tiếp cận thông tin</a></nav><p>Trang chủ của cổng thông tin Beacon.</p></body></html>"""
    return {"index.html": home, "tiep-can-thong-tin/index.html": section, "robots.txt": "User-agent: *\nAllow: /\n"}


def _chromium(url: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, tctt) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("archive")
    beacon = ThreadingHTTPServer(("127.0.0.1", 0), _Beacon)
    threading.Thread(target=beacon.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    beacon_url = f"http://127.0.0.1:{beacon.server_address[1]}"
    root = work / "province"
    (root / "portals").mkdir(parents=True)
    for agency in ("so-y-te", "so-tu-phap"):
        shutil.copytree(SAMPLE_DIR / "portals" / agency, root / "portals" / agency)
    for name, text in _hostile(beacon_url).items():
        (root / "portals" / "h-beacon" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "portals" / "h-beacon" / name).write_text(text, encoding="utf-8")
    (root / "registry.csv").write_text(
        "id,name,level,parent,province,url,email,section_url\n"
        "so-y-te,Sở Y tế,department,,Mẫu Sơn,http://{host:so-y-te}/,a@example.vn,\n"
        "so-tu-phap,Sở Tư pháp,department,,Mẫu Sơn,http://{host:so-tu-phap}/,b@example.vn,\n"
        "h-beacon,Cổng Beacon,department,,Mẫu Sơn,http://{host:h-beacon}/,c@example.vn,\n", encoding="utf-8")
    (root / "portals.yaml").write_text(yaml.safe_dump({
        "so-y-te": {"address": "127.0.0.15"}, "so-tu-phap": {"address": "127.0.0.11"},
        "h-beacon": {"address": "127.0.0.71"}}), encoding="utf-8")
    (root / "expected.yaml").write_text("agencies: {}\n", encoding="utf-8")
    db, bounded = work / "tctt.db", work / "bounded.db"
    with serve_sample_province(root) as province:
        registry = province.write_registry(work / "registry.csv")
        audit = tctt("audit", "--registry", str(registry), "--db", str(db), "--out", str(work / "live"),
                      "--allow-private")
        assert audit.returncode == 0, audit.stdout + audit.stderr
        small = tctt("crawl", "--registry", str(registry), "--db", str(bounded), "--allow-private",
                      "--set", f"TCTT_WARC_MAX_BYTES={BOUND}")
        assert small.returncode == 0, small.stderr
        live_hits = []
        if CHROMIUM:  # the control: the hostile page opened live does reach the beacon
            _chromium(province.urls["h-beacon"] + "tiep-can-thong-tin/", work / "chromium-live")
            live_hits = list(_Beacon.hits)
        urls = dict(province.urls)
    # The portals are stopped: the report is written from the store and the archive alone.
    report = tctt("report", "--db", str(db), "--out", str(work / "offline"))
    assert report.returncode == 0, report.stderr
    yield {"work": work, "db": db, "bounded": bounded, "urls": urls, "offline": work / "offline",
           "beacon": beacon_url, "live_hits": live_hits, "audit_output": audit.stdout + audit.stderr}
    beacon.shutdown()


def _rows(db: Path, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    store = Store(db)
    try:
        return list(store.db.query(sql, params or []))
    finally:
        store.close()


def test_one_warc_file_per_run_indexes_every_fetched_page(crawled: dict):
    pages = _rows(crawled["db"], "select url, sha256, warc_record, status from pages where status is not null")
    assert pages and all(p["warc_record"] for p in pages)
    index = {r["record_id"]: r for r in _rows(crawled["db"], "select * from warc_records")}
    files = {r["file"] for r in index.values()}
    assert files == {str(crawled["db"]) + ".warc/run-1.warc.gz"}
    path = Path(files.pop())
    # Each indexed offset holds the record it names; its body is the very bytes the crawler stored evidence of.
    with path.open("rb") as stream:
        for page in pages:
            row = index[page["warc_record"]]
            stream.seek(row["offset"])
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Record-ID") == page["warc_record"]
            assert record.rec_type == "response"
            assert hashlib.sha256(record.content_stream().read()).hexdigest() == page["sha256"]
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_findings_cite_the_archived_record_of_their_page(crawled: dict):
    archived = {r["final_url"]: r["warc_record"] for r in _rows(
        crawled["db"], "select final_url, warc_record from pages where warc_record is not null")}
    cited = 0
    import json

    for row in _rows(crawled["db"], "select evidence from findings"):
        for entry in json.loads(row["evidence"] or "[]"):
            if entry.get("url") in archived:
                assert entry.get("warc_record") == archived[entry["url"]], entry
                cited += 1
    assert cited >= 5


def test_the_report_shows_the_page_as_crawled_after_the_portals_stopped(crawled: dict):
    with pytest.raises(OSError), socket.create_connection(
            tuple(crawled["urls"]["so-y-te"].split("//")[1].rstrip("/").split(":")), timeout=2):
        pass  # nothing listens any more
    agency = (crawled["offline"] / "agencies" / "so-y-te.html").read_text(encoding="utf-8")
    links = [part.split('"')[0] for part in agency.split('href="../archive/')[1:]]
    assert links
    section = next(r for r in _rows(crawled["db"], "select warc_record from pages where agency_id = 'so-y-te' "
                                    "and final_url like '%tiep-can-thong-tin.aspx'"))
    name = archive_page(section["warc_record"])
    assert name in links
    page = (crawled["offline"] / "archive" / name).read_text(encoding="utf-8")
    assert "tiep-can-thong-tin.aspx" in page and "200 OK" in page
    assert "Chuyên mục" in page or "Tiếp cận thông tin" in page  # the archived text, not a placeholder


def test_a_hostile_archived_page_is_shown_without_running_or_loading_anything(crawled: dict):
    record = next(r for r in _rows(crawled["db"], "select warc_record from pages where agency_id = 'h-beacon' "
                                   "and final_url like '%tiep-can-thong-tin/'"))
    path = crawled["offline"] / "archive" / archive_page(record["warc_record"])
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html.lower().replace("&lt;script", "")
    assert 'sandbox=""' in html and "Content-Security-Policy" in html
    assert "&lt;script&gt;new Image()" in html  # the source is shown, escaped
    if CHROMIUM is None:
        pytest.skip("Debian package chromium not installed (browser half of the check)")
    assert any("script-ran" in hit or "image-loaded" in hit for hit in crawled["live_hits"]), crawled["live_hits"]
    _Beacon.hits.clear()
    result = _chromium(path.resolve().as_uri(), crawled["work"] / "chromium-archive")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Nguyễn Thị Beacon" in result.stdout or "Beacon" in result.stdout
    assert _Beacon.hits == []


def test_a_bounded_archive_stays_under_its_bound_and_says_what_it_skipped(crawled: dict, tctt):
    store = Store(crawled["bounded"])
    try:
        summary = run_summary(store, 1)
    finally:
        store.close()
    assert summary["file_bytes"] <= BOUND
    assert summary["records"] > 0 and summary["skipped"] > 0
    assert all(reason.startswith("archive_full") for reason in summary["skipped_reasons"])
    listed = tctt("archive", "list", "--db", str(crawled["bounded"]))
    assert listed.returncode == 0 and "archive_full" in listed.stdout
    assert tctt("score", "--db", str(crawled["bounded"])).returncode == 0
    report = tctt("report", "--db", str(crawled["bounded"]), "--out", str(crawled["work"] / "bounded-report"))
    assert report.returncode == 0
    pages = list((crawled["work"] / "bounded-report" / "archive").glob("*.html"))
    texts = [p.read_text(encoding="utf-8") for p in pages]
    assert any("giới hạn dung lượng" in t for t in texts)  # a skipped record is explained, not a dead link


def test_crawl_statistics_are_kept_per_run(crawled: dict, tctt):
    result = tctt("stats", "--db", str(crawled["db"]), "--format", "json")
    assert result.returncode == 0, result.stderr
    import json

    data = json.loads(result.stdout)
    assert data["processes"][0]["finish_reason"] == "finished"
    assert data["total"]["downloader/response_count"] > 0
    assert data["total"]["warc/records"] == len(_rows(crawled["db"], "select 1 from warc_records where skipped is null"))


def test_sanitiser_removes_what_could_run_or_load():
    dirty = ('<html><head><meta http-equiv="refresh" content="0;url=http://x/"><base href="http://x/">'
             '<link rel="stylesheet" href="http://x/a.css"><script>alert(1)</script></head>'
             '<body onload="alert(2)"><a href="javascript:alert(3)">a</a><img src="http://x/i.png" '
             'style="background:url(http://x/b)"><svg><script>alert(4)</script></svg>'
             '<object data="http://x/o"></object><p>giữ lại</p></body></html>')
    clean = sanitise_html(dirty).lower()
    for bad in ("<script", "onload", "javascript:", "http://x", "refresh", "<base", "<link", "<object"):
        assert bad not in clean, bad
    assert "giữ lại" in sanitise_html(dirty)


def test_retention_prunes_old_runs_but_keeps_archives_a_kept_run_cites(tmp_path: Path):
    store = Store(tmp_path / "t.db")
    try:
        ensure_index(store)
        for n in range(1, 5):
            store.create_run(ruleset="r", ruleset_version="1", tool_version="t", registry="x", audit_date="2026-12-01",
                             options={}, agencies=[])
            path = tmp_path / f"run-{n}.warc.gz"
            path.write_bytes(b"x" * 100)
            store.db["warc_records"].insert({"record_id": f"<urn:uuid:{n}>", "run_id": n, "file": str(path),
                                             "offset": 0, "length": 100})
        # Run 4 carried an unchanged agency's pages from run 1: their evidence still points into run 1's file.
        store.add_page({"run_id": 4, "agency_id": "a", "url": "http://a/", "warc_record": "<urn:uuid:1>",
                        "carried_from_run": 1})
        gone = prune(store, keep_runs=2)
        assert [g["run_id"] for g in gone] == [2]
        assert not (tmp_path / "run-2.warc.gz").exists()
        assert all((tmp_path / f"run-{n}.warc.gz").exists() for n in (1, 3, 4))
        assert run_summary(store, 2)["pruned_at"] is not None
        assert prune(store, keep_runs=0) == []
    finally:
        store.close()
