"""One crawl process: Scrapy's settings for a crawl, the portal spider in this process's reactor, and the
target of each process of ``tctt crawl --processes K``.

Kept apart from ``tctt.stages`` so that a spawned crawl process imports only the crawler: the stages'
scoring and reports (auditors, rules, Jinja templates) cost each process a quarter of a second of CPU at
start, before its first request.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

# Settings of every crawl run here, not in crawler/settings.py (the ``scrapy`` command line's project):
# the spider class is given to the crawler, so Scrapy's spider loader need not import every spider module
# (the Redis spider and its client among them) in each process.
_RUN_SETTINGS = {"SPIDER_MODULES": [], "LOG_INSTALL_ROOT_HANDLER": True}


def scrapy_settings(db: str | Path, *, allow_private: bool, progress: bool, settings: dict[str, Any],
                    log_level: str) -> Any:
    from scrapy.settings import Settings

    scrapy_settings = Settings()
    scrapy_settings.setmodule("crawler.settings", priority="project")
    scrapy_settings.set("TCTT_DB", str(db), priority="cmdline")
    scrapy_settings.set("TCTT_ALLOW_PRIVATE", allow_private, priority="cmdline")
    scrapy_settings.set("TCTT_PROGRESS", progress, priority="cmdline")
    scrapy_settings.set("LOG_LEVEL", log_level, priority="cmdline")
    for name, value in settings.items():
        scrapy_settings.set(name, value, priority="cmdline")
    for name, value in _RUN_SETTINGS.items():
        scrapy_settings.set(name, value, priority="cmdline")
    return scrapy_settings


def run_spider(db: str | Path, spider_args: dict[str, str], *, allow_private: bool, progress: bool,
               settings: dict[str, Any], log_level: str) -> tuple[int, str]:
    """The portal spider in this process's reactor: (run id, Scrapy's finish reason)."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.portal import PortalSpider

    process = CrawlerProcess(scrapy_settings(db, allow_private=allow_private, progress=progress,
                                             settings=settings, log_level=log_level))
    logging.getLogger("scrapy").setLevel(log_level)
    if logging.getLevelName(log_level) >= logging.WARNING:
        # Dead portals and failed robots.txt fetches are recorded as evidence and shown by the
        # progress lines; their tracebacks would only bury that on the terminal.
        for name in ("scrapy.downloadermiddlewares.robotstxt", "scrapy.downloadermiddlewares.retry",
                     "scrapy.core.scraper"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    crawler = process.create_crawler(PortalSpider)
    process.crawl(crawler, **spider_args)
    process.start()
    spider = crawler.spider
    if spider is None or not hasattr(spider, "run_id"):
        raise RuntimeError("the crawl did not start (see the log above)")
    return spider.run_id, str(crawler.stats.get_value("finish_reason") or "")


def crawl_shard(db: str, orders: Any, shard: str) -> None:
    """One crawl process of a ``processes`` > 1 crawl (a multiprocessing target). It imports the crawler
    while the parent creates the run, then reads ``(run id, run_spider's keyword arguments)`` from
    ``orders`` (a pipe's end); the end of the pipe instead means no run (its creation failed). Exits 0 when
    its crawl finished on its own."""
    import sys

    import scrapy.crawler  # noqa: F401 - imported while the parent creates the run

    import crawler.spiders.portal  # noqa: F401

    try:
        run_id, kwargs = orders.recv()
    except (EOFError, OSError, KeyboardInterrupt):
        sys.exit(0)
    finally:
        orders.close()
    _, reason = run_spider(db, {"run_id": str(run_id), "shard": shard}, **kwargs)
    sys.exit(0 if reason == "finished" else 4)
