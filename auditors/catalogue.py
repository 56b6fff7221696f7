"""The catalogues of Decree 13/2018 Điều 6: published in the section, with their fields."""

from __future__ import annotations

from typing import Any

from auditors.base import Bilingual, Outcome, Param, auditor, lines, no_section, say
from auditors.criteria import refs
from auditors.evidence import Evidence, cite
from auditors.views import (
    PATTERNS,
    catalogue_sources,
    fields_in,
    table_assessment,
)
from core.vntext import fold
from crawler.urls import url_key

CATALOGUE_KINDS = ("public_catalogue", "conditional_catalogue")
FIELD_NAMES = {"name": ("tên, số, ký hiệu", "name/number/symbol"), "date": ("ngày tạo ra", "date created"),
               "form": ("hình thức công khai", "form of disclosure"),
               "period": ("thời điểm, thời hạn công khai", "time and period of disclosure"),
               "address": ("địa chỉ truy cập/tệp đính kèm", "access address or attached file")}


def table_excerpt(table: dict[str, Any]) -> str:
    """The table as an inspector would quote it: caption, header row, first row."""
    parts = [table.get("caption") or table.get("heading") or "", " | ".join(table.get("headers") or [])]
    if table.get("rows"):
        parts.append(" | ".join(table["rows"][0]))
    return " — ".join(p for p in parts if p)


