"""A page found as a section candidate by several paths is weighed by its best-named link, whichever path
came first: a section page listed in the sitemap (its slug only) before a landing page links it by name
used to keep the sitemap's weak score, and the agency's section was not found."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from crawler.candidates import CandidateSearch
from crawler.urls import canonical

SECTION = "http://so1.tinh.gov.test/3869/41001/56336/tiepcanthongtin"
SITEMAP = "http://so1.tinh.gov.test/sitemap.xml"
LANDING = "http://so1.tinh.gov.test/cong-khai-minh-bach"


class Search(CandidateSearch):
    def __init__(self) -> None:
        self._key = canonical


def _by_sitemap() -> tuple[dict[str, Any], list[dict[str, str]], str, str, dict[str, Any] | None]:
    candidate = {"url": SECTION, "anchor": "", "link_score": 0.48, "reasons": ["found in the sitemap " + SITEMAP]}
    return candidate, [{"url": SECTION, "text": ""}], SITEMAP, "sitemap", None


def _by_landing() -> tuple[dict[str, Any], list[dict[str, str]], str, str, dict[str, Any] | None]:
    candidate = {"url": SECTION, "anchor": "Chuyên mục tiếp cận thông tin", "link_score": 0.92,
                 "reasons": ["text: 'Chuyên mục tiếp cận thông tin'"]}
    link = {"url": SECTION, "text": "Chuyên mục tiếp cận thông tin"}
    return candidate, [link], LANDING, "landing", {"url": LANDING, "label": "Công khai minh bạch", "via": "menu"}


def _found(*paths: Any) -> dict[str, Any]:
    search, state = Search(), SimpleNamespace(candidates={})
    for path in paths:
        candidate, links, source_url, source, through = path()
        search._add_candidate(state, candidate, links, source_url, source, through)
    assert list(state.candidates) == [canonical(SECTION)]
    return state.candidates[canonical(SECTION)]


def test_the_best_named_link_counts_whichever_path_comes_first() -> None:
    sitemap_first, landing_first = _found(_by_sitemap, _by_landing), _found(_by_landing, _by_sitemap)
    for found in (sitemap_first, landing_first):
        assert found["link_score"] == 0.92
        assert found["anchor"] == "Chuyên mục tiếp cận thông tin"
        assert "text: 'Chuyên mục tiếp cận thông tin'" in found["reasons"]
        assert {way["via"] for way in found["reach"]} == {"sitemap", "landing"}  # every way in is kept
    assert sorted(sitemap_first["reasons"]) == sorted(landing_first["reasons"])


def test_a_weaker_link_found_later_changes_nothing_but_the_ways_in() -> None:
    found = _found(_by_landing, _by_sitemap)
    assert found["reasons"][0] == "text: 'Chuyên mục tiếp cận thông tin'"
    assert not any(reason.startswith("found in the sitemap") for reason in found["reasons"])
