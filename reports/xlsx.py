"""The Excel workbook of a run, and the Excel-safe CSV.

Vietnamese offices work in Excel: the workbook has a summary, the province matrix (agency × rule, each
status as text *and* colour, with score and band), every finding with its evidence links and legal bases,
and the coverage per rule. Headers are Vietnamese (English with ``lang="en"``), the header row is frozen,
every table has an auto-filter, numbers are numbers.

Cell text comes from portals and registries, so it is never allowed to become a formula: a text cell
beginning with ``= + - @``, a tab or a carriage return is written as a plain string with Excel's
quote-prefix flag (shown as typed, kept as text when edited); the CSV gets a leading ``'`` instead.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import i18n
from .html import is_http_url
from .model import _FORMULA_PREFIXES, export_csv

BOM = "\ufeff"
# Light fills with dark text (contrast above 4.5:1 for every pair), one per finding status.
STATUS_FILLS = {
    "pass": "C6EFCE", "partial": "FFEB9C", "fail": "FFC7CE", "not_applicable": "E7E6E6",
    "manual": "DDEBF7", "transition": "E4DFEC", "error": "D9D9D9",
}
BAND_FILLS = {"A": "63BE7B", "B": "A9D08E", "C": "E2EFDA", "D": "FFEB9C", "E": "F8CBAD", "F": "FFC7CE"}
SHEETS = {
    "vi": {"summary": "Tổng hợp", "matrix": "Ma trận", "findings": "Phát hiện", "coverage": "Theo tiêu chí"},
    "en": {"summary": "Summary", "matrix": "Matrix", "findings": "Findings", "coverage": "By rule"},
}
HEADERS = {
    "vi": {
        "agency_id": "Mã cơ quan", "agency": "Tên cơ quan", "level": "Cấp", "status": "Tình trạng kiểm tra",
        "score": "Điểm (0–100)", "band": "Xếp loại", "band_label": "Mức xếp loại", "section": "Chuyên mục TCTT",
        "confidence": "Độ tin cậy tìm Chuyên mục",
        "rule": "Mã tiêu chí", "title": "Tiêu chí", "class": "Nhóm", "finding_status": "Kết quả",
        "points": "Điểm đạt", "max_points": "Điểm tối đa", "message": "Nhận xét", "fix": "Cách khắc phục",
        "basis": "Căn cứ pháp lý", "evidence": "Bằng chứng (liên kết)", "more_evidence": "Bằng chứng khác",
        "excerpt": "Trích dẫn", "fetched_at": "Thời điểm truy cập", "covers": "Mục kiểm tra",
        "warc": "Bản lưu (bản ghi WARC)",
        "applicable": "Số cơ quan phải đáp ứng", "rate": "Tỷ lệ đạt (%)",
    },
    "en": {
        "agency_id": "Agency id", "agency": "Agency", "level": "Level", "status": "Audit status",
        "score": "Score (0–100)", "band": "Band", "band_label": "Band label", "section": "Access-to-information section",
        "confidence": "Section confidence",
        "rule": "Rule id", "title": "Rule", "class": "Class", "finding_status": "Result",
        "points": "Points", "max_points": "Max points", "message": "Comment", "fix": "How to fix",
        "basis": "Legal basis", "evidence": "Evidence (link)", "more_evidence": "Other evidence",
        "excerpt": "Excerpt", "fetched_at": "Accessed at", "covers": "Checklist items",
        "warc": "Archived copy (WARC record)",
        "applicable": "Agencies it applies to", "rate": "Pass rate (%)",
    },
}
SUMMARY = {
    "vi": {"title": "Kết quả kiểm tra Chuyên mục tiếp cận thông tin", "run": "Lượt kiểm tra",
           "audit_date": "Ngày kiểm tra", "run_status": "Trạng thái lượt", "ruleset": "Bộ tiêu chí",
           "total": "Tổng số cơ quan", "audited": "Đã kiểm tra", "average": "Điểm trung bình (cơ quan đã kiểm tra)",
           "by_status": "Theo tình trạng kiểm tra", "by_band": "Theo xếp loại", "count": "Số cơ quan",
           "note": "Cơ quan không kiểm tra được được liệt kê nhưng không tính vào điểm trung bình."},
    "en": {"title": "Access-to-information section audit", "run": "Run", "audit_date": "Audit date",
           "run_status": "Run status", "ruleset": "Ruleset", "total": "Agencies", "audited": "Audited",
           "average": "Average score (audited agencies)", "by_status": "By audit status", "by_band": "By band",
           "count": "Agencies", "note": "Agencies that could not be audited are listed but left out of the average."},
}
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")


def _style(wb: Workbook, name: str, *, fill: str | None = None, wrap: bool = False, link: bool = False) -> str:
    """A named style registered once per workbook: assigning it to a cell is far cheaper than setting a
    fill, font and alignment on each of thousands of cells (and keeps the file's style table small)."""
    if name not in wb.named_styles:
        style = NamedStyle(name=name)
        if fill:
            style.fill = PatternFill("solid", fgColor=fill)
        if wrap:
            style.alignment = WRAP
        if link:
            style.font = Font(color="0563C1", underline="single")
        wb.add_named_style(style)
    return name


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_PREFIXES)


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one cell; text that a spreadsheet would read as a formula stays inert text."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML 1.0 forbids
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"  # openpyxl makes "=…" a formula; force a plain string
        cell.quotePrefix = True
    return cell


