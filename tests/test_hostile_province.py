"""End to end: the hostile sample province (farms/hostile.py, 127.0.0.60–92 (84–88 and 90 belong to other tests)) is audited to completion.

One `tctt audit` per session (about 15 s): expired and self-signed certificates, a firewall 403, a
captcha, a redirect loop, a redirect to 169.254.169.254, an endless calendar, a 30-second response (the
download timeout is set to 3 s), a gzip bomb, script in titles, windows-1258 and TCVN3 pages, a server
that resets connections, robots.txt forbidding everything and a 500; a sitemap listing file:// and ftp://
entries before 6,000 ordinary ones, a home page redirecting to file:, section pages of the heaviest
shapes for an HTML reader (headings beside links, menu blocks, a 50,000-item list), and a UTF-16 portal. Every agency must end with the
right status and detail, the report must run no script, exports must neutralise formulas and the
crawler's memory must stay bounded.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from core.vntext import fold
from farms.hostile import EXPECTED, FORMULA_NAME, LOCAL_SECRET, PORTALS, serve_hostile_province

PEAK_RSS_LIMIT_MB = 400
# Run the CLI and report the peak resident memory of the crawling process itself.
WRAPPER = ("import resource, sys\nfrom tctt.cli import main\nrc = main(sys.argv[1:])\n"
           "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
           "sys.exit(rc)\n")


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory, tctt) -> dict:
    folder = tmp_path_factory.mktemp("hostile")
    with serve_hostile_province(folder) as province:
        registry = province.write_registry(folder / "registry.csv")
        result = subprocess.run(
            [sys.executable, "-c", WRAPPER, "audit", "--registry", str(registry), "--db", str(folder / "h.db"),
             "--out", str(folder / "report"), "--allow-private", "--set", "DOWNLOAD_TIMEOUT=3",
             "--set", f"TCTT_TLS_CAFILE={province.cafile}", "--set", "TCTT_SECTION_DEPTH=10"],
            capture_output=True, text=True, timeout=240)
        urls = dict(province.urls)
    assert result.returncode == 0, result.stdout + result.stderr
    peak = int(re.search(r"PEAK_RSS_KB (\d+)", result.stderr).group(1)) / 1024
    print(f"\nhostile province: peak RSS of the audit process {peak:.0f} MB")
    exported = tctt('export', '--db', str(folder / 'h.db'), '--format', 'json', timeout=60)
    csv_out = tctt('export', '--db', str(folder / 'h.db'), '--format', 'csv', timeout=60)
    assert exported.returncode == 0 and csv_out.returncode == 0, exported.stderr + csv_out.stderr
    return {"folder": folder, "db": folder / "h.db", "report": folder / "report", "peak_mb": peak, "urls": urls,
            "model": json.loads(exported.stdout), "csv": csv_out.stdout, "stdout": result.stdout}


def _agencies(audit: dict) -> dict[str, dict]:
    return {a["id"]: a for a in audit["model"]["agencies"]}


def _results(audit: dict) -> dict[str, dict]:
    with sqlite3.connect(audit["db"]) as conn:
        conn.row_factory = sqlite3.Row
        return {r["agency_id"]: dict(r) for r in conn.execute("select * from agency_results")}


def test_the_run_completes_and_every_agency_has_a_result(audit: dict):
    assert audit["model"]["run"]["status"] == "complete"
    assert set(_results(audit)) == set(PORTALS)


@pytest.mark.parametrize("agency_id", sorted(EXPECTED))
def test_each_hostile_agency_has_the_right_status_and_detail(audit: dict, agency_id: str):
    status, fragment = EXPECTED[agency_id]
    result = _results(audit)[agency_id]
    assert result["status"] == status, (agency_id, result["detail"])
    assert fragment in (result["detail"] or "") or status == "audited", (agency_id, result["detail"])


def test_agencies_not_audited_are_left_out_of_the_average(audit: dict):
    agencies = _agencies(audit)
    audited = [a["score"] for a in agencies.values() if a["status"] == "audited"]
    assert all(a["score"] is None and not a["findings"] for a in agencies.values() if a["status"] != "audited")
    assert audit["model"]["run"]["average_score"] == pytest.approx(sum(audited) / len(audited), abs=0.01)


def _transport(audit: dict, agency_id: str) -> dict:
    return next(f for f in _agencies(audit)[agency_id]["findings"] if f["rule"] == "transport-security")


@pytest.mark.parametrize(("agency_id", "words"), [("h-tls-expired", "certificate has expired"),
                                                  ("h-tls-self-signed", "self-signed certificate")])
def test_a_bad_certificate_is_a_finding_and_the_audit_goes_on(audit: dict, agency_id: str, words: str):
    agency = _agencies(audit)[agency_id]
    assert agency["status"] == "audited" and agency["section"]["url"].endswith("/tiep-can-thong-tin")
    finding = _transport(audit, agency_id)
    assert finding["status"] == "fail"
    assert words in json.dumps(finding["message"], ensure_ascii=False)


def test_plain_http_portals_are_noted(audit: dict):
    finding = _transport(audit, "h-script")
    assert finding["status"] == "fail" and "http" in finding["message"].lower()


def test_the_metadata_redirect_is_refused_by_the_guard_not_by_the_network(audit: dict):
    detail = _results(audit)["h-metadata-redirect"]["detail"]
    assert "network guard" in detail and "169.254.169.254" in detail
    with sqlite3.connect(audit["db"]) as conn:
        rows = conn.execute("select status, error from pages where url like 'http://169.254.169.254%'").fetchall()
    # The refusal is recorded; nothing was ever fetched from there.
    assert rows and all(status is None and "network guard" in error for status, error in rows)


def test_traps_are_cut_and_recorded_and_duplicates_canonicalised(audit: dict):
    cut = json.loads(_results(audit)["h-calendar"]["cut"])
    reasons = {e["reason"] for e in cut["examples"]}
    assert cut["traps"] >= 3
    assert "calendar page outside the audit years" in reasons
    assert "more than 8 query parameters" in reasons
    assert any(r.startswith("more than 12 calendar pages") for r in reasons)
    with sqlite3.connect(audit["db"]) as conn:
        urls = [u for (u,) in conn.execute("select url from pages where agency_id = 'h-calendar'")]
    assert len(urls) <= 15  # home, section, at most 12 calendar months (and no trap page)
    assert not any(marker in u for u in urls for marker in ("jsessionid", "utm_", "#", "year=1900", "tim-kiem"))


def test_charsets_are_decoded_or_at_least_recorded(audit: dict):
    with sqlite3.connect(audit["db"]) as conn:
        rows = {(aid, kind): (title, json.loads(signals)) for aid, kind, title, signals in conn.execute(
            "select agency_id, kind, title, signals from pages where agency_id in ('h-windows-1258', 'h-tcvn3')")}
    title, signals = rows[("h-windows-1258", "candidate")]
    assert fold(title) == "tiep can thong tin"
    assert signals["charset"] == {"used": "cp1258", "declared": "windows-1258"}
    _, signals = rows[("h-tcvn3", "home")]
    assert signals["charset"]["used"] and signals["charset"]["declared"] is None


def test_memory_stays_bounded(audit: dict):
    # The gzip bomb inflates to 256 MB; decompression stops at DOWNLOAD_MAXSIZE (50 MB).
    assert audit["peak_mb"] < PEAK_RSS_LIMIT_MB


def _report_pages(audit: dict) -> list[Path]:
    pages = sorted(audit["report"].rglob("*.html"))
    assert len(pages) >= 1 + len(PORTALS)
    return pages


def _no_active_content(root: lxml.html.HtmlElement, page: Path) -> None:
    assert not root.xpath("//script|//iframe|//object|//embed|//frame|//base"), page
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (page, element.tag, name)
            assert not value.strip().lower().startswith("javascript:"), (page, element.tag, name)


def test_the_report_contains_no_script_handler_or_javascript_url(audit: dict):
    for page in _report_pages(audit):
        root = lxml.html.fromstring(page.read_bytes())
        # The one frame allowed: an archived page as crawled (reports/archive.py), in a frame with every
        # sandbox restriction, from an inline copy that holds no active content either.
        for frame in root.xpath("//iframe"):
            assert frame.get("sandbox") == "" and frame.get("src") is None and frame.get("srcdoc"), page
            _no_active_content(lxml.html.document_fromstring(frame.get("srcdoc")), page)
            frame.drop_tree()
        _no_active_content(root, page)
    agency_page = next(p for p in _report_pages(audit) if "h-script" in p.name)
    html = agency_page.read_text(encoding="utf-8")
    assert "&lt;script&gt;document.documentElement" in html  # shown, escaped


def test_exports_neutralise_formulas_end_to_end(audit: dict):
    rows = list(csv.reader(io.StringIO(audit["csv"])))
    names = {row[2] for row in rows[1:] if row[1] == "h-script"}
    assert names == {"'" + FORMULA_NAME}
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
    assert _agencies(audit)["h-script"]["name"] == FORMULA_NAME  # JSON keeps the data as it is


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian package chromium not installed (optional browser check)")
def test_a_headless_browser_runs_no_portal_script_in_the_report(audit: dict):
    agency_page = next(p for p in _report_pages(audit) if "h-script" in p.name)
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--virtual-time-budget=3000", "--dump-dom", agency_page.resolve().as_uri()],
        capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = lxml.html.fromstring(result.stdout)
    assert dom.get("data-pwned") is None
    assert "document.documentElement" in dom.text_content()  # the payload is there, as text


def test_only_http_is_fetched_whatever_a_sitemap_lists(audit: dict):
    with sqlite3.connect(audit["db"]) as conn:
        rows = conn.execute("select url, final_url, coalesce(text, '') from pages").fetchall()
    for url, final_url, text in rows:
        assert url.split(":", 1)[0] in ("http", "https") and (final_url or url).split(":", 1)[0] in ("http", "https")
        assert LOCAL_SECRET not in text and "root:x:0:0" not in text
    # The section is listed after 6,000 other entries: the whole sitemap is weighed, and the page fetched.
    with sqlite3.connect(audit["db"]) as conn:
        fetched = {u for (u,) in conn.execute("select url from pages where agency_id = 'h-sitemap-file' "
                                              "and kind = 'candidate' and status = 200")}
    assert any(u.endswith("/tiep-can-thong-tin") for u in fetched)


def test_a_home_page_redirecting_to_a_local_file_is_an_error_with_the_reason(audit: dict):
    detail = _results(audit)["h-redirect-file"]["detail"]
    assert "file:///etc/passwd" in detail and "non-http(s)" in detail


@pytest.mark.parametrize("agency_id", ["h-heavy-headings", "h-heavy-menus", "h-heavy-list", "h-utf16"])
def test_heavy_and_utf16_pages_are_read_and_their_section_found(audit: dict, agency_id: str):
    assert (_results(audit)[agency_id]["section_url"] or "").endswith("/tiep-can-thong-tin")
    with sqlite3.connect(audit["db"]) as conn:
        title, text = conn.execute("select title, text from pages where agency_id = ? and kind = 'candidate'",
                                   [agency_id]).fetchone()
    assert fold(title) == "tiep can thong tin" and "0203 3871 234" in text