def _dead_catalogue_link(evidence: Evidence, kind: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(page, link) of a section link naming the catalogue whose target answered an error."""
    for page in evidence.section_pages:
        for link in page.get("links") or []:
            if not PATTERNS[kind].search(fold(link.get("text", ""))):
                continue
            target = evidence.by_url.get(url_key(link["url"]))
            if target is not None and (target.get("status") is None or target["status"] >= 400):
                return page, link
    return None


P = "catalogue_published"
LABELS = {"public_catalogue": ("danh mục thông tin phải được công khai", "disclosure catalogue"),
          "conditional_catalogue": ("danh mục thông tin được tiếp cận có điều kiện",
                                    "catalogue of conditionally accessible information")}
MESSAGES = {
    "no_section_verify": ("Không có Chuyên mục nên không thấy {label} trên cổng; cần thanh tra viên xác minh cơ quan đã "
                          "lập danh mục này.",
                          "No section was found, so no {label} is on the portal; an inspector must verify it was drawn up."),
    "dead_link": ("Chuyên mục có liên kết \"{text}\" nhưng không mở được trang/tệp {url}.",
                  "The section links to \"{text}\" but {url} could not be opened."),
    "absent_verify": ("Chuyên mục không đăng {label}; cần thanh tra viên xác minh cơ quan đã lập danh mục này ({law}).",
                      "The section does not post the {label}; an inspector must verify it was drawn up ({law})."),
    "absent": ("Chuyên mục không có {label}.", "The section has no {label}."),
    "unreadable": ("Có {label} dưới dạng tệp ({doc_type}) nhưng máy không đọc được nội dung ({reason}){scan_note}.",
                   "The {label} is published as a file ({doc_type}) whose content could not be read ({reason})."),
    "published": ("Có {label} ({rows} dòng){lacking}", "The {label} is published ({rows} rows){lacking}"),
    "lacking_columns": ("; còn thiếu cột: {fields}.", "; missing columns: {fields}."),
    "empty_rows": ("Có {label} nhưng các dòng đều trống.", "The {label} has headers but every row is empty."),
    "few_fields": ("Có {label} nhưng chỉ có {count}/5 trường của danh mục; thiếu: {fields} ({law}).",
                   "A {label} is published but has only {count} of the 5 catalogue fields; missing: {fields} ({law})."),
    "scan": ("Có {label} nhưng chỉ là bản quét ({kind}) không có lớp chữ: máy và trình đọc màn hình không đọc được (thông "
             "tin phải ở dạng đọc được bằng máy).",
             "The {label} is only a scanned image ({kind}) with no text layer: it is not machine-readable, and screen "
             "readers cannot read it either."),
    "ocr": (" Nhận dạng ký tự (OCR, độ tin cậy {confidence}%) đọc được {rows} dòng; cột: {fields}.",
            " OCR (confidence {confidence}%) read {rows} lines; columns: {fields}."),
    "no_columns": ("không có cột nào", "no column"),
    "no_ocr": (" Chưa nhận dạng ký tự (OCR): {reason}.", " No OCR: {reason}."),
}


def _field_names(names: list[str]) -> Bilingual:
    return Bilingual(", ".join(FIELD_NAMES[f][0] for f in names), ", ".join(FIELD_NAMES[f][1] for f in names))


@auditor("catalogue_published", requires=("section_pages", "by_url", "pages.tables", "pages.links", "pages.structure", "pages.signals.document"),
         params={"kind": Param("string", "public_catalogue", "which catalogue", CATALOGUE_KINDS),
         "min_fields": Param("integer", 3, "catalogue fields needed to pass (0: published is enough)"),
         "absent": Param("string", "fail", "the status when the catalogue is missing", ("fail", "manual"))}, messages=MESSAGES)
def catalogue_published(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    kind = params.get("kind", "public_catalogue")
    minimum = int(params.get("min_fields", 3))
    label = Bilingual(*LABELS["public_catalogue" if kind == "public_catalogue" else "conditional_catalogue"])
    absent = params.get("absent", "fail")  # "manual" where no law requires the catalogue published
    if not evidence.section_pages and absent == "manual":
        return Outcome("manual", *say(P, "no_section_verify", label=label))
    if not evidence.section_pages:
        return no_section(label.vi, label.en)
    sources = catalogue_sources(evidence, kind)
    if not sources:
        linked = [(p, link) for p in evidence.section_pages for link in p.get("links") or []
                  if PATTERNS[kind].search(fold(link.get("text", "")))]
        if linked:
            page, link = linked[0]
            return Outcome("fail", *say(P, "dead_link", text=link["text"][:80], url=link["url"]),
                           [cite(page, page.get('text') or '', fold(link['text'])[:30])], {"dead_link": link["url"]})
        if absent == "manual":
            return Outcome("manual", *say(P, "absent_verify", label=label, law=Bilingual(*refs(params))))
        return Outcome("fail", *say(P, "absent", label=label))
    best: tuple[int, int, dict[str, Any], set[str], int, str] | None = None
    for page, tables in sources:
        candidates: list[tuple[set[str], int, str]] = [(*table_assessment(t), table_excerpt(t)) for t in tables]
        # A document's text lines stand in for a table only when it has no table of its own.
        if page.get("kind") == "document" and page.get("text") and not tables:
            text_lines = lines(page)
            candidates.append((fields_in(text_lines[:40]), max(0, len(text_lines) - 3), " ".join(text_lines[:6])))
        for fields, rows, table_text in candidates or [(set(), 0, "")]:
            rank = (len(fields) if rows else 0, rows)
            if best is None or rank > best[:2]:
                best = (rank[0], rank[1], page, fields, rows, table_text)
    assert best is not None
    _, _, page, fields, rows, table_text = best
    dead = _dead_catalogue_link(evidence, kind) if not rows and not fields else None
    if dead:
        dead_page, link = dead
        return Outcome("fail", *say(P, "dead_link", text=link["text"][:80], url=link["url"]),
                       [cite(dead_page, dead_page.get('text') or '', fold(link['text'])[:30])], {"dead_link": link["url"]})
    missing = [f for f in FIELD_NAMES if f not in fields]
    details = {"fields": sorted(fields), "missing_fields": missing, "rows": rows, "source": page.get("url"),
               "document": page.get("kind") == "document"}
    proof = [cite(page, table_text or page.get("text") or "", "" if table_text else fold(label.vi)[:25])]
    scanned = (page.get("signals") or {}).get("scanned") or (page.get("error") or "").startswith("no text layer")
    if page.get("kind") == "document" and scanned:
        return _scanned_catalogue(page, label, fields, rows, proof, details)
    if page.get("kind") == "document" and not page.get("text"):
        doc_type = Bilingual(page.get("doc_type") or "không rõ định dạng", page.get("doc_type") or "unknown type")
        return Outcome("partial", *say(P, "unreadable", label=label, doc_type=doc_type,
                                       reason=page.get("error") or "không đọc được",
                                       scan_note=Bilingual("; bản quét không có lớp chữ" if scanned else "", "")),
                       proof, details)
    if minimum == 0 or (len(fields) >= minimum and rows > 0):
        lacking = Bilingual(*say(P, "lacking_columns", fields=_field_names(missing))) if missing and minimum else "."
        return Outcome("pass", *say(P, "published", label=label, rows=rows, lacking=lacking), proof, details)
    if rows == 0 and fields:
        return Outcome("partial", *say(P, "empty_rows", label=label), proof, details)
    return Outcome("partial", *say(P, "few_fields", label=label, count=len(fields), fields=_field_names(missing),
                                   law=Bilingual(*refs(params, "fields"))), proof, {**details, "criteria": ["fields"]})


def _scanned_catalogue(page: dict[str, Any], label: Bilingual, fields: set[str], rows: int,
                       proof: list[dict[str, Any]], details: dict[str, Any]) -> Outcome:
    """A scan has no text layer: not machine-readable (nor readable by screen readers) whatever OCR
    makes of it. The OCR result, when there is one, tells the inspector what the scan seems to hold."""
    ocr = (((page.get("signals") or {}).get("document") or {}).get("ocr")) or {}
    details.update(machine_readable=False, ocr=ocr)
    vi, en = say(P, "scan", label=label, kind=page.get("doc_type") or "pdf")
    if ocr.get("done") and page.get("text"):
        found = _field_names([f for f in FIELD_NAMES if f in fields])
        none_vi, none_en = say(P, "no_columns")
        extra = say(P, "ocr", confidence=ocr.get("confidence"), rows=rows,
                    fields=Bilingual(found.vi or none_vi, found.en or none_en))
    elif ocr.get("reason"):
        extra = say(P, "no_ocr", reason=ocr["reason"])
    else:
        extra = ("", "")
    return Outcome("partial", vi + extra[0], en + extra[1], proof, details)
