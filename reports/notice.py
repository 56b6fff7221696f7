"""Official documents of a run: a gap notice per agency and the province summary report, as DOCX and PDF.

The DOCX comes from a Word template (docxtpl: Jinja2 placeholders inside an ordinary .docx) in the
administrative format of Decree 30/2020/NĐ-CP; the shipped templates are in ``templates/office`` and a
province may use its own edited copies (``templates`` argument). The PDF is LibreOffice's rendering of
that DOCX, so an edited template shows in both. Documents are Vietnamese: they are addressed to agencies.

Only what the tool established goes into the notice as a gap (``fail`` and ``partial``, less the findings
an inspector accepted); ``manual`` findings are listed apart as items to verify, never as failures.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate, RichText

from . import i18n
from .html import agency_filenames, is_http_url
from .office_templates import NOTICE, OFFICE, SUMMARY

GAP_STATUSES = ("fail", "partial")
# A tagged PDF (structure and reading order for screen readers, PDF/UA's base), in LibreOffice's JSON syntax.
PDF_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
LEGAL_GROUND = ("Luật Tiếp cận thông tin và Nghị định số 13/2018/NĐ-CP ngày 23 tháng 01 năm 2018 của Chính phủ "
                "quy định chi tiết và biện pháp thi hành Luật Tiếp cận thông tin")
# The letterhead's fields and their defaults (placeholders a province replaces in letterhead.toml or in Word).
LETTERHEAD_DEFAULTS: dict[str, Any] = {
    "parent": "ỦY BAN NHÂN DÂN TỈNH …",
    "name": "SỞ TƯ PHÁP",
    "symbol": "TB-STP",
    "summary_symbol": "BC-STP",
    "place": "……",
    "authority": "KT. GIÁM ĐỐC",
    "position": "PHÓ GIÁM ĐỐC",
    "signatory": "……………………",
    "signature_note": "(Ký, ghi rõ họ tên và đóng dấu)",
    "drafting_unit": "PBGDPL",
    "recipients": [],
    "addressee": "Ủy ban nhân dân tỉnh",
    "first_number": 0,
    "legal_ground": LEGAL_GROUND,
    "scorecard_base_url": "",
}


class NoticeError(Exception):
    """A letterhead or template the documents cannot be made from (message is Vietnamese / English)."""


class PdfUnavailable(NoticeError):
    """LibreOffice is missing or could not convert; the DOCX files are written."""


@dataclass
class Documents:
    docx: list[Path] = field(default_factory=list)
    pdf: list[Path] = field(default_factory=list)
    notices: dict[str, Path] = field(default_factory=dict)  # agency id -> its notice (DOCX; the PDF beside it)


def load_letterhead(path: str | Path | None) -> dict[str, Any]:
    """The ``[letterhead]`` table of a TOML file (or the whole file), over the defaults."""
    data: dict[str, Any] = {}
    if path:
        try:
            raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise NoticeError(f"Không đọc được tệp tiêu đề văn bản / cannot read the letterhead file {path}: {exc}") from exc
        data = raw.get("letterhead", raw)
        unknown = sorted(set(data) - set(LETTERHEAD_DEFAULTS))
        if unknown:
            raise NoticeError(f"{path}: khóa không biết / unknown keys: {', '.join(unknown)} "
                              f"(có / known: {', '.join(LETTERHEAD_DEFAULTS)})")
        if not isinstance(data.get("recipients", []), list):
            raise NoticeError(f"{path}: recipients phải là danh sách / recipients must be a list")
        if not isinstance(data.get("first_number", 0), int):
            raise NoticeError(f"{path}: first_number phải là số nguyên / first_number must be an integer")
    return {**LETTERHEAD_DEFAULTS, **data}


def place_date(place: str, day: date) -> str:
    """'Mẫu Sơn, ngày 05 tháng 02 năm 2026': Decree 30 writes a leading zero for days below 10 and for the
    months January and February only."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _template(templates: Path | None, name: str) -> Path:
    """The province's edited copy when its folder holds one, else the shipped template."""
    if templates is not None:
        if not Path(templates).is_dir():
            raise NoticeError(f"Không có thư mục mẫu / no such template folder: {templates}")
        own = Path(templates) / name
        if own.is_file():
            return own
    return OFFICE / name


