"""Score a stored run: evidence in, findings and scores out. No network, same answer every time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from auditors.base import UNITS, Outcome, Unit
from auditors.evidence import Evidence, SectionPages, with_archive_records
from auditors.scoring import points, score_agency
from auditors.unread import unsure_when_unread
from core import sectionstatus
from core.store import Store, now_iso
from rules import Rule, Ruleset


@dataclass
class RunScore:
    run_id: int
    audited: int
    not_audited: int
    average: float | None


def judge(ruleset: Ruleset, evidence: Evidence) -> list[dict[str, Any]]:
    """Every rule of the ruleset applied to one agency's evidence."""
    findings = []
    day = evidence.audit_date
    # An agency of unknown level is held only to the provisions that bind every level: never a duty guessed.
    level = (evidence.agency.get("level") if isinstance(evidence.agency, dict) else None) or "unknown"
    for rule in ruleset.rules:
        bases = rule.bases_in_force(day, level)
        criteria = rule.criteria_in_force(day, level) if rule.criteria else None
        unit = UNITS.get(rule.auditor)  # the auditor and its declaration (auditors.base)
        if not bases:
            outcome = _no_basis(rule, day, level)
        elif criteria is not None and not criteria:
            # Every criterion rested on a basis that has lapsed (or does not bind this level). Where the
            # check finds nothing to judge at all (no regulation to read), that is said instead.
            outcome = _no_criteria(rule, unit, evidence, {**rule.params, "_bases": bases, "_level": level,
                                                          "_criteria": {}})
        elif unit is None:
            outcome = Outcome("error", f"Không có hàm kiểm tra '{rule.auditor}'.", f"Unknown auditor '{rule.auditor}'.")
        else:
            if isinstance(evidence.section_pages, SectionPages):
                evidence.section_pages.read = False
            params = {**rule.params, "_bases": bases, "_level": level}
            if criteria is not None:
                params["_criteria"] = criteria
            try:
                outcome = unit(evidence, unit.with_defaults(params))
            except Exception as exc:  # noqa: BLE001 - one broken check must not sink the agency
                outcome = Outcome("error", f"Lỗi khi kiểm tra: {type(exc).__name__}: {exc}",
                                  f"The check failed: {type(exc).__name__}: {exc}")
        if outcome.status in ("fail", "partial") and section_unsure(evidence):
            outcome = unsure_section(outcome)
        outcome = unsure_when_unread(evidence, outcome)
        if outcome.status in ("fail", "partial") and rule.in_transition(day):
            outcome = transition(rule, outcome)
        rule_class = rule.class_on(day)
        weight = rule.weight if rule_class == rule.rule_class else (
            0.0 if rule_class == "manual" else float(ruleset.classes.get(rule_class, rule.weight)))
        achieved, possible = points(ruleset, weight, outcome.status)
        cited = _cited(bases, criteria, outcome)
        findings.append({
            "rule_id": rule.id, "status": outcome.status, "score": achieved, "max_score": possible,
            "weight": weight, "class": rule_class, "title": rule.title,
            "failure_title": rule.failure_title, "description": rule.description,
            "message": {"vi": outcome.vi, "en": outcome.en}, "evidence": with_archive_records(outcome.evidence[:10], evidence),
            "legal_basis": cited, "details": outcome.details,
            "covers": rule.covers, "scored_at": None,
        })
    return findings


_LEVEL_VI = {"ministry": "bộ, cơ quan trung ương", "province": "UBND cấp tỉnh", "department": "sở, ngành",
             "commune": "UBND cấp xã", "other": "cơ quan khác", "unknown": "chưa rõ (sổ đăng ký không ghi cấp)"}


def _no_basis(rule: Rule, day: date, level: str | None) -> Outcome:
    """No basis in force on ``day`` (e.g. Decree 42/2022 after 01/7/2026), or none binding ``level``."""
    if level and rule.bases_in_force(day):
        return Outcome("not_applicable",
                       f"Căn cứ pháp lý của tiêu chí này không áp dụng cho cấp {_LEVEL_VI.get(level, level)}.",
                       f"No legal basis of this rule binds an agency of level '{level}'.", details={"level": level})
    return Outcome("not_applicable",
                   f"Không có căn cứ pháp lý của tiêu chí này có hiệu lực vào ngày {day:%d/%m/%Y}.",
                   f"No legal basis of this rule is in force on {day.isoformat()}.")


