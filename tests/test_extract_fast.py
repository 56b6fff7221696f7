"""The fast paths of document extraction give what the plain library calls gave.

Each test runs the straightforward way (pdfplumber's own table search and cell extraction, openpyxl's
full 2,000 × 40 grid, PNG to tesseract) beside the fast one on real documents and compares the output.
"""

from __future__ import annotations

import datetime
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from core.vntext import squash
from crawler.extract import Limits, extract, table
from crawler.extract import pdf as pdf_extract
from crawler.extract import xlsx as xlsx_extract
from farms.gold import docs as gold_docs
from tctt.sample.make_doc_portals import HEADER, ROWS
from tctt.sample.make_documents import find_font

PORTALS = Path(__file__).resolve().parents[1] / "tctt" / "sample" / "portals"
CATALOGUE_PDF = PORTALS / "doc-pdf/uploads/danh-muc-thong-tin-cong-khai.pdf"
SCAN_PDF = PORTALS / "doc-scan/uploads/signed-danh-muc-thong-tin-cong-khai.pdf"


def _mixed_pdf() -> bytes:
    """Tables on pages 1 and 3 (links in cells on page 1, a spanning cell on page 3), text only on page 2,
    rules without a table on page 4."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.add_font("DejaVu", "", str(find_font("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(find_font("DejaVuSans-Bold.ttf")))
    pdf.set_font("DejaVu", "", 9)
    widths = (12, 120, 25, 46, 70)
    pdf.add_page()
    pdf.cell(0, 8, "DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI", align="C", new_x="LMARGIN", new_y="NEXT")
    for row in [HEADER, *ROWS]:
        for c, (w, text) in enumerate(zip(widths, row, strict=True)):
            pdf.cell(w, 7, text, border=1, link=f"https://example.gov.test/{row[0]}" if c == 1 else "")
        pdf.ln()
    pdf.add_page()
    for _ in range(15):
        pdf.cell(0, 6, "Điều 2. Văn phòng Sở là đơn vị đầu mối cung cấp thông tin.", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.cell(0, 8, "Phụ lục: ngày 07 tháng 01 năm 2025", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=widths) as grid:
        grid.row(HEADER)
        for n, row in enumerate(ROWS):
            cells = grid.row()
            if n == 2:
                cells.cell(row[0])
                cells.cell(f"{row[1]} — {row[2]}", colspan=2)
                cells.cell(row[3])
                cells.cell(row[4])
            else:
                for text in row:
                    cells.cell(text)
    pdf.add_page()
    pdf.cell(0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", new_x="LMARGIN", new_y="NEXT")
    pdf.line(40, 20, 120, 20)
    pdf.rect(20, 40, 50, 20)
    return bytes(pdf.output())


def _form_xobject_grid() -> bytes:
    """A page whose only drawing is a 3 × 3 grid inside a form XObject (as some converters write)."""
    grid = b" ".join(b"%d 500 m %d 650 l S" % (x, x) for x in (100, 250, 400)) + b" " + \
        b" ".join(b"100 %d m 400 %d l S" % (y, y) for y in (500, 575, 650))
    return gold_docs._pdf_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Fm1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        gold_docs._stream(grid, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "),
        gold_docs._stream(b"q /Fm1 Do Q"),
    ])


def _reference_tables(body: bytes, pages: int) -> list[dict[str, Any]]:
    """The table search as it was before the speed-ups: pdfplumber on every page, its own extract()."""
    import pdfplumber

    found = []
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        for page in pdf.pages[:pages]:
            links = [(link.get("top", 0), link.get("bottom", 0), link.get("uri")) for link in page.hyperlinks
                     if link.get("uri")]
            for found_table in page.find_tables():
                rows = found_table.extract()
                top = found_table.bbox[1]
                heading = ""
                if top > 5:
                    above = page.crop((0, max(0, top - 60), page.width, top)).extract_text() or ""
                    lines = [squash(line) for line in above.splitlines() if squash(line)]
                    heading = lines[-1] if lines else ""
                row_links = [[uri for t, b, uri in links if t >= row.bbox[1] - 1 and b <= row.bbox[3] + 1]
                             for row in found_table.rows]
                shaped = table([[c or "" for c in r] for r in rows], heading=heading,
                               row_links=row_links if len(row_links) == len(rows) else None)
                if shaped is not None:
                    found.append(shaped)
    return found


PDFS = {
    "catalogue": lambda: CATALOGUE_PDF.read_bytes(),
    "mixed": _mixed_pdf,
    "form-grid": _form_xobject_grid,
    "farm-text": lambda: gold_docs.pdf(["QUY CHẾ CUNG CẤP THÔNG TIN", "STT | Tên văn bản | Ngày"]),
    "scan": lambda: SCAN_PDF.read_bytes(),
}


@pytest.mark.parametrize("name", sorted(PDFS))
def test_pdf_tables_are_those_pdfplumber_finds_on_every_page(name: str):
    body = PDFS[name]()
    assert pdf_extract._tables(body, 30) == _reference_tables(body, 30)


def test_pages_without_a_drawn_line_are_the_pages_without_tables():
    import pdfplumber

    body = _mixed_pdf()
    assert pdf_extract._pages_with_paths(body, 4) == [0, 2, 3]
    assert pdf_extract._pages_with_paths(body, 6) == [0, 2, 3, 4, 5]  # pages pdfium does not have are searched
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        assert [len(page.find_tables()) for page in pdf.pages] == [1, 0, 1, 0]
    shaped = pdf_extract._tables(body, 30)
    assert [t["headers"] for t in shaped] == [HEADER, HEADER]
    assert shaped[0]["row_links"][0] == ["https://example.gov.test/1"]
    assert shaped[1]["heading"] == "Phụ lục: ngày 07 tháng 01 năm 2025"
    # Paths inside a form XObject count; a page of text alone has none; what pdfium cannot open is searched.
    assert pdf_extract._pages_with_paths(_form_xobject_grid(), 1) == [0]
    with pdfplumber.open(io.BytesIO(_form_xobject_grid())) as pdf:
        assert len(pdf.pages[0].find_tables()) == 1  # so skipping that page would lose a table
    assert pdf_extract._pages_with_paths(PDFS["farm-text"](), 1) == []
    assert pdf_extract._pages_with_paths(b"%PDF-1.4 not really", 1) is None


def test_fast_character_dicts_equal_pdfplumbers():
    import pdfplumber
    from pdfminer.layout import LTChar

    for body in (CATALOGUE_PDF.read_bytes(), _mixed_pdf()):
        with pdfplumber.open(io.BytesIO(body)) as pdf:
            for page in pdf.pages:
                objects = list(page.iter_layout_objects(page.layout._objs))
                assert any(o["object_type"] == "char" for o in objects)
                pdf_extract._fast_objects(page)
                assert list(page.iter_layout_objects(page.layout._objs)) == objects
                assert any(o.__class__ is LTChar for o in page.layout._objs)


def test_cells_are_extracted_as_pdfplumber_extracts_them():
    import pdfplumber

    for body in (CATALOGUE_PDF.read_bytes(), _mixed_pdf()):
        with pdfplumber.open(io.BytesIO(body)) as pdf:
            for page in pdf.pages:
                for found in page.find_tables():
                    assert pdf_extract._extract(found, page.chars) == found.extract()


def _reference_xlsx(body: bytes) -> dict[str, Any]:
    """The XLSX reader as it was before the speed-up: the full 2,000 × 40 grid of every sheet."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(body), data_only=True)
    tables, lines = [], []
    for sheet in book.worksheets:
        rows, links = [], []
        for row in sheet.iter_rows(max_row=xlsx_extract.MAX_ROWS, max_col=xlsx_extract.MAX_COLUMNS):
            rows.append(["" if c.value is None else xlsx_extract._cell(c.value) for c in row])
            links.append([c.hyperlink.target for c in row if getattr(c, "hyperlink", None) and c.hyperlink.target])
        lines += [" | ".join(c for c in cells if c) for cells in rows if any(cells)]
        shaped = table(rows, row_links=links)
        if shaped is not None:
            shaped["caption"] = shaped["caption"] or sheet.title
            tables.append(shaped)
    return {"text": "\n".join(lines), "tables": tables}


