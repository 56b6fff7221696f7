"""crawler.downloadermiddlewares.blocks: home pages that are walls, marked on their way to the spider."""

from __future__ import annotations

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.downloadermiddlewares.blocks import META_KEY, BlockDetection
from crawler.failures import http_failure

URL = "http://so.tinh.gov.vn/"
CHALLENGE = (b"<html><head><title>Just a moment...</title></head><body>"
             b"<div class='cf-turnstile'></div><script src='/cdn-cgi/challenge-platform/x.js'></script></body></html>")
HOME = b"<html><body>" + b"".join(b"<p><a href='/t%d'>Tin tuc so %d</a> noi dung</p>" % (i, i) for i in range(80)) + b"</body></html>"


def middleware(**settings: object) -> BlockDetection:
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    return BlockDetection.from_crawler(crawler)


def fetched(body: bytes, status: int = 200, kind: str = "home") -> tuple[Request, HtmlResponse]:
    request = Request(URL, meta={"kind": kind})
    return request, HtmlResponse(URL, status=status, body=body, encoding="utf-8", request=request)


def test_a_challenge_home_page_is_marked_blocked() -> None:
    mw = middleware()
    request, response = fetched(CHALLENGE)
    assert mw.process_response(request, response) is response
    status, detail = response.meta[META_KEY]
    assert status == "blocked" and "bot challenge" in detail
    assert mw.stats.get_value("tctt/blocked_home") == 1
    assert http_failure(response, response.meta[META_KEY]) == response.meta[META_KEY]  # the spider's reading


def test_a_403_is_blocked_and_a_real_home_page_is_not() -> None:
    mw = middleware()
    request, response = fetched(b"<html>Forbidden</html>", status=403)
    mw.process_response(request, response)
    assert response.meta[META_KEY][0] == "blocked"
    request, response = fetched(HOME)
    mw.process_response(request, response)
    assert META_KEY in response.meta and response.meta[META_KEY] is None
    assert http_failure(response, None) is None


def test_only_home_pages_are_judged() -> None:
    mw = middleware()
    request, response = fetched(CHALLENGE, kind="candidate")
    mw.process_response(request, response)
    assert META_KEY not in response.meta


def test_the_verdict_is_the_spiders_own() -> None:
    """With or without the middleware, a page reads the same."""
    for body, status in ((CHALLENGE, 200), (b"<html>Forbidden</html>", 403), (HOME, 200), (b"<html>x</html>", 500)):
        request, response = fetched(body, status)
        alone = http_failure(response)
        middleware().process_response(request, response)
        assert http_failure(response, response.meta[META_KEY]) == alone


def test_switched_off_by_setting() -> None:
    with pytest.raises(NotConfigured):
        middleware(TCTT_BLOCK_DETECTION=False)
