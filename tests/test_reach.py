"""Reaching the section wherever portals put it, and telling a bot wall from a portal.

Unit tests of the pieces (hub scoring, reach paths, sitemaps through Scrapy's reader, challenge pages by
shape, pagination, URL keys), then one crawl of portals the gold set does not hold: other platforms, other
hub wordings, other seeds, one per way of reaching the section, with confusables beside it.
"""

from __future__ import annotations

import gzip
import json
import sqlite3

import pytest
import yaml

from crawler import blocks, reach, sitemaps
from crawler.extract import Limits, extract
from crawler.extract.ocr import available
from crawler.pagination import listing_page, same_listing
from crawler.urls import url_key


def _link(text: str = "", url: str = "http://a.gov.vn/x", **extra: str) -> dict[str, str]:
    return {"url": url, "text": text, "title": "", "img_alt": "", "img_src": "", "context": "", "chrome": "", **extra}


# --- hub (landing) pages --------------------------------------------------------------------------
@pytest.mark.parametrize("label", ["Công khai minh bạch", "THÔNG TIN CẦN BIẾT", "Dành cho công dân", "Công dân",
                                   "Công khai ngân sách - tài chính", "Chuyên mục", "Tiện ích", "Thông tin hữu ích",
                                   "Người dân - Doanh nghiệp"])
def test_hub_labels_open_landing_pages(label: str):
    assert reach.landing_score(_link(label, chrome="menu")) >= reach.LANDING_THRESHOLD, label


@pytest.mark.parametrize("label", ["Dịch vụ công trực tuyến", "Tiếp cận pháp luật", "Tin tức - Sự kiện", "Trang chủ",
                                   "Liên hệ", "Thư viện ảnh",
                                   "Hội nghị tập huấn công khai ngân sách năm 2025 cho các đơn vị dự toán cấp dưới"])
def test_other_entries_are_not_hubs(label: str):
    assert reach.landing_score(_link(label, chrome="menu")) < reach.LANDING_THRESHOLD, label


def test_a_sub_menu_item_under_a_hub_is_a_hub_and_only_navigation_is_tried():
    under = _link("Hỏi đáp", url="http://a.gov.vn/hoi-dap", context="menu: Dành cho công dân", chrome="menu")
    assert reach.landing_score(under) >= reach.LANDING_THRESHOLD
    links = [under, _link("Công khai", url="http://a.gov.vn/cong-khai"),  # body link: not navigation
             _link("Công khai", url="http://a.gov.vn/tin-tuc/cong-khai", chrome="menu"),  # news
             _link("Công khai minh bạch", url="http://a.gov.vn/ckmb", chrome="footer"),
             _link("Công khai minh bạch", url="http://b.gov.vn/ckmb", chrome="menu")]  # another site
    hubs = reach.landing_links(links, same_site=lambda u: "a.gov.vn" in u, exclude=set(), limit=4, key=url_key)
    assert [h["url"] for h in hubs] == ["http://a.gov.vn/ckmb", "http://a.gov.vn/hoi-dap"]
    assert hubs[0]["via"] == "footer" and hubs[1]["via"] == "submenu"


def test_a_document_in_the_menu_is_never_a_hub():
    # Every suffix the crawler fetches as a document (crawler.discovery.DOCUMENT_EXTENSIONS), not a shorter list.
    links = [_link("Công khai minh bạch", url=f"http://a.gov.vn/cong-khai.{ext}", chrome="menu")
             for ext in ("pdf", "odt", "ods", "rtf", "7z")]
    assert reach.landing_links(links, same_site=lambda u: True, exclude=set(), limit=9, key=url_key) == []


def test_reach_entries_say_how_the_section_was_reached():
    menu = reach.reach_entry(_link("Tiếp cận thông tin", chrome="menu", context="menu: Công dân"), "http://a/")
    assert menu["via"] == "submenu" and menu["menu"] == "Công dân"
    assert reach.reach_entry(_link("Tiếp cận thông tin", chrome="footer"), "http://a/")["via"] == "footer"
    alt = _link(img_src="http://a/b.png", img_alt="Chuyên mục tiếp cận thông tin", chrome="sidebar")
    assert reach.reach_entry(alt, "http://a/")["via"] == "banner_alt"
    assert reach.reach_entry(_link(img_src="http://a/tiepcanthongtin.png"), "http://a/")["via"] == "banner_file"
    ocr = reach.reach_entry(_link(img_src="http://a/bn.png", ocr_text="TIẾP CẬN THÔNG TIN"), "http://a/")
    assert ocr["via"] == "banner_ocr" and ocr["label"] == "TIẾP CẬN THÔNG TIN"
    landing = reach.reach_entry(_link("Tiếp cận thông tin"), "http://a/ckmb", "landing",
                                {"url": "http://a/ckmb", "label": "Công khai minh bạch", "via": "menu"})
    assert landing["via"] == "landing" and landing["on_page"] == "body"
    assert landing["through"]["label"] == "Công khai minh bạch"
    assert "landing page 'Công khai minh bạch' (menu)" in reach.describe(landing)
    assert reach.reach_entry(_link(), "http://a/sitemap.xml", "sitemap")["via"] == "sitemap"


