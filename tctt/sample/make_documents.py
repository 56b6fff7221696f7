"""Regenerate the binary documents of the sample province (forms, PDFs, images).

The HTML pages under ``portals/`` are written by hand; the files they link to that are not
text (request forms, the PDF catalogue of ``so-tai-chinh``, logos, the sidebar banner of
``so-y-te``, the focal-point image of ``so-xay-dung``) are produced by this script and committed.
Run it only when one of them has to change:

    python -m venv /tmp/genvenv && /tmp/genvenv/bin/pip install fpdf2
    /tmp/genvenv/bin/python tctt/sample/make_documents.py

It needs fpdf2 (which brings Pillow) and the DejaVu fonts (Debian: ``fonts-dejavu-core``) for the
Vietnamese glyphs. Neither is a runtime dependency of tctt-audit.

Formats, chosen to look like what real portals publish:
- ``.doc`` files are RTF (Word opens them; many portals serve RTF under a .doc name);
- ``.docx`` files are minimal Office Open XML packages built with ``zipfile``;
- ``.pdf`` files have a real text layer with an embedded (subset) DejaVu font.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
PORTALS = HERE / "portals"
FONT_DIRS = [
    Path(os.environ.get("DEJAVU_DIR", "/usr/share/fonts/truetype/dejavu")),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
]
# A fixed timestamp keeps regenerated files byte-identical where the format allows it.
ZIP_DATE = (2024, 3, 15, 8, 0, 0)

NATIONAL_HEADER = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]

# The request forms of Decree 13/2018/NĐ-CP (Điều 5), as portals label them.
FORMS = {
    "01a": ("PHIẾU YÊU CẦU CUNG CẤP THÔNG TIN", "(Dùng cho công dân yêu cầu cung cấp thông tin)"),
    "01b": (
        "PHIẾU YÊU CẦU CUNG CẤP THÔNG TIN",
        "(Dùng cho công dân yêu cầu thông qua tổ chức, đoàn thể, doanh nghiệp)",
    ),
    "02": ("PHIẾU TIẾP NHẬN YÊU CẦU CUNG CẤP THÔNG TIN", ""),
    "03": ("PHIẾU GIẢI QUYẾT YÊU CẦU CUNG CẤP THÔNG TIN", ""),
    "04": ("THÔNG BÁO VỀ VIỆC GIA HẠN GIẢI QUYẾT YÊU CẦU CUNG CẤP THÔNG TIN", ""),
    "05": ("THÔNG BÁO VỀ VIỆC TỪ CHỐI YÊU CẦU CUNG CẤP THÔNG TIN", ""),
    "06": ("VĂN BẢN CHẤP THUẬN CỦA TỔ CHỨC, CÁ NHÂN LIÊN QUAN", ""),
}
FORM_BODY = [
    "Kính gửi: ............................................................",
    "Họ, tên người yêu cầu: ..............................................",
    "Số CMND/CCCD/Hộ chiếu: ..... ngày cấp: ..... nơi cấp: .....",
    "Nơi cư trú: ...........................................................",
    "Số điện thoại: ............ Fax: ............ E-mail: ............",
    "Thông tin yêu cầu cung cấp: ........................................",
    "Mục đích yêu cầu cung cấp thông tin: ...............................",
    "Hình thức nhận thông tin: Tại trụ sở / Qua mạng điện tử / Qua bưu chính",
    "......, ngày ..... tháng ..... năm .....",
    "NGƯỜI YÊU CẦU (Ký, ghi rõ họ tên)",
]

# (portal, path inside the portal, form numbers): the request forms each portal links to.
FORM_SETS = [
    ("so-tu-phap", "sites/default/files/tiep-can-thong-tin/mau-so-{n}.doc", list(FORMS)),
    ("ubnd-xa-an-phu", "uploads/bieu-mau/mau-so-{n}.doc", ["01a", "01b"]),
    ("so-y-te", "Documents/TCTT/Mau-so-{n}.docx", list(FORMS)),
    ("so-tai-chinh", "documents/20143/45012/mau-so-{n}.doc", list(FORMS)),
    ("so-xay-dung", "images/tiep-can-thong-tin/mau-so-{n}.doc", list(FORMS)),
    ("so-giao-duc", "sites/default/files/tctt/mau-so-{n}.doc", list(FORMS)),
    ("ubnd-tinh", "Uploads/TCTT/Mau-so-{n}.doc", ["01a", "01b", "02", "03"]),
]

# Ordinary documents (.doc) linked from catalogues and document databases: (portal, path, lines).
DOCUMENTS = [
    (
        "so-tu-phap",
        "sites/default/files/van-ban/qd-12-qd-stp-2024.doc",
        [
            "SỞ TƯ PHÁP TỈNH MẪU SƠN",
            "Số: 12/QĐ-STP",
            "QUYẾT ĐỊNH",
            "Về việc ban hành Kế hoạch công tác tư pháp năm 2024",
        ],
    ),
    (
        "so-tu-phap",
        "sites/default/files/van-ban/bc-120-bc-stp-2024.doc",
        [
            "SỞ TƯ PHÁP TỈNH MẪU SƠN",
            "Số: 120/BC-STP",
            "BÁO CÁO",
            "Kết quả công tác tư pháp 6 tháng đầu năm 2024",
        ],
    ),
    (
        "so-xay-dung",
        "images/van-ban/qd-25-qd-sxd-2024.doc",
        [
            "SỞ XÂY DỰNG TỈNH MẪU SƠN",
            "Số: 25/QĐ-SXD",
            "QUYẾT ĐỊNH",
            "Ban hành Kế hoạch công tác năm 2024 của Sở Xây dựng",
        ],
    ),
    (
        "so-xay-dung",
        "images/van-ban/qd-40-qd-sxd-2024.doc",
        [
            "SỞ XÂY DỰNG TỈNH MẪU SƠN",
            "Số: 40/QĐ-SXD",
            "QUYẾT ĐỊNH",
            "Về việc công khai dự toán ngân sách nhà nước năm 2024",
        ],
    ),
    (
        "so-xay-dung",
        "images/van-ban/qd-112-qd-sxd-2024.doc",
        [
            "SỞ XÂY DỰNG TỈNH MẪU SƠN",
            "Số: 112/QĐ-SXD",
            "QUYẾT ĐỊNH",
            "Về việc công khai quyết toán ngân sách năm 2023",
        ],
    ),
    (
        "so-xay-dung",
        "images/van-ban/bc-210-bc-sxd-2024.doc",
        [
            "SỞ XÂY DỰNG TỈNH MẪU SƠN",
            "Số: 210/BC-SXD",
            "BÁO CÁO",
            "Tình hình quản lý chất lượng công trình xây dựng năm 2024",
        ],
    ),
    (
        "so-xay-dung",
        "images/van-ban/tb-85-tb-sxd-2024.doc",
        [
            "SỞ XÂY DỰNG TỈNH MẪU SƠN",
            "Số: 85/TB-SXD",
            "THÔNG BÁO",
            "Danh mục dự án đầu tư xây dựng sử dụng vốn ngân sách năm 2024",
        ],
    ),
    (
        "so-giao-duc",
        "sites/default/files/tctt/quy-che-cung-cap-thong-tin-cho-cong-dan.doc",
        [
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH MẪU SƠN",
            "QUY CHẾ",
            "Cung cấp thông tin cho công dân của Sở Giáo dục và Đào tạo",
            "(Ban hành kèm theo Quyết định số 1250/QĐ-SGDĐT ngày 28/6/2018)",
            "Điều 1. Phạm vi điều chỉnh: Quy chế này quy định việc tổ chức cung cấp thông tin cho công dân.",
            "Điều 2. Văn phòng Sở là đơn vị đầu mối cung cấp thông tin.",
            "Điều 3. Chuyển giao thông tin: các phòng chuyển giao thông tin do mình tạo ra cho Văn phòng"
            " chậm nhất 03 ngày làm việc kể từ ngày tạo ra.",
            "Điều 4. Phân loại, cập nhật thông tin thuộc diện công khai và cung cấp theo yêu cầu.",
            "Điều 5. Trình tự tiếp nhận, giải quyết yêu cầu cung cấp thông tin.",
        ],
    ),
    (
        "vp-dang-ky-dat-dai",
        "Upload/Documents/mau-so-01-pyc-phieu-yeu-cau-cung-cap-du-lieu-dat-dai.doc",
        [
            "Mẫu số 01/PYC",
            "PHIẾU YÊU CẦU CUNG CẤP THÔNG TIN, DỮ LIỆU ĐẤT ĐAI",
            "Kính gửi: Văn phòng Đăng ký đất đai tỉnh Mẫu Sơn",
            "1. Tên tổ chức, cá nhân yêu cầu cung cấp dữ liệu: ..........",
            "2. Danh mục và nội dung dữ liệu cần cung cấp: thửa đất số ..... tờ bản đồ số .....",
        ],
    ),
    (
        "vp-dang-ky-dat-dai",
        "Upload/Documents/mau-so-02-pyc-phieu-yeu-cau-trich-luc-ban-do.doc",
        [
            "Mẫu số 02/PYC",
            "PHIẾU YÊU CẦU CUNG CẤP THÔNG TIN, DỮ LIỆU ĐO ĐẠC BẢN ĐỒ",
            "Kính gửi: Văn phòng Đăng ký đất đai tỉnh Mẫu Sơn",
            "Yêu cầu trích lục bản đồ địa chính thửa đất số ..... tờ bản đồ số .....",
        ],
    ),
]

# Portal logos: (portal, path, initials, colour).
LOGOS = [
    ("so-tu-phap", "sites/default/files/logo.png", "STP", (178, 34, 34)),
    ("ubnd-xa-an-phu", "images/logo.png", "AP", (200, 30, 30)),
    ("so-noi-vu", "themes/default/images/logo.png", "SNV", (16, 84, 160)),
    ("so-cong-thuong", "wp-content/uploads/2023/05/logo.png", "SCT", (0, 102, 153)),
    ("so-y-te", "_layouts/15/images/syt/logo.png", "SYT", (0, 128, 96)),
    ("so-tai-chinh", "o/stc-theme/images/logo.png", "STC", (153, 0, 0)),
    ("so-xay-dung", "images/logo.png", "SXD", (204, 102, 0)),
    ("so-giao-duc", "sites/default/files/logo.png", "GD", (0, 70, 140)),
    ("ubnd-phuong-bac-son", "wp-content/uploads/2024/01/logo.png", "BS", (190, 20, 20)),
    ("so-khoa-hoc", "images/logo.png", "KHCN", (0, 90, 150)),
    ("ubnd-tinh", "Images/logo-ubnd.png", "MS", (200, 16, 46)),
    ("vp-dang-ky-dat-dai", "Images/logo.png", "ĐĐ", (120, 80, 20)),
]

CATALOGUE_ROWS = [
    (
        "1",
        "Quyết định số 215/QĐ-STC ban hành Danh mục thông tin phải được công khai",
        "12/4/2024",
        "Trang TTĐT của Sở",
        "Trong 05 ngày làm việc; thường xuyên",
    ),
    (
        "2",
        "Quyết định số 30/QĐ-STC ban hành Kế hoạch công tác năm 2024",
        "15/01/2024",
        "Trang TTĐT; niêm yết",
        "Trong 05 ngày làm việc; đến hết năm 2024",
    ),
    (
        "3",
        "Quyết định số 62/QĐ-STC công khai dự toán ngân sách năm 2024",
        "20/01/2024",
        "Trang TTĐT; niêm yết",
        "Chậm nhất 15 ngày; 05 năm",
    ),
    (
        "4",
        "Báo cáo số 145/BC-STC tình hình thực hiện dự toán ngân sách quý I/2024",
        "10/4/2024",
        "Trang TTĐT của Sở",
        "Chậm nhất 15 ngày; 05 năm",
    ),
    (
        "5",
        "Quyết định số 118/QĐ-STC công khai quyết toán ngân sách năm 2023",
        "28/3/2024",
        "Trang TTĐT; niêm yết",
        "Chậm nhất 15 ngày; 05 năm",
    ),
    (
        "6",
        "Thông báo số 52/TB-STC kết quả thẩm định giá tài sản công năm 2024",
        "05/3/2024",
        "Trang TTĐT của Sở",
        "Trong 05 ngày làm việc; 01 năm",
    ),
    (
        "7",
        "Quyết định số 98/QĐ-STC về chức năng, nhiệm vụ, cơ cấu tổ chức",
        "02/3/2024",
        "Trang TTĐT của Sở",
        "Trong 05 ngày làm việc; thường xuyên",
    ),
    (
        "8",
        "Kế hoạch số 40/KH-STC tuyển dụng công chức năm 2024",
        "18/02/2024",
        "Trang TTĐT; niêm yết",
        "Trong 05 ngày làm việc; đến khi có kết quả",
    ),
]


def find_font(name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    raise SystemExit(f"font {name} not found; install fonts-dejavu-core or set DEJAVU_DIR")


def rtf(lines: list[str]) -> bytes:
    """A small RTF document; non-ASCII characters as \\uN? escapes (ASCII-only file)."""

    def enc(text: str) -> str:
        out = []
        for ch in text:
            code = ord(ch)
            if ch in "\\{}":
                out.append("\\" + ch)
            elif code < 128:
                out.append(ch)
            else:
                out.append(f"\\u{code if code < 32768 else code - 65536}?")
        return "".join(out)

    body = "\n".join(
        f"\\pard\\qc\\b {enc(line)}\\b0\\par" if i < 4 else f"\\pard {enc(line)}\\par"
        for i, line in enumerate(lines)
    )
    doc = (
        "{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl{\\f0\\froman Times New Roman;}}\\f0\\fs26\n"
        + body
        + "\n}\n"
    )
    return doc.encode("ascii")


def docx(lines: list[str]) -> bytes:
    """A minimal .docx package (enough for Word and for text extractors)."""
    import io

    paras = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in lines)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{paras}</w:body></w:document>"
        ),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(zipfile.ZipInfo(name, ZIP_DATE), text.encode("utf-8"))
    return buf.getvalue()


def form_lines(number: str) -> list[str]:
    title, subtitle = FORMS[number]
    head = [*NATIONAL_HEADER, f"Mẫu số {number}", title]
    if subtitle:
        head.append(subtitle)
    return head + FORM_BODY


def write(portal: str, rel: str, data: bytes) -> None:
    target = PORTALS / portal / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    print(f"{len(data):>7}  {portal}/{rel}")


def catalogue_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_creation_date(__import__("datetime").datetime(2024, 4, 12, 9, 0, 0))
    pdf.set_title("Danh mục thông tin phải được công khai")
    pdf.set_author("Sở Tài chính tỉnh Mẫu Sơn")
    pdf.add_font("DejaVu", "", str(find_font("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(find_font("DejaVuSans-Bold.ttf")))
    pdf.set_margins(12, 12, 12)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 6, "UBND TỈNH MẪU SƠN - SỞ TÀI CHÍNH", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, "DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(
        0,
        6,
        "Danh mục thông tin phải được công khai của Sở Tài chính tỉnh Mẫu Sơn",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(
        0,
        6,
        "(Ban hành kèm theo Quyết định số 215/QĐ-STC ngày 12/4/2024 của Giám đốc Sở Tài chính)",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    widths = (12, 120, 25, 46, 70)
    header = (
        "STT",
        "Tên, số, ký hiệu văn bản",
        "Ngày tạo ra",
        "Hình thức công khai",
        "Thời điểm, thời hạn công khai",
    )
    pdf.set_font("DejaVu", "B", 9)
    for w, text in zip(widths, header, strict=True):
        pdf.cell(w, 8, text, border=1, align="C")
    pdf.ln()
    pdf.set_font("DejaVu", "", 8.5)
    for row in CATALOGUE_ROWS:
        for w, text in zip(widths, row, strict=True):
            pdf.cell(w, 7, text, border=1)
        pdf.ln()
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(
        0,
        6,
        "Danh mục được cập nhật thường xuyên trên Trang thông tin điện tử Sở Tài chính.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def logo_png(initials: str, colour: tuple[int, int, int]) -> bytes:
    import io

    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (72, 72), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.ellipse((2, 2, 69, 69), fill=colour, outline=(230, 180, 40), width=3)
    font = ImageFont.truetype(str(find_font("DejaVuSans-Bold.ttf")), 15 if len(initials) > 3 else 18)
    draw.text((36, 36), initials, fill=(255, 230, 120), font=font, anchor="mm")
    buf = io.BytesIO()
    img.quantize(16).save(buf, "PNG", optimize=True)
    return buf.getvalue()


def banner_png() -> bytes:
    """The so-y-te sidebar banner: the words are only in the pixels and the alt text."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (260, 80), (0, 96, 160))
    draw = ImageDraw.Draw(img)
    draw.rectangle((4, 4, 255, 75), outline=(255, 255, 255), width=2)
    font = ImageFont.truetype(str(find_font("DejaVuSans-Bold.ttf")), 19)
    small = ImageFont.truetype(str(find_font("DejaVuSans.ttf")), 11)
    draw.text((130, 32), "TIẾP CẬN THÔNG TIN", fill=(255, 255, 255), font=font, anchor="mm")
    draw.text((130, 56), "Luật Tiếp cận thông tin", fill=(255, 236, 150), font=small, anchor="mm")
    buf = io.BytesIO()
    img.quantize(32).save(buf, "PNG", optimize=True)
    return buf.getvalue()


