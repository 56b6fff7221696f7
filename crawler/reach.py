"""How a portal leads a citizen to its access-to-information section, and which pages to try on the way.

Real portals do not all link the section from the home page. It hangs in a sub-menu ("Công dân" ›
"Tiếp cận thông tin"), on a landing page the main menu opens ("Công khai minh bạch", "Thông tin cần biết",
"Dành cho công dân"…), in the footer, behind a banner whose only words are in the picture, or only in the
sitemap. This module:

- scores a link as a *landing page* (a hub that lists services or disclosures) by the words it shows,
  folded, against weighted hub vocabulary — never against the words of one portal;
- says how a candidate was reached (``reach_entry``): menu, sub-menu, footer, sidebar, banner (alt text,
  file name or image text), page body, a landing page, or a sitemap, recorded with the candidate;
- picks the banner images worth reading by OCR, and reads the section's name in OCR'd text;
- recognises tag archives (keyword indexes that list whatever carries a tag), which are never the section;
- names the pages a section links for its parts (feedback form, contacts, forms, catalogue), followed
  within the section's budget so that items are judged where they live.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from rapidfuzz import fuzz

from crawler.classify import NEWS_PATH, section_phrase_score
from crawler.discovery import is_document_url
from crawler.urls import url_key
from tctt.vntext import fold, slug_words

# Hub vocabulary (folded): a menu entry or link naming one of these opens a page listing services or
# disclosures, where the section is often linked. Weights say how often such a hub holds it.
_HUB_WORDS: list[tuple[re.Pattern[str], float]] = [(re.compile(p), w) for p, w in (
    (r"\bcong khai\b", 1.0),                 # "Công khai", "Công khai minh bạch", "Công khai thông tin"
    (r"\bminh bach\b", 0.8),
    (r"\bthong tin can biet\b", 0.9),
    (r"\bthong tin (huu ich|cong dan|danh cho)\b", 0.7),
    (r"\b(danh cho |ho tro )?cong dan\b", 0.8),  # "Công dân", "Dành cho công dân", "Công dân - Doanh nghiệp"
    (r"\bnguoi dan\b", 0.7),
    (r"\bdoanh nghiep\b", 0.5),
    (r"\bchuyen muc\b", 0.7),
    (r"\bchuyen trang\b", 0.6),
    (r"\btien ich\b", 0.6),
    (r"\bho tro\b", 0.5),
    (r"\bthong tin\b", 0.35),
    (r"\bchuyen de\b", 0.4),
    (r"\bgioi thieu\b", 0.3),
    (r"\bvan ban\b", 0.3),
)]
# Hubs that are not where the section lives: a different service, or ordinary news.
_NOT_HUB = re.compile(r"\b(dich vu cong|tiep can phap luat|tin tuc|su kien|thu vien (anh|video)|video|"
                      r"trang chu|dang nhap|tim kiem|so do (trang|site)|english|lien he)\b")
LANDING_THRESHOLD = 0.5
# Tag archives: a keyword index over posts (WordPress /tag/…, ?tag=, NukeViet /news/tag/…, Joomla
# /tags/…, Drupal /tags/…), never a section, though a tag "Tiếp cận thông tin" links the section's posts.
_TAG_ARCHIVE = re.compile(r"/(tag|tags|the-tag|tu-khoa|tukhoa|keyword)/|[?&](tag|tag_id|tagid|keyword)=", re.IGNORECASE)
# A section's own pages where some of its parts live: feedback form, contacts, forms, catalogue, Q&A.
_ITEM_PAGE = re.compile(r"\b(gop y|phan anh|kien nghi|hoi dap|lien he|thu dien tu|bieu mau|mau bieu|"
                        r"danh muc|van ban|tai lieu|dau moi|contact|feedback|faq)\b")
_ITEM_SLUG = re.compile(r"\b(contact|contacts|lien he|lienhe|gop y|gopy|phan anh|feedback|hoi dap|hoidap|"
                        r"bieu mau|bieumau|forms?|download|danh muc)\b")


def landing_score(link: dict[str, str]) -> float:
    """How strongly a link opens a hub page (0–1): the best hub word of its text, title or image alt, and
    two thirds of its parent menu entry's (a sub-menu item under "Công dân" is itself often a hub)."""
    own = " ".join(fold(link.get(k, "")) for k in ("text", "title", "img_alt")).strip()
    context = link.get("context", "")
    parent = fold(context[6:]) if context.startswith("menu: ") else ""
    slug = slug_words(unquote(urlsplit(link.get("url", "")).path))

    def best(words: str) -> float:
        if not words or _NOT_HUB.search(words):
            return 0.0
        return max((w for pattern, w in _HUB_WORDS if pattern.search(words)), default=0.0)

    if own and len(own) > 60:  # a sentence (a news title), not a menu label
        return 0.0
    return round(max(best(own), 0.65 * best(parent), 0.5 * best(slug) if not own else 0.0), 3)


