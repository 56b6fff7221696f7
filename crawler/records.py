"""What a response holds, read into the record the spider stores as evidence.

Pages are read in the page workers (``crawler.pageread``, within TCTT_PARSE_TIMEOUT and the agency's time),
documents and banner images in the document workers (``crawler.extract.pool``); the same bytes are read
once per crawl (``crawler.docmemo``), and an earlier run's reading of the same bytes is reused (an HTTP
cache hit, a 304, a document seen before: reading is deterministic). The home page's transport (HTTPS,
certificate) is probed in a thread. Nothing here knows about agencies' budgets or bookkeeping.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from core.store import Store
from crawler import discovery
from crawler.classify import detect
from crawler.docmemo import MAX_BYTES, SharedExtractions
from crawler.extract import Limits, sniff
from crawler.extract.pool import DocumentPool
from crawler.pageread import PagePool, read_page
from crawler.transport import probe_tls

MAX_STORED_TEXT = 200_000


def is_document(response: Response) -> bool:
    """A document (PDF, office file…) by its URL, or a response that is neither text nor HTML."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if discovery.is_document_url(response.url):
        return True
    return not isinstance(response, TextResponse) and "html" not in content_type


class Recorder:
    def __init__(self, settings: Any, db_path: str | None, run_id: int | None):
        self.db_path, self.run_id = db_path, run_id
        self.doc_max_bytes = settings.getint("TCTT_DOC_MAX_BYTES")
        self.doc_reuse = settings.getbool("TCTT_DOC_REUSE", True)
        self.tls_cafile = settings.get("TCTT_TLS_CAFILE") or None
        self.tls_timeout = settings.getfloat("TCTT_TLS_TIMEOUT")
        self.documents = DocumentPool(settings.getint("TCTT_DOC_WORKERS"), Limits.from_settings(settings))
        self.page_pool = PagePool.from_settings(settings)
        # Same bytes, read once per run; the readings kept are bounded in bytes, not in number.
        self.shared_extractions = SharedExtractions(
            self.documents.extract, settings.getint("TCTT_DOC_MEMO_MB", MAX_BYTES // 2**20) * 2**20)
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The database, opened on first use for what earlier runs hold."""
        if self._store is None:
            assert self.db_path is not None
            self._store = Store(self.db_path)
        return self._store

    def close(self) -> None:
        self.documents.close()
        if self.page_pool is not None:
            self.page_pool.close()
        if self._store is not None:
            self._store.close()

    # -- pages -------------------------------------------------------------------------------------
    async def page(self, response: Response, seconds: float | None) -> dict[str, Any]:
        """A page's record: its HTTP facts and what its HTML says (``seconds``: the agency's time left)."""
        record: dict[str, Any] = {"url": response.url, "status": response.status, "kind": response.meta["kind"]}
        reused = self._reused_page(response) if "cached" in response.flags else None
        if reused is not None:
            record.update(reused)
        elif isinstance(response, TextResponse):
            record.update(await self._read_page(response, seconds))
        return record

    async def _read_page(self, response: TextResponse, seconds: float | None) -> dict[str, Any]:
        args = (response.body, response.url, response.encoding,
                response.headers.get(b"Content-Type", b"").decode("latin-1"), MAX_STORED_TEXT)
        if self.page_pool is None:
            return read_page(*args)
        return await self.page_pool.extract(*args, seconds=seconds)

    def _reused_page(self, response: Response) -> dict[str, Any] | None:
        """The evidence an earlier run drew from these very bytes at this URL (an HTTP-cache hit or a 304)."""
        row = self.store.parsed_page(response.url, hashlib.sha256(response.body).hexdigest(), self.run_id)
        if row is None:
            return None
        signals_ = dict(row.get("signals") or {})
        for key in ("transport", "home_failure"):  # facts of that visit, not of the bytes
            signals_.pop(key, None)
        return {"title": row.get("title") or "", "text": row.get("text") or "", "tables": row.get("tables") or [],
                "links": row.get("links") or [], "signals": signals_, "structure": row.get("structure") or []}

    # -- documents ---------------------------------------------------------------------------------
    async def document(self, response: Response) -> dict[str, Any]:
        """A document's record: its text, tables and the section's elements it names."""
        body = response.body
        anchor = response.meta.get("anchor", "")
        record: dict[str, Any] = {"url": response.url, "status": response.status, "kind": "document",
                                  "title": anchor}
        if response.status >= 400:
            record["error"] = f"http {response.status}"
        elif len(body) > self.doc_max_bytes:
            record.update(doc_type=sniff(body), error=f"too large: {len(body)} bytes > {self.doc_max_bytes}")
        else:
            extracted = await self.extraction(body, response.url)
            record.update(doc_type=extracted.get("doc_type"), text=(extracted.get("text") or "")[:MAX_STORED_TEXT],
                          tables=extracted.get("tables") or [], error=extracted.get("error"))
            record["title"] = anchor or extracted.get("title") or ""
            structure = [anchor] + [line for line in record["text"].splitlines()[:30] if len(line) < 150]
            record["structure"] = structure
            record["signals"] = detect(anchor, structure, record["text"], response.url)
            record["signals"]["pages"] = extracted.get("pages")
            record["signals"]["scanned"] = bool(extracted.get("scanned"))
            record["signals"]["document"] = extracted.get("meta") or {}
        return record

    async def extraction(self, body: bytes, url: str) -> dict[str, Any]:
        """The document's extraction: reused from an earlier run when the same bytes were read then."""
        if self.doc_reuse:
            stored = self.store.document_extraction(hashlib.sha256(body).hexdigest(), self.run_id)
            if stored is not None:
                signals = stored.get("signals") or {}
                meta = dict(signals.get("document") or {})
                meta["reused_from"] = {"run_id": stored["run_id"], "page_id": stored["id"]}
                return {"doc_type": stored["doc_type"], "text": stored.get("text") or "",
                        "tables": stored.get("tables") or [], "error": stored.get("error"),
                        "pages": signals.get("pages"), "scanned": signals.get("scanned"), "meta": meta,
                        "title": meta.get("title") or ""}
        return await self.shared_extractions.extract(body, url)

    # -- transport ---------------------------------------------------------------------------------
    async def transport(self, response: Response) -> dict[str, Any]:
        """HTTPS and certificate facts about the portal, probed at the address the home page came from."""
        parts = urlsplit(response.url)
        host = parts.hostname or ""
        port = parts.port or 443  # an http portal on a custom port is asked for TLS on that port
        ip = getattr(response, "ip_address", None)
        probe = await maybe_deferred_to_future(deferToThread(
            probe_tls, host, port, ip=str(ip) if ip else None, timeout=self.tls_timeout, cafile=self.tls_cafile))
        redirected = list(response.meta.get("redirect_urls", []))
        return {"scheme": parts.scheme, "port": port, "redirected_from": redirected[:5], **probe}
