"""Vietnamese text helpers: normalisation, folding, and extraction of phones, e-mails and dates.

Everything here is pure and total: any ``str`` input returns a value, never raises.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_SPACES = re.compile(r"\s+")
# đ/Đ are separate letters, not a base letter plus a combining mark, so NFD does not strip them.
_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """Unicode NFC, which Vietnamese pages mix freely with NFD (combining tone marks)."""
    return unicodedata.normalize("NFC", text or "")


def squash(text: str) -> str:
    """NFC with whitespace runs collapsed to one space."""
    return _SPACES.sub(" ", nfc(text).replace("\xa0", " ")).strip()


def fold(text: str) -> str:
    """Lower-case, strip diacritics and map đ→d: 'Tiếp Cận Thông Tin' → 'tiep can thong tin'."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


_SLUG_SEP = re.compile(r"[^a-z0-9]+")


def slug_words(text: str) -> str:
    """Fold and turn every non-alphanumeric run into a space: '/tiep-can_thong-tin.html' → 'tiep can thong tin html'."""
    return _SLUG_SEP.sub(" ", fold(text)).strip()


def compact(text: str) -> str:
    """Folded text with every separator removed: 'Tiếp cận thông tin' → 'tiepcanthongtin'."""
    return _SLUG_SEP.sub("", fold(text))


# --- e-mail -----------------------------------------------------------------------------------
# Addresses are often glued to the preceding word ("hòm thưabc@hanoi.gov.vn"); we take the
# longest plausible ASCII local part and trust the domain, which must have a dot.
_EMAIL = re.compile(
    r"([A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24})"
)


def find_emails(text: str) -> list[str]:
    """E-mail addresses in order of appearance, deduplicated, lower-cased."""
    seen: dict[str, None] = {}
    for match in _EMAIL.finditer(nfc(text)):
        address = match.group(1).strip(".").lower()
        seen.setdefault(address, None)
    return list(seen)


# --- phone ------------------------------------------------------------------------------------
# Vietnamese numbers: 10 digits starting with 0 (mobile 03/05/07/08/09, landline 02x), written with
# spaces, dots or dashes ("024.3795.6868", "0988 737 067", "(0236) 3821 234"), or +84.
_PHONE = re.compile(r"(?<![\d])(\+?84[\s.\-]?|\(?0)(\d{1,4})\)?[\s.\-]?(\d{2,4})[\s.\-]?(\d{2,4})(?:[\s.\-]?(\d{1,4}))?(?![\d])")


def find_phones(text: str) -> list[str]:
    """Phone numbers normalised to digits with a leading 0 ('0243795 6868' → '02437956868')."""
    found: dict[str, None] = {}
    for match in _PHONE.finditer(nfc(text)):
        prefix = match.group(1)
        digits = "".join(g for g in match.groups()[1:] if g)
        number = "0" + digits if "84" in prefix else "0" + digits
        if 10 <= len(number) <= 11:
            found.setdefault(number, None)
    return list(found)


# --- dates ------------------------------------------------------------------------------------
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_DATE_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?!\d)")


def find_dates(text: str) -> list[date]:
    """Day-first dates: 'ngày 07 tháng 01 năm 2025' and '07/01/2025' (also '7-1-2025', '07.01.2025')."""
    folded = fold(text)
    result: list[date] = []
    for pattern in (_DATE_WORDS, _DATE_NUMERIC):
        for match in pattern.finditer(folded):
            day, month, year = (int(g) for g in match.groups())
            try:
                found = date(year, month, day)
            except ValueError:
                continue
            if 1945 <= found.year <= 2100 and found not in result:
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