def test_ocr_text_names_the_section_despite_ocr_errors_but_not_confusables():
    assert reach.ocr_names_section("TIẾP CẬN THÔNG TIN") >= 0.8
    assert reach.ocr_names_section("TIEP CAN THONG TlN") > 0  # lost diacritics, l for I
    assert reach.ocr_names_section("TIẾP CẬN PHÁP LUẬT") == 0
    assert reach.ocr_names_section("CỔNG DỊCH VỤ CÔNG") == 0


def test_tag_archives_and_item_pages():
    for url in ("http://a.vn/tag/tiep-can-thong-tin/", "http://a.vn/news/tag/tctt", "http://a.vn/?tag=tctt",
                "http://a.vn/component/tags/tag/tiep-can-thong-tin.html"):
        assert reach.is_tag_archive(url), url
    assert not reach.is_tag_archive("http://a.vn/category/tiep-can-thong-tin/")
    assert reach.names_item_page(_link("Gửi góp ý, phản ánh", url="http://a.vn/gop-y"))
    assert reach.names_item_page(_link("Tại đây", url="http://a.vn/contact/"))
    assert not reach.names_item_page(_link("Tin hoạt động", url="http://a.vn/tin-hoat-dong"))


# --- sitemaps -----------------------------------------------------------------------------------------
URLSET = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
          b"<url><loc>http://a.vn/index.php?option=com_content&amp;view=article&amp;id=5&amp;Itemid=7</loc></url>"
          b"<url><loc><![CDATA[http://a.vn/index.php?language=vi&nv=news&op=tiep-can-thong-tin]]></loc></url>"
          b"<url><loc>\n   http://a.vn/x  \n</loc></url></urlset>")


def test_sitemaps_decode_entities_and_cdata_plain_or_gzipped():
    wanted = ["http://a.vn/index.php?option=com_content&view=article&id=5&Itemid=7",
              "http://a.vn/index.php?language=vi&nv=news&op=tiep-can-thong-tin", "http://a.vn/x"]
    assert sitemaps.read(URLSET).locations == wanted
    assert sitemaps.read(gzip.compress(URLSET)).locations == wanted
    assert sitemaps.read(URLSET).kind == "urlset"


def test_sitemap_indexes_robots_lines_and_refusals():
    index = sitemaps.read(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>'
                          b"http://a.vn/wp-sitemap-posts-post-1.xml</loc></sitemap><sitemap><loc>"
                          b"http://a.vn/wp-sitemap-posts-page-1.xml</loc></sitemap><sitemap><loc>"
                          b"http://a.vn/wp-sitemap-taxonomies-post_tag-1.xml</loc></sitemap></sitemapindex>")
    assert index.kind == "sitemapindex"
    assert sitemaps.children(index.locations)[0] == "http://a.vn/wp-sitemap-posts-page-1.xml"
    assert sitemaps.children(index.locations)[-1].endswith("post_tag-1.xml")
    robots = b"User-agent: *\nDisallow: /wp-admin/\nSitemap: /wp-sitemap.xml\nsitemap: https://a.vn/sitemap_index.xml\n"
    assert sitemaps.from_robots(robots, "http://a.vn/robots.txt") == ["http://a.vn/wp-sitemap.xml",
                                                                      "https://a.vn/sitemap_index.xml"]
    assert sitemaps.read("<!DOCTYPE html><html><body>Không tìm thấy</body></html>".encode()).kind == "invalid"
    assert sitemaps.read(b"").kind == "invalid"
    bomb = gzip.compress(b"<urlset>" + b" " * (sitemaps.MAX_UNZIPPED + 1024) + b"</urlset>")
    refused = sitemaps.read(bomb)
    assert refused.kind == "invalid" and "gzip" in refused.error and len(bomb) < 100_000


