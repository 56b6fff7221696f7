"""``tctt diff RUN_A RUN_B``: per agency, what was fixed, what newly fails, what could not be compared."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="so sánh hai lượt kiểm tra / compare two runs")
    p.add_argument("run_a", help="lượt trước / earlier run id (or 'latest')")
    p.add_argument("run_b", help="lượt sau / later run id (or 'latest')")
    p.add_argument("--db", default="tctt.db", help="tệp SQLite / SQLite file (default: %(default)s)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.store import Store
    from reports.history import diff_runs

    store = Store(args.db)
    try:
        result = diff_runs(store, args.run_a, args.run_b)
    finally:
        store.close()
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.format == "json" else as_text(result))
    return 0


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def as_text(result: dict) -> str:
    lines = [f"So sánh lượt / diff of runs #{result['run_a']} → #{result['run_b']}"]
    counts = {"fixed": 0, "new": 0, "nc": 0}
    for entry in result["agencies"]:
        head = f"\n{entry['agency']} — {entry['name']}"
        if not entry["comparable"]:
            counts["nc"] += 1
            why = ("không có trong một lượt / not in one of the runs" if entry["reason"] == "not_in_run" else
                   f"không so sánh được / not comparable: {entry['status_a'] or '—'} → {entry['status_b'] or '—'}")
            lines.append(f"{head}\n  ? {why}")
            continue
        change = entry.get("score_change")
        lines.append(f"{head}  điểm / score {_score(entry['score_a'])} → {_score(entry['score_b'])}"
                     + (f" ({change:+.1f})" if change else ""))
        for rule in entry["fixed"]:
            lines.append(f"  + đã khắc phục / fixed: {rule}")
        for rule in entry["new_failures"]:
            lines.append(f"  - mới không đạt / newly fails: {rule}")
        for rule in entry["not_comparable_rules"]:
            lines.append(f"  ? không so sánh được / not comparable: {rule}")
        if not (entry["fixed"] or entry["new_failures"]):
            lines.append("  = không thay đổi / unchanged")
        counts["fixed"] += len(entry["fixed"])
        counts["new"] += len(entry["new_failures"])
    lines.append(f"\nTổng / total: {counts['fixed']} đã khắc phục / fixed, {counts['new']} mới không đạt / newly "
                 f"failing, {counts['nc']} cơ quan không so sánh được / agencies not comparable")
    return "\n".join(lines)
