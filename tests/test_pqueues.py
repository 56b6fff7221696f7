"""The host-fair priority queue picks what Scrapy's DownloaderAwarePriorityQueue picks while every host can send,
and never hands the downloader a request that would only wait inside it (per-host limit, delay)."""

from __future__ import annotations

import random
from time import monotonic

from scrapy import Spider
from scrapy.core.downloader import Slot
from scrapy.http import Request
from scrapy.pqueues import DownloaderAwarePriorityQueue
from scrapy.squeues import FifoMemoryQueue
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.test import get_crawler

from crawler.pqueues import FairHostPriorityQueue


class _Downloader:
    """What the queues read of Scrapy's Downloader: its slots (real Slot objects) and its slot key."""

    def __init__(self) -> None:
        self.slots: dict[str, Slot] = {}

    def get_slot_key(self, request: Request) -> str:
        return urlparse_cached(request).hostname or ""

    def start(self, request: Request, concurrency: int = 1000) -> str:
        key = self.get_slot_key(request)
        self.slots.setdefault(key, Slot(concurrency=concurrency, delay=0, jitter=0)).active.add(request)
        return key


class _Engine:
    def __init__(self, downloader: _Downloader):
        self.downloader = downloader


def test_same_choices_as_scrapy_under_random_traffic() -> None:
    # Equal priorities, no per-host limit reached, no delay: the choices are Scrapy's.
    crawler = get_crawler(Spider, {"CONCURRENT_REQUESTS": 64})
    downloader = _Downloader()
    crawler.engine = _Engine(downloader)
    ours = FairHostPriorityQueue.from_crawler(crawler, FifoMemoryQueue, "")
    scrapys = DownloaderAwarePriorityQueue.from_crawler(crawler, FifoMemoryQueue, "")
    rng = random.Random(8)
    hosts = [f"h{i:03d}.tinh.gov.test" for i in range(120)]
    for host in hosts:  # every host contacted before (a host never contacted goes first: a test below)
        downloader.slots[host] = Slot(concurrency=1000, delay=0, jitter=0)
    in_flight: list[tuple[str, Request]] = []
    popped = 0
    for step in range(6000):
        action = rng.random()
        if action < 0.45:
            host = rng.choice(hosts)
            url = f"http://{host}/p{step}"
            ours.push(Request(url))
            scrapys.push(Request(url))
        elif action < 0.85:
            a, b = ours.pop(), scrapys.pop()
            assert (a.url if a else None) == (b.url if b else None), step
            if a is not None:
                popped += 1
                if rng.random() < 0.7:  # it is being downloaded: its host is busy
                    in_flight.append((downloader.start(a), a))
        elif in_flight:
            slot_key, request = in_flight.pop(rng.randrange(len(in_flight)))
            downloader.slots[slot_key].active.discard(request)
        assert len(ours) == len(scrapys)
        peek_a, peek_b = ours.peek(), scrapys.peek()
        assert (peek_a.url if peek_a else None) == (peek_b.url if peek_b else None)
    assert popped > 2000
    while len(scrapys):
        assert ours.pop().url == scrapys.pop().url
    assert ours.pop() is None and len(ours) == 0


def _queue(downloader: _Downloader, wakes: list[float] | None = None) -> FairHostPriorityQueue:
    crawler = get_crawler(Spider, {"CONCURRENT_REQUESTS": 64})
    crawler.engine = _Engine(downloader)
    queue = FairHostPriorityQueue.from_crawler(crawler, FifoMemoryQueue, "")
    if wakes is not None:
        queue._wake_engine_in = wakes.append  # type: ignore[method-assign]
    return queue


def _slot(downloader: _Downloader, host: str, *, concurrency: int = 2, delay: float = 0.0, active: int = 0,
          sent_ago: float = 1000.0) -> Slot:
    slot = downloader.slots[host] = Slot(concurrency=concurrency, delay=delay, jitter=0)
    for i in range(active):
        slot.active.add(Request(f"http://{host}/in-flight-{i}"))
    slot.lastseen = monotonic() - sent_ago
    return slot


def test_a_host_at_its_limit_keeps_its_requests() -> None:
    downloader = _Downloader()
    queue = _queue(downloader)
    _slot(downloader, "a.gov.test", active=2)
    queue.push(Request("http://a.gov.test/1"))
    assert queue.pop() is None and len(queue) == 1  # it would only wait inside the downloader
    downloader.slots["a.gov.test"].active.pop()
    queue._stuck = None  # the downloader's own count drops with it in a crawl
    assert queue.pop().url == "http://a.gov.test/1"


def test_a_host_waiting_for_its_delay_keeps_its_requests_and_the_engine_is_woken() -> None:
    downloader = _Downloader()
    wakes: list[float] = []
    queue = _queue(downloader, wakes)
    _slot(downloader, "a.gov.test", delay=0.5, sent_ago=0.2)
    queue.push(Request("http://a.gov.test/1"))
    assert queue.pop() is None
    assert wakes and 0.2 < wakes[-1] <= 0.3  # when the delay ends
    downloader.slots["a.gov.test"].lastseen -= 0.5
    queue._stuck = None  # the delay ran out (here by moving its start back, not by waiting)
    assert queue.pop().url == "http://a.gov.test/1"


