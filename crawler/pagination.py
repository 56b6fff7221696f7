"""Listings split over several pages: a category archive, a catalogue, a list of forms.

Each CMS marks the next page its own way — WordPress ``/page/2/``, NukeViet ``/page-2``, Joomla
``?start=20``/``?limitstart=20``, Drupal ``?page=1``, others ``?trang=2``, ``/trang-2``, ``?PageIndex=2``.
:func:`listing_page` strips that mark, so the pages of one listing share a base; :func:`same_listing` says
whether a link leads to another page of the listing it sits on. The crawler follows such links as part of
the page (a catalogue is read whole), and the auditors count them at the listing's own level.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.urls import url_key

# Path marks: /page/2, /page-2, /trang/2, /trang-2 at the end of the path (before an optional slash or
# a .html suffix).
_PATH_MARK = re.compile(r"/(?:page|trang)[/-]?(\d{1,4})(?:\.html?)?/?$", re.IGNORECASE)
_QUERY_MARK = re.compile(r"^(page|paged|pg|p|trang|start|limitstart|pageindex|pagenum|page_no|currentpage|"
                         r"[a-z0-9_]*\$?page(index)?|cpage)$", re.IGNORECASE)
_VALUE_MARK = re.compile(r"/(?:page|trang)-(\d{1,4})$", re.IGNORECASE)
MAX_LISTING_PAGES = 10  # pages of one listing read beyond its first


def listing_page(url: str) -> tuple[str, int] | None:
    """(the listing's base key, the page number as written) when ``url`` is a numbered page of a listing,
    else None. ``?start=20`` counts items, not pages: its number is returned as written."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    number = None
    path = parts.path
    match = _PATH_MARK.search(path)
    if match:
        number = int(match.group(1))
        path = path[: match.start()] or "/"
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if number is None and _QUERY_MARK.match(key) and value.isdigit():
            number = int(value)
            continue
        if key == "showall":  # Joomla's "show all / page N" switch is part of the pagination
            continue
        marked = _VALUE_MARK.search(value) if number is None else None
        if marked:  # NukeViet without URL rewriting: ?nv=news&op=<category>/page-2
            number = int(marked.group(1))
            value = value[: marked.start()]
        query.append((key, value))
    if number is None:
        return None
    base = urlunsplit((parts.scheme, parts.netloc, path.rstrip("/") or "/", urlencode(query), ""))
    return url_key(base), number


def _base(url: str) -> str:
    found = listing_page(url)
    if found is not None:
        return found[0]
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "showall"]
    return url_key(urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") or "/", urlencode(query), "")))


def same_listing(page_url: str, link_url: str) -> bool:
    """Whether ``link_url`` is another numbered page of the listing ``page_url`` shows (its first page or
    any other): the next pages of a split catalogue or category archive."""
    if not page_url or not link_url:
        return False
    target = listing_page(link_url)
    if target is None:
        return False
    try:
        return target[0] == _base(page_url) and url_key(link_url) != url_key(page_url)
    except ValueError:
        return False
