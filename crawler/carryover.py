"""Re-audits: an unchanged agency's result is carried over from its earlier audit instead of crawling it again.

The portal confirmed the home page (a 304, or the same bytes) under the same URL, the earlier audit was made
under the same crawl profile, and every other page of that audit is still fresh by HTTP's rules (or, when
a few are stale, each answers as before when asked again, at most ``TCTT_CARRY_VERIFY_MAX``). The pure
decisions are functions; ``CarryOver`` holds the spider's callbacks for the pages asked again.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from core import __version__
from core.store import now_iso
from crawler.failures import classify_failure
from crawler.freshness import failure_fresh_until, fresh_until
from crawler.items import AgencyResultItem, PageItem


def crawl_profile(settings: Any) -> dict[str, Any]:
    """What shapes the evidence a crawl gathers: a re-audit carries an agency over only from a run made
    under the same profile."""
    return {"tool_version": __version__, "pages": settings.getint("TCTT_MAX_PAGES_PER_AGENCY"),
            "bytes": settings.getint("TCTT_MAX_BYTES_PER_AGENCY"), "depth": settings.getint("TCTT_SECTION_DEPTH"),
            "candidates": settings.getint("TCTT_MAX_CANDIDATES"),
            "landing_pages": settings.getint("TCTT_MAX_LANDING_PAGES", 4),
            "banner_ocr": settings.getint("TCTT_MAX_BANNER_OCR", 3),
            "candidate_threshold": settings.getfloat("TCTT_CANDIDATE_THRESHOLD"),
            "section_threshold": settings.getfloat("TCTT_SECTION_THRESHOLD"),
            "doc_max_bytes": settings.getint("TCTT_DOC_MAX_BYTES"), "robots_txt_obeyed": settings.getbool("ROBOTSTXT_OBEY"),
            "tls_strict": settings.getbool("TCTT_TLS_STRICT")}


def unchanged(source: dict[str, Any], response: Response, home: PageItem | dict[str, Any],
              profile: dict[str, Any]) -> str | None:
    """How the portal confirmed the home page is unchanged since the earlier audit ``source`` (as
    ``Store.carry_source`` gives it), or None when the agency must be crawled."""
    result, earlier = source["result"], source["home"]
    cut = result.get("cut") if isinstance(result.get("cut"), dict) else {}
    if "cached" in response.flags and response.meta.get("tctt_network_status") != 304:
        return None  # the cache stood in for a failing portal (5xx, connection error)
    if (result.get("status") != "audited" or cut.get("time") or
            source["run_options"].get("crawl_profile") != profile or
            (earlier["url"], earlier["final_url"], earlier["status"], earlier["sha256"]) !=
            (home["url"], home["final_url"], home["status"], home["sha256"])):
        return None
    return "304 Not Modified" if "cached" in response.flags else f"HTTP {response.status}, same SHA-256"


def failed_the_same_way(row: dict[str, Any], status: str) -> bool:
    """Whether a page asked again that got no response (``status``, as ``classify_failure`` words it) fails
    as it did in the earlier audit (``row``: no response either, and the same status): then the earlier
    evidence still holds."""
    return row["status"] is None and (row.get("error") or "").partition(":")[0] == status


def carried_record(source: dict[str, Any], validated: str, verified: list[dict[str, Any]] | None,
                   tls_probe: bool, now: float) -> dict[str, Any]:
    """The ``carried`` note of a result carried over: from which run, why, until when (Vietnamese first)."""
    result = source["result"]
    verified = verified or []
    until = (datetime.fromtimestamp(source["min_fresh"], UTC).isoformat(timespec="seconds")
             if source["pages"] and source["min_fresh"] > now else None)
    fresh = (f"mọi trang khác còn hiệu lực theo HTTP đến {until}" if until else
             f"{len(verified)} trang hết hiệu lực được hỏi lại và trả lời như cũ, các trang khác còn hiệu lực")
    fresh_en = (f"every other page fresh by HTTP (RFC 2616) until {until}" if until else
                f"{len(verified)} stale pages asked for again answered as before, the others fresh by HTTP "
                "(RFC 2616)")
    return {
        "from_run": result["run_id"], "home": validated, "pages": source["pages"], "fresh_until": until,
        "verified": verified,
        "transport": "probed in this run" if tls_probe else "not probed (TCTT_TLS_PROBE off)",
        "why": f"trang chủ không đổi ({validated}), {fresh}; bằng chứng chép từ lượt {result['run_id']} / "
               f"home page unchanged ({validated}), {fresh_en}; evidence carried from run {result['run_id']}"}


class CarryOver:
    """The spider's side of carrying over (mixed into crawler.spiders.portal.PortalSpider)."""

    # Set by the spider (from_crawler).
    carry: bool
    carry_verify_max: int
    failed_fresh: float  # seconds a network failure stands (TCTT_FAILED_FRESH_SECONDS)
    budgets: Any  # crawler.budgets.AgencyBudgets
    tls_probe: bool
    states: dict[str, Any]
    ledger: Any
    run_id: int
    db_path: str
    recorder: Any  # crawler.records.Recorder
    crawler: Any

    def _carry_source(self, state: Any) -> dict[str, Any] | None:
        """The agency's last finished result in an earlier run of this database, looked up once."""
        if state.carry_source is False:
            state.carry_source = self.recorder.store.carry_source(state.agency.id, self.run_id)
        return state.carry_source or None  # type: ignore[return-value]

    def _carry_or_verify(self, state: Any, response: Response, home: PageItem,
                         record: dict[str, Any]) -> list[Any] | None:
        """An unchanged agency is not crawled again: the portal confirmed its home page (304, or the same
        bytes) under the same URL, and every other page of its last audit is still fresh by HTTP's rules —
        its result is carried over. Pages that are stale (a 404 has no validators, a cached copy expired)
        are asked for again, at most ``TCTT_CARRY_VERIFY_MAX``; the agency is carried if each answers as
        before. None: crawl it as usual."""
        if not self.carry or state.pending != 1 or state.stored:  # nothing in flight but this home page
            return None
        source = self._carry_source(state)
        if source is None or source["home"] is None:
            return None
        validated = unchanged(source, response, home, crawl_profile(self.crawler.settings))
        if validated is None:
            return None
        result = source["result"]
        state.carry_plan = {"source": source, "validated": validated, "http_status": response.status,
                            "record": record, "home_url": response.url}
        if source["min_fresh"] > time.time():
            return [self._carry_item(state)]
        stale = self.recorder.store.stale_pages(result["run_id"], state.agency.id, time.time())
        if len(stale) > self.carry_verify_max or any(row["kind"] in ("sitemap", "home") for row in stale):
            state.carry_plan = None
            return None
        # Outside the crawl's own bookkeeping (seen, budgets): if a page answers differently, the crawl
        # that follows reaches it as usual and replays what was fetched here.
        requests = []
        for row in stale:
            limit = self.budgets.doc_max_bytes if row["kind"] == "document" else self.budgets.response_maxsize
            meta = {"agency_id": state.agency.id, "kind": row["kind"], "tctt_depth": row["depth"] or 1,
                    "referrer": row["referrer"] or "", "started": time.monotonic(), "verify": row,
                    "anchor": row["title"] if isinstance(row["title"], str) else "", "download_maxsize": limit or 0}
            requests.append(scrapy.Request(row["url"], callback=self.parse_verify, errback=self.on_verify_error,
                                           dont_filter=True, meta=meta, headers={"Cache-Control": "max-age=0"},
                                           priority=state.priority))
        state.pending += len(requests)
        return requests

    async def parse_verify(self, response: Response) -> AsyncIterator[Any]:
        """A stale page of an unchanged agency, asked for again: the same answer as in the earlier audit?"""
        state = self.ledger.state(response.meta)
        state.pending -= 1
        row = response.meta["verify"]
        network = response.meta.get("tctt_network_status")
        same = (response.status == row["status"] and response.url == (row["final_url"] or row["url"]) and
                hashlib.sha256(response.body).hexdigest() == row["sha256"] and
                not ("cached" in response.flags and network not in (None, 304)))
        state.verified.append((response, row, same))
        async for output in self._end_verification(state):
            yield output

    async def on_verify_error(self, failure: Failure) -> AsyncIterator[Any]:
        """A stale page of an unchanged agency that fails now: the same only if it failed before, the same
        way (a page that timed out times out again); its failure then stands anew (``failed_fresh``)."""
        state = self.ledger.state(failure.request.meta)
        state.pending -= 1
        row = failure.request.meta["verify"]
        status, _ = classify_failure(failure)
        same = failed_the_same_way(row, status)
        if same:
            row = {**row, "refetched": {
                "url": row["url"], "fetched_at": now_iso(),
                "elapsed_ms": int((time.monotonic() - failure.request.meta["started"]) * 1000),
                "fresh_until": failure_fresh_until(status, self.failed_fresh)}}
        state.verified.append((None, row, same))
        async for output in self._end_verification(state):
            yield output

    async def _end_verification(self, state: Any) -> AsyncIterator[Any]:
        """Once every stale page answered: carry the agency if all answered as before; otherwise what was
        fetched is evidence of this run, and the agency is crawled as usual (those pages replayed)."""
        if state.pending or state.carry_plan is None:
            return
        if all(same for _, _, same in state.verified):
            verified = [{"url": row["url"], "fetched_at": now_iso(),
                         "elapsed_ms": int((time.monotonic() - response.meta["started"]) * 1000),
                         "fresh_until": fresh_until(self.freshness, response)} if response is not None
                        else row["refetched"] for response, row, _ in state.verified]
            yield self._carry_item(state, verified)
            return
        plan, state.carry_plan = state.carry_plan, None
        for response, _row, _ in state.verified:
            if response is None:
                continue  # asked for again by the crawl (its failure is recorded there)
            if self._is_document(response):
                record = await self._record_document(state, response)
            else:
                record = await self._record(state, response)
            item = self._page_item(state, response, record)
            yield item
            urls = [*response.meta.get("redirect_urls", []), response.request.url, response.url]
            for url in urls:  # replayed, not remembered twice, when the crawl reaches it
                state.pages.pop(self._key(url), None)
                state.stored.setdefault(self._key(url), dict(item))
        state.verified.clear()
        for output in self._from_home(state, plan["record"], plan["home_url"]):
            yield output
        for output in self.ledger.settle(state):
            yield output

    def _carry_item(self, state: Any, verified: list[dict[str, Any]] | None = None) -> AgencyResultItem:
        """The agency's result, carried over from its earlier audit (see ``Store.carry_agency``)."""
        plan, state.carry_plan = state.carry_plan, None
        assert plan is not None
        source, validated = plan["source"], plan["validated"]
        result = source["result"]
        self._finish(state)
        state.pages.clear()
        state.candidates.clear()
        state.seen.clear()
        state.verified.clear()
        carried = carried_record(source, validated, verified, self.tls_probe, time.time())
        return AgencyResultItem(
            agency_id=state.agency.id, status=result["status"], detail=result.get("detail") or "",
            http_status=plan["http_status"], final_url=state.final_url or None,
            section_url=result.get("section_url"), section_confidence=result.get("section_confidence"),
            pages=result.get("pages"), started_at=state.started_at, finished_at=now_iso(), candidates=[],
            cut=result.get("cut") if isinstance(result.get("cut"), dict) else {}, carried=carried)

    # -- statuses -----------------------------------------------------------------------------
