"""Tests for reports/: the run model, its JSON and CSV exports, and the static HTML site."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest

from core.store import Store
from reports.html import agency_filenames, is_http_url, render_site, safe_filename
from reports.model import build_run_model, export_csv, export_json

BANDS = [
    {"id": "A", "min_score": 95, "requires_all_essential": True, "label": {"vi": "Xuất sắc", "en": "Excellent"}},
    {"id": "B", "min_score": 85, "requires_all_essential": True, "label": {"vi": "Tốt", "en": "Good"}},
    {"id": "C", "min_score": 75, "requires_all_essential": True, "label": {"vi": "Đạt", "en": "Satisfactory"}},
    {"id": "D", "min_score": 50, "label": {"vi": "Trung bình", "en": "Intermediate"}},
    {"id": "E", "min_score": 30, "label": {"vi": "Yếu", "en": "Basic"}},
    {"id": "F", "min_score": 0, "label": {"vi": "Kém", "en": "Poor"}},
]

XSS = "<script>alert(1)</script>"
JS_URL = "javascript:alert(1)"

BASIS_ND13 = {"instrument": "Nghị định 13/2018/NĐ-CP", "article": "11", "clause": "1", "point": None,
              "in_force": {"from": "2018-07-01", "to": None}, "provisional": False,
              "citation": {"vi": "Điều 11 khoản 1 Nghị định 13/2018/NĐ-CP",
                           "en": "Article 11, clause 1, Nghị định 13/2018/NĐ-CP"}}
BASIS_2026 = {"instrument": "Luật Tiếp cận thông tin 01/2026/QH16", "article": "17", "clause": "1", "point": "u",
              "in_force": {"from": "2026-09-01", "to": None}, "provisional": True,
              "citation": {"vi": "Điều 17 khoản 1 điểm u Luật Tiếp cận thông tin 01/2026/QH16 "
                                 "(tạm thời – chưa đối chiếu Công báo)",
                           "en": "Article 17, clause 1, point u, Luật Tiếp cận thông tin 01/2026/QH16 "
                                 "(provisional – not yet checked against the Official Gazette)"}}


def _finding(rule_id, status, score, max_score, *, evidence=None, title=None, failure_title=None, message=None,
             cls="mandatory"):
    return {
        "rule_id": rule_id, "status": status, "score": score, "max_score": max_score, "weight": max_score,
        "class": cls,
        "title": title or {"vi": f"Tiêu chí {rule_id} đạt", "en": f"Criterion {rule_id} met"},
        "failure_title": failure_title or {"vi": f"Tiêu chí {rule_id} chưa đạt", "en": f"Criterion {rule_id} not met"},
        "description": {"vi": f"Cách sửa {rule_id}", "en": f"How to fix {rule_id}"},
        "message": message or {"vi": f"Thông điệp {rule_id}", "en": f"Message {rule_id}"},
        "evidence": evidence if evidence is not None else [
            {"url": f"https://so-a.gov.vn/tctt/{rule_id}", "excerpt": f"Trích {rule_id}",
             "fetched_at": "2026-11-05T03:04:05+00:00"}],
        "legal_basis": [BASIS_ND13, BASIS_2026],
        "details": {},
        "covers": ["TCTT-11"],
        "scored_at": "2026-11-05T04:00:00+00:00",
    }


def make_store(tmp_path: Path, *, finish: str | None = "complete") -> tuple[Store, int]:
    store = Store(tmp_path / "tctt.db")
    agencies = [
        {"id": "so-a", "name": "Sở A <b>", "level": "department", "parent": "", "province": "Tỉnh Thử",
         "url": "https://so-a.gov.vn", "email": "a@so-a.gov.vn", "section_url": None, "line": 2},
        {"id": "so-b", "name": "Sở B", "level": "department", "parent": "", "province": "Tỉnh Thử",
         "url": "https://so-b.gov.vn", "email": "b@so-b.gov.vn", "section_url": None, "line": 3},
        {"id": "xa/c", "name": "UBND xã C", "level": "commune", "parent": "", "province": "Tỉnh Thử",
         "url": "https://xa-c.gov.vn", "email": "", "section_url": None, "line": 4},
        {"id": "so-d", "name": "=Sở D", "level": "department", "parent": "", "province": "Tỉnh Thử",
         "url": "https://so-d.gov.vn", "email": "", "section_url": None, "line": 5},
    ]
    run_id = store.create_run(ruleset="tctt-core", ruleset_version="2026.11.1", tool_version="0.1.0",
                              registry="registry.csv", audit_date="2026-11-05", options={}, agencies=agencies)
    # so-a: audited with mixed findings, including hostile portal content
    store.set_agency_result(run_id, "so-a", status="audited", detail="", http_status=200,
                            section_url="https://so-a.gov.vn/tiep-can-thong-tin", section_confidence=0.82,
                            pages=12)
    store.add_candidates(run_id, "so-a", [
        {"url": "https://so-a.gov.vn/tiep-can-thong-tin", "anchor": "Tiếp cận thông tin", "link_score": 0.9,
         "content_score": 0.75, "confidence": 0.82, "chosen": 1, "reasons": ["anchor khớp", "có biểu mẫu"]},
        {"url": JS_URL, "anchor": XSS, "link_score": 0.2, "content_score": 0.1, "confidence": 0.1,
         "chosen": 0, "reasons": [XSS]},
    ])
    store.replace_findings(run_id, "so-a", [
        _finding("section-exists", "pass", 3, 3, cls="essential"),
        _finding("focal-point", "fail", 0, 3, cls="essential",
                 title={"vi": XSS, "en": XSS}, failure_title={"vi": XSS + " chưa đạt", "en": XSS},
                 evidence=[{"url": JS_URL, "excerpt": XSS, "fetched_at": "2026-11-05T03:04:05+00:00"},
                           {"url": "https://so-a.gov.vn/lien-he?a=1&b=2", "excerpt": "Liên hệ",
                            "fetched_at": "2026-11-05T03:05:00+00:00"}]),
        _finding("request-forms", "partial", 1, 2, message={"vi": "=HYPERLINK(\"x\")", "en": "+1"}),
        _finding("conditional-catalogue", "manual", 0, 0, cls="recommended"),
    ], score=50.0, band="D")
    # so-b: audited, all pass
    store.set_agency_result(run_id, "so-b", status="audited", detail="", http_status=200,
                            section_url="https://so-b.gov.vn/tctt", section_confidence=0.95, pages=8)
    store.replace_findings(run_id, "so-b", [
        _finding("section-exists", "pass", 3, 3, cls="essential"),
        _finding("focal-point", "pass", 3, 3, cls="essential"),
    ], score=100.0, band="A")
    # xa/c: unreachable; so-d: blocked
    store.set_agency_result(run_id, "xa/c", status="unreachable", detail="DNS lookup failed", pages=0)
    store.set_agency_result(run_id, "so-d", status="blocked", detail="HTTP 403 (WAF)", http_status=403, pages=1)
    if finish:
        store.finish_run(run_id, finish)
    return store, run_id


@pytest.fixture
def store_run(tmp_path):
    store, run_id = make_store(tmp_path)
    yield store, run_id
    store.close()


@pytest.fixture
def model(store_run):
    store, run_id = store_run
    return build_run_model(store, run_id, bands=BANDS)


# --- model and JSON -----------------------------------------------------------------------------
RUN_KEYS = {"id", "started_at", "finished_at", "status", "audit_date", "ruleset", "ruleset_version",
            "tool_version", "agencies_total", "agencies_audited", "average_score", "regime"}
AGENCY_KEYS = {"id", "name", "url", "level", "province", "email", "status", "status_detail", "score", "band",
               "band_label", "section", "section_status", "candidates", "findings"}
FINDING_KEYS = {"rule", "status", "score", "max_score", "class", "title", "message", "legal_basis",
                "evidence", "how_to_fix", "covers"}


def test_json_shape(model):
    data = json.loads(export_json(model))
    assert set(data) == {"run", "agencies"}
    assert set(data["run"]) == RUN_KEYS
    assert [a["id"] for a in data["agencies"]] == ["so-a", "so-b", "xa/c", "so-d"]  # registry order
    for agency in data["agencies"]:
        assert set(agency) == AGENCY_KEYS
        assert agency["section"] is None or set(agency["section"]) == {"url", "confidence"}
        for finding in agency["findings"]:
            assert set(finding) == FINDING_KEYS
            for item in finding["evidence"]:
                # warc_record: the archived response the entry cites (null when the page was not archived)
                assert set(item) == {"url", "excerpt", "fetched_at", "warc_record"}
            for key in ("title", "message", "how_to_fix"):
                assert isinstance(finding[key], str)
    a = data["agencies"][0]
    assert a["section"] == {"url": "https://so-a.gov.vn/tiep-can-thong-tin", "confidence": 0.82}
    assert a["band"] == "D" and a["band_label"] == "Trung bình"
    assert a["candidates"][0]["chosen"] is True and a["candidates"][0]["reasons"] == ["anchor khớp", "có biểu mẫu"]
    by_rule = {f["rule"]: f for f in a["findings"]}
    assert by_rule["section-exists"]["title"] == "Tiêu chí section-exists đạt"
    # A partial finding keeps the rule's title (the status label says "partly"); only a fail is titled as a failure.
    assert by_rule["request-forms"]["title"] == "Tiêu chí request-forms đạt"
    assert by_rule["request-forms"]["how_to_fix"] == "Cách sửa request-forms"
    assert by_rule["section-exists"]["legal_basis"][0]["citation"] == "Điều 11 khoản 1 Nghị định 13/2018/NĐ-CP"
    assert by_rule["section-exists"]["legal_basis"][1]["provisional"] is True
    assert by_rule["section-exists"]["covers"] == ["TCTT-11"]
    unreachable = data["agencies"][2]
    assert unreachable["status"] == "unreachable" and unreachable["status_detail"] == "DNS lookup failed"
    assert unreachable["score"] is None and unreachable["band"] is None and unreachable["section"] is None


def test_average_excludes_unaudited(model):
    run = model["run"]
    assert run["agencies_total"] == 4
    assert run["agencies_audited"] == 2
    assert run["average_score"] == 75.0  # (50 + 100) / 2, the unreachable and blocked are not zeros
    assert run["status"] == "complete" and run["ruleset"] == "tctt-core"


def test_average_is_null_without_audited_agencies(tmp_path):
    store = Store(tmp_path / "x.db")
    run_id = store.create_run(ruleset="tctt-core", ruleset_version="1", tool_version="0", registry="r",
                              audit_date="2026-11-05", options={},
                              agencies=[{"id": "a", "name": "A", "url": "https://a.gov.vn", "line": 1}])
    store.set_agency_result(run_id, "a", status="blocked", detail="captcha")
    data = json.loads(export_json(build_run_model(store, run_id, bands=BANDS)))
    assert data["run"]["average_score"] is None and data["run"]["agencies_audited"] == 0


def test_english_model(store_run):
    store, run_id = store_run
    model = build_run_model(store, run_id, bands=BANDS, lang="en")
    a = model["agencies"][0]
    assert a["band_label"] == "Intermediate"
    assert a["findings"][0]["message"] == "Message section-exists"
    assert a["findings"][1]["how_to_fix"] == "How to fix focal-point"


# --- CSV --------------------------------------------------------------------------------------
def test_csv_rows_and_formula_neutralisation(model):
    rows = list(csv.DictReader(io.StringIO(export_csv(model))))
    assert list(rows[0]) == ["run_id", "agency_id", "agency_name", "agency_status", "agency_score", "band",
                             "rule", "finding_status", "score", "max_score", "message", "evidence_url",
                             "legal_basis"]
    assert len(rows) == 4 + 2 + 1 + 1  # so-a × 4 findings, so-b × 2, one row each for the unaudited
    forms = next(r for r in rows if r["rule"] == "request-forms")
    assert forms["message"] == "'=HYPERLINK(\"x\")"
    blocked = next(r for r in rows if r["agency_id"] == "so-d")
    assert blocked["agency_name"] == "'=Sở D"
    assert blocked["agency_status"] == "blocked" and blocked["rule"] == "" and blocked["agency_score"] == ""
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    en_rows = list(csv.DictReader(io.StringIO(export_csv(
        {**model, "agencies": [{**model["agencies"][0], "findings": [
            {**model["agencies"][0]["findings"][2], "message": "+1", "rule": "-x", "status": "@y"}]}]}))))
    assert en_rows[0]["message"] == "'+1" and en_rows[0]["rule"] == "'-x" and en_rows[0]["finding_status"] == "'@y"


# --- HTML -------------------------------------------------------------------------------------
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_one_page_per_agency(model, tmp_path):
    index = render_site(model, tmp_path / "site")
    assert index == tmp_path / "site" / "index.html"
    pages = sorted(p.name for p in (tmp_path / "site" / "agencies").glob("*.html"))
    assert pages == sorted(["so-a.html", "so-b.html", "xa-c.html", "so-d.html"])
    text = _read(index)
    for name in ("agencies/so-a.html", "agencies/so-b.html", "agencies/xa-c.html", "agencies/so-d.html"):
        assert f'href="{name}"' in text


def test_escaping_and_unsafe_urls(model, tmp_path):
    render_site(model, tmp_path / "site")
    page = _read(tmp_path / "site" / "agencies" / "so-a.html")
    index = _read(tmp_path / "site" / "index.html")
    for text in (page, index):
        assert "<script" not in text
        assert 'href="javascript' not in text.lower()
        assert "<b>" not in text  # the agency name "Sở A <b>"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; chưa đạt" in page  # the finding's (failure) title
    assert "<blockquote class=\"excerpt\">&lt;script&gt;alert(1)&lt;/script&gt;</blockquote>" in page
    assert "Sở A &lt;b&gt;" in index
    assert JS_URL in page  # shown as text ...
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert all(h.startswith(("https://", "http://", "../", "#")) for h in hrefs), hrefs  # ... never linked
    assert 'href="https://so-a.gov.vn/lien-he?a=1&amp;b=2"' in page


def test_no_external_resources(model, tmp_path):
    render_site(model, tmp_path / "site")
    for path in (tmp_path / "site").rglob("*.html"):
        text = _read(path)
        assert "<script" not in text
        assert not re.search(r'<(link|img|iframe)\b[^>]*(src|href)="https?:', text)
        assert "@import" not in text and "url(" not in text
        assert "<style>" in text and "@media print" in text


def test_incomplete_run_warning(tmp_path):
    store, run_id = make_store(tmp_path, finish="incomplete")
    model = build_run_model(store, run_id, bands=BANDS)
    render_site(model, tmp_path / "site")
    assert "Lượt kiểm tra chưa hoàn tất" in _read(tmp_path / "site" / "index.html")
    assert "Lượt kiểm tra chưa hoàn tất" in _read(tmp_path / "site" / "agencies" / "so-a.html")
    en = build_run_model(store, run_id, bands=BANDS, lang="en")
    render_site(en, tmp_path / "en", lang="en")
    assert "Incomplete run" in _read(tmp_path / "en" / "index.html")
    store.close()


def test_running_run_is_incomplete_and_complete_run_is_not(tmp_path, model):
    render_site(model, tmp_path / "done")
    assert "chưa hoàn tất" not in _read(tmp_path / "done" / "index.html")
    store, run_id = make_store(tmp_path / "r", finish=None)
    render_site(build_run_model(store, run_id, bands=BANDS), tmp_path / "running")
    assert "Lượt kiểm tra chưa hoàn tất" in _read(tmp_path / "running" / "index.html")
    store.close()


def test_vietnamese_labels(model, tmp_path):
    render_site(model, tmp_path / "site")
    index = _read(tmp_path / "site" / "index.html")
    assert '<html lang="vi">' in index
    for label in ("Đã kiểm tra", "Không truy cập được", "Bị chặn", "Trung bình",
                  "DNS lookup failed", "HTTP 403 (WAF)", "Điểm trung bình", "75"):
        assert label in index
    page = html.unescape(_read(tmp_path / "site" / "agencies" / "so-a.html"))
    for label in ("Tiêu chí", "Điểm tối đa", "Điểm đạt", "Kết quả", "Bằng chứng", "Căn cứ pháp lý",
                  "Cách khắc phục", "Đạt", "Không đạt", "Đạt một phần", "Cần kiểm tra thủ công",
                  "tạm thời – chưa đối chiếu Công báo", "Các ứng viên đã xem xét", "Cách sửa focal-point",
                  "Điều 11 khoản 1 Nghị định 13/2018/NĐ-CP", "05/11/2026 10:04:05 (UTC+7)", "82%"):
        assert label in page, label
    assert page.count("tạm thời – chưa đối chiếu Công báo") == 4  # once per provisional basis, not twice
    assert "Cách sửa section-exists" not in page  # how to fix is only shown for non-pass
    unreachable = html.unescape(_read(tmp_path / "site" / "agencies" / "xa-c.html"))
    assert "Không truy cập được" in unreachable and "DNS lookup failed" in unreachable
    assert "Vì sao không có điểm" in unreachable and "Bảng chấm điểm" not in unreachable


def test_english_labels(store_run, tmp_path):
    store, run_id = store_run
    model = build_run_model(store, run_id, bands=BANDS, lang="en")
    render_site(model, tmp_path / "en", lang="en")
    index = _read(tmp_path / "en" / "index.html")
    assert '<html lang="en">' in index
    for label in ("Audited", "Unreachable", "Blocked", "Average score", "Intermediate"):
        assert label in index
    assert "Đã kiểm tra" not in index and "Không truy cập được" not in index
    page = html.unescape(_read(tmp_path / "en" / "agencies" / "so-a.html"))
    for label in ("Criterion", "Maximum points", "Points achieved", "Evidence", "Legal basis", "How to fix",
                  "Pass", "Fail", "Partial", "Needs manual review", "Candidates considered",
                  "provisional – not yet checked against the Official Gazette"):
        assert label in page, label
    with pytest.raises(ValueError):
        render_site(model, tmp_path / "mixed", lang="vi")


def test_accessible_tables(model, tmp_path):
    render_site(model, tmp_path / "site")
    page = _read(tmp_path / "site" / "agencies" / "so-a.html")
    assert '<th scope="col">' in page and '<th scope="row">' in page and "<caption>" in page
    assert "tctt-core" in page and "2026.11.1" in page and "0.1.0" in page  # footer


def test_filenames_are_safe_and_unique():
    assert safe_filename("../../etc/passwd") == "etc-passwd"
    assert safe_filename("Sở Tư pháp") == "so-tu-phap"
    assert safe_filename("con") == "agency-con"
    assert safe_filename("") == "agency"
    names = agency_filenames([{"id": "a/b"}, {"id": "a-b"}, {"id": "A-B"}])
    assert len(set(names.values())) == 3


def test_is_http_url():
    assert is_http_url("https://so-a.gov.vn/x?y=1")
    assert is_http_url("HTTP://so-a.gov.vn")
    for bad in (JS_URL, " javascript:alert(1)", "java\tscript:alert(1)", "data:text/html,x", "//evil.com",
                "https://", " https://a.vn", "https://a.vn/\nx", None, ""):
        assert not is_http_url(bad), bad


def test_titles_follow_status(model):
    by_rule = {f["rule"]: f for f in model["agencies"][0]["findings"]}
    assert by_rule["focal-point"]["title"] == XSS + " chưa đạt"  # fail → failure_title
    # manual (like not_applicable and error) keeps the rule's title: the auditor established no failure
    assert by_rule["conditional-catalogue"]["title"] == "Tiêu chí conditional-catalogue đạt"


def test_section_not_found_and_missing_result(tmp_path):
    store, run_id = make_store(tmp_path, finish="incomplete")
    store.set_agency_result(run_id, "so-b", section_url=None, section_confidence=None)
    store.db["agencies"].insert({"run_id": run_id, "id": "xa-e", "name": "Xã E", "level": "commune",
                                 "url": "https://xa-e.gov.vn", "line": 9})
    model = build_run_model(store, "latest", bands=BANDS)
    by_id = {a["id"]: a for a in model["agencies"]}
    assert by_id["so-b"]["section"] is None
    assert by_id["xa-e"]["status"] == "error" and by_id["xa-e"]["score"] is None
    assert "Chưa có kết quả" in by_id["xa-e"]["status_detail"]
    assert model["run"]["average_score"] == 75.0
    render_site(model, tmp_path / "site")
    index = _read(tmp_path / "site" / "index.html")
    assert "không tìm thấy" in index and "agencies/xa-e.html" in index
    store.close()
