"""Auditors for the rest of the checklist (TCTT-03…40): catalogue rows, links, freshness and coverage,
the focal point's details, the regulation's contents, and the portal-level items.

Like ``auditors.checks`` these are pure functions of stored evidence; they register themselves by name.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from rapidfuzz import fuzz

from auditors.checks import (
    CATALOGUE_FIELDS,
    FIELD_NAMES,
    Outcome,
    _catalogue_sources,
    _find_blocks,
    _lines,
    _no_section,
    _table_assessment,
    _table_excerpt,
    auditor,
)
from auditors.criteria import applies, refs
from auditors.evidence import Evidence, _key, cite
from auditors.judgement import focal_reading, focal_text, mailto_addresses, table_lines
from tctt.markers import REGULATION_CONTENTS as _CONTENT_PATTERNS
from tctt.markers import SPOKESPERSON, names_regulation
from tctt.vntext import find_dates, find_emails, find_phones, fold

# --- catalogue -----------------------------------------------------------------------------------
_NO_CATALOGUE = ("Chuyên mục không có danh mục thông tin phải được công khai để xét.",
                 "The section has no disclosure catalogue to examine.")


def _catalogue_tables(evidence: Evidence) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(page, table) of every catalogue table, the most complete first."""
    found = [(page, table) for page, tables in _catalogue_sources(evidence, "public_catalogue") for table in tables]
    return sorted(found, key=lambda pt: [-len(_table_assessment(pt[1])[0]), -len(pt[1].get("rows") or [])])


def _column_fields(headers: list[str]) -> dict[int, set[str]]:
    return {index: {name for name, pattern in CATALOGUE_FIELDS.items() if pattern.search(fold(header))}
            for index, header in enumerate(headers)}


