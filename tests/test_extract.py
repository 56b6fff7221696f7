"""Document extraction: every format of the sample documents, the failure cases, and the pool's limits."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from crawler.extract import Limits, extract, sniff
from crawler.extract.pool import DocumentPool
from tctt.sampleserver import zip_bomb

PORTALS = Path(__file__).resolve().parents[1] / "tctt" / "sample" / "portals"
HEADERS = ["STT", "Tên, số, ký hiệu văn bản", "Ngày tạo ra", "Hình thức công khai", "Thời điểm, thời hạn công khai"]
CATALOGUES = {
    "pdf": "doc-pdf/uploads/danh-muc-thong-tin-cong-khai.pdf",
    "docx": "doc-docx/uploads/danh-muc-thong-tin-cong-khai.docx",
    "doc": "doc-doc/uploads/danh-muc-thong-tin-cong-khai.doc",
    "xlsx": "doc-xlsx/uploads/danh-muc-thong-tin-cong-khai.xlsx",
    "xls": "doc-xls/uploads/danh-muc-thong-tin-cong-khai.xls",
    "html": "doc-html/danh-muc-thong-tin-cong-khai/index.html",
}


@pytest.mark.parametrize("kind", sorted(CATALOGUES))
def test_the_catalogue_reads_as_the_same_table_in_every_format(kind: str):
    if kind == "doc" and not (shutil.which("antiword") or shutil.which("catdoc")):
        pytest.skip("antiword/catdoc not installed (scripts/apt-packages.txt)")
    result = extract((PORTALS / CATALOGUES[kind]).read_bytes(), CATALOGUES[kind])
    assert result["doc_type"] == kind and result["error"] is None
    assert len(result["tables"]) == 1
    table = result["tables"][0]
    assert table["headers"] == HEADERS
    assert len(table["rows"]) == 5 and table["rows"][2][0] == "3"
    assert table["rows"][0][1].startswith("Quyết định số 15/QĐ-SVH")
    assert set(table) == {"caption", "heading", "headers", "rows", "row_links"}
    assert "2025-01-08" in result["meta"]["dates"]
    assert len(result["meta"]["sha256"]) == 64


def test_sniffing_ignores_the_file_name():
    pdf = (PORTALS / CATALOGUES["pdf"]).read_bytes()
    assert sniff(pdf) == "pdf"
    assert sniff((PORTALS / CATALOGUES["xls"]).read_bytes()) == "xls"
    assert sniff(b"{\\rtf1\\ansi hello}") == "rtf"
    assert sniff(zip_bomb(1 << 21)) == "zip"


def test_rtf_served_as_doc_is_read():
    body = (PORTALS / "so-tu-phap/sites/default/files/tiep-can-thong-tin/mau-so-01a.doc").read_bytes()
    result = extract(body)
    assert result["doc_type"] == "rtf" and "PHIẾU YÊU CẦU CUNG CẤP THÔNG TIN" in result["text"]


def test_tcvn3_regulation_is_converted_and_noted():
    if not (shutil.which("antiword") or shutil.which("catdoc")):
        pytest.skip("antiword/catdoc not installed (scripts/apt-packages.txt)")
    result = extract((PORTALS / "doc-tcvn3/uploads/quy-che-cung-cap-thong-tin.doc").read_bytes())
    assert result["meta"]["encoding"] == {"legacy": "tcvn3", "converted_to": "Unicode NFC"}
    assert "QUY CHẾ CUNG CẤP THÔNG TIN CHO CÔNG DÂN" in result["text"]
    assert "Văn phòng Sở là đơn vị đầu mối cung cấp thông tin" in result["text"]
    assert "2019-01-07" in result["meta"]["dates"]


def test_broken_documents_leave_a_reason():
    corrupt = extract((PORTALS / "doc-hong/uploads/bao-cao-tai-chinh-2024.pdf").read_bytes())
    assert corrupt["error"].startswith("corrupt")
    locked = extract((PORTALS / "doc-hong/uploads/ke-hoach-2025-co-mat-khau.pdf").read_bytes())
    assert locked["error"] == "encrypted: the PDF is password-protected"
    bomb = extract(zip_bomb())
    assert bomb["error"].startswith("decompression bomb")
    big = extract(b"%PDF-1.4\n" + b"0" * 5000, limits=Limits(max_bytes=1000))
    assert big["error"].startswith("too large")


def test_scanned_pdf_has_no_text_layer_and_is_ocred_when_possible():
    result = extract((PORTALS / "doc-scan/uploads/signed-danh-muc-thong-tin-cong-khai.pdf").read_bytes())
    assert result["scanned"] is True and result["meta"]["text_layer"] is False
    ocr = result["meta"]["ocr"]
    if ocr["done"]:
        assert ocr["confidence"] > 50
        assert "DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI" in result["text"]
    else:  # no tesseract here: said once, and the document stays unread
        assert "tesseract" in ocr["reason"] and result["error"].startswith("no text layer")
    off = extract((PORTALS / "doc-scan/uploads/signed-danh-muc-thong-tin-cong-khai.pdf").read_bytes(),
                  limits=Limits(ocr=False))
    assert off["text"] == "" and off["error"].startswith("no text layer")


def test_zip_members_are_listed_and_read():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("danh-muc.xlsx", (PORTALS / CATALOGUES["xlsx"]).read_bytes())
        archive.writestr("ghi-chu.txt", "Ghi chú: ngày 07/01/2025")
    result = extract(buf.getvalue())
    assert [m["name"] for m in result["meta"]["members"]] == ["danh-muc.xlsx", "ghi-chu.txt"]
    assert result["tables"][0]["headers"] == HEADERS
    assert "2025-01-07" in result["meta"]["dates"]


def test_pool_kills_a_document_over_its_time_and_memory_budget():
    async def run() -> list[dict]:
        # A huge image-only PDF page rendered for OCR would be slow; a tight budget stops any work.
        with DocumentPool(1, Limits(seconds=0.5, memory_mb=1024)) as pool:
            # The first job of a new worker: its start (imports) is not counted, the document is.
            slow = await pool.extract((PORTALS / "doc-scan/uploads/signed-danh-muc-thong-tin-cong-khai.pdf")
                                      .read_bytes(), "scan.pdf")
        with DocumentPool(1, Limits(memory_mb=40)) as pool:
            # 40 MB of address space is not enough to import pdfplumber and read the table.
            starved = await pool.extract((PORTALS / CATALOGUES["pdf"]).read_bytes(), "x.pdf")
            ok = await pool.extract(b"ngay 07/01/2025", "x.txt")
        return [slow, starved, ok]

    slow, starved, ok = asyncio.run(run())
    assert slow["error"].startswith("timeout")
    assert starved["error"].startswith(("too much memory", "worker died")), starved["error"]
    assert ok["error"] is None and ok["meta"]["dates"] == ["2025-01-07"]


def test_a_new_workers_first_page_has_the_same_deadline_as_the_next():
    """A new worker says when its imports are done; the page's deadline counts from there. The first page
    of a worker used to get 5 s more, so a page of ~1 s passed a 0.3 s deadline when it came first."""
    from crawler.pageread import PagePool

    heavy = ("<html><body><ul>" + "".join(f'<li><a href="/v/{i}">Văn bản số {i}</a></li>' for i in range(40_000))
             + "</ul></body></html>").encode()  # ~1 s to read: far over 0.3 s, well under 0.3 + 5 s

    async def run() -> list[dict]:
        with PagePool(1, seconds=0.3) as pool:
            first = await pool.extract(heavy, "http://a.vn/", "utf-8", "text/html; charset=utf-8", 1000)
            small = await pool.extract(b"<html><title>Trang</title><body>x</body></html>", "http://a.vn/x",
                                       "utf-8", "text/html", 1000)
        return [first, small]

    first, small = asyncio.run(run())
    assert "timeout" in (first.get("error") or ""), first.get("title")
    assert first["signals"]["unread"]
    assert small.get("error") is None and small["title"] == "Trang"  # a new worker took the killed one's place
