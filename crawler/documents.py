"""Read attached documents (the catalogue or regulation is often only a PDF) into text and tables.

``extract`` runs in a worker process (see ``DocumentPool``), never on the crawler's reactor: a slow or
hostile document costs a worker, not the crawl. The type is sniffed from the bytes, not taken from
the file name or the Content-Type, which portals get wrong.
"""

from __future__ import annotations

import asyncio
import io
import zipfile
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from tctt.vntext import squash

MAX_TEXT = 400_000


def sniff(body: bytes) -> str:
    """The document type from its first bytes: pdf, docx, xlsx, zip, doc/xls (OLE), rar, html, text, binary."""
    head = body[:8]
    if body[:5] == b"%PDF-" or b"%PDF-" in body[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        except zipfile.BadZipFile:
            return "zip"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # legacy .doc or .xls
    if head.startswith(b"Rar!"):
        return "rar"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    sample = body[:2048].lstrip().lower()
    if sample.startswith((b"<!doctype html", b"<html")) or b"<body" in sample:
        return "html"
    try:
        body[:4096].decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return "binary"


def _pdf(body: bytes, max_pages: int) -> dict[str, Any]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001 - any failure means we cannot read it
                return {"error": "encrypted: the PDF is password-protected"}
        texts = []
        pages = len(reader.pages)
        for page in reader.pages[:max_pages]:
            texts.append(page.extract_text() or "")
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        return {"error": f"corrupt: {type(exc).__name__}: {exc}"[:300]}
    text = "\n".join(texts)
    result: dict[str, Any] = {"text": text[:MAX_TEXT], "pages": pages}
    if pages and not squash(text):
        result["scanned"] = True
        result["error"] = "no text layer: scanned image (not machine-readable)"
    return result


_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _ooxml_part(body: bytes, name: str) -> Any:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        data = archive.read(name)
    return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))


def _docx(body: bytes) -> dict[str, Any]:
    """Paragraphs and tables of a Word document, in document order (catalogues are often .docx)."""
    root = _ooxml_part(body, "word/document.xml")
    lines: list[str] = []
    tables: list[dict[str, Any]] = []
    body_element = root.find(f"{_WORD}body")
    for block in body_element if body_element is not None else []:
        if block.tag == f"{_WORD}p":
            text = squash("".join(t.text or "" for t in block.iter(f"{_WORD}t")))
            if text:
                lines.append(text)
        elif block.tag == f"{_WORD}tbl":
            rows = [[squash("".join(t.text or "" for t in cell.iter(f"{_WORD}t"))) for cell in row.iter(f"{_WORD}tc")]
                    for row in block.iter(f"{_WORD}tr")]
            rows = [row for row in rows if any(row)]
            if rows:
                tables.append({"caption": "", "heading": lines[-1] if lines else "", "headers": rows[0],
                               "rows": rows[1:], "row_links": [[] for _ in rows[1:]]})
                lines.extend(" | ".join(row) for row in rows)
    return {"text": "\n".join(lines)[:MAX_TEXT], "tables": tables}


def _xlsx(body: bytes) -> dict[str, Any]:
    """The first sheet of a workbook as one table (shared and inline strings, plain values)."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
    shared: list[str] = []
    if "xl/sharedStrings.xml" in names:
        shared = [squash("".join(t.text or "" for t in si.iter(f"{_SHEET}t")))
                  for si in _ooxml_part(body, "xl/sharedStrings.xml").iter(f"{_SHEET}si")]
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
    if not sheets:
        return {"text": "", "tables": []}
    rows: list[list[str]] = []
    for row in _ooxml_part(body, sheets[0]).iter(f"{_SHEET}row"):
        values = []
        for cell in row.iter(f"{_SHEET}c"):
            kind = cell.get("t")
            if kind == "inlineStr":
                values.append(squash("".join(t.text or "" for t in cell.iter(f"{_SHEET}t"))))
            else:
                raw = cell.findtext(f"{_SHEET}v") or ""
                values.append(shared[int(raw)] if kind == "s" and raw.isdigit() and int(raw) < len(shared) else raw)
        if any(values):
            rows.append(values)
        if len(rows) > 2000:
            break
    tables = [{"caption": "", "heading": "", "headers": rows[0], "rows": rows[1:],
               "row_links": [[] for _ in rows[1:]]}] if rows else []
    return {"text": "\n".join(" | ".join(row) for row in rows)[:MAX_TEXT], "tables": tables}


def extract(body: bytes, url: str = "", max_pages: int = 200) -> dict[str, Any]:
    """Text, tables and facts of a document. Never raises: failures come back as ``error``."""
    doc_type = sniff(body)
    result: dict[str, Any] = {"doc_type": doc_type, "text": "", "tables": [], "pages": None}
    try:
        if doc_type == "pdf":
            result.update(_pdf(body, max_pages))
        elif doc_type == "html":
            from crawler.htmlpage import parse_html

            page = parse_html(body, url)
            result.update(text=page.text[:MAX_TEXT], tables=page.tables, title=page.title)
        elif doc_type == "docx":
            result.update(_docx(body))
        elif doc_type == "xlsx":
            result.update(_xlsx(body))
        elif doc_type == "text":
            result["text"] = body.decode("utf-8", "replace")[:MAX_TEXT]
        else:
            result["error"] = f"unsupported: {doc_type} documents are recorded but not read yet"
    except Exception as exc:  # noqa: BLE001 - a document must never take the crawl down
        result["error"] = f"extraction failed: {type(exc).__name__}: {exc}"[:300]
    return result


class DocumentPool:
    """A lazily started process pool with a per-document time budget."""

    def __init__(self, workers: int, timeout: float):
        self.workers = workers
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None

    async def extract(self, body: bytes, url: str) -> dict[str, Any]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        future = self._pool.submit(extract, body, url)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout=self.timeout)
        except TimeoutError:
            future.cancel()
            return {"doc_type": sniff(body), "text": "", "tables": [],
                    "error": f"timeout: extraction took more than {self.timeout:.0f} s"}
        except Exception as exc:  # noqa: BLE001 - e.g. a worker killed by the OS
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            return {"doc_type": sniff(body), "text": "", "tables": [],
                    "error": f"worker failed: {type(exc).__name__}: {exc}"[:300]}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