@auditor("catalogue_fields")
def catalogue_fields(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Decree 13/2018 Điều 6 k3 fields, judged per row: the share of rows that give every field required
    on the audit date (the time, period and address of disclosure only while Law 104/2016 Điều 19 k1 g
    required them for every type of information; afterwards Decree 13 asks for them only "nếu có")."""
    wanted = [f for f in (params.get("fields") or FIELD_NAMES) if applies(params, f)]
    min_share = float(params.get("min_share", 0.9))
    if not evidence.section_pages:
        return _no_section("danh mục thông tin phải được công khai", "disclosure catalogue")
    tables = _catalogue_tables(evidence)
    if not tables:
        documents = [p for p, _ in _catalogue_sources(evidence, "public_catalogue") if p.get("kind") == "document"]
        if documents:
            page = documents[0]
            return Outcome("manual", "Danh mục là tệp đính kèm không có bảng đọc được theo dòng; cần kiểm tra thủ công "
                                     "từng dòng có đủ các trường.",
                           "The catalogue is an attached file without a table readable row by row; an inspector must "
                           "check each row's fields.", [cite(page)], {"source": page.get("url")})
        return Outcome("fail", *_NO_CATALOGUE)
    page, table = tables[0]
    headers, rows = table.get("headers") or [], table.get("rows") or []
    columns = _column_fields(headers)
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
    proof = [cite(page, _table_excerpt(table))]
    summary_vi = f"{compliant}/{len(rows)} dòng ghi đủ các trường ({share:.0%})"
    summary_en = f"{compliant} of {len(rows)} rows give every field ({share:.0%})"
    details["criteria"] = wanted
    if missing:
        law_vi, law_en = refs(params, *missing)
        return Outcome("fail",
                       f"Danh mục thiếu cột: {', '.join(FIELD_NAMES[f][0] for f in missing)} ({law_vi}); {summary_vi}.",
                       f"The catalogue lacks the column(s): {', '.join(FIELD_NAMES[f][1] for f in missing)} ({law_en}); "
                       f"{summary_en}.", proof, {**details, "criteria": missing})
    if not rows or share < min_share:
        weakest = min(counts, key=lambda f: counts[f]) if rows else wanted[0]
        return Outcome("partial", f"Danh mục có đủ các cột nhưng chỉ {summary_vi}; trường hay bị bỏ trống nhất: "
                                  f"{FIELD_NAMES[weakest][0]}.",
                       f"The catalogue has every column but only {summary_en}; most often empty: {FIELD_NAMES[weakest][1]}.",
                       proof, details)
    return Outcome("pass", f"Danh mục có đủ {len(wanted)} trường bắt buộc; {summary_vi}.",
                   f"The catalogue has all {len(wanted)} required fields; {summary_en}.", proof, details)


_PLACEHOLDER = re.compile(r"dang (duoc )?cap nhat|chua co (du lieu|noi dung|thong tin)|noi dung dang duoc|coming soon")


def _row_targets(evidence: Evidence) -> list[tuple[dict[str, Any], str, str]]:
    """(catalogue page, absolute link, row text) for every link in a catalogue's rows."""
    targets = []
    for page, table in _catalogue_tables(evidence):
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


@auditor("catalogue_links")
def catalogue_links(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Every catalogue row should lead somewhere real: not a 404, not a page that says only "đang cập nhật"."""
    if not evidence.section_pages:
        return _no_section("danh mục thông tin phải được công khai", "disclosure catalogue")
    if not _catalogue_tables(evidence):
        documents = [p for p, _ in _catalogue_sources(evidence, "public_catalogue") if p.get("kind") == "document"]
        scans = [p for p in documents if _is_scan(p)]
        if scans:
            # An image has no links to follow, but an address printed in it is still an address, and the
            # decree allows the file itself to be attached: the inspector reads it.
            return Outcome("manual", "Danh mục chỉ là bản quét (ảnh, không có lớp chữ): máy không đọc được địa chỉ "
                                     "truy cập in trong đó; cần kiểm tra thủ công.",
                           "The catalogue is only a scanned image (no text layer): the machine cannot read the "
                           "addresses printed in it; an inspector must check them.", [cite(scans[0])],
                           {"source": scans[0].get("url"), "scanned": True})
        if documents:
            return Outcome("manual", "Danh mục là tệp đính kèm: cần kiểm tra thủ công các đường dẫn trong tệp.",
                           "The catalogue is an attached file: an inspector must check the links inside it.",
                           [cite(documents[0])])
        return Outcome("fail", *_NO_CATALOGUE)
    targets = _row_targets(evidence)
    if not targets:
        return Outcome("fail", "Các dòng của danh mục không có đường dẫn tới thông tin hay tệp đính kèm.",
                       "No catalogue row links to the information or an attached file.")
    states = [(page, url, row, link_state(evidence, url)) for page, url, row in targets]
    checked = [s for s in states if s[3] != "unchecked"]
    bad = [s for s in checked if s[3] != "ok"]
    details = {"links": len(states), "checked": len(checked), "dead": [s[1] for s in bad if s[3] == "dead"],
               "placeholder": [s[1] for s in bad if s[3] == "placeholder"]}
    proof = [{"url": url, "excerpt": f"{state}: {row[:140]}", "fetched_at": page.get("fetched_at")}
             for page, url, row, state in bad[:10]]
    if not checked:
        return Outcome("manual", f"Chưa mở được đường dẫn nào trong {len(states)} đường dẫn của danh mục; cần kiểm tra thủ công.",
                       f"None of the catalogue's {len(states)} links was fetched; an inspector must check them.",
                       details=details)
    if not bad:
        return Outcome("pass", f"{len(checked)}/{len(checked)} đường dẫn của danh mục mở được.",
                       f"All {len(checked)} catalogue links checked work.", [cite(states[0][0])], details)
    text_vi = (f"{len(bad)}/{len(checked)} đường dẫn của danh mục hỏng ({len(details['dead'])} không mở được, "
               f"{len(details['placeholder'])} chỉ ghi \"đang cập nhật\"): {bad[0][1]}")
    text_en = (f"{len(bad)} of {len(checked)} catalogue links are broken ({len(details['dead'])} dead, "
               f"{len(details['placeholder'])} only say \"being updated\"): {bad[0][1]}")
    status = "partial" if len(bad) / len(checked) <= float(params.get("max_bad_share_partial", 0.5)) else "fail"
    return Outcome(status, text_vi + ".", text_en + ".", proof, details)


def _http_date(value: str | None) -> date | None:
    try:
        return parsedate_to_datetime(value).date() if value else None
    except (TypeError, ValueError, IndexError):
        return None


def _declared_date(page: dict[str, Any]) -> date | None:
    value = ((page.get("signals") or {}).get("page") or {}).get("date")
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@auditor("catalogue_freshness")
def catalogue_freshness(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """The newest sign of life of the catalogue: row dates, the page's own date, Last-Modified."""
    max_age = int(params.get("max_age_days", 365))
    if not evidence.section_pages:
        return _no_section("danh mục thông tin phải được công khai", "disclosure catalogue")
    sources = _catalogue_sources(evidence, "public_catalogue")
    if not sources:
        return Outcome("fail", *_NO_CATALOGUE)
    dated: list[tuple[date, str, dict[str, Any]]] = []
    for page, tables in sources:
        for table in tables:
            for row in table.get("rows") or []:
                dated += [(d, "dòng/row", page) for d in find_dates(" ".join(row))]
        for line in _lines(page):
            if re.search(r"cap nhat|ngay dang|dang ngay|ngay tao", fold(line)):
                dated += [(d, "trang/page", page) for d in find_dates(line)]
        modified = _http_date(page.get("last_modified"))
        if modified:
            dated.append((modified, "Last-Modified", page))
        declared = _declared_date(page)  # meta, JSON-LD, <time> (crawler.pagedate)
        if declared:
            dated.append((declared, "meta/JSON-LD/<time>", page))
    dated = [d for d in dated if d[0] <= evidence.audit_date]
    if not dated:
        return Outcome("manual", "Danh mục không ghi ngày nào (dòng, ngày cập nhật, Last-Modified); cần kiểm tra thủ công.",
                       "The catalogue carries no date (rows, update date, Last-Modified); an inspector must check it.",
                       [cite(sources[0][0])])
    newest, where, page = max(dated, key=lambda d: d[0])
    age = (evidence.audit_date - newest).days
    details = {"newest": newest.isoformat(), "source": where, "age_days": age, "max_age_days": max_age}
    proof = [cite(page, page.get("text") or "", "")]
    if age <= max_age:
        return Outcome("pass", f"Danh mục được cập nhật: ngày mới nhất {newest:%d/%m/%Y} ({where}), cách {age} ngày.",
                       f"The catalogue is current: newest date {newest:%d/%m/%Y} ({where}), {age} days old.", proof, details)
    status = "partial" if age <= 2 * max_age else "fail"
    return Outcome(status, f"Danh mục không được cập nhật: ngày mới nhất {newest:%d/%m/%Y} ({where}), đã {age} ngày "
                           f"(ngưỡng {max_age} ngày).",
                   f"The catalogue is stale: newest date {newest:%d/%m/%Y} ({where}), {age} days old "
                   f"(threshold {max_age} days).", proof, details)


def _matches(keyword: str, texts: list[str], threshold: float) -> str | None:
    for text in texts:
        if keyword in text or (len(text) >= len(keyword) and fuzz.partial_ratio(keyword, text) >= threshold):
            return text
    return None


@auditor("catalogue_coverage")
def catalogue_coverage(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Which categories of Law Điều 17 k1 / Điều 19 k1 the catalogue's rows and linked titles cover.

    Each category in ``params.categories`` is a criterion of the rule: it is required while one of its
    bases is in force, and its label cites those bases. A category marked ``transitional`` (information
    first required by Law 01/2026/QH16, Điều 31 k3) is reported as in transition until ``params.transition.to``.
    """
    threshold = float(params.get("threshold", 90))
    day = evidence.audit_date.isoformat()
    if not evidence.section_pages:
        return _no_section("danh mục thông tin phải được công khai", "disclosure catalogue")
    sources = _catalogue_sources(evidence, "public_catalogue")
    if not sources:
        return Outcome("fail", *_NO_CATALOGUE)
    texts: list[str] = []
    for page, tables in sources:
        base = page.get("final_url") or page["url"]
        for table in tables:
            texts += [fold(" ".join(row)) for row in table.get("rows") or []]
            for links in table.get("row_links") or []:
                for href in links or []:
                    target = evidence.by_url.get(_key(urljoin(base, href)))
                    if target is not None:
                        texts.append(fold(target.get("title") or ""))
        if not tables:  # a tree of category links stands in for rows; a table's page has menus besides
            texts += [fold(link.get("text", "")) for link in page.get("links") or [] if not link.get("chrome")]
        if page.get("kind") == "document":
            texts += [fold(line) for line in _lines(page)]
    texts = [t for t in texts if t.strip()]
    grace = params.get("transition") or {}
    required, covered, firm_missing, transitional = [], [], [], []
    for category in params.get("categories") or []:
        if not applies(params, category["id"]):
            continue
        required.append(category["id"])
        hit = next((m for k in category["keywords"] if (m := _matches(fold(k), texts, threshold))), None)
        if hit:
            covered.append(category["id"])
        elif category.get("transitional") and grace and grace["from"] <= day <= grace["to"]:
            transitional.append(category)
        else:
            firm_missing.append(category)
    details = {"required": required, "covered": covered, "missing": [c["id"] for c in firm_missing],
               "transitional": [c["id"] for c in transitional]}
    details["criteria"] = [c["id"] for c in firm_missing + transitional] or required
    proof = [cite(sources[0][0])]

    def named(categories: list[dict[str, Any]], lang: int) -> str:
        return ", ".join(f"{c['vi' if lang == 0 else 'en']} ({refs(params, c['id'])[lang]})" for c in categories)

    names_vi, names_en = named(firm_missing, 0), named(firm_missing, 1)
    until = date.fromisoformat(grace["to"]) if grace else None
    note_vi = (f" Chưa có, trong thời gian chuyển tiếp đến hết ngày {until.day:02d}/{until.month}/{until.year} "
               f"({grace['basis']['vi']}): {named(transitional, 0)}." if transitional and until else "")
    note_en = (f" Not yet listed, within the transition period until the end of {until:%d/%m/%Y} "
               f"({grace['basis']['en']}): {named(transitional, 1)}." if transitional and until else "")
    head_vi = f"Danh mục bao quát {len(covered)}/{len(required)} nhóm thông tin phải công khai"
    head_en = f"The catalogue covers {len(covered)} of {len(required)} required categories"
    if not firm_missing:
        status = "transition" if transitional else "pass"
        return Outcome(status, head_vi + "." + note_vi, head_en + "." + note_en, proof, details)
    firm_total = len(required) - len(transitional)
    share = (firm_total - len(firm_missing)) / firm_total if firm_total else 0.0
    status = "partial" if share >= float(params.get("partial_share", 0.5)) else "fail"
    return Outcome(status, f"{head_vi}; còn thiếu: {names_vi}.{note_vi}", f"{head_en}; missing: {names_en}.{note_en}",
                   proof, details)


# --- focal point ---------------------------------------------------------------------------------
_NAME = re.compile(r"\b(ong|ba|chi|anh|dong chi|d/c|ho (va )?ten)\b[\s:.]+[a-z]")
_POSITION = re.compile(r"chuyen vien|truong phong|pho truong|chanh van phong|pho chanh|giam doc|cong chuc|chuc vu"
                       r"|can bo|van thu|thu ky|chuyen trach")
_EXTENSION = re.compile(r"(?:may le|ext\.?|\bml)\s*:?\s*(\d{1,5})\b")
_UNIT = re.compile(r"\bphong\b|van phong|\bban\b|bo phan|don vi|trung tam|\bso\b|ubnd|uy ban")
# A postal address: "Địa chỉ: …", "số 5 đường Lê Lợi", "18 Trần Phú, phường …".
_ADDRESS = re.compile(r"\bdia chi\b\s*(tru so|lien he|lien lac)?\s*:?\s*(so |\d)|\b(so )?\d+[a-z]?,? (duong|pho|ngo|hem|dai lo)\b"
                      r"|\b(duong|pho) [a-z]+( [a-z]+)?,? (phuong|xa|thi tran|quan|tp|thanh pho|tinh)\b")
_SPOKESPERSON = re.compile(SPOKESPERSON)
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
        contact = page.get("kind") == "home" or re.search(r"\blien he\b|\bcontact\b", fold(page.get("title") or ""))
        if contact and (page.get("status") or 0) < 400 and any(
                re.search(r"\bdia chi\b", fold(line)) and _ADDRESS.search(fold(line)) for line in _lines(page)):
            return page.get("final_url") or page.get("url")
    return None


def _focal_blocks(evidence: Evidence) -> tuple[list[tuple[dict[str, Any], list[str], str]], bool]:
    """Focal-point blocks in the section, else anywhere on the portal (a "Liên hệ" page): the law asks
    for the contacts to be published, not for them to sit in the section. True when found in the section."""
    def blocks_of(pages: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[str], str]]:
        return [b for b in _find_blocks(pages, "focal_point") if not _SPOKESPERSON.search(fold(" ".join(b[1])))]

    inside = blocks_of(evidence.section_pages)
    if inside:
        return inside, True
    return blocks_of([p for p in evidence.pages if p.get("status") and p["status"] < 400]), False


@auditor("focal_point_details")
def focal_point_details(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """The focal point's details as text under its heading, as far as the bases in force require them:
    the agency's or focal unit's name, address, phone and e-mail (Law 104/2016 Điều 17 k1 m, Điều 19 k1 đ;
    Law 01/2026 Điều 17 k1 u), and while Decree 42/2022 was in force the official's name, position and an
    official e-mail. No phone or e-mail fails; any other missing detail is partial."""
    blocks, in_section = _focal_blocks(evidence)
    if not blocks:
        law_vi, law_en = refs(params, "contacts")
        where_vi = "Chuyên mục và các trang đã thu thập" if evidence.section_pages else "các trang đã thu thập (không có Chuyên mục)"
        where_en = "the section and the pages gathered" if evidence.section_pages else "the pages gathered (no section was found)"
        return Outcome("fail", f"Không thấy thông tin về đầu mối cung cấp thông tin trong {where_vi} ({law_vi}).",
                       f"No focal point for providing information is named in {where_en} ({law_en}).",
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

    def said(keys: list[str], lang: int) -> str:
        return ", ".join(_FOCAL_LABELS[k][lang] for k in keys)

    def law(keys: list[str], lang: int) -> str:
        return refs(params, *dict.fromkeys(_FOCAL_CRITERIA[k] for k in keys))[lang]

    where_vi = "" if in_section else " (tìm thấy ngoài Chuyên mục)"
    where_en = "" if in_section else " (found outside the section)"
    if required:
        return Outcome("fail", f"Đầu mối cung cấp thông tin{where_vi} không có {said(required, 0)} ({law(required, 0)})"
                               + (f"; cũng thiếu {said(others, 0)}" if others else "") + ".",
                       f"The focal point{where_en} has no {said(required, 1)} ({law(required, 1)})"
                       + (f"; also missing: {said(others, 1)}" if others else "") + ".", proof,
                       {**details, "criteria": list(dict.fromkeys(_FOCAL_CRITERIA[k] for k in required + others))})
    if others:
        extra_vi = f" (thư điện tử {found['email'][0]} không thuộc .gov.vn)" if "official_email" in others else ""
        extra_en = f" (e-mail {found['email'][0]} is not under .gov.vn)" if "official_email" in others else ""
        return Outcome("partial", f"Đầu mối{where_vi} có điện thoại và thư điện tử nhưng thiếu {said(others, 0)}{extra_vi} "
                                  f"({law(others, 0)}).",
                       f"The focal point{where_en} has phone and e-mail but lacks {said(others, 1)}{extra_en} "
                       f"({law(others, 1)}).", proof,
                       {**details, "criteria": list(dict.fromkeys(_FOCAL_CRITERIA[k] for k in others))})
    phone = found["phone"][0] + (f" máy lẻ {found['extension'][0]}" if found["extension"] else "")
    email = (found["official_email"] or found["email"])[0]
    given_vi = said([k for k in wanted if k not in ("phone", "email", "official_email")], 0)
    given_en = said([k for k in wanted if k not in ("phone", "email", "official_email")], 1)
    return Outcome("pass", f"Đầu mối{where_vi} có đủ {given_vi + ', ' if given_vi else ''}điện thoại {phone} và thư điện tử {email}.",
                   f"The focal point{where_en} gives {given_en + ', ' if given_en else ''}phone {phone} and e-mail {email}.",
                   proof, details)


# --- the internal regulation's contents ----------------------------------------------------------
_CONTENT_NAMES = {"focal_point": ("đầu mối cung cấp thông tin", "the focal point"),
                  "transfer": ("việc chuyển giao thông tin", "transfer of information"),
                  "classification": ("việc phân loại thông tin", "classification of information"),
                  "updating": ("việc cập nhật thông tin", "updating information"),
                  "procedure": ("trình tự, thủ tục xử lý yêu cầu cung cấp thông tin", "the procedure for handling requests")}
REGULATION_CONTENTS = {key: (re.compile(_CONTENT_PATTERNS[key]), *names) for key, names in _CONTENT_NAMES.items()}


def regulation_texts(evidence: Evidence) -> list[dict[str, Any]]:
    """Pages and documents that are the regulation (named in their title or opening), readable first."""
    found = []
    for page in evidence.pages:
        if page.get("status") is None or page["status"] >= 400:
            continue
        head = [page.get("title") or ""] + _lines(page)[:8 if page.get("kind") == "document" else 4] + \
               (list(page.get("structure") or [])[:3] if page.get("kind") != "document" else [])
        rows = table_lines(page)  # a catalogue row naming the issuing decision is not the regulation
        # The same reading as the regulation rule: one vocabulary (tctt.markers), titles not prose.
        if any(len(t) <= 200 and names_regulation(fold(t))
               and (t == (page.get("title") or "") or fold(t) not in rows) for t in head):
            found.append(page)
    return sorted(found, key=lambda p: -len(p.get("text") or ""))


@auditor("regulation_contents")
def regulation_contents(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """The regulation's five contents, read from its text (page or document), while a basis in force lists
    them (Law 104/2016 Điều 34 k1 h, until 31/8/2026). All five pass; three or four are partial."""
    pages = regulation_texts(evidence)
    if not pages:
        return Outcome("not_applicable", "Không tìm thấy Quy chế nên không xét được nội dung (xem tiêu chí về Quy chế).",
                       "No regulation was found, so its contents cannot be examined (see the regulation rule).")
    readable = [p for p in pages if len(p.get("text") or "") > 200]
    if not readable:
        page = pages[0]
        return Outcome("manual", f"Có Quy chế nhưng máy không đọc được nội dung ({page.get('error') or 'không có chữ'}); "
                                 "cần kiểm tra thủ công năm nội dung bắt buộc.",
                       f"The regulation is published but its text cannot be read ({page.get('error') or 'no text'}); "
                       "an inspector must check its five required contents.", [cite(page)])
    page = readable[0]
    body = fold(page.get("text") or "")
    present = [k for k, (pattern, _, _) in REGULATION_CONTENTS.items() if pattern.search(body)]
    missing = [k for k in REGULATION_CONTENTS if k not in present]
    details = {"present": present, "missing": missing, "source": page.get("final_url") or page.get("url")}
    proof = [cite(page, page.get("text") or "", "quy che")]
    details["criteria"] = ["five_contents"]
    if not missing:
        return Outcome("pass", "Quy chế có đủ năm nội dung: đầu mối, chuyển giao, phân loại, cập nhật thông tin và trình tự "
                               "xử lý yêu cầu.",
                       "The regulation has all five contents: focal point, transfer, classification, updating and the "
                       "request procedure.", proof, details)
    law_vi, law_en = refs(params, "five_contents")
    status = "partial" if len(present) >= int(params.get("partial_min", 3)) else "fail"
    return Outcome(status, f"Quy chế thiếu: {', '.join(REGULATION_CONTENTS[k][1] for k in missing)} ({law_vi}).",
                   f"The regulation lacks: {', '.join(REGULATION_CONTENTS[k][2] for k in missing)} ({law_en}).", proof, details)


# --- portal-level items --------------------------------------------------------------------------
def _scope(evidence: Evidence, scope: str) -> list[dict[str, Any]]:
    if scope == "section":
        return evidence.section_pages
    if scope == "home":
        return [p for p in evidence.pages if p.get("kind") == "home"][:1] or evidence.pages[:1]
    return [p for p in evidence.pages if p.get("status") and p["status"] < 400]


_URL_SEPARATORS = re.compile(r"[-/_.]+")


@functools.lru_cache(maxsize=1 << 16)  # the same link is looked at once per marker (re-score profile)
def _url_words(url: str) -> str:
    parts = urlsplit(url)
    return _URL_SEPARATORS.sub(" ", f"{parts.netloc} {parts.path}")


def _marker_hits(pages: list[dict[str, Any]], pattern: re.Pattern[str], where: list[str],
                 exclude: re.Pattern[str] | None = None) -> list[tuple[dict[str, Any], str, str]]:
    """(page, matched text, url) for every place ``pattern`` matches (and ``exclude`` does not), in page order."""
    hits = []

    def match(text: str) -> bool:
        folded = fold(text)
        return bool(pattern.search(folded)) and not (exclude and exclude.search(folded))

    for page in pages:
        if page.get("kind") == "document" and "text" not in where:
            continue  # a document's opening lines are its content, not the portal's navigation
        if "links" in where:
            for link in page.get("links") or []:
                label = " ".join([link.get("text", ""), link.get("title", ""), link.get("img_alt", ""),
                                  _url_words(link["url"])])
                if match(label):
                    hits.append((page, (link.get("text") or link.get("title") or link["url"])[:160], link["url"]))
        texts = ([page.get("title") or ""] if "title" in where else []) + \
                (list(page.get("structure") or []) if "structure" in where else []) + \
                (_lines(page) if "text" in where else [])
        for text in texts:
            if match(text):
                hits.append((page, text[:160], page.get("final_url") or page["url"]))
                break
    return hits


@auditor("portal_markers")
def portal_markers(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Named markers (folded regular expressions) looked for in links, headings or text of the portal.

    params: ``markers`` {key: {pattern, vi, en, exclude?, criterion?}}; ``scope`` portal|section|home;
    ``where`` (links, structure, title, text); ``min`` markers needed to pass (default all); ``absent``
    the status when none is found (fail, or manual when absence proves nothing); ``resolve`` only links
    that were fetched and answered count. A marker naming a ``criterion`` of the rule is looked for only
    while that criterion has a basis in force for the agency's level; ``exclude`` rejects look-alikes
    (a visitor counter is not statistics).
    """
    every = params["markers"]
    markers: dict[str, dict[str, str]] = {k: m for k, m in every.items()
                                          if not m.get("criterion") or applies(params, m["criterion"])}
    scope = params.get("scope", "portal")
    pages = _scope(evidence, scope)
    where = list(params.get("where") or ["links", "structure", "title"])
    needed = min(int(params.get("min", len(every))), len(markers))
    judged = list(dict.fromkeys(m["criterion"] for m in markers.values() if m.get("criterion")))
    if scope == "section" and not evidence.section_pages:
        return Outcome(params.get("absent", "fail"),
                       "Không tìm thấy Chuyên mục tiếp cận thông tin, nên không có: "
                       f"{', '.join(m['vi'] for m in markers.values())} trong Chuyên mục.",
                       "No access-to-information section was found, so it holds none of: "
                       f"{', '.join(m['en'] for m in markers.values())}.", details={"no_section": True, "criteria": ["in_section"]})
    found: dict[str, tuple[dict[str, Any], str, str]] = {}
    unresolved: list[str] = []
    for key, marker in markers.items():
        exclude = re.compile(marker["exclude"]) if marker.get("exclude") else None
        for page, text, url in _marker_hits(pages, re.compile(marker["pattern"]), where, exclude):
            if params.get("resolve") and url != (page.get("final_url") or page["url"]):
                state = link_state(evidence, url)
                if state != "ok":
                    unresolved.append(f"{url} ({state})")
                    continue
            found[key] = (page, text, url)
            break
    present = [k for k in markers if k in found]
    missing = [k for k in markers if k not in found]
    details = {"present": present, "missing": missing, "unresolved": unresolved[:10]}
    lacking_required = [k for k in params.get("required") or [] if k in markers and k not in found]
    if judged:
        details["criteria"] = judged if len(present) >= needed and not lacking_required else \
            list(dict.fromkeys(markers[k]["criterion"] for k in missing if markers[k].get("criterion"))) or judged
    proof = [{"url": url, "excerpt": text, "fetched_at": page.get("fetched_at")} for page, text, url in
             (found[k] for k in present)]
    have_vi = ", ".join(markers[k]["vi"] for k in present)
    have_en = ", ".join(markers[k]["en"] for k in present)
    lack_vi = ", ".join(markers[k]["vi"] for k in missing)
    lack_en = ", ".join(markers[k]["en"] for k in missing)
    if len(present) >= needed and not lacking_required:
        return Outcome("pass", f"Có: {have_vi}." + (f" Chưa thấy: {lack_vi}." if missing else ""),
                       f"Found: {have_en}." + (f" Not seen: {lack_en}." if missing else ""), proof, details)
    if present:
        return Outcome("partial", f"Chỉ có: {have_vi}; chưa thấy: {lack_vi}.", f"Only: {have_en}; not seen: {lack_en}.",
                       proof, details)
    extra_vi = f" Liên kết không mở được hoặc chưa được thu thập: {'; '.join(unresolved[:3])}." if unresolved else ""
    extra_en = f" Links dead or not fetched: {'; '.join(unresolved[:3])}." if unresolved else ""
    absent = params.get("absent", "fail")
    where_vi, where_en = ("trong Chuyên mục", "in the section") if scope == "section" else ("trên cổng", "on the portal")
    if absent == "manual":
        return Outcome("manual", f"Không thấy {where_vi}: {lack_vi}; cần thanh tra viên xác minh.{extra_vi}",
                       f"Not seen {where_en}: {lack_en}; an inspector must verify.{extra_en}", details=details)
    return Outcome(absent, f"Không thấy {where_vi}: {lack_vi}.{extra_vi}", f"Not seen {where_en}: {lack_en}.{extra_en}",
                   details=details)


def _features(page: dict[str, Any]) -> dict[str, Any] | None:
    return (page.get("signals") or {}).get("page")


@auditor("mobile_viewport")
def mobile_viewport(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    [home] = _scope(evidence, "home") or [None]
    features = _features(home) if home else None
    if features is None:
        return Outcome("manual", "Lượt thu thập này không ghi thẻ viewport của trang chủ; cần kiểm tra trên điện thoại.",
                       "This crawl did not record the home page's viewport tag; check on a phone.")
    viewport = features.get("viewport") or ""
    proof = [{"url": home.get("final_url") or home["url"], "excerpt": f'<meta name="viewport" content="{viewport}">'
              if viewport else "(không có thẻ viewport / no viewport tag)", "fetched_at": home.get("fetched_at")}]
    if "device-width" in viewport.replace(" ", ""):
        return Outcome("pass", f"Trang chủ khai báo hiển thị trên thiết bị di động (viewport \"{viewport}\").",
                       f"The home page declares a mobile viewport (\"{viewport}\").", proof, {"viewport": viewport})
    if viewport:
        return Outcome("partial", f"Trang chủ có thẻ viewport nhưng không theo chiều rộng thiết bị (\"{viewport}\").",
                       f"The home page has a viewport tag not tied to the device width (\"{viewport}\").", proof)
    return Outcome("fail", "Trang chủ không có thẻ viewport: cổng không tương thích thiết bị di động.",
                   "The home page has no viewport tag: the portal is not built for mobile devices.", proof)


@auditor("site_search")
def site_search(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    [home] = _scope(evidence, "home") or [None]
    features = (_features(home) if home else None) or {}
    if home is not None and features.get("search_form"):
        return Outcome("pass", "Trang chủ có ô tìm kiếm.", "The home page has a search box.", [cite(home)])
    hits = _marker_hits(_scope(evidence, "home"), re.compile(r"tim kiem|tra cuu|search"), ["links", "structure"])
    if hits:
        page, text, url = hits[0]
        return Outcome("partial", f"Có liên kết tìm kiếm \"{text}\" nhưng không thấy ô tìm kiếm trên trang chủ.",
                       f"A search link \"{text}\" exists but the home page has no search box.",
                       [{"url": url, "excerpt": text, "fetched_at": page.get("fetched_at")}])
    return Outcome("fail", "Trang chủ không có chức năng tìm kiếm.", "The home page offers no site search.")


@auditor("accessibility_aids")
def accessibility_aids(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Visible aids (text size, contrast, support for the blind) and alt text on images; not a WCAG audit."""
    min_alt = float(params.get("min_alt_share", 0.9))
    pages = _scope(evidence, "portal")
    hits = _marker_hits(pages[:5], re.compile(r"nguoi khuyet tat|khiem thi|co chu|tang co|giam co|tuong phan|doc trang"
                                              r"|ho tro tiep can|accessib"), ["links", "structure", "text"])
    images = with_alt = 0
    for page in pages:
        features = _features(page) or {}
        images += int(features.get("images") or 0)
        with_alt += int(features.get("images_with_alt") or 0)
    share = with_alt / images if images else 1.0
    details = {"aids": [h[1] for h in hits[:5]], "images": images, "images_with_alt": with_alt}
    proof = [{"url": url, "excerpt": text, "fetched_at": page.get("fetched_at")} for page, text, url in hits[:3]]
    alt_vi = f"{with_alt}/{images} ảnh có mô tả thay thế (alt)"
    alt_en = f"{with_alt} of {images} images have alt text"
    if hits and share >= min_alt:
        return Outcome("pass", f"Có công cụ hỗ trợ người khuyết tật (\"{hits[0][1]}\"); {alt_vi}.",
                       f"Accessibility aids are offered (\"{hits[0][1]}\"); {alt_en}.", proof, details)
    if hits or (images and share >= min_alt):
        return Outcome("partial", f"Hỗ trợ người khuyết tật chưa đủ: {'có' if hits else 'không có'} công cụ hỗ trợ; {alt_vi}.",
                       f"Accessibility support is incomplete: aids {'offered' if hits else 'absent'}; {alt_en}.",
                       proof, details)
    return Outcome("fail", f"Không có công cụ hỗ trợ người khuyết tật; {alt_vi}.",
                   f"No accessibility aids are offered; {alt_en}.", proof, details)


@auditor("english_pages")
def english_pages(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    pattern = re.compile(r"^(english|tieng anh|en|eng)$")
    for page in evidence.pages:
        for link in page.get("links") or []:
            path = urlsplit(link["url"]).path.lower()
            if pattern.match(fold(link.get("text", "")).strip()) or re.search(r"^/(en|eng|english)(/|$)", path):
                return Outcome("pass", f"Có phiên bản tiếng Anh: {link['url']}.", f"An English version is linked: {link['url']}.",
                               [{"url": link["url"], "excerpt": link.get("text", "")[:160], "fetched_at": page.get("fetched_at")}])
        if ((_features(page) or {}).get("lang") or "").lower().startswith("en"):
            return Outcome("pass", f"Có trang tiếng Anh: {page['url']}.", f"An English page exists: {page['url']}.", [cite(page)])
    return Outcome("fail", "Cổng không có trang tiếng Anh về cơ cấu, chức năng và liên hệ.",
                   "The portal has no English pages on its structure, functions and contacts.")


_IP_HOST = re.compile(r"^[\d.]+$|:")


@auditor("gov_domain")
def gov_domain(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    host = (urlsplit(evidence.agency.get("url") or "").hostname or "").lower()
    proof = [{"url": evidence.agency.get("url"), "excerpt": host, "fetched_at": None}]
    if not host or _IP_HOST.search(host):
        return Outcome("manual", f"Sổ đăng ký ghi địa chỉ IP ({host or '?'}), không phải tên miền; cần kiểm tra tên miền và IPv6.",
                       f"The registry gives an IP address ({host or '?'}), not a domain; check the domain and IPv6 by hand.",
                       proof)
    if host.endswith(".gov.vn"):
        # Decree 224/2026 Điều 11 k4: ministries and provinces use a third-level name (x.gov.vn), their
        # units, provincial departments and communes a fourth-level one (x.y.gov.vn).
        labels = len(host.removeprefix("www.").split("."))
        expected = {"ministry": 3, "province": 3, "department": 4, "commune": 4}.get(params.get("_level") or "")
        details = {"host": host, "labels": labels, "expected_labels": expected}
        if expected and labels != expected:
            shape = "tên miền cấp 3 (x.gov.vn)" if expected == 3 else "tên miền cấp 4 (x.tentinh.gov.vn)"
            shape_en = "a third-level name (x.gov.vn)" if expected == 3 else "a fourth-level name (x.province.gov.vn)"
            return Outcome("partial", f"Cổng dùng tên miền {host} (.gov.vn) nhưng không theo dạng {shape} dành cho cấp "
                                      f"của cơ quan ({refs(params)[0]}). Bản ghi IPv6 (AAAA) cần kiểm tra riêng.",
                           f"The portal uses {host} (.gov.vn) but not {shape_en} set for its level ({refs(params)[1]}). "
                           "The IPv6 (AAAA) record must be checked separately.", proof, details)
        # The crawl records no DNS AAAA answer: the IPv6 half of the clause is the inspector's to check.
        return Outcome("manual", f"Cổng dùng tên miền {host} (.gov.vn){' đúng dạng theo cấp' if expected else ''}; "
                                 "chưa kiểm tra được bản ghi IPv6 (AAAA): cần thanh tra viên xác minh.",
                       f"The portal uses {host} (.gov.vn){', shaped as its level requires' if expected else ''}; its IPv6 "
                       "(AAAA) record was not checked: an inspector must verify it.", proof, details)
    return Outcome("fail", f"Cổng dùng tên miền {host}, không thuộc .gov.vn.", f"The portal's domain {host} is not under .gov.vn.",
                   proof, {"host": host})


@auditor("manual_check")
def manual_check(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Not observable on the web: the finding is the inspector's to-do, with the rule's guidance."""
    guidance = params.get("guidance") or {}
    return Outcome("manual", "Cần thanh tra viên kiểm tra: " + guidance.get("vi", "xem hướng dẫn của tiêu chí."),
                   "Needs an inspector: " + guidance.get("en", "see the rule's guidance."))

