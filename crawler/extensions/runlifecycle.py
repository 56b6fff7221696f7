"""The run's life in the database: created (or reopened to resume) before the crawl, closed after it.

``open_run`` is called by the spider as it is built (its agencies come from it); the ``RunLifecycle``
extension closes the run when the spider closes: agencies left unfinished are written as interrupted (a
resumed run crawls them again), and the run is marked complete only when the crawl finished on its own.
Off (``TCTT_RUN_LIFECYCLE = False``) for Redis workers, whose coordinator holds the run; each of the K
processes of one run (``-a shard=I/K``) writes its unfinished agencies, and their parent closes the run.
"""

from __future__ import annotations

import json
import logging
import zlib
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured

from core import __version__
from core.registry import Agency, RegistryError, load_registry
from core.store import Store
from crawler.carryover import crawl_profile
from rules import load_ruleset


def _decode_cut(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def parse_shard(value: str) -> tuple[int, int]:
    """'1/4' → (1, 4): the second of four crawl processes."""
    index, _, count = str(value).partition("/")
    try:
        shard = int(index), int(count)
    except ValueError:
        raise NotConfigured(f"shard must be I/K, e.g. 0/2, not {value!r}") from None
    if not 0 <= shard[0] < shard[1]:
        raise NotConfigured(f"shard must be I/K with 0 <= I < K, not {value!r}")
    return shard


def shard_of(url: str, count: int) -> int:
    """The crawl process that takes an agency: by host name, so that agencies sharing a server stay in one
    process and Scrapy's per-host concurrency limit keeps holding across processes."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return zlib.crc32(host.encode()) % count


def create_run(store: Store, agencies: list[Agency], registry: str, allow_private: bool, settings: Any,
               **options: Any) -> int:
    """A new run and its registry snapshot, with the options that shape its evidence (budgets, robots)."""
    ruleset = load_ruleset()
    return store.create_run(
        ruleset=ruleset.id, ruleset_version=ruleset.version, tool_version=__version__, registry=registry,
        audit_date=date.today().isoformat(),
        options={"allow_private": allow_private, "robots_txt_obeyed": settings.getbool("ROBOTSTXT_OBEY"),
                 "budgets": {"pages": settings.getint("TCTT_MAX_PAGES_PER_AGENCY"),
                             "bytes": settings.getint("TCTT_MAX_BYTES_PER_AGENCY"),
                             "seconds": settings.getfloat("TCTT_MAX_SECONDS_PER_AGENCY"),
                             "depth": settings.getint("TCTT_SECTION_DEPTH")},
                 "crawl_profile": crawl_profile(settings), **options},
        agencies=[a.as_row() for a in agencies])


def open_run(db_path: str, *, registry: str | None, run_id: str | None, shard: tuple[int, int] | None,
             allow_private: bool, settings: Any, logger: logging.Logger | logging.LoggerAdapter[Any]
             ) -> tuple[int, list[Agency], dict[str, list[dict[str, Any]]]]:
    """(run id, agencies to crawl, pages already stored per agency): a new run from the registry, or the
    run ``run_id`` resumed (its agencies not done, in this process's shard)."""
    store = Store(db_path)
    try:
        if not run_id:
            try:
                agencies = load_registry(registry, allow_private=allow_private)
            except RegistryError as exc:
                raise NotConfigured(str(exc)) from exc
            return create_run(store, agencies, str(registry), allow_private, settings), agencies, {}
        run = store.run(int(run_id))
        rows = store.agencies(run["id"])
        results = store.agency_results(run["id"])
        # Resume: an agency whose result was written by the crawl itself is done; one closed by an
        # interrupted crawl (cut.interrupted) or never closed (SIGKILL) is crawled again, replaying
        # the pages already stored instead of fetching them.
        done = {aid for aid, r in results.items() if not (_decode_cut(r.get("cut")) or {}).get("interrupted")}
        agencies = [Agency(**{k: r[k] or "" for k in Agency.__dataclass_fields__ if k != "line"},
                           line=r["line"] or 0) for r in rows if r["id"] not in done]
        if shard is not None:
            agencies = [a for a in agencies if shard_of(a.url, shard[1]) == shard[0]]
        resumed = {a.id: [p for p in store.pages(run["id"], a.id) if p.get("status") is not None] for a in agencies}
        store.reopen_run(run["id"])
        logger.info("Resuming run %s: %s agencies done, %s to go, %s pages stored", run["id"],
                    len(done), len(agencies), sum(map(len, resumed.values())))
        return int(run["id"]), agencies, resumed
    finally:
        store.close()


def close_run(db_path: str, run_id: int, results: Any, reason: str, *, finish: bool) -> None:
    """Write the unfinished agencies' ``results`` and, when ``finish``, the run's end."""
    store = Store(db_path)
    try:
        for item in results:
            values = dict(item)
            agency_id, candidates = values.pop("agency_id"), values.pop("candidates", [])
            store.add_candidates(run_id, agency_id, candidates)
            store.set_agency_result(run_id, agency_id, **values)
        if finish:
            store.finish_run(run_id, "complete" if reason == "finished" else "incomplete")
    finally:
        store.close()


class RunLifecycle:
    """Extension: closes the spider's run in the store when the spider closes."""

    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunLifecycle:
        if not crawler.settings.getbool("TCTT_RUN_LIFECYCLE", True):
            raise NotConfigured("TCTT_RUN_LIFECYCLE is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Any, reason: str) -> None:
        run_id, db_path = getattr(spider, "run_id", None), getattr(spider, "db_path", None)
        if run_id is None or not db_path or not hasattr(spider, "unfinished_results"):
            return
        close_run(db_path, int(run_id), spider.unfinished_results(reason), reason,
                  finish=getattr(spider, "shard", None) is None)
