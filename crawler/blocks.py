"""Bot walls recognised by what they are, not by who sells them.

A challenge page — Cloudflare, Imperva (Incapsula), F5 (TSPD), reCAPTCHA, hCaptcha, Turnstile, or a
home-made "nhập mã xác nhận" form in front of a Vietnamese portal — has the same shape whatever its make:
a challenge (a captcha widget, a form asking for a code next to an image, or a script that sets a cookie and
reloads) and almost nothing else: a few words, hardly any links. A real home page that merely carries a
reCAPTCHA on its feedback form has hundreds of words and links, and is audited.

:func:`challenge` reads the raw HTML and returns why it is a challenge page, or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree

from core.vntext import fold, squash

# Markers in class names, ids, script and frame sources, and the raw HTML: the widgets and walls of vendors.
_VENDOR = re.compile(
    r"g-recaptcha|recaptcha/(api|enterprise)|grecaptcha|h-captcha|hcaptcha\.com|cf-turnstile|turnstile/v0|"
    r"challenges\.cloudflare\.com|cdn-cgi/challenge-platform|cf_chl_|cf-challenge|cf-browser-verification|"
    r"_incapsula_resource|incapsula incident|/tspd/|tspd_101|bm-verify|sucuri_cloudproxy|ddos-guard|"
    r"friendlycaptcha|frc-captcha|arkoselabs|funcaptcha|geetest",
    re.IGNORECASE)
# What a challenge says, folded (English and Vietnamese).
_PHRASES = re.compile(
    r"\b(captcha|verify (that )?you are (a )?human|are you (a )?(human|robot)|checking your browser|"
    r"just a moment|please (enable|turn on) (javascript and )?cookies|request unsuccessful|access denied|"
    r"xac minh|xac thuc (ban la )?nguoi|khong phai (la )?(nguoi may|robot|may)|ban (co )?phai (la )?(nguoi|robot)|"
    r"ma (xac nhan|xac minh|bao ve|kiem tra|bao mat)|nhap (ma|cac ky tu|ky tu)|kiem tra (bao mat|trinh duyet)|"
    r"vui long (xac nhan|cho trong giay lat)|truy cap bi (tu choi|chan))\b")
# Inputs and images of a home-made captcha: the code to type and the picture it is read from.
_CODE_FIELD = re.compile(r"captcha|securi|verif|xacnhan|xac-nhan|xac_nhan|maxacnhan|mabaove|ma-bao-ve|"
                         r"\bcode\b|txtcode|security_?code|antispam|kiemtra", re.IGNORECASE)
_CODE_IMAGE = re.compile(r"captcha|securimage|kcaptcha|verif|code\.(ashx|php|aspx|jpg|png)|"
                         r"validatecode|checkcode|imagecode|randomimage|mabaove", re.IGNORECASE)
_RELOAD = re.compile(r"document\.cookie\s*=.*?(location\.(reload|replace|href)|window\.location)|"
                     r"(location\.(reload|replace)|window\.location).*?document\.cookie", re.IGNORECASE | re.DOTALL)

MAX_WORDS = 120  # a challenge page says little…
MAX_LINKS = 8    # …and links almost nowhere


@dataclass
class Shape:
    words: int
    links: int
    reasons: list[str]


def _parse(body: bytes | str) -> Any:
    try:
        return lxml.html.document_fromstring(body) if (body.strip() if body else body) else None
    except (etree.ParserError, ValueError):
        return None


# What a reader sees of a page: not what scripts, styles, <noscript> and <template> hold.
_UNSEEN = "ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
_SEEN_TEXT = etree.XPath(f"//text()[not({_UNSEEN})]")
_SEEN_ANCHORS = etree.XPath(f"//a[not({_UNSEEN})]")


def _too_big(root: Any) -> bool:
    """Whether a page says or links too much to be a challenge (the words and links ``_shape`` counts, read
    without changing the tree): a real page stops here, before the folding and the walk over every element's
    attributes that only a small page needs (they were a third of a re-audit's CPU on 30–120 kB pages)."""
    if sum(1 for a in _SEEN_ANCHORS(root) if (a.get("href") or "").strip() not in ("", "#")) > MAX_LINKS:
        return True
    return len(squash("".join(_SEEN_TEXT(root))).split()) > MAX_WORDS


def _shape(root: Any) -> Shape:
    reasons: list[str] = []
    scripts = " ".join((s.text or "") + " " + (s.get("src") or "") for s in root.iter("script"))
    attrs = " ".join(f"{e.get('id', '')} {e.get('class', '')} {e.get('src', '')} {e.get('action', '')} "
                     f"{e.get('data-sitekey', '')}" for e in root.iter() if isinstance(e.tag, str))
    vendor = _VENDOR.search(attrs + " " + scripts)
    if vendor:
        reasons.append(f"challenge widget or script ({vendor.group(0)})")
    for form in root.iter("form"):
        fields = [f"{i.get('name', '')} {i.get('id', '')} {i.get('placeholder', '')} {i.get('class', '')}"
                  for i in form.iter("input") if (i.get("type") or "text").lower() not in ("hidden", "submit")]
        images = [f"{i.get('src', '')} {i.get('id', '')} {i.get('class', '')} {i.get('alt', '')}"
                  for i in form.iter("img")]
        coded = [f for f in fields if _CODE_FIELD.search(f) or _PHRASES.search(fold(f))]
        if coded and (images or len(fields) <= 2):
            picture = next((i for i in images if _CODE_IMAGE.search(i)), images[0] if images else "")
            reasons.append("form asking for a code" + (f" shown in an image ({squash(picture)[:60]})" if picture else ""))
            break
    if _RELOAD.search(scripts):
        reasons.append("script that sets a cookie and reloads the page")
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    text = squash(root.text_content())
    said = _PHRASES.search(fold(text))
    if said and reasons:
        reasons.append(f"says '{said.group(0)}'")
    elif said and not reasons and len(text.split()) <= MAX_WORDS // 3:
        # A bare notice ("Truy cập bị từ chối", "Access denied") with nothing else on the page.
        reasons.append(f"only says '{said.group(0)}'")
    links = [a for a in root.iter("a") if (a.get("href") or "").strip() not in ("", "#")]
    return Shape(words=len(text.split()), links=len(links), reasons=reasons)


def challenge(body: bytes | str) -> str | None:
    """Why the page is a bot challenge (a challenge and almost no content or links), or None."""
    root = _parse(body)
    if root is None or _too_big(root):
        return None
    shape = _shape(root)
    if not shape.reasons:
        return None
    if shape.words > MAX_WORDS or shape.links > MAX_LINKS:
        return None
    return f"{'; '.join(shape.reasons)}; {shape.words} words, {shape.links} links"
