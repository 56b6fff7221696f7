"""Score a stored run: evidence in, findings and scores out. No network, same answer every time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from auditors.checks import AUDITORS, Outcome
from auditors.evidence import Evidence, with_archive_records
from auditors.scoring import points, score_agency
from rules import Rule, Ruleset
from tctt.store import Store, now_iso


@dataclass
class RunScore:
    run_id: int
    audited: int
    not_audited: int
    average: float | None


def judge(ruleset: Ruleset, evidence: Evidence) -> list[dict[str, Any]]:
    """Every rule of the ruleset applied to one agency's evidence."""
    findings = []
    for rule in ruleset.rules:
        bases = rule.bases_in_force(evidence.audit_date)
        function = AUDITORS.get(rule.auditor)
        if not bases:
            # A rule with no basis in force on the audit date (e.g. Decree 42/2022 after 01/7/2026) judges nothing.
            outcome = Outcome("not_applicable",
                              f"Không có căn cứ pháp lý của tiêu chí này có hiệu lực vào ngày {evidence.audit_date:%d/%m/%Y}.",
                              f"No legal basis of this rule is in force on {evidence.audit_date.isoformat()}.")
        elif function is None:
            outcome = Outcome("error", f"Không có hàm kiểm tra '{rule.auditor}'.", f"Unknown auditor '{rule.auditor}'.")
        else:
            try:
                outcome = function(evidence, rule.params)
            except Exception as exc:  # noqa: BLE001 - one broken check must not sink the agency
                outcome = Outcome("error", f"Lỗi khi kiểm tra: {type(exc).__name__}: {exc}",
                                  f"The check failed: {type(exc).__name__}: {exc}")
        if outcome.status in ("fail", "partial") and rule.in_transition(evidence.audit_date):
            outcome = transition(rule, outcome)
        achieved, possible = points(ruleset, rule.weight, outcome.status)
        findings.append({
            "rule_id": rule.id, "status": outcome.status, "score": achieved, "max_score": possible,
            "weight": rule.weight, "class": rule.rule_class, "title": rule.title,
            "failure_title": rule.failure_title, "description": rule.description,
            "message": {"vi": outcome.vi, "en": outcome.en}, "evidence": with_archive_records(outcome.evidence[:10], evidence),
            "legal_basis": bases, "details": outcome.details,
            "covers": rule.covers, "scored_at": None,
        })
    return findings


def transition(rule: Rule, outcome: Outcome) -> Outcome:
    """A gap in a newly required item, still inside its transition period: reported, weighing 0."""
    assert rule.transition is not None
    until = date.fromisoformat(rule.transition["to"]) + timedelta(days=1)
    basis = rule.transition["basis"]
    day = f"{until.day:02d}/{until.month}/{until.year}"  # "01/3/2027", as Vietnamese texts write it
    details = {**outcome.details, "transition_until": until.isoformat(), "gap_status": outcome.status}
    return Outcome(
        "transition",
        f"Đang trong thời gian chuyển tiếp đến {day} ({basis['vi']}): {outcome.vi}",
        f"Within the transition period until {day} ({basis['en']}): {outcome.en}",
        outcome.evidence, details)


def score_run(store: Store, ruleset: Ruleset, run_id: int | str | None = None,
              audit_date: date | None = None) -> RunScore:
    """(Re-)score every agency of a run. Agencies not audited get no findings and no score."""
    run = store.run(run_id)
    when = audit_date or date.fromisoformat(run["audit_date"])
    # Which date (so which legal regime) the stored findings were judged under, and with which overlays.
    store.set_run_option(run["id"], "scored_as_of", when.isoformat())
    store.set_run_option(run["id"], "ruleset_label", f"{ruleset.id} {ruleset.label}")
    results = store.agency_results(run["id"])
    scored_at = now_iso()
    scores: list[float] = []
    not_audited = 0
    depth = ((run.get("options") or {}).get("budgets") or {}).get("depth")  # the crawl's TCTT_SECTION_DEPTH
    agencies = store.agencies(run["id"])
    registry = [{**a, "final_url": (results.get(a["id"]) or {}).get("final_url")} for a in agencies]
    for agency in agencies:
        result = results.get(agency["id"])
        if result is None or result["status"] != "audited":
            not_audited += 1
            if result is not None:
                store.replace_findings(run["id"], agency["id"], [], None, None)
            continue
        evidence = Evidence.build(agency, result, store.pages(run["id"], agency["id"]),
                                  store.candidates(run["id"], agency["id"]), when, section_depth=depth,
                                  registry=registry)
        findings = judge(ruleset, evidence)
        for finding in findings:
            finding["scored_at"] = scored_at
        score, band = score_agency(ruleset, findings)
        store.replace_findings(run["id"], agency["id"], findings, score, band)
        if score is not None:
            scores.append(score)
    average = round(sum(scores) / len(scores), 1) if scores else None
    return RunScore(run["id"], len(scores), not_audited, average)