# --- challenge pages ------------------------------------------------------------------------------------
CHALLENGES = {
    "cloudflare": '<html><head><title>Just a moment...</title></head><body><div id="challenge-stage"></div>'
                  '<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script></body></html>',
    "turnstile": '<html><body><form method="post"><div class="cf-turnstile" data-sitekey="0x4AAA"></div>'
                 '<button>Tiếp tục</button></form></body></html>',
    "imperva": '<html><head><meta name="robots" content="noindex"></head><body><iframe src="/_Incapsula_Resource?'
               'CWUDNSAI=9&xinfo=1" frameborder=0>Request unsuccessful.</iframe></body></html>',
    "f5": '<html><head><script>window.TSPD_101="08b0"; document.cookie="TS01=1"; location.reload();</script>'
          '<script src="/TSPD/08a4?type=9"></script></head><body></body></html>',
    "recaptcha": '<html><body><form action="/verify"><div class="g-recaptcha" data-sitekey="6L"></div>'
                 '<p>Vui lòng xác minh bạn không phải là robot</p></form></body></html>',
    "hcaptcha": '<html><body><form><div class="h-captcha" data-sitekey="10000000"></div></form>'
                '<script src="https://hcaptcha.com/1/api.js"></script></body></html>',
    "home-made": '<html><body><h3>Xác thực truy cập</h3><form method="post"><img src="/ImageCode.aspx?r=2">'
                 '<input name="txtCode" placeholder="Nhập mã bảo vệ"><input type="submit" value="Gửi"></form>'
                 "</body></html>",
    "home-made-text": '<html><body><p>Bạn có phải là người máy không? Hãy nhập các ký tự trong hình.</p><form>'
                      '<img src="/anh.jpg"><input name="ma"><button>OK</button></form></body></html>',
    "script-wall": '<html><head><script>var a="x1";document.cookie="__tk="+a;window.location.href=location.href;'
                   "</script></head><body></body></html>",
}


@pytest.mark.parametrize("make", sorted(CHALLENGES))
def test_challenge_pages_are_recognised_by_their_shape(make: str):
    assert blocks.challenge(CHALLENGES[make]), make


def test_a_real_page_with_a_captcha_on_its_form_or_a_short_page_is_not_a_wall():
    news = "".join(f'<li><a href="/tin/{i}">Tin hoạt động số {i} của đơn vị trong tuần qua</a></li>' for i in range(15))
    home = (f'<html><body><nav><a href="/">Trang chủ</a></nav><ul>{news}</ul><form action="/gop-y">'
            '<input name="hoten"><input name="ma_xac_nhan"><img src="/captcha.php"><div class="g-recaptcha">'
            "</div></form></body></html>")
    assert blocks.challenge(home) is None
    assert blocks.challenge('<html><body><a href="/tiep-can-thong-tin">Tiếp cận thông tin</a></body></html>') is None
    assert blocks.challenge('<html><head><meta http-equiv="refresh" content="0; url=/home"></head></html>') is None
    assert blocks.challenge(b"") is None


@pytest.mark.parametrize("make", sorted(CHALLENGES))
def test_what_a_reader_does_not_see_does_not_make_a_wall_a_page(make: str):
    """A real page stops the check early (too many words or links to be a wall). Only what a reader sees
    counts there, as in the full check: links and words inside <noscript>, <template> or a script, and
    links to nowhere, leave a wall a wall; the limit on links is the same, to the link."""
    wall = CHALLENGES[make]
    hidden = ("<noscript>" + '<a href="/x">x</a>' * 20 + " chữ" * 300 + "</noscript>"
              "<template>" + '<a href="/y">y</a>' * 20 + "</template>"
              "<script>var menu = '" + '<a href="/z">z</a>' * 20 + "';</script>" + '<a href="#">top</a>' * 30)
    assert blocks.challenge(wall.replace("</body>", hidden + "</body>")), make
    own = sum(1 for a in blocks._parse(wall).iter("a") if (a.get("href") or "").strip() not in ("", "#"))
    up_to_the_limit = '<a href="/a">a</a>' * (blocks.MAX_LINKS - own)
    assert blocks.challenge(wall.replace("</body>", up_to_the_limit + "</body>")), make
    assert blocks.challenge(wall.replace("</body>", up_to_the_limit + '<a href="/b">b</a></body>')) is None
    assert blocks.challenge(wall.replace("</body>", "<p>" + " chữ" * (blocks.MAX_WORDS + 1) + "</p></body>")) is None


