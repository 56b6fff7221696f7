"""ODT and ODS (OpenDocument, written by LibreOffice and by Vietnamese office suites) with lxml:
paragraphs and tables in document order from ``content.xml``; every spreadsheet sheet becomes a table,
as in ``crawler.extract.xlsx``. The zip guard (``archive.check_zip``) has run before."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

from core.vntext import squash
from crawler.extract import DocumentRefused, Limits, table

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
MAX_ROWS = 2000
MAX_COLUMNS = 40
# Spreadsheets pad a sheet with "repeated" empty rows and cells up to the format's limits (1,048,576 ×
# 16,384): repeats are expanded only up to the caps above.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


_P, _H, _SPACE, _TAB, _BREAK = (_q("text", n) for n in ("p", "h", "s", "tab", "line-break"))
_NOTE, _A = _q("text", "note"), _q("text", "a")
_TABLE, _ROW, _CELL, _COVERED = (_q("table", n) for n in ("table", "table-row", "table-cell", "covered-table-cell"))
_HREF, _REPEAT_ROWS, _REPEAT_COLS = _q("xlink", "href"), _q("table", "number-rows-repeated"), \
    _q("table", "number-columns-repeated")


def _text(element: Any) -> str:
    """A paragraph's words: spans followed, ``text:s`` spaces and tabs kept, footnotes left out."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _SPACE:
            parts.append(" " * min(int(child.get(_q("text", "c"), "1") or 1), 10))
        elif child.tag in (_TAB, _BREAK):
            parts.append(" ")
        elif child.tag != _NOTE and isinstance(child.tag, str) and not child.tag.startswith(_DRAW):
            # Frames and text boxes (draw:*) are read as paragraphs of their own by _walk.
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _repeat(element: Any, key: str, cap: int) -> int:
    try:
        return max(1, min(int(element.get(key, "1")), cap))
    except ValueError:
        return 1


def _table(element: Any) -> tuple[list[list[str]], list[list[str]]]:
    """Rows of cells and each row's links; nested row groups and header rows read in order."""
    rows: list[list[str]] = []
    links: list[list[str]] = []
    for row in element.iter(_ROW):
        if len(rows) >= MAX_ROWS:
            break
        cells: list[str] = []
        row_links: list[str] = []
        for cell in row:
            if cell.tag not in (_CELL, _COVERED):
                continue
            value = squash(" ".join(_text(p) for p in cell.iter(_P, _H)))
            row_links += [a.get(_HREF) for a in cell.iter(_A) if a.get(_HREF)]
            cells += [value] * _repeat(cell, _REPEAT_COLS, MAX_COLUMNS if value else 1)
            if len(cells) >= MAX_COLUMNS:
                break
        cells = cells[:MAX_COLUMNS]
        for _ in range(_repeat(row, _REPEAT_ROWS, MAX_ROWS - len(rows) if any(cells) else 1)):
            rows.append(list(cells))
            links.append(list(row_links))
    return rows, links


def _walk(element: Any, lines: list[str], tables: list[dict[str, Any]], state: dict[str, str]) -> None:
    """Document order: a paragraph is a line; a table adds its rows as lines and becomes a table whose
    heading is the paragraph just before it (a sheet's caption is its name)."""
    for child in element:
        if child.tag in (_P, _H):
            text = squash(_text(child))
            if text:
                lines.append(text)
                state["last"] = text
            # Frames and text boxes hold paragraphs and tables inside a paragraph.
            _walk(child, lines, tables, state)
        elif child.tag == _TABLE:
            rows, links = _table(child)
            for cells in rows:
                if any(cells):
                    lines.append(" | ".join(c for c in cells if c))
            shaped = table(rows, heading=state.get("last", "") if state["kind"] == "odt" else "", row_links=links)
            if shaped is not None:
                if state["kind"] == "ods" and not shaped["caption"]:
                    shaped["caption"] = child.get(_q("table", "name"), "")
                tables.append(shaped)
        elif isinstance(child.tag, str):
            _walk(child, lines, tables, state)


def read(body: bytes, limits: Limits, kind: str) -> dict[str, Any]:
    archive = zipfile.ZipFile(io.BytesIO(body))
    try:
        content = etree.fromstring(archive.read("content.xml"), _PARSER)
    except KeyError as exc:
        raise DocumentRefused("corrupt: an OpenDocument package without content.xml") from exc
    lines: list[str] = []
    tables: list[dict[str, Any]] = []
    for body_part in content.iterfind("office:body/*", NS):
        _walk(body_part, lines, tables, {"kind": kind})
    meta: dict[str, Any] = {"extractor": "lxml-odf"}
    title = ""
    if "meta.xml" in archive.namelist():
        info = etree.fromstring(archive.read("meta.xml"), _PARSER)
        title = squash(info.findtext(".//dc:title", "", NS))
        creator = squash(info.findtext(".//dc:creator", "", NS) or info.findtext(".//meta:initial-creator", "", NS))
        created = squash(info.findtext(".//meta:creation-date", "", NS))
        if creator:
            meta["author"] = creator[:200]
        if created:
            meta["created"] = created
    if kind == "ods":
        meta["sheets"] = len(content.findall("office:body/office:spreadsheet/table:table", NS))
    # ODF signatures live in META-INF/documentsignatures.xml.
    meta["signed"] = "META-INF/documentsignatures.xml" in archive.namelist()
    return {"text": "\n".join(lines), "tables": tables, "title": title,
            "pages": meta.get("sheets"), "meta": meta}
