"""The agency ledger of one crawl process: every agency's state in the spider's memory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.items import PageItem
from crawler.ledger import Cut, answered_keys


class LocalLedger:
    def __init__(self, spider: Any):
        self.spider = spider

    def state(self, meta: dict[str, Any]) -> Any:
        return self.spider.states[meta["agency_id"]]

    def claim(self, state: Any, key: str) -> bool:
        if key in state.seen:
            return False
        state.seen.add(key)
        return True

    def follow_depth(self, state: Any, key: str, depth: int) -> int:
        return min(depth, state.follow_depth.setdefault(key, depth))

    def followed_from(self, state: Any, key: str, depth: int, response: Response, record: dict[str, Any]) -> int:
        return self.follow_depth(state, key, depth)  # the record is in state.pages already (remember)

    def refollow(self, state: Any, key: str, depth: int) -> dict[str, Any] | None:
        known = state.follow_depth.get(key)
        if known is not None and depth >= known:
            return None
        state.follow_depth[key] = depth  # unknown: claimed, not answered yet (its callback takes the minimum)
        return state.pages.get(key)

    def cut(self, state: Any, url: str, stored: dict[str, Any] | None, limits: Callable[[], Cut | None]) -> Cut | None:
        return limits()

    def requested(self, state: Any, request: scrapy.Request, kind: str, key: str) -> None:
        return None

    def remember(self, state: Any, response: Response, record: dict[str, Any]) -> None:
        for key in answered_keys(response):
            state.pages.setdefault(key, record)

    def page_item(self, state: Any, response: Response, item: PageItem) -> PageItem:
        state.bytes_used += len(response.body)
        return item

    def failed_item(self, state: Any, item: PageItem) -> PageItem:
        return item

    def settle(self, state: Any) -> Iterator[Any]:
        if state.pending == 0 and not state.finished:
            item = self.spider.result_item(state)
            # The evidence is in the store; keeping it here would grow memory with the registry.
            state.pages.clear()
            state.candidates.clear()
            state.seen.clear()
            state.follow_depth.clear()
            # Nothing of a finished agency is asked for again (nothing of it is in flight): its state (trap
            # counts, resumed pages, verified answers, cut examples) goes too, or it would grow with the registry.
            self.spider.states.pop(state.agency.id, None)
            yield item
