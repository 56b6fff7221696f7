"""The province's view of one run: the agencies × rules matrix (whole province, per level, per parent
body), each rule's rate over the agencies it applies to, and "who must act" — the gaps grouped by rule
with the agencies that have them and the legal basis, and per parent body the gaps of its subordinates.

``build_province`` turns a run model (``reports.model``) into plain data; ``render_province`` writes the
static pages under ``province/``. No JavaScript: filtering by level or parent is one static page per group.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from core.vntext import fold

from . import i18n
from .html import TEMPLATES, _context, _environment, agency_filenames, safe_filename
from .rates import GAPS, Rate, effective_status, pooled, rule_rates

LEVEL_ORDER = ("ministry", "province", "department", "commune", "other")
CLASS_ORDER = {"essential": 0, "mandatory": 1, "recommended": 2, "manual": 3}


def rule_catalogue(rules: list[Any], model: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The rules to show, numbered in the ruleset's order, with their titles in ``lang``.

    ``rules`` are the ruleset's ``Rule`` objects; a rule found in the run but no longer in the ruleset is
    appended with the title stored with its findings (never its slug).
    """
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for rule in rules:
        out.append({"id": rule.id, "title": i18n.localize(rule.title, lang),
                    "failure_title": i18n.localize(rule.failure_title, lang), "class": rule.rule_class,
                    "how_to_fix": i18n.localize(rule.description, lang)})
        seen.add(rule.id)
    for agency in model["agencies"]:
        for finding in agency["findings"]:
            if finding["rule"] not in seen:
                seen.add(finding["rule"])
                out.append({"id": finding["rule"], "title": finding["title"], "failure_title": finding["title"],
                            "class": finding.get("class"), "how_to_fix": finding.get("how_to_fix") or ""})
    present = {f["rule"] for a in model["agencies"] for f in a["findings"]}
    if present:  # rules of the ruleset that this run never judged (e.g. a newer ruleset) are left out
        out = [r for r in out if r["id"] in present]
    for number, rule in enumerate(out, 1):
        rule["number"] = number
    return out


def _decision_kind(finding: dict[str, Any]) -> str | None:
    decision = finding.get("decision")
    if isinstance(decision, dict) and decision.get("state") == "applied":
        return decision.get("decision")
    return None


def _row(agency: dict[str, Any], parent: str | None, rules: list[dict[str, Any]]) -> dict[str, Any]:
    findings = {f["rule"]: f for f in agency["findings"]}
    audited = agency["status"] == "audited"
    cells = {}
    for rule in rules:
        finding = findings.get(rule["id"])
        if not audited:
            bucket = "not_audited"
        elif finding is None:
            bucket = "missing"
        else:
            bucket = effective_status(finding["status"], _decision_kind(finding))
        cells[rule["id"]] = {"bucket": bucket, "finding": finding}
    counts: dict[str, int] = defaultdict(int)
    for cell in cells.values():
        counts[cell["bucket"]] += 1
    return {"id": agency["id"], "name": agency["name"], "level": agency.get("level") or "", "parent": parent or "",
            "status": agency["status"], "score": agency["score"], "band": agency.get("band"),
            "band_label": agency.get("band_label"), "audited": audited, "cells": cells,
            "counts": dict(counts), "gaps": counts["fail"] + counts["partial"]}


def _rates(rows: list[dict[str, Any]], rules: list[dict[str, Any]]) -> dict[str, Rate]:
    statuses: list[dict[str, str] | None] = []
    decisions: list[dict[str, str | None] | None] = []
    for row in rows:
        found = {rule_id: cell["finding"] for rule_id, cell in row["cells"].items() if cell["finding"]}
        statuses.append({rule_id: f["status"] for rule_id, f in found.items()} if row["audited"] else None)
        decisions.append({rule_id: _decision_kind(f) for rule_id, f in found.items()} if row["audited"] else None)
    return rule_rates(statuses, [r["id"] for r in rules], decisions)


