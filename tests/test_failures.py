"""crawler.failures: (status, detail) from a Response or a twisted Failure, with no crawl around it."""

from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TimeoutError
from twisted.python.failure import Failure

from crawler.failures import classify_failure, http_failure
from crawler.middlewares import PRIVATE_REFUSED
from crawler.scrapy_private import ResponseNeverReceived

URL = "http://so.tinh.gov.vn/"


def html(status: int, body: str, url: str = URL) -> HtmlResponse:
    return HtmlResponse(url, status=status, body=body.encode(), encoding="utf-8", request=Request(url))


def failed(exc: Exception, url: str = URL) -> Failure:
    try:
        raise exc
    except Exception:
        failure = Failure()
    failure.request = Request(url)  # as Scrapy's errbacks see it
    return failure


def test_an_ordinary_home_page_can_be_audited() -> None:
    assert http_failure(html(200, "<html><body><a href='/tin-tuc'>Tin tức</a>" + "x" * 2000 + "</body></html>")) is None


@pytest.mark.parametrize(("status", "body", "expected"), [
    (403, "<html>Forbidden</html>", "blocked"),
    (429, "<html>slow down</html>", "blocked"),
    (503, "<html><title>Attention Required! | Cloudflare</title></html>", "blocked"),
    (500, "<html>Internal Server Error</html>", "error"),
    (404, "<html>Không tìm thấy</html>", "error"),
])
def test_http_errors_and_walls(status: int, body: str, expected: str) -> None:
    result = http_failure(html(status, body))
    assert result is not None and result[0] == expected
    assert f"HTTP {status}" in result[1] and URL in result[1]


def test_a_block_names_its_marker() -> None:
    status, detail = http_failure(html(403, "<html>Truy cập bị từ chối</html>"))  # type: ignore[misc]
    assert status == "blocked" and "truy cap bi tu choi" in detail


def test_not_html_and_unfollowed_redirects_are_errors() -> None:
    pdf = Response(URL, status=200, body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}, request=Request(URL))
    assert http_failure(pdf) == ("error", f"not an HTML page (application/pdf) at {URL}")
    redirect = html(302, "", URL)
    status, _detail = http_failure(redirect)  # type: ignore[misc]
    assert status == "error"


@pytest.mark.parametrize(("exc", "expected", "words"), [
    (IgnoreRequest("Forbidden by robots.txt"), "robots_disallowed", "robots.txt forbids"),
    (IgnoreRequest(f"{PRIVATE_REFUSED}: 10.0.0.1 is private"), "error", "network guard"),
    (IgnoreRequest("max redirections reached"), "error", "redirect loop"),
    (DNSLookupError("no such host"), "unreachable", "DNS lookup failed"),
    (TimeoutError("User timeout caused connection failure."), "unreachable", "timed out"),
    (ConnectionRefusedError("refused"), "unreachable", "connection failed (ConnectionRefusedError)"),
    (ResponseNeverReceived([Failure(Exception("SSL routines: wrong version"))]), "unreachable", "TLS failure"),
    (ValueError("odd"), "error", "ValueError: odd"),
])
def test_failures_without_a_response(exc: Exception, expected: str, words: str) -> None:
    status, detail = classify_failure(failed(exc))
    assert status == expected
    assert words in detail and URL in detail
