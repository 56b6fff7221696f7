"""Checks judged from the registry's hierarchy: the parent links its subordinate portals (TCTT-31), and the
domain follows its level's pattern (Decree 224/2026 Art. 11(4))."""

from __future__ import annotations

from datetime import date

from auditors.evidence import Evidence
from auditors.hierarchy import domain_pattern, subordinate_links
from rules import load_ruleset

REGISTRY = [
    {"id": "tinh-68", "name": "UBND tỉnh Lâm Đồng", "level": "province", "parent": "", "url": "https://lamdong.gov.vn/"},
    {"id": "stp", "name": "Sở Tư pháp", "level": "department", "parent": "tinh-68", "url": "https://stp.lamdong.gov.vn/"},
    {"id": "syt", "name": "Sở Y tế", "level": "department", "parent": "tinh-68", "url": "http://syt.lamdong.gov.vn",
     "final_url": "https://syt.lamdong.gov.vn/trang-chu"},
    {"id": "xa-24886", "name": "UBND xã Đam Rông 1", "level": "commune", "parent": "tinh-68",
     "url": "https://lamdong.gov.vn/web/xa-dam-rong-1"},
    {"id": "xa-24848", "name": "UBND xã Lạc Dương", "level": "commune", "parent": "tinh-68",
     "url": "https://lacduong.lamdong.gov.vn/"},
    {"id": "bo-tu-phap", "name": "Bộ Tư pháp", "level": "ministry", "parent": "", "url": "https://moj.gov.vn/"},
]
PARAMS = load_ruleset().rule("subordinate-portals").params


def evidence(agency_id: str, links: list[tuple[str, str]], *, text: str = "", registry=REGISTRY) -> Evidence:
    agency = next(r for r in registry if r["id"] == agency_id)
    home = {"url": agency["url"], "final_url": agency["url"], "status": 200, "kind": "home", "depth": 0,
            "title": "Cổng thông tin", "text": text, "fetched_at": "2026-12-01T00:00:00+00:00",
            "links": [{"url": u, "text": t, "context": ""} for u, t in links], "signals": {}, "structure": []}
    return Evidence.build(agency, {"section_url": None}, [home], [], date(2026, 12, 1), registry=registry)


ALL = [("https://stp.lamdong.gov.vn/", "Sở Tư pháp"), ("https://syt.lamdong.gov.vn/gioi-thieu", "Sở Y tế"),
       ("https://lamdong.gov.vn/web/xa-dam-rong-1/", "Xã Đam Rông 1"), ("http://www.lacduong.lamdong.gov.vn", "Lạc Dương")]


def test_every_subordinate_linked_passes():
    outcome = subordinate_links(evidence("tinh-68", ALL), PARAMS)
    assert outcome.status == "pass", outcome.vi
    assert outcome.details["linked"] == ["stp", "syt", "xa-24886", "xa-24848"] and outcome.evidence


def test_some_not_seen_is_manual_never_a_failure():
    outcome = subordinate_links(evidence("tinh-68", ALL[:2] + [("https://lamdong.gov.vn/don-vi-truc-thuoc",
                                                                 "Đơn vị trực thuộc")]), PARAMS)
    assert outcome.status == "manual"
    assert outcome.details["not_seen"] == ["xa-24886", "xa-24848"] and "Đam Rông 1" in outcome.vi
    # A link to another page of the parent's shared host is not a link to the sub-site on it.
    outcome = subordinate_links(evidence("tinh-68", ALL[:2] + [("https://lamdong.gov.vn/tin-tuc", "Tin tức"),
                                                                ALL[3]]), PARAMS)
    assert outcome.details["not_seen"] == ["xa-24886"]


def test_no_link_and_no_list_fails():
    outcome = subordinate_links(evidence("tinh-68", [("https://lamdong.gov.vn/tin-tuc", "Tin tức")]), PARAMS)
    assert outcome.status == "fail" and "4" in outcome.vi


def test_without_subordinates_in_the_registry_looks_for_the_list():
    assert subordinate_links(evidence("stp", [("https://stp.lamdong.gov.vn/lien-ket", "Liên kết website")]),
                             PARAMS).status == "pass"
    assert subordinate_links(evidence("stp", [("https://stp.lamdong.gov.vn/tin-tuc", "Tin tức")]), PARAMS).status == "fail"


def test_domain_patterns_by_level():
    # The pattern of the level is right; IPv6, the other half of Decree 224 Art. 11(4), is not observed by
    # the crawl, so the finding is the inspector's to finish (manual), never a pass.
    for agency_id in ("tinh-68", "bo-tu-phap", "stp"):
        finding = domain_pattern(evidence(agency_id, []), {})
        assert finding.status == "manual" and finding.details["pattern_ok"] and "IPv6" in finding.vi, agency_id
    commune = domain_pattern(evidence("xa-24848", []), {})
    assert commune.status == "manual" and commune.details["pattern_ok"]
    assert commune.details["expected"] == "tendonvi.lamdong.gov.vn"
    # A component site on the parent's host: allowed by Art. 11(1), its own domain is for an inspector.
    assert domain_pattern(evidence("xa-24886", []), {}).status == "manual"


def test_domain_off_pattern():
    registry = [*REGISTRY,
                {"id": "stc", "name": "Sở Tài chính", "level": "department", "parent": "tinh-68",
                 "url": "https://sotaichinh-lamdong.gov.vn/"},
                {"id": "sct", "name": "Sở Công Thương", "level": "department", "parent": "tinh-68",
                 "url": "https://sct-lamdong.com.vn/"},
                {"id": "tinh-04", "name": "UBND tỉnh Cao Bằng", "level": "province", "parent": "",
                 "url": "https://portal.caobang.gov.vn/"},
                {"id": "ip", "name": "Sở X", "level": "department", "parent": "tinh-68", "url": "http://10.1.2.3/"}]
    assert domain_pattern(evidence("stc", [], registry=registry), {}).status == "partial"
    assert domain_pattern(evidence("sct", [], registry=registry), {}).status == "fail"
    assert domain_pattern(evidence("tinh-04", [], registry=registry), {}).status == "partial"
    assert domain_pattern(evidence("ip", [], registry=registry), {}).status == "manual"
