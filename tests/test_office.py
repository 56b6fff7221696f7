"""What offices work with, end to end on a small sample province audited twice: the Excel workbook and the
Excel-safe CSV, the official documents (DOCX and PDF, from a province's edited template), the PDF attached
to the e-mail, the Datasette canned queries and the export's JSON Schema, and an axe-core check of every
generated page in headless Chromium.

Run 1 audits four agencies (so-nong-nghiep's portal is dead; so-xay-dung's registry name is the formula
"=1+2"); before run 2, so-tu-phap's focal point disappears, so run 2 is a regression for it.
"""

from __future__ import annotations

import csv
import email
import html
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import jsonschema
import lxml.html
import pytest
import yaml
from docx import Document
from openpyxl import load_workbook

from reports.notice import place_date
from reports.trends import BAND_COLOURS, contrast, label_colour
from tctt.sampleserver import SAMPLE_DIR, serve_sample_province

ROOT = Path(__file__).resolve().parents[1]
AGENCIES = ["so-tu-phap", "so-y-te", "so-xay-dung", "so-nong-nghiep"]
FORMULA_NAME = "=1+2"
SCHEMA = ROOT / "reports" / "schemas" / "export.schema.json"
METADATA = ROOT / "reports" / "datasette" / "metadata.yml"
AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def cut(path: Path, start: str, end: str) -> None:
    text = path.read_text(encoding="utf-8")
    i = text.index(start)
    path.write_text(text[:i] + text[text.index(end, i) + len(end):], encoding="utf-8")


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory, tctt) -> dict:
    tmp = tmp_path_factory.mktemp("office")
    root = tmp / "sample"
    shutil.copytree(SAMPLE_DIR, root, ignore=shutil.ignore_patterns("make_documents.py"))
    with (root / "registry.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["id"] in AGENCIES]
    for row in rows:
        if row["id"] == "so-xay-dung":
            row["name"] = FORMULA_NAME
        if row["parent"] not in AGENCIES:  # a registry's parent must name one of its own agencies
            row["parent"] = ""
    with (root / "registry.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    portals = yaml.safe_load((root / "portals.yaml").read_text(encoding="utf-8"))
    (root / "portals.yaml").write_text(yaml.safe_dump({k: v for k, v in portals.items() if k in AGENCIES}),
                                       encoding="utf-8")
    db, out = tmp / "tctt.db", tmp / "report"
    with serve_sample_province(root, slow_delay=0) as served:
        registry = served.write_registry(tmp / "registry.csv")
        first = tctt("audit", "--registry", str(registry), "--db", str(db), "--out", str(out), "--allow-private")
        assert first.returncode == 0, first.stdout + first.stderr
        cut(root / "portals/so-tu-phap/index.php/tiep-can-thong-tin/index.html",
            "<h2>ĐẦU MỐI CUNG CẤP THÔNG TIN</h2>", "</ul>")
        second = tctt("audit", "--registry", str(registry), "--db", str(db), "--out", str(out), "--allow-private")
        assert second.returncode == 0, second.stdout + second.stderr
    exported = tctt("export", "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    return {"tmp": tmp, "db": db, "out": out, "export": json.loads(exported.stdout)}


def _agency(province: dict, agency_id: str) -> dict:
    return next(a for a in province["export"]["agencies"] if a["id"] == agency_id)


# --- Excel -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workbook(province: dict, tctt) -> Path:
    path = province["tmp"] / "ket-qua.xlsx"
    result = tctt("export", "--db", str(province["db"]), "--format", "xlsx", "--out", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_workbook_sheets_matrix_and_statuses(province: dict, workbook: Path):
    wb = load_workbook(workbook)
    assert wb.sheetnames == ["Tổng hợp", "Ma trận", "Phát hiện", "Theo tiêu chí"]
    matrix = wb["Ma trận"]
    header = [c.value for c in matrix[1]]
    assert header[:6] == ["Mã cơ quan", "Tên cơ quan", "Cấp", "Tình trạng kiểm tra", "Điểm (0–100)", "Xếp loại"]
    assert matrix.freeze_panes == "C2" and matrix.auto_filter.ref.startswith("A1:")
    assert matrix.column_dimensions["B"].width >= 30
    rows = {r[0].value: r for r in matrix.iter_rows(min_row=2)}
    assert set(rows) == set(AGENCIES)
    focal = header.index("focal-point")
    tu_phap = rows["so-tu-phap"]
    assert tu_phap[focal].value == "Không đạt"            # the focal point vanished before run 2
    assert tu_phap[focal].fill.fgColor.rgb.endswith("FFC7CE")
    assert tu_phap[header.index("section-exists")].value == "Đạt"
    assert tu_phap[header.index("section-exists")].fill.fgColor.rgb.endswith("C6EFCE")
    assert tu_phap[4].value == _agency(province, "so-tu-phap")["score"] and isinstance(tu_phap[4].value, float | int)
    dead = rows["so-nong-nghiep"]
    assert dead[3].value == "Không truy cập được" and dead[4].value is None
    assert all(c.value in (None, "") for c in dead[6:])
    assert header[6] == "Chuyên mục TCTT" and tu_phap[6].hyperlink.target == _agency(province, "so-tu-phap")["section"]["url"]
    assert matrix.cell(row=1, column=focal + 1).comment is not None  # the rule's title as a note


def test_workbook_findings_have_links_and_legal_bases(province: dict, workbook: Path):
    sheet = load_workbook(workbook)["Phát hiện"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Mã cơ quan", "Tên cơ quan", "Mã tiêu chí", "Tiêu chí", "Nhóm", "Kết quả"]
    audited = [a for a in province["export"]["agencies"] if a["status"] == "audited"]
    assert sheet.max_row - 1 == sum(len(a["findings"]) for a in audited)
    basis, link = header.index("Căn cứ pháp lý"), header.index("Bằng chứng (liên kết)")
    rows = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "so-y-te"]
    assert any("Nghị định 13/2018/NĐ-CP" in (r[basis].value or "") for r in rows)
    linked = [r[link] for r in rows if r[link].hyperlink is not None]
    warc = header.index("Bản lưu (bản ghi WARC)")  # the page as served, in the run's evidence archive
    assert any(str(r[warc].value).startswith("<urn:uuid:") for r in rows)
    assert linked and all(c.hyperlink.target.startswith("http://127.") for c in linked)


def test_formula_in_a_name_stays_text_in_the_workbook(workbook: Path):
    wb = load_workbook(workbook)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == FORMULA_NAME]
    assert len(cells) >= 2
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    with zipfile.ZipFile(workbook) as z:  # no formula anywhere in the file
        assert not any("<f>" in z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (Debian libreoffice-calc-nogui) not installed")
def test_libreoffice_reads_the_workbook(tmp_path: Path, workbook: Path):
    out = tmp_path / "csv"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", str(out),
         str(workbook)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    matrix = list(csv.reader((out / "ket-qua-Ma trận.csv").open(encoding="utf-8")))
    assert matrix[0][:2] == ["Mã cơ quan", "Tên cơ quan"]
    by_id = {r[0]: r for r in matrix[1:]}
    assert by_id["so-tu-phap"][matrix[0].index("focal-point")] == "Không đạt"
    assert by_id["so-xay-dung"][1] == FORMULA_NAME  # shown as typed, not evaluated to 3
    findings = list(csv.reader((out / "ket-qua-Phát hiện.csv").open(encoding="utf-8")))
    assert findings[0][5] == "Kết quả" and {"Đạt", "Không đạt"} <= {r[5] for r in findings[1:]}


def test_csv_starts_with_a_bom_and_neutralises_formulas(province: dict, tmp_path: Path, tctt):
    result = subprocess.run([sys.executable, "-m", "tctt.cli", "export", "--db", str(province["db"]), "--format",
                             "csv"], capture_output=True, timeout=300)
    assert result.returncode == 0
    assert result.stdout.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(result.stdout.decode("utf-8-sig"))))
    assert rows[0][:3] == ["run_id", "agency_id", "agency_name"]
    assert {r[2] for r in rows[1:] if r[1] == "so-xay-dung"} == {"'" + FORMULA_NAME}
    path = tmp_path / "excel.csv"
    semi = tctt("export", "--db", str(province["db"]), "--format", "csv", "--sep", ";", "--out", str(path))
    assert semi.returncode == 0, semi.stderr
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";")) == rows


