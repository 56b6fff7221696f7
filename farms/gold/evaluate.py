"""Measure the audit against the gold set: section-finding accuracy, and precision, recall and F1 per rule
and per finding status, with every disagreement and its evidence.

``tctt.evaluation.evaluate`` serves the gold portals on loopback, crawls and scores them with the audit's
own stages and compares with this module. ``compare`` and ``metrics`` are pure and work on any run model,
so the same figures can be computed for other label sets.

A rule is scored as a multi-class classifier over finding statuses. Per status: precision, recall and F1
(one-vs-rest). Per rule: accuracy, the support-weighted precision, recall and F1 (the headline figures,
robust to a rare status), and the macro F1 over the statuses that occur. Rules the gold set does not label
for a portal are counted as unlabelled, not as errors.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from farms.gold import build, load_specs, random_spec
from rules import Ruleset, load_ruleset

ACCURACY_FILE = "accuracy.json"
# Faster than the polite defaults: the gold servers are ours, on loopback.
CRAWL_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 48, "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
                  "DOWNLOAD_TIMEOUT": 20, "RETRY_TIMES": 0}


def normalize_url(url: str | None) -> str | None:
    """A URL compared for identity: host lower-cased, no port, no session id, no trailing slash, query sorted."""
    if not url:
        return None
    parts = urlsplit(url)
    path = parts.path.split(";jsessionid=", 1)[0].split(";JSESSIONID=", 1)[0].rstrip("/") or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{(parts.hostname or '').lower()}{path}" + (f"?{query}" if query else "")


def compare(portals: list[dict[str, Any]], agencies: list[dict[str, Any]], ruleset: Ruleset) -> dict[str, Any]:
    """Pair each gold portal (``id``, ``section`` list|None, ``labels``) with the audited agency."""
    by_id = {a["id"]: a for a in agencies}
    rule_ids = [r.id for r in ruleset.rules]
    rows = []
    for portal in portals:
        agency = by_id.get(portal["id"]) or {}
        found = (agency.get("section") or {}).get("url")
        wanted = portal["section"]
        section_ok = (found is None) if wanted is None else \
            normalize_url(found) in {normalize_url(w) for w in wanted}
        findings = {f["rule"]: f for f in agency.get("findings") or []}
        rules = {}
        for rule_id in rule_ids:
            finding = findings.get(rule_id) or {}
            rules[rule_id] = {
                "expected": portal["labels"].get(rule_id), "got": finding.get("status"),
                "message": (finding.get("message") or "") if isinstance(finding.get("message"), str)
                else (finding.get("message") or {}).get("vi", ""),
                "evidence": [{"url": e.get("url"), "excerpt": e.get("excerpt")} for e in (finding.get("evidence") or [])[:2]],
            }
        rows.append({
            "id": portal["id"], "name": portal.get("name", ""), "platform": portal.get("platform", ""),
            "reach": portal.get("reach", ""), "notes": portal.get("notes", ""), "status": agency.get("status"),
            "status_detail": agency.get("status_detail"), "section_expected": wanted[0] if wanted else None,
            "section_found": found, "section_confidence": (agency.get("section") or {}).get("confidence"),
            "section_ok": section_ok, "rules": rules,
            "candidates": [{"url": c.get("url"), "confidence": c.get("confidence")}
                           for c in (agency.get("candidates") or [])[:4]],
        })
    return {"portals": rows, **metrics(rows, ruleset)}


def _prf(tp: int, predicted: int, actual: int) -> dict[str, float | int | None]:
    precision = tp / predicted if predicted else None
    recall = tp / actual if actual else None
    if precision is None or recall is None:
        f1 = None if not predicted and not actual else 0.0
    else:
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return {"precision": _r(precision), "recall": _r(recall), "f1": _r(f1), "support": actual, "predicted": predicted}


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def status_metrics(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Per-status one-vs-rest figures plus accuracy, weighted and macro averages of (expected, got) pairs."""
    statuses = sorted({e for e, _ in pairs} | {g for _, g in pairs})
    per_status = {}
    for status in statuses:
        tp = sum(1 for e, g in pairs if e == status and g == status)
        per_status[status] = _prf(tp, sum(1 for _, g in pairs if g == status), sum(1 for e, _ in pairs if e == status))
    total = len(pairs)
    supported = [s for s in statuses if per_status[s]["support"]]

    def weighted(key: str) -> float | None:
        if not total:
            return None
        return _r(sum((per_status[s][key] or 0.0) * per_status[s]["support"] for s in supported) / total)

    macro = [per_status[s]["f1"] or 0.0 for s in statuses]
    return {
        "labelled": total, "accuracy": _r(sum(1 for e, g in pairs if e == g) / total) if total else None,
        "precision": weighted("precision"), "recall": weighted("recall"), "f1": weighted("f1"),
        "macro_f1": _r(sum(macro) / len(macro)) if macro else None, "statuses": per_status,
        "confusion": {f"{e}→{g}": n for (e, g), n in sorted(Counter(pairs).items())},
    }


