"""The section itself: found, unsure (awaiting an inspector) or absent."""

from __future__ import annotations

from typing import Any

from auditors.base import Bilingual, Outcome, Param, auditor, say
from auditors.evidence import Evidence, cite
from crawler.urls import url_key

# --- the section ---------------------------------------------------------------------------------
S = "section_found"
MESSAGES = {
    "found": ("Tìm thấy Chuyên mục tại {url} (độ tin cậy {confidence:.2f}; đã xem xét {weighed} ứng viên).{note}",
              "Section found at {url} (confidence {confidence:.2f}; {weighed} candidates weighed).{note}"),
    "image_only": (" Chỉ có ảnh banner dẫn tới Chuyên mục: nên thêm liên kết chữ ở trình đơn chính.",
                   " Only a banner image links to the section: add a text link in the main menu."),
    "too_weak": ("Không có trang nào đủ dấu hiệu của Chuyên mục. Đã xem xét {weighed} ứng viên; cao nhất: "
                 "{url} (độ tin cậy {confidence:.2f}: {reasons}).",
                 "No page shows enough of the section. {weighed} candidates weighed; best: {url} "
                 "(confidence {confidence:.2f}: {reasons})."),
    "no_link": ("Trang chủ và sơ đồ trang không có liên kết nào tới Chuyên mục tiếp cận thông tin.",
                "Neither the home page nor the sitemap links to an access-to-information section."),
    "confirmed": ("Chuyên mục tại {url}: thanh tra viên {inspector} đã xác nhận ({day}: {reason}).",
                  "Section at {url}: confirmed by inspector {inspector} ({day}: {reason})."),
    "unsure": ("Cần thanh tra viên xác nhận Chuyên mục: ứng viên tốt nhất có độ tin cậy {confidence:.2f}, giữa ngưỡng "
               "\"không có\" và \"tìm thấy\". Ứng viên: {candidates}. Xác nhận hoặc bác bỏ bằng: tctt decide section.",
               "Needs an inspector's confirmation of the section: the best candidate's confidence {confidence:.2f} lies "
               "between \"absent\" and \"found\". Candidates: {candidates}. Confirm or reject with: tctt decide section."),
}


@auditor(S, messages=MESSAGES, requires=("candidates", "section", "section_url", "section_confidence", "section_pages", "by_url"),
         params={"min_confidence": Param("number", 0.5, "the least confidence at which a candidate is the section")})
def section_found(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    minimum = float(params.get("min_confidence", 0.5))
    considered = sorted(evidence.candidates, key=lambda c: -(c.get("confidence") or 0))
    details: dict[str, Any] = {"candidates": len(considered), "section_status": "absent"}
    verdict = evidence.section
    if verdict is not None and (verdict.status == "unsure" or verdict.decision is not None):
        settled = section_verdict(evidence, verdict, details)
        if settled is not None:
            return settled
        considered = verdict.candidates  # without the candidates an inspector rejected
    if evidence.section_url and (evidence.section_confidence or 0) >= minimum:
        section_page = evidence.section_pages[0] if evidence.section_pages else {"url": evidence.section_url}
        chosen = next((c for c in considered if c.get("chosen")), {})
        reasons = " ".join(chosen.get("reasons") or [])
        image_only = ("img_alt" in reasons or "img_file" in reasons) and "text:" not in reasons
        details["reached_by_image_only"] = image_only
        note = Bilingual(*say(S, "image_only")) if image_only else ""
        details["section_status"] = "found"
        return Outcome(
            "pass", *say(S, "found", url=evidence.section_url, confidence=evidence.section_confidence,
                         weighed=len(considered), note=note),
            [cite(section_page, section_page.get("text") or "", "tiep can thong tin")], details,
        )
    if considered:
        best = considered[0]
        reasons = "; ".join(best.get("reasons") or [])[:300]
        return Outcome(
            "fail", *say(S, "too_weak", weighed=len(considered), url=best["url"], confidence=best["confidence"],
                         reasons=reasons),
            [{"url": best["url"], "excerpt": best.get("anchor") or "", "fetched_at": None}], details,
        )
    return Outcome("fail", *say(S, "no_link"), details=details)


def section_verdict(evidence: Evidence, verdict: Any, details: dict[str, Any]) -> Outcome | None:
    """The section finding when the crawler is unsure (``manual``, candidates listed) or when an
    inspector's decision settled it (``core.sectionstatus``); None to judge by confidence alone."""
    listed = [c for c in verdict.candidates if (c.get("confidence") or 0) > 0][:5]
    details.update(section_status=verdict.status, candidates_listed=[
        {"url": c["url"], "confidence": c.get("confidence"), "anchor": c.get("anchor") or ""} for c in listed])
    decision = verdict.decision
    if decision is not None:
        details["decision"] = {k: decision.get(k) for k in ("id", "verdict", "inspector", "reason", "created_at", "url")}
    if verdict.status == "found" and decision is not None and decision.get("verdict") == "confirmed":
        page = evidence.by_url.get(url_key(verdict.url)) or {"url": verdict.url}
        return Outcome("pass", *say(S, "confirmed", url=verdict.url, inspector=decision["inspector"],
                                    day=decision["created_at"][:10], reason=decision["reason"]),
                       [cite(page, page.get("text") or "", "tiep can thong tin")], details)
    if verdict.status != "unsure":
        return None  # rejected candidates are left out; the rest is judged by confidence
    lines_vi = "; ".join(f"{c['url']} ({c.get('confidence') or 0:.2f})" for c in listed)
    return Outcome("manual", *say(S, "unsure", confidence=verdict.confidence or 0, candidates=lines_vi),
                   [{"url": c["url"], "excerpt": f"{c.get('anchor') or ''} — {c.get('confidence') or 0:.2f}".strip(" —"),
                     "fetched_at": None} for c in listed], details)

