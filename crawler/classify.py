"""Recognise the parts of an access-to-information section, and the pages that only look like one.

Every marker is matched on folded text (no case, no diacritics, đ→d), so "ĐẦU MỐI" and
"dau-moi" are the same word. A marker counts fully when it appears in the page's *structure*
(headings, link anchors, table headers) and only weakly when it appears in running prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.markers import ELEMENT_PATTERNS, FORM_CODE, form_codes
from core.vntext import excerpt, fold

__all__ = ["ELEMENT_PATTERNS", "detect", "form_codes", "section_phrase_score"]

# Things that look like the section but are something else.
NEGATIVE_PATTERNS: dict[str, list[str]] = {
    "legal_access": [r"tiep can phap luat"],
    "spokesperson": [r"nguoi phat ngon"],
    "working_rules": [r"quy che lam viec"],
    "land_data_forms": [r"yeu cau cung cap thong tin,? du lieu"],
    "most_viewed": [r"(tin )?(xem|doc) nhieu( nhat)?", r"tin noi bat"],
    # ("thông tin liên quan đến…" is not "Tin liên quan")
    "news_markers": [r"luot xem", r"(?<!thong )\btin lien quan\b", r"cac tin khac", r"tin cung chuyen muc", r"ngay dang"],
}

SECTION_PHRASES = [
    r"chuyen muc (ve )?tiep can thong tin",
    r"ho tro tiep can thong tin",
    r"tiep can thong tin",
]

_COMPILED = {kind: [re.compile(p) for p in patterns] for kind, patterns in ELEMENT_PATTERNS.items()}
_NEGATIVE = {kind: [re.compile(p) for p in patterns] for kind, patterns in NEGATIVE_PATTERNS.items()}
_ANY_ELEMENT = re.compile("|".join(f"(?:{p})" for patterns in ELEMENT_PATTERNS.values() for p in patterns))
_ARTICLE = re.compile(r"\s*dieu \d{1,3}\s*[.:]")
_CHAPTER = re.compile(r"\s*chuong [ivxl]+\b")
NEWS_PATH = _NEWS_PATH = re.compile(r"/(tin-tuc|tintuc|news|tuyen-truyen|bai-viet|su-kien|thong-bao|chi-dao-dieu-hanh)/", re.I)
# NukeViet serves every category page, the section included, under its news module: /news/<category>/.
_NUKEVIET_CATEGORY = re.compile(r"^https?://[^/]+/news/[^/?#;]+/?(?:;[^/?#]*)?(?:[?#].*)?$", re.I)


@dataclass
class Signal:
    kind: str
    structural: bool
    excerpt: str
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "structural": self.structural, "excerpt": self.excerpt, "source": self.source}


def _first_match(patterns: list[re.Pattern[str]], folded: str) -> re.Match[str] | None:
    for pattern in patterns:
        match = pattern.search(folded)
        if match:
            return match
    return None


def detect(title: str, structure: list[str], text: str, url: str = "") -> dict[str, Any]:
    """Signals on one page: which element kinds it shows (structurally or in prose), and negatives."""
    elements: dict[str, dict[str, Any]] = {}
    structural_items = [title, *structure]
    folded_items = [fold(item) for item in structural_items]
    # The text folded line by line (law articles are counted per line below), and whole from its lines:
    # folding joins whitespace runs, so the two agree, and the page is folded once, not twice.
    folded_lines = [fold(line) for line in text.split("\n")]
    folded_text = " ".join(line for line in folded_lines if line)
    # Most items name no element at all: one search of every marker at once leaves them out, where each
    # kind's markers were tried on each of them in turn (the same matches: a marker matches where it did).
    named = [(item, folded) for item, folded in zip(structural_items, folded_items, strict=True)
             if _ANY_ELEMENT.search(folded)]
    text_names = _ANY_ELEMENT.search(folded_text) is not None
    for kind, patterns in _COMPILED.items():
        for item, folded in named:
            match = _first_match(patterns, folded)
            if match and not _excluded(kind, folded):
                elements[kind] = Signal(kind, True, item[:200], "structure").as_dict()
                break
        if kind not in elements and text_names:
            match = _first_match(patterns, folded_text)
            if match and not _excluded(kind, folded_text[max(0, match.start() - 40): match.end() + 40]):
                elements[kind] = Signal(kind, False, excerpt(text, match.group(0)), "text").as_dict()
    negatives: dict[str, str] = {}
    everything = folded_items[0] + "\n" + "\n".join(folded_items[1:]) + "\n" + folded_text  # title, structure, text
    for kind, patterns in _NEGATIVE.items():
        match = _first_match(patterns, everything)
        if match:
            negatives[kind] = match.group(0)
    articles = sum(1 for line in folded_lines if _ARTICLE.match(line))
    if articles >= 6 or (articles >= 3 and any(_CHAPTER.match(line) for line in folded_lines)):
        negatives["law_text"] = f"{articles} điều"
    if url and _NEWS_PATH.search(url) and not _NUKEVIET_CATEGORY.search(url):
        negatives["news_path"] = _NEWS_PATH.search(url).group(0)
    return {"elements": elements, "negatives": negatives, "forms": sorted(form_codes(fold(" ".join(structure))))}


def _excluded(kind: str, folded: str) -> bool:
    if kind == "regulation":
        return "quy che lam viec" in folded and "cung cap thong tin" not in folded
    if kind == "request_address":
        return bool(FORM_CODE.search(folded) or "phieu tiep nhan" in folded)
    if kind == "forms":
        return bool(re.search(r"yeu cau cung cap thong tin,? du lieu", folded)) and not FORM_CODE.search(folded)
    return False




def section_phrase_score(text: str) -> float:
    """How strongly a short text (anchor, alt, slug words) names the section."""
    folded = fold(text)
    if not folded or "tiep can phap luat" in folded:
        return 0.0
    if re.search(SECTION_PHRASES[0], folded) or re.search(SECTION_PHRASES[1], folded):
        return 1.0
    if re.search(SECTION_PHRASES[2], folded):
        return 0.85
    compacted = re.sub(r"[^a-z0-9]", "", folded)
    if "tiepcanthongtin" in compacted:
        return 0.8
    if "tiepcanthon" in compacted:  # a truncated slug ("…/Chuyen-Muc-Tiep-Can-Thon2528.aspx")
        return 0.7
    if re.search(r"\btctt\b", folded):
        return 0.5
    return 0.0
