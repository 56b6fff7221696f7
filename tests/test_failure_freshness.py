"""A network failure stands for TCTT_FAILED_FRESH_SECONDS (a negative answer, as resolvers keep one); a
re-audit after that asks again, and carries the agency if the page fails the same way."""

from __future__ import annotations

from scrapy.http import Request

from crawler import evidence, settings
from crawler.carryover import failed_the_same_way
from crawler.freshness import failure_fresh_until


def test_network_failures_stand_for_the_configured_time_others_are_asked_again():
    assert failure_fresh_until("unreachable", 86400, now=1000.0) == 87400.0
    assert failure_fresh_until("unreachable", 0, now=1000.0) is None  # off
    assert failure_fresh_until("error", 86400, now=1000.0) is None  # refused by our own guard, too large…
    assert failure_fresh_until("robots_disallowed", 86400, now=1000.0) is None
    assert settings.TCTT_FAILED_FRESH_SECONDS == 86400


def test_a_failed_page_item_records_until_when_its_failure_stands():
    request = Request("http://a.gov.test/hangs.pdf", meta={"kind": "document", "tctt_depth": 2, "referrer": "x"})
    item = evidence.failed_page_item("a", request, "unreachable", "timed out: http://a.gov.test/hangs.pdf", 3600)
    assert item["status"] is None and item["error"].startswith("unreachable: timed out")
    assert item["fresh_until"] is not None
    assert evidence.failed_page_item("a", request, "unreachable", "timed out")["fresh_until"] is None


def test_a_page_asked_again_is_the_same_only_if_it_failed_before_the_same_way():
    hung = {"status": None, "error": "unreachable: timed out: http://a.gov.test/p"}
    assert failed_the_same_way(hung, "unreachable")
    assert not failed_the_same_way(hung, "error")
    assert not failed_the_same_way({"status": 200, "error": None}, "unreachable")  # it answered before
