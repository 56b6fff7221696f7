"""Scrapy's DownloaderAwarePriorityQueue, aware of per-host limits, delays and the requests' priorities.

Each ``pop`` of Scrapy's queue asks the downloader how busy every host with a waiting request is and keeps
the least busy (round-robin by host name among equals), ignoring the requests' priorities across hosts,
and it hands over a request even when its host cannot send it yet. Scrapy counts a request queued in a
host's slot (behind the host's per-host limit or its AutoThrottle delay, or waiting for the host's
robots.txt) against ``CONCURRENT_REQUESTS``: such a request holds one of the crawl's slots while nothing
is downloaded. On a real network (hosts answering in 0.1 s to 10 s, some hanging until the timeout) those
held slots, and slow portals' chains of requests waiting behind every other agency's, decided the crawl's
wall time. The pick, among the hosts that can send now (below their per-host limit counting requests
still waiting for robots.txt, past their delay):

1. **the slowest host** among those whose delay is at least ``SLOW_DELAY`` (AutoThrottle sets a host's
   delay from its latency): a slow portal's chain of requests is the crawl's critical path, so it gets its
   per-host concurrency from the start (the longest jobs first);
2. otherwise **a host not contacted yet**: how slow it is becomes known at its first answer (its
   robots.txt), in time for rule 1 — a section on a slow sub-domain is found early, not at the end;
3. otherwise **the highest priority**: the spider gives every request its agency's rank of admission, so
   the agencies started first finish first and a slow or hanging agency's next page does not wait behind
   every younger agency's; on equal priority the least busy host, round-robin by host name after the last
   one chosen (Scrapy's own rule, so with equal priorities and free hosts the choices are Scrapy's).

A host whose robots.txt is not read yet has it read first (by Scrapy's RobotsTxtMiddleware, as it would
be): its first request is handed over once the answer is in, not held in the downloader meanwhile. A host
that cannot send now keeps its requests here; when only delays hold requests back, the engine is
woken when the first delay ends (its heartbeat would wait up to 5 s). ``len`` is a counter; a pick looks
at most at ``SCAN_LIMIT`` waiting hosts (``TCTT_MAX_ACTIVE_AGENCIES`` keeps them near a hundred).
"""

from __future__ import annotations

from bisect import bisect_right, insort
from time import monotonic
from typing import Any

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request
from scrapy.pqueues import DownloaderAwarePriorityQueue
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

_UNREAD = object()
MAX_ROBOTS_STARTED = 8  # robots.txt downloads a pop may start before it hands a request over
STUCK_RECHECK = 1.0  # seconds before a fruitless look is made again even if nothing seen changed
SCAN_LIMIT = 2000  # waiting hosts looked at per pick (an audit admits ~100 agencies at a time per process)
SLOW_DELAY = 1.0  # seconds of per-host delay (AutoThrottle: latency ÷ target concurrency) that make a host slow


def sendable(slot: Any, now: float, held: int = 0) -> tuple[bool, float]:
    """Whether a request for this downloader slot would leave at once (None: a host not contacted yet),
    and if not only because of the host's delay, in how many seconds it would (0: not a matter of time).
    ``held``: the host's requests inside the downloader that have not reached its slot yet (waiting for
    the host's robots.txt)."""
    if slot is None:
        return held == 0, 0.0
    if len(slot.active) + held >= slot.concurrency or slot.queue:
        return False, 0.0
    # (Scrapy also sets the slot's ``latercall`` after every request sent with a delay, queue empty or not:
    # the delay, counted here from the last request sent.)
    wait = slot.delay - (now - slot.lastseen) if slot.delay else 0.0
    return (True, 0.0) if wait <= 0 else (False, wait)


