"""Reading an HTML page into evidence, off the reactor: a pool of worker processes (``crawler.pageworker``)
with a deadline per page, like documents (``crawler.extract.pool``).

A hostile or merely enormous page must not stop the crawl: while Scrapy's reactor thread parses, no other
download moves, and other agencies' requests time out and end `unreachable` — a wrong status for an
innocent agency. In a worker the page costs one process's time, up to ``TCTT_PARSE_TIMEOUT`` seconds; a
page that overruns is recorded with the reason and its worker replaced.
"""

from __future__ import annotations

import re
from typing import Any

from crawler.extract import Limits
from crawler.extract.pool import DocumentPool

PARSE_TIMEOUT = 30.0


def read_page(body: bytes, url: str, encoding: str | None, content_type: str, max_text: int) -> dict[str, Any]:
    """The evidence fields of one HTML page: title, text, tables, links, structure and signals."""
    from crawler.classify import detect
    from crawler.htmlpage import parse_html

    parsed = parse_html(body, url, encoding)
    signals = detect(parsed.title, parsed.structure, parsed.text, url)
    if parsed.legacy_encoding:
        signals["encoding"] = {"legacy": parsed.legacy_encoding, "converted_to": "Unicode NFC"}
    signals["page"] = parsed.features
    declared = re.search(r"charset=([\w.:-]+)", content_type)
    signals["charset"] = {"used": encoding, "declared": declared.group(1).lower() if declared else None}
    return {"title": parsed.title, "text": parsed.text[:max_text], "tables": parsed.tables, "links": parsed.links,
            "signals": signals, "structure": parsed.structure}


def unread(reason: str) -> dict[str, Any]:
    """The record of a page that could not be read in time: empty evidence, and why."""
    return {"title": "", "text": "", "tables": [], "links": [], "structure": [],
            "signals": {"unread": reason}, "error": f"trang không đọc được / page not read: {reason}"}


class PagePool(DocumentPool):
    """``await pool.extract(body, url, encoding, content_type, max_text, seconds=…)`` → the page's fields."""

    worker_module = "crawler.pageworker"

    def __init__(self, workers: int, seconds: float = PARSE_TIMEOUT, memory_mb: int = 1024):
        super().__init__(workers, Limits(seconds=seconds, memory_mb=memory_mb))

    def _job(self, body: bytes, url: str, extra: tuple[Any, ...]) -> tuple[Any, ...]:
        return (body, url, *extra)

    def _failed(self, body: bytes, reason: str) -> dict[str, Any]:
        return unread(reason.replace("extraction", "reading the page"))

    @classmethod
    def from_settings(cls, settings: Any) -> PagePool | None:
        """None with TCTT_PARSE_WORKERS = 0: pages are read on the reactor thread (no deadline)."""
        workers = settings.getint("TCTT_PARSE_WORKERS", 2)
        if workers <= 0:
            return None
        return cls(workers, settings.getfloat("TCTT_PARSE_TIMEOUT", PARSE_TIMEOUT),
                   settings.getint("TCTT_PARSE_MAX_MEMORY_MB", 1024))
