"""Every use of a Scrapy (or Twisted) private name, in one place.

Scrapy gives no public way to do these few things; each is pinned against the installed Scrapy by
``tests/test_scrapy_private.py``, so an upgrade that moves one fails there, by name, rather than somewhere
in a crawl. Callers import from here, never ``scrapy.*._name`` directly. One subclass leans on its parent's
internals in its own overrides (``crawler.pqueues.FairHostPriorityQueue``: the downloader interface, the
last host chosen, ``_next_slot``); the same test pins those.
"""

from __future__ import annotations

from typing import Any

from scrapy.core.downloader.handlers.http11 import _ScrapyAgent as ScrapyAgent
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Request, Response
from scrapy.utils._download_handlers import wrap_twisted_exceptions
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

__all__ = ["ResponseFailed", "ResponseNeverReceived", "ScrapyAgent", "cache_control", "current_age",
           "engine_idle", "freshness_lifetime", "handler_agent", "wake_engine", "wrap_twisted_exceptions"]


# -- RFC2616Policy's freshness arithmetic (crawler.freshness) ------------------------------------
def cache_control(policy: RFC2616Policy, response: Response) -> dict[bytes, bytes | None]:
    """The response's Cache-Control directives, parsed (and memoised) as the policy does."""
    return policy._parse_cachecontrol(response)


def freshness_lifetime(policy: RFC2616Policy, response: Response, request: Request, now: float) -> float:
    return policy._compute_freshness_lifetime(response, request, now)


def current_age(policy: RFC2616Policy, response: Response, request: Request, now: float) -> float:
    return policy._compute_current_age(response, request, now)


# -- the engine's slot (the Redis worker's heartbeat) ----------------------------------------------
def engine_idle(engine: Any) -> bool:
    """Whether a running engine holds no work (False while it is not open)."""
    return engine is not None and engine._slot is not None and engine.spider_is_idle()


def wake_engine(engine: Any) -> None:
    """Schedule the engine's next loop now rather than at its 5 s tick (requests queued by another worker)."""
    if engine is not None and engine._slot is not None:
        engine._slot.nextcall.schedule()


# -- the HTTP/1.1 download handler's agent (crawler.budgets.IdleTimeoutHandler) ---------------------
def handler_agent(handler: Any) -> ScrapyAgent:
    """The agent an ``HTTP11DownloadHandler`` downloads one request with, built as the handler builds it."""
    return ScrapyAgent(contextFactory=handler._contextFactory, bindAddress=handler._bind_address, pool=handler._pool,
                       maxsize=handler._default_maxsize, warnsize=handler._default_warnsize,
                       fail_on_dataloss=handler._fail_on_dataloss, crawler=handler._crawler,
                       tls_verbose_logging=handler._tls_verbose_logging)
