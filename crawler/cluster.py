"""Scale-out through Redis: the shared state of a run crawled by several workers (``tctt worker``) and
written by one coordinator (``tctt cluster``).

Every request of every agency goes through one scrapy-redis request queue, so any worker may fetch any
page. What a single process keeps in memory per agency lives in Redis, under keys of the run and of the
agency's *generation* (bumped when the coordinator seeds an agency again after a worker died):

- the pages asked for: scrapy-redis's ``RFPDupeFilter`` set, fingerprints of (agency, generation, URL);
- a hash per agency: pages spent from the budget, bytes read, requests outstanding, trap counters, cut
  counters, and the home page's facts (status, final URL, failure);
- the section candidates, in the order found; the cut examples;
- the pages an earlier generation stored (to replay instead of fetching).

Workers never open the database: page items and "agency done" markers go to one Redis list, popped by
the coordinator, the single writer.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import scrapy
from itemadapter import ItemAdapter
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.serialize import ScrapyJSONEncoder
from scrapy_redis import connection
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.pipelines import RedisPipeline
from scrapy_redis.scheduler import Scheduler

from crawler.agencystate import CUT_EXAMPLES, AgencyState
from crawler.items import PageItem
from crawler.redisjson import UntrustedRequest
from crawler.trust import candidate_from_redis
from crawler.urls import TrapDetector

logger = logging.getLogger(__name__)


# -- keys ---------------------------------------------------------------------------------------
def run_prefix(run_id: int) -> str:
    return f"tctt:{run_id}"


class Keys:
    """The Redis keys of one run."""

    def __init__(self, run_id: int):
        prefix = run_prefix(run_id)
        self.seeds = f"{prefix}:agencies"        # agencies to start: JSON {"id", "gen"} (scrapy-redis start list)
        self.registry = f"{prefix}:registry"     # agency id → its registry row (JSON)
        self.requests = f"{prefix}:requests"     # scrapy-redis request queue
        self.dupefilter = f"{prefix}:dupefilter"  # scrapy-redis dupefilter fingerprints
        self.items = f"{prefix}:items"           # pages and "done" markers for the coordinator (JSON)
        self.workers = f"{prefix}:workers"       # worker id → heartbeat (JSON)
        self.active = f"{prefix}:active"         # agencies admitted and not yet done, all workers together
        self.stop = f"{prefix}:stop"             # set by the coordinator when the run is over
        self.coordinator = f"{prefix}:coordinator"  # lock: one coordinator per run
        self.robots = f"{prefix}:robots"         # host → the robots.txt body a worker read (read once per run)
        self.prefix = prefix

    def agency(self, agency_id: str, gen: int) -> str:
        return f"{self.prefix}:a:{agency_id}:{gen}"

    def agency_keys(self, agency_id: str, gen: int) -> list[str]:
        base = self.agency(agency_id, gen)
        return [base, f"{base}:variants", f"{base}:cand", f"{base}:candorder", f"{base}:cutex", f"{base}:depth",
                f"{base}:follow"]

    def stored(self, agency_id: str) -> str:
        return f"{self.prefix}:stored:{agency_id}"


# -- atomic steps (Lua: one round trip, no interleaving between workers) ------------------------
# One page taken from the budget (given back when over it and ARGV[1] is '1'); also the bytes read so far,
# which the byte budget checks next (one round trip for both).
_SPEND = """
local n = redis.call('HINCRBY', KEYS[1], 'spent', 1)
local bytes = tonumber(redis.call('HGET', KEYS[1], 'bytes') or '0')
if ARGV[1] == '1' and n > tonumber(ARGV[2]) then
  redis.call('HINCRBY', KEYS[1], 'spent', -1)
  return {0, bytes}
end
return {1, bytes}
"""
_TRAPS = """
if ARGV[2] == '1' and tonumber(redis.call('HGET', KEYS[1], 'calendar') or '0') >= tonumber(ARGV[3]) then return 1 end
if ARGV[1] ~= '' then
  if tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') >= tonumber(ARGV[4]) then return 2 end
  redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
