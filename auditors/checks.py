"""Named auditors: pure functions from an agency's evidence (and a rule's params) to an outcome.

Each returns an ``Outcome``: a status (pass, partial, fail, not_applicable, manual, error), a message in
Vietnamese and English that says exactly what was or was not found, the evidence (URL, excerpt,
access time) and details for the report. Rules name auditors in YAML (``check.auditor``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from auditors.criteria import refs
from auditors.evidence import Evidence, cite
from auditors.followed import linked_holder
from auditors.judgement import (
    focal_reading,
    focal_text,
    form_codes_of_document,
    mailto_addresses,
    table_heading,
    table_lines,
    url_words,
)
from crawler.urls import url_key
from tctt.markers import (
    ELEMENT_PATTERNS,
    FOCAL_POINT_HEADING,
    FORM_CODE,
    LAND_DATA_FORMS,
    form_codes,
    names_regulation,
)
from tctt.vntext import find_emails, find_phones, fold, slug_words

AUDITORS: dict[str, Callable[[Evidence, dict[str, Any]], Outcome]] = {}


@dataclass
class Outcome:
    status: str
    vi: str
    en: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


def auditor(name: str) -> Callable[[Callable[..., Outcome]], Callable[..., Outcome]]:
    def register(function: Callable[..., Outcome]) -> Callable[..., Outcome]:
        AUDITORS[name] = function
        return function
    return register


NO_SECTION = ("Không tìm thấy Chuyên mục tiếp cận thông tin, nên không có {what} trong Chuyên mục.",
              "No access-to-information section was found, so the section holds no {what_en}.")


def _no_section(what: str, what_en: str) -> Outcome:
    # Judged on the "in_section" criterion only: the finding cites the provisions that ask for the item
    # in the section (Decree 13/2018), not the laws that ask only for its publication somewhere.
    return Outcome("fail", NO_SECTION[0].format(what=what), NO_SECTION[1].format(what_en=what_en),
                   details={"criteria": ["in_section"], "no_section": True})


def _elements(page: dict[str, Any]) -> dict[str, Any]:
    return ((page.get("signals") or {}).get("elements")) or {}


def _lines(page: dict[str, Any]) -> list[str]:
    return [line for line in (page.get("text") or "").split("\n") if line.strip()]


def _pattern(kind: str) -> re.Pattern[str]:
    return re.compile("|".join(ELEMENT_PATTERNS[kind]))


_PATTERNS = {kind: _pattern(kind) for kind in ("request_address", "complaint_channel", "guidance", "regulation",
                                               "public_catalogue", "conditional_catalogue", "download")}
# The focal-point block starts at its heading, which may be cut short ("Đầu mối tiếp nhận…"): the
# auditor accepts the heading's first words, where the crawler wants the whole phrase.
_PATTERNS["focal_point"] = re.compile(FOCAL_POINT_HEADING)
_FORM_LINE = re.compile(r"mau (so )?0?[1-6][ab]?\b|phieu tiep nhan|phieu giai quyet|thong bao (gia han|tu choi)")
_HEADING_OF_OTHER = {kind: pattern for kind, pattern in _PATTERNS.items()}
_FORMS_HEADING = re.compile(r"(cac |tai )?(bieu mau|mau phieu)\b")
_PERSON = re.compile(r"\b(ong|ba|chi|anh|dong chi|d/c|ho (va )?ten|chuyen vien|can bo|cong chuc|truong phong|"
                     r"pho (truong|chanh|giam doc)|chanh van phong|van phong|phong [a-z]|giam doc|don vi)\b")


def _window(lines: list[str], start: int, kind: str, size: int = 10) -> list[str]:
    """Lines from a marker to the next heading of another part of the section (at most ``size``)."""
    window = [lines[start]]
    for line in lines[start + 1: start + size]:
        folded = fold(line)
        other = any(p.search(folded) for k, p in _HEADING_OF_OTHER.items() if k != kind)
        # Also the forms block, and any short line in capitals: the heading of the next part.
        heading = _FORMS_HEADING.match(folded) or (line == line.upper() and len(line.split()) >= 2
                                                    and sum(ch.isalpha() for ch in line) >= 6)
        if (other or heading) and len(line) < 120:
            break
        window.append(line)
    return window


def _find_blocks(pages: list[dict[str, Any]], kind: str, *, skip_forms: bool = False
                 ) -> list[tuple[dict[str, Any], list[str], str]]:
    """(page, window of lines, marker line) for every place a part of the section is named."""
    pattern = _PATTERNS[kind]
    blocks = []
    for page in pages:
        lines = _lines(page)
        for index, line in enumerate(lines):
            folded = fold(line)
            if not pattern.search(folded):
                continue
            if skip_forms and _FORM_LINE.search(folded):
                continue
            blocks.append((page, _window(lines, index, kind), line))
    return blocks


# --- the section ---------------------------------------------------------------------------------
@auditor("section_found")
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


# --- catalogues ----------------------------------------------------------------------------------
CATALOGUE_FIELDS = {
    "name": re.compile(r"\bten\b|so,? ky hieu|so hieu|ky hieu|trich yeu|ten van ban"),
    "date": re.compile(r"\bngay\b|thoi gian tao|nam ban hanh"),
    "form": re.compile(r"hinh thuc"),
    "period": re.compile(r"thoi diem|thoi han"),
    "address": re.compile(r"duong dan|dia chi|\blink\b|tai ve|tep|file|dinh kem|truy cap"),
}
FIELD_NAMES = {"name": ("tên, số, ký hiệu", "name/number/symbol"), "date": ("ngày tạo ra", "date created"),
               "form": ("hình thức công khai", "form of disclosure"),
               "period": ("thời điểm, thời hạn công khai", "time and period of disclosure"),
               "address": ("địa chỉ truy cập/tệp đính kèm", "access address or attached file")}


def _fields_in(texts: list[str]) -> set[str]:
    found = set()
    for text in texts:
        folded = fold(text)
        for name, pattern in CATALOGUE_FIELDS.items():
            if pattern.search(folded):
                found.add(name)
    return found


def _table_assessment(table: dict[str, Any]) -> tuple[set[str], int]:
    fields = _fields_in(table.get("headers") or [])
    filled = sum(1 for row in table.get("rows") or [] if sum(1 for cell in row[1:] if cell.strip()) >= 1)
    if table.get("row_links") and any(table["row_links"]):
        fields.add("address")
    return fields, filled


def _table_excerpt(table: dict[str, Any]) -> str:
    """The table as an inspector would quote it: caption, header row, first row."""
    parts = [table.get("caption") or table.get("heading") or "", " | ".join(table.get("headers") or [])]
    if table.get("rows"):
        parts.append(" | ".join(table["rows"][0]))
    return " — ".join(p for p in parts if p)


def _catalogue_sources(evidence: Evidence, kind: str) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(page, tables) of the section that are the catalogue: a page or document whose own title or
    opening names it (all its tables count), or a table whose caption or heading names it."""
    pattern = _PATTERNS[kind]

    def names_it(text: str) -> bool:
        folded = fold(text)
        if kind == "public_catalogue" and _PATTERNS["conditional_catalogue"].search(folded):
            return False
        return bool(pattern.search(folded))

    sources = []
    for page in evidence.section_pages:
        opening = [page.get("title") or ""] + _lines(page)[:3 if page.get("kind") != "document" else 5]
        tables = page.get("tables") or []
        if any(names_it(t) for t in opening):
            sources.append((page, tables))
        else:
            # The heading over a table may be hidden behind "(Ban hành kèm theo Quyết định số …)": look past it.
            named = [t for t in tables if names_it(t.get("caption") or "") or names_it(t.get("heading") or "")
                     or names_it(table_heading(page, t))]
            if named:
                sources.append((page, named))
            else:
                # A heading naming the catalogue over something that is not a table (a tree of category
                # links): published, but not as the per-document table.
                anchors = {link.get("text", "") for link in page.get("links") or []}
                if any(names_it(t) and t not in anchors for t in page.get("structure") or []):
                    sources.append((page, []))
    return sources


