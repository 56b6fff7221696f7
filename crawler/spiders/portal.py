"""The portal spider: one process, every agency of a registry, concurrently across portals.

    scrapy crawl portal -a registry=agencies.csv [-a db=tctt.db] [-a run_id=N] [-s TCTT_ALLOW_PRIVATE=1]

Per agency: fetch the home page, score its links as section candidates, fetch the best candidates
and the pages and documents they link to (a few levels deep), record everything as evidence, and
when the agency's last request is answered, choose the section by content and record the choice with
its confidence and the candidates weighed. The crawler only gathers; ``tctt score`` judges.

The agency's bookkeeping goes through its ledger (``crawler.ledger``), its budgets ``crawler.budgets``,
reading responses ``crawler.records``, the search beyond the home page ``crawler.candidates`` and the
re-audit's carry-over ``crawler.carryover`` (docs/architecture.md lists the parts).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater
from twisted.python.failure import Failure

from core.registry import Agency
from core.store import now_iso
from crawler import discovery, evidence, httpcache, pagination, reach, records, scope
from crawler.agencystate import AgencyState
from crawler.budgets import AgencyBudgets, budget_cut
from crawler.candidates import CandidateSearch
from crawler.carryover import CarryOver
from crawler.downloadermiddlewares.blocks import META_KEY as BLOCK_KEY
from crawler.extensions import runlifecycle
from crawler.extensions.runlifecycle import parse_shard
from crawler.extract.ocr import available as ocr_available
from crawler.failures import classify_failure, http_failure
from crawler.freshness import FAILED_FRESH_SECONDS
from crawler.items import AgencyResultItem, PageItem
from crawler.ledger.local import LocalLedger
from crawler.records import Recorder
from crawler.safety import home_unread
from crawler.urls import canonical

# Home pages go before every other request (in the order the agencies were admitted): an admitted agency
# starts at once, and its first answer tells the scheduler how slow its portal is (crawler.pqueues).
HOME_FIRST = 10_000_000


class PortalSpider(CandidateSearch, CarryOver, scrapy.Spider):
    name = "portal"

    def __init__(self, registry: str | None = None, db: str | None = None, run_id: str | None = None,
                 allow_private: str | None = None, shard: str | None = None, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not registry and not run_id:
            raise NotConfigured("usage: scrapy crawl portal -a registry=FILE [-a db=FILE] [-a run_id=N [-a shard=I/K]]")
        self.registry_path = registry
        self.db_arg = db
        self.run_id_arg = run_id
        self.allow_private_arg = allow_private
        # One of K crawl processes of a run (``tctt crawl --processes K``): this process takes the agencies
        # of shard I, and the parent process, not this one, closes the run.
        self.shard = parse_shard(shard) if shard else None
        if self.shard is not None and not run_id:
            raise NotConfigured("-a shard=I/K needs -a run_id=N (the parent process creates the run)")
        self.states: dict[str, AgencyState] = {}
        self.agencies: list[Agency] = []
        self.unfinished: set[str] = set()  # agencies started and not yet finished
        self.resumed_pages: dict[str, list[dict[str, Any]]] = {}  # resume: pages stored per agency

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if spider.allow_private_arg is not None and str(spider.allow_private_arg).lower() in ("1", "true", "yes"):
            settings.frozen = False
            settings.set("TCTT_ALLOW_PRIVATE", True, priority="spider")
            settings.frozen = True
        spider.db_path = spider.db_arg or settings.get("TCTT_DB")
        spider.budgets = AgencyBudgets.from_settings(settings)
        spider.max_depth = settings.getint("TCTT_SECTION_DEPTH")
        spider.max_candidates = settings.getint("TCTT_MAX_CANDIDATES")
        spider.max_landing = settings.getint("TCTT_MAX_LANDING_PAGES", 4)
        # Banners are read by OCR only where tesseract and its model are installed (asked once).
        spider.max_banners = (settings.getint("TCTT_MAX_BANNER_OCR", 3) if settings.getbool("TCTT_DOC_OCR", True)
                              and ocr_available(settings.get("TCTT_DOC_OCR_LANG", "vie")) is None else 0)
        spider.banner_max_bytes = settings.getint("TCTT_BANNER_MAX_BYTES", 300 * 1024)
        spider.max_active = settings.getint("TCTT_MAX_ACTIVE_AGENCIES")
        spider.candidate_threshold = settings.getfloat("TCTT_CANDIDATE_THRESHOLD")
        spider.section_threshold = settings.getfloat("TCTT_SECTION_THRESHOLD")
        spider.tls_probe = settings.getbool("TCTT_TLS_PROBE")
        spider.tls_strict = settings.getbool("TCTT_TLS_STRICT")
        spider.incremental = settings.getbool("TCTT_INCREMENTAL")
        if spider.incremental:
            httpcache.enable_revalidation(settings, spider.db_path)
        # Every page records until when HTTP lets a cache reuse it (Scrapy's own RFC 2616 rules); a re-audit
        # carries an unchanged agency over only while all its pages are fresh.
        spider.freshness = RFC2616Policy(settings)
        spider.failed_fresh = settings.getfloat("TCTT_FAILED_FRESH_SECONDS", FAILED_FRESH_SECONDS)
        spider.carry = spider.incremental and settings.getbool("TCTT_CARRY_UNCHANGED", True)
        spider.carry_verify_max = settings.getint("TCTT_CARRY_VERIFY_MAX", 10)
        spider.ledger = LocalLedger(spider)  # the Redis worker configures a RedisLedger instead
        if settings.getbool("TCTT_RUN_LIFECYCLE", True):  # off: the run is held elsewhere (a Redis coordinator)
            spider._prepare_run(settings.getbool("TCTT_ALLOW_PRIVATE"))
        spider.recorder = Recorder(settings, spider.db_path, getattr(spider, "run_id", None))
        return spider

    # -- run bookkeeping (crawler.extensions.runlifecycle) ------------------------------------------
    def _prepare_run(self, allow_private: bool) -> None:
        self.run_id, self.agencies, self.resumed_pages = runlifecycle.open_run(
            self.db_path, registry=self.registry_path, run_id=self.run_id_arg, shard=self.shard,
            allow_private=allow_private, settings=self.crawler.settings, logger=self.logger)

    def unfinished_results(self, reason: str) -> Iterator[AgencyResultItem]:
        """The results of agencies whose requests vanished (e.g. an engine shutdown): closed as errors,
        marked interrupted so that a resumed run crawls them again."""
        for state in self.states.values():
            if not state.finished:
                item = self.result_item(state, forced=f"crawl stopped: {reason}")
                item["cut"] = {**item["cut"], "interrupted": True}
                yield item

    def closed(self, reason: str) -> None:
        self.recorder.close()

    # -- requests -----------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        from twisted.internet import reactor  # the one Scrapy installed (never import it at module level)

        resumed = self.resumed_pages
        for rank, agency in enumerate(self.agencies):
            # Scrapy takes start requests as fast as the downloader frees a slot, so every agency would be
            # started within minutes and its follow-up requests queued: memory would grow with the registry.
            # A bounded number of agencies in progress keeps the queue (and memory) the same for any size.
            while self.max_active and len(self.unfinished) >= self.max_active:
                await maybe_deferred_to_future(deferLater(reactor, 0.05, lambda: None))
            # Every request of the agency carries its rank: the scheduler (crawler.pqueues) serves the agencies
            # started first before younger ones, so an agency in progress is not held open behind the others.
            state = AgencyState(agency=agency, started_at=now_iso(), budget=self.budgets.max_pages, priority=-rank)
            self.unfinished.add(agency.id)
            for page in resumed.pop(agency.id, []):  # held by the state from now on, dropped with it
                for url in (page["url"], page.get("final_url")):
                    if url:
                        state.stored.setdefault(self._key(url), page)
            self.states[agency.id] = state
            yield self._request(state, agency.url, kind="home", depth=0, callback=self.parse_home)
            if agency.section_url:
                state.candidates[self._key(agency.section_url)] = {
                    "url": agency.section_url, "anchor": "", "link_score": 1.0,
                    "reasons": ["section_url given in the registry"], "reach": [{"via": "registry", "from": "registry"}]}
                # An agency that may be carried over waits for its home page before asking for more.
                state.section_deferred = self.carry and not state.stored and self._carry_source(state) is not None
                if not state.section_deferred:
                    request = self._request(state, agency.section_url, kind="candidate", depth=1,
                                            callback=self.parse_section)
                    if request is not None:
                        yield request

    @staticmethod
    def _key(url: str) -> str:
        return canonical(url)

    def _request(self, state: AgencyState, url: str, *, kind: str, depth: int, callback: Any,
                 referrer: str = "", anchor: str = "") -> scrapy.Request | None:
        """A request within the agency's budgets, or None (and the cut recorded). The home page is
        exempt from trap and budget checks: without it there is no audit."""
        key = self._key(url)
        if not self.ledger.claim(state, key):
            return self._refollow(state, url, key, kind, depth, callback, referrer, anchor)
        stored = state.stored.get(key)
        if kind != "home":
            cut = self.ledger.cut(state, url, stored, lambda: self.budgets.cut(state, url, stored))
            if cut is not None:
                state.note_cut(cut[0], url, cut[1])
                return None
        state.budget -= 1
        state.pending += 1
        # Our own depth below the home page: Scrapy's DepthMiddleware rewrites meta["depth"] per hop,
        # which would count the sitemap as a level and stop the crawl above a sitemap-found section.
        meta: dict[str, Any] = {"agency_id": state.agency.id, "kind": kind, "tctt_depth": depth,
                                "referrer": referrer, "anchor": anchor, "started": time.monotonic()}
        headers = {}
        if stored is not None:
            meta["replay"] = stored
            meta["dont_cache"] = True  # the replayed stand-in must not replace a cached page
        else:
            if self.incremental and (kind == "home" or state.revalidate):
                headers["Cache-Control"] = "max-age=0"  # revalidate (conditional request) even if fresh
            if limit := self.budgets.download_limit(state, kind):
                meta["download_maxsize"] = limit
        request = scrapy.Request(url, callback=callback, errback=self.on_error, dont_filter=True, meta=meta,
                                 headers=headers or None,
                                 priority=state.priority + (HOME_FIRST if kind == "home" else 0))
        self.ledger.requested(state, request, kind, key)
        return request

    def _refollow(self, state: AgencyState, url: str, key: str, kind: str, depth: int, callback: Any,
                  referrer: str, anchor: str) -> scrapy.Request | None:
        """A page already claimed, asked for again from a shallower level: its links are followed from there,
        so which path's answer came first does not decide how deep below it the crawl goes. A page already
        read is followed again from its record (a replay: no request leaves); one in flight reads the new
        depth when it answers."""
        if getattr(callback, "__name__", "") != "parse_section":
            return None
        record = self.ledger.refollow(state, key, depth)
        if record is None or (record.get("status") or 0) >= 400 or record.get("doc_type") not in (None, "html"):
            return None
        state.pending += 1
        meta: dict[str, Any] = {"agency_id": state.agency.id, "kind": kind, "tctt_depth": depth,
                                "referrer": referrer, "anchor": anchor, "started": time.monotonic(),
                                "replay": record, "dont_cache": True}
        request = scrapy.Request(url, callback=callback, errback=self.on_error, dont_filter=True, meta=meta,
                                 priority=state.priority)
        self.ledger.requested(state, request, kind, key)  # counted outstanding, as every request (a cluster's)
        return request

    @staticmethod
    def _same_site(state: AgencyState, url: str) -> bool:
        return scope.same_site(url, state.agency.url, state.final_url, state.agency.section_url)

    # -- callbacks ----------------------------------------------------------------------------
    async def parse_home(self, response: Response) -> AsyncIterator[Any]:
        state = self.ledger.state(response.meta)
        try:
            if self.budgets.max_seconds:
                state.deadline = time.monotonic() + self.budgets.max_seconds
            home_item = None
            if response.meta.get("replay"):
                record = self._replayed(state, response)
            else:
                record = await self._record(state, response)
                signals_ = record.setdefault("signals", {})
                failure = (http_failure(response, response.meta.get(BLOCK_KEY, False))
                           or home_unread(record, response.url))
                network = response.meta.get("tctt_network_status")
                if failure is None and "cached" in response.flags and network not in (None, 304):
                    # Scrapy's HTTP cache answers with its old copy when the portal fails (5xx, connection
                    # error): the portal is not audited on what it served before.
                    failure = ("unreachable" if isinstance(network, str) else "error",
                               f"{network if isinstance(network, str) else f'HTTP {network}'} at {response.url} "
                               "(chỉ còn bản lưu cũ / only an older cached copy)")
                if failure is not None:
                    signals_["home_failure"] = list(failure)
                if self.tls_probe:
                    signals_["transport"] = await self.recorder.transport(response)
                home_item = self._page_item(state, response, record)
                yield home_item
            state.home_status = record.get("status")
            # An unchanged home page (answered 304, served from the cache): the agency's other pages are asked
            # for only when their cached copy is stale by HTTP's rules.
            state.revalidate = "cached" not in response.flags
            state.final_url = record.get("final_url") or response.url
            signals_ = record.get("signals") or {}
            transport = signals_.get("transport") or {}
            if home_item is not None and not signals_.get("home_failure") and not (
                    self.tls_strict and transport.get("valid") is False):
                carrying = self._carry_or_verify(state, response, home_item, record)
                if carrying is not None:
                    for output in carrying:
                        yield output
                    return
            for output in self._from_home(state, record, response.url):
                yield output
        finally:
            # Counted down only now: while this callback awaited (the TLS probe), the agency was not done.
            state.pending -= 1
            for item in self.ledger.settle(state):
                yield item

    def _from_home(self, state: AgencyState, record: dict[str, Any], home_url: str) -> Iterator[Any]:
        """The crawl of an agency from its home page's record: candidates, the regulation, the sitemap."""
        signals_ = record.get("signals") or {}
        transport = signals_.get("transport") or {}
        if state.section_deferred:
            state.section_deferred = False
            request = self._request(state, state.agency.section_url, kind="candidate", depth=1,
                                    callback=self.parse_section)
            if request is not None:
                yield request
        if signals_.get("home_failure"):
            state.failure = (signals_["home_failure"][0], signals_["home_failure"][1])
        elif self.tls_strict and transport.get("valid") is False:
            state.failure = ("error", f"invalid TLS certificate ({transport.get('error')}) at {state.final_url}")
        else:
            links = record.get("links") or []
            ranked = discovery.rank_candidates(
                links, same_site=lambda u: self._same_site(state, u), threshold=self.candidate_threshold,
                limit=self.max_candidates)
            for candidate in ranked:
                self._add_candidate(state, candidate, links, home_url)
                request = self._request(state, candidate["url"], kind="candidate", depth=1,
                                        callback=self.parse_section, referrer=home_url,
                                        anchor=candidate["anchor"])
                if request is not None:
                    yield request
            # The regulation may be published anywhere (Law Điều 34 k1 h names no place).
            for link in links:
                if self._same_site(state, link["url"]) and scope.names_element(link, ("regulation",)):
                    request = self._request(state, link["url"], kind="extra", depth=1, callback=self.parse_section,
                                            referrer=home_url, anchor=link["text"])
                    if request is not None:
                        yield request
            # The sitemap too, unless the site chrome (menu, footer, banner) clearly links the section: the
            # candidates found may all be false friends (a news item about the Law, a news category).
            chrome_link = any(link.get("chrome") and discovery.score_link(link)[0] >= 0.5 and
                              self._same_site(state, link["url"]) for link in links)
            if not ranked or not chrome_link:
                # Other ways in (crawler.candidates): the hub pages of the menu, the words inside banner images,
                # and the sitemaps robots.txt names.
                yield from self._other_ways_in(state, links, home_url)

    async def parse_section(self, response: Response) -> AsyncIterator[Any]:
        """A candidate, or a page or document reached from one."""
        state = self.ledger.state(response.meta)
        try:
            # Followed from the shallowest path that asked for the page so far (see _refollow), read once the
            # ledger knows the page's record: a shallower path that asked while the page was being read
            # (another callback, another worker) lowered the level, and any later one replays the record.
            key = self._key((response.meta.get("redirect_urls") or [response.request.url])[0])
            depth = response.meta["tctt_depth"]
            if response.meta.get("replay"):
                record = self._replayed(state, response)
                depth = self.ledger.followed_from(state, key, depth, response, record)
                if (record.get("status") or 0) < 400 and record.get("doc_type") in (None, "html") and depth <= self.max_depth:
                    for request in self._follow(state, response, record, depth):
                        yield request
            elif self._is_document(response):
                response.meta["tctt_depth"] = self.ledger.follow_depth(state, key, depth)  # the level its row records
                record = await self._record_document(state, response)
                yield self._page_item(state, response, record)
            else:
                record = await self._record(state, response)
                depth = response.meta["tctt_depth"] = self.ledger.followed_from(state, key, depth, response, record)
                yield self._page_item(state, response, record)
                if response.status < 400 and depth <= self.max_depth:
                    for request in self._follow(state, response, record, depth):
                        yield request
        finally:
            # Counted down only now: while a document was being read, a sibling's callback must not find the
            # agency done and choose its section without the document.
            state.pending -= 1
            for item in self.ledger.settle(state):
                yield item

    def _follow(self, state: AgencyState, response: Response, record: dict[str, Any],
                depth: int) -> Iterator[scrapy.Request]:
        """From a candidate, follow links that name a part of the section, and documents."""
        followed = 0
        # A listing split over pages (a category archive that is the section, a catalogue, a list of forms)
        # is read whole: its next pages are the same page continued, at the same depth.
        signals_ = record.get("signals") or {}
        listing = record.get("kind") == "candidate" or response.meta.get("listing") or any(
            s.get("structural") for s in (signals_.get("elements") or {}).values())
        for link, names_part in self._followable(state, response.url, record.get("links") or []):
            url = link["url"]
            is_document = discovery.is_document_url(url)
            # One level deeper for catalogue links: a catalogue is often a tree of pages, and a dead
            # catalogue link is itself a finding.
            names_catalogue = scope.names_element(link, ("public_catalogue", "conditional_catalogue"))
            paged = listing and pagination.same_listing(response.url, url) and \
                (pagination.listing_page(url) or ("", 0))[1] <= pagination.MAX_LISTING_PAGES + 1
            if not (is_document or paged or names_part):
                continue
            if paged:
                request = self._request(state, url, kind="section", depth=depth, callback=self.parse_section,
                                        referrer=response.url, anchor=link.get("text") or link.get("title") or "")
                if request is not None:
                    request.meta["listing"] = True
                    yield request
                continue
            if depth >= self.max_depth and not is_document and not (names_catalogue and depth == self.max_depth):
                # Noted once, without claiming the page: a shallower link to it, answered later, still fetches it
                # (which page answers first must not decide what is crawled).
                if self.ledger.claim(state, "depth-cut " + self._key(url)):
                    state.note_cut("depth", url, f"deeper than {self.max_depth} levels below the section")
                continue
            request = self._request(state, url, kind="document" if is_document else "section", depth=depth + 1,
                                    callback=self.parse_section, referrer=response.url,
                                    anchor=link.get("text") or link.get("title") or "")
            if request is not None:
                followed += 1
                yield request
            if followed >= 60:
                break

    def followable(self, state: AgencyState, page_url: str, links: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The links of a page that ``_follow`` may follow from some level, in the page's order (what a cluster
        worker shares of a page that another worker may have to follow again from a shallower level)."""
        return [link for link, _ in self._followable(state, page_url, links)]

    def _followable(self, state: AgencyState, page_url: str,
                    links: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], bool]]:
        """The agency's own links that are a document, the same listing's next page, or name a part of the
        section; each with whether it names a part."""
        for link in links:
            url = link["url"]
            if not self._same_site(state, url):
                continue
            # The section's own pages where items live (feedback form, contacts, forms, catalogue), linked
            # from its body: the site-wide "Liên hệ" of the menu is not the section's.
            names_part = bool((not link.get("chrome") and reach.names_item_page(link))
                              or scope.names_part(link, self.candidate_threshold))
            if names_part or discovery.is_document_url(url) or pagination.same_listing(page_url, url):
                yield link, names_part

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        state = self.ledger.state(request.meta)
        state.pending -= 1
        if (cut := budget_cut(failure)) is not None and request.meta["kind"] != "home":
            state.note_cut(cut[0], request.url, cut[1])  # a budget cut, in flight or about to leave
            yield from self.ledger.settle(state)
            return
        status, detail = classify_failure(failure)
        if "max size" in detail and request.meta["kind"] != "home":  # Scrapy's DOWNLOAD_MAXSIZE / download_maxsize cancelled it
            status, detail = "too large", f"download stopped: {detail}"
        if request.meta["kind"] == "home":
            state.failure = (status, detail)
        yield self.ledger.failed_item(state, evidence.failed_page_item(state.agency.id, request, status, detail,
                                                                       self.failed_fresh))
        yield from self.ledger.settle(state)

    # -- evidence (crawler.records reads it, the ledger indexes it) -----------------------------
    _is_document = staticmethod(records.is_document)

    def _replayed(self, state: AgencyState, response: Response) -> dict[str, Any]:
        """The stored record of a page fetched before the run was interrupted."""
        record = dict(response.meta["replay"])
        record.setdefault("final_url", response.url)
        self.ledger.remember(state, response, record)
        return record

    async def _record(self, state: AgencyState, response: Response) -> dict[str, Any]:
        # A page is read within the agency's time, the home page (which starts the clock) excepted.
        left = state.deadline - time.monotonic() if state.deadline is not None and response.meta["kind"] != "home" else None
        record = await self.recorder.page(response, left)
        self.ledger.remember(state, response, record)
        return record

    async def _record_document(self, state: AgencyState, response: Response) -> dict[str, Any]:
        record = await self.recorder.document(response)
        self.ledger.remember(state, response, record)
        return record

    def _page_item(self, state: AgencyState, response: Response, record: dict[str, Any]) -> PageItem:
        return self.ledger.page_item(state, response, evidence.page_item(state.agency.id, response, record,
                                                                         self.freshness))

    # -- the end of an agency -----------------------------------------------------------------
    def _finish(self, state: AgencyState) -> None:
        state.finished = True
        self.unfinished.discard(state.agency.id)

    def result_item(self, state: AgencyState, forced: str | None = None) -> AgencyResultItem:
        self._finish(state)
        return evidence.result_item(state, self.section_threshold, forced)
