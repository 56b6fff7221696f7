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
from auditors.evidence import Evidence, _key, cite
from auditors.judgement import focal_reading, focal_text, mailto_addresses, table_lines
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
    """Decree 13/2018 Điều 6 k3 fields, judged per row: the share of rows that give every field."""
    wanted = list(params.get("fields") or FIELD_NAMES)
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
    if missing:
        return Outcome("fail",
                       f"Danh mục thiếu cột: {', '.join(FIELD_NAMES[f][0] for f in missing)} (Điều 6 khoản 3 Nghị định "
                       f"13/2018/NĐ-CP); {summary_vi}.",
                       f"The catalogue lacks the column(s): {', '.join(FIELD_NAMES[f][1] for f in missing)}; {summary_en}.",
                       proof, details)
    if not rows or share < min_share:
        weakest = min(counts, key=lambda f: counts[f]) if rows else wanted[0]
        return Outcome("partial", f"Danh mục có đủ các cột nhưng chỉ {summary_vi}; trường hay bị bỏ trống nhất: "
                                  f"{FIELD_NAMES[weakest][0]}.",
                       f"The catalogue has every column but only {summary_en}; most often empty: {FIELD_NAMES[weakest][1]}.",
                       proof, details)
    return Outcome("pass", f"Danh mục có đủ 5 trường; {summary_vi}.", f"The catalogue has all 5 fields; {summary_en}.",
                   proof, details)


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
            # An image has no links to follow: no row of a scanned catalogue gives a working address.
            return Outcome("fail", "Danh mục chỉ là bản quét (ảnh, không có lớp chữ): không dòng nào có đường dẫn "
                                   "truy cập được tới thông tin.",
                           "The catalogue is only a scanned image (no text layer): no row gives a working link "
                           "to the information.", [cite(scans[0])], {"source": scans[0].get("url"), "scanned": True})
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

    Each category in ``params.categories`` says when it is required (``required_from``/``required_to``)
    and, for items newly required by Law 01/2026/QH16, until when a gap is transitional.
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
        texts += [fold(link.get("text", "")) for link in page.get("links") or [] if not link.get("chrome")]
        if page.get("kind") == "document":
            texts += [fold(line) for line in _lines(page)]
    texts = [t for t in texts if t.strip()]
    required, covered, firm_missing, transitional = [], [], [], []
    for category in params.get("categories") or []:
        if category.get("required_from", "0000") > day or (category.get("required_to") or "9999") < day:
            continue
        required.append(category["id"])
        hit = next((m for k in category["keywords"] if (m := _matches(fold(k), texts, threshold))), None)
        if hit:
            covered.append(category["id"])
        elif category.get("transition_to") and day <= category["transition_to"]:
            transitional.append(category)
        else:
            firm_missing.append(category)
    details = {"required": required, "covered": covered, "missing": [c["id"] for c in firm_missing],
               "transitional": [c["id"] for c in transitional]}
    proof = [cite(sources[0][0])]
    names_vi = ", ".join(c["vi"] for c in firm_missing)
    names_en = ", ".join(c["en"] for c in firm_missing)
    note_vi = (f" Chưa có (trong thời gian chuyển tiếp đến 01/3/2027, Điều 31 khoản 3 Luật 01/2026/QH16): "
               f"{', '.join(c['vi'] for c in transitional)}." if transitional else "")
    note_en = (f" Not yet listed (transition period until 01/3/2027, Law 01/2026/QH16 Art. 31(3)): "
               f"{', '.join(c['en'] for c in transitional)}." if transitional else "")
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


