"""A diagnostic Scrapy extension for the memory benchmark: where a crawl process's Python heap goes.

Enabled by ``bench/audit_bench.py --tracemalloc`` (``EXTENSIONS`` plus ``TCTT_MEMTRACE_DIR``): each crawl
process starts tracemalloc when its spider opens and, every ``TCTT_MEMTRACE_EVERY`` seconds and when the
spider closes, writes to ``DIR/memtrace-PID.json`` the traced heap (current and peak), the 25 largest
allocation sites by file:line, and the sizes of the crawl's bounded memos and per-agency state. tracemalloc
slows the process down (about 1.5× here): wall times of a traced run are not figures. With
``TCTT_MEMTRACE_TRACEMALLOC`` off (``--memstats``) only the sizes, RSS and malloc figures are written,
at no measurable cost.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
import time
import tracemalloc
from contextlib import suppress
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


def _lru(module: str, name: str) -> dict[str, int] | None:
    function = getattr(sys.modules.get(module), name, None)
    info = getattr(function, "cache_info", None)
    if info is None:
        return None
    got = info()
    return {"entries": got.currsize, "max": got.maxsize or 0, "hits": got.hits, "misses": got.misses}


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def process_memory() -> dict[str, float]:
    """RSS as the kernel counts it (anonymous and file-backed), and glibc malloc's view: bytes in use,
    bytes free inside its heaps (fragmentation) and mapped directly."""
    out: dict[str, float] = {}
    with suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile"):
                out[name] = round(int(value.split()[0]) / 1024, 1)
    with suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
        out.update({"malloc_in_use": round(info.uordblks / 2**20, 1), "malloc_free": round(info.fordblks / 2**20, 1),
                    "malloc_mmapped": round(info.hblkhd / 2**20, 1)})
    return out


def memo_sizes(spider: Any) -> dict[str, Any]:
    """The bounded memos and the per-agency state this process holds now."""
    out: dict[str, Any] = {"lru": {f"{m}.{n}": _lru(m, n) for m, n in (
        ("core.vntext", "_fold_cached"), ("core.vntext", "_word_verdict_cached"), ("crawler.urls", "_canonical_cached"),
        ("crawler.scope", "same_site"), ("crawler.scope", "_names_part"))}}
    states = getattr(spider, "states", {}) or {}
    out["agency_states"] = len(states)
    out["agency_states_finished"] = sum(1 for s in states.values() if getattr(s, "finished", False))
    out["unfinished"] = len(getattr(spider, "unfinished", ()) or ())
    recorder = getattr(spider, "recorder", None)
    shared = getattr(recorder, "shared_extractions", None)
    if shared is not None:
        out["docmemo"] = {"entries": len(shared._done), "mb": round(shared.bytes / 2**20, 1), "hits": shared.hits}
    return out


class MemTrace:
    def __init__(self, crawler: Any, folder: Path, every: float):
        self.crawler = crawler
        self.path = folder / f"memtrace-{os.getpid()}.json"
        self.every = every
        self.started = time.monotonic()
        self.samples: list[dict[str, Any]] = []
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> MemTrace:
        folder = crawler.settings.get("TCTT_MEMTRACE_DIR")
        if not folder:
            raise NotConfigured("TCTT_MEMTRACE_DIR is not set")
        ext = cls(crawler, Path(folder), crawler.settings.getfloat("TCTT_MEMTRACE_EVERY", 60.0))
        ext.traced = crawler.settings.getbool("TCTT_MEMTRACE_TRACEMALLOC", True)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.scraped, signal=signals.item_scraped)
        return ext

    agencies_done = 0

    def scraped(self, item: Any) -> None:
        if type(item).__name__ == "AgencyResultItem":
            self.agencies_done += 1

    traced = True

    def opened(self, spider: Any) -> None:
        if self.traced:
            tracemalloc.start(1)
        self.loop = task.LoopingCall(self.write, spider)
        self.loop.start(self.every, now=False)

    def closed(self, spider: Any) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.write(spider, final=True)

    def write(self, spider: Any, final: bool = False) -> None:
        current, peak = tracemalloc.get_traced_memory()
        sample = {"t": round(time.monotonic() - self.started, 1), "traced_mb": round(current / 2**20, 1),
                  "traced_peak_mb": round(peak / 2**20, 1), "memory_mb": process_memory(),
                  "memos": memo_sizes(spider)}
        stats = self.crawler.stats.get_stats()
        sample["pages"] = stats.get("response_received_count", 0)
        sample["agencies_done"] = self.agencies_done
        if self.traced and (final or len(self.samples) % 5 == 0):
            top = tracemalloc.take_snapshot().statistics("lineno")[:25]
            sample["top"] = [{"where": f"{s.traceback[0].filename.rsplit('/', 2)[-2:]!s}:{s.traceback[0].lineno}",
                              "mb": round(s.size / 2**20, 2), "count": s.count} for s in top]
        self.samples.append(sample)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps({"pid": os.getpid(), "samples": self.samples}, indent=1), encoding="utf-8")
