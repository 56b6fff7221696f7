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
    "regulation": [
        r"quy che (noi bo )?(ve )?(to chuc )?cung cap thong tin",
        r"quy che (noi bo )?(ve )?tiep can thong tin",
    ],
    "download": [
        r"co so du lieu( van ban)?",
        r"tra cuu van ban",
        r"tai (thong tin|ve|van ban)",
        r"dia chi truy cap de tai",
    ],
}

# Form numbers of Decree 13/2018 Điều 5 ("Mẫu số 01a" … "Mẫu số 06"), but not land-data forms such as
# "Mẫu số 02/PYC", which share the numbers.
FORM_CODE = re.compile(r"mau (?:so )?0?(1a|1b|2|3|4|5|6)\b(?!\s*/)")


def form_codes(folded: str) -> set[str]:
    """The Decree 13 form numbers named in folded text: {'01a', '02', …}."""
    return {code if len(code) == 3 else "0" + code for code in FORM_CODE.findall(folded)}
