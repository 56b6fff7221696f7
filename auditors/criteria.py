"""What the law requires of a check on the audit date: the criteria in force and their citations.

The runner puts ``_criteria`` (criterion → {vi, en, bases}) and ``_bases`` (every basis in force for the
agency's level) into an auditor's params. Auditors ask here whether a criterion applies and take the
citations for their messages from the bases in force, never from text written in the code.
"""

from __future__ import annotations

from typing import Any

from rules import short_citation


def applies(params: dict[str, Any], name: str) -> bool:
    """True when ``name`` is required on the audit date (always, for a rule that declares no criteria)."""
    criteria = params.get("_criteria")
    return criteria is None or name in criteria


def refs(params: dict[str, Any], *names: str) -> tuple[str, str]:
    """'Điều 6 khoản 3 Nghị định 13/2018/NĐ-CP; …' for the bases in force behind ``names`` (all bases in
    force when no name is given, or when the rule declares no criteria), in Vietnamese and English."""
    criteria = params.get("_criteria")
    if criteria is None or not names:
        bases = list(params.get("_bases") or [])
    else:
        bases = [basis for name in names for basis in (criteria.get(name) or {}).get("bases", [])]
    seen: dict[str, dict[str, str]] = {}
    for basis in bases:
        seen.setdefault(basis.get("key") or basis["instrument"] + basis["article"], short_citation(basis))
    return "; ".join(c["vi"] for c in seen.values()), "; ".join(c["en"] for c in seen.values())


def label(params: dict[str, Any], name: str) -> tuple[str, str]:
    """The criterion's own words, in Vietnamese and English."""
    criterion = (params.get("_criteria") or {}).get(name) or {}
    return criterion.get("vi", name), criterion.get("en", name)