def build_province(model: dict[str, Any], parents: dict[str, str], rules: list[dict[str, Any]],
                   lang: str) -> dict[str, Any]:
    """The province view of a run model. ``parents`` maps agency id → parent id (from the registry)."""
    names = {a["id"]: a["name"] for a in model["agencies"]}
    rows = [_row(a, parents.get(a["id"]), rules) for a in model["agencies"]]
    groups = [_group("all", "", i18n.t(lang, "pv_all_agencies"), "index.html", rows, rules)]
    levels = sorted({r["level"] for r in rows},
                    key=lambda lv: (LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER else len(LEVEL_ORDER), lv))
    for level in levels:
        members = [r for r in rows if r["level"] == level]
        label = i18n.level_label(level, lang) or i18n.t(lang, "unknown")
        groups.append(_group("level", level, label, f"level-{safe_filename(level or 'unknown')}.html", members, rules))
    by_parent: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["parent"]:
            by_parent[row["parent"]].append(row)
    used = {g["file"] for g in groups}
    for parent in sorted(by_parent, key=lambda p: fold(names.get(p, p))):
        file = stem = f"parent-{safe_filename(parent)}"
        n = 2
        while f"{file}.html" in used:
            file, n = f"{stem}-{n}", n + 1
        used.add(f"{file}.html")
        groups.append(_group("parent", parent, names.get(parent, parent), f"{file}.html", by_parent[parent], rules))
    return {"rules": rules, "rows": rows, "groups": groups, "names": names,
            "act": _who_must_act(model, rows, rules), "act_by_parent": _act_by_parent(rows, by_parent, names, rules)}


def _group(kind: str, key: str, label: str, file: str, rows: list[dict[str, Any]],
           rules: list[dict[str, Any]]) -> dict[str, Any]:
    rates = _rates(rows, rules)
    return {"kind": kind, "key": key, "label": label, "file": file, "rows": rows, "rates": rates,
            "overall": pooled(rates.values()),
            "audited": sum(r["audited"] for r in rows), "gaps": sum(r["gaps"] for r in rows)}


def _who_must_act(model: dict[str, Any], rows: list[dict[str, Any]], rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per rule with gaps: its legal bases (as cited on the audit date) and every agency with the gap."""
    out = []
    for rule in rules:
        agencies, bases = [], []
        for row in rows:
            cell = row["cells"][rule["id"]]
            if cell["bucket"] not in GAPS:
                continue
            finding = cell["finding"]
            agencies.append({"row": row, "status": finding["status"], "message": finding.get("message") or ""})
            for basis in finding.get("legal_basis") or []:
                key = (basis.get("citation"), bool(basis.get("provisional")))
                if key[0] and key not in bases:
                    bases.append(key)
        if agencies:
            agencies.sort(key=lambda a: (a["status"] != "fail", fold(a["row"]["name"])))
            out.append({"rule": rule, "agencies": agencies,
                        "bases": [{"citation": c, "provisional": p} for c, p in bases],
                        "fail": sum(a["status"] == "fail" for a in agencies)})
    out.sort(key=lambda e: (CLASS_ORDER.get(e["rule"]["class"], 9), -len(e["agencies"]), e["rule"]["number"]))
    return out


def _act_by_parent(rows: list[dict[str, Any]], by_parent: dict[str, list[dict[str, Any]]], names: dict[str, str],
                   rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per parent body: each subordinate with its gaps (rules failed or partly met), worst first."""
    out = []
    for parent, members in by_parent.items():
        subs = []
        for row in members:
            gaps = [{"rule": r, "status": row["cells"][r["id"]]["bucket"]} for r in rules
                    if row["cells"][r["id"]]["bucket"] in GAPS]
            subs.append({"row": row, "gaps": gaps})
        subs.sort(key=lambda s: (not s["row"]["audited"], -len(s["gaps"]), fold(s["row"]["name"])))
        out.append({"parent": parent, "label": names.get(parent, parent), "subordinates": subs,
                    "gaps": sum(len(s["gaps"]) for s in subs),
                    "not_audited": sum(not s["row"]["audited"] for s in subs)})
    out.sort(key=lambda p: fold(p["label"]))
    return out


def render_province(model: dict[str, Any], province: dict[str, Any], out_dir: str | Path, *, lang: str = "vi",
                    generated_at: datetime | None = None) -> Path:
    """Write ``province/index.html`` (the matrix), one page per level and per parent body, and
    ``province/act.html`` (who must act). Returns the path of the matrix page."""
    out = Path(out_dir) / "province"
    out.mkdir(parents=True, exist_ok=True)
    env = _environment(lang)
    env.globals["css"] = Markup(str(env.globals["css"]) + (TEMPLATES / "province.css").read_text(encoding="utf-8"))
    files = agency_filenames(model["agencies"])
    context = {**_context(model, lang, generated_at or datetime.now(UTC)), "files": files, "root": "../",
               "pv": province, "rules": province["rules"]}
    page = env.get_template("matrix.html.j2")
    for group in province["groups"]:
        (out / group["file"]).write_text(page.render(**context, group=group), encoding="utf-8")
    (out / "act.html").write_text(env.get_template("act.html.j2").render(**context), encoding="utf-8")
    return out / "index.html"
