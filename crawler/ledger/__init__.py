"""The per-agency bookkeeping of a crawl behind one interface: where an agency's state lives (this process,
or Redis shared by every worker), which pages it claimed, its budgets, and what ends each callback.

``PortalSpider`` does its crawl through an ``AgencyLedger``: ``LocalLedger`` (crawler.ledger.local) keeps
everything in the process; ``RedisLedger`` (crawler.ledger.redis) shares it through Redis so that any
worker of a cluster can carry on with any agency's pages. The spider is the same in both modes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

import scrapy
from scrapy.http import Response

from crawler.items import PageItem
from crawler.urls import canonical

Cut = tuple[str, str]  # (kind, reason): a page budget spent, a trap…


def answered_keys(response: Response) -> list[str]:
    """Every URL a response answered for (the redirects followed, the request's, the final one), canonical,
    in that order, once each: the keys a page is known by."""
    urls = [*response.meta.get("redirect_urls", []), response.request.url, response.url]
    return list(dict.fromkeys(canonical(url) for url in urls))


class AgencyLedger(Protocol):
    def state(self, meta: dict[str, Any]) -> Any:
        """The agency state a request or response (its ``meta``) belongs to, up to date."""

    def claim(self, state: Any, key: str) -> bool:
        """True the first time the agency asks for the page ``key`` (a canonical URL)."""

    def cut(self, state: Any, url: str, stored: dict[str, Any] | None, limits: Callable[[], Cut | None]) -> Cut | None:
        """Whether a budget stops this request, counting the page when it does not; ``limits`` is the
        spider's own check of the budgets and traps on ``state``."""

    def requested(self, state: Any, request: scrapy.Request, kind: str, key: str) -> None:
        """A request was made for the agency (what another worker needs to carry on goes in its meta)."""

    def remember(self, state: Any, response: Response, record: dict[str, Any]) -> None:
        """Index a page's record under every URL it answered for (for the section choice)."""

    def page_item(self, state: Any, response: Response, item: PageItem) -> PageItem:
        """The page's evidence item, its bytes counted against the agency's budget."""

    def failed_item(self, state: Any, item: PageItem) -> PageItem:
        """The evidence item of a request that got no response."""

    def settle(self, state: Any) -> Iterator[Any]:
        """What ends every callback of the agency: its result once nothing is in flight any more."""

    def follow_depth(self, state: Any, key: str, depth: int) -> int:
        """The depth from which a page's links are followed: the shallowest path that asked for it so far."""

    def followed_from(self, state: Any, key: str, depth: int, response: Response, record: dict[str, Any]) -> int:
        """The page ``key``, asked for from ``depth``, is read (``record``): kept for a shallower path asked for
        later, and the level its links are followed from returned (the shallowest asked for so far)."""

    def refollow(self, state: Any, key: str, depth: int) -> dict[str, Any] | None:
        """A page already claimed is asked for again from ``depth``. When that is shallower than any path
        before, the page's record if it was already read (its links to be followed again from ``depth``);
        None otherwise (still in flight, its callback reads the new depth through ``followed_from``)."""
