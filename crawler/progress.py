"""Progress on the terminal, one line per agency finished: agencies done of total, the rate, the time left.

    [12/480 2%] so-y-te: audited — chuyên mục / section http://… (0.92) · 14.2 cơ quan/phút / agencies/min,
    còn / left ~33 phút/min (chưa kiểm tra được / not audited so far: 1)

One crawl process prints them itself (the ``Progress`` extension). With ``--processes K`` the crawl
processes print nothing and the parent prints the same lines for the whole run (``watch_run``), from the
results the processes write to the store.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.items import AgencyResultItem


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} giây/s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} phút/min"
    return f"{seconds / 3600:.1f} giờ/h"


class ProgressLine:
    """Counts agencies as they finish and words the line: done of total, rate, estimated time left."""

    def __init__(self, total: int | None, clock: Callable[[], float] = time.monotonic):
        self.total = total
        self.clock = clock
        self.started = clock()
        self.done = 0
        self.not_audited = 0

    def add(self, agency_id: str, status: str, detail: str) -> str:
        self.done += 1
        if status != "audited":
            self.not_audited += 1
        elapsed = max(self.clock() - self.started, 1e-6)
        rate = self.done / elapsed * 60
        counted = f"{self.done}/{self.total or '?'}"
        if self.total:
            counted += f" {100 * self.done // self.total}%"
        pace = f"{rate:.1f} cơ quan/phút / agencies/min"
        if self.total and self.done < self.total:
            pace += f", còn / left ~{_duration((self.total - self.done) / rate * 60)}"
        return (f"[{counted}] {agency_id}: {status} — {detail} · {pace} "
                f"(chưa kiểm tra được / not audited so far: {self.not_audited})")


def _detail(status: str, section_url: str | None, confidence: float | None, detail: str | None) -> str:
    if status != "audited":
        return detail or ""
    if section_url:
        return f"chuyên mục / section {section_url} ({confidence or 0:.2f})"
    return "không tìm thấy chuyên mục / no section"


class Progress:
    def __init__(self, stream: Any = None):
        self.stream = stream or sys.stderr
        self.line: ProgressLine | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        if not crawler.settings.getbool("TCTT_PROGRESS"):
            raise NotConfigured
        extension = cls()
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def item_scraped(self, item: Any, spider: Any) -> None:
        if not isinstance(item, AgencyResultItem):
            return
        if self.line is None:
            self.line = ProgressLine(len(getattr(spider, "agencies", [])) or None)
        detail = _detail(item["status"], item.get("section_url"), item.get("section_confidence"), item.get("detail"))
        print(self.line.add(item["agency_id"], item["status"], detail), file=self.stream, flush=True)


def watch_run(db: str, run_id: int, stop: threading.Event, *, stream: Any = None, interval: float = 1.0) -> None:
    """Print the progress lines of a run crawled by several processes, from the store, until ``stop``."""
    from core.store import Store, now_iso

    stream = stream or sys.stderr
    since = now_iso()
    store = Store(db)
    try:
        run = store.run(run_id)
        done_before = {aid for aid, r in store.agency_results(run_id).items()
                       if not (isinstance(r.get("cut"), dict) and r["cut"].get("interrupted"))}
        line = ProgressLine(max(0, int(run.get("agencies_total") or 0) - len(done_before)) or None)
        seen: set[str] = set(done_before)
        while True:
            stopping = stop.wait(interval)
            rows = store.db.query(
                "select agency_id, status, detail, section_url, section_confidence from agency_results "
                "where run_id = ? and finished_at >= ? order by finished_at, rowid", [run_id, since])
            for row in rows:
                if row["agency_id"] in seen:
                    continue
                seen.add(row["agency_id"])
                detail = _detail(row["status"], row["section_url"], row["section_confidence"], row["detail"])
                print(line.add(row["agency_id"], row["status"], detail), file=stream, flush=True)
            if stopping:
                return
    finally:
        store.close()
