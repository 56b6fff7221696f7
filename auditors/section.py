"""The section itself: found, unsure (awaiting an inspector) or absent."""

from __future__ import annotations

from typing import Any

from auditors.base import Outcome, Param, auditor
from auditors.evidence import Evidence, cite
from crawler.urls import url_key


# --- the section ---------------------------------------------------------------------------------
@auditor("section_found", requires=("candidates", "section", "section_url", "section_confidence", "section_pages", "by_url"),
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
        note_vi = " Chỉ có ảnh banner dẫn tới Chuyên mục: nên thêm liên kết chữ ở trình đơn chính." if image_only else ""
        note_en = " Only a banner image links to the section: add a text link in the main menu." if image_only else ""
        details["section_status"] = "found"
        return Outcome(
            "pass",
            f"Tìm thấy Chuyên mục tại {evidence.section_url} (độ tin cậy {evidence.section_confidence:.2f}; "
            f"đã xem xét {len(considered)} ứng viên).{note_vi}",
            f"Section found at {evidence.section_url} (confidence {evidence.section_confidence:.2f}; "
            f"{len(considered)} candidates weighed).{note_en}",
            [cite(section_page, section_page.get("text") or "", "tiep can thong tin")], details,
        )
    if considered:
        best = considered[0]
        reasons = "; ".join(best.get("reasons") or [])[:300]
        return Outcome(
            "fail",
            f"Không có trang nào đủ dấu hiệu của Chuyên mục. Đã xem xét {len(considered)} ứng viên; cao nhất: "
            f"{best['url']} (độ tin cậy {best['confidence']:.2f}: {reasons}).",
            f"No page shows enough of the section. {len(considered)} candidates weighed; best: {best['url']} "
            f"(confidence {best['confidence']:.2f}: {reasons}).",
            [{"url": best["url"], "excerpt": best.get("anchor") or "", "fetched_at": None}], details,
        )
    return Outcome(
        "fail",
        "Trang chủ và sơ đồ trang không có liên kết nào tới Chuyên mục tiếp cận thông tin.",
        "Neither the home page nor the sitemap links to an access-to-information section.",
        details=details,
    )


def section_verdict(evidence: Evidence, verdict: Any, details: dict[str, Any]) -> Outcome | None:
    """The section finding when the crawler is unsure (``manual``, candidates listed) or when an
    inspector's decision settled it (``tctt.sectionstatus``); None to judge by confidence alone."""
    listed = [c for c in verdict.candidates if (c.get("confidence") or 0) > 0][:5]
    details.update(section_status=verdict.status, candidates_listed=[
        {"url": c["url"], "confidence": c.get("confidence"), "anchor": c.get("anchor") or ""} for c in listed])
    decision = verdict.decision
    if decision is not None:
        details["decision"] = {k: decision.get(k) for k in ("id", "verdict", "inspector", "reason", "created_at", "url")}
    if verdict.status == "found" and decision is not None and decision.get("verdict") == "confirmed":
        page = evidence.by_url.get(url_key(verdict.url)) or {"url": verdict.url}
        return Outcome("pass",
                       f"Chuyên mục tại {verdict.url}: thanh tra viên {decision['inspector']} đã xác nhận "
                       f"({decision['created_at'][:10]}: {decision['reason']}).",
                       f"Section at {verdict.url}: confirmed by inspector {decision['inspector']} "
                       f"({decision['created_at'][:10]}: {decision['reason']}).",
                       [cite(page, page.get("text") or "", "tiep can thong tin")], details)
    if verdict.status != "unsure":
        return None  # rejected candidates are left out; the rest is judged by confidence
    lines_vi = "; ".join(f"{c['url']} ({c.get('confidence') or 0:.2f})" for c in listed)
    return Outcome("manual",
                   f"Cần thanh tra viên xác nhận Chuyên mục: ứng viên tốt nhất có độ tin cậy "
                   f"{verdict.confidence or 0:.2f}, giữa ngưỡng \"không có\" và \"tìm thấy\". Ứng viên: {lines_vi}. "
                   "Xác nhận hoặc bác bỏ bằng: tctt decide section.",
                   f"Needs an inspector's confirmation of the section: the best candidate's confidence "
                   f"{verdict.confidence or 0:.2f} lies between \"absent\" and \"found\". Candidates: {lines_vi}. "
                   "Confirm or reject with: tctt decide section.",
                   [{"url": c["url"], "excerpt": f"{c.get('anchor') or ''} — {c.get('confidence') or 0:.2f}".strip(" —"),
                     "fetched_at": None} for c in listed], details)

