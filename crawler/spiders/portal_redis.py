"""The portal spider as a scrapy-redis worker: every request of the run is shared through Redis.

    tctt worker --redis redis://10.0.0.5:6379/0 --run 7

Agencies to start are popped from ``tctt:<run>:agencies`` (scrapy-redis's ``RedisMixin``); every request
they lead to goes through the run's scrapy-redis request queue (``crawler.cluster.SharedScheduler``), so
any worker fetches any page of any agency. The per-agency bookkeeping of ``PortalSpider`` is shared in
Redis (``crawler.cluster``): the pages asked for (the dupefilter), the page and byte budgets, trap and
cut counters, the candidates, and the requests outstanding — a callback that brings them to zero marks
the agency done. Workers never open the database: page items and "done" markers go to a Redis list and
the coordinator (``tctt cluster``) writes them and makes the section choice from the stored pages.

Not in worker mode: the HTTP cache of incremental re-audits and the reuse of document extractions by
sha256 (both read the store); every page is fetched and every document read.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy_redis.spiders import RedisMixin
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure

from crawler import scrapy_private
from crawler.cluster import (
    AgencyDupeFilter,
    KeyedPageItem,
    Keys,
    Settled,
    Shared,
    SharedAgencyState,
    shared_state,
)
from crawler.items import PageItem
from crawler.spiders.portal import PortalSpider
from tctt.registry import Agency
from tctt.store import now_iso

_MAX_STATES = 5000  # agency views kept per worker (a cache: everything shared is in Redis)


class RedisPortalSpider(RedisMixin, PortalSpider):
    name = "portal-redis"
    custom_settings = {
        "SCHEDULER": "crawler.cluster.SharedScheduler",
        "DUPEFILTER_CLASS": "crawler.cluster.AgencyDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.FifoQueue",
        "SCHEDULER_SERIALIZER": "crawler.redisjson",  # JSON, checked on the way in: never pickle
        "ITEM_PIPELINES": {"crawler.pipelines.StorePipeline": None, "crawler.cluster.RedisItemPipeline": 300},
        # Both read the store, which workers do not open.
        "TCTT_INCREMENTAL": False,
        "TCTT_DOC_REUSE": False,
        # The evidence archive and the stored crawl statistics write beside the database, which workers lack.
        "TCTT_WARC": False,
        "TCTT_RUN_LIFECYCLE": False,  # the coordinator creates and closes the run
        "STATS_CLASS": "scrapy.statscollectors.MemoryStatsCollector",
    }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not self.run_id_arg:
            raise ValueError("portal-redis needs -a run_id=N (the coordinator creates the run)")
        self.run_id = int(self.run_id_arg)
        self.redis_key = Keys(self.run_id).seeds
        self.states: OrderedDict[str, SharedAgencyState] = OrderedDict()  # type: ignore[assignment]
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}"

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> RedisPortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Agencies started per idle turn: their requests join the shared queue, which every worker drains.
        spider.redis_batch_size = crawler.settings.getint("TCTT_REDIS_BATCH", 8)
        spider.setup_redis(crawler)
        spider.shared = Shared(spider.server, spider.run_id)
        spider.dupefilter = AgencyDupeFilter.from_spider(spider)
        spider.registry_cache: dict[str, Agency] = {}
        # A stop left by an earlier coordinator of this run is not addressed to this worker.
        spider.stale_stop = spider.server.get(spider.shared.keys.stop)
        crawler.signals.connect(spider._on_opened, signal=signals.spider_opened)
        return spider

    def _prepare_run(self, allow_private: bool) -> None:
        """Workers neither create nor open the run: the coordinator holds the database."""

    def _on_opened(self, spider: scrapy.Spider) -> None:
        self.heartbeat = LoopingCall(self._heartbeat)  # not in from_crawler: it would install a reactor
        self.heartbeat.start(1.0)

    def _heartbeat(self) -> None:
        """Tell the coordinator this worker lives, and whether it holds work (it re-seeds agencies only
        when every live worker is idle and the queues are empty)."""
        engine = self.crawler.engine
        idle = scrapy_private.engine_idle(engine)
        self.server.hset(self.shared.keys.workers, self.worker_id, json.dumps({"t": time.time(), "idle": idle}))
        # Requests another worker queued are pulled within a second rather than at the engine's 5 s tick.
        scrapy_private.wake_engine(engine)

    def closed(self, reason: str) -> None:
        """A worker leaves the run as it is; only the coordinator writes results and closes the run."""
        if getattr(self, "heartbeat", None) is not None and self.heartbeat.running:
            self.heartbeat.stop()
        self.server.hdel(self.shared.keys.workers, self.worker_id)
        self.documents.close()
        if self.page_pool is not None:
            self.page_pool.close()

    def spider_idle(self) -> None:
        """Idle: start more agencies; close once the coordinator says the run is over (or, should the
        coordinator be gone, after MAX_IDLE_TIME_BEFORE_CLOSE seconds without work)."""
        stop = self.server.get(self.shared.keys.stop)
        if stop is not None and stop != self.stale_stop:
            return
        if self.count_size(self.redis_key) > 0 or self.server.llen(self.shared.keys.requests) > 0:
            self.spider_idle_start_time = int(time.time())
        self.schedule_next_requests()
        if self.max_idle_time and int(time.time()) - self.spider_idle_start_time >= self.max_idle_time:
            return
        raise DontCloseSpider

    # -- agencies and their shared state --------------------------------------------------------
    def _agency(self, agency_id: str) -> Agency:
        agency = self.registry_cache.get(agency_id)
        if agency is None:
            row = json.loads(self.server.hget(self.shared.keys.registry, agency_id) or b"null")
            if row is None:
                raise KeyError(f"agency {agency_id} is not in run {self.run_id}")
            agency = self.registry_cache[agency_id] = Agency(**row)
        return agency

    def _state(self, agency_id: str, gen: int, started_at: str = "") -> SharedAgencyState:
        state = self.states.get(agency_id)
        if state is None or state.gen != gen:
            state = shared_state(self.shared, self._agency(agency_id), gen, self.max_pages, started_at or now_iso())
            self.states[agency_id] = state
            while len(self.states) > _MAX_STATES:
                self.states.popitem(last=False)
        self.states.move_to_end(agency_id)
        return state

    def _sync(self, meta: dict[str, Any]) -> SharedAgencyState:
        """This worker's view of the agency a response belongs to, brought up to date from the request."""
        state = self._state(meta["agency_id"], meta["tctt_gen"])
        if not state.final_url and meta.get("tctt_final_url"):
            state.final_url = meta["tctt_final_url"]
        if state.deadline is None and meta.get("tctt_deadline"):
            state.deadline = time.monotonic() + (meta["tctt_deadline"] - time.time())
        return state

    def make_request_from_data(self, data: bytes) -> list[scrapy.Request]:
        seed = json.loads(data)
        state = self._state(seed["id"], int(seed["gen"]))
        agency = state.agency
        requests = [self._request(state, agency.url, kind="home", depth=0, callback=self.parse_home)]
        if agency.section_url:
            state.candidates.setdefault(self._key(agency.section_url), {
                "url": agency.section_url, "anchor": "", "link_score": 1.0,
                "reasons": ["section_url given in the registry"]})
            requests.append(self._request(state, agency.section_url, kind="candidate", depth=1,
                                          callback=self.parse_section))
        return [r for r in requests if r is not None]

    # -- hooks of PortalSpider ------------------------------------------------------------------
    def _claim(self, state: Any, key: str) -> bool:
        return self.dupefilter.claim(state.agency.id, state.gen, key)

    def _cut_reason(self, state: Any, url: str, stored: dict[str, Any] | None) -> tuple[str, str] | None:
        base = self.shared.keys.agency(state.agency.id, state.gen)
        state.bytes_used = int(self.server.hget(base, "bytes") or 0)
        # The page budget is taken atomically first (and given back when another limit cuts the page).
        if not self.shared.spend(keys=[base], args=["1", self.max_pages]):
            return ("pages", f"page budget of {self.max_pages} spent")
        state.budget = self.max_pages  # the shared budget was checked above
        cut = super()._cut_reason(state, url, stored)
        if cut is not None:
            self.server.hincrby(base, "spent", -1)
        return cut

    def _request(self, state: Any, url: str, *, kind: str, depth: int, callback: Any,
                 referrer: str = "", anchor: str = "") -> scrapy.Request | None:
        request = super()._request(state, url, kind=kind, depth=depth, callback=callback, referrer=referrer,
                                   anchor=anchor)
        if request is None:
            return None
        base = self.shared.keys.agency(state.agency.id, state.gen)
        if kind == "home":  # exempt from the budget check, not from the count
            self.shared.spend(keys=[base], args=["0", self.max_pages])
        self.server.hincrby(base, "outstanding", 1)
        # What another worker needs to carry on with this agency's pages.
        request.meta.update(tctt_gen=state.gen, tctt_key=self._key(url), tctt_final_url=state.final_url,
                            tctt_deadline=(time.time() + state.deadline - time.monotonic()) if state.deadline else None)
        return request

    def _remember(self, state: Any, response: Response, record: dict[str, Any]) -> None:
        """The page index is rebuilt by the coordinator from the stored pages (and each page's ``keys``)."""

    def _page_item(self, state: Any, response: Response, record: dict[str, Any]) -> KeyedPageItem:
        item = super()._page_item(state, response, record)
        base = self.shared.keys.agency(state.agency.id, state.gen)
        state.bytes_used = self.server.hincrby(base, "bytes", len(response.body))
        keys = [self._key(u) for u in [*response.meta.get("redirect_urls", []), response.request.url, response.url]]
        return KeyedPageItem(**item, gen=state.gen, keys=list(dict.fromkeys(keys)))

    def _maybe_finish(self, state: Any) -> Iterator[Any]:
        """Every callback ends here: one outstanding request less, counted in Redis by the item pipeline
        after the callback's pages (the agency is done when the count reaches zero on any worker)."""
        home = None
        if not state.home_published and (state.home_status is not None or state.failure):
            state.home_published = True
            home = {"http_status": state.home_status, "final_url": state.final_url or None,
                    "failure": list(state.failure) if state.failure else None}
        yield Settled(agency_id=state.agency.id, gen=state.gen, home=home)

    # -- callbacks: the same as PortalSpider's, on this worker's view of the agency --------------
    async def parse_home(self, response: Response) -> AsyncIterator[Any]:
        self._sync(response.meta)
        async for out in super().parse_home(response):
            yield out

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        self._sync(response.meta)
        yield from super().parse_sitemap(response)

    async def parse_section(self, response: Response) -> AsyncIterator[Any]:
        self._sync(response.meta)
        async for out in super().parse_section(response):
            yield out

    async def parse_landing(self, response: Response) -> AsyncIterator[Any]:
        self._sync(response.meta)
        async for out in super().parse_landing(response):
            yield out

    async def parse_banner(self, response: Response) -> AsyncIterator[Any]:
        self._sync(response.meta)
        async for out in super().parse_banner(response):
            yield out

    def on_error(self, failure: Failure) -> Iterator[Any]:
        state = self._sync(failure.request.meta)
        for out in super().on_error(failure):
            # The failed fetch's record is evidence too: it goes to the coordinator with the generation.
            yield KeyedPageItem(**out, gen=state.gen, keys=[]) if type(out) is PageItem else out
