"""The portal spider as a scrapy-redis worker: agencies are fed from a shared Redis list.

    tctt worker --redis redis://127.0.0.1:6379/0 --db audits.db --run 7

The unit of work shared through Redis is the agency: scrapy-redis's ``RedisMixin`` pops agency ids from
``tctt:<run>:agencies`` whenever the worker is idle, and the worker crawls each agency it took to the end
(its budgets, trap detection and section choice need the agency's pages together). The list lives in
Redis, so a worker that finishes or dies does not take the queue with it; an agency a dead worker had
taken has no result in the store and is queued again by the coordinator (``tctt cluster``), which replays
the pages it had stored instead of fetching them again. Workers on one machine write to the same SQLite
file (WAL mode, one transaction per page).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy_redis.spiders import RedisMixin

from crawler.spiders.portal import AgencyState, PortalSpider
from tctt.registry import Agency
from tctt.store import Store, now_iso


def queue_key(run_id: int) -> str:
    return f"tctt:{run_id}:agencies"


class RedisPortalSpider(RedisMixin, PortalSpider):
    name = "portal-redis"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not self.run_id_arg:
            raise ValueError("portal-redis needs -a run_id=N (the coordinator creates the run)")
        self.redis_key = queue_key(int(self.run_id_arg))

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> RedisPortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Agencies taken per idle turn: small batches spread the work evenly and bound what a dying worker
        # leaves to be queued again.
        spider.redis_batch_size = crawler.settings.getint("TCTT_REDIS_BATCH", 8)
        spider.setup_redis(crawler)
        return spider

    def _prepare_run(self, allow_private: bool) -> None:
        """Workers neither create nor reopen the run: they only need its agencies."""
        self.run_id = int(self.run_id_arg)
        store = Store(self.db_path)
        try:
            store.run(self.run_id)
            self.by_id = {r["id"]: Agency(**{k: r[k] or "" for k in Agency.__dataclass_fields__ if k != "line"},
                                          line=r["line"] or 0) for r in store.agencies(self.run_id)}
        finally:
            store.close()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.next_requests():
            yield request

    def make_request_from_data(self, data: bytes) -> list[scrapy.Request]:
        agency = self.by_id.get(data.decode("utf-8"))
        if agency is None or agency.id in self.states:
            return []
        state = AgencyState(agency=agency, started_at=now_iso(), budget=self.max_pages)
        store = Store(self.db_path)
        try:  # pages stored by a worker that died on this agency are replayed, not fetched again
            for page in store.pages(self.run_id, agency.id):
                if page.get("status") is not None:
                    for url in (page["url"], page.get("final_url")):
                        if url:
                            state.stored.setdefault(self._key(url), page)
        finally:
            store.close()
        self.states[agency.id] = state
        requests = [self._request(state, agency.url, kind="home", depth=0, callback=self.parse_home)]
        if agency.section_url:
            state.candidates[self._key(agency.section_url)] = {
                "url": agency.section_url, "anchor": "", "link_score": 1.0,
                "reasons": ["section_url given in the registry"]}
            requests.append(self._request(state, agency.section_url, kind="candidate", depth=1,
                                          callback=self.parse_section))
        return [r for r in requests if r is not None]

    def _on_closed(self, spider: scrapy.Spider, reason: str) -> None:
        """A worker leaves the run as it is: agencies it did not finish get no result and are queued
        again by the coordinator; only the coordinator marks the run complete."""
        self.documents.close()
        if self._doc_store is not None:
            self._doc_store.close()
