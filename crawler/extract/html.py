"""HTML saved as a file (.htm from Word, old pages) and plain text. The encoding is taken from the
page's declaration, else UTF-8, else windows-1252 — legacy Vietnamese fonts are fixed afterwards."""

from __future__ import annotations

from typing import Any

from w3lib.encoding import html_to_unicode


def read(body: bytes, url: str, doc_type: str) -> dict[str, Any]:
    encoding, text = html_to_unicode(None, body)
    if doc_type == "text":
        return {"text": text, "meta": {"extractor": "text", "charset": encoding}}
    from crawler.htmlpage import parse_html

    page = parse_html(body, url, encoding)
    meta: dict[str, Any] = {"extractor": "lxml", "charset": encoding}
    if page.legacy_encoding:
        meta["encoding"] = {"legacy": page.legacy_encoding, "converted_to": "Unicode NFC"}
    return {"text": page.text, "tables": page.tables, "title": page.title, "meta": meta}
