"""Portal-level items: named markers, mobile view, search, accessibility, English pages, domain, manual."""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import urlsplit

from auditors.base import Bilingual, Outcome, Param, auditor, features, lines, say
from auditors.catalogue_rows import link_state
from auditors.criteria import applies, refs
from auditors.evidence import Evidence, cite
from auditors.views import scope
from core.markers import ACCESSIBILITY_AIDS, ENGLISH_LINK, SEARCH
from core.vntext import fold

_SEARCH = re.compile(SEARCH)
_ACCESSIBILITY_AIDS = re.compile(ACCESSIBILITY_AIDS)
_ENGLISH_LINK = re.compile(ENGLISH_LINK)
_ENGLISH_PATH = re.compile(r"^/(en|eng|english)(/|$)")  # not folded: a URL path


_URL_SEPARATORS = re.compile(r"[-/_.]+")  # not folded: splits URLs into words


@functools.lru_cache(maxsize=1 << 16)  # the same link is looked at once per marker (re-score profile)
def _url_words(url: str) -> str:
    parts = urlsplit(url)
    return _URL_SEPARATORS.sub(" ", f"{parts.netloc} {parts.path}")


def _marker_hits(pages: list[dict[str, Any]], pattern: re.Pattern[str], where: list[str],
                 exclude: re.Pattern[str] | None = None) -> list[tuple[dict[str, Any], str, str]]:
    """(page, matched text, url) for every place ``pattern`` matches (and ``exclude`` does not), in page order."""
    hits = []

    def match(text: str) -> bool:
        folded = fold(text)
        return bool(pattern.search(folded)) and not (exclude and exclude.search(folded))

    for page in pages:
        if page.get("kind") == "document" and "text" not in where:
            continue  # a document's opening lines are its content, not the portal's navigation
        if "links" in where:
            for link in page.get("links") or []:
                label = " ".join([link.get("text", ""), link.get("title", ""), link.get("img_alt", ""),
                                  _url_words(link["url"])])
                if match(label):
                    hits.append((page, (link.get("text") or link.get("title") or link["url"])[:160], link["url"]))
        texts = ([page.get("title") or ""] if "title" in where else []) + \
                (list(page.get("structure") or []) if "structure" in where else []) + \
                (lines(page) if "text" in where else [])
        for text in texts:
            if match(text):
                hits.append((page, text[:160], page.get("final_url") or page["url"]))
                break
    return hits


# The parameters of ``portal_markers`` (and of ``subordinate_links``, which falls back to it).
MARKER_PARAMS = {
    "markers": Param("object", None, "{key: {pattern, vi, en, exclude?, criterion?}}: folded regular expressions"),
    "scope": Param("string", "portal", "where to look", ("portal", "section", "home")),
    "where": Param("array", ["links", "structure", "title"], "which parts of a page: links, structure, title, text"),
    "min": Param("integer", None, "markers needed to pass (default: all)"),
    "absent": Param("string", "fail", "the status when none is found"),
    "resolve": Param("boolean", False, "only links that were fetched and answered count"),
    "required": Param("array", None, "markers that must be among those found"),
}


@auditor("portal_markers", messages={
    "no_section": ("Không tìm thấy Chuyên mục tiếp cận thông tin, nên không có: {markers} trong Chuyên mục.",
                   "No access-to-information section was found, so it holds none of: {markers}."),
    "found": ("Có: {have}.", "Found: {have}."),
    "not_seen": (" Chưa thấy: {lack}.", " Not seen: {lack}."),
    "only": ("Chỉ có: {have}; chưa thấy: {lack}.", "Only: {have}; not seen: {lack}."),
    "unresolved": (" Liên kết không mở được hoặc chưa được thu thập: {links}.", " Links dead or not fetched: {links}."),
    "in_section": ("trong Chuyên mục", "in the section"),
    "on_portal": ("trên cổng", "on the portal"),
    "absent_verify": ("Không thấy {place}: {lack}; cần thanh tra viên xác minh.{extra}",
                      "Not seen {place}: {lack}; an inspector must verify.{extra}"),
    "absent": ("Không thấy {place}: {lack}.{extra}", "Not seen {place}: {lack}.{extra}"),
}, requires=("pages.links", "pages.structure", "pages.text", "section_pages", "by_url"),
         params=MARKER_PARAMS)