def _dead_catalogue_link(evidence: Evidence, kind: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(page, link) of a section link naming the catalogue whose target answered an error."""
    for page in evidence.section_pages:
        for link in page.get("links") or []:
            if not _PATTERNS[kind].search(fold(link.get("text", ""))):
                continue
            target = evidence.by_url.get(url_key(link["url"]))
            if target is not None and (target.get("status") is None or target["status"] >= 400):
                return page, link
    return None


@auditor("catalogue_published")
def catalogue_published(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    kind = params.get("kind", "public_catalogue")
    minimum = int(params.get("min_fields", 3))
    label = ("danh mục thông tin phải được công khai", "disclosure catalogue") if kind == "public_catalogue" else (
        "danh mục thông tin được tiếp cận có điều kiện", "catalogue of conditionally accessible information")
    absent = params.get("absent", "fail")  # "manual" where no law requires the catalogue published
    if not evidence.section_pages and absent == "manual":
        return Outcome("manual", f"Không có Chuyên mục nên không thấy {label[0]} trên cổng; cần thanh tra viên xác minh "
                                 "cơ quan đã lập danh mục này.",
                       f"No section was found, so no {label[1]} is on the portal; an inspector must verify it was drawn up.")
    if not evidence.section_pages:
        return _no_section(label[0], label[1])
    sources = _catalogue_sources(evidence, kind)
    if not sources:
        linked = [(p, link) for p in evidence.section_pages for link in p.get("links") or []
                  if _PATTERNS[kind].search(fold(link.get("text", "")))]
        if linked:
            page, link = linked[0]
            return Outcome("fail",
                           f"Chuyên mục có liên kết \"{link['text'][:80]}\" nhưng không mở được trang/tệp {link['url']}.",
                           f"The section links to \"{link['text'][:80]}\" but {link['url']} could not be opened.",
                           [cite(page, page.get('text') or '', fold(link['text'])[:30])], {"dead_link": link["url"]})
        if absent == "manual":
            return Outcome("manual", f"Chuyên mục không đăng {label[0]}; cần thanh tra viên xác minh cơ quan đã lập danh mục "
                                     f"này ({refs(params)[0]}).",
                           f"The section does not post the {label[1]}; an inspector must verify it was drawn up "
                           f"({refs(params)[1]}).")
        return Outcome("fail", f"Chuyên mục không có {label[0]}.", f"The section has no {label[1]}.")
    best: tuple[int, int, dict[str, Any], set[str], int, str] | None = None
    for page, tables in sources:
        candidates: list[tuple[set[str], int, str]] = [(*_table_assessment(t), _table_excerpt(t)) for t in tables]
        # A document's text lines stand in for a table only when it has no table of its own.
        if page.get("kind") == "document" and page.get("text") and not tables:
            text_lines = _lines(page)
            candidates.append((_fields_in(text_lines[:40]), max(0, len(text_lines) - 3), " ".join(text_lines[:6])))
        for fields, rows, table_text in candidates or [(set(), 0, "")]:
            rank = (len(fields) if rows else 0, rows)
            if best is None or rank > best[:2]:
                best = (rank[0], rank[1], page, fields, rows, table_text)
    assert best is not None
    _, _, page, fields, rows, table_text = best
    dead = _dead_catalogue_link(evidence, kind) if not rows and not fields else None
    if dead:
        dead_page, link = dead
        return Outcome("fail",
                       f"Chuyên mục có liên kết \"{link['text'][:80]}\" nhưng không mở được trang/tệp {link['url']}.",
                       f"The section links to \"{link['text'][:80]}\" but {link['url']} could not be opened.",
                       [cite(dead_page, dead_page.get('text') or '', fold(link['text'])[:30])], {"dead_link": link["url"]})
    missing = [f for f in FIELD_NAMES if f not in fields]
    details = {"fields": sorted(fields), "missing_fields": missing, "rows": rows, "source": page.get("url"),
               "document": page.get("kind") == "document"}
    proof = [cite(page, table_text or page.get("text") or "", "" if table_text else fold(label[0])[:25])]
    scanned = (page.get("signals") or {}).get("scanned") or (page.get("error") or "").startswith("no text layer")
    if page.get("kind") == "document" and scanned:
        return _scanned_catalogue(page, label, fields, rows, proof, details)
    if page.get("kind") == "document" and not page.get("text"):
        reason = page.get("error") or "không đọc được"
        return Outcome("partial",
                       f"Có {label[0]} dưới dạng tệp ({page.get('doc_type') or 'không rõ định dạng'}) nhưng máy không đọc "
                       f"được nội dung ({reason}){'; bản quét không có lớp chữ' if scanned else ''}.",
                       f"The {label[1]} is published as a file ({page.get('doc_type') or 'unknown type'}) whose "
                       f"content could not be read ({reason}).", proof, details)
    if minimum == 0 or (len(fields) >= minimum and rows > 0):
        missing_vi = ", ".join(FIELD_NAMES[f][0] for f in missing)
        missing_en = ", ".join(FIELD_NAMES[f][1] for f in missing)
        return Outcome("pass",
                       f"Có {label[0]} ({rows} dòng)" + (f"; còn thiếu cột: {missing_vi}." if missing and minimum else "."),
                       f"The {label[1]} is published ({rows} rows)" + (f"; missing columns: {missing_en}." if missing and minimum else "."),
                       proof, details)
    if rows == 0 and fields:
        return Outcome("partial", f"Có {label[0]} nhưng các dòng đều trống.",
                       f"The {label[1]} has headers but every row is empty.", proof, details)
    law_vi, law_en = refs(params, "fields")
    return Outcome("partial",
                   f"Có {label[0]} nhưng chỉ có {len(fields)}/5 trường của danh mục; thiếu: "
                   f"{', '.join(FIELD_NAMES[f][0] for f in missing)} ({law_vi}).",
                   f"A {label[1]} is published but has only {len(fields)} of the 5 catalogue fields; missing: "
                   f"{', '.join(FIELD_NAMES[f][1] for f in missing)} ({law_en}).", proof, {**details, "criteria": ["fields"]})


def _scanned_catalogue(page: dict[str, Any], label: tuple[str, str], fields: set[str], rows: int,
                       proof: list[dict[str, Any]], details: dict[str, Any]) -> Outcome:
    """A scan has no text layer: not machine-readable (nor readable by screen readers) whatever OCR
    makes of it. The OCR result, when there is one, tells the inspector what the scan seems to hold."""
    ocr = (((page.get("signals") or {}).get("document") or {}).get("ocr")) or {}
    details.update(machine_readable=False, ocr=ocr)
    kind = page.get("doc_type") or "pdf"
    vi = (f"Có {label[0]} nhưng chỉ là bản quét ({kind}) không có lớp chữ: máy và trình đọc màn hình không đọc "
          "được (thông tin phải ở dạng đọc được bằng máy).")
    en = (f"The {label[1]} is only a scanned image ({kind}) with no text layer: it is not machine-readable, "
          "and screen readers cannot read it either.")
    if ocr.get("done") and page.get("text"):
        found_vi = ", ".join(FIELD_NAMES[f][0] for f in FIELD_NAMES if f in fields) or "không có cột nào"
        found_en = ", ".join(FIELD_NAMES[f][1] for f in FIELD_NAMES if f in fields) or "no column"
        vi += f" Nhận dạng ký tự (OCR, độ tin cậy {ocr.get('confidence')}%) đọc được {rows} dòng; cột: {found_vi}."
        en += f" OCR (confidence {ocr.get('confidence')}%) read {rows} lines; columns: {found_en}."
    elif ocr.get("reason"):
        vi += f" Chưa nhận dạng ký tự (OCR): {ocr['reason']}."
        en += f" No OCR: {ocr['reason']}."
    return Outcome("partial", vi, en, proof, details)


# --- focal point ---------------------------------------------------------------------------------
@auditor("focal_point_contacts")
def focal_point_contacts(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    if not evidence.section_pages:
        return _no_section("thông tin về đầu mối cung cấp thông tin", "focal point")
    blocks = [b for b in _find_blocks(evidence.section_pages, "focal_point")
              if "nguoi phat ngon" not in fold(" ".join(b[1]))]
    if not blocks:
        return Outcome("fail", "Chuyên mục không nêu đầu mối cung cấp thông tin.",
                       "The section does not name a focal point for providing information.")
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
        return Outcome("pass", f"Có đầu mối cung cấp thông tin với điện thoại {phones[0]} và thư điện tử {emails[0]}.",
                       f"The focal point is published with phone {phones[0]} and e-mail {emails[0]}.", proof, details)
    if phones or emails:
        lacking_vi = [w for w, ok in (("thư điện tử", emails), ("số điện thoại", phones), ("họ tên/đơn vị", person)) if not ok]
        lacking_en = [w for w, ok in (("e-mail", emails), ("phone", phones), ("name/unit", person)) if not ok]
        return Outcome("partial", f"Có đầu mối nhưng thiếu {', '.join(lacking_vi)}.",
                       f"The focal point is named but its {', '.join(lacking_en)} is missing.", proof, details)
    return Outcome("fail", "Có tiêu đề đầu mối cung cấp thông tin nhưng không có họ tên, điện thoại hay thư điện tử "
                           "(có thể chỉ nằm trong ảnh).",
                   "There is a focal-point heading but no name, phone or e-mail under it (perhaps only in an image).",
                   proof, details)


# --- channels ------------------------------------------------------------------------------------
def _channel(evidence: Evidence, kind: str, what: tuple[str, str], accept_phone: bool) -> Outcome:
    if not evidence.section_pages:
        return _no_section(what[0], what[1])
    blocks = _find_blocks(evidence.section_pages, kind, skip_forms=True)
    if not blocks:
        return Outcome("fail", f"Chuyên mục không có {what[0]}.", f"The section has no {what[1]}.")
    for page, window, line in blocks:
        text = "\n".join(window)
        emails = find_emails(text) + [a for a in mailto_addresses(page, window) if a not in find_emails(text)]
        phones = find_phones(text) if accept_phone else []
        # The marker line is often a heading ("Địa chỉ tiếp nhận phản ánh, kiến nghị"): not itself an address.
        body = "\n".join(window[1:]) if len(line) < 120 else text
        address = accept_phone and bool(re.search(r"\bdia chi\b|\bso \d+", fold(body)))
        form_words = r"gui yeu cau|bieu mau truc tuyen" if kind == "request_address" else r"gui phan anh|gop y|phan anh truc tuyen"
        form_links = [link for link in page.get("links") or []
                      if re.search(form_words, fold(link.get("text", ""))) and not link.get("chrome")]
        if emails or phones or address or form_links:
            channel = emails[0] if emails else phones[0] if phones else form_links[0]["url"] if form_links else "địa chỉ"
            return Outcome("pass", f"Có {what[0]}: {channel}.", f"The {what[1]} is published: {channel}.",
                           [cite(page, text, fold(line)[:20])], {"emails": emails, "phones": phones})
    held = linked_holder(evidence, blocks, kind)  # "… through the Contact page": judged where it lives
    if held is not None:
        page, link, target = held
        return Outcome("pass", f"Có {what[0]}: trang {target['url']} (liên kết \"{link.get('text', '')}\" trong Chuyên mục).",
                       f"The {what[1]} is published: page {target['url']} (linked as \"{link.get('text', '')}\").",
                       [cite(target, target.get("text") or "", "")], {"followed": target["url"]})
    page, window, line = blocks[0]
    return Outcome("partial", f"Chuyên mục nhắc đến {what[0]} nhưng không ghi thư điện tử, biểu mẫu hay địa chỉ cụ thể.",
                   f"The section mentions the {what[1]} but gives no e-mail, form or address.",
                   [cite(page, "\n".join(window), fold(line)[:20])])


@auditor("request_address")
def request_address(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    return _channel(evidence, "request_address",
                    ("địa chỉ tiếp nhận yêu cầu cung cấp thông tin qua mạng điện tử",
                     "electronic address for information requests"), accept_phone=False)


@auditor("complaint_channel")
def complaint_channel(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    return _channel(evidence, "complaint_channel",
                    ("địa chỉ tiếp nhận phản ánh, kiến nghị, khiếu nại, tố cáo",
                     "channel for feedback and complaints"), accept_phone=True)


# --- forms ---------------------------------------------------------------------------------------


def _form_codes(text: str) -> set[str]:
    return form_codes(fold(text))


@auditor("request_forms")
def request_forms(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    wanted = list(params.get("forms") or ["01a", "01b", "02", "03", "04", "05", "06"])
    if not evidence.section_pages:
        return _no_section("các mẫu phiếu", "request forms")
    found: dict[str, dict[str, Any]] = {}
    land_only = False
    for page in evidence.section_pages:
        for link in page.get("links") or []:
            # Link text, title and file name as words ("mau-so-01a.pdf" is "mau so 01a pdf").
            label = " ".join([slug_words(link.get("text", "")), slug_words(link.get("title", "")), url_words(link["url"])])
            if re.search(LAND_DATA_FORMS, fold(label)):
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
        return Outcome("pass", f"Có đủ {len(wanted)} mẫu phiếu: {', '.join(present)}.",
                       f"All {len(wanted)} forms are published: {', '.join(present)}.", proof, details)
    if present:
        return Outcome("partial", f"Có {len(present)}/{len(wanted)} mẫu phiếu; còn thiếu mẫu số {', '.join(missing)}.",
                       f"{len(present)} of {len(wanted)} forms are published; missing: {', '.join(missing)}.", proof, details)
    extra_vi = " Các phiếu yêu cầu cung cấp dữ liệu đất đai/đo đạc không phải mẫu theo Nghị định 13/2018." if land_only else ""
    extra_en = " Land or survey data request forms are not the Decree 13/2018 forms." if land_only else ""
    return Outcome("fail", "Chuyên mục không có mẫu phiếu nào (01a–06)." + extra_vi,
                   "The section publishes none of the forms 01a–06." + extra_en, details=details)


# --- guidance, downloads -------------------------------------------------------------------------
@auditor("guidance_published")
def guidance_published(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    if not evidence.section_pages:
        return _no_section("hướng dẫn cho người yêu cầu", "guidance")
    for page in evidence.section_pages:
        signal = _elements(page).get("guidance")
        if signal and signal["structural"]:
            return Outcome("pass", f"Có hướng dẫn: \"{signal['excerpt'][:100]}\".",
                           f"Guidance is published: \"{signal['excerpt'][:100]}\".",
                           [cite(page, page.get("text") or "", fold(signal["excerpt"])[:25])])
    for page in evidence.section_pages:
        signal = _elements(page).get("guidance")
        if signal:
            return Outcome("partial", "Chỉ có một câu nhắc đến hướng dẫn, không có mục hướng dẫn riêng.",
                           "Guidance is only mentioned in passing; there is no guidance block.",
                           [cite(page, page.get("text") or "", fold(signal["excerpt"])[:25])])
    return Outcome("fail", "Chuyên mục không có hướng dẫn khai thác, yêu cầu cung cấp thông tin.",
                   "The section gives no guidance on how to obtain information.")


@auditor("download_addresses")
def download_addresses(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    if not evidence.section_pages:
        return _no_section("địa chỉ tải thông tin", "download addresses")
    for page in evidence.section_pages[:1] + evidence.section_pages[1:]:
        for link in page.get("links") or []:
            if link.get("chrome"):
                continue
            label = fold(" ".join([link.get("text", ""), link.get("title", "")]))
            file_name = slug_words(link["url"].rsplit("/", 1)[-1])  # "Tải về" → mau-so-02.pdf is a form
            target = evidence.by_url.get(url_key(link["url"]))
            dead = target is not None and (target.get("status") or 0) >= 400
            if _PATTERNS["download"].search(label) and not FORM_CODE.search(label) and not FORM_CODE.search(file_name) \
                    and not dead:
                return Outcome("pass", f"Có địa chỉ tải thông tin: \"{link['text'][:80]}\" ({link['url']}).",
                               f"A download address is given: \"{link['text'][:80]}\" ({link['url']}).",
                               [{"url": link["url"], "excerpt": link.get("text", "")[:160],
                                 "fetched_at": page.get("fetched_at")}])
    for page in evidence.section_pages:
        for table in page.get("tables") or []:
            for row, links in zip(table.get("rows") or [], table.get("row_links") or [], strict=False):
                label = fold(" ".join(row))
                if links and _PATTERNS["download"].search(label) and not FORM_CODE.search(label) \
                        and not re.search(r"\bphieu\b|\bmau (so )?\d", label) and not FORM_CODE.search(slug_words(links[0])):
                    target = urljoin(page.get("final_url") or page["url"], links[0])
                    return Outcome("pass", f"Có địa chỉ tải thông tin: \"{' | '.join(row)[:100]}\" ({target}).",
                                   f"A download address is given: \"{' | '.join(row)[:100]}\" ({target}).",
                                   [{"url": target, "excerpt": " | ".join(row)[:160], "fetched_at": page.get("fetched_at")}])
    documents = [p for p in evidence.section_pages if p.get("kind") == "document"
                 and not re.search(r"\bmau (so )?\d|\bphieu\b", fold(p.get("title") or ""))
                 and not FORM_CODE.search(slug_words(p["url"].rsplit("/", 1)[-1]))
                 and (p.get("status") or 0) < 400 and p.get("status")]
    if documents:
        page = documents[0]
        return Outcome("pass", f"Chuyên mục có tệp tải về: {page['url']}.", f"The section offers files to download: {page['url']}.",
                       [cite(page)])
    return Outcome("fail", "Chuyên mục không có địa chỉ truy cập để tải thông tin.",
                   "The section gives no address to download information.")


# --- regulation ----------------------------------------------------------------------------------
@auditor("regulation_published")
def regulation_published(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    dead: list[str] = []
    for page in evidence.pages:
        if page.get("status") is None or page["status"] >= 400:
            if names_regulation(fold(page.get("title") or "")):
                dead.append(page["url"])
            continue
        if page.get("kind") == "document":
            head = [page.get("title") or ""] + _lines(page)[:8]
        else:
            head = [page.get("title") or ""] + _lines(page)[:4] + (page.get("structure") or [])[:3]
        listed = [t for t in head if t != (page.get("title") or "") and fold(t) in table_lines(page)]
        for text in head:
            folded = fold(text)
            if len(text) > 200:  # prose (e.g. a directive asking units to issue a regulation), not a title
                continue
            # A catalogue row naming the decision that issued the regulation is not the regulation.
            if names_regulation(folded) and text not in listed:
                readable = page.get("kind") != "document" or bool(page.get("text"))
                note_vi = "" if readable else " (tệp không đọc được bằng máy: " + (page.get("error") or "?") + ")"
                note_en = "" if readable else " (the file is not machine-readable: " + (page.get("error") or "?") + ")"
                return Outcome("pass", f"Có Quy chế: \"{text[:120]}\" tại {page.get('final_url') or page['url']}{note_vi}.",
                               f"The regulation is published: \"{text[:120]}\" at {page.get('final_url') or page['url']}{note_en}.",
                               [cite(page, page.get("text") or text, folded[:25])], {"readable": readable})
    if dead:
        return Outcome("fail", f"Liên kết tới Quy chế không mở được: {dead[0]}.",
                       f"The link to the regulation is dead: {dead[0]}.", details={"dead_link": dead[0], "criteria": ["published"]})
    return Outcome("fail", "Không tìm thấy Quy chế cung cấp thông tin trên cổng (\"Quy chế làm việc\", quy chế phát ngôn và cung "
                           "cấp thông tin cho báo chí là văn bản khác).",
                   "No regulation on providing information was found on the portal (the working rules and the press "
                   "regulation are different documents).", details={"criteria": ["published"], "searched": "portal"})