# --- pagination and URL keys --------------------------------------------------------------------------
@pytest.mark.parametrize(("page", "link"), [
    ("http://a.vn/category/tiep-can-thong-tin/", "http://a.vn/category/tiep-can-thong-tin/page/2/"),
    ("http://a.vn/category/tiep-can-thong-tin/page/2/", "http://a.vn/category/tiep-can-thong-tin/page/3/"),
    ("http://a.vn/news/tiep-can-thong-tin/", "http://a.vn/news/tiep-can-thong-tin/page-2"),
    ("http://a.vn/index.php?language=vi&nv=news&op=tctt", "http://a.vn/index.php?language=vi&nv=news&op=tctt/page-2"),
    ("http://a.vn/index.php/tctt", "http://a.vn/index.php/tctt?start=20"),
    ("http://a.vn/danh-muc?id=3", "http://a.vn/danh-muc?id=3&page=1"),
])
def test_next_pages_of_a_listing(page: str, link: str):
    assert same_listing(page, link)
    assert listing_page(link) is not None


def test_other_links_are_not_next_pages():
    assert not same_listing("http://a.vn/danh-muc?id=3", "http://a.vn/danh-muc?id=4&page=2")
    assert not same_listing("http://a.vn/tctt", "http://a.vn/tin-tuc/page/2")
    assert not same_listing("http://a.vn/tctt/page/2", "http://a.vn/tctt")  # back to the first page
    assert listing_page("http://a.vn/tctt/mau-so-02") is None


def test_sid_is_a_content_id_unless_it_looks_like_a_token():
    assert url_key("https://so.gov.vn/tin?sid=12") != url_key("https://so.gov.vn/tin?sid=13")
    assert url_key("https://so.gov.vn/tin?sid=a81f0c2b9d7e4f10ab") == url_key("https://so.gov.vn/tin")
    # One key for crawler and auditors: trackers, session paths and default ports go the same way.
    for variant in ("https://so.gov.vn:443/x.pdf?utm_source=zalo", "https://so.gov.vn/x.pdf;jsessionid=AB12"):
        assert url_key(variant) == url_key("https://so.gov.vn/x.pdf")
    assert url_key("http://so.gov.vn:80/x") == url_key("http://so.gov.vn/x")


def test_auditors_key_pages_with_the_crawlers_key_and_its_depth():
    from datetime import date

    from auditors.evidence import Evidence

    pages = [{"url": "http://a.vn/tctt", "kind": "candidate", "depth": 1, "status": 200,
              "links": [{"url": "http://a.vn/p1;jsessionid=X?utm_source=z"}]},
             {"url": "http://a.vn/p1", "kind": "section", "depth": 2, "status": 200,
              "links": [{"url": "http://a.vn/p2"}]},
             {"url": "http://a.vn/p2", "kind": "section", "depth": 3, "status": 200,
              "links": [{"url": "http://a.vn/p3"}]},
             {"url": "http://a.vn/p3", "kind": "section", "depth": 4, "status": 200, "links": []}]
    shallow = Evidence.build({"id": "a"}, {"section_url": "http://a.vn/tctt"}, pages, [], date(2026, 12, 1))
    deep = Evidence.build({"id": "a"}, {"section_url": "http://a.vn/tctt"}, pages, [], date(2026, 12, 1),
                          section_depth=3)
    assert [p["url"] for p in shallow.section_pages] == ["http://a.vn/tctt", "http://a.vn/p1", "http://a.vn/p2"]
    assert len(deep.section_pages) == 4


@pytest.mark.skipif(available("vie") is not None, reason="tesseract with the Vietnamese model is not installed")
def test_banner_images_are_read_by_ocr_and_large_images_are_not():
    from farms.gold.docs import banner

    read = extract(banner("TIẾP CẬN THÔNG TIN"), "http://a.vn/bn.png", Limits())
    assert read["error"] is None and reach.ocr_names_section(read["text"]) >= 0.8
    import io

    from PIL import Image

    big = io.BytesIO()
    Image.new("L", (3000, 2000), 255).save(big, "PNG")
    assert "larger than a banner" in extract(big.getvalue(), "http://a.vn/poster.png", Limits())["error"]


