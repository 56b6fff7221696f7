"""PDF: poppler's ``pdftotext`` for the text (fast), pypdf for structure and metadata, pdfplumber for
tables, and OCR for pages with no text layer (signed scans are the common case)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from typing import Any

from crawler.extract import DocumentRefused, Limits, table
from tctt.vntext import squash

_SIGNATURE = re.compile(rb"/Type\s*/Sig\b|/ByteRange\s*\[|/SigFlags\s+[123]")


def _pdftotext(body: bytes, pages: int, seconds: float) -> list[str] | None:
    """Per-page text from pdftotext, or None when it is not installed or fails."""
    binary = shutil.which("pdftotext")
    if binary is None:
        return None
    try:
        done = subprocess.run([binary, "-q", "-enc", "UTF-8", "-l", str(pages), "-", "-"], input=body,
                              capture_output=True, timeout=max(5.0, seconds), check=False)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace").split("\f")[:pages]


def _tables(body: bytes, pages: int) -> list[dict[str, Any]]:
    import pdfplumber

    found: list[dict[str, Any]] = []
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
                row_links = []
                for row in found_table.rows:
                    y0, y1 = row.bbox[1], row.bbox[3]
                    row_links.append([uri for t, b, uri in links if t >= y0 - 1 and b <= y1 + 1])
                shaped = table([[c or "" for c in r] for r in rows], heading=heading,
                               row_links=row_links if len(row_links) == len(rows) else None)
                if shaped is not None:
                    found.append(shaped)
    return found


def read(body: bytes, limits: Limits) -> dict[str, Any]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    meta: dict[str, Any] = {"signed": bool(_SIGNATURE.search(body))}
    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - unknown crypto is as unreadable as a password
                raise DocumentRefused(f"encrypted: the PDF cannot be decrypted ({type(exc).__name__})") from exc
            if not ok:
                raise DocumentRefused("encrypted: the PDF is password-protected")
            meta["encrypted"] = "owner password only (readable)"
        pages = len(reader.pages)
        info = reader.metadata or {}
        title = squash(str(info.get("/Title") or ""))
        for key, name in (("/Author", "author"), ("/CreationDate", "created"), ("/ModDate", "modified"),
                          ("/Producer", "producer")):
            if info.get(key):
                meta[name] = squash(str(info.get(key)))[:200]
        texts = _pdftotext(body, min(pages, limits.max_pages), limits.seconds)
        meta["extractor"] = "pdftotext" if texts is not None else "pypdf"
        if texts is None:
            texts = [page.extract_text() or "" for page in reader.pages[:limits.max_pages]]
    except DocumentRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError, IndexError) as exc:
        raise DocumentRefused(f"corrupt: {type(exc).__name__}: {exc}"[:300]) from exc
    empty = [i for i, text in enumerate(texts) if len(squash(text)) < 5]
    result: dict[str, Any] = {"pages": pages, "title": title, "meta": meta}
    if texts and len(empty) == len(texts):
        # No text layer at all: a scan. Not machine-readable whatever OCR makes of it.
        result["scanned"] = True
        meta["text_layer"] = False
        from crawler.extract import ocr

        ocr_text, ocr_meta = ocr.pdf_pages(body, limits)
        meta["ocr"] = ocr_meta
        result["text"] = ocr_text
        if not ocr_text:
            result["error"] = "no text layer: scanned image (not machine-readable)"
        return result
    if empty:
        meta["pages_without_text"] = [i + 1 for i in empty][:50]
    result["text"] = "\n".join(squash_lines(t) for t in texts)
    try:
        result["tables"] = _tables(body, min(pages, limits.table_pages))
        meta["extractor"] += "+pdfplumber"
    except Exception as exc:  # noqa: BLE001 - tables are a bonus; the text stands on its own
        meta["tables_error"] = f"{type(exc).__name__}: {exc}"[:200]
    return result


def squash_lines(text: str) -> str:
    return "\n".join(line for line in (squash(x) for x in text.splitlines()) if line)
