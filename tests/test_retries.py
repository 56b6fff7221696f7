"""A page that timed out is not asked for again; the home page is; other failures keep Scrapy's retries."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DownloadTimeoutError
from scrapy.http import Request
from twisted.internet.error import ConnectionRefusedError, TimeoutError

from crawler import settings
from crawler.retries import TimeoutsNotRetried, retried_after_timeout


@pytest.mark.parametrize("kind", ["candidate", "section", "document", "sitemap", "extra", None])
def test_a_timed_out_page_or_robots_txt_is_not_retried(kind):
    request = Request("http://a.gov.test/p", meta={"kind": kind} if kind else {})
    TimeoutsNotRetried(retry_pages=False).process_exception(request, DownloadTimeoutError("took 20 s"))
    assert request.meta.get("dont_retry") is True
    assert not retried_after_timeout(kind, False)


def test_the_home_page_and_other_failures_keep_their_retries():
    middleware = TimeoutsNotRetried(retry_pages=False)
    home = Request("http://a.gov.test/", meta={"kind": "home"})
    middleware.process_exception(home, TimeoutError())
    refused = Request("http://a.gov.test/p", meta={"kind": "section"})
    middleware.process_exception(refused, ConnectionRefusedError())
    assert "dont_retry" not in home.meta and "dont_retry" not in refused.meta


def test_every_timeout_retried_when_asked():
    request = Request("http://a.gov.test/p", meta={"kind": "document"})
    TimeoutsNotRetried(retry_pages=True).process_exception(request, DownloadTimeoutError("took 20 s"))
    assert "dont_retry" not in request.meta


def test_it_sits_above_scrapy_retry_middleware():
    # process_exception runs from the highest number down: it must mark the request before RetryMiddleware (550).
    assert settings.DOWNLOADER_MIDDLEWARES["crawler.retries.TimeoutsNotRetried"] > 550
