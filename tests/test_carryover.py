"""crawler.carryover's decisions, without a crawl: when an agency is carried over, and what the note says."""

from __future__ import annotations

from typing import Any

from scrapy.http import Request, Response
from scrapy.settings import Settings

from crawler.carryover import carried_record, crawl_profile, unchanged

URL = "http://so.tinh.gov.vn/"
PROFILE = crawl_profile(Settings({"TCTT_MAX_PAGES_PER_AGENCY": 40}))


def source(**result: Any) -> dict[str, Any]:
    home = {"url": URL, "final_url": URL, "status": 200, "sha256": "abc"}
    return {"result": {"run_id": 3, "status": "audited", "cut": {}, **result}, "home": home,
            "run_options": {"crawl_profile": PROFILE}, "pages": 7, "min_fresh": 2_000_000_000.0}


def home(sha: str = "abc") -> dict[str, Any]:
    return {"url": URL, "final_url": URL, "status": 200, "sha256": sha}


def response(flags: list[str] | None = None, network: int | None = None) -> Response:
    return Response(URL, status=200, flags=flags, request=Request(URL, meta={"tctt_network_status": network}))


def test_same_bytes_or_a_304_confirm_the_home_page() -> None:
    assert unchanged(source(), response(), home(), PROFILE) == "HTTP 200, same SHA-256"
    assert unchanged(source(), response(["cached"], 304), home(), PROFILE) == "304 Not Modified"


def test_anything_else_is_crawled() -> None:
    assert unchanged(source(), response(), home("other"), PROFILE) is None  # the home page changed
    assert unchanged(source(), response(["cached"], 503), home(), PROFILE) is None  # the cache stood in
    assert unchanged(source(status="blocked"), response(), home(), PROFILE) is None
    assert unchanged(source(cut={"time": 1}), response(), home(), PROFILE) is None  # cut short by time
    other = crawl_profile(Settings({"TCTT_MAX_PAGES_PER_AGENCY": 80}))
    assert unchanged(source(), response(), home(), other) is None  # another crawl profile


def test_the_note_says_until_when_in_both_languages() -> None:
    note = carried_record(source(), "304 Not Modified", None, True, now=1_900_000_000.0)
    assert note["from_run"] == 3 and note["pages"] == 7 and note["fresh_until"] == "2033-05-18T03:33:20+00:00"
    assert note["why"].startswith("trang chủ không đổi (304 Not Modified)") and "evidence carried from run 3" in note["why"]
    assert note["transport"] == "probed in this run"
    stale = carried_record(source(), "HTTP 200, same SHA-256", [{"url": URL}], False, now=2_100_000_000.0)
    assert stale["fresh_until"] is None and "1 stale pages asked for again" in stale["why"]
