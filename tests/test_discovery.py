"""Section discovery on pages shaped like real agency portals (menus, banners, news about the law, look-alikes)."""

from crawler.classify import detect
from crawler.discovery import combine, confirm, rank_candidates, score_link
from crawler.htmlpage import parse_html

BASE = "http://portal.example/"


def page(html: str, url: str = BASE) -> dict:
    parsed = parse_html(html.encode("utf-8"), url)
    return {"url": url, "title": parsed.title, "text": parsed.text, "links": parsed.links,
            "tables": parsed.tables, "signals": detect(parsed.title, parsed.structure, parsed.text, url)}


def link(url: str, text: str = "", **extra: str) -> dict:
    return {"url": url, "text": text, "title": "", "img_alt": "", "img_src": "", "context": "", **extra}


SECTION = """<html><head><title>Tiếp cận thông tin</title></head><body>
<nav class="menu"><a href="/">Trang chủ</a><a href="/tin-tuc">Tin tức</a></nav>
<div class="content"><h1>Chuyên mục tiếp cận thông tin</h1>
<h2>ĐẦU MỐI CUNG CẤP THÔNG TIN</h2><p>Chị Nguyễn Thị Lan, chuyên viên Văn phòng, 0203.3812.345, lan@stp.gov.vn</p>
<h2>HƯỚNG DẪN KHAI THÁC THÔNG TIN</h2><p>Bước 1 ...</p>
<ul><li><a href="/files/mau-01a.doc">Mẫu số 01a</a></li><li><a href="/files/mau-01b.doc">Mẫu số 01b</a></li></ul>
<p><a href="/tctt/danh-muc">Danh mục thông tin phải được công khai</a></p>
</div></body></html>"""

NEWS = """<html><head><title>Triển khai Luật Tiếp cận thông tin</title></head><body>
<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/tin-tuc">Tin tức</a></div>
<div class="content"><h1>Triển khai thi hành Luật Tiếp cận thông tin năm 2024</h1>
<p class="date">Ngày đăng: 12/03/2024 | Lượt xem: 1.203</p>
<p>UBND tỉnh yêu cầu các sở lập Danh mục thông tin phải được công khai, ban hành Quy chế nội bộ về tổ chức
cung cấp thông tin và phân công đầu mối cung cấp thông tin; công khai các mẫu phiếu theo Nghị định 13.</p>
<p>Các đơn vị bố trí cán bộ đầu mối, cập nhật danh mục, hướng dẫn khai thác thông tin cho công dân.</p>
<h3>Tin liên quan</h3><ul><li><a href="/tin-tuc/a.html">Hội nghị tập huấn</a></li></ul>
</div></body></html>"""

LAW_TEXT = "<html><head><title>Luật Tiếp cận thông tin 2016</title></head><body><div>" + "".join(
    f"<p>Điều {n}. Nội dung điều {n} về danh mục thông tin phải được công khai và đầu mối cung cấp thông tin</p>"
    for n in range(1, 12)) + "<p>Chương I NHỮNG QUY ĐỊNH CHUNG</p></div></body></html>"


def test_link_signals_text_alt_filename_slug():
    assert score_link(link(BASE + "gioi-thieu", "Tiếp cận thông tin"))[0] >= 0.5
    banner = link(BASE + "Pages/tctt.aspx", img_alt="Hỗ trợ tiếp cận thông tin",
                  img_src=BASE + "images/banner-tiep-can-thong-tin.png")
    score, reasons = score_link(banner)
    assert score >= 0.8 and any("img_alt" in r for r in reasons) and any("img_file" in r for r in reasons)
    assert score_link(link(BASE + "index.php/tiepcanthongtin"))[0] > 0.25


def test_legal_access_programme_is_not_a_candidate():
    assert score_link(link(BASE + "tiep-can-phap-luat", "Tiếp cận pháp luật"))[0] == 0.0


def test_rank_keeps_same_site_distinct_and_sorted():
    links = [link(BASE + "a", "Tiếp cận thông tin"), link(BASE + "a", "xem"),
             link("http://other.example/tiep-can-thong-tin", "Tiếp cận thông tin"),
             link(BASE + "news/tiep-can-thong-tin-1.html", "Hội nghị", context="TIẾP CẬN THÔNG TIN")]
    ranked = rank_candidates(links, same_site=lambda u: u.startswith(BASE), threshold=0.25, limit=5)
    assert [c["url"] for c in ranked] == [BASE + "a", BASE + "news/tiep-can-thong-tin-1.html"]


def test_section_page_is_confirmed_news_and_law_text_are_not():
    section, _ = confirm(page(SECTION, BASE + "tiep-can-thong-tin"), [])
    news, news_reasons = confirm(page(NEWS, BASE + "tin-tuc/trien-khai-luat.html"), [])
    law, law_reasons = confirm(page(LAW_TEXT, BASE + "tuyen-truyen/luat.html"), [])
    assert combine(0.85, section) >= 0.5
    assert combine(0.85, news) < 0.5, news_reasons
    assert combine(0.85, law) < 0.5, law_reasons
    assert any("news" in r for r in news_reasons)
    assert any("law" in r for r in law_reasons)


