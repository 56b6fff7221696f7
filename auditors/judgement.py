"""Judging what a section really holds: shared readings used by several auditors.

- the focal point's own words: a heading line often carries the person ("Đầu mối cung cấp thông tin: bà
  Nguyễn Thị Lan, công chức Văn phòng – Thống kê"), so what follows the heading words counts, not only
  the lines under it; a person is named by an honorific (ông, bà, chị, đồng chí…) or by a Vietnamese
  surname followed by given names, and a position or unit names who answers;
- a line of a table or list that mentions a document is not that document: a catalogue row "Quyết định
  số 12/QĐ-UBND ban hành Quy chế cung cấp thông tin" is not the published regulation;
- the heading of a table is the nearest heading above it, over the lines that only say where the table
  comes from ("(Ban hành kèm theo Quyết định số …)", "Số: …", a date);
- a request form published as a file is recognised by its link text, its file name, its URL's query
  (``?download=1&id=0`` says nothing: then the downloaded file's own title and opening lines do) and,
  for a downloaded document, by its text being a form (a "PHIẾU YÊU CẦU CUNG CẤP THÔNG TIN" with the blanks
  to fill).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import unquote, urlsplit

from core import emails
from core.markers import (
    FOCAL_POINT_LEAD,
    FOCAL_POSITION_LINE,
    FOCAL_UNIT,
    FORM_BLANKS,
    FORM_CODE,
    FORM_TITLES,
    HONORIFIC_NAME,
    LAND_DATA_FORMS,
    PROVENANCE,
    THROUGH_ORGANISATION,
    form_codes,
)
from core.vntext import fold, slug_words

# --- the focal point ------------------------------------------------------------------------------
_HEADING_WORDS = re.compile(FOCAL_POINT_LEAD)
_HONORIFIC = re.compile(HONORIFIC_NAME)
_POSITION = re.compile(FOCAL_POSITION_LINE)
_UNIT = re.compile(FOCAL_UNIT)
# "Sở" (a department) and "số" (number) fold alike: the department is read with its diacritics.
_DEPARTMENT = re.compile(r"\bsở\b", re.IGNORECASE)  # not folded: read with its diacritics
# The commonest Vietnamese surnames (well over nine in ten people carry one of them), with their
# diacritics ("Trương" is a surname, "Trưởng phòng" a position), less those that also begin place names
# (Hà Nội, Hồ Chí Minh, Lâm Đồng, Thái Bình, Châu Đốc) or common capitalised words (Văn phòng).
_SURNAMES = frozenset(("nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ",
                       "ngô", "dương", "lý", "đinh", "đào", "đoàn", "mai", "trịnh", "trương", "cao", "lương",
                       "lưu", "quách", "kiều", "khúc", "nông", "mạc"))
_NAME_AFTER_SURNAME = re.compile(  # not folded: capitals and diacritics
    r"^(?:[A-ZÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[A-ZÀ-Ỹ][\wÀ-ỹ]*){1,3}")


def focal_text(window: list[str]) -> str:
    """What describes the focal point: the heading line's words after the heading phrase, and the lines
    under it. Folded."""
    if not window:
        return ""
    first = fold(window[0])
    rest = _HEADING_WORDS.sub("", first, count=1) if _HEADING_WORDS.search(first) else first
    return "\n".join([rest, *(fold(line) for line in window[1:])]).strip()


def names_person(original: str) -> bool:
    """A person is named: an honorific before a name, or a surname followed by one to three capitalised
    given names ("Nguyễn Thị Lan")."""
    text = unicodedata.normalize("NFC", original or "")
    if _HONORIFIC.search(fold(text)):
        return True
    for match in re.finditer(r"[A-ZÀ-ỸĐ][\wÀ-ỹđĐ]*", text):  # not folded: capitals
        if match.group(0).lower() in _SURNAMES and _NAME_AFTER_SURNAME.match(text[match.start():]):
            name = _NAME_AFTER_SURNAME.match(text[match.start():]).group(0)
            if not name.isupper():  # a heading in capitals ("VĂN PHÒNG SỞ") is not a name
                return True
    return False


def focal_reading(window: list[str]) -> dict[str, bool]:
    """Which of name, position and unit the focal point's block gives."""
    original = "\n".join(window)
    folded = focal_text(window)
    first_rest = window[0] if window else ""
    heading = _HEADING_WORDS.search(fold(first_rest))
    # The name may sit on the heading line, after the heading phrase.
    original_rest = first_rest[heading.end():] if heading and len(fold(first_rest)) == len(first_rest) else first_rest
    name = names_person("\n".join([original_rest, *window[1:]])) if window else names_person(original)
    unit = bool(_UNIT.search(folded)) or bool(_DEPARTMENT.search(unicodedata.normalize("NFC", original_rest + "\n"
                                                                                     + "\n".join(window[1:]))))
    return {"name": name, "position": bool(_POSITION.search(folded)), "unit": unit}


