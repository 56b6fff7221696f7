"""The records the spider yields as evidence: one ``PageItem`` per page asked for, one ``AgencyResultItem``
per agency. Pure builders: what a response, its parsed record and the agency's state say, nothing fetched.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, Protocol

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Request, Response, TextResponse

from core.registry import Agency
from core.store import now_iso
from crawler import section_choice
from crawler.freshness import failure_fresh_until, fresh_until
from crawler.items import AgencyResultItem, PageItem


class AgencyEvidence(Protocol):
    """What the builders read of an agency's crawl state (crawler.agencystate.AgencyState)."""

    agency: Agency
    started_at: str
    candidates: dict[str, dict[str, Any]]
    pages: dict[str, dict[str, Any]]
    failure: tuple[str, str] | None
    home_status: int | None
    final_url: str
    cut: dict[str, Any]


def _kind(requested: str, record: dict[str, Any]) -> str:
    """What the page turned out to be: a link below the section whose address did not look like a file
    ("/documents/20182/41877/01a.pdf/0b9d…", "?download=1&id=0") but whose body was read as one is a
    document, as the auditors count documents; the home page and candidates keep their place in the crawl."""
    if record.get("kind") == "document" and requested not in ("home", "candidate"):
        return "document"
    return requested


def page_item(agency_id: str, response: Response, record: dict[str, Any], policy: RFC2616Policy) -> PageItem:
    """A page that answered: its HTTP facts, its parsed record and until when it stays fresh."""
    meta = response.meta
    headers = response.headers
    return PageItem(
        agency_id=agency_id, url=(meta.get("redirect_urls") or [response.request.url])[0], final_url=response.url,
        status=response.status, fetched_at=now_iso(), elapsed_ms=int((time.monotonic() - meta["started"]) * 1000),
        content_type=headers.get(b"Content-Type", b"").decode("latin-1")[:200],
        doc_type=record.get("doc_type") or ("html" if isinstance(response, TextResponse) else None),
        size=len(response.body), sha256=hashlib.sha256(response.body).hexdigest(), kind=_kind(meta["kind"], record),
        depth=meta["tctt_depth"], referrer=meta["referrer"], title=record.get("title", ""),
        text=record.get("text", ""), tables=record.get("tables") or [], links=record.get("links") or [],
        structure=record.get("structure") or [], signals=record.get("signals") or {}, error=record.get("error"),
        last_modified=headers.get(b"Last-Modified", b"").decode("latin-1") or None,
        fresh_until=fresh_until(policy, response), warc_record=meta.get("tctt_warc_record"),
    )


def failed_page_item(agency_id: str, request: Request, status: str, detail: str,
                     failed_fresh: float = 0.0) -> PageItem:
    """A page that got no response: the request's place in the crawl and why it failed, held for
    ``failed_fresh`` seconds when the portal's network failed (crawler.freshness.failure_fresh_until)."""
    meta = request.meta
    return PageItem(
        agency_id=agency_id, url=request.url, final_url=request.url, status=None, fetched_at=now_iso(),
        kind=meta["kind"], depth=meta["tctt_depth"], referrer=meta["referrer"], error=f"{status}: {detail}",
        title=meta.get("anchor", ""), fresh_until=failure_fresh_until(status, failed_fresh))


def result_item(state: AgencyEvidence, section_threshold: float, forced: str | None = None) -> AgencyResultItem:
    """The agency's result once its last request answered: its status and the section chosen by content.
    ``forced``: the crawl stopped first (an agency whose home page never answered is an error)."""
    candidates, section = section_choice.weigh(state.candidates, state.pages, section_threshold)
    status, detail = state.failure or ("audited", "")
    if forced and status == "audited" and state.home_status is None:
        status, detail = "error", forced
    chosen = section if section and status == "audited" else None
    return AgencyResultItem(
        agency_id=state.agency.id, status=status, detail=detail, http_status=state.home_status,
        final_url=state.final_url or None, section_url=chosen["url"] if chosen else None,
        section_confidence=chosen["confidence"] if chosen else None,
        pages=len({id(p) for p in state.pages.values()}), started_at=state.started_at, finished_at=now_iso(),
        candidates=candidates, cut=dict(state.cut),
    )
