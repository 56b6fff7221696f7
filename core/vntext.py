"""Vietnamese text helpers: normalisation, folding, and extraction of phones, e-mails and dates.

Everything here is pure and total: any ``str`` input returns a value, never raises.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date

import phonenumbers

from core import emails

_SPACES = re.compile(r"\s+")
# đ/Đ are separate letters, not a base letter plus a combining mark, so NFD does not strip them.
_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """Unicode NFC, which Vietnamese pages mix freely with NFD (combining tone marks)."""
    return unicodedata.normalize("NFC", text or "")


def squash(text: str) -> str:
    """NFC with whitespace runs collapsed to one space."""
    # str.split() and the re module's \s agree on every code point (\xa0 included); split/join is 3x faster.
    return " ".join(nfc(text).split())


def _fold_slow(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_D_TABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# fold() was the top entry of both the crawl's and the re-score's profiles (a Python loop per character,
# and the same link labels folded once per marker). Now: NFD and one regular expression over every
# combining mark (both in C), and short strings memoised. Same result as _fold_slow for every input.
_VN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]+")  # the combining marks of Vietnamese (and most Latin) text
_NON_ASCII = re.compile("[^\x00-\x7f]+")


def _drop_marks(match: re.Match[str]) -> str:
    return "".join(ch for ch in match.group(0) if not unicodedata.combining(ch))


def _fold(text: str) -> str:
    if not text.isascii():
        text = _VN_MARKS.sub("", unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")))
        if not text.isascii():  # other combining marks (rare): only the non-ASCII runs go through Python
            text = _NON_ASCII.sub(_drop_marks, text)
    return " ".join(text.lower().split())


_fold_cached = functools.lru_cache(maxsize=1 << 16)(_fold)


def fold(text: str) -> str:
    """Lower-case, strip diacritics and map đ→d: 'Tiếp Cận Thông Tin' → 'tiep can thong tin'."""
    if not text:
        return ""
    return _fold_cached(text) if len(text) <= 512 else _fold(text)


_SLUG_SEP = re.compile(r"[^a-z0-9]+")


def slug_words(text: str) -> str:
    """Fold and turn every non-alphanumeric run into a space: '/tiep-can_thong-tin.html' → 'tiep can thong tin html'."""
    return _SLUG_SEP.sub(" ", fold(text)).strip()


def compact(text: str) -> str:
    """Folded text with every separator removed: 'Tiếp cận thông tin' → 'tiepcanthongtin'."""
    return _SLUG_SEP.sub("", fold(text))


# --- e-mail -----------------------------------------------------------------------------------
def find_emails(text: str) -> list[str]:
    """E-mail addresses in order of appearance, deduplicated, lower-cased (see ``core.emails``)."""
    return emails.find_emails(text)


# --- phone ------------------------------------------------------------------------------------
# Google's libphonenumber knows Vietnam's numbering plan: which prefixes are landlines (02x + 8 digits),
# mobiles (03/05/07/08/09), and the 1800 (free) and 1900 (paid) hotlines, so a tax code (mã số thuế,
# 10 digits from 01) or a bank account is not taken for a phone, and "1900 1234" is.
_SERVICE_TYPES = {phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.PREMIUM_RATE,
                  phonenumbers.PhoneNumberType.SHARED_COST, phonenumbers.PhoneNumberType.UAN}
_TAX_CODE = re.compile(r"(ma so thue|\bmst\b|ma so doanh nghiep|so tai khoan|\bstk\b|tax code)\W{0,3}$")


def find_phones(text: str) -> list[str]:
    """Vietnamese phone numbers in national form, digits only: '024.3795.6868' → '02437956868',
    '+84 912 345 678' → '0912345678', '1900 1234' → '19001234'."""
    text = nfc(text)
    found: dict[str, None] = {}
    try:
        matches = list(phonenumbers.PhoneNumberMatcher(text, "VN"))
    except Exception:  # noqa: BLE001 - the library must never sink the audit of a page
        return []
    for match in matches:
        if _TAX_CODE.search(fold(text[max(0, match.start - 24): match.start])):
            continue  # a number labelled as a tax code or account that happens to fit the plan
        number = match.number
        if number.country_code != 84:
            continue
        national = phonenumbers.national_significant_number(number)
        kind = phonenumbers.number_type(number)
        found.setdefault(national if kind in _SERVICE_TYPES else "0" + national, None)
    return list(found)


# --- dates ------------------------------------------------------------------------------------
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_DATE_NUMERIC = re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?![\d/.\-]?\d)")
# Year first: ISO 8601 "2025-01-07" (also with a time), "2025/01/07", "2025.01.07".
_DATE_YEAR_FIRST = re.compile(r"(?<![\d/.\-])(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?![\d])")
# A month only: "tháng 01/2025", "tháng 1 năm 2025", "T01/2025" (a month report, a catalogue "as of").
_MONTH_YEAR = re.compile(r"\b(?:thang|t)\s*(\d{1,2})\s*(?:/|-|\s+nam\s+)\s*(\d{4})(?!\d)")


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found if 1945 <= found.year <= 2100 else None


def find_dates(text: str) -> list[date]:
    """Dates in order of pattern then appearance: day first ('ngày 07 tháng 01 năm 2025', '07/01/2025',
    '7-1-2025', '07.01.2025'), year first ('2025-01-07', '2025/01/07') and a month alone ('tháng 01/2025',
    'tháng 1 năm 2025', taken as the month's first day)."""
    folded = fold(text)
    result: list[date] = []
    taken: list[tuple[int, int]] = []  # a month inside a full date ("ngày 07 tháng 01 năm 2025") is not another date
    for pattern, order in ((_DATE_WORDS, "dmy"), (_DATE_NUMERIC, "dmy"), (_DATE_YEAR_FIRST, "ymd"),
                           (_MONTH_YEAR, "my")):
        for match in pattern.finditer(folded):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            numbers = [int(g) for g in match.groups()]
            if order == "dmy":
                found = _valid(numbers[2], numbers[1], numbers[0])
            elif order == "ymd":
                found = _valid(numbers[0], numbers[1], numbers[2])
            else:
                found = _valid(numbers[1], numbers[0], 1)
            if found and found not in result:
                result.append(found)
    return result


def excerpt(text: str, needle_folded: str, width: int = 160) -> str:
    """A window of ``text`` around the first occurrence of a folded needle (or the text's start).

    Folding keeps the character count of NFC text except for rare characters, so offsets found in
    the folded text are mapped back onto the original; when they drift we fall back to the start.
    """
    original = squash(text)
    folded = fold(original)
    position = folded.find(needle_folded) if needle_folded else -1
    if position < 0 or len(folded) != len(original):
        snippet = original[:width]
        return snippet + ("…" if len(original) > width else "")
    start = max(0, position - width // 3)
    end = min(len(original), start + width)
    return ("…" if start else "") + original[start:end] + ("…" if end < len(original) else "")


# --- legacy encodings (TCVN3/ABC, VNI, windows-1258) ------------------------------------------------
# Before Unicode, Vietnamese text was typed in 8-bit font encodings. Read as windows-1252 or Latin-1
# (which is what a Word file, an undeclared HTML page or a text layer gives back), such text turns into
# mojibake: TCVN3 "Bé t ph¸p", VNI "Boä Tö phaùp" for "Bộ Tư pháp". The functions below take that
# mojibake (a ``str``) and give Unicode NFC back. TCVN3 codes one precomposed letter per byte; its
# capitals with tones were drawn by a separate font (.VnTimeH) with the lowercase codes.
_TCVN3_LETTERS = (
    "\xa1Ă \xa2Â \xa3Ê \xa4Ô \xa5Ơ \xa6Ư \xa7Đ \xa8ă \xa9â \xaaê \xabô \xacơ \xadư \xaeđ "
    "\xb5à \xb6ả \xb7ã \xb8á \xb9ạ \xbbằ \xbcẳ \xbdẵ \xbeắ \xc6ặ \xc7ầ \xc8ẩ \xc9ẫ \xcaấ \xcbậ "
    "\xccè \xceẻ \xcfẽ \xd0é \xd1ẹ \xd2ề \xd3ể \xd4ễ \xd5ế \xd6ệ \xd7ì \xd8ỉ \xdcĩ \xddí \xdeị "
    "\xdfò \xe1ỏ \xe2õ \xe3ó \xe4ọ \xe5ồ \xe6ổ \xe7ỗ \xe8ố \xe9ộ \xeaờ \xebở \xecỡ \xedớ \xeeợ "
    "\xefù \xf1ủ \xf2ũ \xf3ú \xf4ụ \xf5ừ \xf6ử \xf7ữ \xf8ứ \xf9ự \xfaỳ \xfbỷ \xfcỹ \xfdý \xfeỵ"
)
TCVN3_TO_UNICODE: dict[str, str] = {pair[0]: pair[1] for pair in _TCVN3_LETTERS.split()}
UNICODE_TO_TCVN3: dict[str, str] = {v: k for k, v in TCVN3_TO_UNICODE.items()}
_TCVN3_TABLE = str.maketrans(TCVN3_TO_UNICODE)

# VNI writes a base letter followed by a mark character; a few letters are one character of their own.
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT, _CIRC, _BREVE = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323", "\u0302", "\u0306"
_VNI_MARKS: dict[str, str] = {
    "ø": _GRAVE, "ù": _ACUTE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK, "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE,
    "ë": _BREVE + _DOT,
}
_VNI_MARKS.update({k.upper(): v for k, v in list(_VNI_MARKS.items())})
_VNI_SINGLE: dict[str, str] = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
                               "Ô": "Ơ", "Ö": "Ư", "Ñ": "Đ", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị", "Î": "Ỵ"}
_VNI_TOKEN = re.compile("([aeouyAEOUYôöÔÖ])([" + "".join(_VNI_MARKS) + "])|([" + "".join(_VNI_SINGLE) + "])")


def _vni_token(match: re.Match[str]) -> str:
    if match.group(3):
        return _VNI_SINGLE[match.group(3)]
    base, mark = match.group(1), match.group(2)
    marks = _VNI_MARKS[mark]
    letter = _VNI_SINGLE.get(base, base)
    plain = letter.lower()
    # Circumflex marks only go on a, e, o; breve only on a; tones on any vowel.
    if (marks[0] == _CIRC and plain not in "aeo") or (marks[0] == _BREVE and plain != "a"):
        return letter + mark
    return unicodedata.normalize("NFC", letter + marks)


def from_tcvn3(text: str) -> str:
    """TCVN3 (ABC) mojibake to Unicode NFC: 'Bé T\\xad ph¸p' → 'Bộ Tư pháp'. Lines and words typed in
    capitals (the .VnTimeH font drew the lowercase codes as capitals) are upper-cased whole."""
    return "\n".join(_tcvn3_line(line) for line in (text or "").split("\n"))


def _upper_ascii(text: str, minimum: int) -> bool:
    letters = [c for c in text if c.isascii() and c.isalpha()]
    return len(letters) >= minimum and all(c.isupper() for c in letters)


def _tcvn3_line(line: str) -> str:
    converted = line.translate(_TCVN3_TABLE)
    if converted == line:
        return nfc(line)
    if _upper_ascii(line, 4):
        return nfc(converted.upper())
    words = converted.split(" ")
    for index, before in enumerate(line.split(" ")):
        if before != words[index] and _upper_ascii(before, 2):
            words[index] = words[index].upper()
    return nfc(" ".join(words))


def to_tcvn3(text: str) -> str:
    """Unicode to TCVN3 mojibake (the inverse of ``from_tcvn3`` for lowercase letters and the capitals
    TCVN3 encodes; other capitals with tones are lowered, as typists did with .VnTimeH)."""
    out = []
    for ch in nfc(text):
        if ch in UNICODE_TO_TCVN3:
            out.append(UNICODE_TO_TCVN3[ch])
        elif ch.lower() in UNICODE_TO_TCVN3 and ch not in "ĂÂÊÔƠƯĐ":
            out.append(UNICODE_TO_TCVN3[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def from_vni(text: str) -> str:
    """VNI (VNI-Times) mojibake to Unicode NFC: 'Boä Tö phaùp' → 'Bộ Tư pháp'."""
    return nfc(_VNI_TOKEN.sub(_vni_token, nfc(text)))


_VNI_ENCODE_MARKS = {v: k for k, v in _VNI_MARKS.items() if k.islower()}
_VNI_ENCODE_SINGLE = {v: k for k, v in _VNI_SINGLE.items()}


def to_vni(text: str) -> str:
    """Unicode to VNI mojibake (the inverse of ``from_vni`` on Vietnamese letters)."""
    out = []
    for ch in nfc(text):
        if ch in _VNI_ENCODE_SINGLE:
            out.append(_VNI_ENCODE_SINGLE[ch])
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        if not marks or not base.isascii() and base not in "ơƯư":
            out.append(ch)
            continue
        # ơ and ư decompose to o/u + horn: keep the horn on the base letter.
        if "\u031b" in marks:
            base, marks = unicodedata.normalize("NFC", base + "\u031b"), marks.replace("\u031b", "")
        if base in "iI" and marks in (_GRAVE, _ACUTE):
            out.append(ch)  # VNI keeps ì and í as they are
            continue
        # NFD puts the dot below before the circumflex/breve; VNI writes the shape mark first.
        marks = "".join(sorted(marks, key=lambda mark: mark not in (_CIRC, _BREVE)))
        single = unicodedata.normalize("NFC", base + marks)
        if single in _VNI_ENCODE_SINGLE:
            out.append(_VNI_ENCODE_SINGLE[single])
            continue
        key = _VNI_ENCODE_MARKS.get(marks)
        if key is None:
            out.append(ch)
            continue
        out.append(_VNI_ENCODE_SINGLE.get(base, base) + (key.upper() if base.isupper() else key))
    return "".join(out)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Unicode to windows-1258 bytes: tone marks become the combining marks that code page uses."""
    out = bytearray()
    for ch in nfc(text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        tones = "".join(c for c in decomposed if c in _TONES)
        out += (base + tones).encode("cp1258", errors="replace")
    return bytes(out)


def from_cp1258_misread(text: str) -> str:
    """windows-1258 bytes that were decoded as windows-1252 (an undeclared old page) back to NFC."""
    try:
        raw = (text or "").encode("cp1252")
    except UnicodeEncodeError:
        return nfc(text)
    return nfc(raw.decode("cp1258", errors="replace"))


# A Vietnamese syllable, folded: onset, then a rime that either may take a final consonant or ends open.
_SYLLABLE = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
                       r"(?:(uye|oa|oe|ua|ue|uy|uo|ie|ye|[aeiouy])(ng|nh|ch|[cmnpt])?"
                       r"|(oai|oay|oeo|uay|uoi|uou|uya|ieu|yeu|uyu|ai|ao|au|ay|eo|eu|ia|iu|oi|ui|uu|ya))$")
_WORD = re.compile(r"[^\s\d.,;:!?()\[\]\"'/\\|<>=+*&%$#@_-]+")
_VIET_ONLY = re.compile("[ăĂđĐơƠưƯĩĨũŨ\u1ea0-\u1ef9]")
LEGACY_DECODERS = {"tcvn3": from_tcvn3, "vni": from_vni, "windows-1258": from_cp1258_misread}


# A vowel followed by a VNI mark character: "thoâng" is VNI for "thông", not a Vietnamese spelling.
_VNI_PAIR = re.compile("[aeouyAEOUY][" + "".join(_VNI_MARKS) + "]")


def _plausible(word: str) -> bool:
    folded = fold(word)
    return bool(folded) and bool(_SYLLABLE.match(folded))


def _word_verdict(word: str, encoding: str) -> int:
    """0: the conversion leaves the word as it is; 1: it makes a Vietnamese syllable; -1: something else."""
    after = LEGACY_DECODERS[encoding](word)
    if after == nfc(word):
        return 0
    if _plausible(after) and (_VIET_ONLY.search(after) or not _plausible(word) or _VNI_PAIR.search(word)):
        return 1
    return -1


# Every HTML page is tested for the three legacy encodings, word by word, and a portal's words recur on all
# its pages: the verdicts were a fifth of parse_html's time before they were memoised.
_word_verdict_cached = functools.lru_cache(maxsize=1 << 17)(_word_verdict)


def _non_ascii_words(text: str) -> set[str]:
    # No decoder maps an ASCII character (tests/test_vntext.py checks it): ASCII words never count.
    return {word for word in set(_WORD.findall(text or "")) if not word.isascii()}


def legacy_score(text: str, encoding: str) -> tuple[int, int]:
    """(words the conversion turns into Vietnamese syllables with diacritics, words it changes into
    something else). Only words the conversion touches count, so plain ASCII text scores (0, 0)."""
    return _words_score(_non_ascii_words(text), encoding)


def _words_score(words: set[str], encoding: str) -> tuple[int, int]:
    good = bad = 0
    for word in words:
        verdict = _word_verdict_cached(word, encoding) if len(word) <= 64 else _word_verdict(word, encoding)
        if verdict > 0:
            good += 1
        elif verdict < 0:
            bad += 1
    return good, bad


def detect_legacy(text: str, sample: int = 20000) -> str | None:
    """'tcvn3', 'vni' or 'windows-1258' when ``text`` reads as that legacy encoding, else None.

    A conversion must turn at least three distinct words and four in five of the words it touches into
    Vietnamese syllables, and win over what the text already holds in Unicode Vietnamese letters.
    """
    text = (text or "")[:sample]
    if text.isascii():
        return None
    words = _non_ascii_words(text)  # the page's words found once, not once per encoding
    unicode_words = sum(1 for word in words if _VIET_ONLY.search(word))  # _VIET_ONLY letters are not ASCII
    best: tuple[int, str] | None = None
    for encoding in LEGACY_DECODERS:
        good, bad = _words_score(words, encoding)
        if good >= 3 and good >= 4 * bad and good > 2 * unicode_words and (best is None or good - bad > best[0]):
            best = (good - bad, encoding)
    return best[1] if best else None


def fix_legacy(text: str) -> tuple[str, str | None]:
    """Text converted to Unicode NFC when it is in a legacy encoding, and the encoding found (or None)."""
    encoding = detect_legacy(text)
    if encoding is None:
        return text, None
    return LEGACY_DECODERS[encoding](text), encoding
