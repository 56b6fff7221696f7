"""The focal point for providing information: its heading, contacts and details."""

from __future__ import annotations

import re
from typing import Any

from auditors.base import Bilingual, Outcome, Param, auditor, lines, no_section, say
from auditors.criteria import applies, refs
from auditors.evidence import Evidence, cite
from auditors.judgement import (
    focal_reading,
    focal_text,
    mailto_addresses,
)
from auditors.views import answered, find_blocks, section_blocks
from core.markers import (
    ADDRESS_WORD,
    CONTACT_PAGE,
    EXTENSION,
    FOCAL_PERSON,
    FOCAL_POSITION,
    HONORIFIC_NAME,
    POSTAL_ADDRESS,
    SPOKESPERSON,
)
from core.vntext import find_emails, find_phones, fold

_PERSON = re.compile(FOCAL_PERSON)
_NAME = re.compile(HONORIFIC_NAME)
_POSITION = re.compile(FOCAL_POSITION)
_EXTENSION = re.compile(EXTENSION)
_ADDRESS = re.compile(POSTAL_ADDRESS)
_ADDRESS_WORD = re.compile(ADDRESS_WORD)
_CONTACT_PAGE = re.compile(CONTACT_PAGE)
_SPOKESPERSON = re.compile(SPOKESPERSON)


@auditor("focal_point_contacts", requires=("section_pages", "pages.text", "pages.links"), messages={
    "none": ("Chuyên mục không nêu đầu mối cung cấp thông tin.",
             "The section does not name a focal point for providing information."),
    "complete": ("Có đầu mối cung cấp thông tin với điện thoại {phone} và thư điện tử {email}.",
                 "The focal point is published with phone {phone} and e-mail {email}."),
    "lacking": ("Có đầu mối nhưng thiếu {lacking}.", "The focal point is named but its {lacking} is missing."),
    "heading_only": ("Có tiêu đề đầu mối cung cấp thông tin nhưng không có họ tên, điện thoại hay thư điện tử "
                     "(có thể chỉ nằm trong ảnh).",
                     "There is a focal-point heading but no name, phone or e-mail under it (perhaps only in an image)."),
})
def focal_point_contacts(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    if not evidence.section_pages:
        return no_section("thông tin về đầu mối cung cấp thông tin", "focal point")
    blocks = [b for b in section_blocks(evidence, "focal_point")
              if "nguoi phat ngon" not in fold(" ".join(b[1]))]
    if not blocks:
        return Outcome("fail", *say("focal_point_contacts", "none"))
    best = None
    for page, window, line in blocks:
        text = "\n".join(window)
        phones = find_phones(text)
        emails = find_emails(text) + [a for a in mailto_addresses(page, window) if a not in find_emails(text)]
        reading = focal_reading(window)  # the heading line's own words count too
        person = reading["name"] or reading["position"] or reading["unit"] or bool(_PERSON.search(focal_text(window)))
        rank = (bool(phones) + bool(emails), person)
        if best is None or rank > best[0]:
            best = (rank, page, window, line, phones, emails, person)
    _, page, window, line, phones, emails, person = best
    details = {"phones": phones, "emails": emails, "person_or_unit": person}
    proof = [cite(page, "\n".join(window), fold(line)[:20])]
    if phones and emails and person:
        return Outcome("pass", *say("focal_point_contacts", "complete", phone=phones[0], email=emails[0]), proof, details)
    if phones or emails:
        lacking_vi = [w for w, ok in (("thư điện tử", emails), ("số điện thoại", phones), ("họ tên/đơn vị", person)) if not ok]
        lacking_en = [w for w, ok in (("e-mail", emails), ("phone", phones), ("name/unit", person)) if not ok]
        lacking = Bilingual(", ".join(lacking_vi), ", ".join(lacking_en))
        return Outcome("partial", *say("focal_point_contacts", "lacking", lacking=lacking), proof, details)
    return Outcome("fail", *say("focal_point_contacts", "heading_only"), proof, details)


_FOCAL_LABELS = {"unit": ("tên cơ quan, đơn vị đầu mối", "name of the focal agency or unit"),
                 "address": ("địa chỉ", "address"), "phone": ("số điện thoại", "phone"), "email": ("thư điện tử", "e-mail"),
                 "name": ("họ tên người làm đầu mối", "the focal official's name"),
                 "position": ("chức vụ", "position"),
                 "official_email": ("thư điện tử công vụ (.gov.vn)", "an official (.gov.vn) e-mail")}
# Which criterion of the rule each detail belongs to.
_FOCAL_CRITERIA = {"phone": "contacts", "email": "contacts", "address": "address", "unit": "unit_name",
                   "name": "person", "position": "person", "official_email": "official_email"}


def _agency_address(evidence: Evidence) -> str | None:
    """The URL of the home or contact page that states the agency's postal address, if any."""
    for page in evidence.pages:
        contact = page.get("kind") == "home" or _CONTACT_PAGE.search(fold(page.get("title") or ""))
        if contact and (page.get("status") or 0) < 400 and any(
                _ADDRESS_WORD.search(fold(line)) and _ADDRESS.search(fold(line)) for line in lines(page)):
            return page.get("final_url") or page.get("url")
    return None


def _focal_blocks(evidence: Evidence) -> tuple[list[tuple[dict[str, Any], list[str], str]], bool]:
    """Focal-point blocks in the section, else anywhere on the portal (a "Liên hệ" page): the law asks
    for the contacts to be published, not for them to sit in the section. True when found in the section."""
    def blocks_of(pages: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[str], str]]:
        return [b for b in find_blocks(pages, "focal_point") if not _SPOKESPERSON.search(fold(" ".join(b[1])))]

    inside = blocks_of(evidence.section_pages)
    if inside:
        return inside, True
    return blocks_of(answered(evidence)), False