def test_xlsx_without_out_is_refused(province: dict, tctt):
    result = tctt("export", "--db", str(province["db"]), "--format", "xlsx")
    assert result.returncode == 2 and "--out" in result.stderr


# --- JSON Schema and Datasette ------------------------------------------------------------------------
def test_export_matches_the_published_schema(province: dict):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert (ROOT / "docs" / "export.schema.json").read_text(encoding="utf-8") == SCHEMA.read_text(encoding="utf-8")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(province["export"])) == []
    broken = json.loads(json.dumps(province["export"]))
    broken["agencies"][0]["findings"][0]["status"] = "failed"
    dead = next(a for a in broken["agencies"] if a["status"] != "audited")
    dead["score"] = 0  # a zero in disguise for an agency that was not audited
    paths = {e.json_path for e in validator.iter_errors(broken)}
    assert "$.agencies[0].findings[0].status" in paths
    assert any(p.endswith(".score") for p in paths)


def _queries() -> dict:
    return yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["tctt"]["queries"]


def _run(db: Path, sql: str) -> list[dict]:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def test_datasette_metadata_names_real_tables_and_columns(province: dict):
    import sqlite3

    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    assert (ROOT / "docs" / "datasette-metadata.yml").read_text(encoding="utf-8") == METADATA.read_text(encoding="utf-8")
    conn = sqlite3.connect(province["db"])
    try:
        for table, spec in metadata["databases"]["tctt"]["tables"].items():
            columns = {r[1] for r in conn.execute(f"pragma table_info('{table}')")}
            assert columns, f"no table {table}"
            assert set(spec.get("columns", {})) <= columns, (table, set(spec["columns"]) - columns)
            assert spec["title"]
    finally:
        conn.close()
    assert set(_queries()) == {"co_quan_theo_xep_loai", "tieu_chi_khong_dat_nhieu_nhat", "co_quan_giam_diem"}


