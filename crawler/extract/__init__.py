"""Read what agencies publish — PDF, DOC, DOCX, XLS/XLSX, ODT/ODS, RTF, HTML, ZIP/RAR, scans — into text and tables.

``extract(body, url, limits)`` is a pure function of the bytes: it sniffs the real type (not the file
name or the Content-Type, which portals get wrong), hands the bytes to one module per format, and
returns a dict that never raises::

    {"doc_type", "text", "tables", "pages", "title", "scanned", "error", "meta"}

Tables have the shape of HTML tables (``crawler.htmlpage``): ``{"caption", "heading", "headers",
"rows", "row_links"}``, so a catalogue in a PDF or a spreadsheet is judged by the same checks. ``meta``
is the document's evidence: sniffed type, size, sha256, pages, title, dates found, digital signature,
legacy-encoding conversion, OCR confidence, archive members.

It runs in a worker process with a memory limit and a deadline (``crawler.extract.pool``), never on
the crawler's reactor.
"""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from dataclasses import asdict, dataclass
from typing import Any

from core.vntext import find_dates, fix_legacy, nfc, squash

MAX_TEXT = 400_000


@dataclass(frozen=True)
class Limits:
    """Budgets for one document. The pool enforces ``seconds`` and ``memory_mb`` from outside."""

    max_bytes: int = 30 * 1024 * 1024        # larger bodies are recorded, not parsed
    max_pages: int = 200                     # PDF pages read for text
    table_pages: int = 30                    # PDF pages searched for tables (slower than text)
    max_unpacked: int = 200 * 1024 * 1024    # total uncompressed size allowed in a zip-based file
    max_ratio: int = 200                     # compression ratio beyond which a zip is a bomb
    max_members: int = 2000                  # entries in an archive
    ocr: bool = True                         # OCR scanned pages when tesseract is installed
    ocr_pages: int = 5                       # pages OCR'd per document
    ocr_lang: str = "vie"
    seconds: float = 60.0
    memory_mb: int = 1024

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        """From Scrapy settings (TCTT_DOC_*); unset names keep the defaults."""
        default = cls()
        return cls(
            max_bytes=settings.getint("TCTT_DOC_MAX_BYTES", default.max_bytes),
            max_pages=settings.getint("TCTT_DOC_MAX_PAGES", default.max_pages),
            table_pages=settings.getint("TCTT_DOC_TABLE_PAGES", default.table_pages),
            max_unpacked=settings.getint("TCTT_DOC_MAX_UNPACKED", default.max_unpacked),
            max_ratio=settings.getint("TCTT_DOC_MAX_RATIO", default.max_ratio),
            ocr=settings.getbool("TCTT_DOC_OCR", default.ocr),
            ocr_pages=settings.getint("TCTT_DOC_OCR_PAGES", default.ocr_pages),
            ocr_lang=settings.get("TCTT_DOC_OCR_LANG", default.ocr_lang),
            seconds=settings.getfloat("TCTT_DOC_TIMEOUT", default.seconds),
            memory_mb=settings.getint("TCTT_DOC_MAX_MEMORY_MB", default.memory_mb),
        )


class DocumentRefused(Exception):
    """The document cannot or must not be read; the message is the recorded reason."""


