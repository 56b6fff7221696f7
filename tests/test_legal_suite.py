"""The legal test suite: every rule judged on a day of each regime (and agency level) gives the status and
cites the bases written down in its samples; no message names an article the rule's bases in force do not
list; the auditors read the section's words from the one vocabulary."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from auditors import AUDITORS
from auditors.samples import load_legal, load_samples, run_case
from core.registry import LEVELS as REGISTRY_LEVELS
from rules import apply_overlay, load_ruleset
from rules.schema import LEVELS
from tctt.cli import main

ROOT = Path(__file__).resolve().parents[1]
RULESET = load_ruleset(known_auditors=set(AUDITORS))
SAMPLES = load_samples(RULESET.path)
LEGAL = load_legal(RULESET.path)
REGIMES = {"before 01/7/2026": (date(2018, 7, 1), date(2026, 6, 30)),
           "01/7-31/8/2026": (date(2026, 7, 1), date(2026, 8, 31)),
           "from 01/9/2026": (date(2026, 9, 1), date(2027, 3, 1)),
           "after 01/3/2027": (date(2027, 3, 2), date(2100, 1, 1))}


def _case(sample):
    [case] = [c for c in SAMPLES[sample.rule_id] if c.name == sample.case]
    return replace(case, audit_date=sample.date, level=sample.level or case.level)


@pytest.mark.parametrize("sample", LEGAL, ids=[f"{s.rule_id}-{s.case}-{s.date}-{s.level or ''}" for s in LEGAL])
def test_legal_sample_gives_its_status_and_cites_its_bases(sample):
    finding = run_case(RULESET, RULESET.rule(sample.rule_id), _case(sample))
    assert finding["status"] == sample.expect, finding["message"]["vi"]
    cited = sorted(b["key"] for b in finding["legal_basis"]) if finding["status"] != "not_applicable" else []
    assert cited == sorted(sample.cites), finding["message"]["vi"]


def test_every_rule_has_legal_samples_in_every_regime():
    for rule in RULESET.rules:
        days = [s.date for s in LEGAL if s.rule_id == rule.id]
        for name, (start, end) in REGIMES.items():
            assert any(start <= day <= end for day in days), (rule.id, name)


_CITED = re.compile(r"Điều (\d+)(?: khoản (\d+))?(?: điểm ([a-zđ]))? (Luật [^;(),]*?\d+/\d{4}/QH\d+|Nghị định \d+/\d{4}/NĐ-CP)")


@pytest.mark.parametrize("rule", RULESET.rules, ids=[r.id for r in RULESET.rules])
def test_messages_cite_only_bases_in_force(rule):
    """A citation naming an article in a finding's message must be a basis of the rule in force that day."""
    for case in SAMPLES.get(rule.id, []):
        for day in (date(2026, 6, 15), date(2026, 7, 15), date(2026, 10, 1), date(2027, 3, 2)):
            for level in ("ministry", "province", "department", "commune"):
                finding = run_case(RULESET, rule, replace(case, audit_date=day, level=level))
                allowed = {(b["article"], b.get("clause") or None, b.get("point") or None, b["instrument"])
                           for b in rule.bases_in_force(day, level)}
                guidance = json.dumps(rule.when_no_criteria or {}, ensure_ascii=False)
                for article, clause, point, instrument in _CITED.findall(finding["message"]["vi"]):
                    key = (article, clause or None, point or None, instrument)
                    # The no-criteria guidance may name the provision that no longer requires the check.
                    if f"Điều {article}" in guidance and instrument.split()[-1] in guidance:
                        continue
                    assert key in allowed, (rule.id, case.name, day, level, finding["message"]["vi"])


