"""Auditors for duties outside the section itself: the spokesperson and official social accounts
(Decree 244/2026) on the portal.

Pure functions of stored evidence, registered by name like those of ``auditors.checks``.
"""

from __future__ import annotations

import re
from typing import Any

from auditors.base import Outcome, auditor, lines
from auditors.criteria import applies, refs
from auditors.evidence import Evidence, cite
from auditors.views import window
from tctt.markers import (
    SHARE_BUTTON,
    SOCIAL_ACCOUNT,
    SPOKESPERSON,
    SPOKESPERSON_LIST,
    SPOKESPERSON_NAME,
    SPOKESPERSON_POSITION,
)
from tctt.vntext import find_emails, find_phones, fold

_SPOKESPERSON = re.compile(SPOKESPERSON)
_NAME = re.compile(SPOKESPERSON_NAME)
_POSITION = re.compile(SPOKESPERSON_POSITION)
# A list of the spokespersons of subordinate bodies (ministries and provinces, Decree 244/2026 Điều 3 k3).
_UNIT_LIST = re.compile(SPOKESPERSON_LIST)
_SOCIAL = re.compile(SOCIAL_ACCOUNT)
_SHARE = re.compile(SHARE_BUTTON)


@auditor("spokesperson_published", requires=("pages.text", "pages.links"))
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
    social_vi = (f" Trang mạng xã hội chính thức được công bố: {social[0][1]['url']}." if social else
                 " Không thấy trang mạng xã hội chính thức nào trên cổng; nếu cơ quan có, phải công bố trên cổng.")
    social_en = (f" Official social-media page announced: {social[0][1]['url']}." if social else
                 " No official social-media page is announced; if the agency has any, they must be listed on the portal.")
    if best is None:
        law_vi, law_en = refs(params, "spokesperson")
        return Outcome("fail", f"Không thấy thông tin người phát ngôn trên cổng ({law_vi}).{social_vi}",
                       f"No spokesperson is named on the portal ({law_en}).{social_en}",
                       details={**details, "criteria": ["spokesperson"]})
    _, page, block, line, found = best
    labels = {"name": ("họ tên", "name"), "position": ("chức vụ", "position"), "phone": ("số điện thoại", "phone"),
              "email": ("thư điện tử", "e-mail")}
    missing = [k for k in labels if not found[k]]
    details.update({k: v for k, v in found.items()}, missing=missing)
    proof = [cite(page, "\n".join(block), fold(line)[:20])]
    gaps_vi, gaps_en, judged = [], [], []
    if missing:
        gaps_vi.append("người phát ngôn thiếu " + ", ".join(labels[k][0] for k in missing))
        gaps_en.append("the spokesperson's " + ", ".join(labels[k][1] for k in missing) + " missing")
        judged.append("spokesperson")
    if applies(params, "unit_spokespersons") and params.get("_criteria") is not None and unit_list is None:
        gaps_vi.append("không thấy danh sách người phát ngôn của các cơ quan, đơn vị trực thuộc")
        gaps_en.append("no list of the subordinate bodies' spokespersons")
        judged.append("unit_spokespersons")
    if gaps_vi:
        law_vi, law_en = refs(params, *judged)
        return Outcome("partial", f"Có người phát ngôn nhưng {'; '.join(gaps_vi)} ({law_vi}).{social_vi}",
                       f"A spokesperson is named but {'; '.join(gaps_en)} ({law_en}).{social_en}", proof,
                       {**details, "criteria": judged})
    return Outcome("pass", f"Cổng nêu người phát ngôn với họ tên, chức vụ, điện thoại {found['phone'][0]} và thư điện tử "
                           f"{found['email'][0]}.{social_vi}",
                   f"The portal names the spokesperson with name, position, phone {found['phone'][0]} and e-mail "
                   f"{found['email'][0]}.{social_en}", proof, details)
