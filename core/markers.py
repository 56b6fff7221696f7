"""The words of an access-to-information section, shared by the crawler (to find and classify pages)
and the auditors (to read the evidence): one vocabulary, so the two never drift apart.

Every pattern matches folded text (``core.vntext.fold``: no case, no diacritics, đ→d).
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

# The words before a focal point's name on its own line ("Đầu mối cung cấp thông tin: bà …"), dropped to
# read the name, position and unit that follow.
FOCAL_POINT_LEAD = r"^.*?(dau moi[a-z ]{0,60}?thong tin|(can bo|bo phan|don vi|nguoi) (lam )?dau moi)\s*[:\-–]?\s*"

# What a request form published as a file says of itself (Decree 13's forms 01a–06 by their titles).
# Administrative notices are titled "THÔNG BÁO" then "Về việc …" on the next line; the consent (06) is a
# "Văn bản chấp thuận".
FORM_TITLES = (r"phieu yeu cau cung cap thong tin|phieu tiep nhan yeu cau cung cap thong tin"
               r"|phieu giai quyet yeu cau cung cap thong tin|thong bao (ve viec )?(tu choi|gia han)"
               r"|van ban chap thuan")

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


# --- the auditors' readings (each matches folded text; examples below) -----------------------------------
# A line that names a form ("Mẫu số 02", "Phiếu tiếp nhận…"): not the channel the section asks for.
FORM_LINE = r"mau (so )?0?[1-6][ab]?\b|phieu tiep nhan|phieu giai quyet|thong bao (ve viec )?(gia han|tu choi)|van ban chap thuan"
# The heading of the forms block, which ends the part of the section above it.
FORMS_HEADING = r"(cac |tai )?(bieu mau|mau phieu)\b"
# Generic names of a section's own pages ("Biểu mẫu", "Quy chế", "Đầu mối"…), followed from a candidate.
SECTION_PART = r"\b(bieu mau|mau phieu|danh muc|dau moi|huong dan|quy che|phieu yeu cau|phan anh|khieu nai)\b"
# Someone who answers under a focal-point heading: a person, a position or a unit.
FOCAL_PERSON = (r"\b(ong|ba|chi|anh|dong chi|d/c|ho (va )?ten|chuyen vien|can bo|cong chuc|truong phong|"
                r"pho (truong|chanh|giam doc)|chanh van phong|van phong|phong [a-z]|giam doc|don vi)\b")
# A person named by an honorific ("Bà Nguyễn Thị Lan", "Họ và tên: …").
HONORIFIC_NAME = r"\b(ong|ba|chi|anh|dong chi|d/c|ho (va )?ten)\b[\s:.]+[a-z]"
# A focal official's position.
FOCAL_POSITION = (r"chuyen vien|truong phong|pho truong|chanh van phong|pho chanh|giam doc|cong chuc|chuc vu"
                  r"|can bo|van thu|thu ky|chuyen trach")
# The same, as the focal point's own line is read (``auditors.judgement``): clerks and public employees too.
FOCAL_POSITION_LINE = FOCAL_POSITION + r"|nhan vien|vien chuc"
# A unit that answers ("Văn phòng", "Phòng Tổng hợp", "UBND xã").
FOCAL_UNIT = r"\bphong\b|van phong|\bban\b|bo phan|don vi|trung tam|ubnd|uy ban|thong ke|to chuc"
# A telephone extension ("máy lẻ 204", "ext. 12"); the digits are the group.
EXTENSION = r"(?:may le|ext\.?|\bml)\s*:?\s*(\d{1,5})\b"
# A postal address: "Địa chỉ: …", "số 5 đường Lê Lợi", "18 Trần Phú, phường …".
POSTAL_ADDRESS = (r"\bdia chi\b\s*(tru so|lien he|lien lac)?\s*:?\s*(so |\d)|\b(so )?\d+[a-z]?,? (duong|pho|ngo|hem|dai lo)\b"
                  r"|\b(duong|pho) [a-z]+( [a-z]+)?,? (phuong|xa|thi tran|quan|tp|thanh pho|tinh)\b")
ADDRESS_WORD = r"\bdia chi\b"
# A channel's address: the word, or a street number.
CHANNEL_ADDRESS = r"\bdia chi\b|\bso \d+"
# A contact page by its title.
CONTACT_PAGE = r"\blien he\b|\bcontact\b"
# Links to an online form for requests, and for feedback.
REQUEST_FORM_LINK = r"gui yeu cau|bieu mau truc tuyen"
COMPLAINT_FORM_LINK = r"gui phan anh|gop y|phan anh truc tuyen"
# A form named in a label ("Phiếu…", "Mẫu số 2"): not a download address.
FORM_NAMED = r"\bphieu\b|\bmau (so )?\d"
# A bare "Hướng dẫn:" label in the section whose own sentence tells how to obtain information (look in the
# catalogue, send the request form): guidance, though its heading does not say "khai thác thông tin". The
# label's colon keeps menu entries out; [^:] stops at the next label ("Biểu mẫu: …").
GUIDANCE_LABEL = r"\bhuong dan\s*:[^:]{0,300}?(phieu yeu cau|danh muc thong tin|yeu cau cung cap thong tin)"
# The columns of a disclosure catalogue (Decree 13/2018 Điều 6 k3), by their header words.
CATALOGUE_FIELDS: dict[str, str] = {
    "name": r"\bten\b|so,? ky hieu|so hieu|ky hieu|trich yeu|ten van ban",
    "date": r"\bngay\b|thoi gian tao|nam ban hanh",
    "form": r"hinh thuc",
    "period": r"thoi diem|thoi han",
    "address": r"duong dan|dia chi|\blink\b|tai ve|tep|file|dinh kem|truy cap",
}
# A page that only says it is being filled ("Đang cập nhật").
PLACEHOLDER = r"dang (duoc )?cap nhat|chua co (du lieu|noi dung|thong tin)|noi dung dang duoc|coming soon"
# A line that dates a page ("Cập nhật ngày …", "Ngày đăng …").
DATE_LINE = r"cap nhat|ngay dang|dang ngay|ngay tao"
# A site search.
SEARCH = r"tim kiem|tra cuu|search"
# Aids for disabled readers (text size, contrast, reading aloud).
ACCESSIBILITY_AIDS = (r"nguoi khuyet tat|khiem thi|co chu|tang co|giam co|tuong phan|doc trang"
                      r"|ho tro tiep can|accessib")
# A link to the English version, by its whole text.
ENGLISH_LINK = r"^(english|tieng anh|en|eng)$"
# The spokesperson's name and position (Decree 244/2026 Điều 3).
SPOKESPERSON_NAME = r"\b(ong|ba|dong chi|d/c|ho (va )?ten)\b[\s:.]+[a-z]"
SPOKESPERSON_POSITION = (r"giam doc|pho giam doc|chanh van phong|pho chanh|truong phong|pho truong|chu tich|pho chu tich"
                         r"|thu truong|bo truong|chuc vu|tong cuc truong|cuc truong|vu truong")
# An official social account (in a link's URL, lower-cased, or its folded text), not a share button.
SOCIAL_ACCOUNT = r"facebook\.com|zalo\.me|youtube\.com|tiktok\.com|fanpage|trang (mang xa hoi|cong dong) chinh thuc"
SHARE_BUTTON = r"sharer|share|chia se"
# Lines that say where a table comes from, not what it is ("(Ban hành kèm theo Quyết định số …)").
PROVENANCE = (r"^[(\[]?\s*(ban hanh |kem theo|dinh kem|theo quyet dinh|so\s*:|ngay \d|\d{1,2}/\d{1,2}/\d{4})"
              r"|^[(\[].*[)\]]$")
# The blanks of a request form ("Họ và tên: ……").
FORM_BLANKS = r"(ho,? (va )?ten|ho ten)\b.{0,40}(\.{3,}|…|_{3,})|thong tin duoc yeu cau|muc dich (yeu cau|su dung)"
# A request made through an organisation (form 01b).
THROUGH_ORGANISATION = r"thong qua (to chuc|doan the|doanh nghiep)"

# Must / must-not examples of every pattern above (folded), checked by tests/test_markers.py.
EXAMPLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "FORM_LINE": (("mau so 02", "phieu tiep nhan yeu cau", "thong bao tu choi", "thong bao ve viec gia han",
                   "van ban chap thuan"), ("dia chi thu dien tu",)),
    "FORMS_HEADING": (("bieu mau", "cac mau phieu yeu cau"), ("dau moi cung cap thong tin",)),
    "SECTION_PART": (("bieu mau", "huong dan", "quy che noi bo"), ("tin tuc", "lich cong tac", "bieu do")),
    "FOCAL_PERSON": (("ba nguyen thi lan", "chuyen vien van phong"), ("so dien thoai 0243",)),
    "HONORIFIC_NAME": (("ong nguyen van a", "ho va ten: tran b"), ("dien thoai: 0243",)),
    "FOCAL_POSITION": (("pho chanh van phong", "van thu"), ("thu dien tu",)),
    "FOCAL_POSITION_LINE": (("vien chuc phong tong hop",), ("dia chi tru so",)),
    "FOCAL_UNIT": (("van phong so", "ubnd xa"), ("thu dien tu",)),
    "EXTENSION": (("may le 204", "ext. 12"), ("dien thoai 0243",)),
    "POSTAL_ADDRESS": (("dia chi: so 5 le loi", "18 duong tran phu"), ("dia chi thu dien tu",)),
    "ADDRESS_WORD": (("dia chi tru so",), ("dia phuong",)),
    "CHANNEL_ADDRESS": (("dia chi: x", "so 12 le loi"), ("thu dien tu",)),
    "CONTACT_PAGE": (("lien he", "contact us"), ("lien hệ",)),
    "REQUEST_FORM_LINK": (("gui yeu cau cung cap thong tin", "bieu mau truc tuyen"), ("gui phan anh",)),
    "COMPLAINT_FORM_LINK": (("gui phan anh", "gop y"), ("gui yeu cau",)),
    "FORM_NAMED": (("phieu yeu cau", "mau so 1"), ("co so du lieu",)),
    "CATALOGUE_FIELDS.name": (("so, ky hieu", "ten van ban"), ("ngay ban hanh",)),
    "CATALOGUE_FIELDS.date": (("ngay ban hanh", "nam ban hanh"), ("trich yeu",)),
    "CATALOGUE_FIELDS.form": (("hinh thuc cong khai",), ("thoi han",)),
    "CATALOGUE_FIELDS.period": (("thoi diem cong khai", "thoi han"), ("hinh thuc",)),
    "CATALOGUE_FIELDS.address": (("duong dan", "tep dinh kem"), ("trich yeu",)),
    "PLACEHOLDER": (("dang cap nhat", "chua co du lieu"), ("cap nhat ngay 01/02/2026",)),
    "DATE_LINE": (("cap nhat ngay 01/3/2026", "ngay dang: 2/3/2026"), ("trich yeu",)),
    "SEARCH": (("tim kiem", "tra cuu van ban"), ("trang chu",)),
    "ACCESSIBILITY_AIDS": (("ho tro nguoi khuyet tat", "tang co chu"), ("tin tuc",)),
    "ENGLISH_LINK": (("english", "en"), ("english version of the news",)),
    "SPOKESPERSON_NAME": (("ong nguyen van a",), ("chi tiet",)),
    "SPOKESPERSON_POSITION": (("pho giam doc so", "chu tich ubnd"), ("chuyen vien",)),
    "SOCIAL_ACCOUNT": (("https://facebook.com/sotttt", "trang mang xa hoi chinh thuc"), ("https://example.vn/tin",)),
    "SHARE_BUTTON": (("https://facebook.com/sharer.php", "chia se"), ("https://facebook.com/sotttt",)),
    "PROVENANCE": (("(ban hanh kem theo quyet dinh so 12)", "so: 12/qd-ubnd"), ("danh muc thong tin phai cong khai",)),
    "FORM_BLANKS": (("ho va ten: ..........", "muc dich su dung"), ("dau moi cung cap thong tin",)),
    "THROUGH_ORGANISATION": (("thong qua to chuc",), ("ca nhan",)),
    "FOCAL_POINT_HEADING": (("dau moi tiep nhan", "bo phan dau moi"), ("nguoi phat ngon",)),
    "SPOKESPERSON": (("nguoi phat ngon", "phat ngon vien"), ("dau moi cung cap thong tin",)),
    "SPOKESPERSON_LIST": (("danh sach nguoi phat ngon", "nguoi phat ngon cac so"), ("nguoi phat ngon",)),
    "LAND_DATA_FORMS": (("yeu cau cung cap thong tin, du lieu dat dai", "do dac"), ("mau so 01a",)),
    "FOCAL_POINT_LEAD": (("dau moi cung cap thong tin: ba lan",), ("ba lan",)),
    "GUIDANCE_LABEL": (("huong dan: cong dan xem danh muc thong tin cong khai duoi day",
                        "huong dan : buoc 1 dien phieu yeu cau cung cap thong tin"),
                       ("huong dan su dung phan mem", "huong dan: dang ky tiem chung. bieu mau: phieu yeu cau",
                        "huong dan danh muc thong tin")),
    "FORM_TITLES": (("phieu yeu cau cung cap thong tin", "thong bao gia han", "thong bao ve viec tu choi yeu cau",
                     "van ban chap thuan"), ("quy che cung cap thong tin",)),
    "NOT_REGULATION": (("quy che lam viec", "quy che phat ngon"), ("quy che cung cap thong tin",)),
    "FORM_CODE": (("mau so 01a", "mau 2"), ("mau so 02/pyc", "mau so 07")),
    "REGULATION_CONTENTS.focal_point": (("don vi dau moi",), ("chuyen giao",)),
    "REGULATION_CONTENTS.transfer": (("chuyen giao thong tin",), ("phan loai",)),
    "REGULATION_CONTENTS.classification": (("phan loai thong tin",), ("cap nhat",)),
    "REGULATION_CONTENTS.updating": (("cap nhat thong tin vao danh muc",), ("phan loai",)),
    "REGULATION_CONTENTS.procedure": (("trinh tu, thu tuc tiep nhan yeu cau", "xu ly yeu cau"), ("cap nhat danh muc",)),
    "ELEMENT_PATTERNS.public_catalogue": (("danh muc thong tin phai duoc cong khai",), ("danh muc van ban",)),
    "ELEMENT_PATTERNS.conditional_catalogue": (("danh muc thong tin cong dan duoc tiep can co dieu kien",),
                                               ("danh muc thong tin phai duoc cong khai",)),
    "ELEMENT_PATTERNS.focal_point": (("dau moi cung cap thong tin",), ("nguoi phat ngon",)),
    "ELEMENT_PATTERNS.request_address": (("tiep nhan yeu cau cung cap thong tin",), ("gop y",)),
    "ELEMENT_PATTERNS.complaint_channel": (("phan anh, kien nghi", "khieu nai, to cao"), ("yeu cau",)),
    "ELEMENT_PATTERNS.forms": (("mau so 01a", "phieu yeu cau cung cap thong tin"),
                               ("phieu yeu cau cung cap thong tin, du lieu",)),
    "ELEMENT_PATTERNS.guidance": (("huong dan khai thac thong tin", "huong dan gui phieu yeu cau"), ("huong dan",)),
    "ELEMENT_PATTERNS.regulation": (("quy che cung cap thong tin",), ("quy che cung cap thong tin cho bao chi",)),
    "ELEMENT_PATTERNS.download": (("tai ve", "co so du lieu van ban"), ("tin tuc",)),
}
