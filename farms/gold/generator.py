"""Render a declarative portal spec into a realistic Vietnamese agency portal: HTML pages and documents.

A spec is a small mapping (one YAML file per gold portal, or ``random_spec(seed, i)`` for benchmarks):

    id: stp-lao-cai                     # registry id
    name: Sở Tư pháp tỉnh Lào Cai       # optional: derived from ``agency``/``province``
    platform: drupal                    # see PLATFORMS
    reach: menu                         # menu | footer | banner | subdomain | parent | sitemap | none |
                                        # submenu | landing | banner_ocr | sitemap_index | sitemap_gz
    layout: single                      # single (everything on the section page) | subpages
    url_trap: none                      # none | jsessionid | port | en_prefix | print
    elements: {catalogue: full, focal: complete, request_address: email, complaint: present,
               forms: all, guidance: steps, download: link, regulation: page, conditional: absent}
    traps: [most_viewed, news_category]  # false friends elsewhere on the portal
    expect: {section: <url path or null>, rules: {rule-id: pass|partial|fail}}

``build(spec)`` returns a :class:`Portal` (files keyed ``"host/path?query"``, its home URL, the expected
section and labels); ``generate(spec)`` only the files. Both are pure and deterministic: the wording,
names and numbers are drawn from a ``random.Random`` seeded by the spec's ``seed`` (default: its id).
Host names end in ``.gov.test`` (RFC 2606: never a real host); ``farms.gold.resolver`` maps them to loopback.
"""

from __future__ import annotations

import gzip
import random
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from html import escape, unescape
from typing import Any

from farms.gold import docs, vocab
from tctt.vntext import slug_words

PLATFORMS = ("drupal", "nukeviet", "joomla", "wordpress", "sharepoint", "liferay", "oracle", "dotnet", "numeric",
             "datepath")
REACHES = ("menu", "footer", "banner", "subdomain", "parent", "sitemap", "none", "submenu", "landing", "banner_ocr",
           "sitemap_index", "sitemap_gz")
CATALOGUES = ("full", "full_alt", "merged", "index", "tree", "empty_rows", "pdf", "docx", "xlsx", "xls_html",
              "scanned_pdf", "dead_link", "absent")
# The provinces' landline area codes of Vietnam's numbering plan (since 2017): a made-up code is not a
# phone number to libphonenumber, nor to a citizen.
AREA_CODES = (203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 218, 219, 220, 221, 222, 225,
              226, 227, 228, 229, 232, 233, 234, 235, 236, 237, 238, 239, 251, 252, 254, 255, 256, 257, 258, 259,
              260, 261, 262, 263, 269, 270, 271, 272, 273, 274, 275, 276, 277, 290, 291, 292, 293, 294, 296, 297,
              299)
FOCALS = ("complete", "commune", "prose", "phone_only", "heading_only", "image_only", "spokesperson", "absent")
REQUESTS = ("email", "form", "mention", "absent")
COMPLAINTS = ("present", "mention", "absent")
GUIDANCES = ("steps", "mention", "absent")
DOWNLOADS = ("link", "absent")
REGULATIONS = ("page", "pdf", "scanned_pdf", "news", "working_rules", "absent")
CONDITIONALS = ("table", "absent")
TRAPS = ("most_viewed", "news_category", "directive_news", "law_text", "legal_access", "spokesperson_page",
         "working_rules", "land_forms", "public_service", "many_news", "tag_archive")
URL_TRAPS = ("none", "jsessionid", "port", "en_prefix", "print", "www")
# single: every part on the section page; subpages: catalogues, regulation (and sometimes guidance) on
# their own pages; pages: every part on its own page, the section page a list of them; menu: the same,
# but the list is a side menu (site chrome) beside a bare introduction.
LAYOUTS = ("single", "subpages", "pages", "menu")
# How the section's editors mark its headings: real tags, bold paragraphs, bare capitals, Word's HTML.
HEADING_STYLES = ("tags", "strong", "upper", "word")
_NEWS = re.compile(r"/(tin-tuc|tin_tuc)/|/Lists/Posts/")
_HEADING = re.compile(r"<h([23])( class=\"title\")?>(.*?)</h\1>", re.S)


def _restyle(html: str, style: str) -> str:
    """Rewrite the section's <h2>/<h3> headings in the editor style of the portal."""
    if style == "tags":
        return html
    if style == "strong":
        return _HEADING.sub(lambda m: f"<p><strong>{m.group(3)}</strong></p>", html)
    if style == "upper":
        return _HEADING.sub(lambda m: f"<p>{m.group(3).upper()}</p>", html)
    return _HEADING.sub(lambda m: f'<p class="MsoNormal"><b><span lang="VI" style="font-size:13.0pt">{m.group(3)}'
                                  "</span></b><o:p></o:p></p>", html)
ALL_FORMS = list(vocab.FORMS)
ELEMENT_DEFAULTS = {"catalogue": "full", "focal": "complete", "request_address": "email", "complaint": "present",
                    "forms": "all", "guidance": "steps", "download": "link", "regulation": "page",
                    "conditional": "absent"}
SERVER_HEADERS = {"sharepoint": "Microsoft-IIS/10.0", "dotnet": "Microsoft-IIS/8.5", "datepath": "Microsoft-IIS/8.5",
                  "oracle": "Oracle-Application-Server-10g", "liferay": "Apache-Coyote/1.1",
                  "nukeviet": "nginx", "wordpress": "nginx/1.18.0", "joomla": "Apache", "drupal": "Apache/2.4.41 (Ubuntu)",
                  "numeric": "Microsoft-IIS/10.0"}


class SpecError(ValueError):
    """A portal spec names an unknown platform, element state or trap."""


@dataclass
class Portal:
    id: str
    spec: dict[str, Any]
    files: dict[str, bytes]
    home: str
    section: list[str] | None
    labels: dict[str, str]
    registry: dict[str, str]
    hosts: list[str] = field(default_factory=list)
    server: str = "Apache"


# --- spec ----------------------------------------------------------------------------------------
def _check(value: Any, allowed: tuple[str, ...], what: str, spec_id: str) -> None:
    if value not in allowed:
        raise SpecError(f"{spec_id}: {what} {value!r} is not one of {', '.join(allowed)}")