def test_canned_query_agencies_by_band(province: dict):
    rows = _run(province["db"], _queries()["co_quan_theo_xep_loai"]["sql"])
    assert {r["Mã cơ quan"] for r in rows} == set(AGENCIES) and {r["Lượt"] for r in rows} == {2}
    audited = [r for r in rows if r["Tình trạng"] == "audited"]
    assert rows[-1]["Mã cơ quan"] == "so-nong-nghiep" and rows[-1]["Điểm"] is None  # not audited: last, no score
    assert [(r["Xếp loại"], -r["Điểm"]) for r in audited] == sorted((r["Xếp loại"], -r["Điểm"]) for r in audited)
    assert {r["Mã cơ quan"]: r["Xếp loại"] for r in audited} == {
        a["id"]: a["band"] for a in province["export"]["agencies"] if a["status"] == "audited"}


def test_canned_query_rules_most_failed(province: dict):
    rows = _run(province["db"], _queries()["tieu_chi_khong_dat_nhieu_nhat"]["sql"])
    audited = [a for a in province["export"]["agencies"] if a["status"] == "audited"]
    expected = {}
    for a in audited:
        for f in a["findings"]:
            expected.setdefault(f["rule"], 0)
            expected[f["rule"]] += f["status"] == "fail"
    by_rule = {r["Tiêu chí"]: r for r in rows}
    assert by_rule["focal-point"]["Không đạt"] == expected["focal-point"] >= 1
    assert all(by_rule[rule]["Không đạt"] == n for rule, n in expected.items() if rule in by_rule)
    assert [r["Không đạt"] for r in rows] == sorted((r["Không đạt"] for r in rows), reverse=True)
    assert by_rule["focal-point"]["Tên tiêu chí"] and "{" not in by_rule["focal-point"]["Tên tiêu chí"]