def _no_criteria(rule: Rule, unit: Unit | None, evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """The rule's ``when_no_criteria`` status and guidance (not_applicable by default)."""
    if unit is not None:
        try:
            probe = unit(evidence, unit.with_defaults(params))
        except Exception:  # noqa: BLE001 - the fallback below stands
            probe = None
        if probe is not None and probe.status == "not_applicable":
            return probe
    fallback = rule.when_no_criteria or {"status": "not_applicable", "guidance": {
        "vi": "không còn yêu cầu nào của tiêu chí này có căn cứ.", "en": "no requirement of this rule has a basis left."}}
    prefix = ("Cần thanh tra viên xem xét: ", "Needs an inspector: ") if fallback["status"] == "manual" else ("", "")
    return Outcome(fallback["status"], prefix[0] + fallback["guidance"]["vi"], prefix[1] + fallback["guidance"]["en"],
                   details={"criteria": []})


def _cited(bases: list[dict[str, Any]], criteria: dict[str, Any] | None, outcome: Outcome) -> list[dict[str, Any]]:
    """The bases a finding cites: those of the criteria the auditor says it judged (``details.criteria``),
    so that e.g. a missing section is not laid at the door of provisions that require no section."""
    judged = outcome.details.get("criteria") if isinstance(outcome.details, dict) else None
    if criteria is None or not judged:
        return bases
    keys = {basis["key"] for name in judged for basis in (criteria.get(name) or {}).get("bases", [])}
    return [basis for basis in bases if basis["key"] in keys] or bases


def vi_day(value: date) -> str:
    """'01/3/2027', as Vietnamese legal texts write a date."""
    return f"{value.day:02d}/{value.month}/{value.year}"


def section_unsure(evidence: Evidence) -> bool:
    """The finding just made looked at the section's pages, and nobody is sure they are the section."""
    return (evidence.section is not None and evidence.section.status == "unsure"
            and bool(getattr(evidence.section_pages, "read", False)))


def unsure_section(outcome: Outcome) -> Outcome:
    """A gap found on a page that may not be the section is no failure: it awaits the inspector."""
    details = {**outcome.details, "gap_status": outcome.status, "section_unsure": True}
    return Outcome(
        "manual",
        "Chờ thanh tra viên xác nhận Chuyên mục (tctt decide section); trên trang ứng viên: " + outcome.vi,
        "Awaits an inspector's confirmation of the section (tctt decide section); on the candidate page: "
        + outcome.en,
        outcome.evidence, details)


def transition(rule: Rule, outcome: Outcome) -> Outcome:
    """A gap in a newly required item, still inside its transition period: reported, weighing 0."""
    assert rule.transition is not None
    until = date.fromisoformat(rule.transition["to"])  # the last day of the period, included
    basis = rule.transition["basis"]
    details = {**outcome.details, "transition_until": until.isoformat(), "gap_status": outcome.status}
    return Outcome(
        "transition",
        f"Đang trong thời gian chuyển tiếp đến hết ngày {vi_day(until)} ({basis['vi']}): {outcome.vi}",
        f"Within the transition period until the end of {until:%d/%m/%Y} ({basis['en']}): {outcome.en}",
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
                                  registry=registry,
                                  decisions=sectionstatus.standing(store, agency["id"], run["id"]))
        findings = judge(ruleset, evidence)
        for finding in findings:
            finding["scored_at"] = scored_at
        score, band = score_agency(ruleset, findings)
        store.replace_findings(run["id"], agency["id"], findings, score, band)
        if score is not None:
            scores.append(score)
    average = round(sum(scores) / len(scores), 1) if scores else None
    return RunScore(run["id"], len(scores), not_audited, average)