def sniff(body: bytes) -> str:
    """The type from the first bytes: pdf, docx, xlsx, odt, ods, zip, doc, xls, ole, rar, 7z, rtf, html,
    text, image, binary."""
    head = body[:8]
    if body[:5] == b"%PDF-" or b"%PDF-" in body[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return "zip"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "content.xml" in names and "mimetype" in names:
            # The package names its type in its "mimetype" member (meant to come first, stored, but not always).
            try:
                with zipfile.ZipFile(io.BytesIO(body)).open("mimetype") as member:
                    mimetype = member.read(100)
            except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, EOFError):
                mimetype = body[:200]
            return "ods" if b"opendocument.spreadsheet" in mimetype else "odt"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # OLE directory entries are UTF-16 names: Word keeps a "WordDocument" stream, Excel a "Workbook".
        if "WordDocument".encode("utf-16-le") in body:
            return "doc"
        if "Workbook".encode("utf-16-le") in body or "Book".encode("utf-16-le") in body:
            return "xls"
        return "ole"
    if head.startswith(b"Rar!"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    sample = body[:2048].lstrip().lower()
    if sample.startswith((b"<!doctype html", b"<html")) or b"<body" in sample or b"<table" in sample:
        return "html"
    if b"\x00" in body[:4096]:
        return "binary"
    return "text"


def table(rows: list[list[str]], *, caption: str = "", heading: str = "",
          row_links: list[list[str]] | None = None) -> dict[str, Any] | None:
    """A table in the HTML-table shape: the first row with two or more filled cells is the header."""
    clean = [[squash(str(c)) if c is not None else "" for c in row] for row in rows]
    clean = [row for row in clean if any(row)]
    width = max((max((i + 1 for i, c in enumerate(row) if c), default=0) for row in clean), default=0)
    clean = [row[:width] for row in clean]  # spreadsheets pad rows with empty columns
    links = row_links or []
    start = next((i for i, row in enumerate(clean) if sum(1 for c in row if c) >= 2), None)
    if start is None:
        return None
    above = [" ".join(c for c in row if c) for row in clean[:start]]
    headers = clean[start]
    body = clean[start + 1:]
    body_links = links[start + 1:] if len(links) == len(clean) else [[] for _ in body]
    return {"caption": caption or (above[0] if above else ""), "heading": heading or (above[-1] if above else ""),
            "headers": headers, "rows": body[:500], "row_links": body_links[:500]}


def _fix_encoding(result: dict[str, Any]) -> None:
    """Convert TCVN3/VNI/windows-1258 text (and its tables) to Unicode, noting it in the evidence."""
    sample = result.get("text") or " ".join(" ".join(t.get("headers") or []) for t in result.get("tables") or [])
    _, encoding = fix_legacy(sample)
    if encoding is None or result["meta"].get("encoding"):
        return
    from core.vntext import LEGACY_DECODERS

    convert = LEGACY_DECODERS[encoding]
    result["text"] = convert(result.get("text") or "")
    result["title"] = convert(result.get("title") or "")
    for tab in result.get("tables") or []:
        for key in ("caption", "heading"):
            tab[key] = convert(tab.get(key) or "")
        tab["headers"] = [convert(c) for c in tab.get("headers") or []]
        tab["rows"] = [[convert(c) for c in row] for row in tab.get("rows") or []]
    result["meta"]["encoding"] = {"legacy": encoding, "converted_to": "Unicode NFC"}


def _read(doc_type: str, body: bytes, url: str, limits: Limits, depth: int) -> dict[str, Any]:
    if doc_type == "pdf":
        from crawler.extract import pdf
        return pdf.read(body, limits)
    if doc_type in ("docx", "xlsx", "odt", "ods", "zip"):
        from crawler.extract import archive
        archive.check_zip(body, limits)
        if doc_type == "docx":
            from crawler.extract import docx
            return docx.read(body, limits)
        if doc_type == "xlsx":
            from crawler.extract import xlsx
            return xlsx.read(body, limits)
        if doc_type in ("odt", "ods"):
            from crawler.extract import odf
            return odf.read(body, limits, doc_type)
        return archive.read_zip(body, limits, depth)
    if doc_type == "rar":
        from crawler.extract import archive
        return archive.read_rar(body, limits, depth)
    if doc_type == "doc":
        from crawler.extract import doc
        return doc.read(body, limits)
    if doc_type == "xls":
        from crawler.extract import xls
        return xls.read(body, limits)
    if doc_type == "rtf":
        from crawler.extract import doc
        return doc.read_rtf(body, limits)
    if doc_type in ("html", "text"):
        from crawler.extract import html
        return html.read(body, url, doc_type)
    if doc_type == "image":  # a banner or a picture of a page: its words by OCR, when small enough
        from crawler.extract import ocr
        return ocr.read_image(body, limits)
    if doc_type == "ole":
        raise DocumentRefused("encrypted or unknown: an OLE file with no Word or Excel stream "
                              "(password-protected Office files look like this)")
    raise DocumentRefused(f"unsupported: {doc_type} documents are recorded but not read")


def extract(body: bytes, url: str = "", limits: Limits | None = None, depth: int = 0) -> dict[str, Any]:
    """Text, tables and metadata of a document. Never raises: failures come back as ``error``."""
    limits = limits or Limits()
    started = time.perf_counter()
    doc_type = sniff(body)
    meta: dict[str, Any] = {"sniffed": doc_type, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    result: dict[str, Any] = {"doc_type": doc_type, "text": "", "tables": [], "pages": None, "title": "",
                              "scanned": False, "error": None, "meta": meta}
    try:
        if len(body) > limits.max_bytes:
            raise DocumentRefused(f"too large: {len(body)} bytes > {limits.max_bytes}")
        result.update(_read(doc_type, body, url, limits, depth))
    except DocumentRefused as exc:
        result["error"] = str(exc)[:300]
    except MemoryError:
        result["error"] = f"too much memory: over the {limits.memory_mb} MB budget"
    except Exception as exc:  # noqa: BLE001 - a document must never take the crawl down
        result["error"] = f"corrupt or unreadable: {type(exc).__name__}: {exc}"[:300]
    result["meta"] = {**meta, **(result.get("meta") or {})}
    result["text"] = nfc(result.get("text") or "")[:MAX_TEXT]
    _fix_encoding(result)
    text = result["text"]
    result["meta"]["pages"] = result.get("pages")
    result["meta"]["title"] = result.get("title") or ""
    result["meta"]["dates"] = [d.isoformat() for d in find_dates(text[:50_000])][:20]
    result["meta"].setdefault("signed", False)
    result["meta"]["elapsed_ms"] = int((time.perf_counter() - started) * 1000)
    return result
