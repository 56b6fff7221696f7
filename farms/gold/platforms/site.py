"""The rest of a portal: home page, news, attachments, false friends (traps), the reach of the section,
sitemaps, and the portal's assembly."""

from __future__ import annotations

import gzip
import random
import re
import unicodedata
from html import escape
from typing import Any

from core.vntext import slug_words
from farms.gold import docs, vocab
from farms.gold.platforms.content import SectionContent
from farms.gold.platforms.markup import _document, _restyle
from farms.gold.platforms.urls import Urls
from farms.gold.spec import _NEWS, AREA_CODES, SERVER_HEADERS, Portal, derive_labels, normalize


class Builder(SectionContent):
    def __init__(self, spec: dict[str, Any]):
        self.s = s = normalize(spec)
        self.rng = random.Random(s["seed"])
        self.urls = Urls(s, self.rng)
        self.files: dict[str, bytes] = {}
        self.host = s["host"]
        self.current_host = self.host  # where pages and files being written live (the section may be elsewhere)
        self.in_section = False  # pages being written belong to the section (editor-styled headings)
        self.section_menu = ""  # the section's side menu (layout "menu"), shown on the section page
        rng = self.rng
        s["_address"] = f"Số {rng.randrange(2, 300)} đường {rng.choice(vocab.STREETS)}, {s['province']}"
        area = f"0{rng.choice(AREA_CODES)}"
        s["_phone"] = f"{area}.{rng.randrange(3, 4)}{rng.randrange(100, 999)}.{rng.randrange(100, 999)}"
        s["_email"] = f"{s['code']}@{s['province_host']}.gov.vn"
        self.nav: list[tuple[str, str]] = []
        self.footer_links: list[tuple[str, str]] = []
        self.sidebar: list[str] = []
        self.home_news: list[tuple[str, str]] = []
        self.sitemap: list[str] = []
        self.later: list[tuple[str, str, str]] = []  # (path, title, main) of pages written with the ordinary ones
        self.tagged: list[tuple[str, str]] = []  # the section's pages (a tag archive lists them)
        self.tag_path = {"nukeviet": "/news/tag/tiep-can-thong-tin", "joomla": "/component/tags/tag/tiep-can-thong-tin.html",
                         "drupal": "/tags/tiep-can-thong-tin"}.get(s["platform"], "/tag/tiep-can-thong-tin/")

    # helpers
    def person(self) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.5:
            return "Bà", f"{rng.choice(vocab.FAMILY)} {rng.choice(vocab.MIDDLE_F)} {rng.choice(vocab.GIVEN_F)}"
        return "Ông", f"{rng.choice(vocab.FAMILY)} {rng.choice(vocab.MIDDLE_M)} {rng.choice(vocab.GIVEN_M)}"

    def mobile(self) -> str:
        rng = self.rng
        return f"09{rng.randrange(10, 99)}.{rng.randrange(100, 999)}.{rng.randrange(100, 999)}"

    def landline(self) -> str:
        rng = self.rng
        return f"0{rng.choice(AREA_CODES)}.{rng.randrange(3000, 3999)}.{rng.randrange(100, 999)}"

    def put(self, path: str, body: bytes, host: str | None = None) -> str:
        host = host or self.current_host
        self.files[f"{host}{path}"] = body
        if host == self.host:
            self.sitemap.append(path)
        return path

    def page(self, path: str, title: str, main: str, host: str | None = None) -> str:
        if self.in_section:
            main = _restyle(main, self.s["style"]["headings"])
            if (host or self.current_host) == self.host:
                self.tagged.append((title, path))
        print_link = ""
        if self.s["url_trap"] == "print" or self.s["platform"] in ("dotnet", "sharepoint"):
            print_link = f"/print.aspx?p={path}"
            self.files[f"{host or self.current_host}{print_link}"] = (
                f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
                f'<body onload="window.print()">{main}</body></html>').encode()
        sidebar = (self.section_menu if self.in_section else "") + "".join(self.sidebar)
        body = _document(self.s, title, main, self.nav, sidebar, self.footer_links, print_link)
        return self.put(path, body, host)

    def news_article(self, title: str, paragraphs: list[str], slug: str | None = None) -> str:
        rng = self.rng
        path = self.urls.news(slug or slug_words(title).replace(" ", "-")[:70])
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        main = (f'<div class="news-detail"><h1 class="title">{escape(title)}</h1>'
                f'<div class="meta">Ngày đăng: {rng.randrange(1, 28):02d}/{rng.randrange(1, 12):02d}/2024 | '
                f'Lượt xem: {rng.randrange(100, 9000)}</div>{body}'
                f'<div class="related"><h3>Các tin khác</h3><ul><li><a href="/">{escape(vocab.NEWS_TITLES[0])}</a></li>'
                "</ul></div></div>")
        return self.page(path, title, main)

    def document_rows(self, n: int) -> list[list[str]]:
        rng = self.rng
        rows = []
        for i in range(n):
            kind, suffix, about = vocab.DOCUMENTS[(i + rng.randrange(8)) % len(vocab.DOCUMENTS)]
            number = f"{rng.randrange(10, 2999)}/{suffix}"
            rows.append([f"{kind} số {number} {about}", f"{rng.randrange(1, 28):02d}/{rng.randrange(1, 12):02d}/2025",
                         rng.choice(vocab.DISCLOSURE_FORMS), rng.choice(vocab.DISCLOSURE_TIMES), kind, number, about])
        return rows

    def attach(self, name: str, lines: list[str], ext: str = "pdf", scanned: bool = False) -> str:
        body = docs.pdf(lines, scanned=scanned) if ext == "pdf" else docs.rtf(lines)
        return self.put(self.urls.file(name, ext), body)

    # the parts of the section: each returns HTML for the section page (and may add subpages)

    def traps(self) -> None:
        s, rng = self.s, self.rng
        for trap in s["traps"]:
            if trap == "most_viewed":
                items = "".join(f'<li><a href="{escape(self.news_article(t, [t + "."]))}">{escape(t)}</a></li>'
                                for t in vocab.NEWS_TITLES[:3])
                self.sidebar.append(f'<div class="block"><h3 class="block-title">TIẾP CẬN THÔNG TIN</h3><ul>{items}</ul></div>')
            elif trap == "news_category":
                articles = [(t, self.news_article(t, [t + ". Nội dung tin."])) for t in vocab.NEWS_TITLES[2:5]]
                listing = "".join(f'<div class="item"><h3><a href="{escape(p)}">{escape(t)}</a></h3><span class="date">'
                                  f"{rng.randrange(1, 28):02d}/10/2024</span></div>" for t, p in articles)
                path = self.page(self.urls.page("tiep-can-thong-tin-tin-tuc" if s["reach"] != "none" and
                                                s["slug"] == "tiep-can-thong-tin" else "tiep-can-thong-tin"),
                                 "Tin tức - Sự kiện", f"<h1>Tin tức - Sự kiện</h1>{listing}")
                self.nav.insert(2, (rng.choice(["Du lịch - Lễ hội", "Tin tức", "Tin hoạt động"]), path))
            elif trap == "directive_news":
                title = rng.choice(["Triển khai thi hành Luật Tiếp cận thông tin",
                                    f"{s['name']} chỉ đạo thực hiện Luật Tiếp cận thông tin",
                                    "Tăng cường bảo đảm quyền tiếp cận thông tin của công dân"])
                path = self.news_article(title, [
                    "Thực hiện Luật Tiếp cận thông tin, yêu cầu các cơ quan, đơn vị lập Danh mục thông tin phải được "
                    "công khai, ban hành Quy chế nội bộ về tổ chức cung cấp thông tin, phân công đơn vị đầu mối cung cấp "
                    "thông tin.",
                    "Các đơn vị sử dụng Mẫu số 01a, 01b, 02, 03, 04, 05, 06 ban hành kèm theo Nghị định 13/2018/NĐ-CP, "
                    "công bố địa chỉ tiếp nhận yêu cầu cung cấp thông tin qua mạng điện tử và hướng dẫn khai thác thông tin.",
                    "Giao Văn phòng theo dõi, đôn đốc; báo cáo kết quả trước ngày 30/12."])
                self.home_news.append((title, path))
            elif trap == "law_text":
                chapters = "".join(f"<p>Điều {i}. {t}</p><p>Nội dung điều luật.</p>" for i, t in enumerate(
                    ["Phạm vi điều chỉnh", "Giải thích từ ngữ", "Nguyên tắc bảo đảm quyền tiếp cận thông tin",
                     "Chủ thể thực hiện quyền tiếp cận thông tin", "Thông tin công dân được tiếp cận",
                     "Thông tin công dân không được tiếp cận", "Thông tin công dân được tiếp cận có điều kiện",
                     "Quyền và nghĩa vụ của công dân"], start=1))
                title = "Luật Tiếp cận thông tin số 104/2016/QH13"
                path = self.page(self.urls.news("luat-tiep-can-thong-tin-2016"), title,
                                 f'<h1>{title}</h1><p>Chương I</p><p>NHỮNG QUY ĐỊNH CHUNG</p>{chapters}'
                                 "<p>Danh mục thông tin phải được công khai; đầu mối cung cấp thông tin; quy chế nội bộ.</p>")
                self.home_news.append(("Toàn văn Luật Tiếp cận thông tin", path))
            elif trap == "legal_access":
                path = self.page(self.urls.page("chuan-tiep-can-phap-luat"), "Tiếp cận pháp luật",
                                 "<h1>Xây dựng xã, phường đạt chuẩn tiếp cận pháp luật</h1><p>Tiêu chí 1: Ban hành văn bản "
                                 "quy phạm pháp luật. Tiêu chí 2: Tiếp cận thông tin, phổ biến, giáo dục pháp luật.</p>")
                self.nav.append(("Tiếp cận pháp luật", path))
            elif trap == "spokesperson_page":
                title, person = self.person()
                path = self.page(self.urls.page("nguoi-phat-ngon"), "Người phát ngôn",
                                 f"<h1>Người phát ngôn và cung cấp thông tin cho báo chí</h1><p>{title} {person}, Phó "
                                 f"Giám đốc. Điện thoại: {self.mobile()}. Email: phatngon@{s['province_host']}.gov.vn</p>")
                self.sidebar.append(f'<p><a href="{escape(path)}">Người phát ngôn, cung cấp thông tin cho báo chí</a></p>')
            elif trap == "working_rules":
                path = self.page(self.urls.page("quy-che-lam-viec"), "Quy chế làm việc",
                                 f"<h1>Quy chế làm việc của {escape(s['name'])}</h1><p>Điều 1. Phạm vi điều chỉnh</p>")
                self.home_news.append((f"Quy chế làm việc của {s['name']}", path))
            elif trap == "land_forms":
                path = self.page(self.urls.page("cung-cap-thong-tin-dat-dai"), "Cung cấp thông tin đất đai",
                                 "<h1>Cung cấp thông tin, dữ liệu đất đai</h1><ul><li>Mẫu số 01/PYC - Phiếu yêu cầu cung "
                                 "cấp thông tin, dữ liệu đất đai</li></ul>")
                self.nav.append(("Cung cấp dữ liệu đất đai", path))
            elif trap == "many_news":  # a home page full of news about the Law, each a candidate link
                for n, topic in enumerate(["Hội nghị tập huấn Luật Tiếp cận thông tin", "Tuyên truyền Luật Tiếp cận thông tin",
                                           "Kiểm tra việc thực hiện Luật Tiếp cận thông tin", "Sơ kết 5 năm thi hành Luật "
                                           "Tiếp cận thông tin", "Bảo đảm quyền tiếp cận thông tin của người dân",
                                           "Tọa đàm về tiếp cận thông tin", "Cuộc thi tìm hiểu Luật Tiếp cận thông tin",
                                           "Báo cáo tình hình thực hiện Luật Tiếp cận thông tin"]):
                    title = f"{topic} năm {2019 + n}"
                    self.home_news.append((title, self.news_article(title, [title + ". Nội dung tin."])))
            elif trap == "tag_archive":  # a tag cloud widget (WordPress widget_tag_cloud and the like)
                tags = "".join(f'<a href="{escape(h)}" class="tag-cloud-link">{escape(t)}</a> ' for t, h in (
                    ("Tiếp cận thông tin", self.tag_path), ("Cải cách hành chính", self.urls.page("the-cai-cach"))))
                self.sidebar.append(f'<section class="widget widget_tag_cloud"><h2 class="widget-title">Thẻ</h2>'
                                    f'<div class="tagcloud">{tags}</div></section>')
            elif trap == "public_service":
                self.sidebar.append('<p><a href="https://dichvucong.gov.test/"><img src="/images/dvc.png" '
                                    'alt="Cổng dịch vụ công"></a></p>')

    def write_sitemaps(self, reach: str, section_host: str, section_path: str) -> None:
        """robots.txt and the sitemaps it names: a flat /sitemap.xml (reach sitemap and most portals), a
        sitemap index (WordPress core /wp-sitemap.xml, Yoast /sitemap_index.xml) whose page sitemap holds the
        section, or a gzipped one (.xml.gz, in CDATA) — with /sitemap.xml answering too unless the spec says
        ``sitemap_alias: false`` (then only robots.txt names them); none at all with ``sitemap: false``."""
        if self.s.get("sitemap") is False:
            self.files[f"{self.host}/robots.txt"] = b"User-agent: *\nDisallow: /admin/\n"
            return
        pages = [f"http://{self.host}{p}" for p in self.sitemap
                 if not p.endswith((".pdf", ".doc", ".docx", ".xls", ".xlsx", ".png", ".jpg"))]
        if reach.startswith("sitemap") and section_host != self.host:
            pages.append(f"http://{section_host}{section_path}")
        robots = "User-agent: *\nDisallow: /admin/\n"
        if reach == "sitemap_index":
            core = self.s["platform"] == "wordpress"
            index = "/wp-sitemap.xml" if core else "/sitemap_index.xml"
            news = [u for u in pages if _NEWS.search(u)]
            children = {("/wp-sitemap-posts-post-1.xml" if core else "/post-sitemap.xml"): news,
                        ("/wp-sitemap-posts-page-1.xml" if core else "/page-sitemap.xml"): [u for u in pages if u not in news]}
            for path, locations in children.items():
                self.files[f"{self.host}{path}"] = _urlset(locations)
            self.files[f"{self.host}{index}"] = (
                '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<sitemap><loc>http://{self.host}{p}</loc></sitemap>" for p in children) + "</sitemapindex>").encode()
            robots += f"\nSitemap: http://{self.host}{index}\n"
            if self.s.get("sitemap_alias", True):  # WordPress and Yoast answer /sitemap.xml with their index too
                self.files[f"{self.host}/sitemap.xml"] = self.files[f"{self.host}{index}"]
        elif reach == "sitemap_gz":
            self.files[f"{self.host}/sitemaps/sitemap.xml.gz"] = gzip.compress(_urlset(pages, cdata=True), mtime=0)
            robots += "Sitemap: /sitemaps/sitemap.xml.gz\n"
            if self.s.get("sitemap_alias", True):  # an index at the usual place naming the gzipped sitemap
                self.files[f"{self.host}/sitemap.xml"] = (
                    '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                    f'sitemap/0.9"><sitemap><loc>http://{self.host}/sitemaps/sitemap.xml.gz</loc></sitemap>'
                    "</sitemapindex>").encode()
        else:
            self.files[f"{self.host}/sitemap.xml"] = _urlset(pages)
            robots += "Sitemap: /sitemap.xml\n"
        self.files[f"{self.host}/robots.txt"] = robots.encode()

    def build(self) -> Portal:
        s, rng, urls = self.s, self.rng, self.urls
        home = urls.home()
        self.nav = [("Trang chủ", home), ("Giới thiệu", urls.page("gioi-thieu")), ("Tin tức", urls.page("tin-tuc")),
                    ("Văn bản", urls.page("van-ban")), ("Liên hệ", urls.page("lien-he"))]
        self.footer_links = [("Sơ đồ trang", "/sitemap.xml"), ("Liên hệ", self.nav[-1][1])]
        self.traps()
        for link in s.get("extra_links") or []:
            self.sidebar.append(f'<p><a href="{escape(link["href"])}">{escape(link["text"])}</a></p>')

        # the section: where it lives and how it is reached
        reach = s["reach"]
        section_host = self.host
        if reach == "subdomain":
            section_host = f"tctt.{self.host}"
            section_path = "/"
        elif reach == "parent":
            section_host = s["parent_host"]
            section_path = f"/{s['code']}/{s['slug']}"
        else:
            section_path = urls.page(s["slug"])
            if s["url_trap"] == "www":  # the menu links the www. alias of the host
                section_host = f"www.{self.host}"
        href = section_path if section_host == self.host else f"http://{section_host}{section_path}"
        if s["url_trap"] == "jsessionid":
            href = re.sub(r"^([^?]*)", lambda m: m.group(1) + ";jsessionid=A1B2C3D4E5F60718293A4B5C6D7E8F90", href, count=1)
        elif s["url_trap"] == "port":
            # The explicit default port (":443" on https portals; loopback serves http, so ":80").
            href = f"http://{section_host}:80{section_path}"
        label = s["label"]
        hub = s.get("hub") or rng.choice(vocab.HUB_LABELS)
        if reach in ("menu", "subdomain", "parent"):
            self.nav.insert(len(self.nav) - 1, (label, href))
        elif reach in ("submenu", "landing"):
            # A hub of the main menu: its sub-menu lists the section (submenu), or the page it opens does (landing).
            hub_path = urls.page(slug_words(hub).replace(" ", "-"))
            siblings = [(t, urls.page(slug_words(t).replace(" ", "-"))) for t in rng.sample(vocab.HUB_SIBLINGS, 3)]
            self.nav.insert(len(self.nav) - 1, (hub, hub_path))
            entries = siblings[:1] + [(label, href)] + siblings[1:]
            if reach == "submenu":
                s["_submenus"] = {hub: entries}
                hub_main = f"<h1>{escape(hub)}</h1><p>Thông tin dành cho người dân và doanh nghiệp.</p>"
            else:
                items = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in entries)
                hub_main = f'<h1 class="page-title">{escape(hub)}</h1><ul class="list-link">{items}</ul>'
            self.later.append((hub_path, hub, hub_main))
            for title, path in siblings:
                self.later.append((path, title, f"<h1>{escape(title)}</h1><p>Đang cập nhật.</p>"))
        elif reach == "banner_ocr":
            # Only the picture says it: no alt text, a file name and a link that name nothing.
            banner = self.put(urls.file(f"bn-{rng.randrange(10, 99)}", "png"), docs.banner(rng.choice(
                ["TIẾP CẬN THÔNG TIN", "Tiếp cận thông tin"])))
            self.sidebar.insert(0, f'<div class="banner"><a href="{escape(href)}"><img src="{escape(banner)}" '
                                   'alt=""></a></div>')
        elif reach == "footer":
            self.footer_links.insert(0, (label, href))
        elif reach == "banner":
            banner = urls.file(rng.choice(["banner-tiep-can-thong-tin", "tiepcanthongtin", "bn-tctt"]), "png")
            alt = rng.choice([label, "", "Tiếp cận thông tin"])
            self.sidebar.insert(0, f'<div class="banner"><a href="{escape(href)}"><img src="{escape(banner)}" '
                                   f'alt="{escape(alt)}"></a></div>')
        # the parts of the section live where the section lives
        subpages = s["layout"] == "subpages"
        regulation_html = ""
        if s["elements"]["regulation"] == "news":  # published as a news item, linked from the home page
            self.home_news.append(self.regulation_doc())
        if reach != "none":
            self.current_host = section_host
            self.in_section = True
            if s["elements"]["regulation"] in ("page", "pdf", "scanned_pdf"):
                label_r, path_r = self.regulation_doc()
                regulation_html = f'<p><a href="{escape(path_r)}">{escape(label_r)}</a></p>'
            elif s["elements"]["regulation"] == "working_rules":
                path_w = self.page(urls.page("quy-che-lam-viec-cua-co-quan"), "Quy chế làm việc",
                                   f"<h1>Quy chế làm việc của {escape(s['name'])}</h1><p>Điều 1. Phạm vi điều chỉnh</p>")
                regulation_html = f'<p><a href="{escape(path_w)}">Quy chế làm việc</a></p>'
            intro = f"<p>{escape(rng.choice(vocab.INTROS).format(agency=s['name']))}</p>"
            parts = [self.focal(), self.request_address(), self.complaint(), self.guidance(section_path, subpages),
                     self.forms(), self.catalogue(section_path, subpages), self.conditional(section_path, subpages),
                     regulation_html, self.download()]
            order = list(range(len(parts)))
            rng.shuffle(order)
            parts = [parts[i] for i in sorted(order[:3])] + [parts[i] for i in order[3:]]
            heading = f'<h1 class="page-title">{escape(label)}</h1>'
            if s.get("section_news"):  # inspections find news dumped into the section
                news = "".join(f'<li><a href="{escape(self.news_article(t, [t + "."]))}">{escape(t)}</a> '
                               f"<span>({rng.randrange(1, 28):02d}/0{rng.randrange(1, 9)}/2024) Lượt xem: "
                               f"{rng.randrange(50, 900)}</span></li>" for t in vocab.NEWS_TITLES[:3])
                parts.append(f'<div class="news-list"><h3>Tin liên quan</h3><ul>{news}</ul></div>')
            if s["layout"] in ("pages", "menu"):
                section_main = heading + intro + self.part_pages(section_path, [p for p in parts if p])
            else:
                section_main = heading + intro + "".join(p for p in parts if p)
            self.page(section_path, label, section_main, host=section_host)
            if reach == "parent":
                parent_home = _document({**s, "name": f"UBND tỉnh {s['province']}"}, "Trang chủ",
                                        "<h1>Cổng thông tin điện tử</h1>", [("Trang chủ", "/")], "", [])
                self.files.setdefault(f"{section_host}/", parent_home)

        # ordinary pages
        self.current_host = self.host
        self.in_section = False
        for path, title, main in self.later:
            self.page(path, title, main)
        if "tag_archive" in s["traps"] and reach != "none":
            # A tag archive listing the section and its pages: it links the section, it is not the section.
            listed = [(label, href)] + [(t, h) for t, h in self.tagged if h != section_path]
            posts = "".join(f'<article class="post type-post"><h2 class="entry-title"><a href="{escape(h)}">'
                            f"{escape(t)}</a></h2></article>" for t, h in listed)
            self.page(self.tag_path, f"Thẻ: {label}", f'<h1 class="page-title">Thẻ: <span>{escape(label)}</span>'
                                                     f"</h1>{posts}")
        news_items = self.home_news + [(t, self.news_article(t, [t + ". Nội dung chi tiết của tin."]))
                                       for t in rng.sample(vocab.NEWS_TITLES, 2)]
        news_html = "".join(f'<li><a href="{escape(p)}">{escape(t)}</a></li>' for t, p in news_items)
        self.page(self.nav[1][1], "Giới thiệu", f"<h1>Giới thiệu</h1><p>{escape(s['name'])} là cơ quan chuyên môn.</p>")
        self.page(self.nav[2][1] if self.nav[2][0] == "Tin tức" else urls.page("tin-tuc-2"), "Tin tức",
                  f"<h1>Tin tức</h1><ul>{news_html}</ul>")
        self.page(dict(self.nav)["Văn bản"], "Văn bản", "<h1>Văn bản chỉ đạo điều hành</h1><p>Đang cập nhật.</p>")
        self.page(dict(self.nav)["Liên hệ"], "Liên hệ", f"<h1>Liên hệ</h1><p>{escape(s['_address'])}</p>")
        self.page(home, "Trang chủ", f'<div class="home-news"><h2 class="title">Tin mới</h2><ul>{news_html}</ul></div>')
        if home != "/":
            self.files.setdefault(f"{self.host}/", b"")  # replaced below by a redirect page
            self.files[f"{self.host}/"] = (f'<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0; url={home}">'
                                           f"</head><body></body></html>").encode()
        self.write_sitemaps(reach, section_host, section_path)

        expect = s.get("expect") or {}
        if "section" in expect:
            wanted = expect["section"]
            section = None if wanted is None else [w if w.startswith("http") else f"http://{section_host}{w}"
                                                   for w in (wanted if isinstance(wanted, list) else [wanted])]
        else:
            section = None if reach == "none" else [f"http://{section_host}{section_path}"]
        labels = dict(expect.get("rules") or derive_labels(s))
        home_url = f"http://{self.host}{home}"
        registry = {"id": s["id"], "name": s["name"], "level": s["level"], "parent": "", "province": s["province"],
                    "url": home_url, "email": s["_email"], "section_url": ""}
        if s["style"]["unicode"] == "nfd":  # editors paste decomposed text (combining tone marks)
            for key, body in self.files.items():
                if not key.endswith((".pdf", ".doc", ".docx", ".xlsx", ".png", ".jpg", ".gz")):
                    self.files[key] = unicodedata.normalize("NFD", body.decode("utf-8")).encode("utf-8")
        hosts = sorted({key.split("/", 1)[0] for key in self.files})
        return Portal(id=s["id"], spec=s, files=self.files, home=home_url, section=section, labels=labels,
                      registry=registry, hosts=hosts, server=SERVER_HEADERS.get(s["platform"], "Apache"))


def _urlset(locations: list[str], cdata: bool = False) -> bytes:
    """A sitemap of pages, written as sitemap plugins do: XML-escaped (``&amp;``), or in CDATA sections."""
    loc = (lambda u: f"<loc><![CDATA[{u}]]></loc>") if cdata else (lambda u: f"<loc>{escape(u, quote=False)}</loc>")
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url>{loc(u)}<lastmod>2025-01-07</lastmod></url>" for u in locations) + "</urlset>").encode()
