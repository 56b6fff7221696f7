"""crawler.extensions.runlifecycle: the run closed in the store when the spider closes, tested on its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from core.registry import Agency
from core.store import Store
from crawler.extensions.runlifecycle import RunLifecycle, create_run, open_run, parse_shard
from crawler.items import AgencyResultItem


def agency(n: int) -> Agency:
    return Agency(id=f"a{n}", name=f"Sở {n}", url=f"http://so{n}.tinh.gov.vn/", level="so", parent="",
                  province="", email="", section_url="", line=n + 1)


class FakeSpider(Spider):
    name = "fake"

    def __init__(self, db: str, run_id: int, shard: tuple[int, int] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.db_path, self.run_id, self.shard = db, run_id, shard

    def unfinished_results(self, reason: str) -> list[AgencyResultItem]:
        return [AgencyResultItem(agency_id="a1", status="error", detail=f"crawl stopped: {reason}", http_status=None,
                                 final_url=None, section_url=None, section_confidence=None, pages=0,
                                 started_at="2026-12-01T00:00:00", finished_at="2026-12-01T00:01:00",
                                 candidates=[], cut={"interrupted": True})]


@pytest.fixture
def run(tmp_path: Path) -> tuple[str, int]:
    db = str(tmp_path / "t.db")
    store = Store(db)
    try:
        crawler = get_crawler()
        run_id = create_run(store, [agency(1), agency(2)], "r.csv", False, crawler.settings)
    finally:
        store.close()
    return db, run_id


def close(db: str, run_id: int, reason: str, shard: tuple[int, int] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    crawler = get_crawler(FakeSpider)
    extension = RunLifecycle.from_crawler(crawler)
    extension.spider_closed(FakeSpider(db, run_id, shard), reason)
    store = Store(db)
    try:
        return store.run(run_id), store.agency_results(run_id)
    finally:
        store.close()


def test_an_interrupted_crawl_leaves_the_run_incomplete(run: tuple[str, int]) -> None:
    row, results = close(*run, "shutdown")
    assert row["status"] == "incomplete"
    assert results["a1"]["status"] == "error" and "crawl stopped: shutdown" in results["a1"]["detail"]


def test_a_finished_crawl_completes_the_run(run: tuple[str, int]) -> None:
    row, _ = close(*run, "finished")
    assert row["status"] == "complete"


def test_a_shard_writes_its_agencies_but_leaves_the_run_to_its_parent(run: tuple[str, int]) -> None:
    row, results = close(*run, "finished", shard=(0, 2))
    assert row["status"] not in ("complete", "incomplete") and "a1" in results


def test_resuming_crawls_the_interrupted_agencies_again(run: tuple[str, int]) -> None:
    db, run_id = run
    close(db, run_id, "shutdown")
    crawler = get_crawler()
    resumed_id, agencies, pages = open_run(db, registry=None, run_id=str(run_id), shard=None, allow_private=False,
                                           settings=crawler.settings, logger=FakeSpider(db, run_id).logger)
    assert resumed_id == run_id and {a.id for a in agencies} == {"a1", "a2"} and pages == {"a1": [], "a2": []}


def test_off_for_redis_workers() -> None:
    with pytest.raises(NotConfigured):
        RunLifecycle.from_crawler(get_crawler(settings_dict={"TCTT_RUN_LIFECYCLE": False}))


def test_shards_are_checked() -> None:
    assert parse_shard("1/4") == (1, 4)
    with pytest.raises(NotConfigured):
        parse_shard("4/4")
