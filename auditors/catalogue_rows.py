"""The disclosure catalogue row by row: its fields and its links."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from auditors.base import Bilingual, Outcome, Param, auditor, no_section, say
from auditors.catalogue import FIELD_NAMES, table_excerpt
from auditors.criteria import applies, refs
from auditors.evidence import Evidence, _key, cite
from auditors.views import catalogue_sources, catalogue_tables, column_fields
from core.markers import PLACEHOLDER
from core.vntext import fold

NO_CATALOGUE = ("Chuyên mục không có danh mục thông tin phải được công khai để xét.",
                 "The section has no disclosure catalogue to examine.")


@auditor("catalogue_fields", requires=("section_pages", "pages.tables"),
         params={"fields": Param("array", None, "the fields judged (default: all five)"),
         "min_share": Param("number", 0.9, "share of rows giving every field needed to pass")}, messages={
    "attached": ("Danh mục là tệp đính kèm không có bảng đọc được theo dòng; cần kiểm tra thủ công từng dòng có đủ các trường.",
                 "The catalogue is an attached file without a table readable row by row; an inspector must check each "
                 "row's fields."),
    "summary": ("{compliant}/{rows} dòng ghi đủ các trường ({share:.0%})", "{compliant} of {rows} rows give every field ({share:.0%})"),
    "no_column": ("Danh mục thiếu cột: {fields} ({law}); {summary}.", "The catalogue lacks the column(s): {fields} ({law}); {summary}."),
    "rows_short": ("Danh mục có đủ các cột nhưng chỉ {summary}; trường hay bị bỏ trống nhất: {weakest}.",
                   "The catalogue has every column but only {summary}; most often empty: {weakest}."),
    "complete": ("Danh mục có đủ {wanted} trường bắt buộc; {summary}.", "The catalogue has all {wanted} required fields; {summary}."),
})
def catalogue_fields(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Decree 13/2018 Điều 6 k3 fields, judged per row: the share of rows that give every field required
    on the audit date (the time, period and address of disclosure only while Law 104/2016 Điều 19 k1 g
    required them for every type of information; afterwards Decree 13 asks for them only "nếu có")."""
    wanted = [f for f in (params.get("fields") or FIELD_NAMES) if applies(params, f)]
    min_share = float(params.get("min_share", 0.9))
    if not evidence.section_pages:
        return no_section("danh mục thông tin phải được công khai", "disclosure catalogue")
    tables = catalogue_tables(evidence)
    if not tables:
        documents = [p for p, _ in catalogue_sources(evidence, "public_catalogue") if p.get("kind") == "document"]
        if documents:
            page = documents[0]
            return Outcome("manual", *say("catalogue_fields", "attached"), [cite(page)], {"source": page.get("url")})
        return Outcome("fail", *NO_CATALOGUE)
    page, table = tables[0]
    headers, rows = table.get("headers") or [], table.get("rows") or []
    columns = column_fields(headers)
    row_links = table.get("row_links") or []
    present = {f for fields in columns.values() for f in fields} | ({"address"} if any(row_links) else set())
    missing = [f for f in wanted if f not in present]
    counts = dict.fromkeys(wanted, 0)
    compliant = 0
    for index, row in enumerate(rows):
        filled = {f for col, fields in columns.items() if col < len(row) and row[col].strip() for f in fields}
        if index < len(row_links) and row_links[index]:
            filled.add("address")
        for f in wanted:
            counts[f] += f in filled
        compliant += all(f in filled for f in wanted)
    share = compliant / len(rows) if rows else 0.0
    details = {"fields": sorted(present & set(wanted)), "missing_fields": missing, "rows": len(rows),
               "compliant_rows": compliant, "share": round(share, 2), "per_field": counts, "source": page.get("url")}
    proof = [cite(page, table_excerpt(table))]
    summary = Bilingual(*say("catalogue_fields", "summary", compliant=compliant, rows=len(rows), share=share))
    details["criteria"] = wanted
    if missing:
        fields = Bilingual(", ".join(FIELD_NAMES[f][0] for f in missing), ", ".join(FIELD_NAMES[f][1] for f in missing))
        return Outcome("fail", *say("catalogue_fields", "no_column", fields=fields, law=Bilingual(*refs(params, *missing)), summary=summary),
                       proof, {**details, "criteria": missing})
    if not rows or share < min_share:
        weakest = min(counts, key=lambda f: counts[f]) if rows else wanted[0]
        return Outcome("partial", *say("catalogue_fields", "rows_short", summary=summary, weakest=Bilingual(*FIELD_NAMES[weakest])),
                       proof, details)
    return Outcome("pass", *say("catalogue_fields", "complete", wanted=len(wanted), summary=summary), proof, details)


_PLACEHOLDER = re.compile(PLACEHOLDER)


