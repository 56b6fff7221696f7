"""Auditors for duties outside the section itself: the spokesperson and official social accounts
(Decree 244/2026) on the portal.

Pure functions of stored evidence, registered by name like every auditor (``auditors.base``).
"""

from __future__ import annotations

import re
from typing import Any

from auditors.base import Bilingual, Outcome, auditor, lines, say
from auditors.criteria import applies, refs
from auditors.evidence import Evidence, cite
from auditors.views import window
from core.markers import (
    SHARE_BUTTON,
    SOCIAL_ACCOUNT,
    SPOKESPERSON,
    SPOKESPERSON_LIST,
    SPOKESPERSON_NAME,
    SPOKESPERSON_POSITION,
)
from core.vntext import find_emails, find_phones, fold

_SPOKESPERSON = re.compile(SPOKESPERSON)
_NAME = re.compile(SPOKESPERSON_NAME)
_POSITION = re.compile(SPOKESPERSON_POSITION)
# A list of the spokespersons of subordinate bodies (ministries and provinces, Decree 244/2026 Điều 3 k3).
_UNIT_LIST = re.compile(SPOKESPERSON_LIST)
_SOCIAL = re.compile(SOCIAL_ACCOUNT)
_SHARE = re.compile(SHARE_BUTTON)


_LABELS = {"name": ("họ tên", "name"), "position": ("chức vụ", "position"), "phone": ("số điện thoại", "phone"),
           "email": ("thư điện tử", "e-mail")}


@auditor("spokesperson_published", messages={
    "social": (" Trang mạng xã hội chính thức được công bố: {url}.", " Official social-media page announced: {url}."),
    "no_social": (" Không thấy trang mạng xã hội chính thức nào trên cổng; nếu cơ quan có, phải công bố trên cổng.",
                  " No official social-media page is announced; if the agency has any, they must be listed on the portal."),
    "none": ("Không thấy thông tin người phát ngôn trên cổng ({law}).{social}",
             "No spokesperson is named on the portal ({law}).{social}"),
    "lacks": ("người phát ngôn thiếu {lacking}", "the spokesperson's {lacking} missing"),
    "no_unit_list": ("không thấy danh sách người phát ngôn của các cơ quan, đơn vị trực thuộc",
                     "no list of the subordinate bodies' spokespersons"),
    "partial": ("Có người phát ngôn nhưng {gaps} ({law}).{social}", "A spokesperson is named but {gaps} ({law}).{social}"),
    "complete": ("Cổng nêu người phát ngôn với họ tên, chức vụ, điện thoại {phone} và thư điện tử {email}.{social}",
                 "The portal names the spokesperson with name, position, phone {phone} and e-mail {email}.{social}"),
}, requires=("pages.text", "pages.links"))
def spokesperson_published(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """The spokesperson's name, position, phone and e-mail on the portal; for ministries and provinces the
    list of their units' spokespersons; the official social accounts, where the agency has any."""
    pages = [p for p in evidence.pages if p.get("status") and p["status"] < 400 and p.get("kind") != "document"]
    best = None
    for page in pages:
        page_lines = lines(page)
        for index, line in enumerate(page_lines):
            if not _SPOKESPERSON.search(fold(line)):
                continue
            block = window(page_lines, index, "spokesperson", size=8)
            text = "\n".join(block)
            body = fold(text)
            found = {"name": bool(_NAME.search(body)), "position": bool(_POSITION.search(body)),
                     "phone": find_phones(text), "email": find_emails(text)}
            rank = sum(1 for value in found.values() if value)
            if best is None or rank > best[0]:
                best = (rank, page, block, line, found)
    social = [(page, link) for page in pages for link in page.get("links") or []
              if _SOCIAL.search(link["url"].lower() + " " + fold(link.get("text", ""))) and not _SHARE.search(link["url"].lower())]
    unit_list = next((page for page in pages for line in lines(page) if _UNIT_LIST.search(fold(line))), None)
    details: dict[str, Any] = {"social_accounts": [link["url"] for _, link in social[:5]], "unit_list": bool(unit_list)}
    social_said = Bilingual(*(say("spokesperson_published", "social", url=social[0][1]["url"]) if social else say("spokesperson_published", "no_social")))
    if best is None:
        return Outcome("fail", *say("spokesperson_published", "none", law=Bilingual(*refs(params, "spokesperson")), social=social_said),
                       details={**details, "criteria": ["spokesperson"], "searched": "portal"})
    _, page, block, line, found = best
    missing = [k for k in _LABELS if not found[k]]
    details.update({k: v for k, v in found.items()}, missing=missing)
    proof = [cite(page, "\n".join(block), fold(line)[:20])]
    gaps_vi, gaps_en, judged = [], [], []
    if missing:
        lacking = Bilingual(", ".join(_LABELS[k][0] for k in missing), ", ".join(_LABELS[k][1] for k in missing))
        gap_vi, gap_en = say("spokesperson_published", "lacks", lacking=lacking)
        gaps_vi.append(gap_vi)
        gaps_en.append(gap_en)
        judged.append("spokesperson")
    if applies(params, "unit_spokespersons") and params.get("_criteria") is not None and unit_list is None:
        gap_vi, gap_en = say("spokesperson_published", "no_unit_list")
        gaps_vi.append(gap_vi)
        gaps_en.append(gap_en)
        judged.append("unit_spokespersons")
    if gaps_vi:
        gaps = Bilingual("; ".join(gaps_vi), "; ".join(gaps_en))
        return Outcome("partial", *say("spokesperson_published", "partial", gaps=gaps, law=Bilingual(*refs(params, *judged)), social=social_said),
                       proof,
                       {**details, "criteria": judged})
    return Outcome("pass", *say("spokesperson_published", "complete", phone=found["phone"][0], email=found["email"][0], social=social_said),
                   proof, details)