def test_canned_query_agencies_that_regressed(province: dict):
    rows = _run(province["db"], _queries()["co_quan_giam_diem"]["sql"])
    by_id = {r["Mã cơ quan"]: r for r in rows}
    assert "so-tu-phap" in by_id
    tu_phap = by_id["so-tu-phap"]
    assert tu_phap["Lượt trước"] == 1 and tu_phap["Lượt"] == 2 and tu_phap["Thay đổi"] < 0
    assert "focal-point" in tu_phap["Tiêu chí mới không đạt"]
    assert "so-nong-nghiep" not in by_id  # never audited: nothing to compare


# --- official documents -------------------------------------------------------------------------------
def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _gap_titles(path: Path) -> list[str]:
    """The first line of the second column of the notice's gap table: the title of each listed gap."""
    table = next(t for t in Document(str(path)).tables
                 if len(t.columns) > 1 and t.rows[0].cells[1].text == "Nội dung chưa đạt")
    return [row.cells[1].paragraphs[0].text for row in table.rows[1:]]


@pytest.fixture(scope="module")
def documents(province: dict, tctt) -> dict:
    """A province's kit: the shipped templates copied, the notice edited (as in Word) and a letterhead."""
    kit = province["tmp"] / "mau-cua-tinh"
    made = tctt("templates", "--out", str(kit))
    assert made.returncode == 0, made.stderr
    notice = Document(str(kit / "thong-bao.docx"))
    notice.paragraphs[0].insert_paragraph_before("Mẫu riêng của Sở Tư pháp tỉnh Mẫu Sơn – bản sửa 2")
    notice.save(str(kit / "thong-bao.docx"))
    (kit / "letterhead.toml").write_text(
        '[letterhead]\nparent = "Ủy ban nhân dân tỉnh Mẫu Sơn"\nname = "Sở Tư pháp"\nplace = "Mẫu Sơn"\n'
        'signatory = "Nguyễn Văn Thẩm"\nsymbol = "TB-STP"\nfirst_number = 41\n'
        'recipients = ["UBND tỉnh (để báo cáo)"]\n', encoding="utf-8")
    out = province["tmp"] / "with-documents"
    result = tctt("report", "--db", str(province["db"]), "--out", str(out), "--pdf", "--templates", str(kit),
                  "--letterhead", str(kit / "letterhead.toml"), "--deadline", "2027-03-31")
    assert result.returncode == 0, result.stdout + result.stderr
    return {"kit": kit, "folder": out / "van-ban"}


def test_notice_docx_lists_failures_legal_bases_and_fixes(province: dict, documents: dict):
    folder = documents["folder"]
    assert sorted(p.name for p in folder.glob("*.docx")) == sorted(
        [f"thong-bao-{a}.docx" for a in AGENCIES] + ["bao-cao-tong-hop.docx"])
    text = _docx_text(folder / "thong-bao-so-tu-phap.docx")
    assert "Mẫu riêng của Sở Tư pháp tỉnh Mẫu Sơn – bản sửa 2" in text  # the province's edited template
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN TỈNH MẪU SƠN" in text and "SỞ TƯ PHÁP" in text and "Nguyễn Văn Thẩm" in text
    assert re.search(r"Số: 4[1-4]/TB-STP", text)
    assert "Mẫu Sơn, ngày " in text and "Kính gửi: Sở Tư pháp tỉnh Mẫu Sơn." in text
    assert "UBND tỉnh (để báo cáo)" in text and "31/03/2027" in text
    agency = _agency(province, "so-tu-phap")
    gaps = [f for f in agency["findings"] if f["status"] in ("fail", "partial")]
    assert gaps and any(f["rule"] == "focal-point" for f in gaps)
    for finding in gaps:
        assert finding["title"] in text and finding["how_to_fix"][:60] in text
        assert any(b["citation"].split(" (")[0] in text for b in finding["legal_basis"])
    assert _gap_titles(folder / "thong-bao-so-tu-phap.docx") == [f["title"] for f in gaps]  # nothing else
    with zipfile.ZipFile(folder / "thong-bao-so-tu-phap.docx") as z:
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
    assert "Bản lưu trang: <urn:uuid:" in text
    assert 'TargetMode="External"' in rels and "http://127." in rels  # evidence links are real hyperlinks


