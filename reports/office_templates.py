"""Build the shipped Word templates of the official documents (run ``python -m reports.office_templates``).

The templates are ordinary .docx files with docxtpl (Jinja2) placeholders, laid out in the administrative
format of Decree 30/2020/NĐ-CP: governing body and issuing body top left with the number and symbol
("Số: …/TB-…"), national title and motto top right with place and date, the document type and its
summary (trích yếu) centred, the body, then the recipients (Nơi nhận) bottom left and the signature block
(authority, position, name) bottom right; Times New Roman 13–14 pt, A4 with the Decree's margins.

A province edits its own copy in Word (``tctt templates --out DIR``): it may type its letterhead straight
over the placeholders or keep them and fill ``letterhead.toml``. The placeholders are listed in
``docs/office-documents.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OFFICE = Path(__file__).parent / "templates" / "office"
NOTICE, SUMMARY = "thong-bao.docx", "bao-cao-tong-hop.docx"
FONT = "Times New Roman"


def _document(title: str) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    # Decree 30/2020, Appendix I: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    lang = OxmlElement("w:lang")  # Vietnamese text: spelling, hyphenation and the PDF's language
    lang.set(qn("w:val"), "vi-VN")
    style.element.rPr.append(lang)
    style.paragraph_format.space_after = Pt(0)
    core = doc.core_properties
    core.author, core.language, core.title = "tctt-audit", "vi-VN", title
    return doc


def _para(container, text: str = "", *, bold: bool = False, italic: bool = False, size: float | None = None,
          align=None, upper: bool = False, before: float = 0, after: float = 0, indent: bool = False):  # noqa: ANN001, ANN202
    p = container.add_paragraph()
    if text:
        run = p.add_run(text.upper() if upper else text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(before), Pt(after)
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    return p


def _rule(container, width: float, line: float) -> None:  # noqa: ANN001
    """A centred horizontal line ``line`` cm long under the previous paragraph of a ``width`` cm container
    (Decree 30 draws one under the issuing body, the motto and the summary): the bottom border of an
    empty, indented, 2-point paragraph."""
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
    paragraph.add_run().font.size = Pt(2)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)
    ind = OxmlElement("w:ind")
    side = str(int(567 * max(width - line, 0) / 2))  # twips (567 per cm) on each side
    ind.set(qn("w:left"), side)
    ind.set(qn("w:right"), side)
    p_pr.append(ind)


def _widths(table, widths: list[float]) -> None:  # noqa: ANN001
    """Fixed column widths, on the grid (LibreOffice reads it) and on every cell (Word reads those)."""
    table.autofit = False
    for i, width in enumerate(widths):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)


def _no_borders(table) -> None:  # noqa: ANN001
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _letterhead(doc, number_symbol: str) -> None:  # noqa: ANN001
    """Governing and issuing body with the number (left), national title, motto, place and date (right)."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [6.5, 10])
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run("{{ issuer.parent|upper }}").font.size = Pt(13)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(left, "{{ issuer.name|upper }}", bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _rule(left, 6.3, 2.2)
    _para(left, f"Số: {number_symbol}", size=13, align=WD_ALIGN_PARAGRAPH.CENTER, before=6)
    head = right.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.bold, run.font.size = True, Pt(13)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _rule(right, 9.8, 6.2)
    _para(right, "{{ place_date }}", italic=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, before=6)


def _signature(doc, recipients: list[str]) -> None:  # noqa: ANN001
    """Recipients (left) and the signature block (right)."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [8, 8.5])
    left, right = table.rows[0].cells
    head = left.paragraphs[0]
    run = head.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in recipients:
        _para(left, line, size=11)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].add_run("{{ issuer.authority|upper }}").bold = True
    _para(right, "{{ issuer.position|upper }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(right, "{{ issuer.signature_note }}", italic=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(3):
        _para(right)
    _para(right, "{{ issuer.signatory }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _grid(doc, headers: list[str], cells: list[str], loop: str, widths: list[float]):  # noqa: ANN001, ANN202
    """A bordered table: a header row and one templated row repeated by docxtpl's ``{%tr for … %}``."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for i, text in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.paragraphs[0].add_run(text).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr " + loop + " %}")
    for i, content in enumerate(cells):
        cell = table.rows[2].cells[i]
        lines = content.split("\n")
        cell.paragraphs[0].add_run(lines[0])
        for line in lines[1:]:
            cell.add_paragraph(line)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    _widths(table, widths)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(11)
    return table


def build_notice(path: Path) -> Path:
    """The gap notice to one agency (thông báo kết quả kiểm tra)."""
    doc = _document("Thông báo kết quả kiểm tra Chuyên mục tiếp cận thông tin")
    _letterhead(doc, "{{ number }}/{{ issuer.symbol }}")
    _para(doc, "THÔNG BÁO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18)
    _para(doc, "Kết quả kiểm tra Chuyên mục tiếp cận thông tin", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "trên cổng thông tin điện tử của {{ agency.name }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _rule(doc, 16.5, 4)
    _para(doc, "Kính gửi: {{ agency.name }}.", align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=12)
    _para(doc, "Căn cứ {{ legal_ground }};", indent=True, after=6)
    _para(doc, "Ngày {{ audit_date }}, {{ issuer.name }} đã kiểm tra Chuyên mục tiếp cận thông tin trên "
               "cổng/trang thông tin điện tử của {{ agency.name }} tại địa chỉ {{ agency.url }} bằng công cụ "
               "kiểm tra tự động (lượt kiểm tra số {{ run.id }}, bộ tiêu chí {{ run.ruleset }} "
               "{{ run.ruleset_version }}). {{ outcome }}", indent=True, after=6)
    _para(doc, "{%p if gaps %}")
    _para(doc, "1. Các nội dung chưa đạt yêu cầu", bold=True, indent=True, before=6, after=6)
    _grid(doc, ["TT", "Nội dung chưa đạt", "Căn cứ pháp lý", "Bằng chứng", "Cách khắc phục"],
          ["{{ g.index }}", "{{ g.title }}\n{{ g.status }}. {{ g.message }}",
           "{%p for b in g.bases %}\n{{ b }}\n{%p endfor %}",
           "{{r g.link }}\n{{ g.accessed }}\n{{ g.excerpt }}", "{{ g.fix }}"],
          "for g in gaps", [1.0, 4.2, 3.4, 4.2, 3.7])
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if manual %}")
    _para(doc, "{{ manual_heading }}. Các nội dung cần cán bộ kiểm tra xác minh trực tiếp", bold=True, indent=True,
          before=6, after=6)
    _para(doc, "Công cụ chưa đủ căn cứ để kết luận đạt hay không đạt đối với các nội dung sau; các nội dung "
               "này không bị coi là vi phạm cho đến khi được xác minh:", indent=True, after=6)
    _para(doc, "{%p for m in manual %}")
    _para(doc, "- {{ m.title }}: {{ m.message }}", indent=True)
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endif %}")
    _para(doc, "{{ request }}", indent=True, before=6, after=6)
    _para(doc, "Kết quả chi tiết (kèm trích dẫn trang đã truy cập) được công bố tại {{ scorecard }}. Mọi ý kiến "
               "phản hồi về kết quả kiểm tra đề nghị gửi về {{ issuer.name }} kèm bằng chứng để được xem xét.",
          indent=True, after=12)
    _signature(doc, ["- Như trên;", "{%p for r in issuer.recipients %}", "- {{ r }};", "{%p endfor %}",
                     "- Lưu: VT, {{ issuer.drafting_unit }}."])
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def build_summary(path: Path) -> Path:
    """The province summary report (báo cáo tổng hợp)."""
    doc = _document("Báo cáo kết quả kiểm tra Chuyên mục tiếp cận thông tin")
    _letterhead(doc, "{{ number }}/{{ issuer.summary_symbol }}")
    _para(doc, "BÁO CÁO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18)
    _para(doc, "Kết quả kiểm tra Chuyên mục tiếp cận thông tin trên cổng thông tin điện tử của các cơ "
               "quan nhà nước {{ scope }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _rule(doc, 16.5, 4)
    _para(doc, "Kính gửi: {{ addressee }}.", align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=12)
    _para(doc, "Căn cứ {{ legal_ground }}, {{ issuer.name }} báo cáo kết quả kiểm tra Chuyên mục tiếp cận thông "
               "tin ngày {{ audit_date }} (lượt kiểm tra số {{ run.id }}, bộ tiêu chí {{ run.ruleset }} "
               "{{ run.ruleset_version }}) như sau:", indent=True, after=6)
    _para(doc, "1. Tình hình chung", bold=True, indent=True, after=6)
    _para(doc, "Tổng số cơ quan trong phạm vi kiểm tra: {{ totals.agencies }}; đã kiểm tra được: {{ totals.audited }}; "
               "chưa kiểm tra được: {{ totals.unaudited }}{{ totals.unaudited_detail }}. Điểm trung bình của các cơ "
               "quan đã kiểm tra: {{ totals.average }}/100. Cơ quan chưa kiểm tra được không được tính vào điểm "
               "trung bình.", indent=True, after=6)
    _para(doc, "Phân bố theo xếp loại: {{ totals.bands }}.", indent=True, after=6)
    _para(doc, "2. Kết quả từng cơ quan", bold=True, indent=True, after=6)
    _grid(doc, ["TT", "Cơ quan", "Tình trạng", "Điểm", "Xếp loại", "Số nội dung chưa đạt"],
          ["{{ a.index }}", "{{ a.name }}", "{{ a.status }}", "{{ a.score }}", "{{ a.band }}", "{{ a.gaps }}"],
          "for a in agencies", [1.0, 6.2, 3.2, 1.6, 2.2, 2.3])
    _para(doc, "3. Các tiêu chí chưa đạt nhiều nhất", bold=True, indent=True, before=6, after=6)
    _grid(doc, ["TT", "Tiêu chí", "Căn cứ pháp lý", "Số cơ quan chưa đạt", "Tỷ lệ đạt"],
          ["{{ r.index }}", "{{ r.title }}", "{{ r.basis }}", "{{ r.failing }}", "{{ r.rate }}"],
          "for r in rules", [1.0, 6.0, 5.0, 2.2, 2.3])
    _para(doc, "4. Kiến nghị", bold=True, indent=True, before=6, after=6)
    _para(doc, "{{ recommendation }}", indent=True, after=12)
    _signature(doc, ["- Như trên;", "{%p for r in issuer.recipients %}", "- {{ r }};", "{%p endfor %}",
                     "- Lưu: VT, {{ issuer.drafting_unit }}."])
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def build_all(folder: Path = OFFICE) -> list[Path]:
    return [build_notice(folder / NOTICE), build_summary(folder / SUMMARY)]


if __name__ == "__main__":
    for written in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else OFFICE):
        print(written)