def test_menu_words_do_not_count_as_the_page_content():
    html = """<html><body><nav class="main-menu"><ul><li><a href="/tctt">Tiếp cận thông tin</a><ul>
    <li><a href="/tctt/dm">Danh mục thông tin phải được công khai</a></li><li><a href="/tctt/dm2">Đầu mối cung cấp thông tin</a></li>
    <li><a href="/tctt/f">Mẫu số 01a</a></li></ul></li></ul></nav>
    <div class="content"><h1>Lễ hội đền Ông Hoàng Mười</h1><p>Bài viết về du lịch, lễ hội truyền thống của địa phương,
    thu hút đông đảo du khách thập phương về dự hằng năm.</p></div></body></html>"""
    parsed = page(html, BASE + "tiep-can-thong-tin/le-hoi.html")
    assert parsed["signals"]["elements"] == {}
    assert len(parsed["links"]) == 4  # menu links are still followed


def test_children_confirm_a_thin_hub_page():
    hub = page("""<html><body><div class="content"><h1>Tiếp cận thông tin</h1><ul>
      <li><a href="/tctt/danh-muc">Danh mục thông tin phải được công khai</a></li>
      <li><a href="/tctt/dau-moi">Đầu mối cung cấp thông tin</a></li></ul></div></body></html>""", BASE + "tctt")
    child = page("<html><body><div><h1>Hướng dẫn khai thác thông tin</h1><a href='/m.doc'>Mẫu số 01a</a></div></body></html>",
                 BASE + "tctt/huong-dan")
    alone, _ = confirm(hub, [])
    with_child, reasons = confirm(hub, [child])
    assert with_child > alone and any("child pages" in r for r in reasons)


def test_tables_keep_headers_rows_and_links():
    parsed = parse_html("""<html><body><table><tr><th>STT</th><th>Nội dung</th><th>Đường dẫn</th></tr>
      <tr><td>1</td><td>Chức năng, nhiệm vụ</td><td><a href="/cn">Chi tiết</a></td></tr>
      <tr><td colspan="2">Ghi chú</td><td></td></tr></table></body></html>""".encode(), BASE)
    [table] = parsed.tables
    assert table["headers"] == ["STT", "Nội dung", "Đường dẫn"]
    assert table["rows"][0] == ["1", "Chức năng, nhiệm vụ", "Chi tiết"] and table["rows"][1][:2] == ["Ghi chú", "Ghi chú"]
    assert table["row_links"][0] == ["/cn"]


def test_broken_and_hostile_html_does_not_raise():
    for body in (b"", b"<html", b"\x00\xff\xfe<<<>>>", "<title><script>alert(1)</script>Xin chào</title>".encode(),
                 b"<a href='javascript:alert(1)'>x</a><a href='mailto:a@b.vn'>mail</a>"):
        parsed = parse_html(body, BASE)
        assert all(not lk["url"].lower().startswith("javascript:") for lk in parsed.links)


def test_submenu_of_a_section_menu_item_without_its_own_link():
    html = """<html><body><nav class="main-menu"><ul><li><a href="#">Trang chủ</a></li>
      <li><a href="javascript:void(0)">TIẾP CẬN THÔNG TIN</a><ul>
        <li><a href="/index.php/danh-muc-cong-khai">Danh mục công khai</a></li>
        <li><a href="/index.php/bieu-mau">Biểu mẫu</a></li></ul></li></ul></nav>
      <div class="content"><p>Tin tức</p></div></body></html>"""
    parsed = page(html)
    ranked = rank_candidates(parsed["links"], same_site=lambda u: u.startswith(BASE), threshold=0.25, limit=5)
    assert {c["url"] for c in ranked} == {BASE + "index.php/danh-muc-cong-khai", BASE + "index.php/bieu-mau"}
    assert all(any(r.startswith("menu:") for r in c["reasons"]) for c in ranked)


def test_document_addresses_of_document_stores_are_documents():
    from crawler.discovery import is_document_url

    assert is_document_url("http://s.gov.vn/uploads/mau-so-01a.PDF")
    # Liferay's document library: the file's name, then its uuid (or a numeric id).
    assert is_document_url("http://s.gov.vn/documents/20182/41877/01a.pdf/0b9d2c11-5e7a-4c19-8f02-1d6e3a7b9c40")
    assert is_document_url("http://s.gov.vn/documents/10180/0/danh-muc.xlsx/123456?t=1712033480000")
    assert not is_document_url("http://s.gov.vn/web/guest/tiep-can-thong-tin")
    assert not is_document_url("http://s.gov.vn/tin-tuc/bao-cao.pdf/chi-tiet")  # a page about a file
