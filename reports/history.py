"""History over runs: what changed between two runs, each agency's and the province's trend, and the
*stable* state of each finding (what a gap report may tell an agency).

Comparability: an agency that was not audited in a run (unreachable, blocked, …) has no observation in
that run — it is neither fixed nor broken there. A rule whose status is ``manual`` or ``error`` is not
an observation either. ``fail`` and ``partial`` are gaps; ``pass`` and ``not_applicable`` are fine.

Stability (the debounce against flapping): the first observation of a rule is its baseline; after it, a
fix (gap → fine) is taken at once, while a new gap becomes stable only once it has been seen in
``persistence`` consecutive observations (runs where the agency was not audited are skipped, they
neither confirm nor break the streak).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from core.store import Store
from reports.rates import rule_rates

GAP = frozenset({"fail", "partial"})
FINE = frozenset({"pass", "not_applicable"})


def rule_state(status: str | None) -> str | None:
    """'gap', 'ok' or None (not an observation)."""
    if status in GAP:
        return "gap"
    if status in FINE:
        return "ok"
    return None


def resolve_run(store: Store, run: int | str | None) -> int:
    return int(store.run(run)["id"])


# -- raw history ---------------------------------------------------------------------------------
@dataclass
class AgencyRun:
    run_id: int
    audit_date: str | None
    status: str | None          # agency status in that run, None when the agency was not in the run
    score: float | None
    band: str | None
    rules: dict[str, str] = field(default_factory=dict)   # rule id -> finding status (audited runs only)

    @property
    def audited(self) -> bool:
        return self.status == "audited"


def load_history(store: Store, upto_run: int | None = None) -> tuple[list[dict[str, Any]], dict[str, list[AgencyRun]],
                                                                   dict[str, str]]:
    """(runs, agency id -> one AgencyRun per run, agency id -> latest name), runs in id order."""
    runs = [r for r in store.runs() if upto_run is None or r["id"] <= upto_run]
    if not runs:
        return [], {}, {}
    last = runs[-1]["id"]
    present: dict[tuple[int, str], dict[str, Any]] = {}
    names: dict[str, str] = {}
    for row in store.db.query("select run_id, id, name from agencies where run_id <= ? order by run_id", [last]):
        present[(row["run_id"], row["id"])] = row
        names[row["id"]] = row["name"] or row["id"]
    results = {(r["run_id"], r["agency_id"]): r for r in
               store.db.query("select * from agency_results where run_id <= ?", [last])}
    findings: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
    for row in store.db.query("select run_id, agency_id, rule_id, status from findings where run_id <= ? "
                              "order by rowid", [last]):
        findings[(row["run_id"], row["agency_id"])][row["rule_id"]] = row["status"]
    history: dict[str, list[AgencyRun]] = {}
    for agency_id in names:
        rows = []
        for run in runs:
            key = (run["id"], agency_id)
            result = results.get(key)
            status = None if key not in present else (result or {}).get("status") or "error"
            audited = status == "audited"
            rows.append(AgencyRun(run["id"], run.get("audit_date"), status,
                                  result.get("score") if audited and result else None,
                                  result.get("band") if audited and result else None,
                                  dict(findings.get(key, {})) if audited else {}))
        history[agency_id] = rows
    return runs, history, names


# -- diff between two runs -------------------------------------------------------------------------
def diff_runs(store: Store, run_a: int | str, run_b: int | str) -> dict[str, Any]:
    """Per agency: rules fixed, newly failing, still failing, and what could not be compared."""
    a, b = resolve_run(store, run_a), resolve_run(store, run_b)
    _, history, names = load_history(store, max(a, b))
    out = []
    for agency_id in sorted(history):
        by_run = {row.run_id: row for row in history[agency_id]}
        ra, rb = by_run.get(a), by_run.get(b)
        entry: dict[str, Any] = {
            "agency": agency_id, "name": names[agency_id],
            "status_a": ra.status if ra else None, "status_b": rb.status if rb else None,
            "score_a": ra.score if ra else None, "score_b": rb.score if rb else None,
            "band_a": ra.band if ra else None, "band_b": rb.band if rb else None,
            "comparable": bool(ra and rb and ra.audited and rb.audited),
            "fixed": [], "new_failures": [], "still_failing": [], "not_comparable_rules": [],
        }
        if ra is None or ra.status is None or rb is None or rb.status is None:
            entry["reason"] = "not_in_run"
            if ra is None or ra.status is None:
                entry["status_a"] = None
            if rb is None or rb.status is None:
                entry["status_b"] = None
            if entry["status_a"] is None and entry["status_b"] is None:
                continue
        elif not entry["comparable"]:
            entry["reason"] = "not_audited"
        else:
            entry["reason"] = None
            entry["score_change"] = (None if ra.score is None or rb.score is None
                                     else round(rb.score - ra.score, 2))
            for rule in sorted(set(ra.rules) | set(rb.rules)):
                sa, sb = rule_state(ra.rules.get(rule)), rule_state(rb.rules.get(rule))
                if sa is None or sb is None:
                    entry["not_comparable_rules"].append(rule)
                elif sa == "gap" and sb == "ok":
                    entry["fixed"].append(rule)
                elif sa == "ok" and sb == "gap":
                    entry["new_failures"].append(rule)
                elif sa == "gap" and sb == "gap":
                    entry["still_failing"].append(rule)
        out.append(entry)
    return {"run_a": a, "run_b": b, "agencies": out}


# -- stable findings -------------------------------------------------------------------------------
@dataclass
class StableRule:
    state: str                 # 'gap' or 'ok' — what the agency is told
    status: str                # the latest observed finding status
    since_run: int             # first run of the current stable state
    pending_runs: int = 0      # consecutive observations of a gap not yet confirmed (0 if none)


def stable_states(rows: list[AgencyRun], persistence: int = 2) -> dict[str, StableRule]:
    """Debounced rule states after the last of ``rows`` (one agency's runs in order)."""
    states: dict[str, StableRule] = {}
    for row in rows:
        if not row.audited:
            continue
        for rule, status in row.rules.items():
            observed = rule_state(status)
            if observed is None:
                continue
            current = states.get(rule)
            if current is None:
                states[rule] = StableRule(observed, status, row.run_id)
            elif observed == "ok":
                if current.state == "gap":
                    current.since_run = row.run_id
                current.state, current.pending_runs = "ok", 0
            elif current.state == "gap":
                current.pending_runs = 0
            else:
                current.pending_runs += 1
                if current.pending_runs >= persistence:
                    current.state, current.since_run, current.pending_runs = "gap", row.run_id, 0
            states[rule].status = status
    return states


def stable_states_at(store: Store, agency_id: str, run_id: int, persistence: int = 2) -> dict[str, StableRule]:
    _, history, _ = load_history(store, run_id)
    return stable_states(history.get(agency_id, []), persistence)


def stable_changes(before: dict[str, StableRule] | None, after: dict[str, StableRule]) -> dict[str, list[str]]:
    """Rules fixed and newly (stably) failing between two stable views; ``before=None`` means no report yet."""
    if before is None:
        return {"fixed": [], "new_failures": []}
    fixed = sorted(r for r, s in after.items() if s.state == "ok" and r in before and before[r].state == "gap")
    new = sorted(r for r, s in after.items() if s.state == "gap" and (r not in before or before[r].state == "ok"))
    return {"fixed": fixed, "new_failures": new}


# -- trends ----------------------------------------------------------------------------------------
def province_trend(store: Store, bands: list[str]) -> list[dict[str, Any]]:
    """Per run: average score (audited agencies only), band counts, compliance rate per rule (reports.rates)."""
    runs, history, _ = load_history(store)
    out = []
    for index, run in enumerate(runs):
        rows = [h[index] for h in history.values() if h[index].status is not None]
        audited = [r for r in rows if r.audited]
        scores = [r.score for r in audited if r.score is not None]
        band_counts = {band: 0 for band in bands}
        for r in audited:
            band_counts[r.band or "-"] = band_counts.get(r.band or "-", 0) + 1
        # Over the agencies each rule applies to (not_applicable, transition, manual, not audited apart).
        rates = rule_rates(r.rules if r.audited else None for r in rows)
        out.append({
            "run_id": run["id"], "audit_date": run.get("audit_date"), "status": run.get("status"),
            "agencies": len(rows), "audited": len(audited),
            "average": round(sum(scores) / len(scores), 2) if scores else None,
            "bands": band_counts,
            "compliance": {rule: rate.rate for rule, rate in rates.items() if rate.rate is not None},
            "rates": rates,
        })
    return out


def movers(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Score change from each agency's first to its latest audited run (agencies audited at least twice).

    Runs where the agency was not audited are skipped, so an outage is never a regression or a fix.
    """
    _, history, names = load_history(store)
    changes, not_comparable = [], []
    for agency_id, rows in history.items():
        audited = [r for r in rows if r.audited and r.score is not None]
        if len(audited) < 2:
            if any(r.status is not None for r in rows):
                not_comparable.append({"agency": agency_id, "name": names[agency_id], "audited_runs": len(audited)})
            continue
        first, last = audited[0], audited[-1]
        changes.append({"agency": agency_id, "name": names[agency_id], "from_run": first.run_id,
                        "to_run": last.run_id, "from_score": first.score, "to_score": last.score,
                        "change": round(last.score - first.score, 2)})
    improved = sorted((c for c in changes if c["change"] > 0), key=lambda c: (-c["change"], c["agency"]))
    regressed = sorted((c for c in changes if c["change"] < 0), key=lambda c: (c["change"], c["agency"]))
    return {"improved": improved, "regressed": regressed, "unchanged": [c for c in changes if c["change"] == 0],
            "not_comparable": not_comparable}
