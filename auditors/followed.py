"""Items judged where they live: a section that points to another page for an item ("send feedback through
the Contact page") has the item if that page, followed by the crawler within the section budget, holds it.

Used by the channel auditors (``auditors.channels``), which say the finding with their ``followed``
message; it declares what it reads.
"""

from __future__ import annotations

from typing import Any

from auditors.base import elements
from auditors.evidence import Evidence
from core.vntext import fold
from crawler.urls import url_key

REQUIRES = ("by_url", "pages.links", "pages.status", "pages.signals.elements")
MIN_LINK_TEXT = 3  # folded characters: shorter link texts ("»", "ở") name nothing


def linked_holder(evidence: Evidence, blocks: list[tuple[dict[str, Any], list[str], str]],
                  kind: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]] | None:
    """(page, link, target) for the first link inside a block naming the item whose target page was read
    and itself names the item structurally (a heading, a form's field or choice): the item lives there.
    Navigation links (menu, footer) are not the block's: only links in the page's own content count."""
    for page, window, _line in blocks:
        block = fold(" ".join(window))
        for link in page.get("links") or []:
            text = fold(link.get("text") or "")
            if link.get("chrome") or len(text) < MIN_LINK_TEXT or text not in block:
                continue
            target = evidence.by_url.get(url_key(link.get("url") or ""))
            if target is None or target is page or (target.get("status") or 999) >= 400:
                continue
            signal = elements(target).get(kind)
            if signal and signal.get("structural"):
                return page, link, target
    return None