def test_manual_findings_are_not_listed_as_failures(province: dict, documents: dict):
    agency = _agency(province, "so-y-te")
    manual = [f for f in agency["findings"] if f["status"] == "manual"]
    assert manual
    text = _docx_text(documents["folder"] / "thong-bao-so-y-te.docx")
    gaps_part, _, manual_part = text.partition("Các nội dung cần cán bộ kiểm tra xác minh trực tiếp")
    assert manual_part and all(f["title"] in manual_part for f in manual)
    listed = _gap_titles(documents["folder"] / "thong-bao-so-y-te.docx")
    assert listed == [f["title"] for f in agency["findings"] if f["status"] in ("fail", "partial")]
    assert not set(listed) & {f["title"] for f in manual}


def test_summary_report_counts_and_ranks(province: dict, documents: dict):
    text = _docx_text(documents["folder"] / "bao-cao-tong-hop.docx")
    assert "BÁO CÁO" in text and "Số: 45/BC-STP" in text
    assert "Tổng số cơ quan trong phạm vi kiểm tra: 4; đã kiểm tra được: 3; chưa kiểm tra được: 1" in text
    assert "không truy cập được: 1" in text
    for agency in province["export"]["agencies"]:
        assert agency["name"] in text
    table = next(t for t in Document(str(documents["folder"] / "bao-cao-tong-hop.docx")).tables
                 if len(t.columns) > 3 and t.rows[0].cells[3].text == "Số cơ quan chưa đạt")
    counts = [int(r.cells[3].text) for r in table.rows[1:]]
    assert counts and counts == sorted(counts, reverse=True) and len(counts) <= 10
    audited = [a for a in province["export"]["agencies"] if a["status"] == "audited"]
    most = max(sum(f["rule"] == rule and f["status"] in ("fail", "partial") for a in audited for f in a["findings"])
               for rule in {f["rule"] for a in audited for f in a["findings"]})
    assert counts[0] == most


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (Debian libreoffice-writer-nogui) not installed")
def test_notice_pdf_renders_with_failures_bases_and_fixes(province: dict, documents: dict, tmp_path: Path):
    from PIL import Image

    pdf = documents["folder"] / "thong-bao-so-tu-phap.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "THÔNG BÁO" in flat and "Mẫu riêng của Sở Tư pháp tỉnh Mẫu Sơn" in flat and "Số: 41/TB-STP" in flat
    focal = next(f for f in _agency(province, "so-tu-phap")["findings"] if f["rule"] == "focal-point")
    assert focal["title"] in flat and "Căn cứ pháp lý" in flat and "Cách khắc phục" in flat
    assert "Điều 11 khoản 1 Nghị định 13/2018/NĐ-CP" in flat  # the focal point's legal basis
    assert " ".join(focal["how_to_fix"].split()[:6]) in flat
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=120)
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(page.histogram()[:128])
    assert page.size[0] > 250 and dark > 2000  # a rendered page with text, not a blank sheet
    assert (documents["folder"] / "bao-cao-tong-hop.pdf").read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)  # structure for screen readers