def _render(template: Path, context: dict[str, Any], out: Path, build=None) -> Path:  # noqa: ANN001
    try:
        doc = DocxTemplate(str(template))
        if build is not None:
            context = build(doc, context)
        doc.render(context, autoescape=True)  # portal text must never become Word XML
        out.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(out))
    except NoticeError:
        raise
    except Exception as exc:  # docxtpl raises jinja2 and zip errors for a broken edited template
        raise NoticeError(f"Mẫu văn bản lỗi / the template {template} cannot be used: {type(exc).__name__}: {exc}") from exc
    return out


def _number(letterhead: dict[str, Any], offset: int) -> str:
    """The document number, or blank for the clerk (văn thư) to fill in when it is registered."""
    first = int(letterhead.get("first_number") or 0)
    return str(first + offset) if first > 0 else "\u2003\u2003"


def _issuer(letterhead: dict[str, Any]) -> dict[str, Any]:
    return {key: letterhead[key] for key in ("parent", "name", "symbol", "summary_symbol", "authority", "position",
                                               "signatory", "signature_note", "drafting_unit", "recipients")}


def notice_context(agency: dict[str, Any], run: dict[str, Any], letterhead: dict[str, Any], *, number: str,
                   today: date, excluded: frozenset[str] = frozenset(), scorecard: str = "",
                   deadline: date | None = None) -> dict[str, Any]:
    """Everything the notice template needs for one agency of a Vietnamese run model."""
    gaps, manual = [], []
    for finding in agency["findings"]:
        if finding["rule"] in excluded:
            continue
        if finding["status"] in GAP_STATUSES:
            evidence = next((e for e in finding["evidence"] if e.get("url")), {})
            gaps.append({
                "index": len(gaps) + 1, "rule": finding["rule"], "title": finding["title"],
                "status": i18n.finding_status_label(finding["status"], "vi"), "message": finding["message"],
                "bases": [i18n.split_provisional(b["citation"]) + (" (tạm thời)" if b.get("provisional") else "")
                          for b in finding["legal_basis"] if b.get("citation")] or ["—"],
                "url": evidence.get("url") or "",
                "accessed": " ".join(filter(None, [
                    f"Truy cập lúc {i18n.fmt_datetime(evidence['fetched_at'], 'vi')}." if evidence.get("fetched_at") else "",
                    f"Bản lưu trang: {evidence['warc_record']}." if evidence.get("warc_record") else ""])),
                "excerpt": (evidence.get("excerpt") or "")[:300], "fix": finding["how_to_fix"],
            })
        elif finding["status"] == "manual":
            manual.append({"title": finding["title"], "message": finding["message"]})
    name = agency["name"]
    if agency["status"] != "audited":
        outcome = (f"Kết quả: chưa kiểm tra được ({i18n.agency_status_label(agency['status'], 'vi')}). "
                   f"{i18n.agency_status_why(agency['status'], 'vi')}")
    else:
        band = f", xếp loại {agency['band']} ({agency['band_label']})" if agency.get("band") else ""
        outcome = (f"Kết quả: {i18n.fmt_number(agency['score'], 'vi')}/100 điểm{band}; "
                   f"{len(gaps)} nội dung chưa đạt yêu cầu" + (f", {len(manual)} nội dung cần xác minh thêm" if manual else "")
                   + ".")
    when = f" trước ngày {i18n.fmt_date(deadline, 'vi')}" if deadline else ""
    if gaps:
        request = (f"Đề nghị {name} khắc phục các nội dung chưa đạt nêu trên{when} và thông báo kết quả khắc phục "
                   f"về {letterhead['name']} để kiểm tra lại.")
    elif agency["status"] != "audited":
        request = f"Đề nghị {name} kiểm tra lại địa chỉ và tình trạng hoạt động của cổng thông tin điện tử{when}."
    else:
        request = f"{name} đã đáp ứng các tiêu chí được kiểm tra tự động; đề nghị tiếp tục duy trì và cập nhật thông tin."
    return {
        "issuer": _issuer(letterhead), "number": number, "place_date": place_date(letterhead["place"], today),
        "agency": {"name": name, "url": agency.get("url") or "", "id": agency["id"]},
        "run": run, "audit_date": i18n.fmt_date(run.get("audit_date"), "vi"), "outcome": outcome,
        "gaps": gaps, "manual": manual, "manual_heading": "2" if gaps else "1", "request": request,
        "scorecard": scorecard or "báo cáo kiểm tra", "legal_ground": letterhead["legal_ground"],
    }