def _workbooks() -> dict[str, bytes]:
    import openpyxl

    def save(book: Any) -> bytes:
        buf = io.BytesIO()
        book.save(buf)
        return buf.getvalue()

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI"])
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(HEADER)
    for i, row in enumerate(ROWS):
        sheet.append([int(row[0]), row[1], datetime.date(2025, 1, 8 + i), 12.0 + i / 2, row[4]])
        sheet.cell(row=sheet.max_row, column=2).hyperlink = f"https://example.gov.test/{i}.pdf"
    sheet.cell(row=30, column=45, value="beyond column 40")
    book.create_sheet("Trong")
    wide = book.create_sheet("Rong")
    for r in range(4):
        wide.append([f"{r}-{c}" if (r + c) % 3 else None for c in range(50)])
    # Filled through row 2,000 (and past it): the one shape where row links reach the table.
    full = openpyxl.Workbook()
    sheet = full.active
    sheet.append(HEADER)
    for r in range(2003):
        sheet.append([r + 1, f"Văn bản {r}", "08/01/2025", "Trang TTĐT", "05 năm"])
        if r % 400 == 0:
            sheet.cell(row=r + 2, column=2).hyperlink = f"https://example.gov.test/full/{r}"
    return {"links-merged-dates": save(book), "full-2000": save(full), "empty": save(openpyxl.Workbook()),
            "sample": (PORTALS / "doc-xlsx/uploads/danh-muc-thong-tin-cong-khai.xlsx").read_bytes()}


