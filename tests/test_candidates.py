"""crawler.candidates: the search for a section beyond the home page's links, on responses built here
(the spider's own steps — requests, records, items — stood in by a small host class)."""

from __future__ import annotations

from typing import Any

import scrapy
from scrapy.http import Request, Response, TextResponse

from core.registry import Agency
from crawler.agencystate import AgencyState
from crawler.candidates import CandidateSearch
from crawler.ledger.local import LocalLedger
from crawler.scope import same_site
from crawler.urls import canonical

HOME = "http://sotuphap.tinh.gov.vn/"
AGENCY = Agency(id="a1", name="Sở Tư pháp", url=HOME, level="so", parent="", province="", email="",
                section_url="", line=2)


class Host(CandidateSearch):
    candidate_threshold, max_candidates, max_landing, max_banners, banner_max_bytes = 0.3, 5, 2, 1, 1000

    def __init__(self) -> None:
        self.states = {"a1": AgencyState(agency=AGENCY, started_at="2026-12-01T00:00:00", budget=50)}
        self.ledger = LocalLedger(self)
        self.items: list[dict[str, Any]] = []

    _key = staticmethod(canonical)

    @staticmethod
    def _same_site(state: AgencyState, url: str) -> bool:
        return same_site(url, state.agency.url, state.final_url)

    def _request(self, state: AgencyState, url: str, *, kind: str, depth: int, callback: Any,
                 referrer: str = "", anchor: str = "") -> scrapy.Request | None:
        if not self.ledger.claim(state, self._key(url)):
            return None
        state.pending += 1
        return scrapy.Request(url, callback=callback, meta={"agency_id": "a1", "kind": kind, "anchor": anchor})

    def _page_item(self, state: AgencyState, response: Response, record: dict[str, Any]) -> dict[str, Any]:
        return {"url": response.url, **record}

    def parse_section(self, response: Response) -> None:  # pragma: no cover - never called here
        raise AssertionError

    def result_item(self, state: AgencyState) -> dict[str, str]:
        state.finished = True
        return {"result": state.agency.id}


def fetched(url: str, body: str, **meta: Any) -> TextResponse:
    request = Request(url, meta={"agency_id": "a1", "kind": "sitemap", **meta})
    return TextResponse(url, body=body.encode(), encoding="utf-8", request=request)


def test_robots_txt_names_the_sitemaps_to_read_next() -> None:
    host = Host()
    host.states["a1"].pending = 1
    out = list(host.parse_sitemap(fetched(HOME + "robots.txt", f"User-agent: *\nSitemap: {HOME}sm.xml\n",
                                          sitemap_level=0)))
    item, request = out  # the sitemap named is in flight: the agency is not done
    assert item["title"] == "robots.txt" and item["links"] == [{"url": HOME + "sm.xml", "sitemap": "1", "level": "1"}]
    assert isinstance(request, scrapy.Request) and request.url == HOME + "sm.xml"
    assert request.meta["sitemap_level"] == 1 and request.meta["download_maxsize"] > 0
    assert host.states["a1"].pending == 1 and not host.states["a1"].finished


def test_a_sitemaps_pages_are_weighed_as_candidates() -> None:
    host = Host()
    state = host.states["a1"]
    state.pending = 1
    urlset = ("<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
              f"<url><loc>{HOME}tiep-can-thong-tin</loc></url><url><loc>{HOME}tin-tuc/bai-1</loc></url>"
              "<url><loc>http://baomoi.com/tiep-can-thong-tin</loc></url></urlset>")
    out = list(host.parse_sitemap(fetched(HOME + "sitemap.xml", urlset, sitemap_level=1)))
    requests = [o for o in out if isinstance(o, scrapy.Request)]
    assert [r.url for r in requests] == [HOME + "tiep-can-thong-tin"]  # the other site's page is not weighed
    candidate = state.candidates[HOME + "tiep-can-thong-tin"]
    assert candidate["reasons"][0] == f"found in the sitemap {HOME}sitemap.xml"
    assert [entry["via"] for entry in candidate["reach"]] == ["sitemap"]
    assert state.pending == 1 and not state.finished  # the candidate is in flight: the agency is not done


def test_other_ways_in_ask_for_hub_pages_then_the_sitemaps() -> None:
    host = Host()
    state = host.states["a1"]
    links = [{"url": HOME + "cong-khai-minh-bach", "text": "Công khai minh bạch", "title": "", "img_alt": "",
              "img_src": "", "context": "", "chrome": "menu"}]
    requests = list(host._other_ways_in(state, links, HOME))
    assert [(r.meta["kind"], r.url) for r in requests] == [
        ("landing", HOME + "cong-khai-minh-bach"), ("sitemap", HOME + "robots.txt"), ("sitemap", HOME + "sitemap.xml")]
    assert requests[0].meta["through"]["label"] == "Công khai minh bạch"
    assert [r.meta["sitemap_level"] for r in requests[1:]] == [0, 1]
    assert list(host._other_ways_in(state, links, HOME)) == []  # each asked for once