def normalize(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with every default filled in (deterministically from its seed), validated."""
    if not spec.get("id"):
        raise SpecError("a portal spec needs an id")
    s = dict(spec)
    sid = str(s["id"])
    rng = random.Random(s.get("seed", zlib.crc32(sid.encode())))
    province, province_host = vocab.PROVINCES[rng.randrange(len(vocab.PROVINCES))]
    s.setdefault("province", province)
    province_host = s.get("province_host") or dict(vocab.PROVINCES).get(s["province"], province_host)
    s["province_host"] = province_host
    level = s.setdefault("level", "department")
    if not s.get("name"):
        if level == "ministry":
            s["name"], code = vocab.MINISTRIES[rng.randrange(len(vocab.MINISTRIES))]
        elif level == "commune":
            commune, code = vocab.COMMUNES[rng.randrange(len(vocab.COMMUNES))]
            s["name"] = f"UBND xã {commune}"
        elif level == "province":
            kind = "thành phố" if s["province"] in vocab.CITIES else "tỉnh"
            s["name"], code = f"UBND {kind} {s['province']}", ""
        else:
            dept, code = vocab.DEPARTMENTS[rng.randrange(len(vocab.DEPARTMENTS))]
            kind = "thành phố" if s["province"] in vocab.CITIES else "tỉnh"
            s["name"] = f"{dept.removesuffix(' tỉnh')} {kind} {s['province']}"
    else:
        code = re.sub(r"[^a-z]", "", "".join(w[0] for w in slug_words(s["name"]).split()[:4]))
    s.setdefault("code", code or "portal")
    if not s.get("host"):
        if level == "ministry":
            s["host"] = f"{s['code']}.gov.test"
        elif level == "province":
            s["host"] = f"{province_host}.gov.test"
        else:
            s["host"] = f"{s['code']}.{province_host}.gov.test"
    s.setdefault("parent_host", f"{province_host}.gov.test")
    s.setdefault("platform", PLATFORMS[rng.randrange(len(PLATFORMS))])
    _check(s["platform"], PLATFORMS, "platform", sid)
    s.setdefault("site", s["code"] if s["platform"] in ("liferay", "oracle") else None)
    s.setdefault("reach", "menu")
    _check(s["reach"], REACHES, "reach", sid)
    s.setdefault("layout", rng.choice(LAYOUTS[:2]))
    _check(s["layout"], LAYOUTS, "layout", sid)
    s.setdefault("url_trap", "none")
    _check(s["url_trap"], URL_TRAPS, "url_trap", sid)
    s.setdefault("label", rng.choice(vocab.SECTION_LABELS))
    s.setdefault("slug", rng.choice(vocab.SECTION_SLUGS))
    elements = {**ELEMENT_DEFAULTS, **(s.get("elements") or {})}
    for key, allowed in (("catalogue", CATALOGUES), ("focal", FOCALS), ("request_address", REQUESTS),
                         ("complaint", COMPLAINTS), ("guidance", GUIDANCES), ("download", DOWNLOADS),
                         ("regulation", REGULATIONS), ("conditional", CONDITIONALS)):
        _check(elements[key], allowed, f"elements.{key}", sid)
    forms = elements["forms"]
    if isinstance(forms, list):
        unknown = [f for f in forms if f not in vocab.FORMS]
        if unknown:
            raise SpecError(f"{sid}: unknown forms {unknown}")
    else:
        _check(forms, ("all", "land", "absent"), "elements.forms", sid)
    s["elements"] = elements
    s["traps"] = list(s.get("traps") or [])
    for trap in s["traps"]:
        _check(trap, TRAPS, "trap", sid)
    s.setdefault("seed", zlib.crc32(sid.encode()))
    style = dict(s.get("style") or {})
    style.setdefault("headings", rng.choices(HEADING_STYLES, [50, 20, 15, 15])[0])
    style.setdefault("unicode", rng.choices(["nfc", "nfd"], [85, 15])[0])
    _check(style["headings"], HEADING_STYLES, "style.headings", sid)
    _check(style["unicode"], ("nfc", "nfd"), "style.unicode", sid)
    s["style"] = style
    return s


# --- labels --------------------------------------------------------------------------------------
CATALOGUE_STATUS = {"full": "pass", "full_alt": "pass", "merged": "pass", "pdf": "pass", "docx": "pass",
                    "xlsx": "pass", "xls_html": "pass", "index": "partial", "tree": "partial",
                    "empty_rows": "partial", "scanned_pdf": "partial", "dead_link": "fail", "absent": "fail"}
FOCAL_STATUS = {"complete": "pass", "commune": "pass", "prose": "pass", "phone_only": "partial",
                "heading_only": "fail", "image_only": "fail", "spokesperson": "fail", "absent": "fail"}
THREE = {"pass": "pass", "partial": "partial", "fail": "fail"}


def derive_labels(spec: dict[str, Any]) -> dict[str, str]:
    """The labelling policy, from what the spec says is present: the status an inspector applying the
    core ruleset would give each rule. Gold YAML files state their labels explicitly; this derives
    them for synthetic portals and checks the gold files agree with the policy."""
    s = normalize(spec)
    e = s["elements"]
    found = s["reach"] != "none"
    regulation = "pass" if e["regulation"] == "news" or (found and e["regulation"] in ("page", "pdf", "scanned_pdf")) \
        else "fail"
    if not found:
        labels = {rule: "fail" for rule in ("section-exists", "public-catalogue", "focal-point", "request-address",
                                            "complaint-channel", "request-forms", "requester-guidance",
                                            "download-addresses")}
        labels["internal-regulation"] = regulation
        # National law asks for this catalogue to be drawn up, not published: its absence is the inspector's.
        labels["conditional-catalogue"] = "manual"
        return labels
    forms = e["forms"]
    if forms == "all" or (isinstance(forms, list) and set(ALL_FORMS) <= set(forms)):
        forms_status = "pass"
    elif isinstance(forms, list) and forms:
        forms_status = "partial"
    else:
        forms_status = "fail"
    files = e["catalogue"] in ("full", "full_alt", "merged", "pdf", "docx", "xlsx", "xls_html", "scanned_pdf") or \
        e["regulation"] in ("pdf", "scanned_pdf")
    return {
        "section-exists": "pass",
        "public-catalogue": CATALOGUE_STATUS[e["catalogue"]],
        "focal-point": FOCAL_STATUS[e["focal"]],
        "request-address": {"email": "pass", "form": "pass", "mention": "partial", "absent": "fail"}[e["request_address"]],
        "complaint-channel": {"present": "pass", "mention": "partial", "absent": "fail"}[e["complaint"]],
        "request-forms": forms_status,
        "requester-guidance": {"steps": "pass", "mention": "partial", "absent": "fail"}[e["guidance"]],
        "download-addresses": "pass" if e["download"] == "link" or files else "fail",
        "internal-regulation": regulation,
        "conditional-catalogue": "pass" if e["conditional"] == "table" else "manual",
    }


# --- URL shapes ----------------------------------------------------------------------------------
def _under(slug: str) -> str:
    return slug.replace("-", "_")


def _camel(slug: str) -> str:
    return "-".join(part.capitalize() for part in slug.split("-"))


class Urls:
    """Paths in the style of one platform. Every path handed out is unique within the portal."""

    def __init__(self, s: dict[str, Any], rng: random.Random):
        self.s = s
        self.rng = rng
        self.platform = s["platform"]
        self.ids = iter(range(rng.randrange(1000, 60000), 10**7, rng.randrange(3, 17)))
        prefix = "/en" if s["url_trap"] == "en_prefix" else ""
        if self.platform == "liferay":
            prefix += f"/web/{s['site'] or 'guest'}"
        elif self.platform == "oracle":
            prefix += f"/portal/page/portal/{s['site'] or 'web'}"
        elif self.platform == "numeric":
            prefix += f"/{rng.randrange(1000, 9999)}/{rng.randrange(10000, 99999)}"
        self.prefix = prefix
        self.used: set[str] = set()
        self.variant = rng.randrange(2)
        if s.get("url_variant") is not None:
            self.variant = int(s["url_variant"])
        self.style = s.get("url_style")  # joomla_query | drupal_node (real CMS shapes, opt-in)

    def _unique(self, path: str) -> str:
        base, n = path, 2
        while path in self.used:
            if "?" in base:
                path = f"{base}{n}"
            else:
                stem, dot, ext = base.rpartition(".") if "." in base.rsplit("/", 1)[-1] else (base, "", "")
                path = f"{stem}-{n}{dot}{ext}" if dot else f"{base.rstrip('/')}-{n}" + ("/" if base.endswith("/") else "")
            n += 1
        self.used.add(path)
        return path

    def home(self) -> str:
        if self.platform in ("liferay", "oracle"):
            return self._unique(self.prefix + ("/home" if self.platform == "liferay" else "/trang_chu"))
        if self.platform == "sharepoint":
            return self._unique(self.prefix + "/Pages/default.aspx")
        return self._unique(self.prefix + "/")

    def page(self, slug: str) -> str:
        p, n = self.platform, next(self.ids)
        if self.style == "joomla_query":  # Joomla without SEF URLs: an article and the menu item showing it
            return self._unique(self.prefix + f"/index.php?option=com_content&view=article&id={n % 900}"
                                f"&Itemid={100 + n % 97}")
        if self.style == "drupal_node":
            return self._unique(self.prefix + f"/node/{n % 5000}")
        path = {
            "drupal": f"/index.php/{slug}" if self.variant else f"/{slug}",
            "nukeviet": f"/news/{slug}/" if self.variant else f"/index.php?language=vi&nv=news&op={slug}",
            "joomla": f"/{slug}.html" if self.variant else f"/index.php/{slug}",
            "wordpress": f"/{slug}/",
            "sharepoint": f"/Pages/{_camel(slug)}.aspx",
            "liferay": f"/{slug}",
            "oracle": f"/{_under(slug)}",
            "dotnet": f"/CMSPages/BaiViet/Default.aspx?IDBaiViet={n}" if self.variant else
                      f"/default.aspx?portalid=5&selectpageid={n}",
            "numeric": f"/{n}/{slug}",
            "datepath": f"/portal/pages/2024-{1 + n % 12:02d}-{1 + n % 28:02d}/{_camel(slug)[:24]}{n % 9973}.aspx",
        }[p]
        return self._unique(self.prefix + path)

    def sub(self, parent: str, slug: str) -> str:
        p, n = self.platform, next(self.ids)
        clean = parent.split("?", 1)[0].rstrip("/")
        path = {
            "drupal": f"{clean}/{slug}",
            "nukeviet": f"/news/{self.s['slug']}/{slug}-{n}.html",
            "joomla": f"/{self.s['slug']}/{n}-{slug}.html",
            "wordpress": f"{clean}/{slug}/",
            "sharepoint": f"/Pages/{_camel(slug)}.aspx?ItemID={n % 500}",
            "liferay": f"{clean}/-/asset_publisher/Xk3{n % 97}/content/{slug}?p_p_id=101&p_p_lifecycle=0",
            "oracle": f"{clean}/{_under(slug)}",
            "dotnet": f"/CMSPages/BaiViet/Default.aspx?IDBaiViet={n}",
            "numeric": f"{clean.rsplit('/', 2)[0]}/{n}/{slug}",
            "datepath": f"/portal/pages/2024-{1 + n % 12:02d}-{1 + n % 28:02d}/{_camel(slug)[:24]}{n % 9973}.aspx",
        }[p]
        if p in ("liferay", "oracle", "drupal", "wordpress", "numeric"):
            return self._unique(path)
        return self._unique(self.prefix + path)

    def news(self, slug: str) -> str:
        p, n = self.platform, next(self.ids)
        path = {
            "drupal": f"/tin-tuc/{slug}",
            "nukeviet": f"/news/tin-tuc/{slug}-{n}.html",
            "joomla": f"/tin-tuc/{n}-{slug}.html",
            "wordpress": f"/tin-tuc/{slug}/",
            "sharepoint": f"/Lists/Posts/Post.aspx?List=8a6f5d1c&ItemID={n % 900}",
            "liferay": f"/tin-tuc/-/asset_publisher/Tn{n % 97}/content/{slug}",
            "oracle": f"/tin_tuc/{_under(slug)}",
            "dotnet": f"/CMSPages/BaiViet/Default.aspx?IDBaiViet={n}",
            "numeric": f"/{n}/tin-tuc/{slug}",
            "datepath": f"/portal/pages/2024-{1 + n % 12:02d}-{1 + n % 28:02d}/{_camel(slug)[:24]}{n % 9973}.aspx",
        }[p]
        return self._unique(self.prefix + path)

    def file(self, name: str, ext: str) -> str:
        p, n = self.platform, next(self.ids)
        path = {
            "drupal": f"/sites/default/files/tiep-can-thong-tin/{name}.{ext}",
            "nukeviet": f"/uploads/news/2024_05/{name}.{ext}",
            "joomla": f"/images/tai-lieu/{name}.{ext}",
            "wordpress": f"/wp-content/uploads/2024/05/{name}.{ext}",
            "sharepoint": f"/Documents/TCTT/{_camel(name)}.{ext}",
            "liferay": f"/documents/20143/{n}/{name}.{ext}",
            "oracle": f"/pls/portal/docs/PAGE/{(self.s['site'] or 'WEB').upper()}/{name.upper()}.{ext}",
            "dotnet": f"/Uploads/TCTT/{_camel(name)}.{ext}",
            "numeric": f"/uploads/{name}.{ext}",
            "datepath": f"/portal/Lists/Documents/{name}.{ext}",
        }[p]
        return self._unique(path)


# --- page chrome ---------------------------------------------------------------------------------
# How each CMS marks a menu entry with a sub-menu: (class of the <li>, attributes of the parent <a>, class of
# the nested <ul>), as their default themes emit them.
_SUBMENU = {
    "wordpress": ("menu-item menu-item-type-custom menu-item-has-children", 'aria-haspopup="true"', "sub-menu"),
    "wordpress_block": ("wp-block-navigation-item has-child open-on-hover-click wp-block-navigation-submenu",
                        'class="wp-block-navigation-item__content"',
                        "wp-block-navigation__submenu-container wp-block-navigation-submenu"),
    "nukeviet": ("dropdown", 'class="dropdown-toggle" data-toggle="dropdown" role="button"', "dropdown-menu"),
    "joomla": ("deeper parent", 'class="nav-header"', "nav-child unstyled small"),
    "drupal": ("menu-item menu-item--expanded", 'data-drupal-link-system-path="node"', "menu"),
    "sharepoint": ("static dynamic-children", 'class="static dynamic-children menu-item ms-core-listMenu-item"',
                   "dynamic"),
    "liferay": ("lfr-nav-item dropdown", 'class="dropdown-toggle" aria-haspopup="true"', "child-menu dropdown-menu"),
}


def _nav(platform: str, items: list[tuple[str, str]], submenus: dict[str, list[tuple[str, str]]] | None = None,
         theme: str = "") -> str:
    def entry(t: str, h: str) -> str:
        children = (submenus or {}).get(t)
        if not children:
            return f'<li class="menu-item"><a href="{escape(h)}">{escape(t)}</a></li>'
        li_class, a_attrs, ul_class = _SUBMENU.get(theme or platform, _SUBMENU["wordpress"])
        inner = "".join(f'<li class="menu-item"><a href="{escape(ch)}">{escape(ct)}</a></li>' for ct, ch in children)
        return (f'<li class="{li_class}"><a href="{escape(h)}" {a_attrs}>{escape(t)}</a>'
                f'<ul class="{ul_class}">{inner}</ul></li>')

    lis = "".join(entry(t, h) for t, h in items)
    if platform == "oracle":
        cells = "".join(f'<td class="portal-menu-item"><a href="{escape(h)}">{escape(t)}</a></td>' for t, h in items)
        return f'<table class="portal-menu" width="100%"><tr>{cells}</tr></table>'
    opening = {
        "drupal": '<nav role="navigation" class="block block-menu navigation menu--main"><ul class="menu">',
        "nukeviet": '<div id="menu-site-default" class="navbar"><ul class="nav navbar-nav">',
        "joomla": '<div class="moduletable_menu"><ul class="nav menu mod-list">',
        "wordpress": '<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">',
        "sharepoint": '<div class="ms-core-navigation" role="navigation"><ul class="root static">',
        "liferay": '<nav id="navigation" class="sort-pages modify-pages"><ul aria-label="Site Pages" role="menubar">',
        "dotnet": '<div id="ctl00_MainMenu" class="menuTop"><ul>',
    }.get(platform, '<div class="mainmenu"><ul>')
    if theme == "wordpress_block":  # a block theme's Navigation block
        opening = ('<nav class="is-responsive items-justified-right wp-block-navigation is-layout-flex" '
                   'aria-label="Điều hướng"><ul class="wp-block-navigation__container">')
    closing = "</ul></nav>" if opening.startswith("<nav") else "</ul></div>"
    return opening + lis + closing


def _document(s: dict[str, Any], title: str, main: str, nav: list[tuple[str, str]], sidebar: str,
              footer_links: list[tuple[str, str]], print_link: str = "") -> bytes:
    platform = s["platform"]
    name = s["name"]
    head_extra = {
        "drupal": '<meta name="Generator" content="Drupal 9 (https://www.drupal.org)">',
        "joomla": '<meta name="generator" content="Joomla! - Open Source Content Management">',
        "wordpress": '<meta name="generator" content="WordPress 6.4.3">',
        "nukeviet": '<meta name="generator" content="NukeViet v4.5">',
        "sharepoint": '<meta name="GENERATOR" content="Microsoft SharePoint">',
        "liferay": '<meta content="Liferay Portal" name="generator">',
    }.get(platform, "")
    top = ""
    if platform == "sharepoint":
        top = '<div id="s4-ribbonrow"><a href="#ribbon-skip">Skip Ribbon Commands</a></div><a name="ribbon-skip"></a>'
    form_open, form_close = ("", "")
    if platform in ("dotnet", "datepath", "sharepoint"):
        form_open = ('<form method="post" id="aspnetForm"><input type="hidden" name="__VIEWSTATE" '
                     'value="/wEPDwUKMTY1NDU2MTA1MmRk" />')
        form_close = "</form>"
    footer_nav = " | ".join(f'<a href="{escape(h)}">{escape(t)}</a>' for t, h in footer_links)
    printing = f'<div class="tools"><a href="{escape(print_link)}">In trang</a></div>' if print_link else ""
    html = f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} - {escape(name)}</title>
{head_extra}
</head>
<body>
{form_open}{top}
<div id="header" class="header"><div class="logo"><a href="/"><img src="/images/logo.png" alt="{escape(name)}"></a></div>
<div class="site-name">{escape(name.upper())}</div><div class="slogan">Cổng thông tin điện tử</div></div>
{_nav(platform, nav, s.get("_submenus"), s.get("theme") or "")}
<div id="wrapper" class="container">
<div id="content" class="main-content">
{main}
{printing}
</div>
<div id="sidebar" class="col-right">{sidebar}</div>
</div>
<div id="footer" class="footer">
<p><strong>{escape(name.upper())}</strong></p>
<p>Địa chỉ: {escape(s['_address'])}</p>
<p>Điện thoại: {escape(s['_phone'])} - Email: {escape(s['_email'])}</p>
<p>{footer_nav}</p>
<p>Ghi rõ nguồn "{escape(name)}" khi phát hành lại thông tin từ website này.</p>
</div>
{form_close}
</body>
</html>
"""
    return html.encode("utf-8")


# --- the builder ---------------------------------------------------------------------------------
class _Builder:
    def __init__(self, spec: dict[str, Any]):
        self.s = s = normalize(spec)
        self.rng = random.Random(s["seed"])
        self.urls = Urls(s, self.rng)
        self.files: dict[str, bytes] = {}
        self.host = s["host"]
        self.current_host = self.host  # where pages and files being written live (the section may be elsewhere)
        self.in_section = False  # pages being written belong to the section (editor-styled headings)
        self.section_menu = ""  # the section's side menu (layout "menu"), shown on the section page
        rng = self.rng
        s["_address"] = f"Số {rng.randrange(2, 300)} đường {rng.choice(vocab.STREETS)}, {s['province']}"
        area = f"0{rng.choice(AREA_CODES)}"
        s["_phone"] = f"{area}.{rng.randrange(3, 4)}{rng.randrange(100, 999)}.{rng.randrange(100, 999)}"
        s["_email"] = f"{s['code']}@{s['province_host']}.gov.vn"
        self.nav: list[tuple[str, str]] = []
        self.footer_links: list[tuple[str, str]] = []
        self.sidebar: list[str] = []
        self.home_news: list[tuple[str, str]] = []
        self.sitemap: list[str] = []
        self.later: list[tuple[str, str, str]] = []  # (path, title, main) of pages written with the ordinary ones
        self.tagged: list[tuple[str, str]] = []  # the section's pages (a tag archive lists them)
        self.tag_path = {"nukeviet": "/news/tag/tiep-can-thong-tin", "joomla": "/component/tags/tag/tiep-can-thong-tin.html",
                         "drupal": "/tags/tiep-can-thong-tin"}.get(s["platform"], "/tag/tiep-can-thong-tin/")

    # helpers
    def person(self) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.5:
            return "Bà", f"{rng.choice(vocab.FAMILY)} {rng.choice(vocab.MIDDLE_F)} {rng.choice(vocab.GIVEN_F)}"
        return "Ông", f"{rng.choice(vocab.FAMILY)} {rng.choice(vocab.MIDDLE_M)} {rng.choice(vocab.GIVEN_M)}"

    def mobile(self) -> str:
        rng = self.rng
        return f"09{rng.randrange(10, 99)}.{rng.randrange(100, 999)}.{rng.randrange(100, 999)}"

    def landline(self) -> str:
        rng = self.rng
        return f"0{rng.choice(AREA_CODES)}.{rng.randrange(3000, 3999)}.{rng.randrange(100, 999)}"

    def put(self, path: str, body: bytes, host: str | None = None) -> str:
        host = host or self.current_host
        self.files[f"{host}{path}"] = body
        if host == self.host:
            self.sitemap.append(path)
        return path

    def page(self, path: str, title: str, main: str, host: str | None = None) -> str:
        if self.in_section:
            main = _restyle(main, self.s["style"]["headings"])
            if (host or self.current_host) == self.host:
                self.tagged.append((title, path))
        print_link = ""
        if self.s["url_trap"] == "print" or self.s["platform"] in ("dotnet", "sharepoint"):
            print_link = f"/print.aspx?p={path}"
            self.files[f"{host or self.current_host}{print_link}"] = (
                f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
                f'<body onload="window.print()">{main}</body></html>').encode()
        sidebar = (self.section_menu if self.in_section else "") + "".join(self.sidebar)
        body = _document(self.s, title, main, self.nav, sidebar, self.footer_links, print_link)
        return self.put(path, body, host)

    def news_article(self, title: str, paragraphs: list[str], slug: str | None = None) -> str:
        rng = self.rng
        path = self.urls.news(slug or slug_words(title).replace(" ", "-")[:70])
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        main = (f'<div class="news-detail"><h1 class="title">{escape(title)}</h1>'
                f'<div class="meta">Ngày đăng: {rng.randrange(1, 28):02d}/{rng.randrange(1, 12):02d}/2024 | '
                f'Lượt xem: {rng.randrange(100, 9000)}</div>{body}'
                f'<div class="related"><h3>Các tin khác</h3><ul><li><a href="/">{escape(vocab.NEWS_TITLES[0])}</a></li>'
                "</ul></div></div>")
        return self.page(path, title, main)

    def document_rows(self, n: int) -> list[list[str]]:
        rng = self.rng
        rows = []
        for i in range(n):
            kind, suffix, about = vocab.DOCUMENTS[(i + rng.randrange(8)) % len(vocab.DOCUMENTS)]
            number = f"{rng.randrange(10, 2999)}/{suffix}"
            rows.append([f"{kind} số {number} {about}", f"{rng.randrange(1, 28):02d}/{rng.randrange(1, 12):02d}/2025",
                         rng.choice(vocab.DISCLOSURE_FORMS), rng.choice(vocab.DISCLOSURE_TIMES), kind, number, about])
        return rows

    def attach(self, name: str, lines: list[str], ext: str = "pdf", scanned: bool = False) -> str:
        body = docs.pdf(lines, scanned=scanned) if ext == "pdf" else docs.rtf(lines)
        return self.put(self.urls.file(name, ext), body)

    # the parts of the section: each returns HTML for the section page (and may add subpages)
    def catalogue(self, section_path: str, subpages: bool) -> str:
        state = self.s["elements"]["catalogue"]
        rng = self.rng
        title = rng.choice(vocab.CATALOGUE_TITLES)
        if state == "absent":
            return ""
        rows = self.document_rows(rng.randrange(3, 7))
        if state in ("pdf", "docx", "xlsx", "xls_html", "scanned_pdf", "dead_link"):
            header = ["STT", "Tên, số, ký hiệu văn bản", "Ngày tạo ra", "Hình thức công khai", "Thời điểm, thời hạn công khai"]
            table = [header] + [[str(i + 1), *r[:4]] for i, r in enumerate(rows)]
            name = "danh-muc-thong-tin-phai-cong-khai"
            if state == "pdf" or state == "scanned_pdf":
                path = self.attach(name, [title.upper(), f"(Ban hành kèm theo Quyết định của {self.s['name']})",
                                          *(" | ".join(r) for r in table)], scanned=state == "scanned_pdf")
            elif state == "docx":
                path = self.put(self.urls.file(name, "docx"), docs.docx([title.upper(), self.s["name"]], table))
            elif state == "xlsx":
                path = self.put(self.urls.file(name, "xlsx"), docs.xlsx([[title.upper()], *table][1:]))
            elif state == "xls_html":
                cells = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table)
                path = self.put(self.urls.file(name, "xls"), (
                    f'<html><head><meta charset="utf-8"><title>{escape(title)}</title></head><body>'
                    f"<p>{escape(title.upper())}</p><table border=1>{cells}</table></body></html>").encode())
            else:
                path = self.urls.sub(section_path, "danh-muc-thong-tin-cong-khai")  # never written: 404
            label = rng.choice([f"{title} (tải văn bản tại đây)", title, f"{title} - File đính kèm"])
            return f'<h3>{escape(title)}</h3><p><a href="{escape(path)}">{escape(label)}</a></p>'
        if state in ("index", "tree"):
            html = self.catalogue_index(title, section_path, tree=state == "tree")
        else:
            html = self.catalogue_table(title, rows, state)
        if subpages:
            path = self.page(self.urls.sub(section_path, slug_words(title).replace(" ", "-")), title,
                             f"<h1>{escape(title)}</h1>{html}")
            return f'<p><a href="{escape(path)}">{escape(title)}</a></p>'
        return html

    def catalogue_table(self, title: str, rows: list[list[str]], state: str) -> str:
        rng = self.rng
        links = []
        for i, row in enumerate(rows):
            ext = rng.choice(["pdf", "pdf", "doc"])
            links.append(self.attach(f"van-ban-{i + 1}-{row[5].split('/')[0]}", [row[0], row[1], "Nội dung văn bản ..."], ext))
        if state == "full_alt":
            head = ["STT", "Số/Ký hiệu", "Ngày ban hành", "Trích yếu", "Hình thức công khai", "Thời hạn công khai", "Tải về"]
            body = [[str(i + 1), r[5], r[1], f"{r[4]} {r[6]}", r[2], r[3],
                     f'<a href="{escape(links[i])}">Tải về</a>'] for i, r in enumerate(rows)]
        elif state != "empty_rows" and rng.random() < 0.35:
            head = ["TT", "Tên thông tin", "Cơ quan tạo ra", "Thời điểm công khai", "Hình thức công khai",
                    "Địa chỉ truy cập"]
            body = [[str(i + 1), escape(f"{r[4]} {r[6]}"), escape(self.s["name"]), r[3], r[2],
                     f'<a href="{escape(links[i])}">{escape(links[i].rsplit("/", 1)[-1])}</a>'] for i, r in enumerate(rows)]
        else:
            head = ["STT", "Tên, số, ký hiệu văn bản", "Ngày, tháng, năm tạo ra", "Hình thức công khai",
                    "Thời điểm, thời hạn công khai", "Đường dẫn/Tệp đính kèm"]
            body = [[str(i + 1), escape(r[0]), r[1], r[2], r[3], f'<a href="{escape(links[i])}">Xem văn bản</a>']
                    for i, r in enumerate(rows)]
            if state == "empty_rows":
                body = [[str(i + 1)] + [""] * (len(head) - 1) for i in range(4)]
        ths = "".join(f"<th>{escape(h)}</th>" for h in head)
        trs = []
        if state == "merged":
            trs.append(f'<tr><td colspan="{len(head)}"><strong>I. {escape(vocab.CATEGORIES[0])}</strong></td></tr>')
        for i, row in enumerate(body):
            if state == "merged" and i == len(body) // 2:
                trs.append(f'<tr><td colspan="{len(head)}"><strong>II. {escape(vocab.CATEGORIES[3])}</strong></td></tr>')
            trs.append("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
        return (f'<h2 class="title">{escape(title)}</h2><table class="table table-bordered" border="1">'
                f'<thead><tr>{ths}</tr></thead><tbody>{"".join(trs)}</tbody></table>')

    def catalogue_index(self, title: str, section_path: str, tree: bool) -> str:
        rng = self.rng
        categories = rng.sample(vocab.CATEGORIES[:-1], rng.randrange(4, 8))
        rows = []
        for i, category in enumerate(categories):
            path = self.urls.sub(section_path, slug_words(category).replace(" ", "-")[:50])
            if tree:
                items = []
                for j in range(rng.randrange(2, 4)):
                    item_title = f"{category} - mục {j + 1}"
                    item_path = self.urls.sub(path, f"muc-{i + 1}-{j + 1}")
                    content = ("<p>Thông tin đang cập nhật...</p>" if rng.random() < 0.6 else
                               f"<p>{escape(self.document_rows(1)[0][0])}</p>")
                    self.page(item_path, item_title, f"<h1>{escape(item_title)}</h1>{content}")
                    items.append(f'<li><a href="{escape(item_path)}">{escape(item_title)}</a></li>')
                self.page(path, category, f"<h1>{escape(category)}</h1><ul>{''.join(items)}</ul>")
                rows.append(f'<li><a href="{escape(path)}">{escape(category)}</a></li>')
            else:
                if rng.random() < 0.8:  # some "Chi tiết" links are dead
                    self.page(path, category, f"<h1>{escape(category)}</h1><p>{escape(self.document_rows(1)[0][0])}</p>")
                rows.append(f'<tr><td>{i + 1}</td><td>{escape(category)}</td><td><a href="{escape(path)}">Chi tiết</a></td></tr>')
        if tree:
            return f'<h2 class="title">{escape(title)}</h2><ul class="tree">{"".join(rows)}</ul>'
        return (f'<h2 class="title">{escape(title)} (theo Điều 19 Luật Tiếp cận thông tin)</h2><table border="1">'
                f'<tr><th>STT</th><th>Nội dung</th><th>Đường dẫn</th></tr>{"".join(rows)}</table>')

    def focal(self) -> str:
        state = self.s["elements"]["focal"]
        rng = self.rng
        heading = rng.choice(vocab.FOCAL_HEADINGS)
        title, person = self.person()
        position = rng.choice(vocab.POSITIONS)
        email = f"tiepcanthongtin.{self.s['code']}@{self.s['province_host']}.gov.vn"
        if state == "absent":
            return ""
        if state == "spokesperson":
            return (f"<h2>NGƯỜI PHÁT NGÔN VÀ CUNG CẤP THÔNG TIN CHO BÁO CHÍ</h2><table border=1><tr><th>Họ và tên</th>"
                    f"<th>Chức vụ</th><th>Điện thoại</th><th>Email</th></tr><tr><td>{title} {person}</td><td>Phó Giám đốc"
                    f"</td><td>{self.mobile()}</td><td>{email}</td></tr></table>")
        if state == "heading_only":
            return f"<h2>{escape(heading)}</h2><p></p>"
        if state == "image_only":
            return f'<h2>{escape(heading)}</h2><p><img src="{self.urls.file("dau-moi", "jpg")}" alt=""></p>'
        if state == "phone_only":
            return (f"<h2>{escape(heading)}</h2><p>Văn phòng {escape(self.s['name'])}, số điện thoại "
                    f"{self.landline()}.</p>")
        if state == "commune":
            return (f"<h2>{escape(heading)}</h2><p>Công chức Văn phòng - Thống kê: {title} {person}</p>"
                    f"<p>Điện thoại: {self.mobile()}</p><p>Email: {email}</p>")
        if state == "prose":
            return (f"<h3>{escape(heading)}</h3><p>{'Chị' if title == 'Bà' else 'Anh'} {person}, {position}, số điện "
                    f"thoại {self.landline()} máy lẻ {rng.randrange(100, 2000)}, di động {self.mobile()}; địa chỉ thư "
                    f"điện tử {email}</p>")
        phone = self.landline() if rng.random() < 0.6 else f"(0{rng.choice(AREA_CODES)}) {rng.randrange(3800, 3899)} {rng.randrange(100, 999)}"
        mail = rng.choice([f"Thư điện tử: {email}", f"Email: {email}", f"Hòm thư điện tử{email}"])
        return (f"<h2>{escape(heading)}</h2><ul><li>Họ và tên: {title} {person}</li><li>Chức vụ: {position}</li>"
                f"<li>Địa chỉ: {escape(self.s['_address'])}</li><li>Điện thoại: {phone}; di động: "
                f"{self.mobile()}</li><li>{mail}</li></ul>")

    def request_address(self) -> str:
        state = self.s["elements"]["request_address"]
        rng = self.rng
        heading = rng.choice(vocab.REQUEST_HEADINGS)
        email = f"tctt@{self.s['code']}.{self.s['province_host']}.gov.vn"
        if state == "absent":
            return ""
        if state == "mention":
            return f"<h3>{escape(heading)}</h3><p>Công dân có thể gửi yêu cầu qua mạng điện tử hoặc trực tiếp tại cơ quan.</p>"
        if state == "form":
            path = self.page(self.urls.page("gui-yeu-cau-cung-cap-thong-tin"), "Gửi yêu cầu cung cấp thông tin",
                             '<h1>Gửi yêu cầu cung cấp thông tin</h1><form method="post" action="#"><label>Họ và tên'
                             '</label><input name="hoten"><label>Thông tin yêu cầu</label><textarea name="noidung">'
                             '</textarea><button>Gửi</button></form>')
            return (f'<h3>{escape(heading)}</h3><p>Công dân điền Phiếu yêu cầu trực tuyến: '
                    f'<a href="{escape(path)}">Gửi yêu cầu cung cấp thông tin trực tuyến</a></p>')
        return (f"<h3>{escape(heading)}</h3><p>Tiếp nhận yêu cầu cung cấp thông tin qua mạng điện tử: thư điện tử "
                f"{email}</p><p>Tiếp nhận trực tiếp, qua bưu chính: {escape(self.s['_address'])}.</p>")

    def complaint(self) -> str:
        state = self.s["elements"]["complaint"]
        heading = self.rng.choice(vocab.COMPLAINT_HEADINGS)
        if state == "absent":
            return ""
        if state == "mention":
            return f"<h3>{escape(heading)}</h3><p>Thực hiện theo quy định của pháp luật.</p>"
        unit = self.s["name"] if self.s["name"].startswith("Thanh tra") else f"Thanh tra {self.s['name']}"
        return (f"<h3>{escape(heading)}</h3><p>{escape(unit)}, điện thoại {self.landline()}, "
                f"email thanhtra.{self.s['code']}@{self.s['province_host']}.gov.vn</p>")

    def forms(self) -> str:
        state = self.s["elements"]["forms"]
        rng = self.rng
        heading = rng.choice(vocab.FORMS_HEADINGS)
        if state == "absent":
            return ""
        if state == "land":
            items = []
            for code, label in (("01/PYC", "Phiếu yêu cầu cung cấp thông tin, dữ liệu đất đai"),
                                ("02/PYC", "Phiếu yêu cầu cung cấp thông tin, dữ liệu đo đạc và bản đồ")):
                path = self.attach(f"phieu-yeu-cau-{code[:2]}-pyc", [label.upper(), "Kính gửi: ..."], "doc")
                items.append(f'<li><a href="{escape(path)}">Mẫu số {code} - {escape(label)}</a></li>')
            return f"<h3>Biểu mẫu cung cấp dữ liệu</h3><ul>{''.join(items)}</ul>"
        codes = ALL_FORMS if state == "all" else list(state)
        style = rng.randrange(4)
        ext = rng.choice(["doc", "doc", "pdf"])
        items = []
        for code in codes:
            lines = [vocab.FORMS[code].upper(), f"Mẫu số {code}", "Kính gửi: ...", "Họ, tên người yêu cầu: ..."]
            path = self.attach(f"mau-so-{code}", lines, ext)
            label = {0: f"Mẫu số {code}: {vocab.FORMS[code]}", 1: f"Mẫu {code}", 2: f"Mẫu số {code.lstrip('0')}",
                     3: "Tải về"}[style]
            if style == 3:
                items.append(f'<tr><td>{escape(vocab.FORMS[code])}</td><td><a href="{escape(path)}">{label}</a></td></tr>')
            else:
                items.append(f'<li><a href="{escape(path)}">{escape(label)}</a></li>')
        if style == 3:
            return (f"<h3>{escape(heading)}</h3><table border=1><tr><th>Tên mẫu</th><th>Tệp</th></tr>"
                    f"{''.join(items)}</table>")
        return (f"<h3>{escape(heading)}</h3><p>Các mẫu phiếu ban hành kèm theo Nghị định số 13/2018/NĐ-CP:</p>"
                f"<ul>{''.join(items)}</ul>")

    def guidance(self, section_path: str, subpages: bool) -> str:
        state = self.s["elements"]["guidance"]
        heading = self.rng.choice(vocab.GUIDANCE_HEADINGS)
        if state == "absent":
            return ""
        if state == "mention":
            return "<p>Công dân thực hiện theo hướng dẫn khai thác thông tin được niêm yết tại trụ sở cơ quan.</p>"
        html = (f"<h2>{escape(heading)}</h2><ol><li>Bước 1: Tra cứu danh mục thông tin đã được công khai trên Cổng "
                "thông tin điện tử.</li><li>Bước 2: Nếu thông tin chưa được công khai, điền Phiếu yêu cầu và gửi trực "
                "tiếp, qua bưu chính hoặc qua mạng điện tử.</li><li>Bước 3: Liên hệ đầu mối để được hỗ trợ; thời hạn "
                "giải quyết là 15 ngày làm việc.</li></ol>")
        if subpages and self.rng.random() < 0.5:
            path = self.page(self.urls.sub(section_path, slug_words(heading).replace(" ", "-")), heading, html)
            return f'<p><a href="{escape(path)}">{escape(heading)}</a></p>'
        return html

    def download(self) -> str:
        if self.s["elements"]["download"] != "link":
            return ""
        label = self.rng.choice(vocab.DOWNLOAD_LABELS)
        rows = self.document_rows(4)
        items = ""
        for i, r in enumerate(rows):
            path = self.attach(f"vb-{i}-{r[5].split('/')[0]}", [r[0], r[1]])
            items += f'<li><a href="{escape(path)}">{escape(r[0])}</a> ({r[1]})</li>'

        path = self.page(self.urls.page("co-so-du-lieu-van-ban"), "Cơ sở dữ liệu văn bản",
                         f"<h1>Văn bản</h1><ul>{items}</ul>")
        return f'<p><a href="{escape(path)}">{escape(label)}</a></p>'

    def part_pages(self, section_path: str, parts: list[str]) -> str:
        """Put each part on its own page; return the list of links (in the page, or as a side menu)."""
        links = []
        inline = ""
        for index, html in enumerate(parts):
            if not re.search(r"<h[23]|^<p><a ", html.strip()):  # a bare sentence is not given a page of its own
                inline += html
                continue
            found = re.search(r"<h[23][^>]*>(.*?)</h[23]>|<a [^>]*>(.*?)</a>", html, re.S)
            title = re.sub(r"<[^>]+>", "", (found.group(1) or found.group(2)) if found else f"Mục {index + 1}").strip()
            title = unescape(title)[:120] or f"Mục {index + 1}"
            if re.fullmatch(r"<p><a [^>]*>[^<]*</a></p>", html.strip()):  # already a link to a page or file
                links.append(html.strip()[3:-4])
                continue
            path = self.page(self.urls.sub(section_path, slug_words(title).replace(" ", "-")[:60] or f"muc-{index}"),
                             title, html)
            links.append(f'<a href="{escape(path)}">{escape(title)}</a>')
        items = "".join(f"<li>{link}</li>" for link in links)
        if self.s["layout"] == "menu":
            self.section_menu = f'<div class="left-menu"><h3 class="title">{escape(self.s["label"])}</h3><ul class="sub-menu">{items}</ul></div>'
            return inline
        return f'<ul class="list-link">{items}</ul>{inline}'

    def regulation_doc(self) -> tuple[str, str]:
        """(label, path) of the regulation, written as a page or a document."""
        state = self.s["elements"]["regulation"]
        rng = self.rng
        title = rng.choice(vocab.REGULATION_TITLES)
        number = f"{rng.randrange(10, 900)}/QĐ-{self.s['code'].upper()}"
        articles = ["Điều 1. Phạm vi điều chỉnh", "Điều 2. Đầu mối cung cấp thông tin",
                    "Điều 3. Tiếp nhận, giải quyết yêu cầu cung cấp thông tin", "Điều 4. Cập nhật danh mục thông tin"]
        if state in ("pdf", "scanned_pdf"):
            lines = [self.s["name"].upper(), f"Số: {number}", title.upper(), *articles]
            label = f"Quyết định số {number} ban hành {title[0].lower() + title[1:]}" if "Quyết định" not in title else title
            return label, self.attach("quy-che-cung-cap-thong-tin", lines, scanned=state == "scanned_pdf")
        body = f"<h1>{escape(title)}</h1><p>(Ban hành kèm theo Quyết định số {number})</p>" + "".join(
            f"<p><strong>{escape(a)}</strong></p><p>Nội dung quy định chi tiết.</p>" for a in articles)
        return title, self.page(self.urls.page("quy-che-cung-cap-thong-tin-cho-cong-dan"), title, body)

    def conditional(self, section_path: str, subpages: bool) -> str:
        if self.s["elements"]["conditional"] != "table":
            return ""
        title = self.rng.choice(vocab.CONDITIONAL_TITLES)
        html = (f"<h2>{escape(title)}</h2><table border=1><tr><th>STT</th><th>Tên thông tin</th><th>Điều kiện tiếp cận"
                "</th></tr><tr><td>1</td><td>Hồ sơ cán bộ, công chức</td><td>Được sự đồng ý của người có thông tin</td>"
                "</tr><tr><td>2</td><td>Thông tin liên quan đến bí mật kinh doanh</td><td>Được sự đồng ý của doanh "
                "nghiệp</td></tr></table>")
        if subpages:
            path = self.page(self.urls.sub(section_path, "danh-muc-thong-tin-tiep-can-co-dieu-kien"), title, html)
            return f'<p><a href="{escape(path)}">{escape(title)}</a></p>'
        return html

    # traps elsewhere on the portal
    def traps(self) -> None:
        s, rng = self.s, self.rng
        for trap in s["traps"]:
            if trap == "most_viewed":
                items = "".join(f'<li><a href="{escape(self.news_article(t, [t + "."]))}">{escape(t)}</a></li>'
                                for t in vocab.NEWS_TITLES[:3])
                self.sidebar.append(f'<div class="block"><h3 class="block-title">TIẾP CẬN THÔNG TIN</h3><ul>{items}</ul></div>')
            elif trap == "news_category":
                articles = [(t, self.news_article(t, [t + ". Nội dung tin."])) for t in vocab.NEWS_TITLES[2:5]]
                listing = "".join(f'<div class="item"><h3><a href="{escape(p)}">{escape(t)}</a></h3><span class="date">'
                                  f"{rng.randrange(1, 28):02d}/10/2024</span></div>" for t, p in articles)
                path = self.page(self.urls.page("tiep-can-thong-tin-tin-tuc" if s["reach"] != "none" and
                                                s["slug"] == "tiep-can-thong-tin" else "tiep-can-thong-tin"),
                                 "Tin tức - Sự kiện", f"<h1>Tin tức - Sự kiện</h1>{listing}")
                self.nav.insert(2, (rng.choice(["Du lịch - Lễ hội", "Tin tức", "Tin hoạt động"]), path))
            elif trap == "directive_news":
                title = rng.choice(["Triển khai thi hành Luật Tiếp cận thông tin",
                                    f"{s['name']} chỉ đạo thực hiện Luật Tiếp cận thông tin",
                                    "Tăng cường bảo đảm quyền tiếp cận thông tin của công dân"])
                path = self.news_article(title, [
                    "Thực hiện Luật Tiếp cận thông tin, yêu cầu các cơ quan, đơn vị lập Danh mục thông tin phải được "
                    "công khai, ban hành Quy chế nội bộ về tổ chức cung cấp thông tin, phân công đơn vị đầu mối cung cấp "
                    "thông tin.",
                    "Các đơn vị sử dụng Mẫu số 01a, 01b, 02, 03, 04, 05, 06 ban hành kèm theo Nghị định 13/2018/NĐ-CP, "
                    "công bố địa chỉ tiếp nhận yêu cầu cung cấp thông tin qua mạng điện tử và hướng dẫn khai thác thông tin.",
                    "Giao Văn phòng theo dõi, đôn đốc; báo cáo kết quả trước ngày 30/12."])
                self.home_news.append((title, path))
            elif trap == "law_text":
                chapters = "".join(f"<p>Điều {i}. {t}</p><p>Nội dung điều luật.</p>" for i, t in enumerate(
                    ["Phạm vi điều chỉnh", "Giải thích từ ngữ", "Nguyên tắc bảo đảm quyền tiếp cận thông tin",
                     "Chủ thể thực hiện quyền tiếp cận thông tin", "Thông tin công dân được tiếp cận",
                     "Thông tin công dân không được tiếp cận", "Thông tin công dân được tiếp cận có điều kiện",
                     "Quyền và nghĩa vụ của công dân"], start=1))
                title = "Luật Tiếp cận thông tin số 104/2016/QH13"
                path = self.page(self.urls.news("luat-tiep-can-thong-tin-2016"), title,
                                 f'<h1>{title}</h1><p>Chương I</p><p>NHỮNG QUY ĐỊNH CHUNG</p>{chapters}'
                                 "<p>Danh mục thông tin phải được công khai; đầu mối cung cấp thông tin; quy chế nội bộ.</p>")
                self.home_news.append(("Toàn văn Luật Tiếp cận thông tin", path))
            elif trap == "legal_access":
                path = self.page(self.urls.page("chuan-tiep-can-phap-luat"), "Tiếp cận pháp luật",
                                 "<h1>Xây dựng xã, phường đạt chuẩn tiếp cận pháp luật</h1><p>Tiêu chí 1: Ban hành văn bản "
                                 "quy phạm pháp luật. Tiêu chí 2: Tiếp cận thông tin, phổ biến, giáo dục pháp luật.</p>")
                self.nav.append(("Tiếp cận pháp luật", path))
            elif trap == "spokesperson_page":
                title, person = self.person()
                path = self.page(self.urls.page("nguoi-phat-ngon"), "Người phát ngôn",
                                 f"<h1>Người phát ngôn và cung cấp thông tin cho báo chí</h1><p>{title} {person}, Phó "
                                 f"Giám đốc. Điện thoại: {self.mobile()}. Email: phatngon@{s['province_host']}.gov.vn</p>")
                self.sidebar.append(f'<p><a href="{escape(path)}">Người phát ngôn, cung cấp thông tin cho báo chí</a></p>')
            elif trap == "working_rules":
                path = self.page(self.urls.page("quy-che-lam-viec"), "Quy chế làm việc",
                                 f"<h1>Quy chế làm việc của {escape(s['name'])}</h1><p>Điều 1. Phạm vi điều chỉnh</p>")
                self.home_news.append((f"Quy chế làm việc của {s['name']}", path))
            elif trap == "land_forms":
                path = self.page(self.urls.page("cung-cap-thong-tin-dat-dai"), "Cung cấp thông tin đất đai",
                                 "<h1>Cung cấp thông tin, dữ liệu đất đai</h1><ul><li>Mẫu số 01/PYC - Phiếu yêu cầu cung "
                                 "cấp thông tin, dữ liệu đất đai</li></ul>")
                self.nav.append(("Cung cấp dữ liệu đất đai", path))
            elif trap == "many_news":  # a home page full of news about the Law, each a candidate link
                for n, topic in enumerate(["Hội nghị tập huấn Luật Tiếp cận thông tin", "Tuyên truyền Luật Tiếp cận thông tin",
                                           "Kiểm tra việc thực hiện Luật Tiếp cận thông tin", "Sơ kết 5 năm thi hành Luật "
                                           "Tiếp cận thông tin", "Bảo đảm quyền tiếp cận thông tin của người dân",
                                           "Tọa đàm về tiếp cận thông tin", "Cuộc thi tìm hiểu Luật Tiếp cận thông tin",
                                           "Báo cáo tình hình thực hiện Luật Tiếp cận thông tin"]):
                    title = f"{topic} năm {2019 + n}"
                    self.home_news.append((title, self.news_article(title, [title + ". Nội dung tin."])))
            elif trap == "tag_archive":  # a tag cloud widget (WordPress widget_tag_cloud and the like)
                tags = "".join(f'<a href="{escape(h)}" class="tag-cloud-link">{escape(t)}</a> ' for t, h in (
                    ("Tiếp cận thông tin", self.tag_path), ("Cải cách hành chính", self.urls.page("the-cai-cach"))))
                self.sidebar.append(f'<section class="widget widget_tag_cloud"><h2 class="widget-title">Thẻ</h2>'
                                    f'<div class="tagcloud">{tags}</div></section>')
            elif trap == "public_service":
                self.sidebar.append('<p><a href="https://dichvucong.gov.test/"><img src="/images/dvc.png" '
                                    'alt="Cổng dịch vụ công"></a></p>')

    def write_sitemaps(self, reach: str, section_host: str, section_path: str) -> None:
        """robots.txt and the sitemaps it names: a flat /sitemap.xml (reach sitemap and most portals), a
        sitemap index (WordPress core /wp-sitemap.xml, Yoast /sitemap_index.xml) whose page sitemap holds the
        section, or a gzipped one (.xml.gz, in CDATA) — with /sitemap.xml answering too unless the spec says
        ``sitemap_alias: false`` (then only robots.txt names them); none at all with ``sitemap: false``."""
        if self.s.get("sitemap") is False:
            self.files[f"{self.host}/robots.txt"] = b"User-agent: *\nDisallow: /admin/\n"
            return
        pages = [f"http://{self.host}{p}" for p in self.sitemap
                 if not p.endswith((".pdf", ".doc", ".docx", ".xls", ".xlsx", ".png", ".jpg"))]
        if reach.startswith("sitemap") and section_host != self.host:
            pages.append(f"http://{section_host}{section_path}")
        robots = "User-agent: *\nDisallow: /admin/\n"
        if reach == "sitemap_index":
            core = self.s["platform"] == "wordpress"
            index = "/wp-sitemap.xml" if core else "/sitemap_index.xml"
            news = [u for u in pages if _NEWS.search(u)]
            children = {("/wp-sitemap-posts-post-1.xml" if core else "/post-sitemap.xml"): news,
                        ("/wp-sitemap-posts-page-1.xml" if core else "/page-sitemap.xml"): [u for u in pages if u not in news]}
            for path, locations in children.items():
                self.files[f"{self.host}{path}"] = _urlset(locations)
            self.files[f"{self.host}{index}"] = (
                '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<sitemap><loc>http://{self.host}{p}</loc></sitemap>" for p in children) + "</sitemapindex>").encode()
            robots += f"\nSitemap: http://{self.host}{index}\n"
            if self.s.get("sitemap_alias", True):  # WordPress and Yoast answer /sitemap.xml with their index too
                self.files[f"{self.host}/sitemap.xml"] = self.files[f"{self.host}{index}"]
        elif reach == "sitemap_gz":
            self.files[f"{self.host}/sitemaps/sitemap.xml.gz"] = gzip.compress(_urlset(pages, cdata=True), mtime=0)
            robots += "Sitemap: /sitemaps/sitemap.xml.gz\n"
            if self.s.get("sitemap_alias", True):  # an index at the usual place naming the gzipped sitemap
                self.files[f"{self.host}/sitemap.xml"] = (
                    '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                    f'sitemap/0.9"><sitemap><loc>http://{self.host}/sitemaps/sitemap.xml.gz</loc></sitemap>'
                    "</sitemapindex>").encode()
        else:
            self.files[f"{self.host}/sitemap.xml"] = _urlset(pages)
            robots += "Sitemap: /sitemap.xml\n"
        self.files[f"{self.host}/robots.txt"] = robots.encode()

    def build(self) -> Portal:
        s, rng, urls = self.s, self.rng, self.urls
        home = urls.home()
        self.nav = [("Trang chủ", home), ("Giới thiệu", urls.page("gioi-thieu")), ("Tin tức", urls.page("tin-tuc")),
                    ("Văn bản", urls.page("van-ban")), ("Liên hệ", urls.page("lien-he"))]
        self.footer_links = [("Sơ đồ trang", "/sitemap.xml"), ("Liên hệ", self.nav[-1][1])]
        self.traps()
        for link in s.get("extra_links") or []:
            self.sidebar.append(f'<p><a href="{escape(link["href"])}">{escape(link["text"])}</a></p>')

        # the section: where it lives and how it is reached
        reach = s["reach"]
        section_host = self.host
        if reach == "subdomain":
            section_host = f"tctt.{self.host}"
            section_path = "/"
        elif reach == "parent":
            section_host = s["parent_host"]
            section_path = f"/{s['code']}/{s['slug']}"
        else:
            section_path = urls.page(s["slug"])
            if s["url_trap"] == "www":  # the menu links the www. alias of the host
                section_host = f"www.{self.host}"
        href = section_path if section_host == self.host else f"http://{section_host}{section_path}"
        if s["url_trap"] == "jsessionid":
            href = re.sub(r"^([^?]*)", lambda m: m.group(1) + ";jsessionid=A1B2C3D4E5F60718293A4B5C6D7E8F90", href, count=1)
        elif s["url_trap"] == "port":
            # The explicit default port (":443" on https portals; loopback serves http, so ":80").
            href = f"http://{section_host}:80{section_path}"
        label = s["label"]
        hub = s.get("hub") or rng.choice(vocab.HUB_LABELS)
        if reach in ("menu", "subdomain", "parent"):
            self.nav.insert(len(self.nav) - 1, (label, href))
        elif reach in ("submenu", "landing"):
            # A hub of the main menu: its sub-menu lists the section (submenu), or the page it opens does (landing).
            hub_path = urls.page(slug_words(hub).replace(" ", "-"))
            siblings = [(t, urls.page(slug_words(t).replace(" ", "-"))) for t in rng.sample(vocab.HUB_SIBLINGS, 3)]
            self.nav.insert(len(self.nav) - 1, (hub, hub_path))
            entries = siblings[:1] + [(label, href)] + siblings[1:]
            if reach == "submenu":
                s["_submenus"] = {hub: entries}
                hub_main = f"<h1>{escape(hub)}</h1><p>Thông tin dành cho người dân và doanh nghiệp.</p>"
            else:
                items = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in entries)
                hub_main = f'<h1 class="page-title">{escape(hub)}</h1><ul class="list-link">{items}</ul>'
            self.later.append((hub_path, hub, hub_main))
            for title, path in siblings:
                self.later.append((path, title, f"<h1>{escape(title)}</h1><p>Đang cập nhật.</p>"))
        elif reach == "banner_ocr":
            # Only the picture says it: no alt text, a file name and a link that name nothing.
            banner = self.put(urls.file(f"bn-{rng.randrange(10, 99)}", "png"), docs.banner(rng.choice(
                ["TIẾP CẬN THÔNG TIN", "Tiếp cận thông tin"])))
            self.sidebar.insert(0, f'<div class="banner"><a href="{escape(href)}"><img src="{escape(banner)}" '
                                   'alt=""></a></div>')
        elif reach == "footer":
            self.footer_links.insert(0, (label, href))
        elif reach == "banner":
            banner = urls.file(rng.choice(["banner-tiep-can-thong-tin", "tiepcanthongtin", "bn-tctt"]), "png")
            alt = rng.choice([label, "", "Tiếp cận thông tin"])
            self.sidebar.insert(0, f'<div class="banner"><a href="{escape(href)}"><img src="{escape(banner)}" '
                                   f'alt="{escape(alt)}"></a></div>')
        # the parts of the section live where the section lives
        subpages = s["layout"] == "subpages"
        regulation_html = ""
        if s["elements"]["regulation"] == "news":  # published as a news item, linked from the home page
            self.home_news.append(self.regulation_doc())
        if reach != "none":
            self.current_host = section_host
            self.in_section = True
            if s["elements"]["regulation"] in ("page", "pdf", "scanned_pdf"):
                label_r, path_r = self.regulation_doc()
                regulation_html = f'<p><a href="{escape(path_r)}">{escape(label_r)}</a></p>'
            elif s["elements"]["regulation"] == "working_rules":
                path_w = self.page(urls.page("quy-che-lam-viec-cua-co-quan"), "Quy chế làm việc",
                                   f"<h1>Quy chế làm việc của {escape(s['name'])}</h1><p>Điều 1. Phạm vi điều chỉnh</p>")
                regulation_html = f'<p><a href="{escape(path_w)}">Quy chế làm việc</a></p>'
            intro = f"<p>{escape(rng.choice(vocab.INTROS).format(agency=s['name']))}</p>"
            parts = [self.focal(), self.request_address(), self.complaint(), self.guidance(section_path, subpages),
                     self.forms(), self.catalogue(section_path, subpages), self.conditional(section_path, subpages),
                     regulation_html, self.download()]
            order = list(range(len(parts)))
            rng.shuffle(order)
            parts = [parts[i] for i in sorted(order[:3])] + [parts[i] for i in order[3:]]
            heading = f'<h1 class="page-title">{escape(label)}</h1>'
            if s.get("section_news"):  # inspections find news dumped into the section
                news = "".join(f'<li><a href="{escape(self.news_article(t, [t + "."]))}">{escape(t)}</a> '
                               f"<span>({rng.randrange(1, 28):02d}/0{rng.randrange(1, 9)}/2024) Lượt xem: "
                               f"{rng.randrange(50, 900)}</span></li>" for t in vocab.NEWS_TITLES[:3])
                parts.append(f'<div class="news-list"><h3>Tin liên quan</h3><ul>{news}</ul></div>')
            if s["layout"] in ("pages", "menu"):
                section_main = heading + intro + self.part_pages(section_path, [p for p in parts if p])
            else:
                section_main = heading + intro + "".join(p for p in parts if p)
            self.page(section_path, label, section_main, host=section_host)
            if reach == "parent":
                parent_home = _document({**s, "name": f"UBND tỉnh {s['province']}"}, "Trang chủ",
                                        "<h1>Cổng thông tin điện tử</h1>", [("Trang chủ", "/")], "", [])
                self.files.setdefault(f"{section_host}/", parent_home)

        # ordinary pages
        self.current_host = self.host
        self.in_section = False
        for path, title, main in self.later:
            self.page(path, title, main)
        if "tag_archive" in s["traps"] and reach != "none":
            # A tag archive listing the section and its pages: it links the section, it is not the section.
            listed = [(label, href)] + [(t, h) for t, h in self.tagged if h != section_path]
            posts = "".join(f'<article class="post type-post"><h2 class="entry-title"><a href="{escape(h)}">'
                            f"{escape(t)}</a></h2></article>" for t, h in listed)
            self.page(self.tag_path, f"Thẻ: {label}", f'<h1 class="page-title">Thẻ: <span>{escape(label)}</span>'
                                                     f"</h1>{posts}")
        news_items = self.home_news + [(t, self.news_article(t, [t + ". Nội dung chi tiết của tin."]))
                                       for t in rng.sample(vocab.NEWS_TITLES, 2)]
        news_html = "".join(f'<li><a href="{escape(p)}">{escape(t)}</a></li>' for t, p in news_items)
        self.page(self.nav[1][1], "Giới thiệu", f"<h1>Giới thiệu</h1><p>{escape(s['name'])} là cơ quan chuyên môn.</p>")
        self.page(self.nav[2][1] if self.nav[2][0] == "Tin tức" else urls.page("tin-tuc-2"), "Tin tức",
                  f"<h1>Tin tức</h1><ul>{news_html}</ul>")
        self.page(dict(self.nav)["Văn bản"], "Văn bản", "<h1>Văn bản chỉ đạo điều hành</h1><p>Đang cập nhật.</p>")
        self.page(dict(self.nav)["Liên hệ"], "Liên hệ", f"<h1>Liên hệ</h1><p>{escape(s['_address'])}</p>")
        self.page(home, "Trang chủ", f'<div class="home-news"><h2 class="title">Tin mới</h2><ul>{news_html}</ul></div>')
        if home != "/":
            self.files.setdefault(f"{self.host}/", b"")  # replaced below by a redirect page
            self.files[f"{self.host}/"] = (f'<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0; url={home}">'
                                           f"</head><body></body></html>").encode()
        self.write_sitemaps(reach, section_host, section_path)

        expect = s.get("expect") or {}
        if "section" in expect:
            wanted = expect["section"]
            section = None if wanted is None else [w if w.startswith("http") else f"http://{section_host}{w}"
                                                   for w in (wanted if isinstance(wanted, list) else [wanted])]
        else:
            section = None if reach == "none" else [f"http://{section_host}{section_path}"]
        labels = dict(expect.get("rules") or derive_labels(s))
        home_url = f"http://{self.host}{home}"
        registry = {"id": s["id"], "name": s["name"], "level": s["level"], "parent": "", "province": s["province"],
                    "url": home_url, "email": s["_email"], "section_url": ""}
        if s["style"]["unicode"] == "nfd":  # editors paste decomposed text (combining tone marks)
            for key, body in self.files.items():
                if not key.endswith((".pdf", ".doc", ".docx", ".xlsx", ".png", ".jpg", ".gz")):
                    self.files[key] = unicodedata.normalize("NFD", body.decode("utf-8")).encode("utf-8")
        hosts = sorted({key.split("/", 1)[0] for key in self.files})
        return Portal(id=s["id"], spec=s, files=self.files, home=home_url, section=section, labels=labels,
                      registry=registry, hosts=hosts, server=SERVER_HEADERS.get(s["platform"], "Apache"))


def _urlset(locations: list[str], cdata: bool = False) -> bytes:
    """A sitemap of pages, written as sitemap plugins do: XML-escaped (``&amp;``), or in CDATA sections."""
    loc = (lambda u: f"<loc><![CDATA[{u}]]></loc>") if cdata else (lambda u: f"<loc>{escape(u, quote=False)}</loc>")
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url>{loc(u)}<lastmod>2025-01-07</lastmod></url>" for u in locations) + "</urlset>").encode()


def build(spec: dict[str, Any]) -> Portal:
    """Render one portal spec (see the module docstring)."""
    return _Builder(spec).build()


def generate(spec: dict[str, Any]) -> dict[str, bytes]:
    """The files of one portal, keyed ``"host/path?query"``."""
    return build(spec).files


def random_spec(seed: int, i: int) -> dict[str, Any]:
    """The ``i``-th synthetic portal of a seeded population (for benchmarks): platform, reach, every
    element's state and the traps drawn independently, so a population covers every combination."""
    rng = random.Random(seed * 1_000_003 + i)
    level = rng.choices(["department", "commune", "province", "ministry"], [6, 3, 1, 1])[0]
    elements = {
        "catalogue": rng.choice(CATALOGUES), "focal": rng.choice(FOCALS), "request_address": rng.choice(REQUESTS),
        "complaint": rng.choice(COMPLAINTS), "guidance": rng.choice(GUIDANCES), "download": rng.choice(DOWNLOADS),
        "regulation": rng.choice(REGULATIONS), "conditional": rng.choice(CONDITIONALS),
        "forms": rng.choice(["all", "all", "land", "absent", sorted(rng.sample(ALL_FORMS, rng.randrange(1, 7)))]),
    }
    reach = rng.choices(REACHES, [8, 2, 2, 1, 1, 1, 2, 2, 2, 1, 1, 1])[0]
    province, province_host = vocab.PROVINCES[rng.randrange(len(vocab.PROVINCES))]
    department, prefix = rng.choice(vocab.DEPARTMENTS)
    code = f"{prefix}{i}s{seed}"
    kind = "thành phố" if province in vocab.CITIES else "tỉnh"
    name = {"department": f"{department.removesuffix(' tỉnh')} {kind} {province}", "province": f"UBND {kind} {province}",
            "commune": f"UBND xã {rng.choice(vocab.COMMUNES)[0]}", "ministry": rng.choice(vocab.MINISTRIES)[0]}[level]
    return {
        "id": f"synthetic-{seed}-{i}", "seed": rng.randrange(2**31), "level": level, "province": province,
        "code": code, "name": name, "host": f"{code}.{province_host}.gov.test", "platform": rng.choice(PLATFORMS), "reach": reach,
        "layout": rng.choice(LAYOUTS), "url_trap": rng.choices(URL_TRAPS, [10, 1, 1, 1, 1, 1])[0],
        "section_news": rng.random() < 0.15,
        "elements": elements, "traps": sorted(rng.sample(TRAPS, rng.randrange(0, 3))),
    }