def test_review_examples():
    """The legal review's examples, each on the date it was reproduced."""
    def judge(rule_id, case_name, day, level="department"):
        [case] = [c for c in SAMPLES[rule_id] if c.name == case_name]
        return run_case(RULESET, RULESET.rule(rule_id), replace(case, audit_date=day, level=level))
    oct1 = date(2026, 10, 1)
    # No search box is no failure once Decree 42/2022 has lapsed (Decree 224 Điều 11 k6 binds only the ministry).
    assert judge("site-search", "fail", oct1)["status"] == "not_applicable"
    assert judge("site-search", "fail", date(2026, 7, 1))["status"] == "not_applicable"
    # A focal unit with address, phone and e-mail is complete after Decree 42/2022; the address is checked.
    unit = judge("focal-point-details", "unit_only", oct1, "commune")
    assert unit["status"] == "pass" and unit["details"]["address"]
    # The five contents are not demanded, nor Law 104/2016 cited, after that law ended.
    contents = judge("regulation-contents", "fail", oct1)
    assert contents["status"] == "manual" and "104/2016" not in json.dumps(contents["legal_basis"], ensure_ascii=False)
    # The conditional catalogue is drawn up, not published: its absence is not a national failure.
    assert judge("conditional-catalogue", "fail", oct1)["status"] == "manual"
    # The press regulation is not the access-to-information regulation; look-alikes are not portal items.
    assert judge("internal-regulation", "press_regulation", oct1)["status"] == "fail"
    for rule_id, case in (("financial-statistics", "visitor_counter"), ("satisfaction-rating", "photo_vote"),
                          ("public-investment", "draft_law"), ("subordinate-portals", "news_column"),
                          ("law-dissemination", "election")):
        assert judge(rule_id, case, oct1)["status"] == "fail", (rule_id, case)
    # Subordinate portals are not asked of a commune.
    assert judge("subordinate-portals", "fail", oct1, "commune")["status"] == "not_applicable"
    # Decree 224 Điều 9 k1 b for a department, c for a commune.
    org = judge("organisation-info", "pass", oct1)
    assert "224-2026-d9-k1-b" in {b["key"] for b in org["legal_basis"]}
    org = judge("organisation-info", "commune_profile", oct1, "commune")
    assert {b["key"] for b in org["legal_basis"]} >= {"224-2026-d9-k1-c"} and "224-2026-d9-k1-b" not in {
        b["key"] for b in org["legal_basis"]}
    # The channel list has no transition; budget disclosure weighs as mandatory from 01/9/2026.
    assert judge("channels-list", "fail", oct1)["status"] == "fail"
    assert judge("budget-disclosure", "fail", date(2026, 8, 31))["class"] == "recommended"
    assert judge("budget-disclosure", "fail", oct1)["class"] == "mandatory"
    assert judge("budget-disclosure", "fail", oct1)["max_score"] == RULESET.classes["mandatory"]


def test_a_missing_section_cites_only_the_provisions_that_ask_for_a_section():
    """No section found: the findings that blame the missing section cite Decree 13/2018, not the laws
    that only ask for publication; the focal point's contacts are looked for on the whole portal."""
    [case] = [c for c in SAMPLES["section-exists"] if c.name == "fail"]
    for day in (date(2026, 6, 15), date(2026, 10, 1)):
        blamed = 0
        for rule in RULESET.rules:
            finding = run_case(RULESET, rule, replace(case, audit_date=day))
            if finding["details"].get("no_section"):
                blamed += 1
                assert {b["instrument"] for b in finding["legal_basis"]} == {"Nghị định 13/2018/NĐ-CP"}, rule.id
            if rule.id == "focal-point-details":
                assert not finding["details"].get("no_section")
        assert blamed >= 8, blamed


