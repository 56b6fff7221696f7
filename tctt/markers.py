"""The words of an access-to-information section, shared by the crawler (to find and classify pages)
and the auditors (to read the evidence): one vocabulary, so the two never drift apart.

Every pattern matches folded text (``tctt.vntext.fold``: no case, no diacritics, đ→d).
"""

from __future__ import annotations

import re

# Element kinds of Decree 13/2018 Điều 11 k1 (plus the regulation and the conditional catalogue).
ELEMENT_PATTERNS: dict[str, list[str]] = {
    "public_catalogue": [
        r"danh muc (tiep can )?thong tin (phai )?(duoc )?cong khai",  # "Danh mục tiếp cận thông tin công khai" too
        r"danh muc (cac )?noi dung cong khai",
        r"danh muc thong tin cong khai",
    ],
    "conditional_catalogue": [r"danh muc thong tin (cong dan )?(duoc )?tiep can co dieu kien"],
    "focal_point": [
        r"dau moi (cung cap|tiep can|tiep nhan)( yeu cau)?( cung cap)? thong tin",
        r"(can bo|bo phan|don vi|nguoi) (lam )?dau moi",
    ],
    "request_address": [
        r"tiep nhan (phieu )?yeu cau cung cap thong tin",
        r"tiep nhan (phieu )?yeu cau qua mang",
        r"dia chi (thu dien tu |email )?tiep nhan (phieu )?yeu cau",
        r"gui (phieu )?yeu cau cung cap thong tin",
        r"cung cap thong tin theo yeu cau",
        r"yeu cau cung cap thong tin qua mang",
    ],
    "complaint_channel": [
        r"phan anh,? kien nghi",
        r"khieu nai,? to cao",
        r"gop y,? phan anh|phan anh,? gop y",
    ],
    "forms": [
        r"mau (so )?0?1[ab]\b",
        r"mau (so )?0[2-6]\b",
        r"phieu yeu cau cung cap thong tin(?!,? du lieu)",
    ],
    "guidance": [
        r"huong dan (cong dan )?(khai thac|yeu cau|tiep can|thuc hien quyen tiep can|cung cap|thu tuc yeu cau)"
        r"( cung cap)? thong tin",
        r"huong dan (gui|lap) (phieu )?yeu cau",
    ],
    # The internal regulation on organising the provision of information (Law 104/2016 Điều 34 k1 h,
    # Decree 13/2018 Điều 12 k1), under either usual title, but not the press regulation ("Quy chế … cung
    # cấp thông tin cho báo chí", Decree 244/2026 Điều 8 k3), which is a different document.
    "regulation": [
        r"quy che (noi bo )?(ve )?(viec )?(to chuc )?(viec )?(cung cap|tiep can) thong tin(?!,? (cho|voi|doi voi) (cac )?"
        r"(co quan )?(bao chi|bao|phong vien))",
    ],
    "download": [
        r"co so du lieu( van ban)?",
        r"tra cuu van ban",
        r"tai (thong tin|ve|van ban)",
        r"dia chi truy cap de tai",
    ],
}

# Titles that name a regulation but not this one: working rules, the spokesperson's and the press rules.
NOT_REGULATION = re.compile(r"quy che lam viec|phat ngon|bao chi")

# The focal point's heading as the auditors read it: its first words are enough, since headings are often
# cut short ("Đầu mối tiếp nhận…"), where the crawler wants the whole phrase.
FOCAL_POINT_HEADING = r"dau moi (cung cap|tiep can|tiep nhan)|(can bo|bo phan|don vi|nguoi) (lam )?dau moi"

# The spokesperson (Decree 244/2026 Điều 3): the person named, not the press regulation.
SPOKESPERSON = r"nguoi (duoc giao )?(lam )?phat ngon|phat ngon vien"

# A list of the spokespersons of subordinate bodies (ministries and provinces, Decree 244/2026 Điều 3 k3).
SPOKESPERSON_LIST = (r"danh sach (cac )?nguoi phat ngon|nguoi phat ngon (cua )?(cac )?(so|ban|nganh|don vi|xa|phuong"
                     r"|dia phuong)")

# Request forms for land or survey data share the Decree 13 numbers but are other forms.
LAND_DATA_FORMS = r"yeu cau cung cap thong tin,? du lieu|dat dai|do dac|quy hoach"

# The five contents of the regulation that Law 104/2016 Điều 34 k1 h lists, as found in its text.
REGULATION_CONTENTS: dict[str, str] = {
    "focal_point": r"dau moi",
    "transfer": r"chuyen giao.{0,40}thong tin|thong tin.{0,20}chuyen giao",
    "classification": r"phan loai.{0,30}thong tin",
    "updating": r"cap nhat.{0,40}(thong tin|danh muc)",
    "procedure": r"(trinh tu|thu tuc).{0,60}(yeu cau|cung cap thong tin)|(tiep nhan|xu ly|giai quyet),? (phieu )?yeu cau",
}

_REGULATION = re.compile("|".join(ELEMENT_PATTERNS["regulation"]))


def names_regulation(folded: str) -> bool:
    """True when a (folded) title names the internal regulation on providing information."""
    return bool(_REGULATION.search(folded)) and not NOT_REGULATION.search(folded)


# Form numbers of Decree 13/2018 Điều 5 ("Mẫu số 01a" … "Mẫu số 06"), but not land-data forms such as
# "Mẫu số 02/PYC", which share the numbers.
FORM_CODE = re.compile(r"mau (?:so )?0?(1a|1b|2|3|4|5|6)\b(?!\s*/)")


def form_codes(folded: str) -> set[str]:
    """The Decree 13 form numbers named in folded text: {'01a', '02', …}."""
    return {code if len(code) == 3 else "0" + code for code in FORM_CODE.findall(folded)}