def _with_links(doc: DocxTemplate, context: dict[str, Any]) -> dict[str, Any]:
    """Evidence URLs as real hyperlinks (http/https only); RichText escapes its text."""
    for gap in context["gaps"]:
        link = RichText()
        if is_http_url(gap["url"]):
            link.add(gap["url"], url_id=doc.build_url_id(gap["url"]), color="0563C1", underline=True)
        else:
            link.add(gap["url"] or "—")
        gap["link"] = link
    return context


def summary_context(model: dict[str, Any], letterhead: dict[str, Any], *, number: str, today: date,
                    excluded: dict[str, frozenset[str]] | None = None) -> dict[str, Any]:
    """The province summary: totals, one row per agency, the rules failed by most agencies."""
    excluded = excluded or {}
    agencies = model["agencies"]
    audited = [a for a in agencies if a["status"] == "audited"]
    not_audited = Counter(a["status"] for a in agencies if a["status"] != "audited")
    bands = Counter(a["band"] for a in audited)
    rows = []
    for i, agency in enumerate(agencies, start=1):
        skip = excluded.get(agency["id"], frozenset())
        gaps = sum(1 for f in agency["findings"] if f["status"] in GAP_STATUSES and f["rule"] not in skip)
        rows.append({"index": i, "name": agency["name"], "status": i18n.agency_status_label(agency["status"], "vi"),
                     "score": i18n.fmt_number(agency["score"], "vi") if agency["score"] is not None else "—",
                     "band": agency["band"] or "—", "gaps": gaps if agency["status"] == "audited" else "—"})
    per_rule: dict[str, dict[str, Any]] = {}
    for agency in audited:
        skip = excluded.get(agency["id"], frozenset())
        for f in agency["findings"]:
            entry = per_rule.setdefault(f["rule"], {"title": f["title"], "failing": 0, "passing": 0, "applicable": 0,
                                                    "basis": "; ".join(i18n.split_provisional(b["citation"])
                                                                       for b in f["legal_basis"][:2])})
            if f["status"] in ("pass", "partial", "fail"):
                entry["applicable"] += 1
            if f["status"] == "pass" or (f["status"] in GAP_STATUSES and f["rule"] in skip):
                entry["passing"] += 1
            elif f["status"] in GAP_STATUSES:
                entry["failing"] += 1
            if f["status"] == "fail":
                entry["title"] = f["title"]  # the failure's wording ("… chưa …"), whoever was met first
    worst = sorted((r for r in per_rule.values() if r["failing"]), key=lambda r: (-r["failing"], r["title"]))[:10]
    rule_rows = [{**r, "index": i, "rate": (i18n.fmt_number(100 * r["passing"] / r["applicable"], "vi") + "%")
                  if r["applicable"] else "—"} for i, r in enumerate(worst, start=1)]
    band_labels = {b["id"]: b["label"] for b in model.get("bands", [])}
    band_text = "; ".join(f"{b} – {band_labels.get(b, b)}: {bands[b]}" for b in band_labels if bands.get(b)) or "—"
    detail = ", ".join(f"{i18n.agency_status_label(s, 'vi').lower()}: {n}" for s, n in not_audited.items())
    provinces = {a.get("province") for a in agencies if a.get("province")}
    scope = f"trên địa bàn {provinces.pop()}" if len(provinces) == 1 else "trong phạm vi kiểm tra"
    average = model["run"].get("average_score")
    return {
        "issuer": _issuer(letterhead), "number": number, "place_date": place_date(letterhead["place"], today),
        "addressee": letterhead["addressee"], "scope": scope, "run": model["run"],
        "audit_date": i18n.fmt_date(model["run"].get("audit_date"), "vi"), "legal_ground": letterhead["legal_ground"],
        "totals": {"agencies": len(agencies), "audited": len(audited), "unaudited": len(agencies) - len(audited),
                   "unaudited_detail": f" ({detail})" if detail else "", "bands": band_text,
                   "average": i18n.fmt_number(average, "vi") if average is not None else "—"},
        "agencies": rows, "rules": rule_rows,
        "recommendation": ("Đề nghị các cơ quan có nội dung chưa đạt khắc phục theo thông báo kết quả kiểm tra gửi "
                           "từng cơ quan; các cơ quan chưa kiểm tra được rà soát địa chỉ và tình trạng hoạt động của "
                           "cổng thông tin điện tử để được kiểm tra lại ở lượt sau."),
    }


