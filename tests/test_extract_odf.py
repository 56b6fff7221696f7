"""OpenDocument (ODT, ODS): read like their Office Open XML twins, padded sheets capped, hostile XML inert."""

from __future__ import annotations

import io
import zipfile

from crawler.extract import Limits, extract, sniff
from crawler.extract.odf import MAX_ROWS
from farms.gold import docs

HEADERS = ["STT", "Tên, số, ký hiệu văn bản", "Ngày tạo ra", "Hình thức công khai"]
ROWS = [HEADERS, ["1", "Quyết định số 15/QĐ-SVH ngày 08/01/2025", "08/01/2025", "Đăng trên cổng"],
        ["2", "Kế hoạch số 3/KH-SVH", "10/02/2025", "Niêm yết"]]
TITLE = "DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI"


def test_odt_reads_as_the_same_table_as_docx():
    odt = extract(docs.odt([TITLE, "Sở Văn hóa"], ROWS, title="Danh mục 2025"), "danh-muc.odt")
    docx = extract(docs.docx([TITLE, "Sở Văn hóa"], ROWS), "danh-muc.docx")
    assert odt["doc_type"] == "odt" and odt["error"] is None, odt["error"]
    assert odt["tables"] == docx["tables"]
    assert odt["tables"][0]["heading"] == "Sở Văn hóa" and odt["tables"][0]["headers"] == HEADERS
    assert TITLE in odt["text"] and "1 | Quyết định số 15/QĐ-SVH ngày 08/01/2025" in odt["text"]
    assert odt["title"] == "Danh mục 2025" and "2025-01-08" in odt["meta"]["dates"]


def test_ods_sheet_is_a_table_named_after_it_and_padding_is_capped():
    body = docs.ods(ROWS, sheet="Danh mục")
    assert sniff(body) == "ods"
    result = extract(body, "danh-muc.ods")
    assert result["error"] is None, result["error"]
    [sheet] = result["tables"]
    assert sheet["caption"] == "Danh mục" and sheet["headers"] == HEADERS
    assert [row[0] for row in sheet["rows"]] == ["1", "2"]  # a million padded empty rows are not rows
    assert result["pages"] == 1 and result["meta"]["sheets"] == 1


def _package(content: str, mimetype: str = "application/vnd.oasis.opendocument.text", first: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        members = [("mimetype", mimetype), ("content.xml", content)]
        for name, text in members if first else members[::-1]:
            archive.writestr(name, text)
    return out.getvalue()


_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"')


def test_repeated_cells_spans_spaces_and_links_are_read():
    content = (f'<office:document-content {_NS}><office:body><office:spreadsheet><table:table table:name="S">'
               '<table:table-row><table:table-cell><text:p>Tên</text:p></table:table-cell>'
               '<table:table-cell><text:p>Địa chỉ</text:p></table:table-cell></table:table-row>'
               '<table:table-row table:number-rows-repeated="2"><table:table-cell><text:p>Quy<text:s text:c="2"/>'
               '<text:span>chế</text:span></text:p></table:table-cell><table:table-cell><text:p>'
               '<text:a xlink:href="http://portal.example/qc.pdf">tải về</text:a></text:p></table:table-cell>'
               '</table:table-row><table:table-row table:number-rows-repeated="5000"><table:table-cell '
               'table:number-columns-repeated="3"><text:p>x</text:p></table:table-cell></table:table-row>'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    result = extract(_package(content, "application/vnd.oasis.opendocument.spreadsheet", first=False))
    assert result["doc_type"] == "ods", "the type is read from the mimetype member wherever it is"
    [sheet] = result["tables"]
    assert sheet["rows"][:2] == [["Quy chế", "tải về"]] * 2  # text:s is a space, not glue
    assert sheet["row_links"][0] == ["http://portal.example/qc.pdf"]
    assert sheet["rows"][2] == ["x", "x", "x"]
    # Repeats expand up to the reader's cap, not to 5,000 (and a table keeps its first 500 rows).
    assert result["text"].count("x | x | x") == MAX_ROWS - 3 and len(sheet["rows"]) == 500


def test_entities_are_not_expanded_and_bombs_are_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MẬT-KHẨU-BÍ-MẬT", encoding="utf-8")
    content = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
               f'<office:document-content {_NS}><office:body><office:text><text:p>Xin chào &x;</text:p>'
               '</office:text></office:body></office:document-content>')
    result = extract(_package(content))
    assert result["doc_type"] == "odt" and "MẬT-KHẨU" not in result["text"]
    bomb = _package(f'<office:document-content {_NS}>' + " " * 50_000_000 + "</office:document-content>")
    refused = extract(bomb, limits=Limits(max_unpacked=10_000_000))
    assert refused["error"].startswith("decompression bomb")


def test_malformed_content_is_refused_with_a_reason():
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<not-closed")
    result = extract(broken.getvalue())
    assert result["doc_type"] == "odt" and result["error"].startswith("corrupt or unreadable")
