"""The section choice from stored evidence (what ``tctt cluster``'s coordinator does): the page index rebuilt
from stored rows, redirect hops included, and the candidates weighed as the single-process spider weighs them."""

from __future__ import annotations

from typing import Any

from crawler.classify import detect
from crawler.section_choice import index_stored, weigh

SECTION = ["Tiếp cận thông tin", "Danh mục thông tin phải được công khai", "Đầu mối cung cấp thông tin",
           "Biểu mẫu phiếu yêu cầu cung cấp thông tin", "Quy chế cung cấp thông tin"]


def _row(url: str, *, kind: str = "candidate", status: int | None = 200, final_url: str | None = None,
         structure: list[str] | None = None, links: list[str] | None = None) -> dict[str, Any]:
    structure = structure or ["Tin tức", "Sự kiện"]
    return {"url": url, "final_url": final_url or url, "status": status, "kind": kind, "title": structure[0],
            "structure": structure, "text": " ".join(structure),
            "links": [{"url": u, "text": ""} for u in links or []],
            "signals": detect(structure[0], structure, " ".join(structure), final_url or url)}


def test_stored_pages_are_indexed_under_every_url_they_are_known_by():
    rows = [_row("http://a.vn/", kind="home"),
            _row("http://a.vn/tctt", final_url="http://a.vn/tiep-can/", structure=SECTION),
            _row("http://a.vn/sitemap.xml", kind="sitemap"),
            _row("http://a.vn/dead", status=None)]
    pages = index_stored(rows, {"http://a.vn/old-tctt": "http://a.vn/tctt"})
    assert pages["http://a.vn/tctt"] is pages["http://a.vn/tiep-can/"] is pages["http://a.vn/old-tctt"]
    assert pages["http://a.vn/tctt"]["url"] == "http://a.vn/tiep-can/"  # weighed under its final URL
    assert "http://a.vn/sitemap.xml" not in pages and "http://a.vn/dead" not in pages
    assert len({id(p) for p in pages.values()}) == 2


def test_the_section_is_chosen_by_content_and_a_dead_candidate_scores_nothing():
    rows = [_row("http://a.vn/", kind="home"),
            _row("http://a.vn/tin-tuc-tiep-can", structure=["Tin tức", "Hội nghị về Luật Tiếp cận thông tin"]),
            _row("http://a.vn/tctt", structure=SECTION)]
    candidates = {
        "http://a.vn/tin-tuc-tiep-can": {"url": "http://a.vn/tin-tuc-tiep-can", "anchor": "Tiếp cận thông tin",
                                         "link_score": 0.9, "reasons": []},
        "http://a.vn/tctt": {"url": "http://a.vn/tctt", "anchor": "TCTT", "link_score": 0.5, "reasons": []},
        "http://a.vn/gone": {"url": "http://a.vn/gone", "anchor": "Công khai", "link_score": 0.6, "reasons": []},
    }
    weighed, section = weigh(candidates, index_stored(rows), threshold=0.5)
    assert section is not None and section["url"] == "http://a.vn/tctt" and section["chosen"] == 1
    assert sum(c["chosen"] for c in weighed) == 1
    gone = next(c for c in weighed if c["url"] == "http://a.vn/gone")
    assert gone["content_score"] == 0.0 and "could not be fetched" in gone["reasons"]
    # Under the threshold nothing is chosen.
    _, none = weigh(candidates, index_stored(rows), threshold=0.99)
    assert none is None


def test_between_equal_candidates_the_shallower_is_chosen_in_any_order_found():
    """The section and its catalogue page weighed alike: the choice must not depend on which was found
    first (one process and the workers of a cluster find them in different orders)."""
    rows = [_row("http://a.vn/", kind="home"),
            _row("http://a.vn/tctt/", structure=SECTION),
            _row("http://a.vn/tctt/danh-muc/", structure=SECTION)]
    section = {"url": "http://a.vn/tctt/", "anchor": "Tiếp cận thông tin", "link_score": 0.6, "reasons": []}
    catalogue = {"url": "http://a.vn/tctt/danh-muc/", "anchor": "Tiếp cận thông tin", "link_score": 0.6,
                 "reasons": []}
    chosen = []
    for order in ((section, catalogue), (catalogue, section)):
        weighed, found = weigh({c["url"]: c for c in order}, index_stored(rows), threshold=0.5)
        assert len({c["confidence"] for c in weighed}) == 1  # a tie indeed
        chosen.append(found["url"])
    assert chosen == ["http://a.vn/tctt/", "http://a.vn/tctt/"]
