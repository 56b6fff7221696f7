"""The request forms of Decree 13/2018 Điều 5 (01a–06) in the section."""

from __future__ import annotations

import re
from typing import Any

from auditors.base import Outcome, Param, auditor, no_section, say
from auditors.evidence import Evidence, cite
from auditors.judgement import (
    form_codes_of_document,
    url_words,
)
from core.markers import LAND_DATA_FORMS, form_codes
from core.vntext import fold, slug_words
from crawler.urls import url_key

_LAND_DATA = re.compile(LAND_DATA_FORMS)


def _form_codes(text: str) -> set[str]:
    return form_codes(fold(text))


MESSAGES = {
    "all": ("Có đủ {wanted} mẫu phiếu: {present}.", "All {wanted} forms are published: {present}."),
    "some": ("Có {found}/{wanted} mẫu phiếu; còn thiếu mẫu số {missing}.",
             "{found} of {wanted} forms are published; missing: {missing}."),
    "none": ("Chuyên mục không có mẫu phiếu nào (01a–06).", "The section publishes none of the forms 01a–06."),
    "land_only": (" Các phiếu yêu cầu cung cấp dữ liệu đất đai/đo đạc không phải mẫu theo Nghị định 13/2018.",
                  " Land or survey data request forms are not the Decree 13/2018 forms."),
}


@auditor("request_forms", requires=("section_pages", "by_url", "pages.links", "pages.text"),
         params={"forms": Param("array", None, "the form numbers wanted (default 01a–06)")}, messages=MESSAGES)
def request_forms(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    wanted = list(params.get("forms") or ["01a", "01b", "02", "03", "04", "05", "06"])
    if not evidence.section_pages:
        return no_section("các mẫu phiếu", "request forms")
    found: dict[str, dict[str, Any]] = {}
    land_only = False
    for page in evidence.section_pages:
        for link in page.get("links") or []:
            # Link text, title and file name as words ("mau-so-01a.pdf" is "mau so 01a pdf").
            label = " ".join([slug_words(link.get("text", "")), slug_words(link.get("title", "")), url_words(link["url"])])
            if _LAND_DATA.search(fold(label)):
                land_only = True
                continue
            codes = _form_codes(label)
            target = evidence.by_url.get(url_key(link["url"]))
            if not codes and target is not None and target.get("kind") == "document":
                codes = form_codes_of_document(target)  # "?download=1&id=0": the file itself says what it is
            for code in codes:
                found.setdefault(code, {"url": link["url"], "excerpt": link.get("text", "")[:160],
                                        "fetched_at": page.get("fetched_at")})
        if page.get("kind") == "document" and (page.get("status") or 0) < 400:
            for code in form_codes_of_document(page):  # a downloaded form reached some other way
                found.setdefault(code, cite(page, page.get("text") or "", "phieu"))
    present = [code for code in wanted if code in found]
    missing = [code for code in wanted if code not in found]
    details = {"present": present, "missing": missing}
    proof = [found[c] for c in present][:7]
    if not missing:
        return Outcome("pass", *say("request_forms", "all", wanted=len(wanted), present=", ".join(present)),
                       proof, details)
    if present:
        return Outcome("partial", *say("request_forms", "some", found=len(present), wanted=len(wanted),
                                       missing=", ".join(missing)), proof, details)
    vi, en = say("request_forms", "none")
    extra_vi, extra_en = say("request_forms", "land_only") if land_only else ("", "")
    return Outcome("fail", vi + extra_vi, en + extra_en, details=details)


