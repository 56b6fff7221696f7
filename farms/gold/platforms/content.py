"""The section's content: catalogues, focal point, request address, complaints, forms, guidance, download,
internal regulation and conditional information, in each state a spec names."""

from __future__ import annotations

import re
from html import escape, unescape

from core.vntext import slug_words
from farms.gold import docs, vocab
from farms.gold.spec import ALL_FORMS, AREA_CODES


class SectionContent:
    """The parts of the section; mixed into the portal builder (``farms.gold.platforms.site``)."""

    def catalogue(self, section_path: str, subpages: bool) -> str:
        state = self.s["elements"]["catalogue"]
        rng = self.rng
        title = rng.choice(vocab.CATALOGUE_TITLES)
        if state == "absent":
            return ""
        rows = self.document_rows(rng.randrange(3, 7))
        if state in ("pdf", "docx", "xlsx", "xls_html", "scanned_pdf", "dead_link"):
            header = ["STT", "Tên, số, ký hiệu văn bản", "Ngày tạo ra", "Hình thức công khai", "Thời điểm, thời hạn công khai"]
            table = [header] + [[str(i + 1), *r[:4]] for i, r in enumerate(rows)]
            name = "danh-muc-thong-tin-phai-cong-khai"
            if state == "pdf" or state == "scanned_pdf":
                path = self.attach(name, [title.upper(), f"(Ban hành kèm theo Quyết định của {self.s['name']})",
                                          *(" | ".join(r) for r in table)], scanned=state == "scanned_pdf")
            elif state == "docx":
                path = self.put(self.urls.file(name, "docx"), docs.docx([title.upper(), self.s["name"]], table))
            elif state == "xlsx":
                path = self.put(self.urls.file(name, "xlsx"), docs.xlsx([[title.upper()], *table][1:]))
            elif state == "xls_html":
                cells = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table)
                path = self.put(self.urls.file(name, "xls"), (
                    f'<html><head><meta charset="utf-8"><title>{escape(title)}</title></head><body>'
                    f"<p>{escape(title.upper())}</p><table border=1>{cells}</table></body></html>").encode())
            else:
                path = self.urls.sub(section_path, "danh-muc-thong-tin-cong-khai")  # never written: 404
            label = rng.choice([f"{title} (tải văn bản tại đây)", title, f"{title} - File đính kèm"])
            return f'<h3>{escape(title)}</h3><p><a href="{escape(path)}">{escape(label)}</a></p>'
        if state in ("index", "tree"):
            html = self.catalogue_index(title, section_path, tree=state == "tree")
        else:
            html = self.catalogue_table(title, rows, state)
        if subpages:
            path = self.page(self.urls.sub(section_path, slug_words(title).replace(" ", "-")), title,
                             f"<h1>{escape(title)}</h1>{html}")
            return f'<p><a href="{escape(path)}">{escape(title)}</a></p>'
        return html

    def catalogue_table(self, title: str, rows: list[list[str]], state: str) -> str:
        rng = self.rng
        links = []
        for i, row in enumerate(rows):
            ext = rng.choice(["pdf", "pdf", "doc"])
            links.append(self.attach(f"van-ban-{i + 1}-{row[5].split('/')[0]}", [row[0], row[1], "Nội dung văn bản ..."], ext))
        if state == "full_alt":
            head = ["STT", "Số/Ký hiệu", "Ngày ban hành", "Trích yếu", "Hình thức công khai", "Thời hạn công khai", "Tải về"]
            body = [[str(i + 1), r[5], r[1], f"{r[4]} {r[6]}", r[2], r[3],
                     f'<a href="{escape(links[i])}">Tải về</a>'] for i, r in enumerate(rows)]
        elif state != "empty_rows" and rng.random() < 0.35:
            head = ["TT", "Tên thông tin", "Cơ quan tạo ra", "Thời điểm công khai", "Hình thức công khai",
                    "Địa chỉ truy cập"]
            body = [[str(i + 1), escape(f"{r[4]} {r[6]}"), escape(self.s["name"]), r[3], r[2],
                     f'<a href="{escape(links[i])}">{escape(links[i].rsplit("/", 1)[-1])}</a>'] for i, r in enumerate(rows)]
        else:
            head = ["STT", "Tên, số, ký hiệu văn bản", "Ngày, tháng, năm tạo ra", "Hình thức công khai",
                    "Thời điểm, thời hạn công khai", "Đường dẫn/Tệp đính kèm"]
            body = [[str(i + 1), escape(r[0]), r[1], r[2], r[3], f'<a href="{escape(links[i])}">Xem văn bản</a>']
                    for i, r in enumerate(rows)]
            if state == "empty_rows":
                body = [[str(i + 1)] + [""] * (len(head) - 1) for i in range(4)]
        ths = "".join(f"<th>{escape(h)}</th>" for h in head)
        trs = []
        if state == "merged":
            trs.append(f'<tr><td colspan="{len(head)}"><strong>I. {escape(vocab.CATEGORIES[0])}</strong></td></tr>')
        for i, row in enumerate(body):
            if state == "merged" and i == len(body) // 2:
                trs.append(f'<tr><td colspan="{len(head)}"><strong>II. {escape(vocab.CATEGORIES[3])}</strong></td></tr>')
            trs.append("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
        return (f'<h2 class="title">{escape(title)}</h2><table class="table table-bordered" border="1">'
                f'<thead><tr>{ths}</tr></thead><tbody>{"".join(trs)}</tbody></table>')

    def catalogue_index(self, title: str, section_path: str, tree: bool) -> str:
        rng = self.rng
        categories = rng.sample(vocab.CATEGORIES[:-1], rng.randrange(4, 8))
        rows = []
        for i, category in enumerate(categories):
            path = self.urls.sub(section_path, slug_words(category).replace(" ", "-")[:50])
            if tree:
                items = []
                for j in range(rng.randrange(2, 4)):
                    item_title = f"{category} - mục {j + 1}"
                    item_path = self.urls.sub(path, f"muc-{i + 1}-{j + 1}")
                    content = ("<p>Thông tin đang cập nhật...</p>" if rng.random() < 0.6 else
                               f"<p>{escape(self.document_rows(1)[0][0])}</p>")
                    self.page(item_path, item_title, f"<h1>{escape(item_title)}</h1>{content}")
                    items.append(f'<li><a href="{escape(item_path)}">{escape(item_title)}</a></li>')
                self.page(path, category, f"<h1>{escape(category)}</h1><ul>{''.join(items)}</ul>")
                rows.append(f'<li><a href="{escape(path)}">{escape(category)}</a></li>')
            else:
                if rng.random() < 0.8:  # some "Chi tiết" links are dead
                    self.page(path, category, f"<h1>{escape(category)}</h1><p>{escape(self.document_rows(1)[0][0])}</p>")
                rows.append(f'<tr><td>{i + 1}</td><td>{escape(category)}</td><td><a href="{escape(path)}">Chi tiết</a></td></tr>')
        if tree:
            return f'<h2 class="title">{escape(title)}</h2><ul class="tree">{"".join(rows)}</ul>'
        return (f'<h2 class="title">{escape(title)} (theo Điều 19 Luật Tiếp cận thông tin)</h2><table border="1">'
                f'<tr><th>STT</th><th>Nội dung</th><th>Đường dẫn</th></tr>{"".join(rows)}</table>')

    def focal(self) -> str:
        state = self.s["elements"]["focal"]
        rng = self.rng
        heading = rng.choice(vocab.FOCAL_HEADINGS)
        title, person = self.person()
        position = rng.choice(vocab.POSITIONS)
        email = f"tiepcanthongtin.{self.s['code']}@{self.s['province_host']}.gov.vn"
        if state == "absent":
            return ""
        if state == "spokesperson":
            return (f"<h2>NGƯỜI PHÁT NGÔN VÀ CUNG CẤP THÔNG TIN CHO BÁO CHÍ</h2><table border=1><tr><th>Họ và tên</th>"
                    f"<th>Chức vụ</th><th>Điện thoại</th><th>Email</th></tr><tr><td>{title} {person}</td><td>Phó Giám đốc"
                    f"</td><td>{self.mobile()}</td><td>{email}</td></tr></table>")
        if state == "heading_only":
            return f"<h2>{escape(heading)}</h2><p></p>"
        if state == "image_only":
            return f'<h2>{escape(heading)}</h2><p><img src="{self.urls.file("dau-moi", "jpg")}" alt=""></p>'
        if state == "phone_only":
            return (f"<h2>{escape(heading)}</h2><p>Văn phòng {escape(self.s['name'])}, số điện thoại "
                    f"{self.landline()}.</p>")
        if state == "commune":
            return (f"<h2>{escape(heading)}</h2><p>Công chức Văn phòng - Thống kê: {title} {person}</p>"
                    f"<p>Điện thoại: {self.mobile()}</p><p>Email: {email}</p>")
        if state == "prose":
            return (f"<h3>{escape(heading)}</h3><p>{'Chị' if title == 'Bà' else 'Anh'} {person}, {position}, số điện "
                    f"thoại {self.landline()} máy lẻ {rng.randrange(100, 2000)}, di động {self.mobile()}; địa chỉ thư "
                    f"điện tử {email}</p>")
        phone = self.landline() if rng.random() < 0.6 else f"(0{rng.choice(AREA_CODES)}) {rng.randrange(3800, 3899)} {rng.randrange(100, 999)}"
        mail = rng.choice([f"Thư điện tử: {email}", f"Email: {email}", f"Hòm thư điện tử{email}"])
        return (f"<h2>{escape(heading)}</h2><ul><li>Họ và tên: {title} {person}</li><li>Chức vụ: {position}</li>"
                f"<li>Địa chỉ: {escape(self.s['_address'])}</li><li>Điện thoại: {phone}; di động: "
                f"{self.mobile()}</li><li>{mail}</li></ul>")

    def request_address(self) -> str:
        state = self.s["elements"]["request_address"]
        rng = self.rng
        heading = rng.choice(vocab.REQUEST_HEADINGS)
        email = f"tctt@{self.s['code']}.{self.s['province_host']}.gov.vn"
        if state == "absent":
            return ""
        if state == "mention":
            return f"<h3>{escape(heading)}</h3><p>Công dân có thể gửi yêu cầu qua mạng điện tử hoặc trực tiếp tại cơ quan.</p>"
        if state == "form":
            path = self.page(self.urls.page("gui-yeu-cau-cung-cap-thong-tin"), "Gửi yêu cầu cung cấp thông tin",
                             '<h1>Gửi yêu cầu cung cấp thông tin</h1><form method="post" action="#"><label>Họ và tên'
                             '</label><input name="hoten"><label>Thông tin yêu cầu</label><textarea name="noidung">'
                             '</textarea><button>Gửi</button></form>')
            return (f'<h3>{escape(heading)}</h3><p>Công dân điền Phiếu yêu cầu trực tuyến: '
                    f'<a href="{escape(path)}">Gửi yêu cầu cung cấp thông tin trực tuyến</a></p>')
        return (f"<h3>{escape(heading)}</h3><p>Tiếp nhận yêu cầu cung cấp thông tin qua mạng điện tử: thư điện tử "
                f"{email}</p><p>Tiếp nhận trực tiếp, qua bưu chính: {escape(self.s['_address'])}.</p>")

    def complaint(self) -> str:
        state = self.s["elements"]["complaint"]
        heading = self.rng.choice(vocab.COMPLAINT_HEADINGS)
        if state == "absent":
            return ""
        if state == "mention":
            return f"<h3>{escape(heading)}</h3><p>Thực hiện theo quy định của pháp luật.</p>"
        unit = self.s["name"] if self.s["name"].startswith("Thanh tra") else f"Thanh tra {self.s['name']}"
        return (f"<h3>{escape(heading)}</h3><p>{escape(unit)}, điện thoại {self.landline()}, "
                f"email thanhtra.{self.s['code']}@{self.s['province_host']}.gov.vn</p>")

    def forms(self) -> str:
        state = self.s["elements"]["forms"]
        rng = self.rng
        heading = rng.choice(vocab.FORMS_HEADINGS)
        if state == "absent":
            return ""
        if state == "land":
            items = []
            for code, label in (("01/PYC", "Phiếu yêu cầu cung cấp thông tin, dữ liệu đất đai"),
                                ("02/PYC", "Phiếu yêu cầu cung cấp thông tin, dữ liệu đo đạc và bản đồ")):
                path = self.attach(f"phieu-yeu-cau-{code[:2]}-pyc", [label.upper(), "Kính gửi: ..."], "doc")
                items.append(f'<li><a href="{escape(path)}">Mẫu số {code} - {escape(label)}</a></li>')
            return f"<h3>Biểu mẫu cung cấp dữ liệu</h3><ul>{''.join(items)}</ul>"
        codes = ALL_FORMS if state == "all" else list(state)
        style = rng.randrange(4)
        ext = rng.choice(["doc", "doc", "pdf"])
        items = []
        for code in codes:
            lines = [vocab.FORMS[code].upper(), f"Mẫu số {code}", "Kính gửi: ...", "Họ, tên người yêu cầu: ..."]
            path = self.attach(f"mau-so-{code}", lines, ext)
            label = {0: f"Mẫu số {code}: {vocab.FORMS[code]}", 1: f"Mẫu {code}", 2: f"Mẫu số {code.lstrip('0')}",
                     3: "Tải về"}[style]
            if style == 3:
                items.append(f'<tr><td>{escape(vocab.FORMS[code])}</td><td><a href="{escape(path)}">{label}</a></td></tr>')
            else:
                items.append(f'<li><a href="{escape(path)}">{escape(label)}</a></li>')
        if style == 3:
            return (f"<h3>{escape(heading)}</h3><table border=1><tr><th>Tên mẫu</th><th>Tệp</th></tr>"
                    f"{''.join(items)}</table>")
        return (f"<h3>{escape(heading)}</h3><p>Các mẫu phiếu ban hành kèm theo Nghị định số 13/2018/NĐ-CP:</p>"
                f"<ul>{''.join(items)}</ul>")

    def guidance(self, section_path: str, subpages: bool) -> str:
        state = self.s["elements"]["guidance"]
        heading = self.rng.choice(vocab.GUIDANCE_HEADINGS)
        if state == "absent":
            return ""
        if state == "mention":
            return "<p>Công dân thực hiện theo hướng dẫn khai thác thông tin được niêm yết tại trụ sở cơ quan.</p>"
        html = (f"<h2>{escape(heading)}</h2><ol><li>Bước 1: Tra cứu danh mục thông tin đã được công khai trên Cổng "
                "thông tin điện tử.</li><li>Bước 2: Nếu thông tin chưa được công khai, điền Phiếu yêu cầu và gửi trực "
                "tiếp, qua bưu chính hoặc qua mạng điện tử.</li><li>Bước 3: Liên hệ đầu mối để được hỗ trợ; thời hạn "
                "giải quyết là 15 ngày làm việc.</li></ol>")
        if subpages and self.rng.random() < 0.5:
            path = self.page(self.urls.sub(section_path, slug_words(heading).replace(" ", "-")), heading, html)
            return f'<p><a href="{escape(path)}">{escape(heading)}</a></p>'
        return html

    def download(self) -> str:
        if self.s["elements"]["download"] != "link":
            return ""
        label = self.rng.choice(vocab.DOWNLOAD_LABELS)
        rows = self.document_rows(4)
        items = ""
        for i, r in enumerate(rows):
            path = self.attach(f"vb-{i}-{r[5].split('/')[0]}", [r[0], r[1]])
            items += f'<li><a href="{escape(path)}">{escape(r[0])}</a> ({r[1]})</li>'

        path = self.page(self.urls.page("co-so-du-lieu-van-ban"), "Cơ sở dữ liệu văn bản",
                         f"<h1>Văn bản</h1><ul>{items}</ul>")
        return f'<p><a href="{escape(path)}">{escape(label)}</a></p>'

    def part_pages(self, section_path: str, parts: list[str]) -> str:
        """Put each part on its own page; return the list of links (in the page, or as a side menu)."""
        links = []
        inline = ""
        for index, html in enumerate(parts):
            if not re.search(r"<h[23]|^<p><a ", html.strip()):  # a bare sentence is not given a page of its own
                inline += html
                continue
            found = re.search(r"<h[23][^>]*>(.*?)</h[23]>|<a [^>]*>(.*?)</a>", html, re.S)
            title = re.sub(r"<[^>]+>", "", (found.group(1) or found.group(2)) if found else f"Mục {index + 1}").strip()
            title = unescape(title)[:120] or f"Mục {index + 1}"
            if re.fullmatch(r"<p><a [^>]*>[^<]*</a></p>", html.strip()):  # already a link to a page or file
                links.append(html.strip()[3:-4])
                continue
            path = self.page(self.urls.sub(section_path, slug_words(title).replace(" ", "-")[:60] or f"muc-{index}"),
                             title, html)
            links.append(f'<a href="{escape(path)}">{escape(title)}</a>')
        items = "".join(f"<li>{link}</li>" for link in links)
        if self.s["layout"] == "menu":
            self.section_menu = f'<div class="left-menu"><h3 class="title">{escape(self.s["label"])}</h3><ul class="sub-menu">{items}</ul></div>'
            return inline
        return f'<ul class="list-link">{items}</ul>{inline}'

    def regulation_doc(self) -> tuple[str, str]:
        """(label, path) of the regulation, written as a page or a document."""
        state = self.s["elements"]["regulation"]
        rng = self.rng
        title = rng.choice(vocab.REGULATION_TITLES)
        number = f"{rng.randrange(10, 900)}/QĐ-{self.s['code'].upper()}"
        articles = ["Điều 1. Phạm vi điều chỉnh", "Điều 2. Đầu mối cung cấp thông tin",
                    "Điều 3. Tiếp nhận, giải quyết yêu cầu cung cấp thông tin", "Điều 4. Cập nhật danh mục thông tin"]
        if state in ("pdf", "scanned_pdf"):
            lines = [self.s["name"].upper(), f"Số: {number}", title.upper(), *articles]
            label = f"Quyết định số {number} ban hành {title[0].lower() + title[1:]}" if "Quyết định" not in title else title
            return label, self.attach("quy-che-cung-cap-thong-tin", lines, scanned=state == "scanned_pdf")
        body = f"<h1>{escape(title)}</h1><p>(Ban hành kèm theo Quyết định số {number})</p>" + "".join(
            f"<p><strong>{escape(a)}</strong></p><p>Nội dung quy định chi tiết.</p>" for a in articles)
        return title, self.page(self.urls.page("quy-che-cung-cap-thong-tin-cho-cong-dan"), title, body)

    def conditional(self, section_path: str, subpages: bool) -> str:
        if self.s["elements"]["conditional"] != "table":
            return ""
        title = self.rng.choice(vocab.CONDITIONAL_TITLES)
        html = (f"<h2>{escape(title)}</h2><table border=1><tr><th>STT</th><th>Tên thông tin</th><th>Điều kiện tiếp cận"
                "</th></tr><tr><td>1</td><td>Hồ sơ cán bộ, công chức</td><td>Được sự đồng ý của người có thông tin</td>"
                "</tr><tr><td>2</td><td>Thông tin liên quan đến bí mật kinh doanh</td><td>Được sự đồng ý của doanh "
                "nghiệp</td></tr></table>")
        if subpages:
            path = self.page(self.urls.sub(section_path, "danh-muc-thong-tin-tiep-can-co-dieu-kien"), title, html)
            return f'<p><a href="{escape(path)}">{escape(title)}</a></p>'
        return html

    # traps elsewhere on the portal