def landing_links(links: list[dict[str, str]], *, same_site: Any, exclude: set[str], limit: int,
                  key: Any) -> list[dict[str, Any]]:
    """The hub pages of a home page worth opening: links of the site's navigation (menus, sub-menus, header,
    footer, sidebar) that name a hub, best first, at most ``limit``; never a section candidate itself, a
    document or a news article."""
    best: dict[str, dict[str, Any]] = {}
    for link in links:
        url = link.get("url", "")
        if not link.get("chrome") and not link.get("context", "").startswith("menu: "):
            continue
        if not same_site(url) or NEWS_PATH.search(url) or key(url) in exclude:
            continue
        if is_document_url(url):
            continue
        score = landing_score(link)
        if score < LANDING_THRESHOLD:
            continue
        label = link.get("text") or link.get("title") or link.get("img_alt") or ""
        entry = {"url": url, "label": label[:120], "score": score, "via": link_via(link)}
        current = best.get(key(url))
        if current is None or score > current["score"]:
            best[key(url)] = entry
    return sorted(best.values(), key=lambda e: (-e["score"], e["url"]))[:limit]


def link_via(link: dict[str, str]) -> str:
    """Where a link sits on its page: submenu, menu, header, footer, sidebar, banner, or body."""
    region = link.get("chrome") or ""
    if link.get("context", "").startswith("menu: "):
        return "submenu"
    if link.get("img_src") and not (link.get("text") or "").strip():
        return "banner"
    if region in ("menu", "header", "footer", "sidebar", "banner"):
        return region
    return "chrome" if region else "body"


def reach_entry(link: dict[str, str], source_url: str, source: str = "home",
                through: dict[str, Any] | None = None) -> dict[str, Any]:
    """How a candidate was reached: ``via`` (menu, submenu, footer, header, sidebar, banner_alt,
    banner_file, banner_ocr, body, landing, sitemap), the label the citizen sees, the page it was on, and —
    for a landing page — where the link sat on it (``on_page``) and how that page itself was reached
    (``through``)."""
    via = "sitemap" if source == "sitemap" else link_via(link)
    on_page = ""
    if source == "landing":
        via, on_page = "landing", via
    if via == "banner":
        if section_phrase_score(link.get("img_alt", "")):
            via = "banner_alt"
        elif link.get("ocr_text"):
            via = "banner_ocr"
        else:
            via = "banner_file"
    entry: dict[str, Any] = {"via": via, "from": source_url}
    label = link.get("text") or link.get("title") or link.get("img_alt") or link.get("ocr_text") or ""
    if label:
        entry["label"] = label[:120]
    if via == "submenu":
        entry["menu"] = link.get("context", "")[6:][:120]
    if link.get("img_src"):
        entry["image"] = link["img_src"][:300]
    if on_page:
        entry["on_page"] = on_page
    if through:
        entry["through"] = through
    return entry


