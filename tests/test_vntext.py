from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from core.vntext import compact, excerpt, find_dates, find_emails, find_phones, fold, nfc, slug_words


def test_fold_strips_diacritics_case_and_d():
    assert fold("TIẾP CẬN THÔNG TIN") == "tiep can thong tin"
    assert fold("Đầu mối") == "dau moi"
    # NFD input (combining marks) folds the same as NFC input.
    assert fold("Tie\u0302\u0301p ca\u0323\u0302n") == "tiep can"


def test_slug_and_compact_forms():
    assert slug_words("/index.php/tiep-can_thong-tin.html") == "index php tiep can thong tin html"
    assert compact("Tiếp cận thông tin") == "tiepcanthongtin"


def test_emails_glued_to_words_and_trailing_dot():
    text = "địa chỉ thư điện tử: hòm thưvanphong@sotuphap.mauson.gov.vn. Hoặc TCTT@Hanoi.gov.vn"
    assert find_emails(text) == ["vanphong@sotuphap.mauson.gov.vn", "tctt@hanoi.gov.vn"]


def test_phones_dotted_spaced_and_extensions():
    text = "số điện thoại 024.3795.6868 máy lẻ 1806, di động 0988.737.067; fax (0236) 3821 234; +84 912 345 678"
    assert find_phones(text) == ["02437956868", "0988737067", "02363821234", "0912345678"]


def test_phones_ignore_dates_and_short_numbers():
    assert find_phones("ngày 07/01/2025, số 12/QĐ-UBND") == []


def test_day_first_dates_in_words_and_digits():
    assert find_dates("ngày 07 tháng 01 năm 2025 và 31/12/2024; 31/02/2024 không hợp lệ") == [
        date(2025, 1, 7), date(2024, 12, 31)]


def test_excerpt_centres_on_the_needle():
    text = "Lorem ipsum " * 30 + "ĐẦU MỐI cung cấp thông tin: chị Lan" + " dolor" * 30
    snippet = excerpt(text, "dau moi", width=80)
    assert "ĐẦU MỐI" in snippet and snippet.startswith("…")


@given(st.text())
def test_text_helpers_never_raise(text):
    fold(text), nfc(text), find_emails(text), find_phones(text), find_dates(text), excerpt(text, "a")


@settings(max_examples=500)
@given(st.text())
def test_fast_fold_matches_the_reference_definition(text: str) -> None:
    """fold() takes shortcuts (NFD + one regex, memoised); it must equal NFD minus every combining mark."""
    import unicodedata

    from core.vntext import _SPACES

    reference = "".join(ch for ch in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
                        if not unicodedata.combining(ch))
    assert fold(text) == _SPACES.sub(" ", reference.lower()).strip()


def test_whitespace_is_what_the_re_module_calls_whitespace():
    # squash() and fold() collapse whitespace with str.split(); they used re's \s: the two must agree.
    import re
    import sys

    assert all(bool(re.match(r"\s", ch)) == ch.isspace() for ch in map(chr, range(sys.maxunicode + 1)))
