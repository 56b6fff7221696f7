"""The disclosure catalogue as a whole: how current it is and which categories it covers."""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from rapidfuzz import fuzz

from auditors.base import Bilingual, Outcome, Param, auditor, lines, no_section, say
from auditors.catalogue_rows import NO_CATALOGUE
from auditors.criteria import applies, refs
from auditors.evidence import Evidence, _key, cite
from auditors.views import catalogue_sources
from core.markers import DATE_LINE
from core.vntext import find_dates, fold

_DATE_LINE = re.compile(DATE_LINE)


def _http_date(value: str | None) -> date | None:
    try:
        return parsedate_to_datetime(value).date() if value else None
    except (TypeError, ValueError, IndexError):
        return None


def _declared_date(page: dict[str, Any]) -> date | None:
    value = ((page.get("signals") or {}).get("page") or {}).get("date")
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@auditor("catalogue_freshness", requires=("section_pages", "pages.tables", "pages.last_modified", "pages.signals.page"),
         params={"max_age_days": Param("integer", 365, "age of the newest date that still passes")}, messages={
    "undated": ("Danh mục không ghi ngày nào (dòng, ngày cập nhật, Last-Modified); cần kiểm tra thủ công.",
                "The catalogue carries no date (rows, update date, Last-Modified); an inspector must check it."),
    "current": ("Danh mục được cập nhật: ngày mới nhất {newest:%d/%m/%Y} ({where}), cách {age} ngày.",
                "The catalogue is current: newest date {newest:%d/%m/%Y} ({where}), {age} days old."),
    "stale": ("Danh mục không được cập nhật: ngày mới nhất {newest:%d/%m/%Y} ({where}), đã {age} ngày (ngưỡng {max_age} ngày).",
              "The catalogue is stale: newest date {newest:%d/%m/%Y} ({where}), {age} days old (threshold {max_age} days)."),
})
def catalogue_freshness(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """The newest sign of life of the catalogue: row dates, the page's own date, Last-Modified."""
    max_age = int(params.get("max_age_days", 365))
    if not evidence.section_pages:
        return no_section("danh mục thông tin phải được công khai", "disclosure catalogue")
    sources = catalogue_sources(evidence, "public_catalogue")
    if not sources:
        return Outcome("fail", *NO_CATALOGUE)
    dated: list[tuple[date, str, dict[str, Any]]] = []
    for page, tables in sources:
        for table in tables:
            for row in table.get("rows") or []:
                dated += [(d, "dòng/row", page) for d in find_dates(" ".join(row))]
        for line in lines(page):
            if _DATE_LINE.search(fold(line)):
                dated += [(d, "trang/page", page) for d in find_dates(line)]
        modified = _http_date(page.get("last_modified"))
        if modified:
            dated.append((modified, "Last-Modified", page))
        declared = _declared_date(page)  # meta, JSON-LD, <time> (crawler.pagedate)
        if declared:
            dated.append((declared, "meta/JSON-LD/<time>", page))
    dated = [d for d in dated if d[0] <= evidence.audit_date]
    if not dated:
        return Outcome("manual", *say("catalogue_freshness", "undated"), [cite(sources[0][0])])
    newest, where, page = max(dated, key=lambda d: d[0])
    age = (evidence.audit_date - newest).days
    details = {"newest": newest.isoformat(), "source": where, "age_days": age, "max_age_days": max_age}
    proof = [cite(page, page.get("text") or "", "")]
    if age <= max_age:
        return Outcome("pass", *say("catalogue_freshness", "current", newest=newest, where=where, age=age), proof, details)
    status = "partial" if age <= 2 * max_age else "fail"
    return Outcome(status, *say("catalogue_freshness", "stale", newest=newest, where=where, age=age, max_age=max_age), proof, details)


def _matches(keyword: str, texts: list[str], threshold: float) -> str | None:
    for text in texts:
        if keyword in text or (len(text) >= len(keyword) and fuzz.partial_ratio(keyword, text) >= threshold):
            return text
    return None


@auditor("catalogue_coverage", requires=("section_pages", "by_url", "pages.tables", "pages.links"),
         params={"threshold": Param("number", 90, "fuzzy match score (0-100) for a category keyword"),
         "partial_share": Param("number", 0.5, "share of categories covered that is partial"),
         "transition": Param("object", None, "{from, to, basis}: the transition for new categories"),
         "categories": Param("array", None, "[{id, vi, en, keywords, transitional?}]")}, messages={
    "head": ("Danh mục bao quát {covered}/{required} nhóm thông tin phải công khai",
             "The catalogue covers {covered} of {required} required categories"),
    "covered": ("{head}.{note}", "{head}.{note}"),
    "missing": ("{head}; còn thiếu: {names}.{note}", "{head}; missing: {names}.{note}"),
    "transition": (" Chưa có, trong thời gian chuyển tiếp đến hết ngày {until.day:02d}/{until.month}/{until.year} ({basis}): {names}.",
                   " Not yet listed, within the transition period until the end of {until:%d/%m/%Y} ({basis}): {names}."),
})
def catalogue_coverage(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Which categories of Law Điều 17 k1 / Điều 19 k1 the catalogue's rows and linked titles cover.

    Each category in ``params.categories`` is a criterion of the rule: it is required while one of its
    bases is in force, and its label cites those bases. A category marked ``transitional`` (information
    first required by Law 01/2026/QH16, Điều 31 k3) is reported as in transition until ``params.transition.to``.
    """
    threshold = float(params.get("threshold", 90))
    day = evidence.audit_date.isoformat()
    if not evidence.section_pages:
        return no_section("danh mục thông tin phải được công khai", "disclosure catalogue")
    sources = catalogue_sources(evidence, "public_catalogue")
    if not sources:
        return Outcome("fail", *NO_CATALOGUE)
    texts: list[str] = []
    for page, tables in sources:
        base = page.get("final_url") or page["url"]
        for table in tables:
            texts += [fold(" ".join(row)) for row in table.get("rows") or []]
            for links in table.get("row_links") or []:
                for href in links or []:
                    target = evidence.by_url.get(_key(urljoin(base, href)))
                    if target is not None:
                        texts.append(fold(target.get("title") or ""))
        if not tables:  # a tree of category links stands in for rows; a table's page has menus besides
            texts += [fold(link.get("text", "")) for link in page.get("links") or [] if not link.get("chrome")]
        if page.get("kind") == "document":
            texts += [fold(line) for line in lines(page)]
    texts = [t for t in texts if t.strip()]
    grace = params.get("transition") or {}
    required, covered, firm_missing, transitional = [], [], [], []
    for category in params.get("categories") or []:
        if not applies(params, category["id"]):
            continue
        required.append(category["id"])
        hit = next((m for k in category["keywords"] if (m := _matches(fold(k), texts, threshold))), None)
        if hit:
            covered.append(category["id"])
        elif category.get("transitional") and grace and grace["from"] <= day <= grace["to"]:
            transitional.append(category)
        else:
            firm_missing.append(category)
    details = {"required": required, "covered": covered, "missing": [c["id"] for c in firm_missing],
               "transitional": [c["id"] for c in transitional]}
    details["criteria"] = [c["id"] for c in firm_missing + transitional] or required
    proof = [cite(sources[0][0])]

    def named(categories: list[dict[str, Any]]) -> Bilingual:
        return Bilingual(*(", ".join(f"{c[lang]} ({refs(params, c['id'])[index]})" for c in categories)
                           for index, lang in enumerate(("vi", "en"))))

    until = date.fromisoformat(grace["to"]) if grace else None
    note = Bilingual(*say("catalogue_coverage", "transition", until=until, basis=Bilingual(grace["basis"]["vi"], grace["basis"]["en"]),
                          names=named(transitional))) if transitional and until else ""
    head = Bilingual(*say("catalogue_coverage", "head", covered=len(covered), required=len(required)))
    if not firm_missing:
        status = "transition" if transitional else "pass"
        return Outcome(status, *say("catalogue_coverage", "covered", head=head, note=note), proof, details)
    firm_total = len(required) - len(transitional)
    share = (firm_total - len(firm_missing)) / firm_total if firm_total else 0.0
    status = "partial" if share >= float(params.get("partial_share", 0.5)) else "fail"
    return Outcome(status, *say("catalogue_coverage", "missing", head=head, names=named(firm_missing), note=note), proof, details)