def test_accepted_finding_leaves_the_notice(province: dict, tmp_path: Path, tctt):
    db = tmp_path / "tctt.db"
    shutil.copyfile(province["db"], db)
    decided = tctt("decide", "add", "--db", str(db), "--agency", "so-tu-phap", "--rule", "focal-point", "--as",
                   "compliant", "--reason", "Đầu mối đăng ở trang Giới thiệu", "--inspector", "Trần Thị B",
                   "--expires", "2099-01-01")
    assert decided.returncode == 0, decided.stderr
    result = tctt("report", "--db", str(db), "--out", str(tmp_path / "r"), "--docx")
    assert result.returncode == 0, result.stderr
    text = _docx_text(tmp_path / "r" / "van-ban" / "thong-bao-so-tu-phap.docx")
    focal = next(f for f in _agency(province, "so-tu-phap")["findings"] if f["rule"] == "focal-point")
    assert focal["title"] not in text


def test_a_broken_template_is_refused_clearly(province: dict, tmp_path: Path, tctt):
    kit = tmp_path / "kit"
    kit.mkdir()
    (kit / "thong-bao.docx").write_bytes(b"not a zip")
    result = tctt("report", "--db", str(province["db"]), "--out", str(tmp_path / "r"), "--docx",
                  "--templates", str(kit))
    assert result.returncode == 2 and "Mẫu văn bản lỗi" in result.stderr and "thong-bao.docx" in result.stderr
    (kit / "letterhead.toml").write_text('[letterhead]\nsignatroy = "x"\n', encoding="utf-8")
    result = tctt("report", "--db", str(province["db"]), "--out", str(tmp_path / "r"), "--docx", "--letterhead",
                  str(kit / "letterhead.toml"))
    assert result.returncode == 2 and "signatroy" in result.stderr


def test_portal_text_cannot_become_word_markup(province: dict, tmp_path: Path, tctt):
    import sqlite3

    db = tmp_path / "tctt.db"
    shutil.copyfile(province["db"], db)
    hostile = 'Sở Y tế </w:t></w:r><w:r><w:t>& "chèn" {{ 7*7 }} {%p if x %}'
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("update agencies set name = ? where id = 'so-y-te'", [hostile])
    conn.close()
    result = tctt("report", "--db", str(db), "--out", str(tmp_path / "r"), "--docx")
    assert result.returncode == 0, result.stderr
    text = _docx_text(tmp_path / "r" / "van-ban" / "thong-bao-so-y-te.docx")
    assert f"Kính gửi: {hostile}." in text and "49" not in text.split("Kính gửi")[1][:80]


def test_place_and_date_follow_decree_30():
    assert place_date("Mẫu Sơn", date(2026, 2, 5)) == "Mẫu Sơn, ngày 05 tháng 02 năm 2026"
    assert place_date("Mẫu Sơn", date(2026, 12, 4)) == "Mẫu Sơn, ngày 04 tháng 12 năm 2026"
    assert place_date("Hà Nội", date(2027, 3, 21)) == "Hà Nội, ngày 21 tháng 3 năm 2027"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (Debian libreoffice-writer-nogui) not installed")
def test_email_attaches_the_pdf_notice(province: dict, tmp_path: Path, tctt):
    config = tmp_path / "tctt.toml"
    config.write_text(f'[audit]\ndb = "{province["db"]}"\n[email]\nfrom = "Sở Tư pháp <stp@mauson.example>"\n'
                      f'outbox = "{tmp_path / "outbox"}"\n', encoding="utf-8")
    result = tctt("email", "--config", str(config), "--attach-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    message = email.message_from_bytes((tmp_path / "outbox" / "run-2" / "so-tu-phap.eml").read_bytes())
    assert message.get_content_type() == "multipart/mixed" and message["X-TCTT-Agency"] == "so-tu-phap"
    types = [p.get_content_type() for p in message.walk()]
    assert types == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]
    attachment = message.get_payload()[1]
    assert attachment.get_filename() == "thong-bao-so-tu-phap.pdf"
    assert attachment.get_payload(decode=True).startswith(b"%PDF")


