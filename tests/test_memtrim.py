"""crawler.extensions.memtrim: freed heap memory given back during a crawl (glibc)."""

from __future__ import annotations

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.extensions import memtrim


class FakeLibc:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[int, ...]]] = []

    def mallopt(self, param: int, value: int) -> int:
        self.calls.append(("mallopt", (param, value)))
        return 1

    def malloc_trim(self, pad: int) -> int:
        self.calls.append(("malloc_trim", (pad,)))
        return 1


def test_the_threshold_is_fixed_when_the_spider_opens_and_the_heap_trimmed_on_each_tick(monkeypatch):
    libc = FakeLibc()
    monkeypatch.setattr(memtrim, "_glibc", lambda: libc)
    ext = memtrim.MemoryTrim.from_crawler(get_crawler(settings_dict={"TCTT_MALLOC_TRIM_SECONDS": 30,
                                                                     "TCTT_MALLOC_MMAP_THRESHOLD": 65536}))
    ext.opened()
    assert libc.calls == [("mallopt", (memtrim.M_MMAP_THRESHOLD, 65536))]
    assert ext.loop is not None and ext.loop.running
    ext.trim()
    assert libc.calls[-1] == ("malloc_trim", (0,)) and ext.trims == 1
    ext.closed()
    assert not ext.loop.running


def test_off_or_without_glibc_it_is_not_configured(monkeypatch):
    with pytest.raises(NotConfigured):
        memtrim.MemoryTrim.from_crawler(get_crawler(settings_dict={"TCTT_MALLOC_TRIM_SECONDS": 0,
                                                                   "TCTT_MALLOC_MMAP_THRESHOLD": 0}))
    monkeypatch.setattr(memtrim, "_glibc", lambda: None)
    with pytest.raises(NotConfigured):
        memtrim.MemoryTrim.from_crawler(get_crawler())


def test_the_real_library_is_found_here():
    libc = memtrim._glibc()
    assert libc is not None and libc.malloc_trim(0) in (0, 1)
