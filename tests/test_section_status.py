"""The section's status (found / unsure / absent), the inspector's decision on it, and the thresholds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditors.runner import score_run
from core import sectionstatus
from core.sectionstatus import Thresholds, judge
from core.store import Store
from crawler.classify import detect
from crawler.htmlpage import parse_html
from farms.gold.thresholds import choose, sweep
from reports.model import build_run_model
from rules import load_ruleset
from tctt import stages
from tctt.cli import main

LIMITS = Thresholds(found=0.5, absent=0.4)
BASE = "https://xa-thu.gov.vn"

CANDIDATE_HTML = """<html><head><title>Công khai minh bạch</title></head><body><main>
<h1>Công khai minh bạch</h1>
<p>Trang tổng hợp các văn bản công khai của xã.</p>
<ul><li><a href="/van-ban/ke-hoach-2024.pdf">Kế hoạch năm 2024</a></li></ul>
</main></body></html>"""

HOME_HTML = """<html><head><title>UBND xã Thử</title></head><body><nav><a href="/cong-khai">Công khai minh bạch</a>
</nav><main><p>Tin tức</p></main></body></html>"""


def _page(run_id: int, agency: str, path: str, html: str, kind: str = "page", depth: int = 1) -> dict:
    url = BASE + path
    parsed = parse_html(html.encode(), url)
    return {"run_id": run_id, "agency_id": agency, "url": url, "final_url": url, "status": 200, "kind": kind,
            "depth": depth, "title": parsed.title, "text": parsed.text, "links": parsed.links,
            "tables": parsed.tables, "structure": parsed.structure,
            "signals": detect(parsed.title, parsed.structure, parsed.text, url), "fetched_at": "2026-12-01T01:00:00+00:00"}


def _unsure_store(tmp_path: Path, confidence: float = 0.45) -> tuple[Store, int]:
    store = Store(tmp_path / "tctt.db")
    agency = {"id": "xa-thu", "name": "UBND xã Thử", "level": "commune", "parent": "", "province": "Tỉnh Thử",
              "url": BASE, "email": "vp@xa-thu.gov.vn", "section_url": None, "line": 2}
    run_id = store.create_run(ruleset="tctt-core", ruleset_version="x", tool_version="0", registry="r.csv",
                              audit_date="2026-12-01", options={}, agencies=[agency])
    store.add_page(_page(run_id, "xa-thu", "/", HOME_HTML, kind="home", depth=0))
    store.add_page(_page(run_id, "xa-thu", "/cong-khai", CANDIDATE_HTML))
    store.set_agency_result(run_id, "xa-thu", status="audited", detail="", http_status=200, section_url=None,
                            section_confidence=None, pages=2)
    store.add_candidates(run_id, "xa-thu", [
        {"url": BASE + "/cong-khai", "anchor": "Công khai minh bạch", "link_score": 0.3, "content_score": 0.5,
         "confidence": confidence, "chosen": 0, "reasons": ["menu: landing page"]}])
    store.finish_run(run_id)
    return store, run_id


# --- thresholds ------------------------------------------------------------------------------------
def test_thresholds_split_confidence_in_three():
    assert [LIMITS.status(c) for c in (0.9, 0.5, 0.45, 0.4, 0.39, None)] == [
        "found", "found", "unsure", "unsure", "absent", "absent"]


def test_stored_thresholds_are_what_the_rule_chooses_from_the_stored_measurement():
    data = json.loads(sectionstatus.THRESHOLDS_FILE.read_text(encoding="utf-8"))
    measured = data["measurement"]
    assert measured["gold"]["sections"] > 50 and measured["real_pages"]["pages"] >= 40
    chosen = choose(measured["positives"], measured["negatives"])
    assert (chosen["found"], chosen["absent"]) == (data["found"], data["absent"])
    assert 0 <= data["absent"] <= data["found"] <= 1
    assert sectionstatus.thresholds() == Thresholds(data["found"], data["absent"])


def test_choose_encloses_the_gap_when_the_data_separate():
    chosen = choose([0.7, 0.9, 0.95], [0.1, 0.21, 0.33])
    assert chosen["absent"] == 0.35 and chosen["found"] == 0.5
    # A strong confusable (a tag archive linking to the section) raises "found" above it; the most
    # section-like confusables fall between the thresholds, for an inspector.
    strong = choose([0.7, 0.9], [0.1] * 40 + [0.2, 0.513])
    assert strong["found"] == 0.55 and strong["absent"] == 0.15
    # A measured section below the rule's minimum, and no non-section near it: found is lowered to keep it.
    lowered = choose([0.46, 0.9], [0.1, 0.33])
    assert lowered["absent"] == 0.35 and lowered["found"] == 0.45
    # ... but never under "absent".
    for positives, negatives in (([0.38, 0.9], [0.1, 0.36]), ([0.41, 0.8], [0.4]), ([0.99], [0.01])):
        tight = choose(positives, negatives)
        # On the measured data: no section absent, no non-section found.
        assert min(positives) >= tight["absent"] and max(negatives) < tight["found"], (positives, negatives, tight)


def test_choose_limits_false_absent_when_the_data_overlap():
    positives = [0.3] + [0.8] * 199          # one section in 200 scored low
    negatives = [0.1] * 50 + [0.55] * 2       # two confusables scored high
    chosen = choose(positives, negatives)
    # At most 1 % of sections below "absent"; "found" where its precision is at least 98 %.
    assert chosen["absent"] <= 0.3 + 1e-9 or sum(c < chosen["absent"] for c in positives) / len(positives) <= 0.01
    row = next(r for r in sweep(positives, negatives) if r["threshold"] == chosen["found"])
    assert row["precision"] >= 0.98 and chosen["absent"] <= chosen["found"]


# --- the verdict and the inspector's decisions -----------------------------------------------------
CANDIDATES = [{"url": "https://a.gov.vn/x", "confidence": 0.45}, {"url": "https://a.gov.vn/y", "confidence": 0.2}]


def test_between_the_thresholds_the_section_is_unsure():
    verdict = judge(CANDIDATES, limits=LIMITS)
    assert verdict.status == "unsure" and verdict.url == "https://a.gov.vn/x"


def test_a_confirmed_candidate_is_the_section_and_a_rejected_one_is_left_out():
    confirmed = judge(CANDIDATES, [{"url": "https://a.gov.vn/x/", "verdict": "confirmed"}], LIMITS)
    assert confirmed.status == "found" and confirmed.decision["verdict"] == "confirmed"
    rejected = judge(CANDIDATES, [{"url": "https://a.gov.vn/x", "verdict": "rejected"}], LIMITS)
    assert rejected.status == "absent" and rejected.url is None and rejected.rejected == ["https://a.gov.vn/x"]
    # The last word on a URL counts.
    changed = judge(CANDIDATES, [{"url": "https://a.gov.vn/x", "verdict": "rejected"},
                                 {"url": "https://a.gov.vn/x", "verdict": "confirmed"}], LIMITS)
    assert changed.status == "found"


# --- end to end through the store, the scorer, the report and the command line ----------------------
def test_an_unsure_section_is_manual_weighs_nothing_and_fails_nothing_that_depends_on_it(tmp_path: Path):
    store, run_id = _unsure_store(tmp_path)
    ruleset = load_ruleset()
    score_run(store, ruleset, run_id)
    findings = {f["rule_id"]: f for f in store.findings(run_id, "xa-thu")}
    section = findings["section-exists"]
    assert section["status"] == "manual" and section["max_score"] == 0
    assert "cần thanh tra viên xác nhận" in section["message"]["vi"].lower()
    assert section["evidence"][0]["url"] == BASE + "/cong-khai"
    assert section["details"]["section_status"] == "unsure"
    # Every finding that looked at the section's pages and found a gap awaits the inspector, weighing 0.
    dependent = [f for f in findings.values() if f["details"].get("section_unsure")]
    assert dependent, "the section's gaps must be reported as awaiting the inspector"
    assert all(f["status"] == "manual" and f["max_score"] == 0 for f in dependent)
    for rule_id in ("focal-point", "request-forms", "public-catalogue"):
        assert findings[rule_id]["status"] not in ("fail", "partial"), rule_id
    model = build_run_model(store, run_id, bands=ruleset.bands)
    assert model["summary"]["awaiting_review"] == 1
    assert model["agencies"][0]["section_status"] == "unsure"
    assert "sections awaiting an inspector: 1" in stages.summary(model)
    from reports.html import render_site

    index = render_site(model, tmp_path / "site").read_text(encoding="utf-8")
    assert "Số cơ quan chờ thanh tra viên xác nhận Chuyên mục" in index and "UBND xã Thử" in index
    store.close()


def test_the_inspector_settles_the_section_for_this_and_later_runs(tmp_path: Path, capsys):
    store, run_id = _unsure_store(tmp_path)
    store.close()
    db = str(tmp_path / "tctt.db")
    code = main(["decide", "section", "--db", db, "--agency", "xa-thu", "--url", BASE + "/cong-khai",
                 "--as", "confirmed", "--reason", "Trang này là Chuyên mục (đã xem ngày 02/12)",
                 "--inspector", "Trần Văn B"])
    assert code == 0 and "section decision recorded" in capsys.readouterr().out
    assert main(["decide", "list", "--db", db]) == 0
    assert "section #1 xa-thu confirmed" in capsys.readouterr().out
    store = Store(db)
    ruleset = load_ruleset()
    score_run(store, ruleset, run_id)
    findings = {f["rule_id"]: f for f in store.findings(run_id, "xa-thu")}
    assert findings["section-exists"]["status"] == "pass"
    assert "Trần Văn B" in findings["section-exists"]["message"]["vi"]
    # Now the section is settled, its gaps are real failures again.
    assert not any(f["details"].get("section_unsure") for f in findings.values())
    assert findings["focal-point"]["status"] == "fail"
    store.close()


def test_a_rejected_candidate_leaves_no_section(tmp_path: Path):
    store, run_id = _unsure_store(tmp_path)
    sectionstatus.record(store, agency_id="xa-thu", url=BASE + "/cong-khai", verdict="rejected",
                         reason="Trang tổng hợp văn bản, không phải Chuyên mục", inspector="Lê C")
    score_run(store, load_ruleset(), run_id)
    findings = {f["rule_id"]: f for f in store.findings(run_id, "xa-thu")}
    assert findings["section-exists"]["status"] == "fail"
    assert findings["section-exists"]["details"]["section_status"] == "absent"
    store.close()


def test_a_decision_on_an_unknown_candidate_is_refused_with_exit_2(tmp_path: Path, capsys):
    store, _ = _unsure_store(tmp_path)
    store.close()
    code = main(["decide", "section", "--db", str(tmp_path / "tctt.db"), "--agency", "xa-thu",
                 "--url", BASE + "/khong-co", "--as", "confirmed", "--reason", "x", "--inspector", "y"])
    err = capsys.readouterr().err
    assert code == 2 and "không phải ứng viên" in err and "is not a section candidate" in err


def test_decisions_hold_in_a_later_run_while_the_candidate_is_still_there(tmp_path: Path):
    store, run_id = _unsure_store(tmp_path)
    sectionstatus.record(store, agency_id="xa-thu", url=BASE + "/cong-khai", verdict="confirmed",
                         reason="đúng Chuyên mục", inspector="Lê C")
    agency = store.agencies(run_id)[0]
    later = store.create_run(ruleset="tctt-core", ruleset_version="x", tool_version="0", registry="r.csv",
                             audit_date="2026-12-08", options={}, agencies=[agency])
    store.add_page(_page(later, "xa-thu", "/", HOME_HTML, kind="home", depth=0))
    store.add_page(_page(later, "xa-thu", "/cong-khai", CANDIDATE_HTML))
    store.set_agency_result(later, "xa-thu", status="audited", detail="", http_status=200, section_url=None,
                            section_confidence=None, pages=2)
    store.add_candidates(later, "xa-thu", [{"url": BASE + "/cong-khai", "anchor": "Công khai", "link_score": 0.3,
                                            "content_score": 0.5, "confidence": 0.44, "chosen": 0, "reasons": []}])
    score_run(store, load_ruleset(), later)
    assert {f["rule_id"]: f for f in store.findings(later, "xa-thu")}["section-exists"]["status"] == "pass"
    store.close()


@pytest.mark.parametrize("where,status", [("below", "fail"), ("between", "manual"), ("above", "pass")])
def test_below_absent_is_a_failure_and_between_is_manual(tmp_path: Path, where: str, status: str):
    limits = sectionstatus.thresholds()
    confidence = {"below": limits.absent - 0.01, "between": (limits.absent + limits.found) / 2,
                  "above": limits.found}[where]
    store, run_id = _unsure_store(tmp_path, confidence)
    if where == "above":  # the crawler chose it: the result names the section
        store.set_agency_result(run_id, "xa-thu", section_url=BASE + "/cong-khai", section_confidence=confidence)
    score_run(store, load_ruleset(), run_id)
    assert {f["rule_id"]: f for f in store.findings(run_id, "xa-thu")}["section-exists"]["status"] == status
    store.close()


def test_an_unsure_section_is_not_mailed_as_a_failure(tmp_path: Path):
    from core.config import Config
    from tctt.mail import compose_run

    store, run_id = _unsure_store(tmp_path)
    score_run(store, load_ruleset(), run_id)
    [item] = compose_run(store, Config(mail_from="Sở Tư pháp <stp@tinh.gov.vn>", persistence_runs=1), run_id)
    store.close()
    assert "CHỜ XÁC NHẬN CHUYÊN MỤC" in item.text and "Section awaiting confirmation" in item.html
    # Neither the section nor anything judged on the candidate page is listed as a gap to fix.
    gaps = item.text.split("NỘI DUNG CẦN KHẮC PHỤC", 1)[1]
    assert "Không tìm thấy Chuyên mục" not in gaps and "Chuyên mục không nêu đầu mối" not in gaps
    assert "thanh tra viên" in item.text
