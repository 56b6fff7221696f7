"""crawler.freshness: until when a page may be reused, by Scrapy's RFC 2616 rules."""

from __future__ import annotations

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Request, Response
from scrapy.settings import Settings

from crawler.freshness import fresh_until

URL = "http://so.tinh.gov.vn/"
NOW = 1_800_000_000.0


def answer(headers: dict[str, str], **meta: object) -> Response:
    request = Request(URL, meta=meta)
    return Response(URL, status=200, body=b"<html></html>", headers=headers, request=request)


def policy() -> RFC2616Policy:
    return RFC2616Policy(Settings())


def test_max_age_sets_the_time() -> None:
    assert fresh_until(policy(), answer({"Cache-Control": "max-age=600"}), now=NOW) == NOW + 600


def test_age_is_subtracted() -> None:
    assert fresh_until(policy(), answer({"Cache-Control": "max-age=600", "Age": "100"}), now=NOW) == NOW + 500


def test_no_cache_and_no_store_are_never_reused() -> None:
    assert fresh_until(policy(), answer({"Cache-Control": "no-cache"}), now=NOW) is None
    assert fresh_until(policy(), answer({"Cache-Control": "no-store"}), now=NOW) is None


def test_a_temporary_redirect_must_be_asked_again() -> None:
    moved = answer({"Cache-Control": "max-age=600"}, redirect_reasons=[302])
    assert fresh_until(policy(), moved, now=NOW) is None
    permanent = answer({"Cache-Control": "max-age=600"}, redirect_reasons=[301])
    assert fresh_until(policy(), permanent, now=NOW) == NOW + 600
