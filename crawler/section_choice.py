"""The choice of an agency's TCTT section from the evidence gathered: a pure function of the candidates
weighed and the pages fetched, shared by the single-process spider (``PortalSpider.result_item``) and the
Redis coordinator (``tctt cluster``), which makes it from the pages stored by several workers — so both
choose identically.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from crawler import discovery
from crawler.reach import is_tag_archive
from crawler.urls import canonical


def weigh(candidates: Mapping[str, dict[str, Any]], pages: Mapping[str, dict[str, Any]],
          threshold: float) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The candidates with their content score and confidence (the chosen one marked ``chosen=1``), and the
    chosen section (None when no candidate reaches ``threshold``).

    ``candidates`` maps a canonical URL to a candidate link (url, anchor, link_score, reasons), in the order
    they were found; ``pages`` maps a canonical URL (asked for, redirect hop or final) to the page's record.
    """
    weighed = []
    for key, candidate in candidates.items():
        page = pages.get(key)
        if page is None or page.get("status") is None or page["status"] >= 400:
            content, reasons = 0.0, ["could not be fetched"]
        else:
            # A child lends its parts to the candidate, unless it is a better-named candidate (a news
            # category whose menu links the real section must not borrow the section's parts) or
            # the home page.
            own_score = candidate["link_score"]
            children = [pages[canonical(link["url"])] for link in page.get("links") or []
                        if canonical(link["url"]) in pages and canonical(link["url"]) != key
                        and (candidates.get(canonical(link["url"])) or {}).get("link_score", 0) <= own_score
                        and pages[canonical(link["url"])].get("kind") != "home"]
            content, reasons = discovery.confirm(page, children)
            if is_tag_archive(page.get("url") or candidate["url"]):
                # A keyword index lists whatever carries the tag, the section's pages included: never the
                # section itself.
                content = max(0.0, round(content - 0.6, 3))
                reasons.append("a tag archive (keyword index), not a section")
        weighed.append({
            "url": page.get("url", candidate["url"]) if page else candidate["url"],
            "anchor": candidate.get("anchor", ""), "link_score": candidate["link_score"],
            "content_score": content, "confidence": discovery.combine(candidate["link_score"], content),
            "reasons": list(candidate.get("reasons", [])) + reasons, "chosen": 0,
            "reach": list(candidate.get("reach") or []),
        })
    # The same page can be a candidate under two URLs (a redirect): keep the best.
    unique: dict[str, dict[str, Any]] = {}
    for candidate in sorted(weighed, key=_rank):
        kept = unique.setdefault(candidate["url"], candidate)
        if kept is not candidate:  # every way of reaching the page is kept
            kept["reach"] += [entry for entry in candidate["reach"] if entry not in kept["reach"]]
    weighed = list(unique.values())
    best = min(weighed, key=_rank, default=None)
    section = best if best and best["confidence"] >= threshold else None
    if section:
        section["chosen"] = 1
    return weighed, section


def _rank(candidate: dict[str, Any]) -> tuple[float, int]:
    """Higher confidence first; between equals the shallower URL (a section before its catalogue page at
    the same confidence), then the order found. The order found differs between one process and the
    workers of a cluster, which must choose the same section from the same pages."""
    return -candidate["confidence"], len([part for part in urlsplit(candidate["url"]).path.split("/") if part])


def index_stored(rows: Iterable[dict[str, Any]], aliases: Mapping[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """The spider's page index rebuilt from stored page rows (``Store.pages``, in insertion order): each
    parsed page under the URL asked for, its final URL and any redirect hop in ``aliases`` (canonical hop
    → the stored URL). Failed fetches and sitemaps are not pages the spider weighs, as in the spider."""
    pages: dict[str, dict[str, Any]] = {}
    by_url: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row.get("status") is None or row.get("kind") == "sitemap":
            continue
        record = {**row, "url": row.get("final_url") or row["url"]}
        by_url[row["url"]] = record
        for url in (row["url"], row.get("final_url")):
            if url:
                pages.setdefault(canonical(url), record)
    for hop, url in (aliases or {}).items():
        if url in by_url:
            pages.setdefault(hop, by_url[url])
    return pages