def mailto_addresses(page: dict[str, Any], window: list[str]) -> list[str]:
    """Addresses given only as a link ("Gửi thư" → mailto:…) whose label is written in ``window``."""
    text = fold(" ".join(window))
    found = []
    for link in page.get("links") or []:
        url = link.get("url") or ""
        label = fold(link.get("text") or "")
        if url.lower().startswith("mailto:") and label and label in text:
            address = unquote(url[7:].split("?", 1)[0]).strip().lower()
            if emails.is_valid(address) and address not in found:
                found.append(address)
    return found


# --- lines of tables and lists are not the documents they mention ----------------------------------
def table_lines(page: dict[str, Any]) -> set[str]:
    """Folded cells and rows of the page's tables."""
    found: set[str] = set()
    for table in page.get("tables") or []:
        for row in table.get("rows") or []:
            found.add(fold(" ".join(row)))
            found.update(fold(cell) for cell in row if cell.strip())
    return found


def link_labels(page: dict[str, Any]) -> set[str]:
    return {fold(link.get("text") or "") for link in page.get("links") or [] if link.get("text")}


def is_listing_line(page: dict[str, Any], text: str) -> bool:
    """The line is a cell of a table or the label of a link on ``page``: it mentions something, it is
    not that thing."""
    folded = fold(text)
    return folded in table_lines(page) or folded in link_labels(page)


# --- the heading of a table -----------------------------------------------------------------------
_PROVENANCE = re.compile(PROVENANCE)


def table_heading(page: dict[str, Any], table: dict[str, Any], max_back: int = 3) -> str:
    """The nearest heading above ``table`` in the page's text, over provenance lines ("(Ban hành kèm theo
    Quyết định số …)", "Số: …", dates). Empty when the table cannot be placed in the text."""
    lines = [line.strip() for line in (page.get("text") or "").split("\n") if line.strip()]
    anchor = (table.get("heading") or "").strip()
    headers = [h.strip() for h in table.get("headers") or [] if h.strip()]
    index = None
    if anchor:
        index = next((i for i, line in enumerate(lines) if line == anchor), None)
    if index is None and headers:
        index = next((i for i in range(len(lines)) if lines[i] == headers[0]
                      and lines[i + 1: i + len(headers)] == headers[1:]), None)
        index = None if index is None else index - 1
    if index is None or index < 0:
        return ""
    for line in reversed(lines[max(0, index - max_back): index + 1]):
        if not _PROVENANCE.search(fold(line)) and len(line) <= 200:
            return line
    return ""


# --- request forms published as files ---------------------------------------------------------------
_FORM_TEXT = re.compile(FORM_TITLES)
_LAND_DATA = re.compile(LAND_DATA_FORMS)
_FORM_BLANKS = re.compile(FORM_BLANKS)
_THROUGH_ORGANISATION = re.compile(THROUGH_ORGANISATION)


def url_words(url: str) -> str:
    """The file name and query of a URL as words: '/files/Mau-so-01a.pdf?download=1' → 'mau so 01a pdf download 1'."""
    parts = urlsplit(url)
    name = unquote(parts.path.rsplit("/", 1)[-1])
    return slug_words(f"{name} {unquote(parts.query)}")


def form_codes_of_document(page: dict[str, Any]) -> set[str]:
    """Decree 13 form numbers a downloaded document is, from its own title and opening lines: 'Mẫu số 01a'
    on top of a 'PHIẾU YÊU CẦU CUNG CẤP THÔNG TIN' with blanks to fill."""
    lines = [line for line in (page.get("text") or "").split("\n") if line.strip()][:15]
    head = fold(" ".join([page.get("title") or "", *lines]))
    if not _FORM_TEXT.search(head):
        return set()
    codes = form_codes(head)
    if codes:
        return codes
    # A form without its number: the request form (01a) or, through an organisation, 01b.
    if "phieu yeu cau cung cap thong tin" in head and _FORM_BLANKS.search(fold(page.get("text") or "")):
        return {"01b"} if _THROUGH_ORGANISATION.search(head) else {"01a"}
    return set()


def is_land_data_form(label: str) -> bool:
    folded = fold(label)
    return bool(_LAND_DATA.search(folded)) and not FORM_CODE.search(folded)