end
if ARGV[2] == '1' then redis.call('HINCRBY', KEYS[1], 'calendar', 1) end
return 0
"""
_CANDIDATE = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[1])
elseif ARGV[3] == '1' then
  local old = cjson.decode(redis.call('HGET', KEYS[1], ARGV[1]))
  if tonumber(cjson.decode(ARGV[2])['link_score'] or 0) > tonumber(old['link_score'] or 0) then
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  end
end
"""
# A page asked for (or read) from level ARGV[2]: its record, once read (ARGV[3]; '' for none), kept under each
# URL it answered for (ARGV[4]…), then the level its links are followed from, the shallowest path that asked
# for it so far — in one step, so a shallower path asked for by another worker either lowered the level
# before or finds the record after.
_FOLLOWED = """
if ARGV[3] ~= '' then
  for i = 4, #ARGV do redis.call('HSET', KEYS[2], ARGV[i], ARGV[3]) end
end
local known = redis.call('HGET', KEYS[1], ARGV[1])
if known and tonumber(known) <= tonumber(ARGV[2]) then return tonumber(known) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return tonumber(ARGV[2])
"""
# A page already claimed, asked for from level ARGV[2]: when shallower than any path before, the level is
# lowered and the page's record returned if a worker has read it (else nil: the worker reading it reads
# the new level with _FOLLOWED). Unknown level: claimed, not answered yet.
_REFOLLOW = """
local known = redis.call('HGET', KEYS[1], ARGV[1])
if known and tonumber(known) <= tonumber(ARGV[2]) then return false end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return redis.call('HGET', KEYS[2], ARGV[1])
"""
# A callback (or errback) finished: its items are already in the list; the worker that brings the
# agency's outstanding requests to zero queues the "done" marker after them, and frees its place among the
# agencies in progress.
_SETTLE = """
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'home', ARGV[1]) end
local n = redis.call('HINCRBY', KEYS[1], 'outstanding', -1)
if n == 0 then
  redis.call('RPUSH', KEYS[2], ARGV[2])
  if redis.call('DECR', KEYS[3]) < 0 then redis.call('SET', KEYS[3], 0) end
end
return n
"""
# Admission: agencies are taken from the seed list while the run holds fewer than ARGV[1] per registered
# worker in progress (0: no bound), at most ARGV[2] at a time. One counter for every worker, so that a worker
# starts new agencies as soon as any agency ends, not when its own share of the shared queue runs dry.
_ADMIT = """
local room = tonumber(ARGV[2])
if tonumber(ARGV[1]) > 0 then
  local limit = tonumber(ARGV[1]) * math.max(1, redis.call('HLEN', KEYS[3]))
  room = math.min(room, limit - tonumber(redis.call('GET', KEYS[2]) or '0'))
end
if room <= 0 then return {} end
local seeds = redis.call('LRANGE', KEYS[1], 0, room - 1)
if #seeds > 0 then
  redis.call('LTRIM', KEYS[1], #seeds, -1)
  redis.call('INCRBY', KEYS[2], #seeds)
end
return seeds
"""


class Shared:
    """One worker's handle on a run's shared state."""

    def __init__(self, server: Any, run_id: int):
        self.server = server
        self.run_id = run_id
        self.keys = Keys(run_id)
        self.spend = server.register_script(_SPEND)
        self.traps = server.register_script(_TRAPS)
        self.candidate = server.register_script(_CANDIDATE)
        self.settle = server.register_script(_SETTLE)
        self.admit_script = server.register_script(_ADMIT)
        self.refollow = server.register_script(_REFOLLOW)
        self.followed = server.register_script(_FOLLOWED)

    def admit(self, per_worker: int, batch: int) -> list[bytes]:
        """Seeds of agencies to start now (each counted in progress until its "done" marker)."""
        keys = self.keys
        return self.admit_script(keys=[keys.seeds, keys.active, keys.workers], args=[per_worker, batch])


class SharedCandidates(dict):
    """An agency's candidates, also recorded in Redis in the order found — the coordinator weighs them:
    ``setdefault`` adds one (the first finder's), assigning a known one replaces it when its link scores
    higher (a better-named link to the same page, found later or by another worker).

    ``get`` also finds a candidate another worker recorded: the spider then sees the page as known and,
    finding a better-named link to it, replaces it, as one process does. Without that, a worker's first
    sight of a page another worker had found by a weaker link (its slug in the sitemap) only added it,
    which kept the weaker link: in an 800-portal run, 3 agencies chose no section with 2 workers."""

    def __init__(self, shared: Shared, agency_id: str, gen: int):
        super().__init__()
        self.shared, base = shared, shared.keys.agency(agency_id, gen)
        self.keys = [f"{base}:cand", f"{base}:candorder"]

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key in self:
            return super().get(key)
        raw = self.shared.server.hget(self.keys[0], key)
        try:
            found = candidate_from_redis(json.loads(raw)) if raw is not None else None
        except ValueError:
            found = None
        if found is None:
            return default
        super().__setitem__(key, found)  # this worker's copy; Redis changes only for a better link
        return found

    def setdefault(self, key: str, default: Any = None) -> Any:
        self.shared.candidate(keys=self.keys, args=[key, json.dumps(default, ensure_ascii=False), "0"])
        return super().setdefault(key, default)

    def __setitem__(self, key: str, value: Any) -> None:
        self.shared.candidate(keys=self.keys, args=[key, json.dumps(value, ensure_ascii=False), "1"])
        super().__setitem__(key, value)


