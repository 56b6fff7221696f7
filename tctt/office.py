"""Official documents of a run, with the inspectors' decisions applied (used by ``tctt report --docx/--pdf``
and ``tctt email --attach-pdf``).

A finding an inspector accepted as compliant or excused (``tctt decide``), whose evidence has not changed
since, is not a gap and never appears in an official notice.
"""

from __future__ import annotations

import shutil
from datetime import date
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from pathlib import Path
from typing import Any

from auditors import decisions
from core.store import Store
from reports import build_run_model
from reports.notice import Documents, load_letterhead, write_documents
from reports.office_templates import NOTICE, OFFICE, SUMMARY

EXAMPLE_LETTERHEAD = """\
# Tiêu đề văn bản của tỉnh / the province's letterhead (tctt report --docx --letterhead THIS_FILE)
[letterhead]
parent = "ỦY BAN NHÂN DÂN TỈNH …"        # cơ quan chủ quản / governing body
name = "SỞ TƯ PHÁP"                        # cơ quan ban hành / issuing body
symbol = "TB-STP"                          # ký hiệu thông báo / notice symbol
summary_symbol = "BC-STP"                  # ký hiệu báo cáo / report symbol
place = "……"                               # địa danh / place name
authority = "KT. GIÁM ĐỐC"                 # quyền hạn ký / signing authority
position = "PHÓ GIÁM ĐỐC"                  # chức vụ / position
signatory = "……………………"                    # họ và tên người ký / signatory
drafting_unit = "PBGDPL"                   # đơn vị soạn thảo (Lưu: VT, …) / drafting unit
recipients = []                            # nơi nhận thêm / further recipients, e.g. ["UBND tỉnh (để b/c)"]
addressee = "Ủy ban nhân dân tỉnh"          # kính gửi (báo cáo tổng hợp) / addressee of the summary
first_number = 0                           # 0: để trống số cho văn thư / leave the number to the clerk
scorecard_base_url = ""                    # địa chỉ công bố báo cáo / where the report is published
"""


def excluded_rules(store: Store, run_id: int, agency_ids: list[str]) -> dict[str, frozenset[str]]:
    """Agency id → rules whose finding an inspector's decision currently settles."""
    out = {}
    for agency_id in agency_ids:
        decided = decisions.evaluate(store, run_id, agency_id, store.findings(run_id, agency_id))
        out[agency_id] = frozenset(rule for rule, d in decided.items() if d["state"] == "applied")
    return out


def make_documents(db: str | Path, run: int | str | None, out_dir: str | Path, *, bands: list[dict[str, Any]],
                   letterhead: str | Path | None = None, templates: str | Path | None = None, pdf: bool = False,
                   deadline: date | None = None, agencies: list[str] | None = None,
                   today: date | None = None) -> Documents:
    """The notices (and, for the whole run, the summary report) of a run under ``out_dir``."""
    head = load_letterhead(letterhead)
    store = Store(db)
    try:
        model = build_run_model(store, run, bands=bands, lang="vi")
        excluded = excluded_rules(store, model["run"]["id"], [a["id"] for a in model["agencies"]])
    finally:
        store.close()
    return write_documents(model, out_dir, letterhead=head, templates=templates, pdf=pdf, today=today,
                           excluded=excluded, deadline=deadline, agencies=agencies)


def copy_templates(folder: str | Path) -> list[Path]:
    """The shipped templates and an example letterhead, for a province to edit (existing files are kept)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in (NOTICE, SUMMARY):
        if not (out / name).exists():
            shutil.copyfile(OFFICE / name, out / name)
            written.append(out / name)
    if not (out / "letterhead.toml").exists():
        (out / "letterhead.toml").write_text(EXAMPLE_LETTERHEAD, encoding="utf-8")
        written.append(out / "letterhead.toml")
    return written


def attach_pdf(message: MIMEMultipart, pdf: Path) -> MIMEMultipart:
    """``multipart/mixed``: the message's text and HTML alternatives, then the PDF notice as an attachment.
    The headers move to the new outer part unchanged."""
    mixed = MIMEMultipart("mixed")
    for name, value in message.items():
        if name.lower() not in ("content-type", "mime-version", "content-transfer-encoding"):
            mixed[name] = value
    alternative = MIMEMultipart("alternative")
    for part in message.get_payload():
        alternative.attach(part)
    mixed.attach(alternative)
    attachment = MIMEApplication(pdf.read_bytes(), "pdf")
    attachment.add_header("Content-Disposition", "attachment", filename=pdf.name)
    mixed.attach(attachment)
    return mixed
