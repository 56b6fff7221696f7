"""Failure classification: why a portal could not be audited, as (status, detail).

Pure functions of a Scrapy ``Response`` (a home page that answered but cannot be audited: blocked, HTTP
error, not HTML, a bot challenge) or of a twisted ``Failure`` (no response at all: robots.txt, the
network guard, DNS, timeouts, TLS, resets). The statuses are the ones the store and the auditors know:
``blocked``, ``error``, ``unreachable``, ``robots_disallowed``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from twisted.internet.error import (
    ConnectError,
    ConnectionDone,
    ConnectionLost,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from core.vntext import fold
from crawler import blocks
from crawler.middlewares import PRIVATE_REFUSED, SCHEME_REFUSED
from crawler.netguard import refusal
from crawler.safety import redirect_not_followed
from crawler.scrapy_private import ResponseFailed, ResponseNeverReceived

BLOCK_MARKERS = re.compile(r"captcha|cloudflare|access denied|request rejected|attention required|"
                           r"the requested url was rejected|web application firewall|truy cap bi tu choi")
# A page answered 200 that is only a challenge: the portal is behind a bot wall (the raw HTML is searched,
# since challenge pages carry their markers in scripts and class names).
CHALLENGE_MARKERS = re.compile(r"g-recaptcha|h-captcha|hcaptcha\.com|recaptcha/api|cf-challenge|cf_chl_|"
                               r"challenge-platform|just a moment\.\.\.|checking your browser|"
                               r"verify you are (a )?human|xac (minh|nhan) (ban )?(khong phai (la )?(robot|may)|la nguoi)|"
                               r"nhap ma (xac nhan|captcha|bao ve)|ddos protection|request unsuccessful\. incapsula|"
                               r"support id is|_incapsula_resource", re.IGNORECASE)


def blocked(response: Response) -> tuple[str, str] | None:
    """("blocked", detail) when the response is a wall in front of the portal (401/403/429, a firewall's
    error page, a captcha or bot challenge), or None. Read by the BlockDetection downloader middleware."""
    if response.status >= 400:  # the folded page is read for error pages only (a home page is often 50 kB+)
        text = fold(response.text[:50000]) if isinstance(response, TextResponse) else ""
        if response.status in (401, 403, 429) or BLOCK_MARKERS.search(text):
            marker = BLOCK_MARKERS.search(text) or CHALLENGE_MARKERS.search(text)
            why = f" ({marker.group(0)})" if marker else ""
            return "blocked", f"HTTP {response.status}{why} at {response.url}"
    if not isinstance(response, TextResponse) or 300 <= response.status < 400 or len(response.body) >= 400_000:
        return None
    # A challenge and little else, whoever made it (crawler.blocks): a 503 of a make no marker names, or a
    # challenge page answered 200.
    if why := blocks.challenge(response.body):
        if response.status >= 400:
            return "blocked", f"HTTP {response.status} ({why}) at {response.url}"
        return "blocked", f"captcha or bot challenge page ({why}), HTTP {response.status} at {response.url}"
    return None


def http_failure(response: Response, block: tuple[str, str] | None | bool = False) -> tuple[str, str] | None:
    """Why a home page cannot be audited (blocked, error), or None when it can. ``block``: what
    :func:`blocked` found already (the middleware's verdict), False to look now."""
    if block is False:
        block = blocked(response)
    if block:
        return block  # type: ignore[return-value]
    if response.status >= 400:
        return "error", f"HTTP {response.status} at {response.url}"
    if 300 <= response.status < 400:  # a redirect Scrapy did not follow: off http(s), or no Location
        return "error", redirect_not_followed(response)
    if not isinstance(response, TextResponse):
        return "error", f"not an HTML page ({response.headers.get(b'Content-Type', b'').decode('latin-1')}) at {response.url}"
    return None


def classify_failure(failure: Failure) -> tuple[str, str]:
    """(status, detail) for a request that got no response: robots, network guard, DNS, timeout, TLS…"""
    url = failure.request.url
    error = failure.value
    if failure.check(IgnoreRequest):
        message = str(error)
        if "robots.txt" in message.lower():
            return "robots_disallowed", f"robots.txt forbids {url}"
        if SCHEME_REFUSED in message:
            return "error", f"only http(s) is fetched ({message.removeprefix(SCHEME_REFUSED + ': ')[:200]})"
        if PRIVATE_REFUSED in message:
            return "error", f"address refused by the network guard ({message.removeprefix(PRIVATE_REFUSED + ': ')}): {url}"
        if "max redirections" in message:
            return "error", f"redirect loop or too many redirects: {url}"
        if "DOWNLOAD_MAXSIZE" in message:
            return "error", f"response too large once decompressed (compression bomb?): {url}"
        return "error", f"request dropped: {message} ({url})"
    if failure.check(DownloadCancelledError):
        return "error", f"response larger than the download limit ({str(error)[:200]}): {url}"
    if failure.check(DNSLookupError, CannotResolveHostError) and (why := refusal(urlsplit(url).hostname or "")):
        return "error", f"address refused by the network guard ({why}): {url}"  # by the resolver (crawler.netguard)
    if failure.check(DNSLookupError, CannotResolveHostError):
        return "unreachable", f"DNS lookup failed for {url}"
    if failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
        idle = " (no data: idle timeout)" if "idle timeout" in str(error) else ""  # crawler.budgets
        return "unreachable", f"timed out{idle}: {url}"
    if failure.check(ConnectError, DownloadConnectionRefusedError):
        return "unreachable", f"connection failed ({type(error).__name__}): {url}"
    if failure.check(ResponseFailed, ResponseNeverReceived, ConnectionLost, ConnectionDone, ResponseDataLossError,
                     DownloadFailedError):
        cause = str(error)
        why = "TLS failure" if "SSL" in cause or "TLS" in cause else "connection reset or closed by the server"
        return "unreachable", f"{why} ({type(error).__name__}: {cause[:160]}): {url}"
    return "unreachable" if "connection" in type(error).__name__.lower() else "error", \
        f"{type(error).__name__}: {str(error)[:200]} ({url})"