def describe(entry: dict[str, Any]) -> str:
    """One line for the candidate's reasons (what the inspector reads)."""
    names = {"menu": "menu", "submenu": "sub-menu", "header": "header", "footer": "footer", "sidebar": "sidebar",
             "banner_alt": "banner (alt text)", "banner_file": "banner (file name)",
             "banner_ocr": "banner (text in the image, OCR)", "body": "page body", "chrome": "site navigation",
             "sitemap": "sitemap"}
    text = names.get(entry["via"], entry["via"])
    if entry.get("menu"):
        text += f" under '{entry['menu'][:60]}'"
    if entry.get("label"):
        text += f" '{entry['label'][:60]}'"
    through = entry.get("through")
    if through:
        text = (f"landing page '{through.get('label', '')[:60]}' ({names.get(through.get('via', ''), through.get('via', ''))})"
                f" › {names.get(entry.get('on_page', ''), entry.get('on_page', 'link'))}" + text.removeprefix("landing"))
    return f"reached by: {text} on {entry['from']}"


def merge_reach(candidate: dict[str, Any], entry: dict[str, Any]) -> None:
    """Add a way of reaching a candidate already known (each way once)."""
    paths = candidate.setdefault("reach", [])
    if entry not in paths and len(paths) < 8:
        paths.append(entry)
        candidate.setdefault("reasons", []).append(describe(entry))


# --- banners -----------------------------------------------------------------------------------
def banner_links(links: list[dict[str, str]], *, same_site: Any, scored: Any, limit: int,
                 home: str = "") -> list[dict[str, str]]:
    """Image links whose words (alt, file name, title) do not name the section: the banners whose picture
    may be the only place the words are. Site navigation and sidebars first; at most ``limit``. The logo
    (an image linking the home page) is not a banner."""
    found: dict[str, dict[str, str]] = {}
    home_key = url_key(home) if home else ""
    for link in links:
        src = link.get("img_src") or ""
        if not src or (link.get("text") or "").strip() or not same_site(link.get("url", "")):
            continue
        if urlsplit(link.get("url", "")).path in ("", "/") or (home_key and url_key(link.get("url", "")) == home_key):
            continue
        if not urlsplit(src).scheme.startswith("http"):
            continue
        if scored(link) >= 0.25 or posixpath.splitext(urlsplit(src).path)[1].lower() in (".svg", ".gif"):
            continue  # already a candidate by its words; or a vector or animated image OCR reads badly
        found.setdefault(src, link)
    ordered = sorted(found.values(), key=lambda link: (0 if link.get("chrome") else 1))
    return ordered[:limit]


def ocr_names_section(text: str) -> float:
    """How strongly OCR'd banner text names the section (0–1): the phrase scorer, and a fuzzy match that
    forgives OCR's lost or wrong diacritics and letters ("TIEP CAN THONG TlN")."""
    strength = section_phrase_score(text)
    if strength:
        return strength
    folded = slug_words(text)
    if "tiep can phap luat" in folded or not folded:
        return 0.0
    ratio = fuzz.partial_ratio("tiep can thong tin", folded)
    return 0.7 if ratio >= 85 else 0.0


# --- the section's item pages and tag archives -------------------------------------------------------
def is_tag_archive(url: str) -> bool:
    return bool(_TAG_ARCHIVE.search(urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")))


def names_item_page(link: dict[str, str]) -> bool:
    """A link in a section's body to a page holding one of its items (feedback form, contacts, forms,
    catalogue)."""
    words = fold(" ".join(link.get(k, "") for k in ("text", "title")))
    if _ITEM_PAGE.search(words):
        return True
    # The path only: a print view's query (print.aspx?p=/danh-muc-…) names the page it prints, not a new one.
    return bool(_ITEM_SLUG.search(slug_words(unquote(urlsplit(link.get("url", "")).path))))
