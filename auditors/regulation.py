"""The internal regulation on providing information: published, and its five contents."""

from __future__ import annotations

import re
from typing import Any

from auditors.base import Bilingual, Outcome, Param, auditor, lines, say
from auditors.criteria import refs
from auditors.evidence import Evidence, cite
from auditors.judgement import table_lines
from core.markers import REGULATION_CONTENTS as CONTENT_PATTERNS
from core.markers import names_regulation
from core.vntext import fold


@auditor("regulation_published", requires=("pages.text", "pages.structure", "pages.tables"), messages={
    "found": ("Có Quy chế: \"{title}\" tại {url}{note}.", "The regulation is published: \"{title}\" at {url}{note}."),
    "unreadable": (" (tệp không đọc được bằng máy: {error})", " (the file is not machine-readable: {error})"),
    "dead": ("Liên kết tới Quy chế không mở được: {url}.", "The link to the regulation is dead: {url}."),
    "none": ("Không tìm thấy Quy chế cung cấp thông tin trên cổng (\"Quy chế làm việc\", quy chế phát ngôn và cung "
             "cấp thông tin cho báo chí là văn bản khác).",
             "No regulation on providing information was found on the portal (the working rules and the press "
             "regulation are different documents)."),
})
def regulation_published(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    dead: list[str] = []
    for page in evidence.pages:
        if page.get("status") is None or page["status"] >= 400:
            if names_regulation(fold(page.get("title") or "")):
                dead.append(page["url"])
            continue
        if page.get("kind") == "document":
            head = [page.get("title") or ""] + lines(page)[:8]
        else:
            head = [page.get("title") or ""] + lines(page)[:4] + (page.get("structure") or [])[:3]
        listed = [t for t in head if t != (page.get("title") or "") and fold(t) in table_lines(page)]
        for text in head:
            folded = fold(text)
            if len(text) > 200:  # prose (e.g. a directive asking units to issue a regulation), not a title
                continue
            # A catalogue row naming the decision that issued the regulation is not the regulation.
            if names_regulation(folded) and text not in listed:
                readable = page.get("kind") != "document" or bool(page.get("text"))
                note = Bilingual("", "") if readable else Bilingual(
                    *say("regulation_published", "unreadable", error=page.get("error") or "?"))
                return Outcome("pass", *say("regulation_published", "found", title=text[:120],
                                            url=page.get("final_url") or page["url"], note=note),
                               [cite(page, page.get("text") or text, folded[:25])], {"readable": readable})
    if dead:
        return Outcome("fail", *say("regulation_published", "dead", url=dead[0]), details={"dead_link": dead[0], "criteria": ["published"]})
    return Outcome("fail", *say("regulation_published", "none"), details={"criteria": ["published"], "searched": "portal"})

# --- the internal regulation's contents ----------------------------------------------------------
_CONTENT_NAMES = {"focal_point": ("đầu mối cung cấp thông tin", "the focal point"),
                  "transfer": ("việc chuyển giao thông tin", "transfer of information"),
                  "classification": ("việc phân loại thông tin", "classification of information"),
                  "updating": ("việc cập nhật thông tin", "updating information"),
                  "procedure": ("trình tự, thủ tục xử lý yêu cầu cung cấp thông tin", "the procedure for handling requests")}
REGULATION_CONTENTS = {key: (re.compile(CONTENT_PATTERNS[key]), *names) for key, names in _CONTENT_NAMES.items()}


def regulation_texts(evidence: Evidence) -> list[dict[str, Any]]:
    """Pages and documents that are the regulation (named in their title or opening), readable first."""
    found = []
    for page in evidence.pages:
        if page.get("status") is None or page["status"] >= 400:
            continue
        head = [page.get("title") or ""] + lines(page)[:8 if page.get("kind") == "document" else 4] + \
               (list(page.get("structure") or [])[:3] if page.get("kind") != "document" else [])
        rows = table_lines(page)  # a catalogue row naming the issuing decision is not the regulation
        # The same reading as the regulation rule: one vocabulary (core.markers), titles not prose.
        if any(len(t) <= 200 and names_regulation(fold(t))
               and (t == (page.get("title") or "") or fold(t) not in rows) for t in head):
            found.append(page)
    return sorted(found, key=lambda p: -len(p.get("text") or ""))


@auditor("regulation_contents", requires=("pages.text", "pages.structure", "pages.tables"),
         params={"partial_min": Param("integer", 3, "contents found that make a partial")}, messages={
    "no_regulation": ("Không tìm thấy Quy chế nên không xét được nội dung (xem tiêu chí về Quy chế).",
                      "No regulation was found, so its contents cannot be examined (see the regulation rule)."),
    "unreadable": ("Có Quy chế nhưng máy không đọc được nội dung ({error}); cần kiểm tra thủ công năm nội dung bắt buộc.",
                   "The regulation is published but its text cannot be read ({error}); an inspector must check its "
                   "five required contents."),
    "all": ("Quy chế có đủ năm nội dung: đầu mối, chuyển giao, phân loại, cập nhật thông tin và trình tự xử lý yêu cầu.",
            "The regulation has all five contents: focal point, transfer, classification, updating and the request "
            "procedure."),
    "lacks": ("Quy chế thiếu: {missing} ({law}).", "The regulation lacks: {missing} ({law})."),
})
def regulation_contents(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """The regulation's five contents, read from its text (page or document), while a basis in force lists
    them (Law 104/2016 Điều 34 k1 h, until 31/8/2026). All five pass; three or four are partial."""
    pages = regulation_texts(evidence)
    if not pages:
        return Outcome("not_applicable", *say("regulation_contents", "no_regulation"))
    readable = [p for p in pages if len(p.get("text") or "") > 200]
    if not readable:
        page = pages[0]
        error = Bilingual(page.get("error") or "không có chữ", page.get("error") or "no text")
        return Outcome("manual", *say("regulation_contents", "unreadable", error=error), [cite(page)])
    page = readable[0]
    body = fold(page.get("text") or "")
    present = [k for k, (pattern, _, _) in REGULATION_CONTENTS.items() if pattern.search(body)]
    missing = [k for k in REGULATION_CONTENTS if k not in present]
    details = {"present": present, "missing": missing, "source": page.get("final_url") or page.get("url")}
    proof = [cite(page, page.get("text") or "", "quy che")]
    details["criteria"] = ["five_contents"]
    if not missing:
        return Outcome("pass", *say("regulation_contents", "all"), proof, details)
    status = "partial" if len(present) >= int(params.get("partial_min", 3)) else "fail"
    named = Bilingual(", ".join(REGULATION_CONTENTS[k][1] for k in missing), ", ".join(REGULATION_CONTENTS[k][2] for k in missing))
    return Outcome(status, *say("regulation_contents", "lacks", missing=named, law=Bilingual(*refs(params, "five_contents"))),
                   proof, details)