@pytest.mark.parametrize("name", ["links-merged-dates", "full-2000", "empty", "sample"])
def test_xlsx_reads_as_the_full_grid_did(name: str):
    body = _workbooks()[name]
    fast = xlsx_extract.read(body, Limits())
    assert {"text": fast["text"], "tables": fast["tables"]} == _reference_xlsx(body)
    if name == "full-2000":
        assert any(fast["tables"][0]["row_links"])


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed (scripts/apt-packages.txt)")
def test_ocr_reads_the_same_in_one_thread_from_a_faster_png(monkeypatch: pytest.MonkeyPatch):
    import os

    import pypdfium2

    from crawler.extract import ocr

    if ocr.available("vie"):
        pytest.skip(ocr.available("vie"))
    document = pypdfium2.PdfDocument(SCAN_PDF.read_bytes())
    picture = document[0].render(scale=ocr.DPI / 72, grayscale=True).to_pil()
    document.close()
    fast = ocr.image(ocr.encode(picture), "vie", 60)
    png = io.BytesIO()
    picture.save(png, "PNG")
    monkeypatch.setattr(ocr, "_ENV", dict(os.environ))  # as before: default PNG, tesseract's own threads
    before = ocr.image(png.getvalue(), "vie", 60)
    assert fast == before
    assert "DANH MỤC THÔNG TIN" in before[0] and before[1] > 50
    assert extract(SCAN_PDF.read_bytes())["meta"]["ocr"]["confidence"] == before[1]


def _heading_pdf() -> bytes:
    """A decision's two-column heading, a paragraph in mixed fonts, and a table whose cells stay apart."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(find_font("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(find_font("DejaVuSans-Bold.ttf")))
    pdf.add_page()
    for left, right in (("UBND TỈNH MẪU SƠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                        ("SỞ TƯ PHÁP", "Độc lập - Tự do - Hạnh phúc"),
                        ("Số: 41/QĐ-STP", "Mẫu Sơn, ngày 07 tháng 01 năm 2025")):
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(80, 6, left)
        pdf.cell(0, 6, right, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.write(6, "Điều 1. Ban hành kèm theo Quyết định này ")
    pdf.set_font("DejaVu", "B", 10)
    pdf.write(6, "Danh mục thông tin phải được công khai")
    pdf.set_font("DejaVu", "", 10)
    pdf.write(6, " của Sở Tư pháp.")
    pdf.ln(10)
    pdf.set_font("DejaVu", "", 9)
    for row in [HEADER, *ROWS]:
        for width, text in zip((12, 80, 25, 30, 40), row, strict=True):
            pdf.cell(width, 7, text[: width // 2], border=1)
        pdf.ln()
    return bytes(pdf.output())


def _overflowing_pdf() -> bytes:
    """Cells whose text runs over the next cell's: text drawn over text."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(find_font("DejaVuSans.ttf")))
    pdf.set_font("DejaVu", "", 9)
    pdf.add_page()
    for row in ROWS:
        pdf.cell(30, 7, row[1])  # a whole title in 30 mm: it runs into the date
        pdf.cell(25, 7, row[2], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


TEXT_PDFS = {
    **{name: PDFS[name] for name in ("catalogue", "farm-text", "scan")},
    "heading": _heading_pdf,
    # Lines longer than the page (pdftotext drops what lies off it), and a letter missing from the font
    # (a flat glyph box: pdfium cannot find the character by position).
    "off-page": lambda: gold_docs.pdf(["SỞ TƯ PHÁP TỈNH VĨNH LONG", "Điều 1. Phạm vi điều chỉnh",
                                       "Đăng trên Cổng thông tin điện tử; " * 6]),
}


@pytest.mark.parametrize("name", sorted(TEXT_PDFS))
def test_pdf_text_from_pdfium_is_pdftotexts(name: str):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (scripts/apt-packages.txt)")
    from pypdf import PdfReader

    body = TEXT_PDFS[name]()
    pages = len(PdfReader(io.BytesIO(body)).pages)
    ours = pdf_extract._pdfium_text(body, pages)
    reference = pdf_extract._pdftotext(body, pages, 30)
    assert ours is not None and reference is not None
    assert [pdf_extract.squash_lines(t) for t in ours] == [pdf_extract.squash_lines(t) for t in reference]
    if name == "heading":  # the two columns of the heading stay apart, the bold words stay in their line
        lines = pdf_extract.squash_lines("\n".join(ours)).splitlines()
        assert "UBND TỈNH MẪU SƠN" in lines and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
        assert any("Quyết định này Danh mục thông tin phải được công khai của Sở" in line for line in lines)
    if name != "scan":
        assert extract(body)["meta"]["extractor"].startswith("pdfium")


@pytest.mark.parametrize("make", [_overflowing_pdf, _mixed_pdf])  # the mixed PDF's titles overflow too
def test_text_drawn_over_text_is_left_to_pdftotext(make: Any):
    body = make()
    assert pdf_extract._pdfium_text(body, 200) is None
    result = extract(body)
    expected = "pdftotext" if shutil.which("pdftotext") else "pypdf"
    assert result["meta"]["extractor"].split("+")[0] == expected
    assert squash(ROWS[0][2]) in result["text"]
