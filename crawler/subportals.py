"""Find the links a portal gives to its subordinate bodies' portals, and guess what each one is.

Pure functions over HTML (lxml): the discovery spider gathers pages, this module reads them. Where the
law puts those links (Law 104/2016 Art. 19(4); Law 01/2026 Art. 11(3)) portals use a handful of shapes:

- a "Liên kết website" select box (``<select><option value=URL>``, opened by a script);
- a menu ("Sở, ban, ngành" under a top-menu item) or a footer list of links;
- a page of its own: "Đơn vị trực thuộc", "Các xã, phường", "Sở, ban, ngành";
- sub-sites on the same host (``/web/<site>``, ``/<unit>/``) — the component sites of Decree 224/2026
  Art. 11(1).

A link is a subordinate portal when its name reads as a body below the parent (a department, a commune,
a unit of a ministry) or when it sits in a block about subordinate units and points at a sub-domain or a
sub-site of the parent. Peers and superiors (other provinces, ministries, the Government portal), national
services and social networks are not proposed, whatever block they sit in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from core.vntext import fold, squash

# Blocks whose links are the subordinate bodies (folded text of a heading, label or first option).
UNIT_CONTEXT = re.compile(
    r"don vi truc thuoc|lien ket website|lien ket web|website (?:cac )?(?:don vi|so|xa)|trang thanh phan|"
    r"cong thanh phan|xa,? phuong|phuong,? xa|dac khu|so,? ban,? nganh|co quan chuyen mon|don vi hanh chinh|"
    r"cong thong tin (?:cac )?(?:don vi|so|xa)|danh ba website|cac don vi|chon website|chon don vi")
# Links to a page that lists the subordinate bodies (followed once, on the same host).
LISTING = re.compile(
    r"^(?:danh sach |danh ba )?(?:cac )?(?:don vi truc thuoc|xa,? phuong(?:,? dac khu)?|phuong,? xa|"
    r"so,? ban,? nganh(?: tinh)?|co quan chuyen mon|lien ket website|website (?:cac )?don vi|"
    r"cong thanh phan|trang thanh phan|don vi hanh chinh(?: cap xa)?|ubnd (?:cac )?xa,? phuong)\b")

# What a name says the body is (folded names). Order matters: a commune's People's Committee first.
_COMMUNE = re.compile(r"^(?:(?:cong|trang) (?:thong tin )?(?:dien tu )?(?:ttdt )?)?(?:uy ban nhan dan |ubnd |"
                      r"dang uy - hdnd - ubnd |hdnd - ubnd |hdnd va ubnd )?(?:xa|phuong|dac khu|thi tran)\b")
_DEPARTMENT = re.compile(
    r"^(?:(?:cong|trang) (?:thong tin )?(?:dien tu )?(?:ttdt )?)?(?:so |ban quan ly|ban dan toc|ban ton giao|"
    r"thanh tra (?:tinh|thanh pho)|van phong (?:ubnd|uy ban|hdnd|doan)|cong an (?:tinh|thanh pho)|"
    r"bo chi huy|bo doi bien phong|kho bac|cuc thue|chi cuc|dai phat thanh|ban chi dao)")
_MINISTRY_UNIT = re.compile(r"^(?:(?:cong|trang) (?:thong tin )?(?:dien tu )?)?(?:tong cuc|cuc|vu|vien|"
                            r"trung tam|hoc vien|truong|benh vien|tap chi|bao )\b")
_PUBLIC_SERVICE = re.compile(r"^(?:(?:cong|trang) (?:thong tin )?(?:dien tu )?)?(?:trung tam|truong|benh vien|"
                             r"dai |ban quan ly du an)\b")
# Never subordinate: peers, superiors, national services, the press and social networks.
_NOT_SUBORDINATE = re.compile(
    r"chinh phu|quoc hoi|^(?:cong thong tin dien tu |cong ttdt |website )?(?:bo [a-z]|ngan hang nha nuoc)|"
    r"dich vu cong|^(?:cong thong tin dien tu |cong ttdt |website |uy ban nhan dan |ubnd )?(?:tinh|thanh pho) |"
    r"facebook|youtube|zalo|tiktok|twitter|bao dien tu|thu vien phap luat|co so du lieu quoc gia|vneid|"
    r"tong dai|hotline")
_NOT_SUBORDINATE_HOSTS = re.compile(r"(?:^|\.)(?:chinhphu\.vn|dichvucong\.gov\.vn|facebook\.com|youtube\.com|"
                                    r"zalo\.me|tiktok\.com|twitter\.com|x\.com|vbpl\.vn|baochinhphu\.vn)$")
_SUBSITE_PATH = re.compile(r"^/(?:web|portal|sites?|ubnd|xa|phuong)/([A-Za-z0-9._-]+)/?$|^/([A-Za-z0-9_-]{3,60})/?$",
                           re.IGNORECASE)
_LOOKS_LIKE_URL = re.compile(r"^(?:https?://|www\.)\S+$|^[a-z0-9-]+(?:\.[a-z0-9-]+)+/?$", re.IGNORECASE)
_PAGER = re.compile(r"^(?:\d{1,3}|»|›|>>?|sau|tiep|trang sau|trang tiep|next|xem tiep)$")
_CHROME_FOOTER = re.compile(r"footer|bottom|chan-trang|chantrang", re.IGNORECASE)
_CHROME_MENU = re.compile(r"\bnav|menu|navbar|dropdown", re.IGNORECASE)
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "legend", "label", "caption", "strong", "b"}


@dataclass(frozen=True)
class Link:
    """One link to a possible subordinate portal, as the parent's page gives it."""

    url: str       # absolute, without fragment
    text: str      # the anchor, option or image text
    how: str       # select | menu | footer | list | block | link
    context: str   # the block's heading or label (squashed), '' when none
    page: str      # the page it was found on


