"""Write evidence to the store as it arrives: a crash loses at most the page in flight."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from core.store import Store
from crawler.items import AgencyResultItem, PageItem


class StorePipeline:
    def __init__(self, crawler: Any, db_path: str):
        self.crawler = crawler
        self.db_path = db_path
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        db_path = crawler.settings.get("TCTT_DB")
        if not db_path:
            raise NotConfigured("TCTT_DB is not set")
        return cls(crawler, db_path)

    def open_spider(self) -> None:
        self.store = Store(getattr(self.crawler.spider, "db_path", None) or self.db_path)

    def close_spider(self) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: Any) -> Any:
        assert self.store is not None
        run_id = self.crawler.spider.run_id
        # A shallow copy: asdict() copies every nested list and dict (links, tables), a visible share of
        # the crawl's profile, and the store only serialises them.
        data = dict(ItemAdapter(item).items())
        if isinstance(item, PageItem):
            self.store.add_page({"run_id": run_id, **data})
        elif isinstance(item, AgencyResultItem):
            candidates = data.pop("candidates", None) or []
            agency_id = data.pop("agency_id")
            if data.get("carried"):  # an unchanged agency: its evidence copied in SQL from the earlier run
                self.store.carry_agency(run_id, agency_id, data["carried"]["from_run"], data)
                return item
            self.store.add_candidates(run_id, agency_id, candidates)
            self.store.set_agency_result(run_id, agency_id, **data)
        return item