def focal_point_jpg() -> bytes:
    """The so-xay-dung focal-point details, published only as a picture (a real pattern)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (620, 130), (250, 250, 245))
    draw = ImageDraw.Draw(img)
    bold = ImageFont.truetype(str(find_font("DejaVuSans-Bold.ttf")), 15)
    regular = ImageFont.truetype(str(find_font("DejaVuSans.ttf")), 13)
    draw.text((14, 12), "Đầu mối tiếp cận thông tin: Văn phòng Sở Xây dựng", fill=(150, 0, 0), font=bold)
    draw.text((14, 42), "Ông Trần Văn Hùng - Chánh Văn phòng", fill=(20, 20, 20), font=regular)
    draw.text((14, 66), "Điện thoại: 0203.3825.678 - Di động: 0983.456.123", fill=(20, 20, 20), font=regular)
    draw.text((14, 90), "Email: vanphong@soxaydung.mauson.gov.vn", fill=(20, 20, 20), font=regular)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70, optimize=True)
    return buf.getvalue()


def main() -> None:
    for portal, pattern, numbers in FORM_SETS:
        for number in numbers:
            rel = pattern.format(n=number)
            lines = form_lines(number)
            write(portal, rel, docx(lines) if rel.endswith(".docx") else rtf(lines))
    for portal, rel, lines in DOCUMENTS:
        write(portal, rel, rtf(lines))
    for portal, rel, initials, colour in LOGOS:
        write(portal, rel, logo_png(initials, colour))
    write("so-y-te", "images/banner-tiep-can-thong-tin.png", banner_png())
    write("so-xay-dung", "images/dau-moi.jpg", focal_point_jpg())
    write("so-tai-chinh", "documents/danh-muc-thong-tin-cong-khai.pdf", catalogue_pdf())


if __name__ == "__main__":
    main()
