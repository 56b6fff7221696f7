"""Turn an HTML document into evidence: title, visible text, structural text, tables and links.

"Structural" text is what a page uses to organise itself — headings, link anchors, table headers,
image alt text, short list items. A real access-to-information section names its parts there
("Danh mục thông tin phải được công khai", "Đầu mối cung cấp thông tin"); a news article *about*
the law mentions the same words in running prose. Keeping the two apart is what lets discovery
tell them apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from core.vntext import LEGACY_DECODERS, detect_legacy, squash
from crawler.pagedate import page_date

_DROP = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCKS = ("p", "div", "li", "tr", "td", "th", "br", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
           "dt", "dd", "table", "ul", "ol", "header", "footer", "nav", "aside", "blockquote", "pre")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")  # lxml refuses a str that declares an encoding
_CLASS_HEADING = re.compile(r"(title|heading|header|caption|tieu-?de)", re.I)
# Site chrome repeated on every page: menus, header, footer, sidebars. Their words say nothing about
# what *this* page holds, so they are left out of its text and structure (but their links are kept).
_CHROME_TAGS = ("header", "footer", "nav", "aside")
_CHROME_ATTR = re.compile(r"(^|[\s_-])(header|footer|menu|nav|navbar|navigation|sidebar|side-bar|breadcrumbs?|"
                          r"topbar|top-bar|megamenu|banner|left-col|right-col|col-left|col-right)([\s_-]|$)", re.I)
MAX_TABLE_ROWS = 500
MAX_LINKS = 1500


@dataclass
class ParsedPage:
    title: str = ""
    text: str = ""
    structure: list[str] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    lang: str = ""
    legacy_encoding: str | None = None  # 'tcvn3' | 'vni' | 'windows-1258' when the text was converted
    # Page-level facts the portal rules need (mobile viewport, site search, image alt text).
    features: dict[str, Any] = field(default_factory=dict)


_SEARCH_FORM = re.compile(r"search|tim-?kiem|timkiem|tracuu|keyword|\bq\b", re.IGNORECASE)


def _features(root: Any) -> dict[str, Any]:
    """Read before the site chrome is dropped: the search box and the viewport live in the chrome."""
    viewport = root.xpath("string(//meta[translate(@name,'VIEWPORT','viewport')='viewport']/@content)")
    search = False
    for form in root.iter("form"):
        inputs = form.xpath(".//input")
        marker = " ".join([form.get("action") or "", form.get("id") or "", form.get("class") or "",
                           form.get("role") or ""] + [f"{i.get('type') or ''} {i.get('name') or ''}" for i in inputs])
        if any((i.get("type") or "").lower() == "search" for i in inputs) or _SEARCH_FORM.search(marker):
            search = True
            break
    images = root.xpath("//img")
    with_alt = sum(1 for image in images if (image.get("alt") or "").strip())
    return {"viewport": squash(str(viewport))[:200], "search_form": search, "images": len(images),
            "images_with_alt": with_alt, "lang": (root.get("lang") or "").strip()[:10]}


def _is_chrome(element: Any) -> bool:
    if element.tag in _CHROME_TAGS:
        return True
    marker = f"{element.get('id', '')} {element.get('class', '')} {element.get('role', '')}"
    return bool(marker.strip()) and bool(_CHROME_ATTR.search(marker))


class _ChromeAncestry:
    """Whether an element sits inside site chrome (any ancestor is chrome), each element judged once:
    asking every ancestor of every link and element again was quadratic in the depth of the page."""

    def __init__(self) -> None:
        self._within: dict[Any, bool] = {}  # element → it is chrome or inside chrome

    def _chrome_or_within(self, element: Any) -> bool:
        path = []
        node = element
        known = False
        while node is not None:
            cached = self._within.get(node)
            if cached is not None:
                known = cached
                break
            path.append(node)
            node = node.getparent()
        for node in reversed(path):  # from the top down: each is chrome itself or inside chrome
            known = known or _is_chrome(node)
            self._within[node] = known
        return known

    def inside(self, element: Any) -> bool:
        parent = element.getparent()
        return parent is not None and self._chrome_or_within(parent)


_REGIONS = (("menu", re.compile(r"(^|[\s_-])(menu|nav|navbar|navigation|megamenu|topbar|top-bar|breadcrumbs?)([\s_-]|$)", re.I)),
            ("footer", re.compile(r"(^|[\s_-])footer([\s_-]|$)", re.I)),
            ("banner", re.compile(r"(^|[\s_-])banner([\s_-]|$)", re.I)),
            ("sidebar", re.compile(r"(^|[\s_-])(sidebar|side-bar|left-col|right-col|col-left|col-right)([\s_-]|$)", re.I)),
            ("header", re.compile(r"(^|[\s_-])header([\s_-]|$)", re.I)))
_REGION_TAGS = {"nav": "menu", "footer": "footer", "header": "header", "aside": "sidebar"}


def _region(anchor: Any) -> str:
    """Which part of the site chrome a link sits in (the nearest that says): menu, footer, banner,
    sidebar, header; "1" when none says. Recorded with the link: how a citizen reaches a page."""
    for depth, node in enumerate(anchor.iterancestors()):
        if depth > 12 or node.tag in ("body", "html"):
            break
        if node.tag in _REGION_TAGS:
            return _REGION_TAGS[node.tag]
        marker = f"{node.get('id', '')} {node.get('class', '')} {node.get('role', '')}"
        if marker.strip():
            for name, pattern in _REGIONS:
                if pattern.search(marker):
                    return name
    return "1"


def _text(element: Any) -> str:
    try:
        return squash(element.text_content())
    except (ValueError, AttributeError):
        return ""


_CONTENT_ATTR = re.compile(r"(^|[\s_-])(content|main|main-?content|noi-?dung|article|post|entry|page-?body)([\s_-]|$)", re.I)


def _holds_content(element: Any) -> bool:
    """Whether an element holds the page's own content: a <h1>, <main> or <article>, or a block whose id
    or class says so ("content", "noidung"…). Chrome that holds it wraps the page and must stay."""
    if element.find(".//h1") is not None or element.find(".//main") is not None or element.find(".//article") is not None:
        return True
    return any(isinstance(e.tag, str) and _CONTENT_ATTR.search(f"{e.get('id', '')} {e.get('class', '')}")
               for e in element.iterdescendants())


def _is_caps_heading(element: Any) -> bool:
    """A short leaf block written entirely in capitals, which reads as a heading."""
    if any(isinstance(child.tag, str) and child.tag in _BLOCKS for child in element):
        return False
    text = _text(element)
    letters = [ch for ch in text if ch.isalpha()]
    return 8 <= len(text) <= 150 and len(letters) >= 6 and text == text.upper() and len(text.split()) >= 2


def _visible_text(root: Any) -> str:
    """Text with line breaks at block boundaries, so excerpts read like the page."""
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS:
                parts.append("\n")
            if element.text and tag not in _DROP:
                parts.append(element.text)
        else:
            if tag in _BLOCKS:
                parts.append("\n")
            if element.tail:
                parts.append(element.tail)
    lines = (squash(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


class _Contexts:
    """The heading of the block a link sits in (e.g. a sidebar box titled 'TIẾP CẬN THÔNG TIN'), or the
    label of the menu item whose sub-menu holds it (prefixed 'menu: ').

    What each ancestor offers is worked out once per ancestor and shared by all the links under it: asking
    every sibling of every ancestor again for each link was quadratic (a 100,000-item list took 80 s)."""

    def __init__(self) -> None:
        self._menu_labels: dict[Any, str] = {}  # <li> → the label beside its sub-menu
        self._headings: dict[Any, list[tuple[Any, str]]] = {}  # ancestor → its first two heading children

    def _menu_label(self, item: Any) -> str:
        label = self._menu_labels.get(item)
        if label is None:
            label = ""
            for child in item:
                if not isinstance(child.tag, str) or child.tag in ("ul", "ol"):
                    continue
                text = _text(child)
                if text and len(text) < 120:
                    label = "menu: " + text
                    break
            self._menu_labels[item] = label
        return label

    def _heading_children(self, ancestor: Any) -> list[tuple[Any, str]]:
        headings = self._headings.get(ancestor)
        if headings is None:
            headings = []
            for child in ancestor:
                if not isinstance(child.tag, str):
                    continue
                if child.tag in _HEADINGS or _CLASS_HEADING.search(child.get("class", "") or ""):
                    text = _text(child)
                    if text and len(text) < 120:
                        headings.append((child, text))
                        if len(headings) == 2:  # one of them may be the link's own branch
                            break
            self._headings[ancestor] = headings
        return headings

    def heading(self, anchor: Any) -> str:
        below = anchor  # the child of ``ancestor`` that holds the link (a heading holding it does not count)
        for depth, ancestor in enumerate(anchor.iterancestors()):
            if depth >= 4 or ancestor.tag in ("body", "html"):
                break
            parent = ancestor.getparent()
            if ancestor.tag in ("ul", "ol") and parent is not None and parent.tag == "li":
                label = self._menu_label(parent)
                if label:
                    return label
            for child, text in self._heading_children(ancestor):
                if child is not below:
                    return text
            below = ancestor
        return ""


def _preceding_heading(table: Any, texts: dict[Any, str]) -> str:
    """The short text just before a table (its heading), looking up to three levels out."""
    node = table
    for _ in range(3):
        for sibling in islice(node.itersiblings(preceding=True), 3):  # not a list of every sibling
            if not isinstance(sibling.tag, str) or sibling.tag in ("script", "style", "table"):
                continue
            text = texts.get(sibling)
            if text is None:  # tables side by side share their outer siblings: read each once
                text = texts[sibling] = _text(sibling)
            if text and len(text) <= 150:
                return text
            if text:
                return ""
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            break
    return ""


def _tables(root: Any) -> list[dict[str, Any]]:
    tables = []
    texts: dict[Any, str] = {}
    for table in root.iter("table"):
        if table.find(".//table") is not None:  # layout table holding tables: use the inner ones
            continue
        rows: list[list[str]] = []
        row_links: list[list[str]] = []
        header: list[str] = []
        for tr in table.iter("tr"):
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            if not cells:
                continue
            values: list[str] = []
            for cell in cells:
                span = cell.get("colspan", "1")
                repeat = int(span) if span.isdigit() and 0 < int(span) <= 20 else 1
                values.extend([_text(cell)] * repeat)
            is_header = all(c.tag == "th" for c in cells) or (tr.getparent() is not None and tr.getparent().tag == "thead")
            if not header and (is_header or not rows):
                header = values
                continue
            rows.append(values)
            row_links.append([a.get("href", "") for a in tr.iter("a") if a.get("href")])
            if len(rows) >= MAX_TABLE_ROWS:
                break
        if header or rows:
            caption = table.find("caption")
            tables.append({"caption": _text(caption) if caption is not None else "",
                           "heading": _preceding_heading(table, texts), "headers": header,
                           "rows": rows, "row_links": row_links})
    return tables


# lxml.html picks each element's class in Python (HtmlElementClassLookup.lookup), once for every element
# proxy made: a tenth of parse_html's time. Every element read here is a plain HtmlElement (no form API is
# used), which a C-level lookup gives at no cost.
_LOOKUP = etree.ElementDefaultClassLookup(element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
                                          pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity)


def parse_html(body: bytes | str, base_url: str, encoding: str | None = None) -> ParsedPage:
    """Parse an HTML document. Never raises: broken markup yields whatever could be recovered."""
    page = ParsedPage()
    if isinstance(body, bytes) and encoding and encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
        # libxml2 reads nothing from UTF-16 bytes labelled 'utf-16-le' (what Scrapy names a BOM'd page):
        # decode here, and hand lxml the text.
        body = body.decode(encoding, errors="replace").lstrip("\ufeff")
    try:
        if isinstance(body, bytes):
            parser = lxml.html.HTMLParser(encoding=encoding or "utf-8", remove_comments=True)
            parser.set_element_class_lookup(_LOOKUP)
            root = lxml.html.document_fromstring(body, parser=parser) if body.strip() else None
        else:
            root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", body, count=1)) if body.strip() else None
    except (etree.ParserError, ValueError, LookupError):
        root = None
    if root is None:
        return page
    declared_date = page_date(root)  # before the scripts go: JSON-LD is a script
    for bad in root.xpath("//script|//style|//noscript|//template|//svg"):
        bad.drop_tree()
    title = root.find(".//title")
    page.title = _text(title) if title is not None else ""
    page.lang = (root.get("lang") or "").strip()[:10]
    page.features = _features(root)
    page.features["date"] = declared_date
    body_element = root.find("body") if root.find("body") is not None else root

    links: list[dict[str, str]] = []
    ancestry = _ChromeAncestry()
    contexts = _Contexts()
    for anchor in body_element.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        lowered = href.lower()
        if lowered.startswith(("javascript:", "mailto:", "tel:", "data:")):
            if lowered.startswith("mailto:"):
                links.append({"url": href, "text": _text(anchor)[:300], "title": "", "img_alt": "",
                              "img_src": "", "context": contexts.heading(anchor), "chrome": ""})
            continue
        url = urljoin(base_url, href)
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        image = anchor.find(".//img")
        link = {
            "url": url.split("#", 1)[0],
            "text": _text(anchor)[:300],
            "title": squash(anchor.get("title", ""))[:300],
            "img_alt": squash(image.get("alt", ""))[:300] if image is not None else "",
            "img_src": urljoin(base_url, image.get("src", "")) if image is not None and image.get("src") else "",
            "context": contexts.heading(anchor),
        }
        links.append(link)
        link["chrome"] = _region(anchor) if ancestry.inside(anchor) else ""
        if len(links) >= MAX_LINKS:
            break

    # Drop the site chrome, unless that leaves (almost) nothing: some portals wrap everything in it.
    # A chrome element holding the page's own heading (<h1>, <main>, <article>) wraps the content and
    # stays; the others go even from a near-empty page (a heading with nothing under it must not borrow
    # the footer's phone and e-mail).
    chrome = [e for e in body_element.iter() if isinstance(e.tag, str) and e is not body_element and _is_chrome(e)
              and not ancestry.inside(e)]
    chrome_text = sum(len(_text(e)) for e in chrome)
    has_content_marker = _holds_content(body_element)
    # The page's own text beside the chrome, measured once (measuring the whole body again for each chrome
    # element was quadratic: 8,000 menu blocks took 16 s).
    own_text = len(_text(body_element)) - chrome_text if chrome and not has_content_marker else 0
    for element in chrome:
        drop = (not _holds_content(element)) if has_content_marker else own_text > 80
        if drop and element.getparent() is not None:
            element.drop_tree()

    structure: list[str] = []
    for element in body_element.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag
        if tag in _HEADINGS or tag in ("th", "caption", "legend", "dt", "label", "summary"):
            text = _text(element)
        elif tag in ("strong", "b") or (tag in ("li", "p", "span", "div") and _CLASS_HEADING.search(element.get("class", "") or "")) or tag == "li":
            text = _text(element)
            if len(text) > 150:
                continue
        elif tag in ("p", "div", "td") and _is_caps_heading(element):
            # Editors often mark a heading only by writing it in capitals ("ĐẦU MỐI CUNG CẤP THÔNG TIN").
            text = _text(element)
        else:
            continue
        if text:
            structure.append(text)

    for anchor in body_element.iter("a"):
        for text in (_text(anchor), squash(anchor.get("title", ""))):
            if text and len(text) <= 200:
                structure.append(text)
    for image in body_element.iter("img"):
        alt = squash(image.get("alt", ""))
        if alt and len(alt) <= 200:
            structure.append(alt)

    page.tables = _tables(body_element)
    page.links = links
    page.structure = list(dict.fromkeys(structure))
    page.text = _visible_text(body_element)
    _fix_legacy(page)
    return page


def _fix_legacy(page: ParsedPage) -> None:
    """Old pages typed in TCVN3 (.VnTime) or VNI fonts read as mojibake: convert them to Unicode."""
    encoding = detect_legacy(page.text)
    if encoding is None:
        return
    convert = LEGACY_DECODERS[encoding]
    page.legacy_encoding = encoding
    page.text, page.title = convert(page.text), convert(page.title)
    page.structure = [convert(s) for s in page.structure]
    for link in page.links:
        for key in ("text", "title", "img_alt", "context"):
            link[key] = convert(link.get(key) or "")
    for table in page.tables:
        table["caption"], table["heading"] = convert(table["caption"]), convert(table["heading"])
        table["headers"] = [convert(c) for c in table["headers"]]
        table["rows"] = [[convert(c) for c in row] for row in table["rows"]]
