"""The one definition of an e-mail address, shared by the registry, the auditors and the mailer.

Before this module each had its own pattern and they disagreed (the registry refused "a@b.vn; c@d.vn" that
the mailer accepted; the auditors found addresses the registry would refuse). Now:

- ``is_valid`` — a conservative addr-spec: an ASCII local part (RFC 5322 atext and dots) and a dotted host
  name whose labels do not start or end with a hyphen, ending in an alphabetic top-level domain. Anything
  else is refused, never "repaired".
- ``parse_addresses`` — a field holding one or several addresses separated by ',' or ';'.
- ``find_emails`` — the addresses written in running text, where they are often glued to the preceding
  Vietnamese word ("hòm thưabc@hanoi.gov.vn"): the longest ASCII local part is taken, and every hit must
  pass ``is_valid``.
"""

from __future__ import annotations

import re
import unicodedata

_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = rf"{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,24}}"
_ADDRESS = re.compile(rf"^(?={_LOCAL}@)[^@]{{1,64}}@{_DOMAIN}$")
# In text: a local part of the common characters only (a "'" or "/" in prose is punctuation, not an address).
_IN_TEXT = re.compile(rf"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]{{0,63}}@{_DOMAIN})(?![A-Za-z0-9-]|\.[A-Za-z0-9])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
MAX_LENGTH = 254


def is_valid(address: str) -> bool:
    """True for one well-formed address (no display name, no spaces, no control characters)."""
    return bool(address) and len(address) <= MAX_LENGTH and not _CONTROL.search(address) \
        and bool(_ADDRESS.match(address))


def parse_addresses(field: str | None) -> tuple[list[str], str | None]:
    """(addresses, problem) of a field holding addresses separated by ',' or ';'.

    problem is None, "no_address" (empty field) or "invalid_address" (any part is not an address).
    """
    raw = (field or "").strip()
    if not raw:
        return [], "no_address"
    if _CONTROL.search(raw):
        return [], "invalid_address"
    parts = [p.strip() for p in re.split(r"[,;]", raw) if p.strip()]
    if not parts or not all(is_valid(p) for p in parts):
        return [], "invalid_address"
    return parts, None


def find_emails(text: str) -> list[str]:
    """E-mail addresses written in ``text``, in order of appearance, deduplicated and lower-cased."""
    seen: dict[str, None] = {}
    for match in _IN_TEXT.finditer(unicodedata.normalize("NFC", text or "")):
        address = match.group(1).strip(".").lower()
        if is_valid(address):
            seen.setdefault(address, None)
    return list(seen)