@auditor("focal_point_details", requires=("section_pages", "pages.text", "pages.links"),
         params={"required": Param("array", ["phone", "email"], "details whose absence fails")}, messages={
    "none": ("Không thấy thông tin về đầu mối cung cấp thông tin trong {where} ({law}).",
             "No focal point for providing information is named in {where} ({law})."),
    "searched_section": ("Chuyên mục và các trang đã thu thập", "the section and the pages gathered"),
    "searched_pages": ("các trang đã thu thập (không có Chuyên mục)", "the pages gathered (no section was found)"),
    "outside": (" (tìm thấy ngoài Chuyên mục)", " (found outside the section)"),
    "no_contact": ("Đầu mối cung cấp thông tin{where} không có {required} ({law}){also}.",
                   "The focal point{where} has no {required} ({law}){also}."),
    "also": ("; cũng thiếu {others}", "; also missing: {others}"),
    "lacks": ("Đầu mối{where} có điện thoại và thư điện tử nhưng thiếu {others}{extra} ({law}).",
              "The focal point{where} has phone and e-mail but lacks {others}{extra} ({law})."),
    "not_gov": (" (thư điện tử {email} không thuộc .gov.vn)", " (e-mail {email} is not under .gov.vn)"),
    "complete": ("Đầu mối{where} có đủ {given}điện thoại {phone} và thư điện tử {email}.",
                 "The focal point{where} gives {given}phone {phone} and e-mail {email}."),
})
def focal_point_details(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """The focal point's details as text under its heading, as far as the bases in force require them:
    the agency's or focal unit's name, address, phone and e-mail (Law 104/2016 Điều 17 k1 m, Điều 19 k1 đ;
    Law 01/2026 Điều 17 k1 u), and while Decree 42/2022 was in force the official's name, position and an
    official e-mail. No phone or e-mail fails; any other missing detail is partial."""
    blocks, in_section = _focal_blocks(evidence)
    if not blocks:
        searched = Bilingual(*say("focal_point_details", "searched_section" if evidence.section_pages else "searched_pages"))
        return Outcome("fail", *say("focal_point_details", "none", where=searched, law=Bilingual(*refs(params, "contacts"))),
                       details={"criteria": ["contacts"], "in_section": False})
    best: tuple[int, dict[str, Any], list[str], str, dict[str, Any]] | None = None
    for page, window, line in blocks:
        text = "\n".join(window)
        body = focal_text(window)  # the heading line's words after "Đầu mối …:" count too
        emails = find_emails(text) + [a for a in mailto_addresses(page, window) if a not in find_emails(text)]
        reading = focal_reading(window)
        found = {"name": reading["name"] or bool(_NAME.search(body)),
                 "position": reading["position"] or bool(_POSITION.search(body)),
                 # (not _UNIT: its "so" would take "số điện thoại" for a Sở)
                 "unit": reading["unit"], "address": bool(_ADDRESS.search(body)),
                 "phone": find_phones(text), "email": emails, "official_email": [e for e in emails if e.endswith(".gov.vn")],
                 "extension": _EXTENSION.findall(body)}
        rank = sum(1 for key in ("name", "position", "unit", "address", "phone", "email") if found[key])
        if best is None or rank > best[0]:
            best = (rank, page, window, line, found)
    assert best is not None
    _, page, window, line, found = best
    if not found["address"]:
        # The law asks for the address of the agency or of the focal unit: the agency's own address on its
        # home page or contact page (usually the footer) answers it as well.
        found["address_elsewhere"] = _agency_address(evidence)
        found["address"] = bool(found["address_elsewhere"])
    # Only the details some basis in force requires (the official's name, position and .gov.vn e-mail
    # lapsed with Decree 42/2022 on 30/6/2026).
    wanted = [k for k in _FOCAL_LABELS if applies(params, _FOCAL_CRITERIA[k])]
    missing = [k for k in wanted if not found[k]]
    details = {**found, "missing": missing, "in_section": in_section}
    proof = [cite(page, "\n".join(window), fold(line)[:20])]
    required = [k for k in params.get("required", ["phone", "email"]) if k in missing]
    others = [k for k in missing if k not in required and not (k == "official_email" and not found["email"])]

    def said(keys: list[str]) -> Bilingual:
        return Bilingual(", ".join(_FOCAL_LABELS[k][0] for k in keys), ", ".join(_FOCAL_LABELS[k][1] for k in keys))

    def law(keys: list[str]) -> Bilingual:
        return Bilingual(*refs(params, *dict.fromkeys(_FOCAL_CRITERIA[k] for k in keys)))

    where = Bilingual(*say("focal_point_details", "outside")) if not in_section else ""
    if required:
        also = Bilingual(*say("focal_point_details", "also", others=said(others))) if others else ""
        return Outcome("fail", *say("focal_point_details", "no_contact", where=where, required=said(required), law=law(required), also=also),
                       proof,
                       {**details, "criteria": list(dict.fromkeys(_FOCAL_CRITERIA[k] for k in required + others))})
    if others:
        extra = Bilingual(*say("focal_point_details", "not_gov", email=found["email"][0])) if "official_email" in others else ""
        return Outcome("partial", *say("focal_point_details", "lacks", where=where, others=said(others), extra=extra, law=law(others)),
                       proof,
                       {**details, "criteria": list(dict.fromkeys(_FOCAL_CRITERIA[k] for k in others))})
    phone = found["phone"][0] + (f" máy lẻ {found['extension'][0]}" if found["extension"] else "")
    email = (found["official_email"] or found["email"])[0]
    given = said([k for k in wanted if k not in ("phone", "email", "official_email")])
    given = Bilingual(given.vi + ", " if given.vi else "", given.en + ", " if given.en else "")
    return Outcome("pass", *say("focal_point_details", "complete", where=where, given=given, phone=phone, email=email), proof, details)

