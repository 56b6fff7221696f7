"""Per-agency progress on the terminal: 'agencies done of total, errors so far'."""

from __future__ import annotations

import sys
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.items import AgencyResultItem


class Progress:
    def __init__(self, stream: Any = None):
        self.stream = stream or sys.stderr
        self.done = 0
        self.not_audited = 0

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
        self.done += 1
        if item["status"] != "audited":
            self.not_audited += 1
        total = len(getattr(spider, "agencies", [])) or "?"
        section = "không tìm thấy chuyên mục / no section"
        if item.get("section_url"):
            section = f"chuyên mục / section {item['section_url']} ({item['section_confidence']:.2f})"
        detail = section if item["status"] == "audited" else item.get("detail") or ""
        print(f"[{self.done}/{total}] {item['agency_id']}: {item['status']} — {detail} "
              f"(chưa kiểm tra được / not audited so far: {self.not_audited})", file=self.stream, flush=True)