def test_an_idle_host_first_then_a_busy_one_below_its_limit() -> None:
    # A host whose page hangs has one request in flight: its next page leaves when no idle host waits.
    downloader = _Downloader()
    queue = _queue(downloader)
    _slot(downloader, "hanging.gov.test", active=1)
    queue.push(Request("http://hanging.gov.test/2"))
    queue.push(Request("http://idle.gov.test/1"))
    assert queue.pop().url == "http://idle.gov.test/1"
    downloader.start(Request("http://idle.gov.test/1"), concurrency=2)
    assert queue.pop().url == "http://hanging.gov.test/2"


def test_the_slowest_host_first() -> None:
    # AutoThrottle's delay follows a host's latency: the slow portals' chains are the crawl's critical path.
    downloader = _Downloader()
    queue = _queue(downloader)
    _slot(downloader, "slow.gov.test", delay=4.0, active=1, sent_ago=5.0)
    _slot(downloader, "slower.gov.test", delay=7.0, active=1, sent_ago=8.0)
    _slot(downloader, "slowest-but-waiting.gov.test", delay=9.0, active=1, sent_ago=1.0)
    for host in ("fast.gov.test", "slow.gov.test", "slower.gov.test", "slowest-but-waiting.gov.test"):
        queue.push(Request(f"http://{host}/1"))
    assert [queue.pop().url for _ in range(3)] == [
        "http://slower.gov.test/1", "http://slow.gov.test/1", "http://fast.gov.test/1"]
    assert queue.pop() is None and len(queue) == 1


def test_a_new_host_gets_one_request_while_its_robots_txt_is_read() -> None:
    # The first request of a host waits inside the downloader (RobotsTxtMiddleware) before it has a slot.
    downloader = _Downloader()
    downloader.active = {Request("http://new.gov.test/")}  # type: ignore[attr-defined]
    queue = _queue(downloader)
    queue.push(Request("http://new.gov.test/sitemap.xml"))
    assert queue.pop() is None
    downloader.active = set()  # type: ignore[attr-defined]
    queue._left_downloader()  # Scrapy's request_left_downloader signal
    assert queue.pop().url == "http://new.gov.test/sitemap.xml"


def test_the_oldest_agency_first_then_the_least_busy_host() -> None:
    # The spider gives each request minus its agency's rank of admission.
    downloader = _Downloader()
    queue = _queue(downloader)
    _slot(downloader, "old.gov.test", active=1)
    _slot(downloader, "young.gov.test")
    _slot(downloader, "idle.gov.test")
    queue.push(Request("http://young.gov.test/1", priority=-7))
    queue.push(Request("http://old.gov.test/1", priority=-2))
    queue.push(Request("http://idle.gov.test/1", priority=-2))
    assert [queue.pop().url for _ in range(3)] == [
        "http://idle.gov.test/1", "http://old.gov.test/1", "http://young.gov.test/1"]


def test_a_new_host_has_its_robots_txt_read_before_its_first_request_is_handed_over() -> None:
    # Handed over at once, the request would hold one of the crawl's slots while robots.txt loads.
    from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
    from twisted.internet.defer import Deferred

    downloader = _Downloader()
    downloader.active = set()  # type: ignore[attr-defined]
    downloader.needs_backout = lambda: False  # type: ignore[attr-defined]
    crawler = get_crawler(Spider, {"CONCURRENT_REQUESTS": 64, "ROBOTSTXT_OBEY": True})
    asked: list[str] = []

    class _Robots:
        async def download_async(self, request: Request) -> None:
            asked.append(request.url)
            await Deferred()  # the download is under way

    engine = _Engine(downloader)
    engine.download_async = _Robots().download_async  # type: ignore[attr-defined]
    crawler.engine = engine
    robots = RobotsTxtMiddleware(crawler)
    downloader.middleware = type("M", (), {"middlewares": (robots,)})()  # type: ignore[attr-defined]
    queue = FairHostPriorityQueue.from_crawler(crawler, FifoMemoryQueue, "")
    queue.push(Request("http://new.gov.test/"))
    assert queue.pop() is None and len(queue) == 1
    assert asked == ["http://new.gov.test/robots.txt"]
    assert queue.pop() is None and asked == ["http://new.gov.test/robots.txt"]  # read once, still loading
    robots._parsers["new.gov.test"] = None  # read (no robots.txt: everything allowed)
    queue._stuck = None  # in a crawl the robots.txt download leaves the downloader
    assert queue.pop().url == "http://new.gov.test/"


def test_a_host_not_contacted_yet_first() -> None:
    # Its first answer tells how slow it is (a section on a slow sub-domain), in time to serve it first.
    downloader = _Downloader()
    queue = _queue(downloader)
    _slot(downloader, "known.gov.test")
    queue.push(Request("http://known.gov.test/1", priority=-1))
    queue.push(Request("http://tctt.new.gov.test/", priority=-9))
    assert [queue.pop().url for _ in range(2)] == ["http://tctt.new.gov.test/", "http://known.gov.test/1"]


def test_a_fruitless_look_is_not_repeated_until_something_changes() -> None:
    downloader = _Downloader()
    downloader.active = {Request("http://a.gov.test/in-flight")}  # type: ignore[attr-defined]
    queue = _queue(downloader)
    _slot(downloader, "a.gov.test", active=2)
    queue.push(Request("http://a.gov.test/1"))
    assert queue.pop() is None
    downloader.slots["a.gov.test"].active.pop()
    assert queue.pop() is None  # no request left the downloader: not looked at again
    downloader.active = set()  # type: ignore[attr-defined]
    queue._left_downloader()  # Scrapy's request_left_downloader signal
    assert queue.pop().url == "http://a.gov.test/1"
