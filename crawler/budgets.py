"""Per-agency budgets: checked when the spider makes a request (``AgencyBudgets``), and enforced as hard
limits on requests already in flight (``HardBudgets``, a downloader middleware).

The spider checks an agency's byte and time budgets when it creates a request; requests created before a
budget ran out still all ran (41.9 MB through a 5 MB budget, 145 s through a 5 s one). Here:

- when a request is about to be sent, it is dropped if the agency's time or bytes are spent, and otherwise
  capped by what is left: ``download_maxsize`` by the bytes left, ``download_timeout`` by the seconds left
  (so downloads in flight at the deadline are cancelled by it);
- every chunk received counts against the agency at once (Scrapy's ``bytes_received`` signal): concurrent
  downloads share one budget, and the one that crosses it is stopped;
- a download that receives nothing for ``TCTT_IDLE_TIMEOUT`` seconds is cancelled (Scrapy's own timeout is
  a total one: a server sending a byte every few seconds held it to the end).

Every cut reaches the spider's errback marked with its kind (``budget_cut``), and is recorded there. The
home page is exempt: without it there is no audit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from scrapy import signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest, StopDownload
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.python.failure import Failure

from crawler.scrapy_private import handler_agent, wrap_twisted_exceptions

BUDGET_CUT = "budget-cut"
IDLE_TIMEOUT = 30.0


@dataclass(frozen=True)
class AgencyBudgets:
    """The budgets of one agency as the spider checks them before it makes a request: pages, bytes and
    seconds (TCTT_MAX_*_PER_AGENCY), URL traps, and how much one response may download."""

    max_pages: int
    max_bytes: int
    max_seconds: float
    response_maxsize: int
    doc_max_bytes: int

    @classmethod
    def from_settings(cls, settings: Any) -> AgencyBudgets:
        return cls(settings.getint("TCTT_MAX_PAGES_PER_AGENCY"), settings.getint("TCTT_MAX_BYTES_PER_AGENCY"),
                   settings.getfloat("TCTT_MAX_SECONDS_PER_AGENCY"), settings.getint("DOWNLOAD_MAXSIZE"),
                   settings.getint("TCTT_DOC_MAX_BYTES"))

    def cut(self, state: Any, url: str, stored: dict[str, Any] | None) -> tuple[str, str] | None:
        """Which budget or trap stops a request for ``url`` (kind, reason), or None. A page stored by an
        earlier attempt (``stored``, replayed) costs neither bytes nor time."""
        if state.budget <= 0:
            return ("pages", f"page budget of {self.max_pages} spent")
        if stored is None and self.max_bytes and state.bytes_used >= self.max_bytes:
            return ("bytes", f"byte budget of {self.max_bytes} spent")
        if stored is None and state.deadline is not None and time.monotonic() > state.deadline:
            return ("time", f"time budget of {self.max_seconds:g} s spent")
        if (trap := state.traps.reason(url)) is not None:
            return ("traps", trap)
        return None

    def download_limit(self, state: Any, kind: str) -> int:
        """The most one response may download (0: no limit): never past the agency's byte budget (nor the
        crawl's memory), and a document no more than can be parsed."""
        limit = self.response_maxsize or 0
        if self.max_bytes:
            limit = max(1, min(limit or self.max_bytes, self.max_bytes - state.bytes_used))
        if kind == "document":
            limit = min(limit, self.doc_max_bytes) if limit else self.doc_max_bytes
        return limit


