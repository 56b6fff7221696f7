"""Scrapy's crawl statistics kept per run in the store (table ``crawl_stats``), one row per crawl process.

A stats collector (Scrapy's ``STATS_CLASS``) whose ``_persist_stats`` is called once the spider closed, with
the finish reason and time set: requests, responses by status, bytes, retries, errors, archive figures.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from scrapy.statscollectors import MemoryStatsCollector

from core.store import Store, StoreError

log = logging.getLogger(__name__)


class StoreStatsCollector(MemoryStatsCollector):
    # Scrapy 2.19's StatsCollector.__getattribute__ runs on every attribute read of the collector, a
    # method's own ``self._stats`` included, looking up (and failing to find) a cached wrapper first, to
    # warn callers that still pass the deprecated ``spider`` argument. Each request increments a dozen
    # statistics: plain attribute access here (the argument is still accepted, without the warning).
    __getattribute__ = object.__getattribute__

    def _persist_stats(self, stats: dict[str, Any]) -> None:
        super()._persist_stats(stats)
        spider = self._crawler.spider
        run_id = getattr(spider, "run_id", None)
        db_path = getattr(spider, "db_path", None)
        if run_id is None or not db_path:
            return
        shard = getattr(spider, "shard", None)
        started = stats.get("start_time")
        started_at = started.isoformat(timespec="seconds") if isinstance(started, datetime) else None
        # One row per process and session: a resumed run keeps the statistics of each of its sessions.
        process = f"{shard[0]}/{shard[1]}" if shard else "0/1"
        process = f"{process}@{started_at}" if started_at else process
        try:
            store = Store(db_path)
            try:
                store.add_crawl_stats(int(run_id), process, stats, started_at=started_at,
                                      finish_reason=str(stats.get("finish_reason") or ""))
            finally:
                store.close()
        except StoreError as exc:  # the statistics are a report on the crawl, never a reason to fail it
            log.warning("crawl statistics not stored: %s", exc)


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The sum over a run's crawl processes of the figures an operator reads (counts and bytes)."""
    total: dict[str, Any] = {}
    for row in rows:
        for key, value in (row.get("stats") or {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                # Times and peaks overlap between processes running side by side: the largest stands.
                combine = max if ("elapsed" in key or "max" in key) else (lambda a, b: a + b)
                total[key] = combine(total[key], value) if key in total else value
    return dict(sorted(total.items()))
