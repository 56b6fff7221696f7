"""Unread pages make a gap `manual`, never `fail`; an item the section points to is judged on the linked page;
a bare address (a sitemap location) is weighed by its slug."""

from __future__ import annotations

from typing import Any

from test_item_judgements import AUDIT_DAY, BASE, evidence, page, section_html

from auditors import AUDITORS, Outcome
from auditors.evidence import Evidence
from auditors.unread import is_unread, unread_pages, unsure_when_unread
from crawler.discovery import score_link


def unread(path: str, status: int | None = None, error: str = "unreachable: timed out") -> dict[str, Any]:
    url = BASE + path
    return {"url": url, "final_url": url, "status": status, "kind": "section", "depth": 2, "title": "", "text": "",
            "links": [], "tables": [], "structure": [], "signals": {}, "error": error, "fetched_at": None}


SECTION = section_html('<p><a href="/danh-muc">Danh mục thông tin phải được công khai</a></p>'
                       '<p><a href="/quy-che">Quy chế cung cấp thông tin cho công dân</a></p>')


def test_timeouts_and_server_errors_are_unread_but_a_404_is_an_answer():
    assert is_unread(unread("/a")) and is_unread(unread("/a", 503, "HTTP 503"))
    assert not is_unread(unread("/a", 404, "HTTP 404"))
    # a file the crawler declined by its own size limit was answered: not unread
    assert not is_unread(unread("/map.pdf", None, "too large: download stopped: response larger than the limit"))
    assert not is_unread({**unread("/a"), "text": "Danh mục …"})


def test_a_gap_on_a_section_with_unread_pages_is_manual_and_says_why():
    ev = evidence(page("/tctt", SECTION), unread("/danh-muc"), unread("/quy-che"))
    assert [p["url"] for p in unread_pages(ev)] == [BASE + "/danh-muc", BASE + "/quy-che"]
    outcome = AUDITORS["catalogue_published"](ev, {})
    assert outcome.status == "fail"  # what the auditor alone concludes
    judged = unsure_when_unread(ev, outcome)
    assert judged.status == "manual" and "không đọc được" in judged.vi and BASE + "/danh-muc" in judged.vi
    assert judged.details["gap_status"] == "fail" and len(judged.details["unread_pages"]) == 2


def test_a_pass_stays_and_a_gap_on_fully_read_pages_stays():
    ev = evidence(page("/tctt", SECTION), unread("/danh-muc"))
    assert unsure_when_unread(ev, Outcome("pass", "có", "yes")).status == "pass"
    read = evidence(page("/tctt", SECTION), unread("/danh-muc", 404, "HTTP 404"))
    outcome = AUDITORS["catalogue_published"](read, {})
    assert outcome.status == "fail" and unsure_when_unread(read, outcome).status == "fail"


def test_a_section_whose_page_never_answered_is_manual_not_absent():
    home = page("/", "<html><body><nav><a href='/tctt'>Tiếp cận thông tin</a></nav></body></html>", kind="home")
    ev = Evidence.build({"id": "x", "url": BASE}, {"status": "audited", "section_url": None}, [home, unread("/tctt")],
                        [{"url": BASE + "/tctt", "confidence": 0.2, "link_score": 0.85, "chosen": 0}], AUDIT_DAY)
    outcome = AUDITORS["section_found"](ev, {})
    assert outcome.status == "fail" and unsure_when_unread(ev, outcome).status == "manual"


def test_a_channel_the_section_points_to_is_judged_on_the_linked_page():
    section = page("/tctt", section_html("<h3>Phản ánh, kiến nghị</h3><p>Phản ánh, kiến nghị về việc cung cấp thông "
                                         "tin gửi qua mục <a href='/lien-he'>Liên hệ</a> của Trang thông tin.</p>"))
    contact = page("/lien-he", "<html><body><h1>Liên hệ</h1><form><label>Bộ phận nhận: <select><option>Thanh tra "
                               "Sở - phản ánh, kiến nghị, khiếu nại</option></select></label><textarea name='m'>"
                               "</textarea></form></body></html>")
    followed = AUDITORS["complaint_channel"](evidence(section, contact), {})
    assert followed.status == "pass" and followed.details["followed"] == BASE + "/lien-he"
    assert AUDITORS["complaint_channel"](evidence(section), {}).status == "partial"  # not followed: not seen


def test_a_bare_address_is_weighed_by_its_slug():
    bare = {"url": BASE + "/tctt.html", "text": "", "title": "", "img_alt": "", "img_src": "", "context": ""}
    worded = {**bare, "text": "Giới thiệu"}
    assert score_link(bare)[0] > score_link(worded)[0] >= 0
    slug = {**bare, "url": BASE + "/tiep-can-thong-tin/"}
    # the slug alone weighs what the same words as the link's text would, more than beside a mute text
    assert score_link(slug)[0] == score_link({**bare, "url": BASE + "/x/", "text": "Tiếp cận thông tin"})[0] >= 0.5
    assert score_link(slug)[0] > score_link({**slug, "text": "Xem"})[0]
    assert score_link({**bare, "url": BASE + "/tiep-can-phap-luat/"})[0] == 0


def test_a_portal_wide_search_is_unsure_when_the_section_was_not_read():
    markers = {"markers": {"channels": {"pattern": r"kenh cung cap thong tin", "vi": "các kênh cung cấp thông tin",
                                        "en": "the channels"}}, "scope": "portal"}
    home = page("/", "<html><body><nav><a href='/tctt'>Tiếp cận thông tin</a></nav></body></html>", kind="home")
    unread_section = Evidence.build({"id": "x", "url": BASE}, {"status": "audited", "section_url": None},
                                    [home, unread("/tctt")],
                                    [{"url": BASE + "/tctt", "confidence": 0.2, "link_score": 0.85, "chosen": 0}],
                                    AUDIT_DAY)
    outcome = AUDITORS["portal_markers"](unread_section, markers)
    assert outcome.status == "fail" and outcome.details["searched"] == "portal"
    assert unsure_when_unread(unread_section, outcome).status == "manual"  # the channels may be on that page
    read = evidence(page("/tctt", SECTION))
    outcome = AUDITORS["portal_markers"](read, markers)
    assert outcome.status == "fail" and unsure_when_unread(read, outcome).status == "fail"