@auditor("focal_point_details")
def focal_point_details(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Name, position, unit, phone and official e-mail of the focal point, as text under its heading."""
    if not evidence.section_pages:
        return _no_section("thông tin về đầu mối cung cấp thông tin", "focal point")
    blocks = [b for b in _find_blocks(evidence.section_pages, "focal_point") if "nguoi phat ngon" not in fold(" ".join(b[1]))]
    if not blocks:
        return Outcome("fail", "Chuyên mục không nêu đầu mối cung cấp thông tin.",
                       "The section does not name a focal point for providing information.")
    best: tuple[int, dict[str, Any], list[str], str, dict[str, Any]] | None = None
    for page, window, line in blocks:
        text = "\n".join(window)
        body = focal_text(window)  # the heading line's words after "Đầu mối …:" count too
        emails = find_emails(text) + [a for a in mailto_addresses(page, window) if a not in find_emails(text)]
        reading = focal_reading(window)
        found = {"name": reading["name"] or bool(_NAME.search(body)), "position": reading["position"]
                 or bool(_POSITION.search(body)), "unit": reading["unit"], "phone": find_phones(text), "email": emails,
                 "official_email": [e for e in emails if e.endswith(".gov.vn")],
                 "extension": _EXTENSION.findall(body)}
        rank = sum(1 for key in ("name", "position", "unit", "phone", "email") if found[key])
        if best is None or rank > best[0]:
            best = (rank, page, window, line, found)
    assert best is not None
    _, page, window, line, found = best
    labels = {"name": ("họ tên", "name"), "position": ("chức vụ", "position"), "unit": ("đơn vị", "unit"),
              "phone": ("số điện thoại", "phone"), "email": ("thư điện tử", "e-mail")}
    missing = [k for k in labels if not found[k]]
    details = {**found, "missing": missing}
    proof = [cite(page, "\n".join(window), fold(line)[:20])]
    required = [k for k in params.get("required", ["phone", "email"]) if k in missing]
    if required:
        return Outcome("fail", f"Đầu mối cung cấp thông tin không có {', '.join(labels[k][0] for k in required)}"
                               + (f"; cũng thiếu {', '.join(labels[k][0] for k in missing if k not in required)}"
                                  if len(missing) > len(required) else "") + ".",
                       f"The focal point has no {', '.join(labels[k][1] for k in required)}"
                       + (f"; also missing: {', '.join(labels[k][1] for k in missing if k not in required)}"
                          if len(missing) > len(required) else "") + ".", proof, details)
    if missing or not found["official_email"]:
        extra_vi = "" if found["official_email"] else f"; thư điện tử {found['email'][0]} không phải địa chỉ công vụ (.gov.vn)"
        extra_en = "" if found["official_email"] else f"; e-mail {found['email'][0]} is not an official (.gov.vn) address"
        lacking_vi = f"thiếu {', '.join(labels[k][0] for k in missing)}" if missing else "đủ các trường"
        lacking_en = f"missing {', '.join(labels[k][1] for k in missing)}" if missing else "every field given"
        return Outcome("partial", f"Đầu mối có điện thoại và thư điện tử nhưng {lacking_vi}{extra_vi}.",
                       f"The focal point has phone and e-mail but {lacking_en}{extra_en}.", proof, details)
    phone = found["phone"][0] + (f" máy lẻ {found['extension'][0]}" if found["extension"] else "")
    return Outcome("pass", f"Đầu mối có đủ họ tên, chức vụ, đơn vị, điện thoại {phone} và thư điện tử công vụ "
                           f"{found['official_email'][0]}.",
                   f"The focal point gives name, position, unit, phone {phone} and official e-mail "
                   f"{found['official_email'][0]}.", proof, details)


# --- the internal regulation's contents ----------------------------------------------------------
_REGULATION = re.compile(r"quy che (noi bo )?(ve )?(to chuc )?(cung cap|tiep can) thong tin")
REGULATION_CONTENTS = {
    "focal_point": (re.compile(r"dau moi"), "đầu mối cung cấp thông tin", "the focal point"),
    "transfer": (re.compile(r"chuyen giao.{0,40}thong tin|thong tin.{0,20}chuyen giao"), "việc chuyển giao thông tin",
                 "transfer of information"),
    "classification": (re.compile(r"phan loai.{0,30}thong tin"), "việc phân loại thông tin", "classification of information"),
    "updating": (re.compile(r"cap nhat.{0,40}(thong tin|danh muc)"), "việc cập nhật thông tin", "updating information"),
    "procedure": (re.compile(r"(trinh tu|thu tuc).{0,60}(yeu cau|cung cap thong tin)|(tiep nhan|xu ly|giai quyet),? "
                             r"(phieu )?yeu cau"), "trình tự, thủ tục xử lý yêu cầu cung cấp thông tin",
                  "the procedure for handling requests"),
}


def regulation_texts(evidence: Evidence) -> list[dict[str, Any]]:
    """Pages and documents that are the regulation (named in their title or opening), readable first."""
    found = []
    for page in evidence.pages:
        if page.get("status") is None or page["status"] >= 400:
            continue
        head = [page.get("title") or ""] + _lines(page)[:8 if page.get("kind") == "document" else 4]
        rows = table_lines(page)  # a catalogue row naming the issuing decision is not the regulation
        if any(_REGULATION.search(fold(t)) and "quy che lam viec" not in fold(t)
               and (t == (page.get("title") or "") or fold(t) not in rows) for t in head):
            found.append(page)
    return sorted(found, key=lambda p: -len(p.get("text") or ""))


@auditor("regulation_contents")
def regulation_contents(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Law 104/2016 Điều 34 k1 h: the regulation's five contents, read from its text (page or document)."""
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
    if not missing:
        return Outcome("pass", "Quy chế có đủ năm nội dung: đầu mối, chuyển giao, phân loại, cập nhật thông tin và trình tự "
                               "xử lý yêu cầu.",
                       "The regulation has all five contents: focal point, transfer, classification, updating and the "
                       "request procedure.", proof, details)
    return Outcome("fail", f"Quy chế thiếu: {', '.join(REGULATION_CONTENTS[k][1] for k in missing)} (Điều 34 khoản 1 điểm h "
                           "Luật Tiếp cận thông tin 2016).",
                   f"The regulation lacks: {', '.join(REGULATION_CONTENTS[k][2] for k in missing)}.", proof, details)


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


def _marker_hits(pages: list[dict[str, Any]], pattern: re.Pattern[str], where: list[str]
                 ) -> list[tuple[dict[str, Any], str, str]]:
    """(page, matched text, url) for every place ``pattern`` matches, in page order."""
    hits = []
    for page in pages:
        if page.get("kind") == "document" and "text" not in where:
            continue  # a document's opening lines are its content, not the portal's navigation
        if "links" in where:
            for link in page.get("links") or []:
                label = " ".join([link.get("text", ""), link.get("title", ""), link.get("img_alt", ""),
                                  _url_words(link["url"])])
                if pattern.search(fold(label)):
                    hits.append((page, (link.get("text") or link.get("title") or link["url"])[:160], link["url"]))
        texts = ([page.get("title") or ""] if "title" in where else []) + \
                (list(page.get("structure") or []) if "structure" in where else []) + \
                (_lines(page) if "text" in where else [])
        for text in texts:
            if pattern.search(fold(text)):
                hits.append((page, text[:160], page.get("final_url") or page["url"]))
                break
    return hits


@auditor("portal_markers")
def portal_markers(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Named markers (folded regular expressions) looked for in links, headings or text of the portal.

    params: ``markers`` {key: {pattern, vi, en}}; ``scope`` portal|section|home; ``where`` (links,
    structure, title, text); ``min`` markers needed to pass (default all); ``absent`` the status when
    none is found (fail, or manual when absence proves nothing); ``resolve`` only links that were
    fetched and answered count.
    """
    markers: dict[str, dict[str, str]] = params["markers"]
    pages = _scope(evidence, params.get("scope", "portal"))
    where = list(params.get("where") or ["links", "structure", "title"])
    needed = int(params.get("min", len(markers)))
    found: dict[str, tuple[dict[str, Any], str, str]] = {}
    unresolved: list[str] = []
    for key, marker in markers.items():
        for page, text, url in _marker_hits(pages, re.compile(marker["pattern"]), where):
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
    proof = [{"url": url, "excerpt": text, "fetched_at": page.get("fetched_at")} for page, text, url in
             (found[k] for k in present)]
    have_vi = ", ".join(markers[k]["vi"] for k in present)
    have_en = ", ".join(markers[k]["en"] for k in present)
    lack_vi = ", ".join(markers[k]["vi"] for k in missing)
    lack_en = ", ".join(markers[k]["en"] for k in missing)
    if len(present) >= needed:
        return Outcome("pass", f"Có: {have_vi}." + (f" Chưa thấy: {lack_vi}." if missing else ""),
                       f"Found: {have_en}." + (f" Not seen: {lack_en}." if missing else ""), proof, details)
    if present:
        return Outcome("partial", f"Chỉ có: {have_vi}; chưa thấy: {lack_vi}.", f"Only: {have_en}; not seen: {lack_en}.",
                       proof, details)
    extra_vi = f" Liên kết không mở được hoặc chưa được thu thập: {'; '.join(unresolved[:3])}." if unresolved else ""
    extra_en = f" Links dead or not fetched: {'; '.join(unresolved[:3])}." if unresolved else ""
    absent = params.get("absent", "fail")
    if absent == "manual":
        return Outcome("manual", f"Không thấy trên cổng: {lack_vi}; cần thanh tra viên xác minh.{extra_vi}",
                       f"Not seen on the portal: {lack_en}; an inspector must verify.{extra_en}", details=details)
    return Outcome(absent, f"Không thấy trên cổng: {lack_vi}.{extra_vi}", f"Not seen on the portal: {lack_en}.{extra_en}",
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
        return Outcome("pass", f"Cổng dùng tên miền {host} (.gov.vn). Bản ghi IPv6 (AAAA) cần kiểm tra riêng.",
                       f"The portal uses {host} (.gov.vn). The IPv6 (AAAA) record must be checked separately.", proof,
                       {"host": host})
    return Outcome("fail", f"Cổng dùng tên miền {host}, không thuộc .gov.vn.", f"The portal's domain {host} is not under .gov.vn.",
                   proof, {"host": host})


@auditor("manual_check")
def manual_check(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Not observable on the web: the finding is the inspector's to-do, with the rule's guidance."""
    guidance = params.get("guidance") or {}
    return Outcome("manual", "Cần thanh tra viên kiểm tra: " + guidance.get("vi", "xem hướng dẫn của tiêu chí."),
                   "Needs an inspector: " + guidance.get("en", "see the rule's guidance."))