def test_regulation_under_either_title_is_one_document_for_both_rules():
    """A page headed "Quy chế tổ chức tiếp cận thông tin" stating all five contents: both rules agree."""
    [case] = [c for c in SAMPLES["regulation-contents"] if c.name == "pass"]
    page = {"url": "/quy-che", "kind": "page", "html": (
        '<html lang="vi"><head><title>Quy chế tổ chức tiếp cận thông tin</title></head><body><div class="content">'
        "<h1>Quy chế tổ chức tiếp cận thông tin</h1><p>Điều 1. Đơn vị đầu mối cung cấp thông tin là Văn phòng Sở.</p>"
        "<p>Điều 2. Việc chuyển giao thông tin giữa các phòng được thực hiện trong 02 ngày.</p>"
        "<p>Điều 3. Phân loại thông tin phải được công khai và thông tin cung cấp theo yêu cầu.</p>"
        "<p>Điều 4. Cập nhật thông tin vào Danh mục hằng tháng.</p>"
        "<p>Điều 5. Trình tự, thủ tục tiếp nhận, xử lý yêu cầu cung cấp thông tin theo Mẫu số 01a.</p>"
        + "<p>Các phòng, đơn vị thực hiện nghiêm túc Quy chế này.</p>" * 4 + "</div></body></html>")}
    evidence_case = replace(case, pages=[page], section=None, audit_date=date(2026, 6, 15))
    published = run_case(RULESET, RULESET.rule("internal-regulation"), evidence_case)
    contents = run_case(RULESET, RULESET.rule("regulation-contents"), evidence_case)
    assert published["status"] == "pass" and contents["status"] == "pass", (published["message"], contents["message"])


_VOCABULARY = ("quy che", "dau moi", "danh muc thong tin", "co dieu kien", "phieu yeu cau", "yeu cau cung cap",
               "phat ngon", "cung cap thong tin", "tiep can thong tin")


def test_auditors_use_the_one_vocabulary():
    """No auditor compiles its own pattern for the section's words: they live in core/markers.py."""
    offenders = []
    for path in sorted((ROOT / "auditors").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args:
                literal = node.args[0]
                if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                    offenders += [f"{path.name}:{node.lineno}: {word}" for word in _VOCABULARY if word in literal.value]
    assert not offenders, offenders


def test_every_rule_states_its_limits_and_titles_cite_no_article():
    """The reference gives each rule's known limits; titles and the "how to fix" text carry no article of
    their own (the finding's citations come from the bases in force)."""
    for rule in RULESET.rules:
        assert rule.limits and rule.limits["vi"] and rule.limits["en"], rule.id
        for text in (rule.title, rule.failure_title, rule.description):
            assert not re.search(r"Điều \d|Article \d|Art\. \d", text["vi"] + text["en"]), rule.id


def test_levels_are_the_registry_levels():
    assert list(LEVELS) == list(REGISTRY_LEVELS)


def test_rules_list_json_shows_every_basis_with_dates_and_levels(capsys):
    assert main(["rules", "list", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {row["id"]: row for row in data["rules"]}
    assert set(rows) == {rule.id for rule in RULESET.rules}
    for rule in RULESET.rules:
        bases = rows[rule.id]["legal_basis"]
        assert len(bases) == len(rule.legal_basis), rule.id
        assert all("from" in b and "to" in b and "levels" in b and b["key"] for b in bases), rule.id
    organisation = {b["key"]: b for b in rows["organisation-info"]["legal_basis"]}
    assert organisation["224-2026-d9-k1-c"]["levels"] == ["province", "commune"]
    assert rows["focal-point-details"]["criteria"]["person"]["bases"] == ["42-2022-d4-k1-e"]
    assert {b["from"] for b in rows["site-search"]["legal_basis"]} == {"2022-08-15"}


def test_example_province_overlay_requires_the_conditional_catalogue_published():
    overlaid = apply_overlay(RULESET, ROOT / "rules" / "overlays" / "example-province.yaml", known_auditors=set(AUDITORS))
    [rule] = [r for r in overlaid.rules if r.id.endswith("conditional-catalogue-published")]
    [case] = [c for c in SAMPLES["conditional-catalogue"] if c.name == "fail"]
    finding = run_case(overlaid, rule, replace(case, audit_date=date(2026, 10, 1)))
    assert finding["status"] == "fail" and "UBND" in finding["legal_basis"][0]["instrument"]
    assert run_case(RULESET, RULESET.rule("conditional-catalogue"), replace(case, audit_date=date(2026, 10, 1)))["status"] == "manual"
