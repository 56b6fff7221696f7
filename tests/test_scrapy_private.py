"""crawler.scrapy_private pinned against the installed Scrapy: each private name it leans on still exists
and still behaves as the project expects. An upgrade that breaks one fails here, by name."""

from __future__ import annotations

import inspect
from importlib.metadata import version
from pathlib import Path

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Request, Response
from scrapy.settings import Settings

from crawler import scrapy_private


def test_the_pinned_scrapy_is_installed() -> None:
    pinned = next(line.split("==")[1].split('"')[0] for line in Path("pyproject.toml").read_text("utf-8").splitlines()
                  if line.strip().startswith('"scrapy=='))
    assert version("scrapy") == pinned


def test_rfc2616_policy_internals() -> None:
    policy = RFC2616Policy(Settings())
    request = Request("http://a.vn/")
    response = Response("http://a.vn/", headers={"Cache-Control": "max-age=60, no-transform", "Age": "5"},
                        request=request)
    assert scrapy_private.cache_control(policy, response) == {b"max-age": b"60", b"no-transform": None}
    assert scrapy_private.freshness_lifetime(policy, response, request, 1000.0) == 60
    assert scrapy_private.current_age(policy, response, request, 1000.0) >= 5


def test_engine_slot() -> None:
    from scrapy.core.engine import ExecutionEngine

    assert scrapy_private.engine_idle(None) is False
    scrapy_private.wake_engine(None)  # nothing to wake: no error
    engine = ExecutionEngine.__new__(ExecutionEngine)
    engine._slot = None  # an engine not yet open holds no work
    assert scrapy_private.engine_idle(engine) is False
    assert "_slot" in inspect.getsource(ExecutionEngine.__init__)
    assert hasattr(ExecutionEngine, "spider_is_idle")


def test_download_handler_internals() -> None:
    params = inspect.signature(scrapy_private.ScrapyAgent.__init__).parameters
    assert {"contextFactory", "bindAddress", "pool"} <= set(params)
    with scrapy_private.wrap_twisted_exceptions():
        pass
    assert issubclass(scrapy_private.ResponseNeverReceived, Exception)


def test_the_http11_handler_builds_its_agent_from_these_attributes() -> None:
    from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

    # Not instantiated here (it needs a reactor): it (or a base class) sets every attribute handler_agent reads,
    # and the agent still takes the keywords passed.
    source = "".join(inspect.getsource(cls) for cls in HTTP11DownloadHandler.__mro__
                     if cls.__module__.startswith("scrapy."))
    for name in ("_contextFactory", "_bind_address", "_pool", "_default_maxsize", "_default_warnsize",
                 "_fail_on_dataloss", "_crawler", "_tls_verbose_logging"):
        assert f"self.{name} = " in source or f"self.{name}: " in source, name
    params = set(inspect.signature(scrapy_private.ScrapyAgent.__init__).parameters)
    assert {"contextFactory", "bindAddress", "pool", "maxsize", "warnsize", "fail_on_dataloss", "crawler",
            "tls_verbose_logging"} <= params


def test_the_priority_queue_internals_fair_host_queue_overrides() -> None:
    from scrapy.pqueues import DownloaderAwarePriorityQueue

    source = inspect.getsource(DownloaderAwarePriorityQueue)
    for name in ("_downloader_interface", "_last_selected_slot", "def _next_slot(", "update_state"):
        assert name in source, name
