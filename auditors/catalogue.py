"""The catalogues of Decree 13/2018 Điều 6: published in the section, with their fields."""

from __future__ import annotations

from typing import Any

from auditors.base import Outcome, Param, auditor, lines, no_section
from auditors.criteria import refs
from auditors.evidence import Evidence, cite
from auditors.views import (
    PATTERNS,
    catalogue_sources,
    fields_in,
    table_assessment,
)
from crawler.urls import url_key
from tctt.vntext import fold

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


@auditor("catalogue_published", requires=("section_pages", "by_url", "pages.tables", "pages.links", "pages.structure", "pages.signals.document"),
         params={"kind": Param("string", "public_catalogue", "which catalogue", CATALOGUE_KINDS),
         "min_fields": Param("integer", 3, "catalogue fields needed to pass (0: published is enough)"),
         "absent": Param("string", "fail", "the status when the catalogue is missing", ("fail", "manual"))})
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
        return no_section(label[0], label[1])
    sources = catalogue_sources(evidence, kind)
    if not sources:
        linked = [(p, link) for p in evidence.section_pages for link in p.get("links") or []
                  if PATTERNS[kind].search(fold(link.get("text", "")))]
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