# --- accessibility ------------------------------------------------------------------------------------
def axe(page: Path) -> list[dict]:
    """axe-core's violations on ``page``, run in headless Chromium: a copy of the page with axe and a
    runner appended writes the result into the DOM, which Chromium dumps."""
    runner = ("<script>" + AXE.read_text(encoding="utf-8") + "</script><script>"
              "axe.run(document).then(function (r) { return r.violations; }, function (e) { return {error: String(e)}; })"
              ".then(function (v) { var out = document.createElement('pre'); out.id = 'axe-result';"
              " out.textContent = JSON.stringify(v); document.body.appendChild(out); });</script>")
    probe = page.with_name(page.stem + ".axe-probe.html")
    # A page's Content-Security-Policy (the archive's pages forbid every script) would stop axe itself.
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
    probe.write_text(text.replace("</body>", runner + "</body>"), encoding="utf-8")
    try:
        result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                 "--virtual-time-budget=30000", "--dump-dom", probe.as_uri()],
                                capture_output=True, text=True, timeout=180)
    finally:
        probe.unlink()
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stderr[-2000:]
    violations = json.loads(html.unescape(found.group(1)))
    assert isinstance(violations, list), violations
    return violations


def _describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
                     for v in violations)


@pytest.fixture(scope="module")
def pages(province: dict, tctt) -> dict[str, Path]:
    out = province["out"]
    rules = tctt("rules", "docs", "--out", str(province["tmp"] / "rules"))
    assert rules.returncode == 0, rules.stderr
    config = province["tmp"] / "mail.toml"
    config.write_text(f'[audit]\ndb = "{province["db"]}"\n[email]\nfrom = "Sở Tư pháp <stp@mauson.example>"\n'
                      f'outbox = "{province["tmp"] / "outbox-a11y"}"\n[report]\ndeadline = "2027-03-31"\n'
                      'scorecard_base_url = "https://stp.mauson.example/tctt/"\n', encoding="utf-8")
    mailed = tctt("email", "--config", str(config))
    assert mailed.returncode == 0, mailed.stderr
    english = tctt("report", "--db", str(province["db"]), "--out", str(province["tmp"] / "report-en"),
                   "--lang", "en")
    assert english.returncode == 0, english.stderr
    archived = sorted((out / "archive").glob("*.html"))
    return {
        "archived_html": next(p for p in archived if "<iframe" in p.read_text(encoding="utf-8")),
        "archived_document": next(p for p in archived if "<iframe" not in p.read_text(encoding="utf-8")),
        "province": out / "province" / "index.html", "act": out / "province" / "act.html",
        "report_en": province["tmp"] / "report-en" / "index.html",
        "agency_en": province["tmp"] / "report-en" / "agencies" / "so-y-te.html",
        "report": out / "index.html", "agency": out / "agencies" / "so-tu-phap.html",
        "unreachable": out / "agencies" / "so-nong-nghiep.html", "trends": out / "trends" / "index.html",
        "trend": out / "trends" / "so-tu-phap.html", "rules": province["tmp"] / "rules" / "index.html",
        "email": province["tmp"] / "outbox-a11y" / "run-2" / "so-tu-phap.html",
    }


needs_axe = pytest.mark.skipif(CHROMIUM is None or not AXE.is_file(),
                               reason="chromium and axe-core (scripts/setup.sh --test) are needed")


@needs_axe
@pytest.mark.parametrize("name", ["report", "agency", "unreachable", "trends", "trend", "rules", "email", "report_en",
                                  "agency_en", "province", "act", "archived_html", "archived_document"])
def test_generated_pages_pass_axe(pages: dict[str, Path], name: str):
    violations = axe(pages[name])
    assert violations == [], _describe(violations)


