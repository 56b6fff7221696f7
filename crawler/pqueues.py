"""Scrapy's DownloaderAwarePriorityQueue, without its scan of every waiting host per request.

Each ``pop`` of Scrapy's queue asks the downloader how busy every host with a waiting request is and
keeps the least busy (round-robin by host name among equals), and ``len`` sums every host's queue. A
country audit starts with one home page per portal waiting, so both were linear in the number of portals
per request: 5% of the main thread at 200 portals, quadratic over a crawl of 5,000.

This class picks the same host by the same rule from a sorted list of the waiting hosts: a host with no
request in the downloader has the fewest (none), and few hosts are busy at a time (``CONCURRENT_REQUESTS``
bounds them), so the pick skips at most those. When every waiting host is busy it falls back to
Scrapy's own comparison over them. ``len`` is a counter.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from itertools import chain
from typing import Any

from scrapy.http import Request
from scrapy.pqueues import DownloaderAwarePriorityQueue


class FairHostPriorityQueue(DownloaderAwarePriorityQueue):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._hosts: list[str] = sorted(self.pqueues)  # hosts with a waiting request, sorted
        self._count = sum(len(queue) for queue in self.pqueues.values())

    def _pick(self, *, update_state: bool) -> str | None:
        hosts = self._hosts
        if not hosts:
            return None
        slots = self._downloader_interface.downloader.slots
        last = self._last_selected_slot
        start = bisect_right(hosts, last) if last is not None else 0
        # The first idle host after the last one chosen, wrapping around: Scrapy's choice among the hosts
        # with no active download, when there is one. Only busy hosts are skipped on the way.
        for index in chain(range(start, len(hosts)), range(0, start)):
            host = hosts[index]
            slot = slots.get(host)
            if slot is None or not slot.active:
                if update_state:
                    self._last_selected_slot = host
                return host
        # Every waiting host is busy, so they are few: Scrapy's own comparison over them.
        return self._next_slot(self._downloader_interface.stats(hosts), update_state=update_state)

    def pop(self) -> Request | None:
        slot = self._pick(update_state=True)
        if slot is None:
            return None
        queue = self.pqueues[slot]
        request = queue.pop()
        if request is not None:
            self._count -= 1
        if len(queue) == 0:
            del self.pqueues[slot]
            del self._hosts[bisect_right(self._hosts, slot) - 1]
            queue.close()
        return request

    def push(self, request: Request) -> None:
        slot = self._downloader_interface.get_slot_key(request)
        if slot not in self.pqueues:
            self.pqueues[slot] = self.pqfactory(slot)
            insort(self._hosts, slot)
        self.pqueues[slot].push(request)
        self._count += 1

    def peek(self) -> Request | None:
        slot = self._pick(update_state=False)
        return None if slot is None else self.pqueues[slot].peek()

    def close(self) -> dict[str, list[int]]:
        self._hosts.clear()
        self._count = 0
        return super().close()

    def __len__(self) -> int:
        return self._count
