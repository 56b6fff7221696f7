"""The discovery spider: from a parent portal, gather the links it gives to its subordinate bodies' portals.

It only gathers (``crawler.proposal`` judges): the parent's home page, the pages that list its units
("Đơn vị trực thuộc", "Các xã, phường"…), and one request to every linked portal to learn whether it
answers, where it redirects and what it calls itself. Below ``depth`` 1 it does the same from each
subordinate portal found. Runs through the project's settings: the network guard, robots.txt, throttling.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.middlewares import PRIVATE_REFUSED
from crawler.subportals import Link, excluded_host, extract_links, portal_key, subsite_slug

MAX_LISTING_PAGES = 8     # unit-list pages read per portal (a paginated list, a few kinds of units)
MAX_LINKED_PORTALS = 2000  # portals checked per parent: a province has ~100 communes and ~20 departments


@dataclass
class Fetch:
    """What one linked portal answered."""

    url: str
    status: int | None = None
    final_url: str = ""
    redirects: list[str] = field(default_factory=list)
    title: str = ""
    error: str = ""
    depth: int = 0


@dataclass
class Observation:
    parent: str  # the portal_key of the portal whose page gave the link
    link: Link


class DiscoverSpider(scrapy.Spider):
    name = "discover"
    custom_settings = {
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {"crawler.progress.Progress": None},
        "HTTPCACHE_ENABLED": False,
        "TCTT_PROGRESS": False,
    }

    def __init__(self, start_url: str, depth: int | str = 1, **kwargs: Any):
        super().__init__(**kwargs)
        self.start_url = start_url
        self.depth = max(1, int(depth))
        self.fetches: dict[str, Fetch] = {}          # portal_key of the requested URL → its answer
        self.observations: list[Observation] = []
        self._requested: set[str] = set()
        self._listings: dict[str, int] = {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self._portal_request(self.start_url, 0)

    def _portal_request(self, url: str, depth: int) -> scrapy.Request:
        self._requested.add(portal_key(url))
        self.fetches[portal_key(url)] = Fetch(url=url, depth=depth)
        return scrapy.Request(url, callback=self.parse_portal, errback=self.portal_failed,
                              meta={"tctt_portal": portal_key(url), "tctt_depth": depth}, dont_filter=True)

    def parse_portal(self, response: Response) -> Any:
        key, depth = response.meta["tctt_portal"], response.meta["tctt_depth"]
        fetch = self.fetches[key]
        fetch.status = response.status
        fetch.final_url = response.url
        fetch.redirects = [str(u) for u in response.meta.get("redirect_urls", [])]
        if isinstance(response, TextResponse):
            fetch.title = " ".join((response.xpath("//title//text()").get() or "").split())
        if response.status >= 400 or not isinstance(response, TextResponse) or depth >= self.depth:
            return
        yield from self._read(response, key, depth, listing=False)

    def parse_listing(self, response: Response) -> Any:
        if response.status >= 400 or not isinstance(response, TextResponse):
            return
        yield from self._read(response, response.meta["tctt_portal"], response.meta["tctt_depth"], listing=True)

    def _read(self, response: TextResponse, portal: str, depth: int, *, listing: bool) -> Any:
        links, listings = extract_links(response.body, response.url, listing=listing)
        parent_url = self.fetches[portal].final_url or self.fetches[portal].url
        # Unit-list pages first: their addresses look like sub-sites (/cac-xa-phuong) but are the parent's pages.
        for listing_link in listings:
            key = portal_key(listing_link.url)
            count = self._listings.get(portal, 0)
            if key in self._requested or count >= MAX_LISTING_PAGES:
                continue
            self._listings[portal] = count + 1
            self._requested.add(key)
            yield scrapy.Request(listing_link.url, callback=self.parse_listing, errback=self.listing_failed,
                                 meta={"tctt_portal": portal, "tctt_depth": depth})
        for link in links:
            self.observations.append(Observation(portal, link))
            key = portal_key(link.url)
            if key in self._requested or excluded_host(link.url) or len(self._requested) >= MAX_LINKED_PORTALS:
                continue
            # The parent's own pages are not portals; a sub-site of it (/web/<site>) is.
            if key.split("/", 1)[0] == portal_key(parent_url).split("/", 1)[0] \
                    and subsite_slug(link.url, parent_url) is None:
                continue
            yield self._portal_request(link.url, depth + 1)

    def portal_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        fetch = self.fetches[request.meta["tctt_portal"]]
        message = str(failure.value)
        if PRIVATE_REFUSED in message:
            fetch.error = "private-address-refused"
        elif "robots.txt" in message.lower():
            fetch.error = f"robots_disallowed: {message}"[:200]
        else:
            fetch.error = f"{type(failure.value).__name__}: {message}"[:200]
        fetch.redirects = [str(u) for u in request.meta.get("redirect_urls", [])]

    def listing_failed(self, failure: Failure) -> None:
        self.logger.info("listing page failed: %s", failure.value)