@needs_axe
def test_axe_check_catches_a_new_violation(pages: dict[str, Path], tmp_path: Path):
    page = tmp_path / "broken.html"
    page.write_text(pages["report"].read_text(encoding="utf-8").replace(
        "</main>", '<img src="chart.png"><p style="color:#bbbbbb;background:#ffffff">mờ</p></main>'), encoding="utf-8")
    found = {v["id"] for v in axe(page)}
    assert {"image-alt", "color-contrast"} <= found


def test_english_passages_of_the_email_are_marked(pages: dict[str, Path]):
    doc = lxml.html.fromstring(pages["email"].read_bytes())
    assert doc.get("lang") == "vi"
    english = doc.xpath('//*[contains(concat(" ", normalize-space(@class), " "), " en ")]')
    assert english and all(e.get("lang") == "en" for e in english)
    for phrase in ("How to fix", "Legal basis", "Full scorecard"):
        holders = [e for e in doc.iter() if isinstance(e.tag, str) and phrase in (e.text or "")]
        assert holders and all(h.xpath("ancestor-or-self::*[@lang][1]/@lang") == ["en"] for h in holders), phrase


def test_chart_labels_have_wcag_contrast():
    for fill in BAND_COLOURS:
        assert contrast(label_colour(fill), fill) >= 4.5, fill
    assert round(contrast("#ffffff", "#000000"), 1) == 21.0


# --- fast checks of the writers on a hand-made model ---------------------------------------------------
HOSTILE = ["=HYPERLINK(\"http://x.invalid\",\"bấm\")", "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "Sở\x07 bình thường"]


def _model() -> dict:
    basis = {"instrument": "Nghị định 13/2018/NĐ-CP", "article": "11", "clause": "1", "point": None,
             "in_force": {"from": "2018-07-01", "to": None}, "provisional": False, "residual": False,
             "citation": "Điều 11 khoản 1 Nghị định 13/2018/NĐ-CP"}
    agencies = []
    for i, name in enumerate(HOSTILE):
        agencies.append({
            "id": f"a{i}", "name": name, "url": f"https://a{i}.example.gov.vn/", "level": "department",
            "province": "Thử", "email": "", "status": "audited", "status_detail": "", "score": 50.5, "band": "D",
            "band_label": "Trung bình", "section": None, "candidates": [],
            "findings": [{"rule": "focal-point", "status": "fail", "score": 0, "max_score": 3, "class": "essential",
                          "title": "Chưa công bố đầu mối", "message": name, "legal_basis": [basis],
                          "evidence": [{"url": "javascript:alert(1)", "excerpt": "-x", "fetched_at": None}],
                          "how_to_fix": "Công bố đầu mối", "covers": ["TCTT-05"]}]})
    run = {"id": 7, "started_at": None, "finished_at": None, "status": "complete", "audit_date": "2026-11-26",
           "ruleset": "tctt-core", "ruleset_version": "1", "tool_version": "0", "agencies_total": len(agencies),
           "agencies_audited": len(agencies), "average_score": 50.5, "regime": None}
    return {"run": run, "agencies": agencies, "lang": "vi", "bands": [{"id": "D", "min_score": 50, "label": "Trung bình"}]}


def test_every_formula_prefix_stays_inert(tmp_path: Path):
    from reports.xlsx import excel_csv, write_xlsx

    path = write_xlsx(_model(), tmp_path / "x.xlsx")
    wb = load_workbook(path)
    names = [r[1].value for r in wb["Ma trận"].iter_rows(min_row=2)]
    assert names == [n.replace("\x07", "") for n in HOSTILE]  # as typed; the control character dropped
    for ws in wb:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r":
                    assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
    findings = wb["Phát hiện"]
    assert all(r[11].hyperlink is None for r in findings.iter_rows(min_row=2))  # javascript: is never linked
    rows = list(csv.reader(io.StringIO(excel_csv(_model()).removeprefix("\ufeff"), newline="")))
    for row in rows[1:]:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row if cell), row
    assert {r[2] for r in rows[1:]} >= {"'" + HOSTILE[0], "'+1+2", "'-2+3", "'@SUM(A1)", "'\tTab", "'\rCR"}
