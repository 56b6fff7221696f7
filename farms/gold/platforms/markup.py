"""Page chrome and markup per CMS: menus with sub-menus as each default theme emits them, the page frame,
and the heading styles of a section's editors."""

from __future__ import annotations

import re
from html import escape
from typing import Any

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