def write_documents(model: dict[str, Any], out_dir: str | Path, *, letterhead: dict[str, Any],
                    templates: str | Path | None = None, pdf: bool = False, today: date | None = None,
                    excluded: dict[str, frozenset[str]] | None = None, deadline: date | None = None,
                    agencies: list[str] | None = None) -> Documents:
    """``<out>/thong-bao-<agency>.docx`` for each agency (or those named) and ``<out>/bao-cao-tong-hop.docx``;
    with ``pdf`` also the PDF of each. ``excluded``: agency id → rules an inspector accepted."""
    if model.get("lang") != "vi":
        raise ValueError("official documents are made from a Vietnamese run model")
    out = Path(out_dir)
    today = today or date.today()
    excluded = excluded or {}
    folder = Path(templates) if templates else None
    notice_tpl, summary_tpl = _template(folder, NOTICE), _template(folder, SUMMARY)
    files = agency_filenames(model["agencies"])
    base = (letterhead.get("scorecard_base_url") or "").rstrip("/")
    chosen = [a for a in model["agencies"] if agencies is None or a["id"] in agencies]
    docs = Documents()
    for i, agency in enumerate(chosen):
        stem = files[agency["id"]].removesuffix(".html")
        scorecard = f"{base}/agencies/{stem}.html" if base else ""
        context = notice_context(agency, model["run"], letterhead, number=_number(letterhead, i), today=today,
                                 excluded=excluded.get(agency["id"], frozenset()), scorecard=scorecard,
                                 deadline=deadline)
        docs.docx.append(_render(notice_tpl, context, out / f"thong-bao-{stem}.docx", _with_links))
        docs.notices[agency["id"]] = docs.docx[-1]
    if agencies is None:
        context = summary_context(model, letterhead, number=_number(letterhead, len(chosen)), today=today,
                                  excluded=excluded)
        docs.docx.append(_render(summary_tpl, context, out / "bao-cao-tong-hop.docx"))
    if pdf:
        docs.pdf = to_pdf(docs.docx, out)
    return docs


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(files: list[Path], out_dir: Path, *, timeout: float | None = None) -> list[Path]:
    """Convert DOCX files to PDF with one headless LibreOffice process (a private profile, so several
    conversions may run at once); the time allowed grows with the number of files."""
    timeout = timeout if timeout is not None else 120 + 5 * len(files)
    binary = soffice()
    if binary is None:
        raise PdfUnavailable("Cần LibreOffice để tạo PDF (gói Debian libreoffice-writer-nogui) / LibreOffice is "
                          "needed for PDF (Debian package libreoffice-writer-nogui); the DOCX files are written.")
    if not files:
        return []
    with tempfile.TemporaryDirectory(prefix="tctt-lo-") as profile:
        command = [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                   "--convert-to", PDF_FILTER, "--outdir", str(out_dir), *map(str, files)]
        env = {**os.environ, "HOME": profile}
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable(f"LibreOffice quá thời gian / LibreOffice timed out after {timeout:.0f} s") from exc
    pdfs = [out_dir / (f.stem + ".pdf") for f in files]
    missing = [p.name for p in pdfs if not p.is_file()]
    if done.returncode != 0 or missing:
        raise PdfUnavailable(f"LibreOffice không tạo được PDF / LibreOffice could not make {', '.join(missing) or 'PDF'}: "
                          f"{(done.stderr or done.stdout).strip()[:500]}")
    return pdfs
