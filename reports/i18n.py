"""Every user-facing string of the reports, Vietnamese first, English on request.

Templates and renderers ask for strings through :func:`t` and the ``*_label`` helpers; nothing else in
``reports/`` spells a UI word (the words themselves are in ``reports/strings.py``). Values coming from the store as ``{"vi": ..., "en": ...}`` are turned
into plain strings by :func:`localize`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

# The tables of words live in reports.strings (one file for a translator); importers may name them here.
from reports.strings import (  # noqa: F401 - re-exported
    AGENCY_STATUS,
    AGENCY_STATUS_WHY,
    BUCKET,
    FINDING_STATUS,
    LEVEL,
    PROVISIONAL_SUFFIXES,
    RULE_CLASS,
    RUN_STATUS,
    SYMBOLS,
    UI,
)

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

# Vietnam has a single time zone without daylight saving: UTC+7.
VN_TZ = timezone(timedelta(hours=7))


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"Ngôn ngữ không hỗ trợ / unsupported language: {lang!r} (use one of {LANGS})")
    return lang


def t(lang: str, key: str, **values: Any) -> str:
    """A UI string in ``lang`` (falling back to Vietnamese), formatted with ``values``."""
    text = UI.get(lang, UI[DEFAULT_LANG]).get(key) or UI[DEFAULT_LANG][key]
    return text.format(**values) if values else text


def _label(table: dict[str, dict[str, str]], value: str | None, lang: str) -> str:
    if value is None:
        return t(lang, "unknown")
    return table.get(lang, table[DEFAULT_LANG]).get(value, value)


def agency_status_label(status: str | None, lang: str) -> str:
    return _label(AGENCY_STATUS, status, lang)


def agency_status_why(status: str | None, lang: str) -> str:
    return _label(AGENCY_STATUS_WHY, status, lang) if status in AGENCY_STATUS_WHY[DEFAULT_LANG] else ""


def finding_status_label(status: str | None, lang: str) -> str:
    return _label(FINDING_STATUS, status, lang)


def run_status_label(status: str | None, lang: str) -> str:
    return _label(RUN_STATUS, status, lang)


def class_label(rule_class: str | None, lang: str) -> str:
    return _label(RULE_CLASS, rule_class, lang)


def level_label(level: str | None, lang: str) -> str:
    return _label(LEVEL, level, lang) if level else ""


def localize(value: Any, lang: str) -> str:
    """A ``{"vi", "en"}`` mapping (or a plain string) as one string in ``lang``, never ``None``."""
    if value is None:
        return ""
    if isinstance(value, dict):
        for key in (lang, DEFAULT_LANG, *LANGS):
            text = value.get(key)
            if text:
                return str(text)
        return ""
    return str(value)


def split_provisional(citation: str) -> str:
    """The citation without the provisional marker the rules loader may have appended."""
    for suffix in PROVISIONAL_SUFFIXES:
        if citation.endswith(suffix):
            return citation[: -len(suffix)]
    return citation


# --- numbers and dates ------------------------------------------------------------------------
def fmt_number(value: Any, lang: str, digits: int = 1) -> str:
    """'66,7' in Vietnamese, '66.7' in English; integers without decimals; '' for None."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    rounded = round(number, digits)
    text = str(int(rounded)) if rounded == int(rounded) else f"{rounded:.{digits}f}".rstrip("0")
    return text.replace(".", ",") if lang == "vi" else text


def fmt_percent(value: Any, lang: str) -> str:
    """A 0–1 confidence as a percentage ('82%'); values above 1 are taken as already in percent."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number <= 1:
        number *= 100
    return fmt_number(number, lang, 0) + "%"


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_time(value: Any) -> datetime | date | None:
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if _DATE_ONLY.match(text):
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def fmt_datetime(value: Any, lang: str) -> str:
    """An ISO timestamp in Vietnam time: '07/01/2026 14:05:09 (UTC+7)' / '2026-01-07 14:05:09 (UTC+7)'.

    Naive timestamps are shown as they are, without a zone; unparseable ones verbatim.
    """
    parsed = parse_time(value)
    if parsed is None:
        return "" if value in (None, "") else str(value)
    if not isinstance(parsed, datetime):
        return fmt_date(parsed, lang)
    zone = ""
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(VN_TZ)
        zone = " (UTC+7)"
    pattern = "%d/%m/%Y %H:%M:%S" if lang == "vi" else "%Y-%m-%d %H:%M:%S"
    return parsed.strftime(pattern) + zone


def fmt_date(value: Any, lang: str) -> str:
    parsed = parse_time(value)
    if parsed is None:
        return "" if value in (None, "") else str(value)
    if isinstance(parsed, datetime):
        parsed = parsed.astimezone(VN_TZ).date() if parsed.tzinfo else parsed.date()
    return parsed.strftime("%d/%m/%Y" if lang == "vi" else "%Y-%m-%d")


def iso_utc(value: datetime | None = None) -> str:
    return (value or datetime.now(UTC)).isoformat(timespec="seconds")


def bucket_label(bucket: str | None, lang: str) -> str:
    return _label(BUCKET, bucket, lang)