def portal_markers(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Named markers (folded regular expressions) looked for in links, headings or text of the portal.

    params: ``markers`` {key: {pattern, vi, en, exclude?, criterion?}}; ``scope`` portal|section|home;
    ``where`` (links, structure, title, text); ``min`` markers needed to pass (default all); ``absent``
    the status when none is found (fail, or manual when absence proves nothing); ``resolve`` only links
    that were fetched and answered count. A marker naming a ``criterion`` of the rule is looked for only
    while that criterion has a basis in force for the agency's level; ``exclude`` rejects look-alikes
    (a visitor counter is not statistics).
    """
    every = params["markers"]
    markers: dict[str, dict[str, str]] = {k: m for k, m in every.items()
                                          if not m.get("criterion") or applies(params, m["criterion"])}
    where_scope = params.get("scope", "portal")
    pages = scope(evidence, where_scope)
    where = list(params.get("where") or ["links", "structure", "title"])
    needed = min(int(params.get("min", len(every))), len(markers))
    judged = list(dict.fromkeys(m["criterion"] for m in markers.values() if m.get("criterion")))
    if where_scope == "section" and not evidence.section_pages:
        every_named = Bilingual(", ".join(m["vi"] for m in markers.values()), ", ".join(m["en"] for m in markers.values()))
        return Outcome(params.get("absent", "fail"), *say("portal_markers", "no_section", markers=every_named), details={"no_section": True, "criteria": ["in_section"]})
    found: dict[str, tuple[dict[str, Any], str, str]] = {}
    unresolved: list[str] = []
    for key, marker in markers.items():
        exclude = re.compile(marker["exclude"]) if marker.get("exclude") else None
        for page, text, url in _marker_hits(pages, re.compile(marker["pattern"]), where, exclude):
            if params.get("resolve") and url != (page.get("final_url") or page["url"]):
                state = link_state(evidence, url)
                if state != "ok":
                    unresolved.append(f"{url} ({state})")
                    continue
            found[key] = (page, text, url)
            break
    present = [k for k in markers if k in found]
    missing = [k for k in markers if k not in found]
    details = {"present": present, "missing": missing, "unresolved": unresolved[:10]}
    if where_scope == "portal":  # the section is part of what was searched: unread, it leaves the gap unsure
        details["searched"] = "portal"
    lacking_required = [k for k in params.get("required") or [] if k in markers and k not in found]
    if judged:
        details["criteria"] = judged if len(present) >= needed and not lacking_required else \
            list(dict.fromkeys(markers[k]["criterion"] for k in missing if markers[k].get("criterion"))) or judged
    proof = [{"url": url, "excerpt": text, "fetched_at": page.get("fetched_at")} for page, text, url in
             (found[k] for k in present)]
    have = Bilingual(", ".join(markers[k]["vi"] for k in present), ", ".join(markers[k]["en"] for k in present))
    lack = Bilingual(", ".join(markers[k]["vi"] for k in missing), ", ".join(markers[k]["en"] for k in missing))
    if len(present) >= needed and not lacking_required:
        vi, en = say("portal_markers", "found", have=have)
        also_vi, also_en = say("portal_markers", "not_seen", lack=lack) if missing else ("", "")
        return Outcome("pass", vi + also_vi, en + also_en, proof, details)
    if present:
        return Outcome("partial", *say("portal_markers", "only", have=have, lack=lack),
                       proof, details)
    extra = Bilingual(*say("portal_markers", "unresolved", links="; ".join(unresolved[:3]))) if unresolved else ""
    absent = params.get("absent", "fail")
    place = Bilingual(*say("portal_markers", "in_section" if where_scope == "section" else "on_portal"))
    if absent == "manual":
        return Outcome("manual", *say("portal_markers", "absent_verify", place=place, lack=lack, extra=extra), details=details)
    return Outcome(absent, *say("portal_markers", "absent", place=place, lack=lack, extra=extra),
                   details=details)


@auditor("mobile_viewport", requires=("pages.signals.page",), messages={
    "not_recorded": ("Lượt thu thập này không ghi thẻ viewport của trang chủ; cần kiểm tra trên điện thoại.",
                     "This crawl did not record the home page's viewport tag; check on a phone."),
    "mobile": ("Trang chủ khai báo hiển thị trên thiết bị di động (viewport \"{viewport}\").",
               "The home page declares a mobile viewport (\"{viewport}\")."),
    "fixed": ("Trang chủ có thẻ viewport nhưng không theo chiều rộng thiết bị (\"{viewport}\").",
              "The home page has a viewport tag not tied to the device width (\"{viewport}\")."),
    "none": ("Trang chủ không có thẻ viewport: cổng không tương thích thiết bị di động.",
             "The home page has no viewport tag: the portal is not built for mobile devices."),
})
def mobile_viewport(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    [home] = scope(evidence, "home") or [None]
    shown = features(home) if home else None
    if shown is None:
        return Outcome("manual", *say("mobile_viewport", "not_recorded"))
    viewport = shown.get("viewport") or ""
    proof = [{"url": home.get("final_url") or home["url"], "excerpt": f'<meta name="viewport" content="{viewport}">'
              if viewport else "(không có thẻ viewport / no viewport tag)", "fetched_at": home.get("fetched_at")}]
    if "device-width" in viewport.replace(" ", ""):
        return Outcome("pass", *say("mobile_viewport", "mobile", viewport=viewport), proof, {"viewport": viewport})
    if viewport:
        return Outcome("partial", *say("mobile_viewport", "fixed", viewport=viewport), proof)
    return Outcome("fail", *say("mobile_viewport", "none"), proof)


@auditor("site_search", requires=("pages.signals.page", "pages.links", "pages.structure"), messages={
    "box": ("Trang chủ có ô tìm kiếm.", "The home page has a search box."),
    "link_only": ("Có liên kết tìm kiếm \"{text}\" nhưng không thấy ô tìm kiếm trên trang chủ.",
                  "A search link \"{text}\" exists but the home page has no search box."),
    "none": ("Trang chủ không có chức năng tìm kiếm.", "The home page offers no site search."),
})
def site_search(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    [home] = scope(evidence, "home") or [None]
    shown = (features(home) if home else None) or {}
    if home is not None and shown.get("search_form"):
        return Outcome("pass", *say("site_search", "box"), [cite(home)])
    hits = _marker_hits(scope(evidence, "home"), _SEARCH, ["links", "structure"])
    if hits:
        page, text, url = hits[0]
        return Outcome("partial", *say("site_search", "link_only", text=text),
                       [{"url": url, "excerpt": text, "fetched_at": page.get("fetched_at")}])
    return Outcome("fail", *say("site_search", "none"))


@auditor("accessibility_aids", requires=("pages.signals.page", "pages.links", "pages.structure", "pages.text"),
         params={"min_alt_share": Param("number", 0.9, "share of images with alt text needed")}, messages={
    "alt": ("{with_alt}/{images} ảnh có mô tả thay thế (alt)", "{with_alt} of {images} images have alt text"),
    "offered": ("Có công cụ hỗ trợ người khuyết tật (\"{aid}\"); {alt}.", "Accessibility aids are offered (\"{aid}\"); {alt}."),
    "incomplete": ("Hỗ trợ người khuyết tật chưa đủ: {aids} công cụ hỗ trợ; {alt}.",
                   "Accessibility support is incomplete: aids {aids}; {alt}."),
    "has_aids": ("có", "offered"),
    "no_aids": ("không có", "absent"),
    "none": ("Không có công cụ hỗ trợ người khuyết tật; {alt}.", "No accessibility aids are offered; {alt}."),
})
def accessibility_aids(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Visible aids (text size, contrast, support for the blind) and alt text on images; not a WCAG audit."""
    min_alt = float(params.get("min_alt_share", 0.9))
    pages = scope(evidence, "portal")
    hits = _marker_hits(pages[:5], _ACCESSIBILITY_AIDS, ["links", "structure", "text"])
    images = with_alt = 0
    for page in pages:
        shown = features(page) or {}
        images += int(shown.get("images") or 0)
        with_alt += int(shown.get("images_with_alt") or 0)
    share = with_alt / images if images else 1.0
    details = {"aids": [h[1] for h in hits[:5]], "images": images, "images_with_alt": with_alt}
    proof = [{"url": url, "excerpt": text, "fetched_at": page.get("fetched_at")} for page, text, url in hits[:3]]
    alt = Bilingual(*say("accessibility_aids", "alt", with_alt=with_alt, images=images))
    if hits and share >= min_alt:
        return Outcome("pass", *say("accessibility_aids", "offered", aid=hits[0][1], alt=alt), proof, details)
    if hits or (images and share >= min_alt):
        aids = Bilingual(*say("accessibility_aids", "has_aids" if hits else "no_aids"))
        return Outcome("partial", *say("accessibility_aids", "incomplete", aids=aids, alt=alt), proof, details)
    return Outcome("fail", *say("accessibility_aids", "none", alt=alt), proof, details)


@auditor("english_pages", requires=("pages.links", "pages.signals.page"), messages={
    "linked": ("Có phiên bản tiếng Anh: {url}.", "An English version is linked: {url}."),
    "page": ("Có trang tiếng Anh: {url}.", "An English page exists: {url}."),
    "none": ("Cổng không có trang tiếng Anh về cơ cấu, chức năng và liên hệ.",
             "The portal has no English pages on its structure, functions and contacts."),
})
def english_pages(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    for page in evidence.pages:
        for link in page.get("links") or []:
            path = urlsplit(link["url"]).path.lower()
            if _ENGLISH_LINK.match(fold(link.get("text", "")).strip()) or _ENGLISH_PATH.search(path):
                return Outcome("pass", *say("english_pages", "linked", url=link["url"]),
                               [{"url": link["url"], "excerpt": link.get("text", "")[:160], "fetched_at": page.get("fetched_at")}])
        if ((features(page) or {}).get("lang") or "").lower().startswith("en"):
            return Outcome("pass", *say("english_pages", "page", url=page["url"]), [cite(page)])
    return Outcome("fail", *say("english_pages", "none"))


_IP_HOST = re.compile(r"^[\d.]+$|:")  # not folded: a host name


@auditor("gov_domain", requires=("agency.url",), messages={
    "ip": ("Sổ đăng ký ghi địa chỉ IP ({host}), không phải tên miền; cần kiểm tra tên miền và IPv6.",
           "The registry gives an IP address ({host}), not a domain; check the domain and IPv6 by hand."),
    "shape": ("Cổng dùng tên miền {host} (.gov.vn) nhưng không theo dạng {shape} dành cho cấp của cơ quan ({law}). "
              "Bản ghi IPv6 (AAAA) cần kiểm tra riêng.",
              "The portal uses {host} (.gov.vn) but not {shape} set for its level ({law}). "
              "The IPv6 (AAAA) record must be checked separately."),
    "third": ("tên miền cấp 3 (x.gov.vn)", "a third-level name (x.gov.vn)"),
    "fourth": ("tên miền cấp 4 (x.tentinh.gov.vn)", "a fourth-level name (x.province.gov.vn)"),
    "ipv6": ("Cổng dùng tên miền {host} (.gov.vn){shaped}; chưa kiểm tra được bản ghi IPv6 (AAAA): cần thanh tra viên "
             "xác minh.",
             "The portal uses {host} (.gov.vn){shaped}; its IPv6 (AAAA) record was not checked: an inspector must "
             "verify it."),
    "shaped": (" đúng dạng theo cấp", ", shaped as its level requires"),
    "not_gov": ("Cổng dùng tên miền {host}, không thuộc .gov.vn.", "The portal's domain {host} is not under .gov.vn."),
})
def gov_domain(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    host = (urlsplit(evidence.agency.get("url") or "").hostname or "").lower()
    proof = [{"url": evidence.agency.get("url"), "excerpt": host, "fetched_at": None}]
    if not host or _IP_HOST.search(host):
        return Outcome("manual", *say("gov_domain", "ip", host=host or "?"), proof)
    if host.endswith(".gov.vn"):
        # Decree 224/2026 Điều 11 k4: ministries and provinces use a third-level name (x.gov.vn), their
        # units, provincial departments and communes a fourth-level one (x.y.gov.vn).
        labels = len(host.removeprefix("www.").split("."))
        expected = {"ministry": 3, "province": 3, "department": 4, "commune": 4}.get(params.get("_level") or "")
        details = {"host": host, "labels": labels, "expected_labels": expected}
        if expected and labels != expected:
            shape = Bilingual(*say("gov_domain", "third" if expected == 3 else "fourth"))
            return Outcome("partial", *say("gov_domain", "shape", host=host, shape=shape, law=Bilingual(*refs(params))),
                           proof, details)
        # The crawl records no DNS AAAA answer: the IPv6 half of the clause is the inspector's to check.
        shaped = Bilingual(*say("gov_domain", "shaped")) if expected else ""
        return Outcome("manual", *say("gov_domain", "ipv6", host=host, shaped=shaped), proof, details)
    return Outcome("fail", *say("gov_domain", "not_gov", host=host), proof, {"host": host})


@auditor("manual_check", requires=(),
         params={"guidance": Param("object", None, "{vi, en}: what the inspector checks")}, messages={
    "todo": ("Cần thanh tra viên kiểm tra: {guidance}", "Needs an inspector: {guidance}"),
})
def manual_check(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Not observable on the web: the finding is the inspector's to-do, with the rule's guidance."""
    guidance = params.get("guidance") or {}
    text = Bilingual(guidance.get("vi", "xem hướng dẫn của tiêu chí."), guidance.get("en", "see the rule's guidance."))
    return Outcome("manual", *say("manual_check", "todo", guidance=text))