class HardBudgets:
    """Downloader middleware and ``bytes_received`` handler enforcing TCTT_MAX_BYTES/SECONDS_PER_AGENCY."""

    def __init__(self, crawler: Any):
        settings = crawler.settings
        self.crawler = crawler
        self.max_bytes = settings.getint("TCTT_MAX_BYTES_PER_AGENCY")
        self.timeout = settings.getfloat("DOWNLOAD_TIMEOUT")
        self.received: dict[str, int] = {}  # agency → body bytes received on the wire, in flight included
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Any) -> HardBudgets:
        return cls(crawler)

    @staticmethod
    def _exempt(request: Request) -> bool:
        return request.meta.get("kind") in (None, "home") or "replay" in request.meta or "verify" in request.meta

    def _seconds_left(self, request: Request, spider: Any) -> float | None:
        state = getattr(spider, "states", {}).get(request.meta.get("agency_id"))
        deadline = getattr(state, "deadline", None)
        if deadline is not None:
            return deadline - time.monotonic()
        if request.meta.get("tctt_deadline"):  # a scale-out worker that has not seen this agency yet
            return request.meta["tctt_deadline"] - time.time()
        return None

    def process_request(self, request: Request, spider: Any = None) -> None:
        if self._exempt(request):
            return None
        spider = spider or self.crawler.spider
        agency = request.meta["agency_id"]
        left = self._seconds_left(request, spider)
        if left is not None:
            if left <= 0:
                raise IgnoreRequest(f"{BUDGET_CUT}:time: time budget spent before the request was sent")
            if left < (request.meta.get("download_timeout") or self.timeout):
                request.meta["download_timeout"] = max(0.05, left)
                request.meta["tctt_deadline_capped"] = True
        if self.max_bytes:
            bytes_left = self.max_bytes - max(self.received.get(agency, 0), getattr(
                getattr(spider, "states", {}).get(agency), "bytes_used", 0))
            if bytes_left <= 0:
                raise IgnoreRequest(f"{BUDGET_CUT}:bytes: byte budget of {self.max_bytes} spent before the request was sent")
            current = request.meta.get("download_maxsize") or 0
            if not current or bytes_left < current:  # the budget, not the response limit, caps this one
                request.meta["download_maxsize"] = bytes_left
                request.meta["tctt_bytes_capped"] = True
        return None

    def bytes_received(self, data: bytes, request: Request, spider: Any = None) -> None:
        agency = request.meta.get("agency_id")
        if agency is None:
            return
        total = self.received[agency] = self.received.get(agency, 0) + len(data)
        if self.max_bytes and total > self.max_bytes and not self._exempt(request):
            request.meta["tctt_cut"] = ("bytes", f"download stopped: the agency's byte budget of {self.max_bytes} "
                                                 "was spent by downloads in flight")
            raise StopDownload(fail=True)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        return response


def budget_cut(failure: Failure) -> tuple[str, str] | None:
    """(kind, reason) when a failed request was cut by a budget, else None."""
    request = failure.request
    if request.meta.get("tctt_cut"):
        kind, reason = request.meta["tctt_cut"]
        return kind, reason
    message = str(failure.value)
    if failure.check(IgnoreRequest) and message.startswith(BUDGET_CUT + ":"):
        kind, _, reason = message.removeprefix(BUDGET_CUT + ":").partition(": ")
        return kind, reason
    if failure.check(DownloadTimeoutError, TxTimeoutError) and request.meta.get("tctt_deadline_capped"):
        return "time", "download cancelled at the agency's time budget"
    if request.meta.get("tctt_bytes_capped") and (failure.check(DownloadCancelledError) or (
            failure.check(IgnoreRequest) and "DOWNLOAD_MAXSIZE" in message)):
        return "bytes", "download stopped at what was left of the agency's byte budget"
    return None


class IdleTimeoutHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, with a download cancelled when no byte arrived for TCTT_IDLE_TIMEOUT s."""

    def __init__(self, crawler: Any):
        super().__init__(crawler)
        self.idle = crawler.settings.getfloat("TCTT_IDLE_TIMEOUT", IDLE_TIMEOUT)
        self.last: dict[int, float] = {}
        crawler.signals.connect(self._activity, signal=signals.bytes_received)
        crawler.signals.connect(self._activity, signal=signals.headers_received)

    def _activity(self, request: Request, **kwargs: Any) -> None:
        if id(request) in self.last:
            self.last[id(request)] = time.monotonic()

    async def download_request(self, request: Request) -> Response:
        if not self.idle:
            return await super().download_request(request)
        from twisted.internet import reactor

        agent = handler_agent(self)
        key = id(request)
        self.last[key] = time.monotonic()
        deferred = agent.download_request(request)
        done = [False]  # not Deferred.called: that is true once the headers are in, while the body still flows

        def finished(result: Any) -> Any:
            done[0] = True
            return result

        deferred.addBoth(finished)

        def watch() -> None:
            if done[0]:
                return
            quiet = time.monotonic() - self.last.get(key, 0)
            if quiet >= self.idle:
                request.meta["tctt_idle"] = True
                deferred.cancel()
                return
            watcher[0] = reactor.callLater(self.idle - quiet, watch)

        watcher = [reactor.callLater(self.idle, watch)]
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(deferred)
        except Exception as exc:
            if request.meta.get("tctt_idle"):
                raise DownloadTimeoutError(f"no data for {self.idle:g} s (idle timeout) at {request.url}") from exc
            raise
        finally:
            self.last.pop(key, None)
            if watcher[0].active():
                watcher[0].cancel()