@dataclass(frozen=True)
class Guess:
    level: str          # department | commune | other
    reason: str


def _text(element: etree._Element) -> str:
    return squash(" ".join(element.itertext()))


def _parse(body: bytes | str, base_url: str) -> etree._Element | None:
    try:
        root = lxml.html.document_fromstring(body) if (body or "").strip() else None
    except (etree.ParserError, ValueError):
        return None
    if root is not None:
        for bad in root.xpath("//script|//style|//noscript|//template"):
            bad.drop_tree()
    return root


def _block_heading(element: etree._Element) -> str:
    """The nearest heading of the block an element sits in: a preceding heading sibling of one of its
    first few ancestors, the label of the menu item above a sub-menu, or the ancestors' title attributes."""
    for depth, ancestor in enumerate(element.iterancestors()):
        if depth >= 5 or ancestor.tag in ("body", "html"):
            break
        if ancestor.tag == "li":
            for child in ancestor:
                if child.tag in ("a", "span", "strong", "b") and child is not element and \
                        element not in child.iter():
                    label = _text(child)
                    if label and len(label) < 120:
                        return label
        for sibling in ancestor.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str):
                continue
            if sibling.tag in _HEADING_TAGS or "title" in (sibling.get("class") or "").lower():
                label = _text(sibling)
                if label and len(label) < 120:
                    return label
            break
        title = ancestor.get("title") or ancestor.get("aria-label") or ""
        if title:
            return squash(title)
    return ""


_QUOTED_URL = re.compile(r"""['"]((?:https?:)?//[^'"\s]+|/[^'"\s]*)['"]""")


def _script_url(value: str) -> str:
    """The address inside ``javascript:window.open('https://…')`` or an ``onclick``; the value as it is
    otherwise."""
    value = value.strip()
    if value.lower().startswith("javascript:") or "window.open" in value or "location" in value:
        found = _QUOTED_URL.search(value)
        return found.group(1) if found else value
    return value


def _row_label(anchor: etree._Element) -> str:
    """The text of the table row or list item holding a link, without the link's own text."""
    row = next((a for a in anchor.iterancestors() if a.tag in ("tr", "li")), None)
    if row is None:
        return ""
    own = _text(anchor)
    parts = [squash(t) for t in row.itertext()]
    label = " ".join(p for p in parts if p and p != own and not _LOOKS_LIKE_URL.match(p))
    label = re.sub(r"^\d{1,4}[.)]?\s+", "", label)  # the row's number ("12. Sở …")
    return label[:200]


def _where(element: etree._Element) -> str:
    for ancestor in element.iterancestors():
        if ancestor.tag == "footer" or _CHROME_FOOTER.search(f"{ancestor.get('id', '')} {ancestor.get('class', '')}"):
            return "footer"
    for ancestor in element.iterancestors():
        if ancestor.tag == "nav" or _CHROME_MENU.search(f"{ancestor.get('id', '')} {ancestor.get('class', '')}"):
            return "menu"
    return "link"


def _http(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).hostname)


