"""Which failed requests are asked for again: a page that timed out is not, its agency's home page is.

Scrapy's RetryMiddleware retries a timeout like any network error (``RETRY_TIMES``). On a real network a
page that gave no answer for ``DOWNLOAD_TIMEOUT`` seconds mostly gives none the second time either: the
retry doubled the cost of every hanging page (two timeouts), and those waits, one after the other on the
same portal, were what the slowest agencies of a country audit spent their time on. A timed-out page is
recorded as such (``timed out``, status ``unreachable``) after one wait, and a timed-out robots.txt is
read as Scrapy reads a missing one. The home page keeps Scrapy's retries: without it there is no audit
(``TCTT_RETRY_PAGE_TIMEOUTS`` on retries every request, as before).
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DownloadTimeoutError
from twisted.internet.error import TCPTimedOutError, TimeoutError

TIMEOUTS = (DownloadTimeoutError, TimeoutError, TCPTimedOutError)


def retried_after_timeout(kind: str | None, retry_pages: bool) -> bool:
    """Whether a request of this ``kind`` (meta["kind"]) that timed out is asked for again."""
    return retry_pages or kind == "home"


class TimeoutsNotRetried:
    """Downloader middleware above RetryMiddleware (550): marks a timed-out page ``dont_retry``."""

    def __init__(self, retry_pages: bool):
        self.retry_pages = retry_pages

    @classmethod
    def from_crawler(cls, crawler: Any) -> TimeoutsNotRetried:
        return cls(crawler.settings.getbool("TCTT_RETRY_PAGE_TIMEOUTS", False))

    def process_exception(self, request: Any, exception: Exception, spider: Any = None) -> None:
        if isinstance(exception, TIMEOUTS) and not retried_after_timeout(request.meta.get("kind"), self.retry_pages):
            request.meta["dont_retry"] = True
        return None
