"""The spider follows a page's links from the shallowest path that asked for it, whichever path's answer came
first: a section page first reached through a deep link (a news article's) and then named a candidate must
not have its own links cut by depth (crawler.spiders.portal._refollow, crawler.ledger.local.follow_depth)."""

from __future__ import annotations

import asyncio
from typing import Any

import scrapy
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.test import get_crawler

from core.registry import Agency
from crawler.agencystate import AgencyState
from crawler.middlewares import ReplayStored
from crawler.spiders.portal import PortalSpider

HOME = "http://sotuphap.tinh.gov.vn/"
SECTION = HOME + "tiep-can-thong-tin"
PARTS = {SECTION: [HOME + "danh-muc-thong-tin-cong-khai", HOME + "bieu-mau-yeu-cau"],
         HOME + "danh-muc-thong-tin-cong-khai": [HOME + "danh-muc/trang-2"]}
AGENCY = Agency(id="a1", name="Sở Tư pháp", url=HOME, level="so", parent="", province="", email="",
                section_url="", line=2)


class PagesOnly:
    """Stands in for the page reader: each page's record lists the parts of the section it links to."""

    async def page(self, response: Response, left: float | None) -> dict[str, Any]:
        words = {"danh-muc-thong-tin-cong-khai": "Danh mục thông tin phải công khai",
                 "bieu-mau-yeu-cau": "Mẫu phiếu yêu cầu cung cấp thông tin", "trang-2": "Danh mục thông tin (tiếp)"}
        links = [{"url": url, "text": words[url.rsplit("/", 1)[1]]} for url in PARTS.get(response.url, [])]
        return {"url": response.url, "final_url": response.url, "status": 200, "title": "", "text": "",
                "links": links, "signals": {}}

    def close(self) -> None:
        return None


def make_spider(tmp_path: Any) -> tuple[PortalSpider, AgencyState]:
    crawler = get_crawler(PortalSpider, {"TCTT_RUN_LIFECYCLE": False, "TCTT_INCREMENTAL": False,
                                         "TCTT_DB": str(tmp_path / "a.db"), "TCTT_SECTION_DEPTH": 2})
    spider = PortalSpider.from_crawler(crawler, registry="unused.csv")
    spider.recorder = PagesOnly()
    state = AgencyState(agency=AGENCY, started_at="2026-12-01T00:00:00", budget=100)
    state.pending = 1  # the home page, still being read: the agency does not finish inside the test
    spider.states[AGENCY.id] = state
    return spider, state


def answer(request: Request) -> TextResponse:
    replayed = ReplayStored().process_request(request)
    if replayed is not None:
        return replayed
    return TextResponse(request.url, body=b"<html></html>", encoding="utf-8", request=request)


def read(spider: PortalSpider, request: Request) -> list[Request]:
    async def collect() -> list[Any]:
        return [out async for out in spider.parse_section(answer(request))]
    return [out for out in asyncio.run(collect()) if isinstance(out, scrapy.Request)]


def crawl(spider: PortalSpider, state: AgencyState, first: Request, then: tuple[str, int]) -> dict[str, int]:
    """Read ``first``, then ask for ``then`` (url, depth), then read everything that follows."""
    queue = read(spider, first)
    again = spider._request(state, then[0], kind="candidate", depth=then[1], callback=spider.parse_section)
    queue += [again] if again is not None else []
    asked: dict[str, int] = {}
    while queue:
        request = queue.pop(0)
        if "replay" not in request.meta:
            asked[request.url] = request.meta["tctt_depth"]
        queue += read(spider, request)
    return asked


def test_a_page_read_deep_then_named_shallower_has_its_links_followed(tmp_path: Any) -> None:
    spider, state = make_spider(tmp_path)
    deep = spider._request(state, SECTION, kind="section", depth=2, callback=spider.parse_section)
    assert deep is not None
    asked = crawl(spider, state, deep, (SECTION, 1))
    # Read at depth 2, only its catalogue link went on (a catalogue gets one level more) and the forms were
    # cut; named a candidate afterwards, its links are followed from depth 1: the forms are asked for.
    assert asked == {HOME + "danh-muc-thong-tin-cong-khai": 3, HOME + "bieu-mau-yeu-cau": 2}


def test_a_page_in_flight_named_shallower_is_followed_from_there(tmp_path: Any) -> None:
    spider, state = make_spider(tmp_path)
    deep = spider._request(state, SECTION, kind="section", depth=2, callback=spider.parse_section)
    assert deep is not None
    assert spider._request(state, SECTION, kind="candidate", depth=1, callback=spider.parse_section) is None
    asked = {request.url: request.meta["tctt_depth"] for request in read(spider, deep)}
    assert asked == {HOME + "danh-muc-thong-tin-cong-khai": 2, HOME + "bieu-mau-yeu-cau": 2}
    assert deep.meta["tctt_depth"] == 1  # the page's row records the shallower depth too


def test_either_order_asks_for_the_same_pages(tmp_path: Any) -> None:
    deep_first, state = make_spider(tmp_path)
    request = deep_first._request(state, SECTION, kind="section", depth=2, callback=deep_first.parse_section)
    assert request is not None
    one = set(crawl(deep_first, state, request, (SECTION, 1)))

    shallow_first, state = make_spider(tmp_path)
    request = shallow_first._request(state, SECTION, kind="candidate", depth=1, callback=shallow_first.parse_section)
    assert request is not None
    two = set(crawl(shallow_first, state, request, (SECTION, 2)))
    assert one == two == {HOME + "danh-muc-thong-tin-cong-khai", HOME + "bieu-mau-yeu-cau"}


def test_a_deeper_or_equal_path_changes_nothing(tmp_path: Any) -> None:
    spider, state = make_spider(tmp_path)
    request = spider._request(state, SECTION, kind="candidate", depth=1, callback=spider.parse_section)
    assert request is not None
    read(spider, request)
    assert spider._request(state, SECTION, kind="section", depth=2, callback=spider.parse_section) is None
    assert spider._request(state, SECTION, kind="section", depth=1, callback=spider.parse_section) is None


def test_a_page_named_shallower_while_it_is_being_read_is_followed_from_there(tmp_path: Any) -> None:
    """Another callback runs while this one awaits the page reader: its shallower path must not be lost between
    the depth read when the callback started and the record being known."""
    spider, state = make_spider(tmp_path)
    reader = spider.recorder

    class NamedMeanwhile:
        async def page(self, response: Response, left: float | None) -> dict[str, Any]:
            if response.url == SECTION:  # the sitemap's answer names the page a candidate meanwhile
                assert spider._request(state, SECTION, kind="candidate", depth=1, callback=spider.parse_section) is None
            return await reader.page(response, left)

    spider.recorder = NamedMeanwhile()
    deep = spider._request(state, SECTION, kind="section", depth=2, callback=spider.parse_section)
    assert deep is not None
    asked = {request.url: request.meta["tctt_depth"] for request in read(spider, deep)}
    assert asked == {HOME + "danh-muc-thong-tin-cong-khai": 2, HOME + "bieu-mau-yeu-cau": 2}