def _row_targets(evidence: Evidence) -> list[tuple[dict[str, Any], str, str]]:
    """(catalogue page, absolute link, row text) for every link in a catalogue's rows."""
    targets = []
    for page, table in catalogue_tables(evidence):
        base = page.get("final_url") or page["url"]
        for row, links in zip(table.get("rows") or [], table.get("row_links") or [], strict=False):
            for href in links or []:
                targets.append((page, urljoin(base, href), " | ".join(row)))
    return targets


def link_state(evidence: Evidence, url: str) -> str:
    """'ok', 'dead', 'placeholder' (a page that only says "đang cập nhật") or 'unchecked'."""
    page = evidence.by_url.get(_key(url))
    if page is None:
        return "unchecked"
    if page.get("status") is None or page["status"] >= 400:
        return "dead"
    if page.get("kind") == "document":
        return "ok" if (page.get("size") or 1) > 0 else "dead"
    body = fold(page.get("text") or "").replace(fold(page.get("title") or ""), " ")
    if len(body.strip()) < 400 and _PLACEHOLDER.search(body):
        return "placeholder"
    return "ok"


def _is_scan(page: dict[str, Any]) -> bool:
    return bool((page.get("signals") or {}).get("scanned") or (page.get("error") or "").startswith("no text layer"))


@auditor("catalogue_links", requires=("section_pages", "by_url", "pages.tables", "pages.signals.scanned"),
         params={"max_bad_share_partial": Param("number", 0.5, "largest share of broken links that is still partial")},
         messages={
    "scanned": ("Danh mục chỉ là bản quét (ảnh, không có lớp chữ): máy không đọc được địa chỉ truy cập in trong đó; "
                "cần kiểm tra thủ công.",
                "The catalogue is only a scanned image (no text layer): the machine cannot read the addresses printed "
                "in it; an inspector must check them."),
    "attached": ("Danh mục là tệp đính kèm: cần kiểm tra thủ công các đường dẫn trong tệp.",
                 "The catalogue is an attached file: an inspector must check the links inside it."),
    "no_links": ("Các dòng của danh mục không có đường dẫn tới thông tin hay tệp đính kèm.",
                 "No catalogue row links to the information or an attached file."),
    "unchecked": ("Chưa mở được đường dẫn nào trong {links} đường dẫn của danh mục; cần kiểm tra thủ công.",
                  "None of the catalogue's {links} links was fetched; an inspector must check them."),
    "all_work": ("{checked}/{checked} đường dẫn của danh mục mở được.", "All {checked} catalogue links checked work."),
    "broken": ("{bad}/{checked} đường dẫn của danh mục hỏng ({dead} không mở được, {placeholder} chỉ ghi \"đang cập nhật\"): "
               "{url}.",
               "{bad} of {checked} catalogue links are broken ({dead} dead, {placeholder} only say \"being updated\"): {url}."),
})
def catalogue_links(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Every catalogue row should lead somewhere real: not a 404, not a page that says only "đang cập nhật"."""
    if not evidence.section_pages:
        return no_section("danh mục thông tin phải được công khai", "disclosure catalogue")
    if not catalogue_tables(evidence):
        documents = [p for p, _ in catalogue_sources(evidence, "public_catalogue") if p.get("kind") == "document"]
        scans = [p for p in documents if _is_scan(p)]
        if scans:
            # An image has no links to follow, but an address printed in it is still an address, and the
            # decree allows the file itself to be attached: the inspector reads it.
            return Outcome("manual", *say("catalogue_links", "scanned"), [cite(scans[0])],
                           {"source": scans[0].get("url"), "scanned": True})
        if documents:
            return Outcome("manual", *say("catalogue_links", "attached"), [cite(documents[0])])
        return Outcome("fail", *NO_CATALOGUE)
    targets = _row_targets(evidence)
    if not targets:
        return Outcome("fail", *say("catalogue_links", "no_links"))
    states = [(page, url, row, link_state(evidence, url)) for page, url, row in targets]
    checked = [s for s in states if s[3] != "unchecked"]
    bad = [s for s in checked if s[3] != "ok"]
    details = {"links": len(states), "checked": len(checked), "dead": [s[1] for s in bad if s[3] == "dead"],
               "placeholder": [s[1] for s in bad if s[3] == "placeholder"]}
    proof = [{"url": url, "excerpt": f"{state}: {row[:140]}", "fetched_at": page.get("fetched_at")}
             for page, url, row, state in bad[:10]]
    if not checked:
        return Outcome("manual", *say("catalogue_links", "unchecked", links=len(states)), details=details)
    if not bad:
        return Outcome("pass", *say("catalogue_links", "all_work", checked=len(checked)), [cite(states[0][0])], details)
    status = "partial" if len(bad) / len(checked) <= float(params.get("max_bad_share_partial", 0.5)) else "fail"
    return Outcome(status, *say("catalogue_links", "broken", bad=len(bad), checked=len(checked), dead=len(details["dead"]),
                                placeholder=len(details["placeholder"]), url=bad[0][1]), proof, details)

