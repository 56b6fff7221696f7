"""Progress over runs, in the terms of :mod:`reports.rates`: each rule's and each level's pass rate per run
(over the agencies the rule applies to), the agencies that fixed or opened gaps rule by rule between their
last two audited runs, and when the next scheduled run is due.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from reports.history import AgencyRun

from .rates import GAPS, Rate, effective_status, pooled, rule_rates

# (run id, agency id) → rule id → a decision in force ("compliant"/"excused"), supplied by the caller.
Decisions = Callable[[int, str], Mapping[str, str]]


def build_progress(runs: list[dict[str, Any]], history: dict[str, list[AgencyRun]], names: dict[str, str],
                   levels: Mapping[tuple[int, str], str], rule_order: list[str],
                   decisions: Decisions | None = None) -> dict[str, Any]:
    """Per run: rule id → Rate, level → pooled Rate, overall Rate; and the rule-by-rule movers."""
    seen = {rule for rows in history.values() for row in rows for rule in row.rules}
    rules = [r for r in rule_order if r in seen] + sorted(seen - set(rule_order))
    per_run = []
    for index, run in enumerate(runs):
        present = [(agency_id, rows[index]) for agency_id, rows in history.items() if rows[index].status is not None]
        kinds = [(decisions(run["id"], agency_id) if decisions and row.audited else None) for agency_id, row in present]
        rates = rule_rates([row.rules if row.audited else None for _, row in present], rules, kinds)
        by_level: dict[str, Rate] = {}
        for level in sorted({levels.get((run["id"], a), "") for a, _ in present}):
            members = [(row, k) for (a, row), k in zip(present, kinds, strict=True)
                       if levels.get((run["id"], a), "") == level]
            by_level[level] = pooled(rule_rates([row.rules if row.audited else None for row, _ in members], rules,
                                                [k for _, k in members]).values())
        per_run.append({"run_id": run["id"], "audit_date": run.get("audit_date"), "rates": rates,
                        "levels": by_level, "overall": pooled(rates.values())})
    all_levels = sorted({lv for p in per_run for lv in p["levels"]}, key=_level_key)
    return {"rules": rules, "runs": per_run, "levels": all_levels,
            "changes": rule_changes(history, names, decisions)}


def _level_key(level: str) -> tuple[int, str]:
    order = ("ministry", "province", "department", "commune", "other")
    return (order.index(level) if level in order else len(order), level)


def rule_changes(history: dict[str, list[AgencyRun]], names: dict[str, str],
                 decisions: Decisions | None = None) -> dict[str, list[dict[str, Any]]]:
    """Agencies whose gaps changed between their last two audited runs: rules fixed (gap → pass) and new
    gaps (pass → gap); an agency that did both is in both lists. Not-applicable,
    transition and manual findings are not observations of either."""
    improved, regressed = [], []
    for agency_id, rows in history.items():
        audited = [r for r in rows if r.audited]
        if len(audited) < 2:
            continue
        before, after = audited[-2], audited[-1]
        kb = decisions(before.run_id, agency_id) if decisions else {}
        ka = decisions(after.run_id, agency_id) if decisions else {}
        b = {rule: effective_status(s, kb.get(rule)) for rule, s in before.rules.items()}
        a = {rule: effective_status(s, ka.get(rule)) for rule, s in after.rules.items()}
        fixed = sorted(r for r in a if a[r] == "pass" and b.get(r) in GAPS)
        new = sorted(r for r in a if a[r] in GAPS and b.get(r) == "pass")
        if not fixed and not new:
            continue
        entry = {"agency": agency_id, "name": names[agency_id], "from_run": before.run_id, "to_run": after.run_id,
                 "fixed": fixed, "new_gaps": new, "net": len(fixed) - len(new)}
        if fixed:
            improved.append(entry)
        if new:
            regressed.append(entry)
    improved.sort(key=lambda e: (-e["net"], -len(e["fixed"]), e["name"]))
    regressed.sort(key=lambda e: (e["net"], -len(e["new_gaps"]), e["name"]))
    return {"improved": improved, "regressed": regressed}


def next_run(cron: str | None, now: datetime) -> datetime | None:
    """The next time the schedule's cron expression names after ``now`` (None without a valid schedule)."""
    if not cron:
        return None
    from croniter import croniter

    if not croniter.is_valid(cron):
        return None
    return croniter(cron, now).get_next(datetime)
