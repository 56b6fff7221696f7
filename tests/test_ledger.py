"""crawler.ledger: the per-agency bookkeeping of a crawl, in this process (LocalLedger) or shared through
Redis (RedisLedger, on an in-memory stand-in for the few Redis commands it uses)."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from typing import Any

from scrapy.http import HtmlResponse, Request

from core.registry import Agency
from crawler import cluster, redisjson
from crawler.agencystate import AgencyState
from crawler.cluster import KeyedPageItem, Settled, Shared
from crawler.items import PageItem
from crawler.ledger import AgencyLedger
from crawler.ledger.local import LocalLedger
from crawler.ledger.redis import RedisLedger

AGENCY = Agency(id="a1", name="Sở 1", url="http://so1.tinh.gov.vn/", level="so", parent="", province="", email="",
                section_url="", line=2)


def redirected(body: bytes = b"<html><body>x</body></html>") -> HtmlResponse:
    """A page asked for at /cu, redirected from /cu to /moi."""
    request = Request("http://so1.tinh.gov.vn/moi", meta={"agency_id": "a1",
                                                          "redirect_urls": ["http://so1.tinh.gov.vn/cu"]})
    return HtmlResponse("http://so1.tinh.gov.vn/moi#top", body=body, request=request)


# -- LocalLedger ----------------------------------------------------------------------------------
class FakeSpider:
    def __init__(self) -> None:
        self.states: dict[str, AgencyState] = {}
        self.results: list[str] = []

    def result_item(self, state: AgencyState) -> dict[str, Any]:
        state.finished = True
        self.results.append(state.agency.id)
        return {"agency_id": state.agency.id}


def local() -> tuple[LocalLedger, AgencyState]:
    spider = FakeSpider()
    state = spider.states["a1"] = AgencyState(agency=AGENCY, started_at="2026-12-01T00:00:00", budget=3)
    return LocalLedger(spider), state


def test_local_ledger_is_an_agency_ledger() -> None:
    ledger: AgencyLedger = local()[0]
    assert ledger.state({"agency_id": "a1"}).agency is AGENCY


def test_local_claims_a_page_once_and_asks_the_spider_for_cuts() -> None:
    ledger, state = local()
    assert ledger.claim(state, "http://so1.tinh.gov.vn/a") is True
    assert ledger.claim(state, "http://so1.tinh.gov.vn/a") is False
    assert ledger.cut(state, "u", None, lambda: None) is None
    assert ledger.cut(state, "u", None, lambda: ("traps", "calendar")) == ("traps", "calendar")


def test_local_indexes_a_page_under_every_url_and_counts_its_bytes() -> None:
    ledger, state = local()
    response, record = redirected(), {"title": "x"}
    ledger.remember(state, response, record)
    assert set(state.pages) == {"http://so1.tinh.gov.vn/cu", "http://so1.tinh.gov.vn/moi"}
    item = PageItem(url=response.url)
    assert ledger.page_item(state, response, item) is item
    assert state.bytes_used == len(response.body)


def test_local_settles_an_agency_once_nothing_is_in_flight() -> None:
    ledger, state = local()
    state.pending = 1
    ledger.claim(state, "k")
    assert list(ledger.settle(state)) == []
    state.pending = 0
    assert list(ledger.settle(state)) == [{"agency_id": "a1"}]
    assert state.seen == set() and state.pages == {}  # the evidence is in the store, not kept in memory
    assert ledger.spider.states == {}  # nor the agency's state: a finished agency is asked nothing more
    assert list(ledger.settle(state)) == []  # finished: never twice


# -- RedisLedger ----------------------------------------------------------------------------------
class FakeRedis:
    """The hash and set commands the ledger uses, and the budget script run in Python."""

    def __init__(self) -> None:
        self.hashes: dict[str, dict[str, int | bytes]] = defaultdict(dict)
        self.sets: dict[str, set[str]] = defaultdict(set)

    def hget(self, key: str, field: str) -> Any:
        return self.hashes[key].get(field)

    def hgetall(self, key: str) -> dict[bytes, bytes]:
        return {}

    def hincrby(self, key: str, field: str, n: int) -> int:
        self.hashes[key][field] = int(self.hashes[key].get(field, 0)) + n
        return int(self.hashes[key][field])

    def sadd(self, key: str, value: str) -> int:
        fresh = value not in self.sets[key]
        self.sets[key].add(value)
        return int(fresh)

    def register_script(self, script: str) -> Any:
        if script != cluster._SPEND:
            return lambda keys, args: None

        def spend(keys: list[str], args: list[Any]) -> list[int]:
            n = self.hincrby(keys[0], "spent", 1)
            bytes_read = int(self.hashes[keys[0]].get("bytes", 0))
            if args[0] == "1" and n > int(args[1]):
                self.hincrby(keys[0], "spent", -1)
                return [0, bytes_read]
            return [1, bytes_read]
        return spend


class FakeDupeFilter:
    def __init__(self, server: FakeRedis):
        self.server, self.key = server, "df"

    def claim(self, agency_id: str, gen: int, key: str) -> bool:
        return bool(self.server.sadd(self.key, cluster.AgencyDupeFilter.fingerprint(agency_id, gen, key)))


def redis_ledger(max_pages: int = 2) -> tuple[RedisLedger, FakeRedis]:
    server = FakeRedis()
    shared = Shared(server, 7)
    ledger = RedisLedger(shared, FakeDupeFilter(server), max_pages)  # type: ignore[arg-type]
    ledger.registry["a1"] = AGENCY
    return ledger, server


def test_redis_ledger_is_an_agency_ledger_and_claims_per_generation() -> None:
    ledger: AgencyLedger = redis_ledger()[0]
    state = ledger.state({"agency_id": "a1", "tctt_gen": 1})
    assert ledger.claim(state, "k") is True and ledger.claim(state, "k") is False
    again = ledger.state({"agency_id": "a1", "tctt_gen": 2})  # seeded again: a fresh generation
    assert again is not state and ledger.claim(again, "k") is True


def test_redis_budget_is_taken_from_redis_and_given_back_when_another_limit_cuts() -> None:
    ledger, server = redis_ledger(max_pages=2)
    state = ledger.view("a1", 1)
    base = ledger.shared.keys.agency("a1", 1)
    assert ledger.cut(state, "u1", None, lambda: ("traps", "calendar")) == ("traps", "calendar")
    assert server.hashes[base]["spent"] == 0  # given back
    assert ledger.cut(state, "u1", None, lambda: None) is None
    server.hashes[base]["bytes"] = 1234  # read by another worker: the byte count comes with the page budget
    assert ledger.cut(state, "u2", None, lambda: None) is None
    assert state.bytes_used == 1234
    called = []
    assert ledger.cut(state, "u3", None, lambda: called.append(1)) == ("pages", "page budget of 2 spent")
    assert called == []  # the shared budget decides before the spider's own limits


def test_redis_request_carries_what_another_worker_needs() -> None:
    ledger, server = redis_ledger()
    state = ledger.view("a1", 3)
    state.final_url, state.deadline = "http://so1.tinh.gov.vn/trang-chu", time.monotonic() + 60
    request = Request(AGENCY.url, meta={"agency_id": "a1"})
    ledger.requested(state, request, "home", "http://so1.tinh.gov.vn/")
    base = ledger.shared.keys.agency("a1", 3)
    assert server.hashes[base] == {"spent": 1}  # the home page counts, though never cut
    # Counted outstanding by the scheduler in the round trip that queues it (crawler.cluster.SharedScheduler).
    assert request.meta[cluster.COUNT_MARK] == base
    assert request.meta["tctt_gen"] == 3 and request.meta["tctt_key"] == "http://so1.tinh.gov.vn/"
    assert 50 < request.meta["tctt_deadline"] - time.time() <= 60
    # Another worker's view, brought up to date from the request.
    other, _ = redis_ledger()
    view = other.state(request.meta)
    assert view.gen == 3 and view.final_url == state.final_url
    assert view.deadline is not None and 50 < view.deadline - time.monotonic() <= 60


def test_redis_items_carry_generation_and_keys_and_settle_publishes_home_once() -> None:
    ledger, server = redis_ledger()
    state = ledger.view("a1", 2)
    response = redirected()
    item = ledger.page_item(state, response, PageItem(url=response.url))
    assert isinstance(item, KeyedPageItem) and item["gen"] == 2
    assert item["keys"] == ["http://so1.tinh.gov.vn/cu", "http://so1.tinh.gov.vn/moi"]
    assert state.bytes_used == len(response.body) == server.hashes[ledger.shared.keys.agency("a1", 2)]["bytes"]
    assert ledger.failed_item(state, PageItem(url="u"))["keys"] == []
    state.home_status = 200
    first, second = list(ledger.settle(state)), list(ledger.settle(state))
    assert first == [Settled(agency_id="a1", gen=2, home={"http_status": 200, "final_url": None, "failure": None})]
    assert second == [Settled(agency_id="a1", gen=2, home=None)]


def test_a_new_request_is_counted_outstanding_where_it_is_queued_and_its_copies_are_not() -> None:
    """The scheduler counts a marked request in the pipeline that pushes it (count first), and a redirect or
    retry — a copy of a request already counted — carries no mark and is pushed alone."""
    calls: list[tuple[Any, ...]] = []

    class Pipe:
        def __enter__(self) -> Pipe:
            return self

        def __exit__(self, *exc: Any) -> None:
            pass

        def hincrby(self, key: str, field: str, n: int) -> None:
            calls.append(("hincrby", key, field, n))

        def lpush(self, key: str, data: str) -> None:
            calls.append(("lpush", key, json.loads(data)["url"]))

        def execute(self) -> None:
            calls.append(("execute",))

    class Queue:
        key = "q"
        serializer = redisjson  # the worker's SCHEDULER_SERIALIZER

        def push(self, request: Request) -> None:
            calls.append(("push", request.url))

    scheduler = cluster.SharedScheduler.__new__(cluster.SharedScheduler)
    server = type("Server", (), {"pipeline": lambda self, transaction: Pipe()})()
    scheduler.server, scheduler.queue, scheduler.stats, scheduler.spider = server, Queue(), None, None
    request = Request("http://so1.tinh.gov.vn/a", dont_filter=True,
                      meta={cluster.COUNT_MARK: "tctt:7:a:a1:1", "agency_id": "a1"})
    assert scheduler.enqueue_request(request)
    assert calls == [("hincrby", "tctt:7:a:a1:1", "outstanding", 1), ("lpush", "q", "http://so1.tinh.gov.vn/a"),
                     ("execute",)]
    assert cluster.COUNT_MARK not in request.meta  # not in the queued JSON either: its copies are not counted
    calls.clear()
    assert scheduler.enqueue_request(request.replace(url="http://so1.tinh.gov.vn/b"))
    assert calls == [("push", "http://so1.tinh.gov.vn/b")]
