"""Registries as offices keep them: Excel's CSV forms on Vietnamese Windows, XLSX, several e-mails per cell,
parents that must exist — and the national starter registry and official units shipped as data."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from core import units
from core.registry import RegistryError, load_registry
from core.vntext import to_cp1258

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["id", "name", "level", "parent", "province", "url", "email"]
ROWS = [
    ["tinh-68", "Ủy ban nhân dân tỉnh Lâm Đồng", "province", "", "Lâm Đồng", "https://lamdong.gov.vn/",
     "vp@lamdong.gov.vn"],
    ["lam-dong-so-tu-phap", "Sở Tư pháp tỉnh Lâm Đồng", "department", "tinh-68", "Lâm Đồng",
     "https://stp.lamdong.gov.vn/", "stp@lamdong.gov.vn; tctt.stp@lamdong.gov.vn\nvanthu@lamdong.gov.vn"],
    ["xa-24886", "Ủy ban nhân dân xã Đam Rông 1", "commune", "tinh-68", "Lâm Đồng", "https://damrong1.lamdong.gov.vn/", ""],
]


def excel_csv(path: Path, rows: list[list[str]], *, encoding: str, delimiter: str) -> Path:
    """What Excel writes: 'CSV (Comma delimited)' on Vietnamese Windows (cp1258, ';') or 'Unicode Text'."""
    lines = []
    for row in [HEADER, *rows]:
        cells = ['"' + c.replace('"', '""') + '"' if (delimiter in c or "\n" in c or '"' in c) else c for c in row]
        lines.append(delimiter.join(cells))
    text = "\r\n".join(lines) + "\r\n"
    if encoding == "cp1258":
        path.write_bytes(to_cp1258(text))
    else:
        path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return path


def test_excel_csv_semicolons_windows_1258(tmp_path):
    path = excel_csv(tmp_path / "so-dang-ky.csv", ROWS, encoding="cp1258", delimiter=";")
    with pytest.raises(UnicodeDecodeError):  # really not UTF-8
        path.read_bytes().decode("utf-8")
    agencies = load_registry(path)
    assert [a.name for a in agencies] == [r[1] for r in ROWS]  # diacritics back, composed (NFC)
    assert agencies[1].email == "stp@lamdong.gov.vn, tctt.stp@lamdong.gov.vn, vanthu@lamdong.gov.vn"
    assert [a.line for a in agencies] == [2, 3, 5]  # the e-mail cell of line 3 spans two lines


def test_excel_unicode_text_utf16_tabs(tmp_path):
    path = excel_csv(tmp_path / "so-dang-ky.txt", ROWS, encoding="utf-16", delimiter="\t")
    assert [a.id for a in load_registry(path)] == [r[0] for r in ROWS]


def test_xlsx_first_sheet_header_row(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append([])  # offices often leave a blank row (or a title) above the header
    sheet.append(HEADER + ["unit_code"])
    for row in ROWS:
        sheet.append(row + [row[0].split("-")[-1] if row[2] == "commune" else ""])
    book.create_sheet("Ghi chú").append(["id"])  # other sheets are ignored
    path = tmp_path / "so-dang-ky.xlsx"
    book.save(path)
    agencies = load_registry(path)
    assert [a.line for a in agencies] == [3, 4, 5]
    assert agencies[2].unit_code == "24886"


def test_bad_parent_refused_with_its_line(tmp_path, tctt):
    rows = [*ROWS, ["lam-dong-so-y-te", "Sở Y tế", "department", "ubnd-lam-dong", "Lâm Đồng",
                    "https://syt.lamdong.gov.vn/", ""]]
    path = excel_csv(tmp_path / "so-dang-ky.csv", rows, encoding="cp1258", delimiter=";")
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    [problem] = caught.value.problems
    assert problem.startswith(f"{path}:6:") and "ubnd-lam-dong" in problem and "names no agency" in problem
    result = tctt('registry', 'check', str(path), cwd=ROOT)
    assert result.returncode == 2 and f"{path}:6:" in result.stderr


def test_parent_loop_and_bad_email_in_a_list(tmp_path):
    rows = [["a", "A", "department", "b", "X", "https://a.gov.vn/", "ok@a.gov.vn, sai-dia-chi"],
            ["b", "B", "department", "a", "X", "https://b.gov.vn/", ""]]
    path = excel_csv(tmp_path / "r.csv", rows, encoding="cp1258", delimiter=";")
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    text = "\n".join(caught.value.problems)
    assert "invalid email 'sai-dia-chi'" in text and "loop" in text


def test_official_units():
    provinces = units.provinces()
    assert len(provinces) == 34
    assert sum(len(units.communes(p.code)) for p in provinces) == 3321
    assert units.match_province("TP. Hồ Chí Minh").codename == "ho_chi_minh"
    assert units.match_province("lamdong").code == 68 and units.match_province("Mẫu Sơn") is None
    match = units.match_commune(68, "UBND XÃ ĐAM RÔNG 1")
    assert match and match.unit.code == 24886
    assert units.match_commune(68, "", "xa-lac-duong").unit.name == "Xã Lạc Dương"
    assert units.by_code(4).name == "Phường Ba Đình" and units.by_code("tinh-04").name == "Tỉnh Cao Bằng"


def test_national_starter_registry(tmp_path, tctt):
    path = units.UNITS_CSV.with_name("national-registry.csv")
    agencies = load_registry(path)
    provinces = [a for a in agencies if a.level == "province"]
    assert len(provinces) == 34 and len([a for a in agencies if a.level == "ministry"]) >= 17
    assert sorted(int(a.unit_code) for a in provinces) == sorted(p.code for p in units.provinces())
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # Nothing here was checked online: every row says so and names where its address comes from.
    assert all(r["verified"] == "no" and "not checked online" in r["source"] for r in rows)
    out = tmp_path / "starter.xlsx"
    result = tctt('registry', 'starter', '--out', str(out), cwd=ROOT)
    assert result.returncode == 0 and len(load_registry(out)) == len(agencies)


def test_unit_code_must_be_official_for_the_level(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,name,level,parent,province,url,email,unit_code\n"
                    "tinh-68,UBND tỉnh Lâm Đồng,province,,Lâm Đồng,https://lamdong.gov.vn/,,68\n"
                    "xa-1,UBND xã Không Có,commune,tinh-68,Lâm Đồng,https://khongco.lamdong.gov.vn/,,99999\n"
                    "stp,Sở Tư pháp,department,tinh-68,Lâm Đồng,https://stp.lamdong.gov.vn/,,24886\n", encoding="utf-8")
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    problems = caught.value.problems
    assert len(problems) == 2 and problems[0].startswith(f"{path}:3:") and "'99999'" in problems[0]
    assert problems[1].startswith(f"{path}:4:") and "provinces and communes only" in problems[1]


def test_legacy_xls_workbook(tmp_path):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("So dang ky")
    for r, row in enumerate([HEADER + ["unit_code"], *[row + ["68" if row[2] == "province" else ""] for row in ROWS[:2]]]):
        for c, value in enumerate(row):
            sheet.write(r, c, int(value) if value.isdigit() else value)
    path = tmp_path / "so-dang-ky.xls"
    book.save(str(path))
    agencies = load_registry(path)
    assert [a.name for a in agencies] == [ROWS[0][1], ROWS[1][1]] and agencies[0].unit_code == "68"


def test_discover_by_province_starts_from_the_starter_registry():
    from tctt.commands.discover import _starter_url

    assert _starter_url("Lâm Đồng") == "https://lamdong.gov.vn/"
    assert _starter_url("TP. Hồ Chí Minh") == "https://hochiminhcity.gov.vn/"
    assert _starter_url("Mẫu Sơn") is None