# --- unseen portals, end to end --------------------------------------------------------------------------
UNSEEN = [
    {"id": "u-submenu", "platform": "joomla", "reach": "submenu", "hub": "Công dân - Doanh nghiệp", "seed": 71,
     "province": "Hà Tĩnh", "traps": ["legal_access", "news_category", "tag_archive"], "expect_via": "submenu"},
    {"id": "u-submenu-block", "platform": "wordpress", "theme": "wordpress_block", "reach": "submenu", "seed": 72,
     "hub": "Thông tin cần biết", "province": "Cần Thơ", "traps": ["spokesperson_page"], "expect_via": "submenu"},
    {"id": "u-landing", "platform": "drupal", "url_style": "drupal_node", "reach": "landing", "seed": 73,
     "hub": "Công khai thông tin", "sitemap": False, "province": "Lâm Đồng", "traps": ["land_forms", "most_viewed"],
     "expect_via": "landing"},
    {"id": "u-landing-liferay", "platform": "liferay", "reach": "landing", "hub": "Dành cho công dân", "seed": 74,
     "sitemap": False, "province": "Huế", "expect_via": "landing"},
    {"id": "u-footer", "platform": "dotnet", "reach": "footer", "seed": 75, "province": "Hưng Yên",
     "traps": ["directive_news"], "expect_via": "footer"},
    {"id": "u-banner", "platform": "oracle", "reach": "banner", "seed": 76, "province": "Ninh Bình",
     "expect_via": "banner"},
    {"id": "u-banner-ocr", "platform": "nukeviet", "reach": "banner_ocr", "slug": "chuyen-trang-2", "seed": 77,
     "sitemap": False, "province": "Lào Cai", "traps": ["public_service"], "expect_via": "banner_ocr"},
    {"id": "u-sitemap-index", "platform": "joomla", "reach": "sitemap_index", "seed": 78, "province": "Quảng Trị",
     "traps": ["legal_access"], "sitemap_alias": False, "expect_via": "sitemap"},
    {"id": "u-sitemap-gz", "platform": "sharepoint", "reach": "sitemap_gz", "seed": 79, "province": "Hải Phòng",
     "sitemap_alias": False, "expect_via": "sitemap"},
    {"id": "u-sitemap-amp", "platform": "nukeviet", "url_variant": 0, "reach": "sitemap", "seed": 80,
     "province": "Bắc Ninh", "traps": ["many_news"], "expect_via": "sitemap"},
    {"id": "u-none", "platform": "wordpress", "reach": "none", "seed": 81, "province": "Tây Ninh",
     "traps": ["legal_access", "spokesperson_page", "land_forms", "news_category", "tag_archive"]},
]


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory, tctt) -> dict:
    folder = tmp_path_factory.mktemp("unseen")
    specs = folder / "specs"
    specs.mkdir()
    for spec in UNSEEN:
        data = {k: v for k, v in spec.items() if not k.startswith("expect")}
        (specs / f"{spec['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = folder / "out"
    done = tctt('evaluate', '--gold', str(specs), '--out', str(out), '--log-level', 'WARNING', timeout=400)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    with sqlite3.connect(out / "gold.db") as conn:
        conn.row_factory = sqlite3.Row
        candidates = [dict(r) for r in conn.execute("select agency_id, url, chosen, reach from candidates")]
    return {"portals": {p["id"]: p for p in result["portals"]}, "candidates": candidates}


@pytest.mark.e2e
@pytest.mark.parametrize("spec", UNSEEN, ids=[s["id"] for s in UNSEEN])
def test_unseen_portals_section_found_and_no_confusable_taken(unseen: dict, spec: dict):
    if spec.get("reach") == "banner_ocr" and available("vie") is not None:
        pytest.skip("tesseract with the Vietnamese model is not installed")
    portal = unseen["portals"][spec["id"]]
    assert portal["status"] == "audited"
    assert portal["section_ok"], (portal["section_found"], portal["section_expected"], portal["candidates"])
    wrong = {rule: v for rule, v in portal["rules"].items() if v["expected"] and v["expected"] != v["got"]}
    assert len(wrong) <= 1, wrong  # at least 9 of 10 item judgements right on each portal


@pytest.mark.e2e
@pytest.mark.parametrize("spec", [s for s in UNSEEN if s.get("expect_via")], ids=lambda s: s["id"])
def test_unseen_portals_record_how_the_section_was_reached(unseen: dict, spec: dict):
    if spec.get("reach") == "banner_ocr" and available("vie") is not None:
        pytest.skip("tesseract with the Vietnamese model is not installed")
    chosen = [c for c in unseen["candidates"] if c["agency_id"] == spec["id"] and c["chosen"]]
    assert len(chosen) == 1
    ways = json.loads(chosen[0]["reach"] or "[]")
    assert any(w["via"].startswith(spec["expect_via"]) for w in ways), ways
    if spec["expect_via"] == "landing":
        assert any(w.get("through", {}).get("label") == spec["hub"] for w in ways), ways
    if spec["expect_via"] == "submenu":
        assert any(w.get("menu") == spec["hub"] for w in ways), ways