class SharedTrapDetector(TrapDetector):
    """Trap counters (query variants per path, calendar pages) kept per agency in Redis."""

    def __init__(self, shared: Shared, agency_id: str, gen: int):
        super().__init__()
        base = shared.keys.agency(agency_id, gen)
        self.shared, self.keys = shared, [base, f"{base}:variants"]

    def _counted(self, path_key: str | None, is_calendar: bool, path: str) -> str | None:
        verdict = self.shared.traps(keys=self.keys, args=[path_key or "", "1" if is_calendar else "0",
                                                          self.max_calendar, self.max_variants])
        if verdict == 1:
            return f"more than {self.max_calendar} calendar pages"
        if verdict == 2:
            return f"more than {self.max_variants} query variants of {path}"
        return None


@dataclass
class SharedAgencyState(AgencyState):
    """A worker's view of an agency: caches, plus the counters that must be shared in Redis."""

    gen: int = 1
    shared: Any = None
    home_published: bool = False

    def note_cut(self, kind: str, url: str, reason: str) -> None:
        base = self.shared.keys.agency(self.agency.id, self.gen)
        with self.shared.server.pipeline(transaction=False) as pipe:
            pipe.hincrby(base, f"cut:{kind}", 1)
            pipe.rpush(f"{base}:cutex", json.dumps({"url": url[:300], "kind": kind, "reason": reason}))
            pipe.ltrim(f"{base}:cutex", 0, CUT_EXAMPLES - 1)
            pipe.execute()


def shared_state(shared: Shared, agency: Any, gen: int, budget: int, started_at: str) -> SharedAgencyState:
    state = SharedAgencyState(agency=agency, started_at=started_at, budget=budget, gen=gen, shared=shared,
                              candidates=SharedCandidates(shared, agency.id, gen),
                              traps=SharedTrapDetector(shared, agency.id, gen))
    # Pages an earlier generation stored: replayed, not fetched (the coordinator put them here).
    for key, page in shared.server.hgetall(shared.keys.stored(agency.id)).items():
        state.stored[key.decode("utf-8")] = json.loads(page)
    return state


# -- items --------------------------------------------------------------------------------------
class KeyedPageItem(PageItem):
    """A page, with the agency's generation and every URL it is known by (the spider's page index)."""

    gen = scrapy.Field()
    keys = scrapy.Field()


@dataclass
class Settled:
    """Not evidence: the end of one callback of an agency (its outstanding requests go down by one)."""

    agency_id: str
    gen: int
    home: dict[str, Any] | None = field(default=None)


# -- scrapy-redis parts ----------------------------------------------------------------------------
COUNT_MARK = "tctt_count"  # meta of a request not yet counted outstanding: its agency's hash key


class AgencyDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter, keyed per run, fingerprinting (agency, generation, canonical URL): two
    agencies on one host each ask for the forms they both link, as in one process, and an agency seeded
    again after a worker died starts a fresh generation (its stored pages are replayed, not fetched)."""

    @classmethod
    def from_spider(cls, spider: Any) -> AgencyDupeFilter:
        return cls(connection.from_settings(spider.settings), key=Keys(spider.run_id).dupefilter,
                   debug=spider.settings.getbool("DUPEFILTER_DEBUG"))

    @staticmethod
    def fingerprint(agency_id: str, gen: int, key: str) -> str:
        return hashlib.sha1(f"{agency_id}\0{gen}\0{key}".encode()).hexdigest()

    def request_fingerprint(self, request: scrapy.Request) -> str:
        meta = request.meta
        return self.fingerprint(meta["agency_id"], meta.get("tctt_gen", 1), meta.get("tctt_key") or request.url)

    def claim(self, agency_id: str, gen: int, key: str) -> bool:
        """True when this worker is the first to ask for the page (SADD is atomic across workers)."""
        return bool(self.server.sadd(self.key, self.fingerprint(agency_id, gen, key)))

    def close(self, reason: str = "") -> None:
        """Persisted: the fingerprints belong to the run, not to one worker (scrapy-redis clears them)."""


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler on the run's queue and dupefilter keys, persisted (SCHEDULER_PERSIST)."""

    def open(self, spider: Any) -> None:
        keys = Keys(spider.run_id)
        self.queue_key = keys.requests
        self.persist = True
        self.df = AgencyDupeFilter.from_spider(spider)
        super().open(spider)

    # The two below are scrapy-redis's, without the ``spider`` argument Scrapy deprecated in inc_value().
    def enqueue_request(self, request: scrapy.Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        # A new request of an agency counts as outstanding in the same round trip as its push, and before
        # it: no worker can pop it, and settle it, uncounted. Redirects and retries (copies of a request
        # already counted) carry no mark and are not counted again.
        agency_key = request.meta.pop(COUNT_MARK, None)
        if agency_key is None:
            self.queue.push(request)
            return True
        data = self.queue.serializer.dumps(request.to_dict(spider=self.spider))
        with self.server.pipeline(transaction=False) as pipe:
            pipe.hincrby(agency_key, "outstanding", 1)
            pipe.lpush(self.queue.key, data)
            pipe.execute()
        return True

    def next_request(self) -> scrapy.Request | None:
        try:
            request = self.queue.pop(self.idle_before_close)
        except UntrustedRequest as exc:  # written to Redis by someone else: dropped, never run
            logger.warning("Bỏ yêu cầu lạ trong Redis / dropped a queued request this crawler did not write: %s", exc)
            return None
        if request is not None:
            if self.stats:
                self.stats.inc_value("scheduler/dequeued/redis")
            request.meta["started"] = time.monotonic()  # elapsed time counts from here, on this machine's clock
        return request


ROBOTS_MAX_BYTES = 512 * 1024  # a larger robots.txt is read by each worker, not kept in Redis


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, each host's robots.txt downloaded once per run rather than once per
    worker: the body the first worker read is kept in Redis, and the others parse it from there with the same
    parser. A failed download is not shared (each worker tries for itself, as Scrapy does). Leans on its
    parent's ``_parsers``, ``_parserimpl`` and ``_parse_robots``, pinned by tests/test_cluster.py."""

    def __init__(self, crawler: Any):
        super().__init__(crawler)
        self.server = connection.from_settings(crawler.settings)
        self.key: str | None = None

    def _key(self) -> str:
        if self.key is None:
            self.key = Keys(self.crawler.spider.run_id).robots
        return self.key

    async def robot_parser(self, request: scrapy.Request) -> Any:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            body = self.server.hget(self._key(), netloc)
            if body is not None:
                self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, body)
                self.crawler.stats.inc_value("robotstxt/shared")
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Any, netloc: str, request: scrapy.Request) -> None:
        if len(response.body) <= ROBOTS_MAX_BYTES:
            self.server.hset(self._key(), netloc, response.body)
        await super()._parse_robots(response, netloc, request)


class RedisItemPipeline(RedisPipeline):
    """Pages and "done" markers to the run's item list, in the order the callbacks yield them (written
    synchronously: the coordinator must see an agency's pages before its "done" marker)."""

    def __init__(self, crawler: Any):
        super().__init__(connection.from_settings(crawler.settings), serialize_func=ScrapyJSONEncoder().encode)
        self.crawler = crawler
        self.shared: Shared | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisItemPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.shared = Shared(self.server, self.crawler.spider.run_id)
        self.key = self.shared.keys.items

    def process_item(self, item: Any) -> Any:
        assert self.shared is not None
        if isinstance(item, Settled):
            base = self.shared.keys.agency(item.agency_id, item.gen)
            done = json.dumps({"type": "done", "agency_id": item.agency_id, "gen": item.gen})
            left = self.shared.settle(keys=[base, self.key, self.shared.keys.active],
                                      args=[json.dumps(item.home) if item.home else "", done])
            if left == 0:  # a place among the agencies in progress is free: fill it now
                self.crawler.spider.admit()
            return item
        data = ItemAdapter(item).asdict()
        data["type"] = "page"
        self.server.rpush(self.key, self.serialize(data))
        return item
