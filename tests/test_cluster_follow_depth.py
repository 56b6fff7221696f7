"""In a cluster too, which path asks for a page first must not decide how deep below it the crawl goes: a
section page that one worker reached through a deep link and another worker then finds named as a candidate
has its links followed from the candidate's level (crawler.ledger.redis: follow_depth, refollow, remember).

Two workers are two spiders with their own Redis ledgers on one real redis-server; the page reader is a
stand-in whose records list the section's parts (as in tests/test_follow_depth.py for one process).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from typing import Any

import pytest
import scrapy
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.test import get_crawler

from core.registry import Agency
from core.secrets import REDIS_PASSWORD
from crawler.cluster import COUNT_MARK, AgencyDupeFilter, Keys, Shared
from crawler.ledger.redis import RedisLedger
from crawler.middlewares import ReplayStored
from crawler.spiders.portal import PortalSpider

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")

HOME = "http://sotuphap.tinh.gov.vn/"
SECTION = HOME + "tiep-can-thong-tin"
CATALOGUE, FORMS, NEWS = HOME + "danh-muc-thong-tin-cong-khai", HOME + "bieu-mau-yeu-cau", HOME + "tin-tuc/hoi-nghi"
WORDS = {CATALOGUE: "Danh mục thông tin phải công khai", FORMS: "Mẫu phiếu yêu cầu cung cấp thông tin",
         NEWS: "Hội nghị triển khai", HOME + "lien-he": "Liên hệ", "http://baochi.vn/bai": "Báo chí"}
PARTS = {SECTION: [CATALOGUE, FORMS, NEWS, HOME + "lien-he", "http://baochi.vn/bai"]}
AGENCY = Agency(id="a1", name="Sở Tư pháp", url=HOME, level="so", parent="", province="", email="",
                section_url="", line=2)
RUN = 61


class PagesOnly:
    """Stands in for the page reader; counts the pages it read."""

    def __init__(self) -> None:
        self.read: list[str] = []

    async def page(self, response: Response, left: float | None) -> dict[str, Any]:
        self.read.append(response.url)
        links = [{"url": url, "text": WORDS[url], "chrome": "menu" if url.endswith("lien-he") else ""}
                 for url in PARTS.get(response.url, [])]
        return {"url": response.url, "final_url": response.url, "status": 200, "kind": response.meta["kind"],
                "title": "", "text": "", "links": links, "signals": {}}

    def close(self) -> None:
        return None


def worker(server: Any, tmp_path: Any, name: str) -> PortalSpider:
    """A cluster worker's spider: its ledger in Redis, shared with every other worker of the run."""
    crawler = get_crawler(PortalSpider, {"TCTT_RUN_LIFECYCLE": False, "TCTT_INCREMENTAL": False,
                                         "TCTT_DB": str(tmp_path / f"{name}.db"), "TCTT_SECTION_DEPTH": 2,
                                         "TCTT_MAX_PAGES_PER_AGENCY": 80, "TCTT_CANDIDATE_THRESHOLD": 0.25})
    spider = PortalSpider.from_crawler(crawler, registry="unused.csv")
    spider.run_id = RUN
    spider.recorder = PagesOnly()
    shared = Shared(server, RUN)
    dupefilter = AgencyDupeFilter(server, key=Keys(RUN).dupefilter)
    spider.ledger = RedisLedger(shared, dupefilter, spider.budgets.max_pages, followable=spider.followable)
    spider.ledger.registry[AGENCY.id] = AGENCY
    spider.states = spider.ledger.states
    return spider


def state_of(spider: PortalSpider) -> Any:
    state = spider.ledger.view(AGENCY.id, 1, "2026-12-01T00:00:00")
    state.pending = 1  # the home page, still being read: the agency does not finish inside the test
    return state


def ask(spider: PortalSpider, url: str, depth: int, kind: str = "section") -> Request | None:
    return spider._request(state_of(spider), url, kind=kind, depth=depth, callback=spider.parse_section)


def read(spider: PortalSpider, request: Request) -> list[Request]:
    """The worker answers ``request`` (a replay from its record, or the stand-in page) and runs the callback."""
    request = request.replace()  # as taken from the shared queue: a copy, not the asking worker's object
    response = ReplayStored().process_request(request) or TextResponse(
        request.url, body=b"<html></html>", encoding="utf-8", request=request)

    async def collect() -> list[Any]:
        return [out async for out in spider.parse_section(response)]
    return [out for out in asyncio.run(collect()) if isinstance(out, scrapy.Request)]