def metrics(rows: list[dict[str, Any]], ruleset: Ruleset) -> dict[str, Any]:
    audited = [r for r in rows if r["status"] == "audited"]
    section = sum(1 for r in rows if r["section_ok"])
    rules: dict[str, Any] = {}
    pooled: list[tuple[str, str]] = []
    disagreements = []
    for rule in ruleset.rules:
        pairs = []
        unlabelled = 0
        for row in audited:
            cell = row["rules"][rule.id]
            if cell["expected"] is None:
                unlabelled += 1
                continue
            got = cell["got"] or "missing"
            pairs.append((cell["expected"], got))
            if cell["expected"] != got:
                disagreements.append({"portal": row["id"], "rule": rule.id, "expected": cell["expected"], "got": got,
                                      "message": cell["message"], "evidence": cell["evidence"]})
        pooled += pairs
        rules[rule.id] = {"class": rule.rule_class, "title": rule.title, **status_metrics(pairs), "unlabelled": unlabelled}
    section_misses = [{"portal": r["id"], "rule": "(section)", "expected": r["section_expected"],
                       "got": r["section_found"], "message": "", "evidence": [
                           {"url": c["url"], "excerpt": f"confidence {c['confidence']}"} for c in r["candidates"]]}
                      for r in rows if not r["section_ok"]]
    return {
        "section_accuracy": _r(section / len(rows)) if rows else None,
        "section": {"correct": section, "total": len(rows), "audited": len(audited)},
        "rules": rules, "statuses": status_metrics(pooled)["statuses"],
        "disagreements": section_misses + disagreements,
    }


def gold_portals(gold_dir: str | Path | None = None) -> list[Any]:
    return [build(spec) for spec in load_specs(gold_dir)]


def synthetic_portals(count: int, seed: int) -> list[Any]:
    """``count`` portals of the seeded synthetic population, labelled by the labelling policy."""
    return [build(random_spec(seed, i)) for i in range(count)]


def accuracy_entry(result: dict[str, Any]) -> dict[str, Any]:
    """The summary kept beside the ruleset (``accuracy.json``) for reports and ``tctt rules list``."""
    return {
        "measured_at": result["measured_at"], "gold_portals": result["gold"]["portals"],
        "section_accuracy": result["section_accuracy"],
        "rules": {rid: {k: r[k] for k in ("precision", "recall", "f1", "accuracy", "labelled")}
                  for rid, r in result["rules"].items()},
    }


def record_accuracy(result: dict[str, Any], ruleset_dir: str | Path | None = None) -> Path:
    """Store the figures in the ruleset folder's ``accuracy.json`` under ``<id>@<version>``."""
    ruleset = load_ruleset(ruleset_dir)
    path = Path(ruleset.path) / ACCURACY_FILE
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data[f"{result['ruleset']['id']}@{result['ruleset']['version']}"] = accuracy_entry(result)
    path.write_text(json.dumps(dict(sorted(data.items())), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def format_table(result: dict[str, Any]) -> str:
    """The figures as plain text for the terminal."""
    section = result["section"]
    lines = [
        f"Bộ tiêu chí / ruleset {result['ruleset']['id']} {result['ruleset']['version']}; "
        f"bộ mẫu chuẩn / gold set: {result['gold']['portals']} cổng / portals "
        f"(thu thập / crawl {result['run']['crawl_seconds']} s)",
        f"Tìm đúng Chuyên mục / section finding: {section['correct']}/{section['total']} = "
        f"{result['section_accuracy']:.3f}",
        "",
        f"{'tiêu chí / rule':<24} {'loại/class':<10} {'n':>3} {'acc':>6} {'P':>6} {'R':>6} {'F1':>6} {'macroF1':>8}",
    ]

    def fmt(value: float | None) -> str:
        return "     —" if value is None else f"{value:6.3f}"

    for rule_id, r in result["rules"].items():
        lines.append(f"{rule_id:<24} {r['class']:<10} {r['labelled']:>3} {fmt(r['accuracy'])} {fmt(r['precision'])} "
                     f"{fmt(r['recall'])} {fmt(r['f1'])} {fmt(r['macro_f1']):>8}")
    lines += ["", f"{'trạng thái / status':<24} {'n':>4} {'đoán/pred':>9} {'P':>6} {'R':>6} {'F1':>6}"]
    for status, s in result["statuses"].items():
        lines.append(f"{status:<24} {s['support']:>4} {s['predicted']:>9} {fmt(s['precision'])} {fmt(s['recall'])} "
                     f"{fmt(s['f1'])}")
    disagreements = result["disagreements"]
    lines += ["", f"Bất đồng / disagreements: {len(disagreements)}"]
    for d in disagreements:
        evidence = "; ".join(f"{e['url']} «{(e.get('excerpt') or '')[:70]}»" for e in d["evidence"][:1])
        lines.append(f"  {d['portal']:<28} {d['rule']:<22} mong đợi/expected {str(d['expected']):<8} "
                     f"được/got {str(d['got']):<8} {d['message'][:110]} {evidence}")
    return "\n".join(lines)
