"""The portal spider: one process, every agency of a registry, concurrently across portals.

    scrapy crawl portal -a registry=agencies.csv [-a db=tctt.db] [-a run_id=N] [-s TCTT_ALLOW_PRIVATE=1]

Per agency: fetch the home page, score its links as section candidates, fetch the best candidates
and the pages and documents they link to (a few levels deep), record everything as evidence, and
when the agency's last request is answered, choose the section by content and record the choice with
its confidence and the candidates weighed. The crawler only gathers; ``tctt score`` judges.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response, TextResponse
from twisted.internet.error import ConnectError, DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from crawler import discovery
from crawler.classify import ELEMENT_PATTERNS, detect
from crawler.documents import DocumentPool
from crawler.htmlpage import parse_html
from crawler.items import AgencyResultItem, PageItem
from crawler.middlewares import PRIVATE_REFUSED
from rules import load_ruleset
from tctt import __version__
from tctt.registry import Agency, RegistryError, load_registry
from tctt.store import Store, now_iso
from tctt.vntext import fold, slug_words

_ELEMENT_WORDS = re.compile("|".join(p for patterns in ELEMENT_PATTERNS.values() for p in patterns))
_BLOCK_MARKERS = re.compile(r"captcha|cloudflare|access denied|request rejected|attention required|"
                            r"the requested url was rejected|web application firewall|truy cap bi tu choi")
MAX_STORED_TEXT = 200_000
# Generic names of a section's own pages ("Biểu mẫu", "Quy chế", "Đầu mối"…), followed from a candidate.
_PART_WORDS = re.compile(r"\b(bieu mau|mau phieu|danh muc|dau moi|huong dan|quy che|phieu yeu cau|phan anh|khieu nai)\b")


# Shared platforms host many agencies on one host name; the path's site segment names the agency.
_SITE_SEGMENT = re.compile(r"^/(?:web|portal/page/portal|group)/([^/;?#]+)", re.IGNORECASE)


def _site_segment(url: str) -> str | None:
    """'/web/sotuphap/…' → 'sotuphap' (Liferay, Oracle Portal); None for paths that name no site."""
    match = _SITE_SEGMENT.match(urlsplit(url).path)
    return match.group(1).lower() if match else None


def _site_of(host: str) -> str:
    """The registrable part of a host: 'so.tinh.gov.vn' → 'tinh.gov.vn', 'www.a.vn' → 'a.vn'.
    IP addresses stand for themselves."""
    if host.replace(".", "").isdigit() or ":" in host:
        return host
    labels = host.removeprefix("www.").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in ("gov", "org", "edu", "com", "net", "ac") else 2
    return ".".join(labels[-keep:])


@dataclass
class AgencyState:
    agency: Agency
    started_at: str
    pending: int = 0
    budget: int = 0
    seen: set[str] = field(default_factory=set)
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    candidates: dict[str, dict[str, Any]] = field(default_factory=dict)
    home_status: int | None = None
    final_url: str = ""
    failure: tuple[str, str] | None = None  # (status, detail) when the home page could not be had
    finished: bool = False


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, registry: str | None = None, db: str | None = None, run_id: str | None = None,
                 allow_private: str | None = None, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not registry and not run_id:
            raise NotConfigured("usage: scrapy crawl portal -a registry=FILE [-a db=FILE] [-a run_id=N]")
        self.registry_path = registry
        self.db_arg = db
        self.run_id_arg = run_id
        self.allow_private_arg = allow_private
        self.states: dict[str, AgencyState] = {}
        self.agencies: list[Agency] = []

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if spider.allow_private_arg is not None and str(spider.allow_private_arg).lower() in ("1", "true", "yes"):
            settings.frozen = False
            settings.set("TCTT_ALLOW_PRIVATE", True, priority="spider")
            settings.frozen = True
        spider.db_path = spider.db_arg or settings.get("TCTT_DB")
        spider.max_pages = settings.getint("TCTT_MAX_PAGES_PER_AGENCY")
        spider.max_depth = settings.getint("TCTT_SECTION_DEPTH")
        spider.max_candidates = settings.getint("TCTT_MAX_CANDIDATES")
        spider.candidate_threshold = settings.getfloat("TCTT_CANDIDATE_THRESHOLD")
        spider.section_threshold = settings.getfloat("TCTT_SECTION_THRESHOLD")
        spider.doc_max_bytes = settings.getint("TCTT_DOC_MAX_BYTES")
        spider.documents = DocumentPool(settings.getint("TCTT_DOC_WORKERS"), settings.getfloat("TCTT_DOC_TIMEOUT"))
        spider._prepare_run(settings.getbool("TCTT_ALLOW_PRIVATE"))
        crawler.signals.connect(spider._on_closed, signal=signals.spider_closed)
        return spider

    # -- run bookkeeping ----------------------------------------------------------------------
    def _prepare_run(self, allow_private: bool) -> None:
        store = Store(self.db_path)
        try:
            if self.run_id_arg:
                self.run_id = int(self.run_id_arg)
                run = store.run(self.run_id)
                rows = store.agencies(self.run_id)
                self.agencies = [Agency(**{k: r[k] or "" for k in Agency.__dataclass_fields__ if k != "line"},
                                        line=r["line"] or 0) for r in rows]
                self.logger.info("Continuing run %s (%s agencies)", run["id"], len(self.agencies))
            else:
                try:
                    self.agencies = load_registry(self.registry_path, allow_private=allow_private)
                except RegistryError as exc:
                    raise NotConfigured(str(exc)) from exc
                ruleset = load_ruleset()
                self.run_id = store.create_run(
                    ruleset=ruleset.id, ruleset_version=ruleset.version, tool_version=__version__,
                    registry=str(self.registry_path), audit_date=date.today().isoformat(),
                    options={"allow_private": allow_private}, agencies=[a.as_row() for a in self.agencies],
                )
        finally:
            store.close()

    def _on_closed(self, spider: scrapy.Spider, reason: str) -> None:
        """Agencies whose requests vanished (e.g. an engine shutdown) are closed as errors; the run is
        marked complete only when the crawl finished on its own."""
        store = Store(self.db_path)
        try:
            for state in self.states.values():
                if not state.finished:
                    item = self._result_item(state, forced=f"crawl stopped: {reason}")
                    candidates = item.pop("candidates", [])
                    store.add_candidates(self.run_id, state.agency.id, candidates)
                    store.set_agency_result(self.run_id, state.agency.id, **dict(item))
            store.finish_run(self.run_id, "complete" if reason == "finished" else "incomplete")
        finally:
            store.close()
            self.documents.close()

    # -- requests -----------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for agency in self.agencies:
            state = AgencyState(agency=agency, started_at=now_iso(), budget=self.max_pages)
            self.states[agency.id] = state
            yield self._request(state, agency.url, kind="home", depth=0, callback=self.parse_home)
            if agency.section_url:
                state.candidates[self._key(agency.section_url)] = {
                    "url": agency.section_url, "anchor": "", "link_score": 1.0,
                    "reasons": ["section_url given in the registry"]}
                request = self._request(state, agency.section_url, kind="candidate", depth=1,
                                        callback=self.parse_section)
                if request is not None:
                    yield request

    @staticmethod
    def _key(url: str) -> str:
        return canonicalize_url(url, keep_fragments=False)

    def _request(self, state: AgencyState, url: str, *, kind: str, depth: int, callback: Any,
                 referrer: str = "", anchor: str = "") -> scrapy.Request | None:
        key = self._key(url)
        if key in state.seen or state.budget <= 0:
            return None
        state.seen.add(key)
        state.budget -= 1
        state.pending += 1
        return scrapy.Request(
            url, callback=callback, errback=self.on_error, dont_filter=True,
            # Our own depth below the home page: Scrapy's DepthMiddleware rewrites meta["depth"] per hop,
            # which would count the sitemap as a level and stop the crawl above a sitemap-found section.
            meta={"agency_id": state.agency.id, "kind": kind, "tctt_depth": depth, "referrer": referrer,
                  "anchor": anchor, "started": time.monotonic()},
        )

    def _same_site(self, state: AgencyState, url: str) -> bool:
        """The agency's own site: its host, its sub-domains, and its parent domain's portal
        (a department's section may live at tinh.gov.vn/so-x or on tctt.so-x.tinh.gov.vn)."""
        host = (urlsplit(url).hostname or "").lower()
        if not host:
            return False
        # On a shared host (Liferay /web/<site>/…) another site segment is another agency.
        own, other = _site_segment(state.agency.url), _site_segment(url)
        if own and other and own != other and host == (urlsplit(state.agency.url).hostname or "").lower():
            return False
        for known in {urlsplit(u).hostname or "" for u in (state.agency.url, state.final_url, state.agency.section_url) if u}:
            if host == known or _site_of(host) == _site_of(known.lower()):
                return True
        return False

    # -- callbacks ----------------------------------------------------------------------------
    def parse_home(self, response: Response) -> Iterator[Any]:
        state = self.states[response.meta["agency_id"]]
        state.pending -= 1
        state.home_status = response.status
        state.final_url = response.url
        record = self._record(state, response)
        yield self._page_item(state, response, record)
        if response.status >= 400 or not isinstance(response, TextResponse):
            state.failure = self._http_failure(response)
        else:
            links = record.get("links") or []
            ranked = discovery.rank_candidates(
                links, same_site=lambda u: self._same_site(state, u), threshold=self.candidate_threshold,
                limit=self.max_candidates)
            for candidate in ranked:
                state.candidates.setdefault(self._key(candidate["url"]), candidate)
                request = self._request(state, candidate["url"], kind="candidate", depth=1,
                                        callback=self.parse_section, referrer=response.url,
                                        anchor=candidate["anchor"])
                if request is not None:
                    yield request
            # The regulation may be published anywhere (Law Điều 34 k1 h names no place).
            for link in links:
                if self._same_site(state, link["url"]) and self._names_element(link, ("regulation",)):
                    request = self._request(state, link["url"], kind="extra", depth=1, callback=self.parse_section,
                                            referrer=response.url, anchor=link["text"])
                    if request is not None:
                        yield request
            # The sitemap too, unless the site chrome (menu, footer, banner) clearly links the section: the
            # candidates found may all be false friends (a news item about the Law, a news category).
            chrome_link = any(link.get("chrome") and discovery.score_link(link)[0] >= 0.5 and
                              self._same_site(state, link["url"]) for link in links)
            if not ranked or not chrome_link:
                sitemap = urljoin(response.url, "/sitemap.xml")
                request = self._request(state, sitemap, kind="sitemap", depth=1, callback=self.parse_sitemap,
                                        referrer=response.url)
                if request is not None:
                    yield request
        yield from self._maybe_finish(state)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        """Fallback when the home page links to nothing like the section: look for it in the sitemap."""
        state = self.states[response.meta["agency_id"]]
        state.pending -= 1
        if response.status < 400 and isinstance(response, TextResponse):
            locations = re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", response.text)[:5000]
            links = [{"url": loc, "text": "", "title": "", "img_alt": "", "img_src": "", "context": ""}
                     for loc in locations]
            ranked = discovery.rank_candidates(
                links, same_site=lambda u: self._same_site(state, u), threshold=self.candidate_threshold,
                limit=self.max_candidates)
            for candidate in ranked:
                candidate["reasons"] = ["found in sitemap.xml", *candidate["reasons"]]
                state.candidates.setdefault(self._key(candidate["url"]), candidate)
                request = self._request(state, candidate["url"], kind="candidate", depth=1,
                                        callback=self.parse_section, referrer=response.url)
                if request is not None:
                    yield request
        yield from self._maybe_finish(state)

    async def parse_section(self, response: Response) -> AsyncIterator[Any]:
        """A candidate, or a page or document reached from one."""
        state = self.states[response.meta["agency_id"]]
        state.pending -= 1
        try:
            depth = response.meta["tctt_depth"]
            if self._is_document(response):
                record = await self._record_document(state, response)
                yield self._page_item(state, response, record)
            else:
                record = self._record(state, response)
                yield self._page_item(state, response, record)
                if response.status < 400 and depth <= self.max_depth:
                    for request in self._follow(state, response, record, depth):
                        yield request
        finally:
            for item in self._maybe_finish(state):
                yield item

    def _follow(self, state: AgencyState, response: Response, record: dict[str, Any],
                depth: int) -> Iterator[scrapy.Request]:
        """From a candidate, follow links that name a part of the section, and documents."""
        followed = 0
        for link in record.get("links") or []:
            url = link["url"]
            if not self._same_site(state, url):
                continue
            is_document = discovery.is_document_url(url)
            # One level deeper for catalogue links: a catalogue is often a tree of pages, and a dead
            # catalogue link is itself a finding.
            names_catalogue = self._names_element(link, ("public_catalogue", "conditional_catalogue"))
            if depth >= self.max_depth and not is_document and not (names_catalogue and depth == self.max_depth):
                continue
            if not (is_document or self._names_element(link, tuple(ELEMENT_PATTERNS)) or
                    _PART_WORDS.search(fold(link.get("text", ""))) or
                    discovery.score_link(link)[0] >= self.candidate_threshold or
                    fold(link.get("text", "")) in ("chi tiet", "xem chi tiet", "xem", "tai ve")):
                continue
            request = self._request(state, url, kind="document" if is_document else "section", depth=depth + 1,
                                    callback=self.parse_section, referrer=response.url,
                                    anchor=link.get("text") or link.get("title") or "")
            if request is not None:
                followed += 1
                yield request
            if followed >= 60:
                break

    @staticmethod
    def _names_element(link: dict[str, str], kinds: tuple[str, ...]) -> bool:
        words = " ".join(fold(link.get(k, "")) for k in ("text", "title", "img_alt"))
        words += " " + slug_words(urlsplit(link["url"]).path)
        if kinds != tuple(ELEMENT_PATTERNS):
            return bool(re.search("|".join(p for kind in kinds for p in ELEMENT_PATTERNS[kind]), words))
        return bool(_ELEMENT_WORDS.search(words))

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        state = self.states[request.meta["agency_id"]]
        state.pending -= 1
        status, detail = self._classify_failure(failure)
        if request.meta["kind"] == "home":
            state.failure = (status, detail)
        yield PageItem(
            agency_id=state.agency.id, url=request.url, final_url=request.url, status=None, fetched_at=now_iso(),
            kind=request.meta["kind"], depth=request.meta["tctt_depth"], referrer=request.meta["referrer"],
            error=f"{status}: {detail}", title=request.meta.get("anchor", ""))
        yield from self._maybe_finish(state)

    # -- evidence -----------------------------------------------------------------------------
    @staticmethod
    def _is_document(response: Response) -> bool:
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if discovery.is_document_url(response.url):
            return True
        return not isinstance(response, TextResponse) and "html" not in content_type

    def _record(self, state: AgencyState, response: Response) -> dict[str, Any]:
        record: dict[str, Any] = {"url": response.url, "status": response.status, "kind": response.meta["kind"]}
        if isinstance(response, TextResponse):
            parsed = parse_html(response.body, response.url, response.encoding)
            signals_ = detect(parsed.title, parsed.structure, parsed.text, response.url)
            record.update(title=parsed.title, text=parsed.text[:MAX_STORED_TEXT], tables=parsed.tables,
                          links=parsed.links, signals=signals_, structure=parsed.structure)
        self._remember(state, response, record)
        return record

    def _remember(self, state: AgencyState, response: Response, record: dict[str, Any]) -> None:
        """Index a page under the URL asked for, every redirect on the way, and the final URL."""
        for url in [*response.meta.get("redirect_urls", []), response.request.url, response.url]:
            state.pages.setdefault(self._key(url), record)

    async def _record_document(self, state: AgencyState, response: Response) -> dict[str, Any]:
        body = response.body
        record: dict[str, Any] = {"url": response.url, "status": response.status, "kind": "document",
                                  "title": response.meta.get("anchor", "")}
        if response.status >= 400:
            record["error"] = f"http {response.status}"
        elif len(body) > self.doc_max_bytes:
            record["error"] = f"too large: {len(body)} bytes > {self.doc_max_bytes}"
        else:
            extracted = await self.documents.extract(body, response.url)
            anchor = response.meta.get("anchor", "")
            record.update(doc_type=extracted.get("doc_type"), text=(extracted.get("text") or "")[:MAX_STORED_TEXT],
                          tables=extracted.get("tables") or [], error=extracted.get("error"))
            structure = [anchor] + [line for line in record["text"].splitlines()[:30] if len(line) < 150]
            record["structure"] = structure
            record["signals"] = detect(anchor, structure, record["text"], response.url)
            record["signals"]["pages"] = extracted.get("pages")
            record["signals"]["scanned"] = bool(extracted.get("scanned"))
        self._remember(state, response, record)
        return record

    def _page_item(self, state: AgencyState, response: Response, record: dict[str, Any]) -> PageItem:
        meta = response.meta
        headers = response.headers
        return PageItem(
            agency_id=state.agency.id, url=(meta.get("redirect_urls") or [response.request.url])[0], final_url=response.url, status=response.status,
            fetched_at=now_iso(), elapsed_ms=int((time.monotonic() - meta["started"]) * 1000),
            content_type=headers.get(b"Content-Type", b"").decode("latin-1")[:200],
            doc_type=record.get("doc_type") or ("html" if isinstance(response, TextResponse) else None),
            size=len(response.body), sha256=hashlib.sha256(response.body).hexdigest(), kind=meta["kind"],
            depth=meta["tctt_depth"], referrer=meta["referrer"], title=record.get("title", ""),
            text=record.get("text", ""), tables=record.get("tables") or [], links=record.get("links") or [],
            structure=record.get("structure") or [], signals=record.get("signals") or {}, error=record.get("error"),
            last_modified=headers.get(b"Last-Modified", b"").decode("latin-1") or None,
        )

    # -- statuses -----------------------------------------------------------------------------
    @staticmethod
    def _http_failure(response: Response) -> tuple[str, str]:
        text = fold(response.text[:20000]) if isinstance(response, TextResponse) else ""
        if response.status in (401, 403, 429) or (response.status >= 400 and _BLOCK_MARKERS.search(text)):
            return "blocked", f"HTTP {response.status} at {response.url}"
        if response.status >= 400:
            return "error", f"HTTP {response.status} at {response.url}"
        return "error", f"not an HTML page ({response.headers.get(b'Content-Type', b'').decode('latin-1')}) at {response.url}"

    @staticmethod
    def _classify_failure(failure: Failure) -> tuple[str, str]:
        url = failure.request.url
        error = failure.value
        if failure.check(IgnoreRequest):
            message = str(error)
            if "robots.txt" in message.lower():
                return "robots_disallowed", f"robots.txt forbids {url}"
            if PRIVATE_REFUSED in message:
                return "error", f"private or loopback address refused (use --allow-private): {url}"
            return "error", f"request dropped: {message} ({url})"
        if failure.check(DNSLookupError):
            return "unreachable", f"DNS lookup failed for {url}"
        if failure.check(TimeoutError, TCPTimedOutError):
            return "unreachable", f"timed out: {url}"
        if failure.check(ConnectError):
            return "unreachable", f"connection failed ({type(error).__name__}): {url}"
        return "unreachable" if "connection" in type(error).__name__.lower() else "error", \
            f"{type(error).__name__}: {str(error)[:200]} ({url})"

    # -- the end of an agency -----------------------------------------------------------------
    def _maybe_finish(self, state: AgencyState) -> Iterator[Any]:
        if state.pending == 0 and not state.finished:
            yield self._result_item(state)

    def _result_item(self, state: AgencyState, forced: str | None = None) -> AgencyResultItem:
        state.finished = True
        candidates = []
        for key, candidate in state.candidates.items():
            page = state.pages.get(key)
            if page is None or page.get("status") is None or page["status"] >= 400:
                content, reasons = 0.0, ["could not be fetched"]
            else:
                # A child lends its parts to the candidate, unless it is a better-named candidate (a news
                # category whose menu links the real section must not borrow the section's parts) or
                # the home page.
                own_score = candidate["link_score"]
                children = [state.pages[self._key(link["url"])] for link in page.get("links") or []
                            if self._key(link["url"]) in state.pages and self._key(link["url"]) != key
                            and (state.candidates.get(self._key(link["url"])) or {}).get("link_score", 0) <= own_score
                            and state.pages[self._key(link["url"])].get("kind") != "home"]
                content, reasons = discovery.confirm(page, children)
            candidates.append({
                "url": page.get("url", candidate["url"]) if page else candidate["url"],
                "anchor": candidate.get("anchor", ""), "link_score": candidate["link_score"],
                "content_score": content, "confidence": discovery.combine(candidate["link_score"], content),
                "reasons": list(candidate.get("reasons", [])) + reasons, "chosen": 0,
            })
        # The same page can be a candidate under two URLs (a redirect): keep the best.
        unique: dict[str, dict[str, Any]] = {}
        for candidate in sorted(candidates, key=lambda c: -c["confidence"]):
            unique.setdefault(candidate["url"], candidate)
        candidates = list(unique.values())
        best = max(candidates, key=lambda c: c["confidence"], default=None)
        section = best if best and best["confidence"] >= self.section_threshold else None
        if section:
            section["chosen"] = 1
        status, detail = state.failure or ("audited", "")
        if forced and status == "audited" and state.home_status is None:
            status, detail = "error", forced
        return AgencyResultItem(
            agency_id=state.agency.id, status=status, detail=detail, http_status=state.home_status,
            final_url=state.final_url or None, section_url=section["url"] if section and status == "audited" else None,
            section_confidence=section["confidence"] if section and status == "audited" else None,
            pages=len({id(p) for p in state.pages.values()}), started_at=state.started_at, finished_at=now_iso(),
            candidates=candidates,
        )