def _table(ws: Worksheet, headers: list[str], rows: list[list[Any]], widths: list[int]) -> None:
    """A header row (frozen, filtered) over ``rows``, with column widths."""
    for c, text in enumerate(headers, start=1):
        cell = put(ws, 1, c, text)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            put(ws, r, c, value)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    last = get_column_letter(max(len(headers), 1))
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"


def _rules(model: dict[str, Any], rules: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Rule columns: the ruleset's order when given, then any rule only the stored findings name."""
    ordered = [dict(r) for r in rules or []]
    known = {r["id"] for r in ordered}
    for agency in model["agencies"]:
        for finding in agency["findings"]:
            if finding["rule"] not in known:
                known.add(finding["rule"])
                ordered.append({"id": finding["rule"], "title": finding["title"], "class": finding["class"]})
    return ordered


def build_workbook(model: dict[str, Any], *, rules: list[dict[str, Any]] | None = None) -> Workbook:
    """The workbook of a run model (``rules``: ``[{"id", "title", "class"}]`` in the ruleset's order)."""
    lang = model.get("lang", "vi")
    h, names = HEADERS[lang], SHEETS[lang]
    columns = _rules(model, rules)
    wb = Workbook()
    summary = wb.active
    summary.title = names["summary"]
    _summary_sheet(summary, model, lang)
    _matrix_sheet(wb.create_sheet(names["matrix"]), model, columns, h, lang)
    _findings_sheet(wb.create_sheet(names["findings"]), model, h, lang)
    _coverage_sheet(wb.create_sheet(names["coverage"]), model, columns, h, lang)
    wb.properties.title = SUMMARY[lang]["title"]
    wb.properties.language = lang
    return wb


def write_xlsx(model: dict[str, Any], path: str | Path, *, rules: list[dict[str, Any]] | None = None) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(model, rules=rules).save(out)
    return out


def _summary_sheet(ws: Worksheet, model: dict[str, Any], lang: str) -> None:
    s, run = SUMMARY[lang], model["run"]
    agencies = model["agencies"]
    put(ws, 1, 1, s["title"]).font = Font(bold=True, size=14)
    facts = [
        (s["run"], run["id"]), (s["audit_date"], i18n.fmt_date(run.get("audit_date"), lang)),
        (s["run_status"], i18n.run_status_label(run.get("status"), lang)),
        (s["ruleset"], " ".join(str(v) for v in (run.get("ruleset"), run.get("ruleset_version")) if v)),
        (s["total"], len(agencies)), (s["audited"], run.get("agencies_audited")),
        (s["average"], run.get("average_score")),
    ]
    row = 3
    for label, value in facts:
        put(ws, row, 1, label).font = Font(bold=True)
        put(ws, row, 2, value)
        row += 1
    row += 1
    put(ws, row, 1, s["by_status"]).font = Font(bold=True)
    put(ws, row, 2, s["count"]).font = Font(bold=True)
    counts = Counter(a["status"] for a in agencies)
    for status in ("audited", "unreachable", "blocked", "robots_disallowed", "error"):
        row += 1
        put(ws, row, 1, i18n.agency_status_label(status, lang))
        put(ws, row, 2, counts.get(status, 0))
    row += 2
    put(ws, row, 1, s["by_band"]).font = Font(bold=True)
    put(ws, row, 2, s["count"]).font = Font(bold=True)
    bands = Counter(a["band"] for a in agencies if a["status"] == "audited")
    for band in model.get("bands", []):
        row += 1
        cell = put(ws, row, 1, f"{band['id']} – {band['label']}")
        if band["id"] in BAND_FILLS:
            cell.fill = PatternFill("solid", fgColor=BAND_FILLS[band["id"]])
        put(ws, row, 2, bands.get(band["id"], 0))
    row += 2
    put(ws, row, 1, s["note"]).font = Font(italic=True)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 24


def _matrix_sheet(ws: Worksheet, model: dict[str, Any], columns: list[dict[str, Any]], h: dict[str, str],
                  lang: str) -> None:
    wb = ws.parent
    fixed = [h["agency_id"], h["agency"], h["level"], h["status"], h["score"], h["band"], h["section"],
             h["confidence"]]
    headers = fixed + [c["id"] for c in columns]
    rows = []
    for agency in model["agencies"]:
        by_rule = {f["rule"]: f for f in agency["findings"]}
        section = agency.get("section") or {}
        rows.append([agency["id"], agency["name"], i18n.level_label(agency.get("level"), lang),
                     i18n.agency_status_label(agency["status"], lang), agency["score"], agency["band"],
                     section.get("url"), section.get("confidence")]
                    + [i18n.finding_status_label(by_rule[c["id"]]["status"], lang) if c["id"] in by_rule else ""
                       for c in columns])
    _table(ws, headers, rows, [18, 40, 16, 20, 11, 9, 36, 11] + [14] * len(columns))
    for r, agency in enumerate(model["agencies"], start=2):
        if agency["band"] in BAND_FILLS:
            ws.cell(row=r, column=6).style = _style(wb, f"tctt-band-{agency['band']}", fill=BAND_FILLS[agency["band"]])
        ws.cell(row=r, column=5).number_format = "0.0"
        ws.cell(row=r, column=8).number_format = "0%"
        section = ws.cell(row=r, column=7)
        if is_http_url(section.value):
            section.hyperlink = section.value
            section.style = _style(wb, "tctt-link", link=True)
        by_rule = {f["rule"]: f for f in agency["findings"]}
        for c, column in enumerate(columns, start=len(fixed) + 1):
            finding = by_rule.get(column["id"])
            if finding and finding["status"] in STATUS_FILLS:
                ws.cell(row=r, column=c).style = _style(wb, f"tctt-{finding['status']}",
                                                        fill=STATUS_FILLS[finding["status"]])
    # The rule's title as a note on its id (a second header row would break the filter).
    for c, column in enumerate(columns, start=len(fixed) + 1):
        title = i18n.localize(column.get("title"), lang)
        if title:
            ws.cell(row=1, column=c).comment = Comment(title, "tctt-audit")
    ws.freeze_panes = ws.cell(row=2, column=3)
    ws.row_dimensions[1].height = 30


def _findings_sheet(ws: Worksheet, model: dict[str, Any], h: dict[str, str], lang: str) -> None:
    wb = ws.parent
    headers = [h["agency_id"], h["agency"], h["rule"], h["title"], h["class"], h["finding_status"], h["points"],
               h["max_points"], h["message"], h["fix"], h["basis"], h["evidence"], h["excerpt"], h["fetched_at"],
               h["more_evidence"], h["covers"], h["warc"]]
    rows, links = [], []
    for agency in model["agencies"]:
        for finding in agency["findings"]:
            evidence = [e for e in finding["evidence"] if e.get("url")]
            first = evidence[0] if evidence else {}
            bases = "\n".join(b["citation"] for b in finding["legal_basis"] if b.get("citation"))
            rows.append([agency["id"], agency["name"], finding["rule"], finding["title"],
                         i18n.class_label(finding["class"], lang), i18n.finding_status_label(finding["status"], lang),
                         finding["score"], finding["max_score"], finding["message"], finding["how_to_fix"], bases,
                         first.get("url"), first.get("excerpt"), i18n.fmt_datetime(first.get("fetched_at"), lang),
                         "\n".join(e["url"] for e in evidence[1:]), ", ".join(finding["covers"]),
                         first.get("warc_record")])
            links.append((first.get("url"), finding["status"]))
    _table(ws, headers, rows, [18, 32, 22, 40, 12, 16, 9, 9, 50, 50, 40, 40, 40, 20, 40, 14, 30])
    wrap = _style(wb, "tctt-wrap", wrap=True)
    for r, (url, status) in enumerate(links, start=2):
        for c in range(1, len(headers) + 1):
            cell = ws.cell(row=r, column=c)
            cell.style = wrap  # a named style replaces the whole style, quote prefix included
            if is_formula_like(cell.value):
                cell.quotePrefix = True
        if status in STATUS_FILLS:
            ws.cell(row=r, column=6).style = _style(wb, f"tctt-wrap-{status}", fill=STATUS_FILLS[status], wrap=True)
        if is_http_url(url):  # only http(s) links become hyperlinks, never javascript: or file:
            cell = ws.cell(row=r, column=12)
            cell.hyperlink = url
            cell.style = _style(wb, "tctt-wrap-link", wrap=True, link=True)
    ws.freeze_panes = ws.cell(row=2, column=3)


def _coverage_sheet(ws: Worksheet, model: dict[str, Any], columns: list[dict[str, Any]], h: dict[str, str],
                    lang: str) -> None:
    statuses = ["pass", "partial", "fail", "manual", "transition", "not_applicable", "error"]
    headers = ([h["rule"], h["title"], h["class"]] + [i18n.finding_status_label(s, lang) for s in statuses]
               + [h["applicable"], h["rate"]])
    rows = []
    for column in columns:
        counts = Counter(f["status"] for a in model["agencies"] for f in a["findings"] if f["rule"] == column["id"])
        applicable = counts["pass"] + counts["partial"] + counts["fail"]
        rate = round(100 * counts["pass"] / applicable, 1) if applicable else None
        rows.append([column["id"], i18n.localize(column.get("title"), lang), i18n.class_label(column.get("class"), lang)]
                    + [counts.get(s, 0) for s in statuses] + [applicable, rate])
    _table(ws, headers, rows, [22, 48, 12] + [12] * len(statuses) + [14, 12])
    ws.freeze_panes = ws.cell(row=2, column=2)


def excel_csv(model: dict[str, Any], *, sep: str = ",") -> str:
    """The CSV export with a UTF-8 byte-order mark (Excel then reads it as UTF-8, not the ANSI code page)
    and the given separator (``;`` for Excel under Vietnamese regional settings)."""
    text = export_csv(model)
    if sep != ",":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
        writer.writerows(csv.reader(io.StringIO(text, newline="")))
        text = out.getvalue()
    return BOM + text
