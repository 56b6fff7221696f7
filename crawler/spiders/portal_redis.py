"""The portal spider as a scrapy-redis worker: every request of the run is shared through Redis.

    tctt worker --redis redis://10.0.0.5:6379/0 --run 7

Agencies to start are popped from ``tctt:<run>:agencies`` (scrapy-redis's ``RedisMixin``); every request
they lead to goes through the run's scrapy-redis request queue (``crawler.cluster.SharedScheduler``), so
any worker fetches any page of any agency. It is ``PortalSpider`` with its per-agency bookkeeping in
Redis (``crawler.ledger.redis.RedisLedger``): the pages asked for (the dupefilter), the page and byte
budgets, trap and cut counters, the candidates, and the requests outstanding — a callback that brings
them to zero marks the agency done. Workers never open the database: page items and "done" markers go to
a Redis list, and the coordinator (``crawler.coordinator``) writes them and makes the section choice from
the stored pages.

Not in worker mode: the HTTP cache of incremental re-audits and the reuse of document extractions by
sha256 (both read the store); every page is fetched and every document read.
"""

from __future__ import annotations

import json
import os
import socket
import time
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.spiders import RedisMixin
from twisted.internet.task import LoopingCall

from crawler import scrapy_private
from crawler.cluster import AgencyDupeFilter, Keys, Shared
from crawler.ledger.redis import RedisLedger
from crawler.spiders.portal import PortalSpider


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

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """custom_settings, and robots.txt read once per host for the whole run rather than once per worker
        (added to the project's downloader middlewares: a dict in custom_settings would replace them)."""
        super().update_settings(settings)
        middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
        middlewares.update({"scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
                            "crawler.cluster.SharedRobotsTxtMiddleware": 100})
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="spider")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not self.run_id_arg:
            raise ValueError("portal-redis needs -a run_id=N (the coordinator creates the run)")
        self.run_id = int(self.run_id_arg)
        self.redis_key = Keys(self.run_id).seeds
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}"

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> RedisPortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Agencies in progress, per worker as per `tctt crawl` process (counted for the whole run in Redis):
        # a new one starts as soon as one ends, on whichever worker ends it. At most TCTT_REDIS_BATCH
        # agencies are taken from the seed list per call.
        spider.redis_batch_size = crawler.settings.getint("TCTT_REDIS_BATCH", 100)
        spider.setup_redis(crawler)
        spider.shared = Shared(spider.server, spider.run_id)
        spider.dupefilter = AgencyDupeFilter.from_spider(spider)
        spider.ledger = RedisLedger(spider.shared, spider.dupefilter, spider.budgets.max_pages,
                                    followable=spider.followable)
        spider.states = spider.ledger.states  # this worker's views (read by HardBudgets and on close)
        # A stop left by an earlier coordinator of this run is not addressed to this worker.
        spider.stale_stop = spider.server.get(spider.shared.keys.stop)
        crawler.signals.connect(spider._on_opened, signal=signals.spider_opened)
        return spider

    def _on_opened(self, spider: scrapy.Spider) -> None:
        self.heartbeat = LoopingCall(self._heartbeat)  # not in from_crawler: it would install a reactor
        self.heartbeat.start(1.0)

    def _heartbeat(self) -> None:
        """Tell the coordinator this worker lives, and whether it holds work (it re-seeds agencies only
        when every live worker is idle and the queues are empty)."""
        engine = self.crawler.engine
        idle = scrapy_private.engine_idle(engine)
        self.server.hset(self.shared.keys.workers, self.worker_id, json.dumps({"t": time.time(), "idle": idle}))
        self.admit()
        # Requests another worker queued are pulled within a second rather than at the engine's 5 s tick.
        scrapy_private.wake_engine(engine)

    def admit(self) -> None:
        """Start agencies from the run's seed list while the run holds fewer than TCTT_MAX_ACTIVE_AGENCIES
        per worker in progress. Called every second, when idle, and when an agency ends on this worker:
        without it a worker would start agencies only when idle, i.e. once the shared queue ran dry, and the
        run would go in waves, each as long as its slowest agency."""
        for data in self.shared.admit(self.max_active, self.redis_batch_size):
            for request in self.make_request_from_data(data):
                self.crawler.engine.crawl(request)

    def closed(self, reason: str) -> None:
        """A worker leaves the run as it is; only the coordinator writes results and closes the run."""
        if getattr(self, "heartbeat", None) is not None and self.heartbeat.running:
            self.heartbeat.stop()
        self.server.hdel(self.shared.keys.workers, self.worker_id)
        self.recorder.close()

    def spider_idle(self) -> None:
        """Idle: start more agencies; close once the coordinator says the run is over (or, should the
        coordinator be gone, after MAX_IDLE_TIME_BEFORE_CLOSE seconds without work)."""
        stop = self.server.get(self.shared.keys.stop)
        if stop is not None and stop != self.stale_stop:
            return
        if self.count_size(self.redis_key) > 0 or self.server.llen(self.shared.keys.requests) > 0:
            self.spider_idle_start_time = int(time.time())
        self.admit()
        if self.max_idle_time and int(time.time()) - self.spider_idle_start_time >= self.max_idle_time:
            return
        raise DontCloseSpider

    def make_request_from_data(self, data: bytes) -> list[scrapy.Request]:
        """An agency seeded by the coordinator (scrapy-redis's hook): its home page, and its registry section."""
        seed = json.loads(data)
        state = self.ledger.view(seed["id"], int(seed["gen"]))
        agency = state.agency
        requests = [self._request(state, agency.url, kind="home", depth=0, callback=self.parse_home)]
        if agency.section_url:
            state.candidates.setdefault(self._key(agency.section_url), {
                "url": agency.section_url, "anchor": "", "link_score": 1.0,
                "reasons": ["section_url given in the registry"]})
            requests.append(self._request(state, agency.section_url, kind="candidate", depth=1,
                                          callback=self.parse_section))
        return [r for r in requests if r is not None]