def extract_links(body: bytes | str, page_url: str, *, listing: bool = False) -> tuple[list[Link], list[Link]]:
    """(links to possible subordinate portals, links to pages listing them).

    ``listing`` marks a page reached as a list of units: every link of its content then counts as sitting
    in a block about subordinate units.
    """
    root = _parse(body, page_url)
    if root is None:
        return [], []
    base = root.xpath("//base/@href")
    base_url = urljoin(page_url, base[0]) if base else page_url
    links: list[Link] = []
    listings: list[Link] = []
    for select in root.iter("select"):
        options = [o for o in select.iter("option")]
        label = _block_heading(select) or squash(select.get("title") or select.get("name") or "")
        first = _text(options[0]) if options else ""
        context = label if UNIT_CONTEXT.search(fold(label)) else first
        for option in options:
            value = _script_url(option.get("value") or option.get("data-url") or "")
            if not value or value in ("#", "0", "-1"):
                continue
            url = urljoin(base_url, value).split("#", 1)[0]
            if _http(url):
                links.append(Link(url, _text(option), "select", context, page_url))
    for anchor in root.iter("a"):
        href = _script_url(anchor.get("href") or anchor.get("data-href") or anchor.get("data-url") or "")
        if href.startswith("javascript:") or not href:
            href = _script_url(anchor.get("onclick") or "")
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if not _http(url):
            continue
        image = anchor.find(".//img")
        text = _text(anchor) or squash(anchor.get("title") or "") or \
            (squash(image.get("alt") or "") if image is not None else "")
        if not text or _LOOKS_LIKE_URL.match(text):
            text = _row_label(anchor) or text  # "| Sở Tư pháp | https://stp… |": the name is in the row
        where = _where(anchor)
        context = _block_heading(anchor)
        how = "list" if listing and where == "link" else where
        if how == "link" and UNIT_CONTEXT.search(fold(context)):
            how = "block"
        link = Link(url, text, how, context, page_url)
        links.append(link)
        if _same_site(url, page_url) and (LISTING.search(fold(text)) or (listing and _PAGER.match(fold(text)))):
            listings.append(link)  # a list of units, or the next page of one
    return links, listings


def host_key(url: str) -> str:
    """A URL's host without 'www.' and port, lower-case."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def portal_key(url: str) -> str:
    """A portal's address compared loosely — no scheme, no 'www.', no trailing slash or index page — so one
    portal linked as http://x.gov.vn and https://www.x.gov.vn/index.html is one row (``crawler.urls.url_key``
    is the exact key of a page)."""
    parts = urlsplit(url)
    path = re.sub(r"/(?:index|default|trang-chu|home)\.(?:html?|aspx?|php|jsp)$", "/", parts.path or "/",
                  flags=re.IGNORECASE).rstrip("/")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return f"{host_key(url)}{port}{path}" + (f"?{parts.query}" if parts.query else "")


def _same_site(url: str, other: str) -> bool:
    return host_key(url) == host_key(other)


def is_subdomain(url: str, parent_url: str) -> bool:
    child, parent = host_key(url), host_key(parent_url)
    return bool(parent) and child != parent and child.endswith("." + parent)


def subsite_slug(url: str, parent_url: str) -> str | None:
    """The site name of a sub-site on the parent's host (``/web/xa-tan-phu``, ``/tanphu/``), else None."""
    if not _same_site(url, parent_url) or urlsplit(url).query:
        return None
    match = _SUBSITE_PATH.match(urlsplit(url).path or "/")
    return (match.group(1) or match.group(2)) if match else None


def guess_level(name: str, parent_level: str) -> Guess | None:
    """What a body's name says it is, below a parent of ``parent_level``; None when it says nothing or names a
    body that is not subordinate (a peer, a superior, a national service)."""
    folded = fold(name)
    if not folded:
        return None
    if _COMMUNE.search(folded):
        return Guess("commune", "tên là xã/phường / named as a commune or ward") if parent_level == "province" else None
    if parent_level == "province" and _DEPARTMENT.search(folded):
        return Guess("department", "tên là sở, ban, ngành / named as a department")
    if _NOT_SUBORDINATE.search(folded):
        return None
    if parent_level == "province" and _PUBLIC_SERVICE.search(folded):
        return Guess("other", "tên là đơn vị sự nghiệp / named as a public service unit")
    if parent_level == "ministry" and _MINISTRY_UNIT.search(folded):
        return Guess("other", "tên là đơn vị thuộc bộ / named as a unit of a ministry")
    if parent_level in ("department", "other", "commune") and (_PUBLIC_SERVICE.search(folded)
                                                               or _DEPARTMENT.search(folded)):
        return Guess("other", "tên là đơn vị trực thuộc / named as a subordinate unit")
    return None


def excluded_host(url: str) -> bool:
    return bool(_NOT_SUBORDINATE_HOSTS.search(host_key(url)))
