"""Give freed heap memory back to the system during a long crawl (glibc only).

Measured in a crawl process (``bench/audit_bench.py --tracemalloc``): the Python objects it holds stay
under ~30 MB, but its resident memory grew in steps of ~15 MB as big bodies (documents, pages of a
hundred kilobytes) passed through. glibc raises its threshold for serving an allocation with its own
mapping each time such a block is freed, so later big blocks come from the heap, and the heap's free
space (up to 25 MB per process at 500 portals) stays resident. This extension

- fixes that threshold (``TCTT_MALLOC_MMAP_THRESHOLD``, 128 KiB): a bigger block gets its own mapping,
  returned to the system when freed;
- calls ``malloc_trim(0)`` every ``TCTT_MALLOC_TRIM_SECONDS`` (30 s; 0: never), which releases the free
  pages inside the heap.

Neither changes what the crawl does. Not configured where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # mallopt parameter (malloc.h)


def _glibc() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    except (OSError, AttributeError):
        return None
    return libc


class MemoryTrim:
    def __init__(self, libc: Any, seconds: float, threshold: int):
        self.libc = libc
        self.seconds = seconds
        self.threshold = threshold
        self.loop: task.LoopingCall | None = None
        self.trims = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> MemoryTrim:
        settings = crawler.settings
        seconds = settings.getfloat("TCTT_MALLOC_TRIM_SECONDS", 30.0)
        threshold = settings.getint("TCTT_MALLOC_MMAP_THRESHOLD", 128 * 1024)
        if seconds <= 0 and threshold <= 0:
            raise NotConfigured("TCTT_MALLOC_TRIM_SECONDS and TCTT_MALLOC_MMAP_THRESHOLD are off")
        libc = _glibc()
        if libc is None:
            raise NotConfigured("not glibc: no malloc_trim")
        ext = cls(libc, seconds, threshold)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Any = None) -> None:
        if self.threshold > 0 and not self.libc.mallopt(M_MMAP_THRESHOLD, self.threshold):
            logger.debug("mallopt(M_MMAP_THRESHOLD, %d) refused", self.threshold)
        if self.seconds > 0:
            self.loop = task.LoopingCall(self.trim)
            self.loop.start(self.seconds, now=False)

    def trim(self) -> None:
        self.libc.malloc_trim(0)
        self.trims += 1

    def closed(self, spider: Any = None) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
