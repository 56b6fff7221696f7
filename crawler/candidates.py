"""The spider's search for an agency's section beyond the links of its home page: the candidates
recorded with every way they are reached, the hub pages of the navigation ("Công khai minh bạch", "Công
dân"…), banner images read by OCR, and the sitemaps (robots.txt's ``Sitemap:`` lines, /sitemap.xml and
indexes one level down). Mixed into ``crawler.spiders.portal.PortalSpider``; the ways in themselves are
pure functions of ``crawler.reach``, ``crawler.discovery`` and ``crawler.sitemaps``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response

from crawler import discovery, reach, sitemaps
from crawler.extract import sniff


class CandidateSearch:
    """The search for section candidates (mixed into the portal spider, whose bookkeeping it uses)."""

    # Set by the spider (from_crawler): the limits of the search, and the spider's own steps.
    candidate_threshold: float
    max_candidates: int
    max_landing: int
    max_banners: int
    banner_max_bytes: int
    ledger: Any
    recorder: Any
    _key: Any
    _request: Any
    _same_site: Any
    _replayed: Any
    _record: Any
    _page_item: Any
    parse_section: Any

    def _add_candidate(self, state: Any, candidate: dict[str, Any], links: list[dict[str, str]],
                       source_url: str, source: str = "home", through: dict[str, Any] | None = None) -> None:
        """Record a candidate with every way ``links`` reach it (menu, footer, banner…); a candidate already
        known gains the new ways."""
        key = self._key(candidate["url"])
        entries = [reach.reach_entry(link, source_url, source, through) for link in links
                   if self._key(link["url"]) == key]
        known = state.candidates.get(key)
        if known is None:
            known = {**candidate, "reasons": list(candidate.get("reasons") or [])}
            for entry in entries:
                reach.merge_reach(known, entry)
            state.candidates.setdefault(key, known)
            return
        better = candidate.get("link_score", 0) > known.get("link_score", 0)
        if better:
            # The best-named link to the page counts, whichever path found it first: a section page listed in
            # the sitemap (its slug only) before a landing page links it by name must be weighed by the name.
            ways = list(known.get("reach") or [])
            known.update({k: v for k, v in candidate.items() if k not in ("url", "reasons", "reach")})
            known["reasons"] = list(candidate.get("reasons") or []) + [reach.describe(way) for way in ways]
        for entry in entries:
            reach.merge_reach(known, entry)
        if better:
            state.candidates[key] = known  # in a cluster, Redis keeps the best-named link too

    def _other_ways_in(self, state: Any, links: list[dict[str, str]], home_url: str) -> Iterator[scrapy.Request]:
        """Landing pages of the navigation and banner images, when the home page's navigation names no
        section: each bounded per agency (TCTT_MAX_LANDING_PAGES, TCTT_MAX_BANNER_OCR); then the sitemaps."""
        for hub in reach.landing_links(links, same_site=lambda u: self._same_site(state, u),
                                       exclude=set(state.candidates), limit=self.max_landing, key=self._key):
            request = self._request(state, hub["url"], kind="landing", depth=1, callback=self.parse_landing,
                                    referrer=home_url, anchor=hub["label"])
            if request is not None:
                request.meta["through"] = {"url": hub["url"], "label": hub["label"], "via": hub["via"]}
                yield request
        if self.max_banners:
            for link in reach.banner_links(links, same_site=lambda u: self._same_site(state, u),
                                           scored=lambda link: discovery.score_link(link)[0], limit=self.max_banners,
                                           home=home_url):
                request = self._request(state, link["img_src"], kind="banner", depth=1, callback=self.parse_banner,
                                        referrer=home_url, anchor=link.get("img_alt") or "")
                if request is not None:
                    request.meta["banner_link"] = link
                    request.meta["download_maxsize"] = min(request.meta.get("download_maxsize") or self.banner_max_bytes,
                                                           self.banner_max_bytes)
                    yield request
        # robots.txt's Sitemap: lines, and at the same time the usual /sitemap.xml (asked for once,
        # whichever names it first), so that the common case waits no longer than it used to.
        for level, path in ((0, "/robots.txt"), (1, sitemaps.DEFAULT)):
            request = self._request(state, urljoin(home_url, path), kind="sitemap", depth=1,
                                    callback=self.parse_sitemap, referrer=home_url)
            if request is not None:
                request.meta.update(sitemap_level=level, download_maxsize=min(
                    request.meta.get("download_maxsize") or sitemaps.DOWNLOAD_MAXSIZE, sitemaps.DOWNLOAD_MAXSIZE))
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        """Fallback when the home page's navigation names no section: robots.txt's ``Sitemap:`` lines and
        /sitemap.xml, sitemap indexes one level down, and the sitemaps' pages weighed as candidates."""
        state = self.ledger.state(response.meta)
        state.pending -= 1
        replay = response.meta.get("replay")
        level = int(response.meta.get("sitemap_level", 1))
        links: list[dict[str, str]] = []
        follow: list[dict[str, str]] = []  # more sitemaps to read, recorded (flagged) with this one
        title = "robots.txt" if level == 0 else "sitemap"
        if replay:
            stored = list(replay.get("links") or [])
            follow = [link for link in stored if link.get("sitemap")]
            links = [link for link in stored if not link.get("sitemap")]
        else:
            if level == 0:  # (/sitemap.xml is asked for beside robots.txt)
                named = sitemaps.from_robots(response.body, response.url) if response.status < 400 else []
                follow = [{"url": url, "sitemap": "1", "level": "1"} for url in named]
            else:
                found = sitemaps.read(response.body, response.url) if response.status < 400 else \
                    sitemaps.Read("invalid", error=f"HTTP {response.status}")
                title = f"sitemap ({found.kind}{': ' + found.error if found.error else ''})"
                if found.kind == "sitemapindex" and level == 1:
                    follow = [{"url": url, "sitemap": "1", "level": "2"} for url in sitemaps.children(found.locations)]
                elif found.kind == "urlset":
                    links = [{"url": loc, "text": "", "title": "", "img_alt": "", "img_src": "", "context": ""}
                             for loc in found.locations]
        ranked = discovery.rank_candidates(
            links, same_site=lambda u: self._same_site(state, u), threshold=self.candidate_threshold,
            limit=self.max_candidates)
        if not replay:
            # Only the locations that ranked are kept (and the sitemaps to read next): enough to replay
            # this lookup on resume.
            kept = {c["url"] for c in ranked}
            yield self._page_item(state, response, {"title": title,
                                                    "links": [link for link in links if link["url"] in kept] + follow})
        for link in follow:
            request = self._request(state, link["url"], kind="sitemap", depth=1, callback=self.parse_sitemap,
                                    referrer=response.url)
            if request is not None:
                request.meta.update(sitemap_level=int(link.get("level") or 1), download_maxsize=min(
                    request.meta.get("download_maxsize") or sitemaps.DOWNLOAD_MAXSIZE, sitemaps.DOWNLOAD_MAXSIZE))
                yield request
        for candidate in ranked:
            candidate["reasons"] = [f"found in the sitemap {response.url}", *candidate["reasons"]]
            self._add_candidate(state, candidate, links, response.url, "sitemap")
            request = self._request(state, candidate["url"], kind="candidate", depth=1,
                                    callback=self.parse_section, referrer=response.url)
            if request is not None:
                yield request
        yield from self.ledger.settle(state)

    async def parse_landing(self, response: Response) -> AsyncIterator[Any]:
        """A hub page of the navigation ("Công khai minh bạch", "Công dân"…): the section may be linked here."""
        state = self.ledger.state(response.meta)
        try:
            through = response.meta.get("through") or {"url": response.url, "label": response.meta.get("anchor", "")}
            if response.meta.get("replay"):
                record = self._replayed(state, response)
            else:
                record = await self._record(state, response)
                yield self._page_item(state, response, record)
            if (record.get("status") or 0) < 400:
                # The page's own links: its menu, header and footer repeat the home page's, weighed there.
                links = [link for link in record.get("links") or []
                         if link.get("chrome") not in ("menu", "header", "footer")]
                ranked = discovery.rank_candidates(
                    links, same_site=lambda u: self._same_site(state, u), threshold=self.candidate_threshold,
                    limit=self.max_candidates)
                for candidate in ranked:
                    self._add_candidate(state, candidate, links, response.url, "landing", through)
                    request = self._request(state, candidate["url"], kind="candidate", depth=1,
                                            callback=self.parse_section, referrer=response.url,
                                            anchor=candidate["anchor"])
                    if request is not None:
                        yield request
        finally:
            state.pending -= 1
            for item in self.ledger.settle(state):
                yield item

    async def parse_banner(self, response: Response) -> AsyncIterator[Any]:
        """A banner image of the home page, read by OCR (in the document workers, off the reactor): when its
        picture names the section, the page it links to is a candidate."""
        state = self.ledger.state(response.meta)
        try:
            link = response.meta["banner_link"]
            if response.meta.get("replay"):
                record = self._replayed(state, response)
            else:
                record = {"url": response.url, "status": response.status, "kind": "banner",
                          "title": link.get("img_alt") or ""}
                if response.status >= 400:
                    record["error"] = f"http {response.status}"
                elif sniff(response.body) != "image":
                    record["error"] = "not an image"
                else:
                    extracted = await self.recorder.extraction(response.body, response.url)
                    record.update(doc_type="image", text=(extracted.get("text") or "")[:2000],
                                  error=extracted.get("error"), signals={"document": extracted.get("meta") or {}})
                self.ledger.remember(state, response, record)
                yield self._page_item(state, response, record)
            text = " ".join((record.get("text") or "").split())
            strength = reach.ocr_names_section(text)
            if strength:
                candidate = {"url": link["url"], "anchor": text[:200],
                             "link_score": round(discovery.LINK_WEIGHTS["img_alt"] * strength, 3),
                             "reasons": [f"img_text (OCR): {text[:80]!r}"]}
                self._add_candidate(state, candidate, [{**link, "ocr_text": text[:120]}],
                                    response.meta.get("referrer") or state.final_url)
                request = self._request(state, link["url"], kind="candidate", depth=1, callback=self.parse_section,
                                        referrer=response.meta.get("referrer") or "", anchor=text[:200])
                if request is not None:
                    yield request
        finally:
            state.pending -= 1
            for item in self.ledger.settle(state):
                yield item
