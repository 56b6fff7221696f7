"""Phones, e-mail addresses and dates read by library: one definition each, shared by every reader."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import lxml.html
import pytest

from core import emails
from core.registry import RegistryError, load_registry
from core.vntext import find_dates, find_emails, find_phones
from crawler.htmlpage import parse_html
from crawler.pagedate import page_date
from tctt.mail import parse_recipients


@pytest.mark.parametrize("text,expected", [
    ("Mã số thuế: 0100109106", []),
    ("MST 0312345678 (chi nhánh)", []),
    ("Số tài khoản 0123456789 tại Kho bạc", []),
    ("Đường dây nóng: 1900 1234", ["19001234"]),
    ("Tổng đài miễn phí 1800.1091", ["18001091"]),
    ("ĐT: (024) 3795 6868 - máy lẻ 1806; di động 0988.737.067", ["02437956868", "0988737067"]),
    ("Điện thoại +84 236 3821 234", ["02363821234"]),
    ("Quyết định số 12/QĐ-UBND ngày 07/01/2025", []),
])
def test_phones_follow_the_vietnamese_numbering_plan(text, expected):
    assert find_phones(text) == expected


def test_a_tax_code_that_fits_the_plan_is_still_not_a_phone_when_labelled():
    assert find_phones("Mã số thuế: 0912345678") == []
    assert find_phones("Di động: 0912345678") == ["0912345678"]


@pytest.mark.parametrize("address,valid", [
    ("vanphong@stp.hanoi.gov.vn", True), ("o'brien+tctt@so.gov.vn", True), ("a@b.vn", True),
    ("a b@c.vn", False), ("a@-b.vn", False), ("a@b", False), ("@b.vn", False), ("a@b.vn\nBcc: x@y.vn", False),
    ("a..b@c.vn", False),
])
def test_one_definition_of_an_address(address, valid):
    assert emails.is_valid(address) is valid


def test_registry_mailer_and_auditors_agree(tmp_path: Path):
    field = "vp@a.gov.vn; gd@a.gov.vn"
    assert parse_recipients(field) == (["vp@a.gov.vn", "gd@a.gov.vn"], None)
    header = "id,name,level,parent,province,url,email\n"
    good = tmp_path / "good.csv"
    good.write_text(header + f'so-a,Sở A,department,,Tỉnh,https://a.gov.vn,"{field}"\n', encoding="utf-8")
    stored = load_registry(good)[0].email  # the registry keeps the addresses, comma-separated
    assert parse_recipients(stored) == (["vp@a.gov.vn", "gd@a.gov.vn"], None)
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "so-b,Sở B,department,,Tỉnh,https://b.gov.vn,vp@-b.gov.vn\n", encoding="utf-8")
    with pytest.raises(RegistryError):
        load_registry(bad)
    # What the auditors find in text is what the registry and the mailer would accept.
    for found in find_emails("Liên hệ: hòm thưvp@a.gov.vn, gd@a.gov.vn. Sai: x@-y.vn"):
        assert emails.is_valid(found) and parse_recipients(found)[1] is None
    assert find_emails("hòm thưvp@a.gov.vn x@-y.vn") == ["vp@a.gov.vn"]


@pytest.mark.parametrize("text,expected", [
    ("Cập nhật: 2025-01-07", [date(2025, 1, 7)]),
    ("ngày 2025/01/07 lúc 2025-01-08T10:00", [date(2025, 1, 7), date(2025, 1, 8)]),
    ("Báo cáo tháng 01/2025", [date(2025, 1, 1)]),
    ("Kỳ tháng 3 năm 2024", [date(2024, 3, 1)]),
    ("ngày 07 tháng 01 năm 2025", [date(2025, 1, 7)]),
    ("Số 12/2025/QĐ-UBND", []),
    ("2025-02-30", []),
])
def test_dates_in_iso_year_first_and_month_forms(text, expected):
    assert find_dates(text) == expected


PAGE = """<html><head><title>Danh mục</title>
<meta property="article:modified_time" content="2025-03-04T08:00:00+07:00">
<script type="application/ld+json">{"@type": "WebPage", "dateModified": "2025-03-04"}</script>
</head><body><h1>Danh mục thông tin phải được công khai</h1><p>© 2010 Sở Tư pháp</p></body></html>"""


def test_page_dates_from_markup_offline():
    assert page_date(lxml.html.document_fromstring(PAGE)) == "2025-03-04"
    assert page_date(lxml.html.document_fromstring("<html><body><time datetime='2024-11-20'>20/11</time>"
                                                    "<p>x</p></body></html>")) == "2024-11-20"
    # No markup date: None (a copyright year in the footer is not the page's date).
    assert page_date(lxml.html.document_fromstring("<html><body><p>© 2010</p></body></html>")) is None
    assert page_date(None) is None


def test_the_crawler_keeps_the_declared_date_with_the_page_features():
    parsed = parse_html(PAGE.encode(), "https://so.gov.vn/danh-muc")
    assert parsed.features["date"] == "2025-03-04"
    assert "dateModified" not in parsed.text  # the JSON-LD script is still dropped from the text
