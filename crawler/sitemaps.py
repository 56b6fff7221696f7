"""Sitemaps, read with Scrapy's own sitemap utilities.

Where a portal lists its pages: the ``Sitemap:`` lines of its robots.txt (WordPress core writes
``/wp-sitemap.xml`` there, Yoast ``/sitemap_index.xml``), and ``/sitemap.xml``. A sitemap is either a
``urlset`` (pages) or a ``sitemapindex`` (more sitemaps, followed one level down). ``.xml.gz`` files are
gunzipped with a size cap. ``scrapy.utils.sitemap.Sitemap`` parses with lxml, so entities (``&amp;`` in
NukeViet and Joomla query strings) and CDATA come out decoded, and it never resolves external entities.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from core.vntext import slug_words

# Asked for beside robots.txt: the common default. WordPress core and Yoast name theirs in robots.txt.
DEFAULT = "/sitemap.xml"
MAX_FROM_ROBOTS = 3        # sitemaps named by robots.txt that are read
MAX_CHILDREN = 4           # sitemaps of an index that are read (one level down only)
# The sitemaps protocol allows 50,000 URLs per file: every one is weighed (locations are scored by their
# words, a cheap step); a longer file is cut there instead of growing memory.
MAX_LOCATIONS = 50_000
MAX_UNZIPPED = 20 * 1024 * 1024  # a .xml.gz larger than this once decompressed is a bomb, not a sitemap
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024


@dataclass
class Read:
    kind: str  # "urlset", "sitemapindex", or "invalid"
    locations: list[str] = field(default_factory=list)
    error: str = ""


def from_robots(body: bytes, robots_url: str) -> list[str]:
    """The sitemaps a robots.txt names (``Sitemap:`` lines, relative ones resolved), at most
    ``MAX_FROM_ROBOTS``, first named first."""
    urls = [u for u in sitemap_urls_from_robots(body, base_url=robots_url) if urlsplit(u).scheme in ("http", "https")]
    return list(dict.fromkeys(urls))[:MAX_FROM_ROBOTS]


def read(body: bytes, url: str = "") -> Read:
    """Parse a sitemap (plain or gzipped) into its kind and its locations."""
    if body[:3] == b"\x1f\x8b\x08":
        try:
            body = gunzip(body, max_size=MAX_UNZIPPED)
        except Exception as exc:  # noqa: BLE001 - scrapy raises its own size error and gzip's OSError
            return Read("invalid", error=f"gzip: {type(exc).__name__}: {exc}"[:200])
    if not body.strip():
        return Read("invalid", error="empty")
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return Read("invalid", error="an HTML page, not a sitemap")
    try:
        sitemap = Sitemap(body)
        locations = []
        for entry in sitemap:
            loc = (entry.get("loc") or "").strip()
            if loc:
                loc = urljoin(url, loc)
                if urlsplit(loc).scheme in ("http", "https"):  # file:, ftp: and the like never leave the crawler
                    locations.append(loc)
            if len(locations) >= MAX_LOCATIONS:
                break
    except (etree.XMLSyntaxError, StopIteration, ValueError) as exc:
        return Read("invalid", error=f"not XML ({type(exc).__name__}: {exc})"[:200])
    if sitemap.type not in ("urlset", "sitemapindex"):
        return Read("invalid", error=f"root element <{sitemap.type}>")
    return Read(sitemap.type, locations)


def _child_rank(url: str) -> int:
    """Which sitemaps of an index hold the section most likely: pages and categories before posts, tags,
    users and media (WordPress ``wp-sitemap-posts-page-1.xml``, Yoast ``page-sitemap.xml``)."""
    words = slug_words(posixpath.basename(urlsplit(url).path)).split()
    if {"page", "pages", "trang"} & set(words):
        return 0
    if {"tag", "tags", "user", "users", "author", "media", "image", "images", "video", "attachment"} & set(words):
        return 3
    if {"category", "categories", "taxonomies", "chuyen", "muc", "menu"} & set(words):
        return 1
    return 2


def children(locations: list[str]) -> list[str]:
    """The sitemaps of an index that are read: at most ``MAX_CHILDREN``, the likeliest first."""
    ranked = sorted(dict.fromkeys(locations), key=lambda u: (_child_rank(u), locations.index(u)))
    return ranked[:MAX_CHILDREN]