class FairHostPriorityQueue(DownloaderAwarePriorityQueue):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._hosts: list[str] = sorted(self.pqueues)  # hosts with a waiting request, sorted
        self._count = sum(len(queue) for queue in self.pqueues.values())
        self._wake: Any = None  # the pending call that wakes the engine when a host's delay ends
        self._robots_mw: Any = False  # RobotsTxtMiddleware, looked up on first use
        self._robots_ready: set[str] = set()  # hosts whose robots.txt is read
        self._robots_asked: set[str] = set()  # netlocs whose robots.txt this queue asked for
        self._pushes = 0
        self._left = 0  # requests that left the downloader (Scrapy's request_left_downloader signal)
        self.crawler.signals.connect(self._left_downloader, signal=signals.request_left_downloader)
        self._stuck: tuple[tuple[int, int], float] | None = None  # (downloader and queue state, until) of a fruitless look

    def _pick(self, *, update_state: bool) -> str | None:
        hosts = self._hosts
        if not hosts:
            return None
        downloader = self._downloader_interface.downloader
        slots = downloader.slots
        pqueues = self.pqueues
        now = monotonic()
        # Nothing could leave at the last look, and since then no request left the downloader, none came in, no
        # robots.txt was read and no delay ran out: nothing can leave now either (the engine asks after every
        # callback's output).
        state = (self._left, self._pushes)
        if self._stuck is not None and self._stuck[0] == state and now < self._stuck[1]:
            return None
        robots_read = self._robots() is not None
        # A host's first request waits inside the downloader for the host's robots.txt before it reaches the
        # host's slot: counted here, or every request of a new host would be handed over at once.
        held: dict[str, int] = {}
        for request in getattr(downloader, "active", ()):
            if "download_slot" in request.meta:
                continue  # it reached its slot: counted there
            key = self._downloader_interface.get_slot_key(request)
            held[key] = held.get(key, 0) + 1
        soonest = 0.0
        # 1. The slowest host that can send now. Slow hosts are few, and the downloader keeps a slot only for
        # the hosts it contacted lately: this looks at those, not at every waiting host.
        slowest, slowest_delay = None, 0.0
        for host, slot in slots.items():
            if slot.delay >= SLOW_DELAY and host in pqueues:
                ready, wait = sendable(slot, now, held.get(host, 0))
                if ready and slot.delay > slowest_delay and not (robots_read and self._robots_state(host) == "reading"):
                    slowest, slowest_delay = host, slot.delay
                elif wait and (not soonest or wait < soonest):
                    soonest = wait
        if slowest is not None:
            if update_state:
                self._last_selected_slot = slowest
            return slowest
        # 2-3. Among the hosts that can send now, a host not contacted yet, else the one whose next request has
        # the highest priority (the spider gives every request its agency's rank of admission: the agencies
        # started first finish first, and an agency's chain of requests does not wait behind every younger
        # agency's); then the least busy, round-robin by host name after the last one chosen (Scrapy's rule).
        last = self._last_selected_slot
        start = bisect_right(hosts, last) if last is not None else 0
        count = len(hosts)
        best, best_key = None, None
        for step in range(min(count, SCAN_LIMIT)):
            host = hosts[(start + step) % count]
            slot = slots.get(host)
            ready, wait = sendable(slot, now, held.get(host, 0))
            if not ready or (robots_read and self._robots_state(host) == "reading"):
                if wait and (not soonest or wait < soonest):
                    soonest = wait
                continue
            key = (slot is None, -(pqueues[host].curprio or 0), -len(slot.active) if slot is not None else 0)
            if best_key is None or key > best_key:
                best, best_key = host, key
        if best is not None:
            if update_state:
                self._last_selected_slot = best
            return best
        if soonest and update_state:
            self._wake_engine_in(soonest)
        # At most a second, whatever the state says: a change this does not see costs a second, not the crawl.
        self._stuck = (state, now + min(soonest or STUCK_RECHECK, STUCK_RECHECK))
        return None

    def _wake_engine_in(self, seconds: float) -> None:
        """Have the engine ask for a request again when the first host's delay ends."""
        from twisted.internet import reactor

        engine = getattr(self.crawler, "engine", None)
        nextcall = getattr(getattr(engine, "_slot", None), "nextcall", None)
        if nextcall is None:
            return
        if self._wake is not None and self._wake.active():
            if self._wake.getTime() <= reactor.seconds() + seconds + 0.01:
                return
            self._wake.cancel()
        self._wake = reactor.callLater(seconds + 0.01, nextcall.schedule)

    def _left_downloader(self, *args: Any, **kwargs: Any) -> None:
        self._left += 1

    def _robots(self) -> Any:
        """Scrapy's RobotsTxtMiddleware of this crawl (None: robots.txt not obeyed)."""
        if self._robots_mw is False:
            self._robots_mw = None
            manager = getattr(getattr(getattr(self.crawler, "engine", None), "downloader", None), "middleware", None)
            for middleware in getattr(manager, "middlewares", ()):
                if isinstance(middleware, RobotsTxtMiddleware):
                    self._robots_mw = middleware
        return self._robots_mw

    def _robots_state(self, host: str) -> str:
        """"ready" (read, or not needed), "reading" (its download is under way) or "unread", for the next
        request of a waiting host."""
        robots = self._robots()
        if robots is None or host in self._robots_ready:
            return "ready"
        request = self.pqueues[host].peek()
        if request is None or request.meta.get("dont_obey_robotstxt"):
            return "ready"
        netloc = urlparse_cached(request).netloc
        parser = robots._parsers.get(netloc, _UNREAD)
        if parser is _UNREAD:  # asked for here, its download not started yet (a coroutine of the loop)
            return "reading" if netloc in self._robots_asked else "unread"
        if isinstance(parser, Deferred):
            return "reading"
        self._robots_ready.add(host)
        return "ready"

    def _read_robots(self, host: str) -> None:
        """Start the download of a host's robots.txt (RobotsTxtMiddleware's own), without handing over the
        request that needs it: that request would hold one of the crawl's slots while robots.txt loads."""
        robots = self._robots()
        request = self.pqueues[host].peek()
        self._robots_asked.add(urlparse_cached(request).netloc)
        done = deferred_from_coro(robots.robot_parser(request))
        nextcall = getattr(getattr(getattr(self.crawler, "engine", None), "_slot", None), "nextcall", None)

        def read(_: Any) -> None:
            self._stuck = None  # the host can send now
            if nextcall is not None:
                nextcall.schedule()

        done.addBoth(read)

    def pop(self) -> Request | None:
        for _ in range(MAX_ROBOTS_STARTED + 1):
            slot = self._pick(update_state=True)
            if slot is None:
                return None
            if self._robots_state(slot) != "unread":
                break
            self._read_robots(slot)  # its download now holds a slot of the crawl: another host may be picked
            if self._downloader_interface.downloader.needs_backout():
                return None
        else:
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
        self._pushes += 1

    def peek(self) -> Request | None:
        slot = self._pick(update_state=False)
        return None if slot is None else self.pqueues[slot].peek()

    def close(self) -> dict[str, list[int]]:
        if self._wake is not None and self._wake.active():
            self._wake.cancel()
        self._hosts.clear()
        self._count = 0
        return super().close()

    def __len__(self) -> int:
        return self._count
