"""The host-fair priority queue picks exactly what Scrapy's DownloaderAwarePriorityQueue picks."""

from __future__ import annotations

import random

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

    def start(self, request: Request) -> str:
        key = self.get_slot_key(request)
        self.slots.setdefault(key, Slot(concurrency=4, delay=0, jitter=0)).active.add(request)
        return key


class _Engine:
    def __init__(self, downloader: _Downloader):
        self.downloader = downloader


def test_same_choices_as_scrapy_under_random_traffic() -> None:
    crawler = get_crawler(Spider, {"CONCURRENT_REQUESTS": 64})
    downloader = _Downloader()
    crawler.engine = _Engine(downloader)
    ours = FairHostPriorityQueue.from_crawler(crawler, FifoMemoryQueue, "")
    scrapys = DownloaderAwarePriorityQueue.from_crawler(crawler, FifoMemoryQueue, "")
    rng = random.Random(8)
    hosts = [f"h{i:03d}.tinh.gov.test" for i in range(120)]
    in_flight: list[tuple[str, Request]] = []
    popped = 0
    for step in range(6000):
        action = rng.random()
        if action < 0.45:
            host = rng.choice(hosts)
            url = f"http://{host}/p{step}"
            priority = rng.choice((0, 0, 1, -1))
            ours.push(Request(url, priority=priority))
            scrapys.push(Request(url, priority=priority))
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
