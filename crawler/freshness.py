"""Until when HTTP lets a cache reuse a response: the freshness every page records.

A re-audit carries an unchanged agency over only while all its pages are fresh (crawler.carryover). The
arithmetic is Scrapy's own ``RFC2616Policy`` (Cache-Control max-age, Expires, or a tenth of the time since
Last-Modified, less the response's age), reached through crawler.scrapy_private.

A request that got no response from the portal (timed out, refused, reset, no DNS answer) has no HTTP
freshness; it is held for ``TCTT_FAILED_FRESH_SECONDS`` (``failure_fresh_until``), as resolvers and
caches hold a negative answer: a re-audit within that time carries the failure over instead of waiting for
a hanging page again, and after it asks again.
"""

from __future__ import annotations

import time

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Response

from crawler import scrapy_private

FAILED_FRESH_SECONDS = 86400.0  # default of TCTT_FAILED_FRESH_SECONDS


def failure_fresh_until(status: str, seconds: float, now: float | None = None) -> float | None:
    """Until when a failed request's outcome stands: network failures (``unreachable``) for ``seconds``;
    anything else (a refusal by our own guards, a page too large) is asked again."""
    if status != "unreachable" or seconds <= 0:
        return None
    return round((time.time() if now is None else now) + seconds, 3)


def fresh_until(policy: RFC2616Policy, response: Response, now: float | None = None) -> float | None:
    """Epoch seconds until which ``response`` may be reused without asking the portal; None when it may not
    be reused at all (uncacheable, no-cache, or reached through a temporary redirect, which must itself be
    asked again)."""
    request = response.request
    if any(reason not in (301, 308) for reason in response.meta.get("redirect_reasons") or []):
        return None
    try:
        control = scrapy_private.cache_control(policy, response)
        if b"no-cache" in control or b"no-store" in control:
            return None
        if "cached" not in response.flags and not policy.should_cache_response(response, request):
            return None
        now = time.time() if now is None else now
        lifetime = scrapy_private.freshness_lifetime(policy, response, request, now)
        age = scrapy_private.current_age(policy, response, request, now)
    except AttributeError:  # Scrapy's policy changed its internals: nothing is carried, all is crawled
        return None
    return round(now + lifetime - age, 3)
