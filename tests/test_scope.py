"""crawler.scope: an agency's own site, and the links of its section worth following."""

from __future__ import annotations

from crawler.scope import names_element, names_part, same_site, site_of, site_segment

AGENCY = "http://sotuphap.tinh.gov.vn/"


def link(text: str = "", url: str = "http://sotuphap.tinh.gov.vn/x", **more: str) -> dict[str, str]:
    return {"text": text, "url": url, "title": "", "img_alt": "", **more}


def test_site_of_keeps_the_registrable_part() -> None:
    assert site_of("so.tinh.gov.vn") == "tinh.gov.vn"
    assert site_of("www.a.vn") == "a.vn"
    assert site_of("127.0.0.5") == "127.0.0.5"
    assert site_segment("http://h.vn/web/SoTuPhap/trang") == "sotuphap"
    assert site_segment("http://h.vn/tin-tuc/a") is None


def test_same_site_spans_the_parent_portal_and_sub_domains_not_other_domains() -> None:
    assert same_site("http://tinh.gov.vn/so-tu-phap/tctt", AGENCY)  # the province portal
    assert same_site("http://tctt.sotuphap.tinh.gov.vn/", AGENCY)
    assert not same_site("http://baomoi.com/tin", AGENCY)
    assert not same_site("mailto:a@b.vn", AGENCY)
    # Where the home page redirected to, or the registry's section lives, is the agency's too.
    assert same_site("http://cong.moi.vn/a", AGENCY, final_url="http://cong.moi.vn/")
    assert same_site("http://tctt.khac.vn/a", AGENCY, section_url="http://tctt.khac.vn/")


def test_another_site_segment_of_a_shared_host_is_another_agency() -> None:
    agency = "http://portal.tinh.gov.vn/web/sotuphap"
    assert same_site("http://portal.tinh.gov.vn/web/sotuphap/tctt", agency)
    assert not same_site("http://portal.tinh.gov.vn/web/soyte/tctt", agency)
    assert same_site("http://portal.tinh.gov.vn/tin-tuc", agency)  # no segment: the shared portal's own page


def test_names_element_reads_words_and_url_path() -> None:
    assert names_element(link("Quy chế cung cấp thông tin"), ("regulation",))
    assert not names_element(link("Quy chế cung cấp thông tin"), ("forms",))
    assert names_element(link("tải", url="http://h.vn/danh-muc-thong-tin-cong-khai"))
    assert not names_element(link("Tin tức"))


def test_names_part_of_a_section() -> None:
    assert names_part(link("Biểu mẫu"), 0.5)         # a generic part name
    assert names_part(link("Xem chi tiết"), 0.5)     # an item's own page
    assert names_part(link("Mẫu số 01a"), 0.5)       # an element
    assert not names_part(link("Lịch công tác tuần"), 0.5)
