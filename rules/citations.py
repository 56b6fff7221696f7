"""A legal basis of a rule as people cite it: "Điều 11 khoản 1 điểm a Nghị định 13/2018/NĐ-CP" and its
English form, with the notes on provisional or residual force, and the short key criteria refer to it by."""

from __future__ import annotations

import re
from typing import Any


def basis_key(basis: dict[str, Any]) -> str:
    """The key criteria use for a basis: its ``id``, or '13-2018-d11-k1' from the instrument's number and year,
    the article, clause and point (đ written dd)."""
    if basis.get("id"):
        return str(basis["id"])
    number = re.search(r"(\d+)/(\d{4})", basis["instrument"])
    head = f"{number.group(1)}-{number.group(2)}" if number else re.sub(r"[^a-z0-9]+", "-", basis["instrument"].lower()).strip("-")
    parts = [head, f"d{basis['article']}"]
    if basis.get("clause"):
        parts.append(f"k{basis['clause']}")
    if basis.get("point"):
        parts.append(str(basis["point"]).replace("đ", "dd"))
    return "-".join(parts).lower()


def basis_row(basis: dict[str, Any]) -> dict[str, Any]:
    """A basis as listed by ``tctt rules list --format json``: its key, dates, levels and citation."""
    return {"key": basis_key(basis), **basis, "from": basis["in_force"]["from"], "to": basis["in_force"].get("to"),
            "levels": list(basis.get("levels") or ["ministry", "province", "department", "commune", "other"]),
            "citation": citation(basis)}


def short_citation(basis: dict[str, Any]) -> dict[str, str]:
    """'Điều 6 khoản 3 Nghị định 13/2018/NĐ-CP' without the notes on provisional or residual force."""
    vi = [f"Điều {basis['article']}"] + ([f"khoản {basis['clause']}"] if basis.get("clause") else []) + \
         ([f"điểm {basis['point']}"] if basis.get("point") else [])
    en = [f"Article {basis['article']}"] + ([f"clause {basis['clause']}"] if basis.get("clause") else []) + \
         ([f"point {basis['point']}"] if basis.get("point") else [])
    return {"vi": " ".join(vi) + " " + basis["instrument"], "en": ", ".join(en) + ", " + basis["instrument"]}


def citation(basis: dict[str, Any]) -> dict[str, str]:
    """'Điều 11 khoản 1 điểm a Nghị định 13/2018/NĐ-CP' and its English form."""
    vi = [f"Điều {basis['article']}"]
    en = [f"Article {basis['article']}"]
    if basis.get("clause"):
        vi.append(f"khoản {basis['clause']}")
        en.append(f"clause {basis['clause']}")
    if basis.get("point"):
        vi.append(f"điểm {basis['point']}")
        en.append(f"point {basis['point']}")
    text_vi = " ".join(vi) + " " + basis["instrument"]
    text_en = ", ".join(en) + ", " + basis["instrument"]
    if basis.get("provisional"):
        text_vi += " (tạm thời – chưa đối chiếu Công báo)"
        text_en += " (provisional – not yet checked against the Official Gazette)"
    if basis.get("residual"):
        text_vi += " (áp dụng phần không trái Luật 01/2026/QH16, Điều 57 khoản 2 Luật Ban hành VBQPPL 2025"
        text_en += " (applied where not in conflict with Law 01/2026/QH16, Law on Legal Documents 2025 Art. 57(2)"
        if basis.get("sole"):
            text_vi += "; Luật 01/2026/QH16 không có quy định tương ứng"
            text_en += "; Law 01/2026/QH16 has no counterpart"
        text_vi += ")"
        text_en += ")"
    return {"vi": text_vi, "en": text_en}