@pytest.fixture
def server(redis_url: str) -> Any:
    import redis

    client = redis.Redis.from_url(redis_url.rsplit("/", 1)[0] + "/3", password=os.environ[REDIS_PASSWORD])
    client.flushdb()
    return client


def asked(requests: list[Request]) -> dict[str, int]:
    return {r.url: r.meta["tctt_depth"] for r in requests if "replay" not in r.meta}


def test_a_page_read_deep_by_one_worker_then_named_by_another_is_followed_from_there(server: Any, tmp_path: Any):
    one, two = worker(server, tmp_path, "one"), worker(server, tmp_path, "two")
    deep = ask(one, SECTION, 2)
    assert deep is not None
    # Read at depth 2 (the limit): only the catalogue goes on (a catalogue gets one level more), the forms are cut.
    assert asked(read(one, deep)) == {CATALOGUE: 3}
    # The other worker finds the page named a candidate: no new fetch, the first worker's record is replayed...
    again = ask(two, SECTION, 1, kind="candidate")
    assert again is not None and again.meta["replay"]["final_url"] == SECTION
    assert again.meta[COUNT_MARK]  # ...counted outstanding like any request, or the agency would end early
    # ...holding the links that may be followed (the agency's own that name a part), not the rest of the page.
    assert [link["url"] for link in again.meta["replay"]["links"]] == [CATALOGUE, FORMS]
    # Followed from depth 1: the forms are asked for now (the catalogue is already claimed).
    assert asked(read(two, again)) == {FORMS: 2}
    assert one.recorder.read == [SECTION] and two.recorder.read == []  # the page was fetched once


def test_a_page_in_flight_on_one_worker_named_by_another_is_followed_from_there(server: Any, tmp_path: Any):
    one, two = worker(server, tmp_path, "one"), worker(server, tmp_path, "two")
    deep = ask(one, SECTION, 2)
    assert deep is not None
    assert ask(two, SECTION, 1, kind="candidate") is None  # in flight on the first worker: nothing to replay
    followed = read(one, deep)
    assert asked(followed) == {CATALOGUE: 2, FORMS: 2}  # read from the shallower level
    assert deep.meta["tctt_depth"] == 2 and followed  # (the request's own meta is the asking worker's copy)


def test_a_deeper_or_equal_path_on_another_worker_changes_nothing(server: Any, tmp_path: Any):
    one, two = worker(server, tmp_path, "one"), worker(server, tmp_path, "two")
    first = ask(one, SECTION, 1, kind="candidate")
    assert first is not None
    assert asked(read(one, first)) == {CATALOGUE: 2, FORMS: 2}
    assert ask(two, SECTION, 2) is None and ask(two, SECTION, 1) is None


def test_either_order_across_workers_asks_for_the_same_pages(server: Any, tmp_path: Any):
    def crawl(first_depth: int, then_depth: int) -> set[str]:
        server.flushdb()
        one, two = worker(server, tmp_path, "one"), worker(server, tmp_path, "two")
        first = ask(one, SECTION, first_depth, kind="candidate" if first_depth == 1 else "section")
        assert first is not None
        queue = read(one, first)
        again = ask(two, SECTION, then_depth, kind="candidate" if then_depth == 1 else "section")
        queue += [again] if again is not None else []
        pages: set[str] = set()
        workers = [two, one]
        while queue:
            request = queue.pop(0)
            pages.add(request.url)
            queue += read(workers[len(pages) % 2], request)  # pages answered by either worker
        return pages - {SECTION}

    assert crawl(2, 1) == crawl(1, 2) == {CATALOGUE, FORMS}


def test_an_agency_s_follow_keys_go_with_its_other_keys(server: Any, tmp_path: Any):
    one = worker(server, tmp_path, "one")
    deep = ask(one, SECTION, 2)
    assert deep is not None
    read(one, deep)
    keys = Keys(RUN).agency_keys(AGENCY.id, 1)
    assert server.exists(*[k for k in keys if k.endswith((":depth", ":follow"))]) == 2
    server.delete(*keys)  # what the coordinator does when the agency ends
    assert not server.keys(f"{Keys(RUN).prefix}:a:*")

