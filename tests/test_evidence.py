"""crawler.evidence: the records built from a response and an agency's state, without a crawl."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import HtmlResponse, Request, Response
from scrapy.settings import Settings

from core.registry import Agency
from crawler.evidence import failed_page_item, page_item, result_item

URL = "http://so.tinh.gov.vn/"


@dataclass
class State:
    agency: Agency = field(default_factory=lambda: Agency(id="a1", name="Sở", url=URL, level="", parent="", province="", email="", section_url="", line=2))
    started_at: str = "2026-12-01T00:00:00+00:00"
    candidates: dict[str, dict[str, Any]] = field(default_factory=dict)
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    failure: tuple[str, str] | None = None
    home_status: int | None = 200
    final_url: str = URL
    cut: dict[str, Any] = field(default_factory=lambda: {"pages": 1, "examples": []})


def test_page_item_records_the_http_facts() -> None:
    meta = {"kind": "home", "tctt_depth": 0, "referrer": "", "started": time.monotonic(),
            "redirect_urls": ["http://old.tinh.gov.vn/"]}
    response = HtmlResponse(URL, body=b"<html>x</html>", headers={"Cache-Control": "max-age=60"},
                            request=Request(URL, meta=meta))
    item = page_item("a1", response, {"title": "Trang chủ"}, RFC2616Policy(Settings()))
    assert item["url"] == "http://old.tinh.gov.vn/" and item["final_url"] == URL
    assert item["sha256"] == hashlib.sha256(b"<html>x</html>").hexdigest() and item["doc_type"] == "html"
    assert item["title"] == "Trang chủ" and item["fresh_until"] > time.time()


def test_a_failed_request_is_recorded_with_its_reason() -> None:
    request = Request(URL + "x", meta={"kind": "candidate", "tctt_depth": 1, "referrer": URL, "anchor": "Hỏi đáp"})
    item = failed_page_item("a1", request, "unreachable", "timed out")
    assert item["status"] is None and item["error"] == "unreachable: timed out" and item["title"] == "Hỏi đáp"


def test_result_item_status() -> None:
    item = result_item(State(), 0.5)
    assert (item["status"], item["section_url"], item["pages"]) == ("audited", None, 0)
    assert item["cut"] == {"pages": 1, "examples": []}
    blocked = result_item(State(failure=("blocked", "HTTP 403")), 0.5)
    assert (blocked["status"], blocked["detail"]) == ("blocked", "HTTP 403")
    stopped = result_item(State(home_status=None), 0.5, forced="crawl stopped: shutdown")
    assert (stopped["status"], stopped["detail"]) == ("error", "crawl stopped: shutdown")


def test_a_page_below_the_section_read_as_a_document_is_recorded_as_one() -> None:
    """"?download=1&id=0" does not look like a file, but its body was read as one: the auditors count it with
    the documents. The home page and the candidates keep their place in the crawl."""
    url = URL + "index.php?download=1&id=0"
    for requested, expected in (("section", "document"), ("extra", "document"), ("candidate", "candidate")):
        meta = {"kind": requested, "tctt_depth": 2, "referrer": URL, "started": time.monotonic()}
        response = Response(url, body=b"%PDF-1.4 ...", request=Request(url, meta=meta))
        item = page_item("a1", response, {"kind": "document", "doc_type": "pdf", "text": "Mẫu số 01a"},
                         RFC2616Policy(Settings()))
        assert item["kind"] == expected, requested
    html = HtmlResponse(url, body=b"<html>x</html>", request=Request(url, meta={**meta, "kind": "section"}))
    assert page_item("a1", html, {"kind": "section"}, RFC2616Policy(Settings()))["kind"] == "section"
