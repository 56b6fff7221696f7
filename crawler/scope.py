"""What belongs to an agency's crawl: its own site, and the links from a section worth following.

Pure functions of URLs and link records (``crawler.htmlpage``'s links: text, title, img_alt, url…), used by
the portal spider to keep each agency's crawl on its portal and on the pages its section is made of.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from core.markers import SECTION_PART
from core.vntext import fold, slug_words
from crawler import discovery
from crawler.classify import ELEMENT_PATTERNS

_ELEMENT_WORDS = re.compile("|".join(p for patterns in ELEMENT_PATTERNS.values() for p in patterns))
_PART_WORDS = re.compile(SECTION_PART)  # "Biểu mẫu", "Quy chế", "Đầu mối"…: a section's own pages
_DETAIL_WORDS = ("chi tiet", "xem chi tiet", "xem", "tai ve")  # "Chi tiết", "Xem", "Tải về": an item's own page
# Shared platforms host many agencies on one host name; the path's site segment names the agency.
_SITE_SEGMENT = re.compile(r"^/(?:web|portal/page/portal|group)/([^/;?#]+)", re.IGNORECASE)
_REGISTRABLE_SECOND = ("gov", "org", "edu", "com", "net", "ac")


def site_segment(url: str) -> str | None:
    """'/web/sotuphap/…' → 'sotuphap' (Liferay, Oracle Portal); None for paths that name no site."""
    match = _SITE_SEGMENT.match(urlsplit(url).path)
    return match.group(1).lower() if match else None


def site_of(host: str) -> str:
    """The registrable part of a host: 'so.tinh.gov.vn' → 'tinh.gov.vn', 'www.a.vn' → 'a.vn'.
    IP addresses stand for themselves."""
    if host.replace(".", "").isdigit() or ":" in host:
        return host
    labels = host.removeprefix("www.").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _REGISTRABLE_SECOND else 2
    return ".".join(labels[-keep:])


# Memoised, bounded: a portal's menus and footers bring the same links on every page of the agency, and a
# link's verdicts depend on its words and addresses only.
_MEMO = 8192


@lru_cache(maxsize=_MEMO)
def same_site(url: str, agency_url: str, final_url: str = "", section_url: str = "") -> bool:
    """The agency's own site: its host, its sub-domains, and its parent domain's portal
    (a department's section may live at tinh.gov.vn/so-x or on tctt.so-x.tinh.gov.vn)."""
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return False
    # On a shared host (Liferay /web/<site>/…) another site segment is another agency.
    own, other = site_segment(agency_url), site_segment(url)
    if own and other and own != other and host == (urlsplit(agency_url).hostname or "").lower():
        return False
    for known in {urlsplit(u).hostname or "" for u in (agency_url, final_url, section_url) if u}:
        if host == known or site_of(host) == site_of(known.lower()):
            return True
    return False


def names_element(link: dict[str, str], kinds: tuple[str, ...] = tuple(ELEMENT_PATTERNS)) -> bool:
    """Whether the link's words (text, title, image alt, URL path) name one of the section's ``kinds``."""
    words = " ".join(fold(link.get(k, "")) for k in ("text", "title", "img_alt"))
    words += " " + slug_words(urlsplit(link["url"]).path)
    if kinds != tuple(ELEMENT_PATTERNS):
        return bool(re.search("|".join(p for kind in kinds for p in ELEMENT_PATTERNS[kind]), words))
    return bool(_ELEMENT_WORDS.search(words))


def names_part(link: dict[str, str], threshold: float) -> bool:
    """Whether a link of a section's page names a part of the section: an element, a generic part name,
    a link that scores as a candidate, or an item's "details" link."""
    return _names_part(*(link.get(key, "") for key in _LINK_WORDS), link["url"], threshold)


_LINK_WORDS = ("text", "title", "img_alt", "img_src", "context")  # what names_part's verdict reads, with the url


@lru_cache(maxsize=_MEMO)
def _names_part(text: str, title: str, img_alt: str, img_src: str, context: str, url: str, threshold: float) -> bool:
    link = {"text": text, "title": title, "img_alt": img_alt, "img_src": img_src, "context": context, "url": url}
    folded = fold(text)
    return (names_element(link) or bool(_PART_WORDS.search(folded))
            or discovery.score_link(link)[0] >= threshold or folded in _DETAIL_WORDS)
