"""Find the access-to-information section: score candidate links, then confirm by content.

Step 1 (``score_link``) weighs what a link says about its target: anchor text, title attribute,
image alt text and file name, and the URL slug, all folded. Step 2 (``confirm``) weighs what the
candidate page and the pages it links to actually hold: the parts of the section named in headings
and links, minus the marks of a news article, of the Law's text, or of a different programme.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from core.vntext import fold, slug_words
from crawler.classify import NEWS_PATH, section_phrase_score

LINK_WEIGHTS = {"text": 0.6, "title": 0.45, "img_alt": 0.55, "img_file": 0.45, "slug": 0.4, "context": 0.1,
                "menu": 0.35}
ELEMENTS_FOR_FULL_CONFIDENCE = 4
DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".rtf", ".zip", ".rar", ".7z")
SECTION_ELEMENT_KINDS = ("public_catalogue", "conditional_catalogue", "focal_point", "request_address",
                         "complaint_channel", "forms", "guidance", "regulation", "download")


# A document store's address names the file, then an opaque id: Liferay's "/documents/<group>/<folder>/
# 01a.pdf/<uuid>", the portal software many agencies run.
_OPAQUE_ID = re.compile(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|\d+", re.IGNORECASE)


def is_document_url(url: str) -> bool:
    path = unquote(urlsplit(url).path).lower()
    if path.endswith(DOCUMENT_EXTENSIONS):
        return True
    head, _, last = path.rpartition("/")
    return head.endswith(DOCUMENT_EXTENSIONS) and bool(_OPAQUE_ID.fullmatch(last))


def score_link(link: dict[str, str]) -> tuple[float, list[str]]:
    """Score 0–1 of how strongly a link points at the section, with the reasons."""
    reasons: list[str] = []
    total = 0.0
    parts = urlsplit(link["url"])
    signals = {
        "text": link.get("text", ""),
        "title": link.get("title", ""),
        "img_alt": link.get("img_alt", ""),
        "img_file": slug_words(posixpath.basename(urlsplit(link.get("img_src", "")).path)),
        "slug": slug_words(unquote(parts.path + " " + parts.query)),
        "context": "" if link.get("context", "").startswith("menu: ") else link.get("context", ""),
        "menu": link.get("context", "")[6:] if link.get("context", "").startswith("menu: ") else "",
    }
    # A link that says nothing but its address (a sitemap location, an empty icon link) is known by its slug
    # alone: the slug then weighs what a text would.
    bare = not any(link.get(k) for k in ("text", "title", "img_alt", "img_src"))
    for name, value in signals.items():
        strength = section_phrase_score(value)
        if strength:
            total += LINK_WEIGHTS["text" if bare and name == "slug" else name] * strength
            reasons.append(f"{name}: {value[:80]!r}")
    folded = " ".join(fold(v) for v in signals.values())
    if "tiep can phap luat" in folded:
        return 0.0, ["'tiếp cận pháp luật' is a different programme"]
    if is_document_url(link["url"]):
        total *= 0.5
        reasons.append("target is a document, not a page")
    return min(total, 1.0), reasons


def rank_candidates(links: list[dict[str, str]], *, same_site: callable, threshold: float,
                    limit: int) -> list[dict[str, Any]]:
    """The best distinct candidate links of a page, highest score first."""
    best: dict[str, dict[str, Any]] = {}
    for link in links:
        if not same_site(link["url"]):
            continue
        score, reasons = score_link(link)
        if score < threshold:
            continue
        anchor = link.get("text") or link.get("title") or link.get("img_alt") or ""
        # Which candidates to fetch first: the site's navigation (menu, footer, banner) before links in
        # the page body, and news articles last — a home page full of news about the Law must not push
        # the section out of the few candidates fetched. The link score itself is unchanged.
        priority = score + (0.3 if link.get("chrome") else 0.0) - (0.15 if NEWS_PATH.search(link["url"]) else 0.0)
        current = best.get(link["url"])
        if current is None or score > current["link_score"]:
            best[link["url"]] = {"url": link["url"], "anchor": anchor[:200], "link_score": round(score, 3),
                                 "reasons": reasons, "_priority": priority}
    ranked = sorted(best.values(), key=lambda c: (-c["_priority"], -c["link_score"], c["url"]))[:limit]
    for candidate in ranked:
        del candidate["_priority"]
    return ranked


def confirm(candidate_page: dict[str, Any], children: list[dict[str, Any]]) -> tuple[float, list[str]]:
    """Content score 0–1 of a candidate page, from its own signals and those of its child pages."""
    own = candidate_page.get("signals") or {}
    elements = own.get("elements", {})
    negatives = own.get("negatives", {})
    reasons: list[str] = []
    structural = {k for k, s in elements.items() if s["structural"] and k in SECTION_ELEMENT_KINDS}
    prose = {k for k, s in elements.items() if not s["structural"] and k in SECTION_ELEMENT_KINDS}
    from_children: set[str] = set()
    for child in children:
        for kind, signal in ((child.get("signals") or {}).get("elements", {})).items():
            if kind in SECTION_ELEMENT_KINDS and signal["structural"] and kind not in structural:
                from_children.add(kind)
    if structural:
        reasons.append("headings/links name: " + ", ".join(sorted(structural)))
    if from_children:
        reasons.append("child pages hold: " + ", ".join(sorted(from_children)))
    if prose - structural - from_children:
        reasons.append("mentioned only in prose: " + ", ".join(sorted(prose - structural - from_children)))
    weight = len(structural) + 0.6 * len(from_children) + 0.15 * len(prose - structural - from_children)
    score = min(weight / ELEMENTS_FOR_FULL_CONFIDENCE, 1.0)
    penalty = 0.0
    if "law_text" in negatives:
        penalty += 0.6
        reasons.append(f"looks like the text of a law ({negatives['law_text']})")
    if "news_markers" in negatives or "news_path" in negatives:
        penalty += 0.35
        reasons.append("looks like a news article (" + ", ".join(
            str(negatives[k]) for k in ("news_markers", "news_path") if k in negatives) + ")")
    if "legal_access" in negatives and not structural:
        penalty += 0.5
        reasons.append("about 'tiếp cận pháp luật', a different programme")
    if len(structural | from_children) < 2:
        penalty += 0.3
        reasons.append("fewer than two parts of the section")
    return max(0.0, round(score - penalty, 3)), reasons


def combine(link_score: float, content_score: float) -> float:
    """Confidence that a candidate is the section: content matters most, the link only steers."""
    return round(min(1.0, 0.25 * link_score + 0.75 * content_score), 3)
