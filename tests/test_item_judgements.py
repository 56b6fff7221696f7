"""Items judged as an inspector would: the focal point's heading line, catalogue rows that only mention
the regulation, table headings behind provenance lines, forms published as attachments, page dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from auditors import AUDITORS
from auditors.evidence import Evidence
from crawler.classify import detect
from crawler.htmlpage import parse_html

BASE = "https://xa-an-hoa.gov.vn"
AUDIT_DAY = date(2026, 12, 1)


def page(path: str, html: str, **extra: Any) -> dict[str, Any]:
    url = BASE + path
    parsed = parse_html(html.encode(), url)
    signals = detect(parsed.title, parsed.structure, parsed.text, url)
    signals["page"] = parsed.features
    return {"url": url, "final_url": url, "status": 200, "kind": "page", "depth": 1, "title": parsed.title,
            "text": parsed.text, "links": parsed.links, "tables": parsed.tables, "structure": parsed.structure,
            "signals": signals, "fetched_at": "2026-12-01T01:00:00+00:00", **extra}


def document(path: str, title: str, text: str) -> dict[str, Any]:
    url = BASE + path
    return {"url": url, "final_url": url, "status": 200, "kind": "document", "depth": 2, "title": title,
            "text": text, "links": [], "tables": [], "structure": [title], "signals": {}, "doc_type": "pdf",
            "fetched_at": "2026-12-01T01:00:00+00:00", "size": 2000}


def evidence(*pages: dict[str, Any]) -> Evidence:
    section = pages[0]["url"]
    return Evidence.build({"id": "x", "url": BASE}, {"status": "audited", "section_url": section,
                                                      "section_confidence": 0.9},
                          list(pages), [{"url": section, "confidence": 0.9, "chosen": 1}], AUDIT_DAY)


def section_html(body: str, title: str = "Tiếp cận thông tin") -> str:
    return f"<html><head><title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>"


# --- the focal point --------------------------------------------------------------------------------
@pytest.mark.parametrize("block", [
    "<p>Đầu mối cung cấp thông tin: bà Nguyễn Thị Lan, công chức Văn phòng – Thống kê</p>"
    "<p>Điện thoại: 0912 345 678; thư điện tử: lannt@xa-an-hoa.gov.vn</p>",
    "<h3>ĐẦU MỐI CUNG CẤP THÔNG TIN</h3><p>Nguyễn Văn Bình - Chuyên viên Văn phòng HĐND và UBND</p>"
    "<p>ĐT: 0236.3821.234 - Email: binhnv@xa-an-hoa.gov.vn</p>",
    "<p><b>Bộ phận đầu mối:</b> Văn phòng Sở, ông Trần Minh Đức, số điện thoại 024 3795 6868, "
    "thư điện tử vanphong@xa-an-hoa.gov.vn</p>",
])
def test_a_named_focal_point_counts_whatever_the_layout(block: str):
    ev = evidence(page("/tiep-can-thong-tin", section_html(block)))
    outcome = AUDITORS["focal_point_contacts"](ev, {})
    assert outcome.status == "pass", outcome.vi
    details = AUDITORS["focal_point_details"](ev, {}).details
    assert details["name"] and (details["position"] or details["unit"]), details


def test_an_address_given_only_as_a_mailto_link_counts():
    ev = evidence(page("/tiep-can-thong-tin", section_html(
        "<h3>ĐẦU MỐI CUNG CẤP THÔNG TIN</h3><p>Ông Lê Văn Tâm, Chánh Văn phòng, ĐT: 0236 3821 234, "
        "<a href='mailto:tamlv@xa-an-hoa.gov.vn'>gửi thư cho đầu mối</a></p>")))
    outcome = AUDITORS["focal_point_contacts"](ev, {})
    assert outcome.status == "pass" and outcome.details["emails"] == ["tamlv@xa-an-hoa.gov.vn"]
    assert AUDITORS["focal_point_details"](ev, {}).details["official_email"] == ["tamlv@xa-an-hoa.gov.vn"]


def test_a_unit_heading_in_capitals_is_not_a_person():
    ev = evidence(page("/tiep-can-thong-tin", section_html(
        "<h3>ĐẦU MỐI CUNG CẤP THÔNG TIN</h3><p>VĂN PHÒNG SỞ TƯ PHÁP</p><p>ĐT: 024 3795 6868</p>")))
    assert not AUDITORS["focal_point_details"](ev, {}).details["name"]


@pytest.mark.parametrize("line", ["Trưởng Phòng Tư pháp", "Thái Bình, Hà Nội", "Văn Phòng Sở Tư pháp"])
def test_positions_and_places_are_not_names(line: str):
    from auditors.judgement import names_person

    assert not names_person(line)
    assert names_person("Trương Thị Hoa, Trưởng phòng") and names_person("chị Hoa, chuyên viên")


def test_a_phone_number_is_not_a_department():
    ev = evidence(page("/tiep-can-thong-tin", section_html(
        "<h3>ĐẦU MỐI CUNG CẤP THÔNG TIN</h3><p>Số điện thoại: 024 3795 6868</p>")))
    details = AUDITORS["focal_point_details"](ev, {}).details
    assert not details["unit"] and not details["name"]


# --- a catalogue row is not the regulation ----------------------------------------------------------
CATALOGUE_WITH_DECISION = (
    "<html><head><title>Danh mục thông tin phải được công khai</title></head><body><main>"
    "<table><tr><th>STT</th><th>Nội dung</th></tr>"
    "<tr><td>1</td><td>Quyết định số 12/QĐ-UBND ban hành Quy chế cung cấp thông tin cho công dân</td></tr>"
    "<tr><td>2</td><td>Kế hoạch cải cách hành chính năm 2025</td></tr></table></main></body></html>")


def test_a_catalogue_row_naming_the_issuing_decision_is_not_the_regulation():
    ev = evidence(page("/danh-muc", CATALOGUE_WITH_DECISION))
    assert AUDITORS["regulation_published"](ev, {}).status == "fail"
    assert AUDITORS["regulation_contents"](ev, {}).status == "not_applicable"


def test_the_regulation_itself_still_counts():
    regulation = document("/files/quy-che.pdf", "Quy chế cung cấp thông tin cho công dân",
                          "QUY CHẾ\nCung cấp thông tin cho công dân của UBND xã An Hòa\n(Ban hành kèm theo Quyết định "
                          "số 12/QĐ-UBND)\nĐiều 1. Phạm vi điều chỉnh")
    ev = evidence(page("/danh-muc", CATALOGUE_WITH_DECISION), regulation)
    assert AUDITORS["regulation_published"](ev, {}).status == "pass"


# --- the catalogue's heading past "(Ban hành kèm theo …)" ---------------------------------------------
@pytest.mark.parametrize("heading,provenance", [
    ("<h2>DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI</h2>",
     "<p><i>(Ban hành kèm theo Quyết định số 25/QĐ-UBND ngày 10/01/2025 của UBND xã)</i></p>"),
    ("<h2>DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI</h2>", "<p>Kèm theo Quyết định số 25/QĐ-UBND</p><p>ngày 10/01/2025</p>"),
    ("<h2>DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI</h2>", "<p>[Đính kèm Công văn số 3/UBND-VP]</p>"),
    # NukeViet/WordPress editors: a bold paragraph, the provenance centred in italics in a div
    ("<p style='text-align:center'><strong>Danh mục thông tin phải công khai của UBND xã</strong></p>",
     "<div style='text-align:center'><em>(Ban hành kèm theo Quyết định số 25/QĐ-UBND)</em></div>"),
])
def test_a_catalogue_table_behind_a_provenance_line_is_seen(heading: str, provenance: str):
    html = section_html(
        "<h2>Hướng dẫn khai thác thông tin</h2><p>Công dân tra cứu danh mục dưới đây.</p>"
        f"{heading}{provenance}"
        "<table><tr><th>STT</th><th>Tên văn bản</th><th>Ngày ban hành</th><th>Hình thức công khai</th>"
        "<th>Thời điểm công khai</th><th>Đường dẫn</th></tr>"
        "<tr><td>1</td><td>Kế hoạch 01/KH-UBND</td><td>10/01/2025</td><td>Cổng thông tin</td><td>10/01/2025</td>"
        "<td><a href='/files/kh-01.pdf'>Tải về</a></td></tr></table>")
    ev = evidence(page("/tiep-can-thong-tin", html))
    outcome = AUDITORS["catalogue_published"](ev, {"min_fields": 3})
    assert outcome.status == "pass", outcome.vi
    assert outcome.details["rows"] == 1 and len(outcome.details["fields"]) == 5


# --- forms published as attachments -------------------------------------------------------------------
def test_forms_named_only_by_their_file_name_are_recognised():
    html = section_html("<h2>Biểu mẫu</h2><ul>" + "".join(
        f"<li><a href='/index.php?nv=download&op=file&id={i}'>mau-so-{c}.pdf</a></li>"
        for i, c in enumerate(("01a", "01b", "02"))) + "</ul>")
    outcome = AUDITORS["request_forms"](evidence(page("/tiep-can-thong-tin", html)), {"forms": ["01a", "01b", "02"]})
    assert outcome.status == "pass", outcome.vi


def test_a_download_link_that_says_nothing_is_judged_by_the_file_it_gives():
    html = section_html("<h2>Biểu mẫu</h2><p><a href='/index.php?nv=download&download=1&id=0'>Tải về</a> "
                        "<a href='/index.php?nv=download&download=1&id=1'>Tải về</a></p>")
    form_01a = document("/index.php?nv=download&download=1&id=0", "",
                        "Mẫu số 01a\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nPHIẾU YÊU CẦU CUNG CẤP THÔNG TIN\n"
                        "Họ và tên người yêu cầu: ........................\nThông tin được yêu cầu: ........")
    unnumbered = document("/index.php?nv=download&download=1&id=1", "",
                          "PHIẾU YÊU CẦU CUNG CẤP THÔNG TIN\n(Dùng cho tổ chức, doanh nghiệp yêu cầu cung cấp thông tin "
                          "thông qua tổ chức, đoàn thể, doanh nghiệp)\nHọ và tên: ....................\n"
                          "Mục đích yêu cầu: ..........")
    outcome = AUDITORS["request_forms"](evidence(page("/tiep-can-thong-tin", html), form_01a, unnumbered),
                                        {"forms": ["01a", "01b"]})
    assert outcome.status == "pass", outcome.vi


def test_a_land_data_form_is_still_not_a_decree_form():
    html = section_html("<p><a href='/files/phieu-yeu-cau-cung-cap-du-lieu-dat-dai.doc'>mau-so-01-pyc.doc</a></p>")
    outcome = AUDITORS["request_forms"](evidence(page("/tiep-can-thong-tin", html)), {"forms": ["01a"]})
    assert outcome.status == "fail"


# --- page-level dates -----------------------------------------------------------------------------------
def test_the_catalogue_page_date_from_markup_keeps_it_fresh():
    html = ("<html><head><title>Danh mục thông tin phải được công khai</title>"
            "<meta property='article:modified_time' content='2026-10-01T08:00:00+07:00'></head><body><main>"
            "<h1>Danh mục thông tin phải được công khai</h1><table><tr><th>STT</th><th>Tên văn bản</th></tr>"
            "<tr><td>1</td><td>Kế hoạch công tác</td></tr></table></main></body></html>")
    outcome = AUDITORS["catalogue_freshness"](evidence(page("/danh-muc", html)), {"max_age_days": 365})
    assert outcome.status == "pass" and outcome.details["source"] == "meta/JSON-LD/<time>"


# --- guidance -------------------------------------------------------------------------------------
def test_a_bare_guidance_label_that_tells_how_to_ask_is_guidance():
    body = ("<p><b>HƯỚNG DẪN:</b> Công dân xem danh mục thông tin công khai dưới đây; nếu thông tin chưa được "
            "công khai, điền Phiếu yêu cầu cung cấp thông tin (Mẫu số 01a) và gửi đến đầu mối.</p>"
            "<p><b>BIỂU MẪU:</b> <a href='/mau-01a.pdf'>Mẫu số 01a</a></p>")
    outcome = AUDITORS["guidance_published"](evidence(page("/tctt.html", section_html(body))), {})
    assert outcome.status == "pass" and "HƯỚNG DẪN:" in outcome.vi, outcome.vi


@pytest.mark.parametrize("body", [
    "<ul><li><a href='/hd'>Hướng dẫn</a></li><li><a href='/dm'>Danh mục thông tin</a></li></ul>",  # a menu
    "<p><b>Hướng dẫn:</b> đăng ký tiêm chủng tại trạm y tế. <b>Biểu mẫu:</b> Phiếu yêu cầu cung cấp thông tin</p>",
])
def test_a_guidance_word_that_says_nothing_of_asking_is_not_guidance(body: str):
    outcome = AUDITORS["guidance_published"](evidence(page("/tctt.html", section_html(body))), {})
    assert outcome.status == "fail"
