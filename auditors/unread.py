"""Pages that could not be read are no evidence of absence.

A page that timed out, failed to download, answered a server error or could not be parsed says nothing
about what it holds. When a finding about the section would be a gap (``fail`` or ``partial``) while some
of the pages it rests on were not read — pages below the section, or, when no section was found, the page
a link naming the section leads to — the finding is ``manual`` (weight 0) with the unread pages and the
reason: an inspector looks, the agency receives no failure nobody could confirm.

Not an auditor of its own (no rule names it): the runner applies it to every auditor's outcome, as it
applies the unsure section. It declares what it reads and says like one.
"""

from __future__ import annotations

from typing import Any

from auditors.base import Outcome, Param
from auditors.evidence import Evidence
from crawler.urls import url_key

PARAMS = {
    "named_link": Param("number", 0.5, "link score from which a candidate's link alone names the section"),
    "listed": Param("integer", 5, "unread pages named in the message (all are kept in details up to 10)"),
}
REQUIRES = ("section_url", "section_pages", "candidates", "by_url", "pages.status", "pages.error", "pages.text")
MESSAGES = {
    "unread": ("Cần thanh tra viên xem xét: {count} trang của Chuyên mục không đọc được ({pages}), nên không thể "
               "kết luận thiếu. Trên các trang đọc được: {gap}",
               "Needs an inspector: {count} page(s) of the section could not be read ({pages}), so no gap can be "
               "concluded. On the pages read: {gap}"),
}
_SERVER_SIDE = (408, 429)  # the server's own "try later", not an answer about the page
# The crawler's own limits: the server answered (a file larger than the download limit) and the crawler
# chose not to read it. That is a decision about a known file, not a page that could not be read.
_DECLINED = ("too large",)


def is_unread(page: dict[str, Any]) -> bool:
    """The crawler asked for the page and got nothing to judge: a network error, a timeout, a server error
    or a page it could not parse. A 404 is an answer (a dead link), not an unread page; nor is a file the
    crawler declined by its own limits (too large)."""
    error = str(page.get("error") or "")
    if not error or (page.get("text") or "").strip() or error.startswith(_DECLINED):
        return False
    status = page.get("status")
    return status is None or status >= 500 or status in _SERVER_SIDE


def unread_pages(evidence: Evidence, named_link: float = PARAMS["named_link"].default) -> list[dict[str, Any]]:
    """The unread pages a section finding rests on."""
    if evidence.section_url:
        pages = list.__iter__(evidence.section_pages)  # not through SectionPages: reading them is no judgement
        return [p for p in pages if is_unread(p)]
    named = (evidence.by_url.get(url_key(c["url"])) for c in evidence.candidates
             if (c.get("link_score") or 0) >= named_link and c.get("url"))
    return [p for p in named if p is not None and is_unread(p)]


def rests_on(evidence: Evidence, outcome: Outcome, unread: list[dict[str, Any]]) -> bool:
    """The finding judged the section's pages or the section's absence, searched the whole portal (the
    section included), or names an unread page as the item's dead link."""
    details = outcome.details if isinstance(outcome.details, dict) else {}
    if (getattr(evidence.section_pages, "read", False) or details.get("no_section") or "section_status" in details
            or details.get("searched") == "portal"):
        return True
    cited = {url_key(u) for u in [details.get("dead_link"), *(e.get("url") for e in outcome.evidence)] if u}
    return any(url_key(p.get("url") or "") in cited for p in unread)


def unsure_when_unread(evidence: Evidence, outcome: Outcome) -> Outcome:
    """``outcome`` unchanged, or ``manual`` when it is a gap resting on pages that could not be read."""
    if outcome.status not in ("fail", "partial"):
        return outcome
    unread = unread_pages(evidence)
    if not unread or not rests_on(evidence, outcome, unread):
        return outcome
    listed = PARAMS["listed"].default
    pages = "; ".join(f"{p.get('url')} ({_reason(p)})" for p in unread[:listed])
    vi, en = MESSAGES["unread"]
    details = {**outcome.details, "gap_status": outcome.status, "unread_pages": [
        {"url": p.get("url"), "status": p.get("status"), "error": p.get("error")} for p in unread[:10]]}
    return Outcome(
        "manual", vi.format(count=len(unread), pages=pages, gap=outcome.vi),
        en.format(count=len(unread), pages=pages, gap=outcome.en),
        [*outcome.evidence, *({"url": p.get("url"), "excerpt": _reason(p), "fetched_at": p.get("fetched_at")}
                              for p in unread[:3])], details)


def _reason(page: dict[str, Any]) -> str:
    error = str(page.get("error") or "")
    return error[:120] if error else f"HTTP {page.get('status')}"
