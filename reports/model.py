"""The run model: one run read from the store, in one language, ready for templates and exports.

``build_run_model`` returns a dict whose ``run`` and ``agencies`` keys are the JSON contract other tools
rely on (see ``export_json``); the other top-level keys (``lang``, ``bands``, ``summary``) are helpers for
the renderers and are not exported.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date
from typing import Any

from core.store import AGENCY_STATUSES, Store

from .i18n import check_lang, localize

CORE_KEYS = ("run", "agencies")
RUN_KEYS = ("id", "started_at", "finished_at", "status", "audit_date", "ruleset", "ruleset_version",
            "tool_version", "agencies_total", "agencies_audited", "average_score", "regime")
AGENCY_KEYS = ("id", "name", "url", "level", "province", "email", "status", "status_detail", "score", "band",
               "band_label", "section", "section_status", "candidates", "findings")
FINDING_KEYS = ("rule", "status", "score", "max_score", "class", "title", "message", "legal_basis",
                "evidence", "how_to_fix", "covers")
EVIDENCE_KEYS = ("url", "excerpt", "fetched_at", "warc_record")

# Statuses whose finding is titled with the rule's failure_title. A pass is titled with the rule's
# title; so are partial (the status label says "partly"), not_applicable, manual and error, for which "X is not published" would assert a failure
# the auditor did not establish (the status label beside the title says what happened).
FAILURE_TITLED = frozenset({"fail"})
# UNWEIGHTED statuses (core.statuses) weigh nothing in the score: left out of the scorecard's totals.

CSV_COLUMNS = ("run_id", "agency_id", "agency_name", "agency_status", "agency_score", "band", "rule",
               "finding_status", "score", "max_score", "message", "evidence_url", "legal_basis")
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

NO_RESULT_DETAIL = {
    "vi": "Chưa có kết quả cho cơ quan này trong lượt kiểm tra (lượt kiểm tra có thể chưa hoàn tất).",
    "en": "No result was recorded for this agency in this run (the run may not have finished).",
}


def build_run_model(store: Store, run_id: int | str | None, *, bands: list[dict[str, Any]],
                    lang: str = "vi") -> dict[str, Any]:
    """Read run ``run_id`` (or the latest for ``None``/'latest') into the run model, in ``lang``.

    ``bands`` is the ruleset's list of ``{"id", "min_score", "requires_all_essential", "label"}``.
    """
    check_lang(lang)
    run = store.run(run_id)
    rid = run["id"]
    results = store.agency_results(rid)
    band_labels = {band["id"]: localize(band.get("label"), lang) or band["id"] for band in bands}

    agencies = []
    for agency in store.agencies(rid):
        result = results.get(agency["id"])
        agencies.append(_agency(store, rid, agency, result, band_labels, lang))

    audited = [a for a in agencies if a["status"] == "audited"]
    scores = [a["score"] for a in audited if a["score"] is not None]
    average = round(sum(scores) / len(scores), 2) if scores else None
    core_run = {
        "id": rid,
        "started_at": run.get("started_at"),
        "finished_at": run.get("finished_at"),
        "status": run.get("status"),
        "audit_date": run.get("audit_date"),
        "ruleset": run.get("ruleset"),
        "ruleset_version": run.get("ruleset_version"),
        "tool_version": run.get("tool_version"),
        "agencies_total": run.get("agencies_total") if run.get("agencies_total") is not None else len(agencies),
        "agencies_audited": len(audited),
        "average_score": average,
        "regime": _regime(run, lang),
    }
    return {
        "run": core_run,
        "agencies": agencies,
        "lang": lang,
        "bands": [{"id": b["id"], "min_score": b.get("min_score"), "label": band_labels[b["id"]]} for b in bands],
        "summary": _summary(agencies, bands),
    }


def _regime(run: dict[str, Any], lang: str) -> dict[str, Any] | None:
    """The legal regime the stored findings were judged under: that of the date they were scored as of
    (the run's audit date unless re-scored with another date), so the report can say which law applied."""
    from rules import regime_on

    options = run.get("options") if isinstance(run.get("options"), dict) else {}
    as_of = options.get("scored_as_of") or run.get("audit_date")
    try:
        regime = regime_on(date.fromisoformat(str(as_of)))
    except ValueError:
        return None
    if regime is None:
        return None
    return {"id": regime["id"], "title": localize(regime["title"], lang), "from": regime["from"],
            "to": regime.get("to"), "provisional": bool(regime.get("provisional")), "as_of": str(as_of),
            "ruleset": options.get("ruleset_label")}


def _agency(store: Store, run_id: int, agency: dict[str, Any], result: dict[str, Any] | None,
            band_labels: dict[str, str], lang: str) -> dict[str, Any]:
    if result is None:
        status, detail = "error", NO_RESULT_DETAIL[lang]
    else:
        status = result.get("status") if result.get("status") in AGENCY_STATUSES else "error"
        detail = result.get("detail") or ""
        if result.get("status") not in AGENCY_STATUSES:
            detail = detail or f"status={result.get('status')!r}"
    audited = status == "audited"
    score = _number(result.get("score")) if audited and result else None
    band = result.get("band") if audited and result else None
    section_url = (result or {}).get("section_url")
    section = ({"url": section_url, "confidence": _number(result.get("section_confidence"))}
               if section_url else None)
    rows = store.findings(run_id, agency["id"]) if audited else []
    findings = [_finding(f, lang) for f in rows]
    # found | unsure | absent, as the section finding judged it (core.sectionstatus); None if not audited
    section_status = next((r["details"]["section_status"] for r in rows if isinstance(r.get("details"), dict)
                           and r["details"].get("section_status")), None)
    return {
        "id": agency["id"],
        "name": agency.get("name") or agency["id"],
        "url": agency.get("url"),
        "level": agency.get("level"),
        "province": agency.get("province"),
        "email": agency.get("email"),
        "status": status,
        "status_detail": detail,
        "score": score,
        "band": band,
        "band_label": (band_labels.get(band, band) if band else None),
        "section": section,
        "section_status": section_status,
        "candidates": [_candidate(c) for c in store.candidates(run_id, agency["id"])],
        "findings": findings,
    }


def _candidate(row: dict[str, Any]) -> dict[str, Any]:
    reasons = row.get("reasons")
    if isinstance(reasons, str):
        reasons = [reasons]
    return {
        "url": row.get("url"),
        "anchor": row.get("anchor"),
        "link_score": _number(row.get("link_score")),
        "content_score": _number(row.get("content_score")),
        "confidence": _number(row.get("confidence")),
        "chosen": bool(row.get("chosen")),
        "reasons": [str(r) for r in (reasons or [])],
    }


def _finding(row: dict[str, Any], lang: str) -> dict[str, Any]:
    status = row.get("status")
    title = localize(row.get("title"), lang)
    if status in FAILURE_TITLED:
        title = localize(row.get("failure_title"), lang) or title
    evidence = row.get("evidence") if isinstance(row.get("evidence"), list) else []
    bases = row.get("legal_basis") if isinstance(row.get("legal_basis"), list) else []
    covers = row.get("covers") if isinstance(row.get("covers"), list) else []
    return {
        "rule": row.get("rule_id"),
        "status": status,
        "score": _number(row.get("score")),
        "max_score": _number(row.get("max_score")),
        "class": row.get("class"),
        "title": title,
        "message": localize(row.get("message"), lang),
        "legal_basis": [_basis(b, lang) for b in bases if isinstance(b, dict)],
        "evidence": [{key: (item.get(key) if isinstance(item, dict) else None) for key in EVIDENCE_KEYS}
                     for item in evidence if isinstance(item, dict)],
        "how_to_fix": localize(row.get("description"), lang),
        "covers": [str(c) for c in covers],
    }


def _basis(basis: dict[str, Any], lang: str) -> dict[str, Any]:
    """A legal basis with its citation as a plain string in ``lang``."""
    citation = localize(basis.get("citation"), lang) or compose_citation(basis, lang)
    return {
        "instrument": basis.get("instrument"),
        "article": basis.get("article"),
        "clause": basis.get("clause"),
        "point": basis.get("point"),
        "in_force": basis.get("in_force"),
        "provisional": bool(basis.get("provisional")),
        "residual": bool(basis.get("residual")),
        "citation": citation,
    }


def compose_citation(basis: dict[str, Any], lang: str) -> str:
    """'Điều 11 khoản 1 điểm a Nghị định 13/2018/NĐ-CP' (the rules loader's format), without the marker."""
    instrument = basis.get("instrument") or ""
    if not basis.get("article"):
        return instrument
    if lang == "vi":
        parts = [f"Điều {basis['article']}"]
        if basis.get("clause"):
            parts.append(f"khoản {basis['clause']}")
        if basis.get("point"):
            parts.append(f"điểm {basis['point']}")
        return " ".join(parts) + " " + instrument
    parts = [f"Article {basis['article']}"]
    if basis.get("clause"):
        parts.append(f"clause {basis['clause']}")
    if basis.get("point"):
        parts.append(f"point {basis['point']}")
    return ", ".join(parts) + ", " + instrument


def _summary(agencies: list[dict[str, Any]], bands: list[dict[str, Any]]) -> dict[str, Any]:
    status_counts = Counter(a["status"] for a in agencies)
    audited = [a for a in agencies if a["status"] == "audited"]
    band_counts = Counter(a["band"] for a in audited)
    known = [b["id"] for b in bands]
    ordered = {band_id: band_counts.get(band_id, 0) for band_id in known}
    for band_id, count in band_counts.items():  # bands the ruleset no longer lists, and None
        if band_id not in ordered:
            ordered[band_id] = count
    return {
        "status_counts": {status: status_counts.get(status, 0) for status in AGENCY_STATUSES},
        "band_counts": ordered,
        "audited": len(audited),
        "unaudited": len(agencies) - len(audited),
        # agencies whose section awaits an inspector's confirmation (tctt decide section)
        "awaiting_review": sum(1 for a in audited if a.get("section_status") == "unsure"),
    }


def _number(value: Any) -> float | int | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else number


# --- exports ----------------------------------------------------------------------------------
def core(model: dict[str, Any]) -> dict[str, Any]:
    """The exported part of the model: ``{"run": ..., "agencies": ...}``."""
    return {key: model[key] for key in CORE_KEYS}


def export_json(model: dict[str, Any]) -> str:
    return json.dumps(core(model), ensure_ascii=False, indent=2) + "\n"


def neutralise(cell: Any) -> str:
    """A CSV cell as text, with a leading ``'`` if a spreadsheet would read it as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def export_csv(model: dict[str, Any]) -> str:
    """One row per agency × finding, plus one row per agency without findings (every unaudited one)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    run_id = model["run"]["id"]
    for agency in model["agencies"]:
        head = [run_id, agency["id"], agency["name"], agency["status"], _csv_number(agency["score"]),
                agency["band"]]
        if not agency["findings"]:
            writer.writerow([neutralise(c) for c in head + [""] * 7])
            continue
        for finding in agency["findings"]:
            evidence = " | ".join(e["url"] for e in finding["evidence"] if e.get("url"))
            bases = "; ".join(b["citation"] for b in finding["legal_basis"] if b.get("citation"))
            row = head + [finding["rule"], finding["status"], _csv_number(finding["score"]),
                          _csv_number(finding["max_score"]), finding["message"], evidence, bases]
            writer.writerow([neutralise(c) for c in row])
    return out.getvalue()


def _csv_number(value: Any) -> str:
    if value is None:
        return ""
    return str(round(value, 2)) if isinstance(value, float) else str(value)
