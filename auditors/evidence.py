"""What auditors see: one agency's stored evidence, with the section's pages worked out.

Built only from the store, so scoring never touches the network and gives the same answer every time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core import sectionstatus
from core.vntext import excerpt, squash
from crawler.pagination import same_listing
from crawler.urls import url_key

SECTION_DEPTH = 2  # levels below the section when the run did not record its crawl depth (older runs)


def _key(url: str | None) -> str:
    return url_key(url)


class SectionPages(list):
    """The section's pages, noting whether an auditor looked at them: a finding that did is judged on
    the section, so on an ``unsure`` section it cannot be a failure (``auditors.runner``)."""

    read = False

    def __iter__(self):  # type: ignore[no-untyped-def]
        self.read = True
        return super().__iter__()

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        self.read = True
        return super().__getitem__(index)

    def __len__(self) -> int:
        self.read = True
        return super().__len__()


@dataclass
class Evidence:
    agency: dict[str, Any]
    result: dict[str, Any]
    pages: list[dict[str, Any]]
    audit_date: date
    section_url: str | None = None
    section_confidence: float | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)
    section_pages: list[dict[str, Any]] = field(default_factory=SectionPages)
    by_url: dict[str, dict[str, Any]] = field(default_factory=dict)
    # found | unsure | absent, with the candidates and the inspector's decision (core.sectionstatus)
    section: sectionstatus.Verdict | None = None
    # The run's whole registry (with each agency's final_url): the hierarchy that checks on subordinate
    # portals and domain patterns judge against. Empty when scored alone (rule samples).
    registry: list[dict[str, Any]] = field(default_factory=list)
    # Views derived once per agency and shared by the auditors (``auditors.views``).
    views: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, agency: dict[str, Any], result: dict[str, Any], pages: list[dict[str, Any]],
              candidates: list[dict[str, Any]], audit_date: date, section_depth: int | None = None,
              registry: list[dict[str, Any]] | None = None,
              decisions: list[dict[str, Any]] | None = None) -> Evidence:
        # In a fixed order, not the order of arrival: findings that look at "the first pages" must not
        # depend on network timing, nor on which worker of a scaled-out crawl fetched what.
        pages = sorted(pages, key=lambda p: (p.get("depth") or 0, p.get("url") or "", p.get("final_url") or ""))
        evidence = cls(agency=agency, result=result, pages=pages, audit_date=audit_date,
                       section_url=result.get("section_url"), section_confidence=result.get("section_confidence"),
                       candidates=candidates, registry=registry or [])
        for page in pages:
            for url in (page.get("url"), page.get("final_url")):
                if url:
                    evidence.by_url.setdefault(_key(url), page)
        verdict = sectionstatus.judge(candidates, decisions or ()) if candidates or decisions else None
        if verdict is not None and (verdict.decision is not None or verdict.status == "unsure"):
            # The inspector settled it, or the best candidate is unsure: its pages are what the auditors
            # look at (and what they may not fail on while it is unsure).
            evidence.section_url = verdict.url
            evidence.section_confidence = verdict.confidence
        elif verdict is not None and verdict.status == "absent":
            evidence.section_url = None
        evidence.section = verdict
        # As deep as the crawl went (TCTT_SECTION_DEPTH, recorded with the run), so every page it fetched
        # below the section is seen.
        evidence.section_pages = SectionPages(evidence._reachable(evidence.section_url,
                                                                  section_depth or SECTION_DEPTH))
        return evidence

    def _reachable(self, start: str | None, depth: int) -> list[dict[str, Any]]:
        """Pages reachable from ``start`` through stored links, breadth first, ``depth`` levels down."""
        if not start or _key(start) not in self.by_url:
            return []
        seen = {id(self.by_url[_key(start)])}
        ordered = [self.by_url[_key(start)]]
        queue = deque([(self.by_url[_key(start)], 0)])
        while queue:
            page, level = queue.popleft()
            if level >= depth:
                continue
            for link in page.get("links") or []:
                child = self.by_url.get(_key(link.get("url")))
                if child is not None and id(child) not in seen and child.get("kind") != "home":
                    seen.add(id(child))
                    ordered.append(child)
                    # The next page of a split listing is the same page continued, not a level down.
                    same = same_listing(page.get("final_url") or page.get("url") or "", link.get("url") or "")
                    queue.append((child, level if same else level + 1))
        return ordered

    def anchor_of(self, page: dict[str, Any]) -> str:
        """The text of the link that led to a page (documents are often known only by it)."""
        return squash(page.get("title") or "")


def cite(page: dict[str, Any], text: str = "", needle: str = "") -> dict[str, Any]:
    """One evidence entry: the URL, an excerpt and when it was fetched."""
    snippet = excerpt(text, needle) if text else squash(page.get("title") or "")[:160]
    return {"url": page.get("final_url") or page.get("url"), "excerpt": snippet, "fetched_at": page.get("fetched_at")}


def with_archive_records(entries: list[dict[str, Any]], evidence: Evidence) -> list[dict[str, Any]]:
    """Evidence entries naming the WARC record of the page they cite, where that page was archived
    (``warc_record``), so a report can show the page as it was crawled."""
    out = []
    for entry in entries:
        if isinstance(entry, dict) and entry.get("url") and not entry.get("warc_record"):
            page = evidence.by_url.get(_key(entry["url"]))
            if page is not None and page.get("warc_record"):
                entry = {**entry, "warc_record": page["warc_record"]}
        out.append(entry)
    return out
