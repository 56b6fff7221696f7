"""``tctt discover``'s work: run the discovery spider from a parent portal and write the proposed registry."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import units
from core.tables import write_table
from crawler.proposal import COLUMNS, Portal, build_proposal
from crawler.subportals import portal_key


@dataclass
class Discovery:
    rows: list[dict[str, Any]]
    portals_checked: int
    root_status: str      # ok | dead (the parent itself did not answer)
    root_detail: str


def discover(start_url: str, out: str | Path, *, depth: int = 1, province: units.Unit | None = None,
             allow_private: bool = False, settings: dict[str, Any] | None = None,
             log_level: str = "WARNING") -> Discovery:
    """Crawl from ``start_url`` (Twisted's reactor: once per process) and write the proposal to ``out``."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.spiders.discover import DiscoverSpider

    scrapy_settings = Settings()
    scrapy_settings.setmodule("crawler.settings", priority="project")
    scrapy_settings.set("TCTT_ALLOW_PRIVATE", allow_private, priority="cmdline")
    scrapy_settings.set("LOG_LEVEL", log_level, priority="cmdline")
    for name, value in (settings or {}).items():
        scrapy_settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(scrapy_settings)
    logging.getLogger("scrapy").setLevel(log_level)
    if logging.getLevelName(log_level) >= logging.WARNING:
        for name in ("scrapy.downloadermiddlewares.robotstxt", "scrapy.downloadermiddlewares.retry",
                     "scrapy.core.scraper"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    crawler = process.create_crawler(DiscoverSpider)
    process.crawl(crawler, start_url=start_url, depth=depth)
    process.start()
    spider = crawler.spider
    portals = {key: Portal(f.url, f.status, f.final_url, f.redirects, f.title, f.error)
               for key, f in spider.fetches.items()}
    root = portals.get(portal_key(start_url))
    rows = build_proposal(start_url, root, portals, [(o.parent, o.link) for o in spider.observations],
                          province=province)
    write_table(out, COLUMNS, rows)
    if root is None or root.error or (root.status or 0) >= 400 or root.status is None:
        detail = (root.error if root else "") or f"HTTP {root.status if root else '—'}"
        return Discovery(rows, len(portals) - 1, "dead", detail)
    return Discovery(rows, len(portals) - 1, "ok", "")
