"""URL canonicalisation and crawler-trap recognition."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.urls import TrapDetector, canonical

SAME_PAGE = [
    "https://so.tinh.gov.vn/tiep-can-thong-tin",
    "https://SO.tinh.gov.vn:443/tiep-can-thong-tin",
    "https://so.tinh.gov.vn/tiep-can-thong-tin#top",
    "https://so.tinh.gov.vn/tiep-can-thong-tin;jsessionid=0A1B2C3D4E5F",
    "https://so.tinh.gov.vn/tiep-can-thong-tin?utm_source=zalo&utm_medium=share&fbclid=abc",
    "https://so.tinh.gov.vn/tiep-can-thong-tin?PHPSESSID=deadbeef",
    "https://user:pw@so.tinh.gov.vn/tiep-can-thong-tin",
]


@pytest.mark.parametrize("url", SAME_PAGE)
def test_one_page_under_many_urls_has_one_key(url: str):
    assert canonical(url) == canonical(SAME_PAGE[0])


def test_meaningful_differences_are_kept():
    assert canonical("http://a.gov.vn/x") != canonical("https://a.gov.vn/x")
    assert canonical("http://a.gov.vn:8080/x") != canonical("http://a.gov.vn/x")
    assert canonical("http://a.gov.vn/x?id=1") != canonical("http://a.gov.vn/x?id=2")
    assert canonical("http://a.gov.vn/x?b=2&a=1") == canonical("http://a.gov.vn/x?a=1&b=2")
    assert canonical("http://a.gov.vn:80/x") == canonical("http://a.gov.vn/x")


def test_traps_are_recognised_with_a_reason():
    traps = TrapDetector(today=date(2026, 11, 26), max_calendar=3, max_variants=4)
    assert traps.reason("http://a.gov.vn/lich?year=1900&month=1") == "calendar page outside the audit years"
    assert traps.reason("http://a.gov.vn/su-kien/2099/01") == "calendar page outside the audit years"
    for month in (1, 2, 3):
        assert traps.reason(f"http://a.gov.vn/lich?year=2026&month={month}") is None
    assert traps.reason("http://a.gov.vn/lich?year=2026&month=4") == "more than 3 calendar pages"
    assert "query parameters" in traps.reason("http://a.gov.vn/s?" + "&".join(f"p{i}=1" for i in range(9)))
    assert traps.reason("http://a.gov.vn/a/b/a/b/a/b/") == "repeated path segments"
    assert "characters" in traps.reason("http://a.gov.vn/" + "x" * 600)
    for page in range(4):
        assert traps.reason(f"http://a.gov.vn/tin-tuc?page={page}") is None
    assert traps.reason("http://a.gov.vn/tin-tuc?page=99") == "more than 4 query variants of /tin-tuc"
    assert traps.reason("http://a.gov.vn/tiep-can-thong-tin") is None


def test_very_long_urls_are_not_kept_by_the_canonical_cache():
    import gc
    import tracemalloc

    def batch(start: int) -> None:  # 300 distinct 30 KB URLs: about 18 MB if key and value were memoised
        for i in range(start, start + 300):
            canonical(f"http://portal.test/van-ban/{i}?q=" + "x" * 30_000)

    tracemalloc.start()  # before the first batch: frees of what it allocated are seen too
    batch(0)  # the standard library's and w3lib's own small URL caches (128 entries) fill up here
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    batch(1000)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert kept < 2_000_000, kept
